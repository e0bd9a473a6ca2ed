// Any byte string is a document: Extract must not crash, and every record's span must lie in
// the input, in text order. (Build and run: README.md, "Fuzzing and sanitizers".)
#include <gleaner/gleaner.h>

#include <cstdlib>
#include <string>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const gleaner::Extractor& ex = gleaner::fuzz::DefaultExtractor();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gleaner::DocumentContext ctx{"fuzz", "2020-09-06", true};
  auto result = ex.Extract(text, ctx);
  if (!result.ok()) return 0;
  std::size_t last_begin = 0;
  for (const gleaner::Record& r : result->records) {
    const auto& b = gleaner::Base(r);
    GLEANER_FUZZ_CHECK(b.span.begin <= b.span.end && b.span.end <= size);
    GLEANER_FUZZ_CHECK(b.span.begin >= last_begin);
    last_begin = b.span.begin;
  }
  // The text API without a reference date, and with no dateline search, must hold too.
  gleaner::DocumentContext bare{"fuzz", "", false};
  (void)ex.Extract(text, bare);
  return 0;
}

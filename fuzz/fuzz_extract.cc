// Any byte string is a document: Extract must not crash, every record's span must lie in the
// input, in text order, and every output format must write it: HTML with one <mark> per record,
// nothing in HTML or TimeML that is not valid UTF-8. (Build and run: README.md, "Fuzzing and
// sanitizers".)
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
  gleaner::DocumentToFormat d;
  d.text = text;
  d.extraction = &result.value();
  d.id = "fuzz";
  for (auto format : {gleaner::OutputFormat::kJsonl, gleaner::OutputFormat::kTsv,
                      gleaner::OutputFormat::kHtml, gleaner::OutputFormat::kTimeml}) {
    std::string out;
    gleaner::AppendDocument(out, format, d);
    if (format == gleaner::OutputFormat::kHtml) {
      GLEANER_FUZZ_CHECK(gleaner::fuzz::Occurrences(out, "<mark ") == result->records.size());
      GLEANER_FUZZ_CHECK(gleaner::fuzz::Occurrences(out, "</mark>") == result->records.size());
    }
    if (format == gleaner::OutputFormat::kHtml || format == gleaner::OutputFormat::kTimeml)
      GLEANER_FUZZ_CHECK(gleaner::fuzz::ValidUtf8(out));
  }
  // The text API without a reference date, and with no dateline search, must hold too.
  gleaner::DocumentContext bare{"fuzz", "", false};
  (void)ex.Extract(text, bare);
  return 0;
}

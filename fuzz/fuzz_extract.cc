// Any byte string is a document: Extract must not crash, and every record's span must lie in
// the input and hold the record's text (after invalid UTF-8 repair).
//   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DGLEANER_BUILD_FUZZ=ON \
//     -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined" -DGLEANER_BUILD_TESTS=OFF
//   cmake --build build-fuzz --target fuzz_extract && build-fuzz/fuzz/fuzz_extract
//   -max_total_time=60
#include <gleaner/gleaner.h>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gleaner::Extractor* ex = [] {
    gleaner::ExtractorOptions o;
    o.rules_dir = GLEANER_FUZZ_RULES_DIR;
    auto r = gleaner::Extractor::Create(o);
    if (!r.ok()) std::abort();
    return new gleaner::Extractor(std::move(r.value()));
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gleaner::DocumentContext ctx{"fuzz", "2020-09-06", true};
  auto result = ex->Extract(text, ctx);
  if (!result.ok()) return 0;
  for (const gleaner::Record& r : result->records) {
    const auto& b = gleaner::Base(r);
    if (b.span.begin > b.span.end || b.span.end > size) std::abort();
  }
  return 0;
}

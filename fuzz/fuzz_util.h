// Shared by the fuzz targets: the default extractor, and a check that aborts (which libFuzzer
// and the replay test both report as a failure with the input that caused it).
#ifndef GLEANER_FUZZ_FUZZ_UTIL_H_
#define GLEANER_FUZZ_FUZZ_UTIL_H_

#include <gleaner/gleaner.h>

#include <cstdio>
#include <cstdlib>

#define GLEANER_FUZZ_CHECK(cond)                                                    \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

namespace gleaner::fuzz {

inline const Extractor& DefaultExtractor() {
  static const Extractor* ex = [] {
    ExtractorOptions o;
    o.rules_dir = GLEANER_FUZZ_RULES_DIR;
    auto r = Extractor::Create(o);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      std::abort();
    }
    return new Extractor(std::move(r.value()));
  }();
  return *ex;
}

}  // namespace gleaner::fuzz

#endif  // GLEANER_FUZZ_FUZZ_UTIL_H_

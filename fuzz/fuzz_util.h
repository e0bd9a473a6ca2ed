// Shared by the fuzz targets: the default extractor, and a check that aborts (which libFuzzer
// and the replay test both report as a failure with the input that caused it).
#ifndef GLEANER_FUZZ_FUZZ_UTIL_H_
#define GLEANER_FUZZ_FUZZ_UTIL_H_

#include <gleaner/gleaner.h>

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

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

// How many times `needle` occurs in `haystack`.
inline std::size_t Occurrences(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

// Whether `s` is well-formed UTF-8.
inline bool ValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    int32_t at = 0, length = static_cast<int32_t>(std::min<std::size_t>(s.size() - i, 4));
    UChar32 cp;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data() + i), at, length, cp);
    if (cp < 0) return false;
    i += static_cast<std::size_t>(at);
  }
  return true;
}

}  // namespace gleaner::fuzz

#endif  // GLEANER_FUZZ_FUZZ_UTIL_H_

// Any byte string is a rule pack: loading it must give an Extractor or an error naming the file,
// never a crash or a hang; a pack that loads must extract from a sentence and run its own tests.
// (Build and run: README.md, "Fuzzing and sanitizers".)
#include <gleaner/gleaner.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/gleaner-fuzz-pack-" + std::to_string(getpid()) + ".json";
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  gleaner::ExtractorOptions options;
  options.load_default_packs = false;
  options.packs = {path};
  options.max_pattern_memory = 1 << 20;  // keep each input fast
  auto ex = gleaner::Extractor::Create(options);
  if (!ex.ok()) {
    GLEANER_FUZZ_CHECK(!ex.status().ToString().empty());
    return 0;
  }
  gleaner::DocumentContext ctx{"fuzz", "2020-09-06", true};
  auto result = ex->Extract("On 5 May 2020, 12 people said “it is over” in Paris.", ctx);
  if (result.ok())
    for (const gleaner::Record& r : result->records)
      GLEANER_FUZZ_CHECK(gleaner::Base(r).span.end <= 60);
  (void)ex->RunPackTests();
  return 0;
}

// Any byte string is a JSON Lines batch: every input line gets exactly one output line, each a
// JSON object with "id" and "records", and one line's answer never depends on its neighbours'
// failures. (Build and run: README.md, "Fuzzing and sanitizers".)
#include <gleaner/gleaner.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const gleaner::Extractor& ex = gleaner::fuzz::DefaultExtractor();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  gleaner::BatchOptions options;
  options.threads = 1;
  options.max_line_bytes = 4096;
  options.max_json_depth = 16;

  // Each line alone.
  std::size_t lines = 0;
  for (std::size_t at = 0; at < input.size() || (at == 0 && input.empty());) {
    std::size_t nl = input.find('\n', at);
    std::string_view line = input.substr(at, nl == std::string_view::npos ? nl : nl - at);
    std::string error;
    std::string out = gleaner::AnswerJsonLine(ex, line, ++lines, options, &error);
    GLEANER_FUZZ_CHECK(out.find('\n') == std::string::npos);
    auto j = nlohmann::json::parse(out, nullptr, false);
    GLEANER_FUZZ_CHECK(j.is_object() && j.contains("id") && j.contains("records"));
    GLEANER_FUZZ_CHECK(j.contains("error") == !error.empty());
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }

  // The whole input as a batch, through descriptors as the tool reads it.
  int in = memfd_create("fuzz-in", 0), out = memfd_create("fuzz-out", 0);
  GLEANER_FUZZ_CHECK(in >= 0 && out >= 0);
  GLEANER_FUZZ_CHECK(write(in, data, size) == static_cast<ssize_t>(size));
  lseek(in, 0, SEEK_SET);
  auto report = gleaner::RunJsonlBatch(ex, in, out, options);
  GLEANER_FUZZ_CHECK(!report.read_failed && !report.write_failed);
  std::size_t expected = 0;
  for (std::size_t i = 0; i < size; ++i) expected += data[i] == '\n';
  if (size > 0 && data[size - 1] != '\n') ++expected;
  GLEANER_FUZZ_CHECK(report.lines == expected);
  off_t written = lseek(out, 0, SEEK_END);
  std::string text(static_cast<std::size_t>(written), '\0');
  GLEANER_FUZZ_CHECK(pread(out, text.data(), text.size(), 0) == written);
  std::size_t newlines = 0;
  for (char c : text) newlines += c == '\n';
  GLEANER_FUZZ_CHECK(newlines == expected);
  close(in);
  close(out);
  return 0;
}

// Helpers shared by the tests: temporary pack files and default-pack extractors.
#ifndef GLEANER_TESTS_TEST_UTIL_H_
#define GLEANER_TESTS_TEST_UTIL_H_

#include <gleaner/gleaner.h>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace gleaner::testing {

// A directory under the system temp dir, removed with its contents at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("gleaner-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  // Writes `content` to `name` in the directory and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::filesystem::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Opens `relative` (e.g. "corpus/news-1MB.jsonl") in ../shared beside the checkout. When it is
// not there, prints "SKIPPED: ..." (ctest then reports the test as skipped) and returns a
// stream that is not open: the test returns.
inline std::ifstream OpenShared(const std::string& relative) {
  std::string path = std::string(GLEANER_TEST_SHARED_DIR) + "/" + relative;
  std::ifstream in(path);
  if (!in) std::cout << "SKIPPED: " << path << " is not there\n";
  return in;
}

inline ExtractorOptions DefaultOptions() {
  ExtractorOptions o;
  o.rules_dir = GLEANER_TEST_RULES_DIR;
  return o;
}

// The extractor with the default packs, built once for all tests.
inline const Extractor& DefaultExtractor() {
  static const Extractor* ex = [] {
    auto r = Extractor::Create(DefaultOptions());
    if (!r.ok()) throw std::runtime_error(r.status().ToString());
    return new Extractor(std::move(r.value()));
  }();
  return *ex;
}

// Records of type T in `e`.
template <typename T>
std::vector<T> All(const Extraction& e) {
  std::vector<T> out;
  for (const Record& r : e.records)
    if (auto* t = std::get_if<T>(&r)) out.push_back(*t);
  return out;
}

// The first record of type T whose text is `text`, or nullptr.
template <typename T>
const T* Find(const Extraction& e, std::string_view text) {
  for (const Record& r : e.records)
    if (auto* t = std::get_if<T>(&r); t && t->text == text) return t;
  return nullptr;
}

}  // namespace gleaner::testing

#endif  // GLEANER_TESTS_TEST_UTIL_H_

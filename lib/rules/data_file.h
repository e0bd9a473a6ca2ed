// Reading the files packs are made of (packs, lexicon files, gazetteers), from disk or from the
// copy of rules/ built into the library.
#ifndef GLEANER_RULES_DATA_FILE_H_
#define GLEANER_RULES_DATA_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gleaner/options.h"
#include "gleaner/status.h"

namespace gleaner::internal {

// gleaner::kBuiltinRulesDir (gleaner/options.h): paths under it are read from memory, never
// from disk, so an installed library needs no files beside it.
using gleaner::kBuiltinRulesDir;

// The built-in copy of `path` (a path under kBuiltinRulesDir), or nullopt when there is none.
std::optional<std::string_view> BuiltinFile(std::string_view path);

// `name` as a pack names a data file: relative names are taken from `pack_dir`, absolute names
// and names under kBuiltinRulesDir as they are.
std::string ResolveDataPath(const std::string& pack_dir, const std::string& name);

// The bytes of one data file: a view of the built-in copy or of the contents read from disk.
class DataFile {
 public:
  DataFile() = default;
  DataFile(DataFile&& other) noexcept { *this = std::move(other); }
  DataFile& operator=(DataFile&& other) noexcept;
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;

  std::string_view bytes() const { return bytes_; }
  // The contents as an owned string (a copy for a built-in file).
  std::string Take() &&;

 private:
  friend Result<DataFile> ReadDataFile(const std::string&, std::uintmax_t, const std::string&,
                                       const std::string&, int, const std::string&);
  std::string owned_;
  std::string_view bytes_;
};

// OK when `path` is a built-in file, or a regular file, of at most `max_bytes`, that may be
// read; otherwise an error saying what it is ("what path: is a directory, not a file"),
// located at `pack_file`, `line` and `id` when a pack names the file: kNotFound, kIoError or
// kResourceLimit. Checked before opening, since opening a FIFO blocks.
Status CheckDataFile(const std::string& path, std::uintmax_t max_bytes, const std::string& what,
                     const std::string& pack_file = {}, int line = 0, const std::string& id = {});

// CheckDataFile, then the file's bytes. A read that fails part way is kIoError.
Result<DataFile> ReadDataFile(const std::string& path, std::uintmax_t max_bytes,
                              const std::string& what, const std::string& pack_file = {},
                              int line = 0, const std::string& id = {});

// Splits off the first line of `*rest` (without its "\n" or "\r\n") into `*line`; false when
// `*rest` is empty.
bool NextLine(std::string_view* rest, std::string_view* line);

}  // namespace gleaner::internal

#endif  // GLEANER_RULES_DATA_FILE_H_

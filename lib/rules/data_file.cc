#include "rules/data_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "rules/builtin_rules.h"

namespace gleaner::internal {

namespace fs = std::filesystem;

namespace {

// Whether `path` is under kBuiltinRulesDir; if so, `*relative` is the rest of it, normalised.
bool BuiltinRelative(std::string_view path, std::string* relative) {
  if (path.size() <= kBuiltinRulesDir.size() || !path.starts_with(kBuiltinRulesDir) ||
      path[kBuiltinRulesDir.size()] != '/')
    return false;
  *relative = fs::path(path.substr(kBuiltinRulesDir.size() + 1)).lexically_normal().string();
  return true;
}

}  // namespace

std::optional<std::string_view> BuiltinFile(std::string_view path) {
  std::string relative;
  if (!BuiltinRelative(path, &relative)) return std::nullopt;
  for (const BuiltinRuleFile& file : BuiltinRuleFiles())
    if (file.path == relative) return file.bytes;
  return std::nullopt;
}

std::string ResolveDataPath(const std::string& pack_dir, const std::string& name) {
  std::string relative;
  if (BuiltinRelative(name, &relative) || fs::path(name).is_absolute()) return name;
  return (fs::path(pack_dir) / name).string();
}

DataFile& DataFile::operator=(DataFile&& other) noexcept {
  if (this == &other) return *this;
  bool points_into_owned = !other.owned_.empty() && other.bytes_.data() == other.owned_.data();
  owned_ = std::move(other.owned_);
  bytes_ = points_into_owned ? std::string_view(owned_) : other.bytes_;
  other.bytes_ = {};
  return *this;
}

std::string DataFile::Take() && {
  std::string out =
      !owned_.empty() && bytes_.data() == owned_.data() ? std::move(owned_) : std::string(bytes_);
  bytes_ = {};
  return out;
}

Status CheckDataFile(const std::string& path, std::uintmax_t max_bytes, const std::string& what,
                     const std::string& pack_file, int line, const std::string& id) {
  auto error = [&](StatusCode code, const std::string& why) {
    std::string message = what + " " + path + ": " + why;
    if (code == StatusCode::kNotFound) return Status::NotFound(message, pack_file, line, id);
    if (code == StatusCode::kResourceLimit)
      return Status::ResourceLimit(message, pack_file, line, id);
    return Status::IoError(message, pack_file, line, id);
  };
  auto too_big = [&](std::uintmax_t size) {
    return error(
        StatusCode::kResourceLimit,
        "is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes));
  };
  if (auto bytes = BuiltinFile(path))
    return bytes->size() > max_bytes ? too_big(bytes->size()) : Status::Ok();
  std::string relative;
  if (BuiltinRelative(path, &relative))
    return error(StatusCode::kNotFound, "not among the files built into the library");

  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
    return error(StatusCode::kIoError, "cannot be read: " + ec.message());
  if (ec || !fs::exists(st))
    return error(StatusCode::kNotFound,
                 pack_file.empty()
                     ? "not found (give packs with --rules FILE or --rules-dir DIR, "
                       "ExtractorOptions::packs or ::rules_dir, or $GLEANER_RULES_DIR; the "
                       "default packs are built into the library)"
                     : "not found (a relative path is taken from the pack's directory)");
  if (fs::is_directory(st)) return error(StatusCode::kIoError, "is a directory, not a file");
  // A FIFO would block the loader, a device could be endless: only regular files are read.
  if (!fs::is_regular_file(st))
    return error(StatusCode::kIoError, "is not a regular file (a FIFO, device or socket)");
  std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > max_bytes) return too_big(size);
  return Status::Ok();
}

Result<DataFile> ReadDataFile(const std::string& path, std::uintmax_t max_bytes,
                              const std::string& what, const std::string& pack_file, int line,
                              const std::string& id) {
  if (Status s = CheckDataFile(path, max_bytes, what, pack_file, line, id); !s.ok()) return s;
  DataFile file;
  if (auto bytes = BuiltinFile(path)) {
    file.bytes_ = *bytes;
    return file;
  }
  // POSIX reads: a failure part way is an error to report, never an exception on a loader
  // thread.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::IoError(what + " " + path + " cannot be read: " + std::strerror(errno),
                           pack_file, line, id);
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0)
    file.owned_.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return Status::IoError(what + " " + path + " cannot be read: " + std::strerror(error),
                             pack_file, line, id);
    }
    if (n == 0) break;
    if (file.owned_.size() + static_cast<std::size_t>(n) > max_bytes) {  // it grew after the check
      ::close(fd);
      return Status::ResourceLimit(
          what + " " + path + ": over the limit of " + std::to_string(max_bytes) + " bytes",
          pack_file, line, id);
    }
    file.owned_.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  file.bytes_ = file.owned_;
  return file;
}

bool NextLine(std::string_view* rest, std::string_view* line) {
  if (rest->empty()) return false;
  std::size_t nl = rest->find('\n');
  *line = rest->substr(0, nl);
  rest->remove_prefix(nl == std::string_view::npos ? rest->size() : nl + 1);
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  return true;
}

}  // namespace gleaner::internal

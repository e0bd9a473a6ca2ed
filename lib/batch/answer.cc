// One JSON line in, one JSON line out (gleaner/batch.h). The line is read with nlohmann's SAX
// parser rather than into a JSON object: it builds only the strings we need, it is iterative
// (no recursion on deep nesting, in reading or in writing), and counting the bytes it consumes
// tells where the "id" value lies, so that the id is echoed exactly as given: a number larger
// than 2^64 or written "1.50" comes back unchanged, not as nlohmann would print it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "batch/answer.h"
#include "gleaner/batch.h"
#include "gleaner/output.h"

namespace gleaner {
namespace {

// A char iterator that publishes how far the parser has read.
class CountingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* p, const char** reached) : p_(p), reached_(reached) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    if (reached_ != nullptr) *reached_ = p_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& other) const { return p_ == other.p_; }

 private:
  const char* p_ = nullptr;
  const char** reached_ = nullptr;
};

// The members of an input line that gleaner reads; everything else is checked only for being
// JSON. Depth 1 is the line's top-level object.
class LineReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  LineReader(std::string_view line, std::size_t max_depth)
      : line_(line), reached_(line.data()), max_depth_(max_depth) {}

  bool Parse() {
    CountingIterator first(line_.data(), &reached_), last(line_.data() + line_.size(), nullptr);
    return nlohmann::json::sax_parse(first, last, this, nlohmann::json::input_format_t::json,
                                     /*strict=*/true, /*ignore_comments=*/false);
  }

  std::optional<std::string_view> id;  // the raw bytes of the "id" value
  // The other members, as JSON text to echo: ",\"key\":value" each, values byte for byte.
  std::string extra_members;
  bool keep_extra_members = true;
  bool top_is_object = false;
  std::optional<std::string> text;
  bool text_wrong_type = false;
  std::optional<std::string> reference_date;
  bool reference_date_wrong_type = false;
  std::string error;  // why parsing stopped

  bool null() override { return Scalar(Kind::kNull); }
  bool boolean(bool) override { return Scalar(Kind::kOther); }
  bool number_integer(number_integer_t) override { return Scalar(Kind::kOther); }
  bool number_unsigned(number_unsigned_t) override { return Scalar(Kind::kOther); }
  bool number_float(number_float_t, const string_t&) override { return Scalar(Kind::kOther); }
  bool binary(binary_t&) override { return Scalar(Kind::kOther); }
  bool string(string_t& s) override {
    if (depth_ == 1 && member_ == Member::kText) text = std::move(s);
    if (depth_ == 1 && member_ == Member::kReferenceDate) reference_date = std::move(s);
    return Scalar(Kind::kString);
  }
  bool start_object(std::size_t) override { return Open(true); }
  bool start_array(std::size_t) override { return Open(false); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    if (depth_ == 1) {
      member_ = k == "id"               ? Member::kId
                : k == "text"           ? Member::kText
                : k == "reference_date" ? Member::kReferenceDate
                : k == "records" || k == "error" || k == "warnings" || !keep_extra_members
                    ? Member::kOther
                    : Member::kExtra;
      if (member_ == Member::kExtra) {
        extra_members += ',';
        AppendJsonString(extra_members, k);
        extra_members += ':';
      }
      value_from_ = Offset();
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    error = "not JSON: " + std::string(e.what());
    (void)position;
    return false;
  }

 private:
  enum class Member { kNone, kId, kText, kReferenceDate, kExtra, kOther };
  enum class Kind { kNull, kString, kOther, kContainer };

  std::size_t Offset() const { return static_cast<std::size_t>(reached_ - line_.data()); }

  bool Open(bool object) {
    if (depth_ == 0) top_is_object = object;
    if (++depth_ > max_depth_) {
      error = "JSON nested deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    return true;
  }
  bool Close() {
    --depth_;
    return depth_ == 1 ? Finished(Kind::kContainer) : true;
  }
  bool Scalar(Kind kind) { return depth_ == 1 ? Finished(kind) : true; }

  // A member of the top-level object has been read whole.
  bool Finished(Kind kind) {
    switch (member_) {
      case Member::kId:
        id = RawValue();
        break;
      case Member::kText:
        text_wrong_type = kind != Kind::kString;
        if (text_wrong_type) text.reset();
        break;
      case Member::kReferenceDate:
        reference_date_wrong_type = kind != Kind::kString && kind != Kind::kNull;
        if (kind != Kind::kString) reference_date.reset();
        break;
      case Member::kExtra:
        // A CR can only be whitespace between tokens here (JSON strings escape it): dropped,
        // so that no reader that splits lines at CR sees two lines.
        for (char c : RawValue())
          if (c != '\r') extra_members += c;
        break;
      default:
        break;
    }
    member_ = Member::kNone;
    return true;
  }

  // The bytes of the member value just read: from after its key to where the parser stands,
  // without the colon and spaces before it, and without the one character that the parser
  // reads past a number to know it has ended.
  std::string_view RawValue() const {
    std::string_view raw = line_.substr(value_from_, Offset() - value_from_);
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!raw.empty() && (space(raw.front()) || raw.front() == ':')) raw.remove_prefix(1);
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!raw.empty() && (raw.front() == '-' || digit(raw.front())))
      while (!raw.empty() && !digit(raw.back())) raw.remove_suffix(1);
    return raw;
  }

  std::string_view line_;
  const char* reached_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  Member member_ = Member::kNone;
  std::size_t value_from_ = 0;
};

// The chunk for a failed input, in the batch's format. `id_json` is the id as JSON (nullopt:
// null; empty: `id` as a JSON string).
std::string Failed(const BatchOptions& options, std::optional<std::string_view> id_json,
                   std::string_view id, std::string_view extra_members, const std::string& error) {
  DocumentToFormat d;
  d.id = id;
  d.id_json = id_json ? *id_json : std::string_view("null");
  d.extra_members = extra_members;
  d.error = error;
  std::string out;
  AppendDocument(out, options.format, d);
  return out;
}

// The id as text (a JSON string's contents, or any other value as written).
std::string IdText(std::string_view id_json) {
  nlohmann::json parsed = nlohmann::json::parse(id_json, nullptr, false);
  return parsed.is_string() ? parsed.get<std::string>() : std::string(id_json);
}

std::string Answer(const Extractor& extractor, std::string_view line, std::size_t line_number,
                   const BatchOptions& options, std::string* error) {
  std::string where = "line " + std::to_string(line_number) + ": ";
  LineReader reader(line, options.max_json_depth);
  reader.keep_extra_members = options.echo_extra_members;
  std::string id_text;
  auto fail = [&](std::optional<std::string_view> id, const std::string& why,
                  std::string_view extra = {}) {
    *error = where + why;
    return Failed(options, id, id ? IdText(*id) : std::string(), extra, *error);
  };
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return fail({}, "blank line");
  if (!reader.Parse()) {
    // An id read before the error is echoed if it stands as JSON alone: a number is read one
    // character past its end, and on a broken line that character may be garbage ("021").
    std::optional<std::string_view> id = reader.id;
    if (id && !nlohmann::json::accept(*id)) id.reset();
    return fail(id, reader.error);
  }
  if (!reader.top_is_object) return fail({}, "needs a JSON object");
  if (!reader.text)
    return fail(reader.id,
                reader.text_wrong_type ? "\"text\" must be a string" : "needs a string \"text\"",
                reader.extra_members);
  if (reader.reference_date_wrong_type)
    return fail(reader.id, "\"reference_date\" must be a string or null", reader.extra_members);
  DocumentContext context;
  if (reader.id) context.id = IdText(*reader.id);
  context.reference_date = reader.reference_date ? *reader.reference_date : options.reference_date;
  context.infer_reference_date = options.infer_reference_date;
  auto result = extractor.Extract(*reader.text, context);
  if (!result.ok()) return fail(reader.id, result.status().ToString(), reader.extra_members);
  DocumentToFormat d;
  d.text = *reader.text;
  d.extraction = &result.value();
  d.id = context.id;
  d.id_json = reader.id ? *reader.id : std::string_view("null");
  d.extra_members = reader.extra_members;
  std::string out;
  AppendDocument(out, options.format, d);
  error->clear();
  return out;
}

// Runs `answer`; anything it throws becomes the input's error, so that one input never stops
// the batch (out of memory on one document is that document's error).
template <typename Fn>
std::string Guarded(const BatchOptions& options, const std::string& where, std::string* error,
                    std::string_view file_id, Fn&& answer) {
  try {
    return answer();
  } catch (const std::exception& e) {
    *error = where + e.what();
  } catch (...) {
    *error = where + "failed";
  }
  try {
    // A file keeps its path as id; a line's id was not read.
    return file_id.empty() ? Failed(options, std::nullopt, {}, {}, *error)
                           : Failed(options, std::string_view(), file_id, {}, *error);
  } catch (...) {
    return options.format == OutputFormat::kJsonl || options.format == OutputFormat::kJson
               ? "{\"id\":null,\"records\":[],\"error\":\"out of memory\"}\n"
               : "";
  }
}

}  // namespace

namespace internal {

std::string AnswerLine(const Extractor& extractor, std::string_view line, std::size_t line_number,
                       const BatchOptions& options, std::string* error) {
  return Guarded(options, "line " + std::to_string(line_number) + ": ", error, {},
                 [&] { return Answer(extractor, line, line_number, options, error); });
}

std::string AnswerTooLongLine(std::size_t line_number, const BatchOptions& options,
                              std::string* error) {
  *error = "line " + std::to_string(line_number) + ": longer than " +
           std::to_string(options.max_line_bytes) +
           " bytes, read through and dropped (BatchOptions::max_line_bytes, gleaner "
           "--max-line-bytes)";
  return Failed(options, std::nullopt, {}, {}, *error);
}

std::string AnswerFile(const Extractor& extractor, const std::string& path,
                       const BatchOptions& options, std::string* error, std::uint64_t* bytes,
                       std::string* warnings) {
  const std::string id = path == "-" ? "stdin" : path;
  *bytes = 0;
  return Guarded(options, id + ": ", error, id, [&] {
    std::string text;
    std::string why = ReadTextFile(path, options.max_file_bytes, &text);
    *bytes = text.size();
    if (why.empty()) {
      DocumentContext context{id, options.reference_date, options.infer_reference_date};
      auto result = extractor.Extract(text, context);
      if (result.ok()) {
        for (const std::string& w : result->warnings) *warnings += id + ": warning: " + w + "\n";
        DocumentToFormat d;
        d.text = text;
        d.extraction = &result.value();
        d.id = id;
        std::string out;
        AppendDocument(out, options.format, d);
        error->clear();
        return out;
      }
      why = result.status().ToString();
    }
    *error = id + ": " + why;
    return Failed(options, std::string_view(), id, {}, *error);  // the path as a JSON string
  });
}

}  // namespace internal

std::string ReadTextFile(const std::string& path, std::size_t limit, std::string* out) {
  out->clear();
  int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return "is a directory";
  }
  std::string why;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::string("read error: ") + std::strerror(errno);
      break;
    }
    if (n == 0) break;
    if (out->size() + static_cast<std::size_t>(n) > limit) {
      why = "larger than " + std::to_string(limit) +
            " bytes (BatchOptions::max_file_bytes, gleaner --max-document-bytes)";
      std::string().swap(*out);
      break;
    }
    out->append(buffer, static_cast<std::size_t>(n));
  }
  if (fd != 0) ::close(fd);
  return why;
}

std::string AnswerJsonLine(const Extractor& extractor, std::string_view line,
                           std::size_t line_number, const BatchOptions& options,
                           std::string* error) {
  BatchOptions jsonl = options;
  jsonl.format = OutputFormat::kJsonl;
  std::string out = internal::AnswerLine(extractor, line, line_number, jsonl, error);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace gleaner

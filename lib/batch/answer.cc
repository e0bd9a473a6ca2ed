// One JSON line in, one JSON line out (gleaner/batch.h). The line is read with nlohmann's SAX
// parser rather than into a JSON object: it builds only the strings we need, it is iterative
// (no recursion on deep nesting, in reading or in writing), and counting the bytes it consumes
// tells where the "id" value lies, so that the id is echoed exactly as given: a number larger
// than 2^64 or written "1.50" comes back unchanged, not as nlohmann would print it.
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

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
                                        : Member::kOther;
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
  enum class Member { kNone, kId, kText, kReferenceDate, kOther };
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

std::string ErrorLine(std::optional<std::string_view> id, const std::string& error) {
  std::string out = "{\"id\":";
  if (id) {
    out += *id;
  } else {
    out += "null";
  }
  out += ",\"records\":[],\"error\":";
  AppendJsonString(out, error);
  out += '}';
  return out;
}

std::string Answer(const Extractor& extractor, std::string_view line, std::size_t line_number,
                   const BatchOptions& options, std::string* error) {
  std::string where = "line " + std::to_string(line_number) + ": ";
  auto fail = [&](std::optional<std::string_view> id, const std::string& why) {
    *error = where + why;
    return ErrorLine(id, *error);
  };
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return fail({}, "blank line");
  LineReader reader(line, options.max_json_depth);
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
                reader.text_wrong_type ? "\"text\" must be a string" : "needs a string \"text\"");
  if (reader.reference_date_wrong_type)
    return fail(reader.id, "\"reference_date\" must be a string or null");
  DocumentContext context;
  if (reader.id) {
    // The id as text: a JSON string's contents, or any other value as written.
    nlohmann::json parsed = nlohmann::json::parse(*reader.id, nullptr, false);
    context.id = parsed.is_string() ? parsed.get<std::string>() : std::string(*reader.id);
  }
  context.reference_date = reader.reference_date ? *reader.reference_date : options.reference_date;
  context.infer_reference_date = options.infer_reference_date;
  auto result = extractor.Extract(*reader.text, context);
  if (!result.ok()) return fail(reader.id, result.status().ToString());
  // Written directly, not as a JSON object: a dense document's records would take many times
  // its size as one.
  std::string out = "{\"id\":";
  out += reader.id ? *reader.id : std::string_view("null");
  out += ",\"reference_date\":";
  if (result->reference_date.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, result->reference_date);
  }
  out += ",\"records\":[";
  for (std::size_t i = 0; i < result->records.size(); ++i) {
    if (i > 0) out += ',';
    AppendJson(out, result->records[i]);
  }
  out += ']';
  if (!result->warnings.empty()) {
    out += ",\"warnings\":[";
    for (std::size_t i = 0; i < result->warnings.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, result->warnings[i]);
    }
    out += ']';
  }
  out += '}';
  error->clear();
  return out;
}

}  // namespace

std::string AnswerJsonLine(const Extractor& extractor, std::string_view line,
                           std::size_t line_number, const BatchOptions& options,
                           std::string* error) {
  // Nothing may escape: one line must never stop the batch. Out of memory on one document is
  // that document's error.
  try {
    return Answer(extractor, line, line_number, options, error);
  } catch (const std::exception& e) {
    *error = "line " + std::to_string(line_number) + ": " + e.what();
  } catch (...) {
    *error = "line " + std::to_string(line_number) + ": failed";
  }
  try {
    return ErrorLine({}, *error);
  } catch (...) {
    return "{\"id\":null,\"records\":[],\"error\":\"out of memory\"}";
  }
}

}  // namespace gleaner

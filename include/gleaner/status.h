// Status and Result<T>: how gleaner reports errors without exceptions.
//
//   gleaner::Result<gleaner::Extractor> ex = gleaner::Extractor::Create(options);
//   if (!ex.ok()) {
//     std::cerr << ex.status().ToString() << "\n";  // "rules/dates.json:41: rule 'date.x': ..."
//     return 1;
//   }
//
// A Status is either OK or carries a code, a message and, for rule-pack errors, the pack file,
// the 1-based line and the rule id where the problem is. GCC 12 has no std::expected in C++20,
// so Result<T> fills that role.
#ifndef GLEANER_STATUS_H_
#define GLEANER_STATUS_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace gleaner {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // a caller-supplied value is malformed (a bad reference date, say)
  kNotFound,         // a file, pack, lexicon, macro or normaliser does not exist
  kIoError,          // a file exists but could not be read
  kParseError,       // a pack or an input line is not valid JSON
  kInvalidRule,      // a pack parsed but a rule in it is wrong (bad pattern, unknown field, ...)
  kTestFailure,      // an embedded pack test or rule example did not hold
  kResourceLimit,    // an input or a pattern exceeds a configured limit
};

// Returns a stable lower-case name for `code`, e.g. "invalid_rule".
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  // The default Status is OK.
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message);
  // `file`, `line` and `rule_id` locate a missing thing a pack refers to, when known.
  static Status NotFound(std::string message, std::string file = {}, int line = 0,
                         std::string rule_id = {});
  static Status IoError(std::string message, std::string file = {}, int line = 0,
                        std::string rule_id = {});
  static Status ResourceLimit(std::string message, std::string file = {}, int line = 0,
                              std::string rule_id = {});
  // `line` is 1-based; 0 means unknown.
  static Status ParseError(std::string message, std::string file = {}, int line = 0);
  static Status InvalidRule(std::string message, std::string file, int line, std::string rule_id);
  static Status TestFailure(std::string message, std::string file = {}, int line = 0,
                            std::string rule_id = {});

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The rule pack file the error is in, or empty.
  const std::string& file() const { return file_; }
  // 1-based line in file(), or 0 when unknown.
  int line() const { return line_; }
  // The id of the rule (or lexicon, macro, test) the error is about, or empty.
  const std::string& rule_id() const { return rule_id_; }

  // "file:line: rule 'id': message [code]"; the parts that are unknown are left out.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message, std::string file, int line, std::string rule_id)
      : code_(code),
        message_(std::move(message)),
        file_(std::move(file)),
        line_(line),
        rule_id_(std::move(rule_id)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string file_;
  int line_ = 0;
  std::string rule_id_;
};

// Either a value of type T or a non-OK Status. Accessing value() of an error Result is a
// programming error: it throws std::bad_variant_access. Building one from an OK Status is
// also an error (asserted in debug builds).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "a Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // OK when the Result holds a value.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gleaner

#endif  // GLEANER_STATUS_H_

#include "gleaner/status.h"

namespace gleaner {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kParseError:
      return "parse_error";
    case StatusCode::kInvalidRule:
      return "invalid_rule";
    case StatusCode::kTestFailure:
      return "test_failure";
    case StatusCode::kResourceLimit:
      return "resource_limit";
  }
  return "unknown";
}

Status Status::InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m), {}, 0, {}};
}
Status Status::NotFound(std::string m, std::string file, int line, std::string rule_id) {
  return {StatusCode::kNotFound, std::move(m), std::move(file), line, std::move(rule_id)};
}
Status Status::IoError(std::string m, std::string file, int line, std::string rule_id) {
  return {StatusCode::kIoError, std::move(m), std::move(file), line, std::move(rule_id)};
}
Status Status::ResourceLimit(std::string m, std::string file, int line, std::string rule_id) {
  return {StatusCode::kResourceLimit, std::move(m), std::move(file), line, std::move(rule_id)};
}
Status Status::ParseError(std::string m, std::string file, int line) {
  return {StatusCode::kParseError, std::move(m), std::move(file), line, {}};
}
Status Status::InvalidRule(std::string m, std::string file, int line, std::string rule_id) {
  return {StatusCode::kInvalidRule, std::move(m), std::move(file), line, std::move(rule_id)};
}
Status Status::TestFailure(std::string m, std::string file, int line, std::string rule_id) {
  return {StatusCode::kTestFailure, std::move(m), std::move(file), line, std::move(rule_id)};
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out;
  if (!file_.empty()) {
    out.append(file_);
    if (line_ > 0) out.append(":").append(std::to_string(line_));
    out.append(": ");
  }
  if (!rule_id_.empty()) out.append("rule '").append(rule_id_).append("': ");
  out.append(message_).append(" [").append(StatusCodeName(code_)).append("]");
  return out;
}

}  // namespace gleaner

#include "gleaner/json.h"

#include <algorithm>

#include "output/schema.h"

#include <cmath>

namespace gleaner {
namespace {

using nlohmann::json;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
// Whole numbers are written as integers: "value": 25, not 25.0.
json Number(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  double d = *v;
  // Range first: casting a double outside long long's range is undefined.
  if (std::fabs(d) < 9e15 && d == std::trunc(d)) return static_cast<long long>(d);
  return d;
}

void Common(json& j, std::string_view type, const RecordBase& r) {
  j["type"] = type;
  j["begin"] = r.span.begin;
  j["end"] = r.span.end;
  j["text"] = r.text;
  j["rule"] = r.rule_id;
  j["pack"] = r.pack;
}

void ReadCommon(const json& j, RecordBase& r) {
  r.span.begin = j.at("begin").get<std::size_t>();
  r.span.end = j.at("end").get<std::size_t>();
  r.text = j.value("text", "");
  r.rule_id = j.value("rule", "");
  r.pack = j.value("pack", "");
}

}  // namespace

namespace {

// nlohmann values for each kind of schema field.
json ToJson(const std::string& s) { return OrNull(s); }
json ToJson(const std::optional<double>& v) { return Number(v); }
json ToJson(const std::optional<std::int64_t>& v) { return OrNull(v); }
json ToJson(std::int64_t v) { return v; }
json ToJson(bool v) { return v; }
template <typename SpanOpt>
json ToJson(const internal::SpanEdge<SpanOpt>& e) {
  return e.span ? json(e.end ? e.span->end : e.span->begin) : json(nullptr);
}

template <typename R>
void TypedToJson(json& j, const R& r) {
  Common(j, internal::TypeName(r), r);
  internal::VisitFields(r, [&j](std::string_view name, const auto& value, bool) {
    j[std::string(name)] = ToJson(value);
  });
}

}  // namespace

void to_json(json& j, const Date& r) { TypedToJson(j, r); }
void to_json(json& j, const Count& r) { TypedToJson(j, r); }
void to_json(json& j, const Location& r) { TypedToJson(j, r); }
void to_json(json& j, const Quote& r) { TypedToJson(j, r); }

void to_json(json& j, const Custom& r) {
  Common(j, r.type, r);
  // Not a structured binding: clang 14 cannot capture one in the lambda below.
  for (const auto& field : r.fields) {
    const std::string& name = field.first;
    std::visit(
        [&j, &name](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            j[name] = nullptr;
          } else if constexpr (std::is_same_v<T, double>) {
            j[name] = Number(v);
          } else {
            j[name] = v;
          }
        },
        field.second);
  }
}

void to_json(json& j, const Record& r) {
  std::visit([&](const auto& rec) { to_json(j, rec); }, r);
}

void to_json(json& j, const Extraction& e) {
  j["id"] = e.id;
  j["reference_date"] = OrNull(e.reference_date);
  j["records"] = json::array();
  for (const Record& r : e.records) {
    json rj;
    to_json(rj, r);
    j["records"].push_back(std::move(rj));
  }
  if (!e.warnings.empty()) j["warnings"] = e.warnings;
}

void to_json(json& j, const Decision& d) {
  j["begin"] = d.span.begin;
  j["end"] = d.span.end;
  j["text"] = d.text;
  j["type"] = d.type;
  j["rule"] = d.rule_id;
  j["pack"] = d.pack;
  j["stage"] = d.stage;
  j["outcome"] = OutcomeName(d.outcome);
  j["by"] = OrNull(d.by_rule);
  j["reason"] = OrNull(d.reason);
}

namespace {

// Reads each kind of schema field from j[name]; absent or null leaves the default.
void FromJson(const json& v, std::string& out) { out = v.is_null() ? "" : v.get<std::string>(); }
void FromJson(const json& v, std::optional<double>& out) {
  out = v.is_null() ? std::nullopt : std::optional<double>(v.get<double>());
}
void FromJson(const json& v, std::optional<std::int64_t>& out) {
  out = v.is_null() ? std::nullopt : std::optional<std::int64_t>(v.get<std::int64_t>());
}
void FromJson(const json& v, std::int64_t& out) { out = v.is_null() ? 0 : v.get<std::int64_t>(); }
void FromJson(const json& v, bool& out) { out = !v.is_null() && v.get<bool>(); }
void FromJson(const json& v, const internal::SpanEdge<std::optional<Span>>& e) {
  if (v.is_null()) {
    e.span.reset();
    return;
  }
  if (!e.span) e.span = Span{};
  (e.end ? e.span->end : e.span->begin) = v.get<std::size_t>();
}

template <typename R>
void TypedFromJson(const json& j, R& r) {
  ReadCommon(j, r);
  internal::VisitFields(r, [&j](std::string_view name, auto&& value, bool) {
    auto it = j.find(std::string(name));
    if (it != j.end()) FromJson(*it, value);
  });
}

}  // namespace

void from_json(const json& j, Date& r) { TypedFromJson(j, r); }
void from_json(const json& j, Count& r) { TypedFromJson(j, r); }
void from_json(const json& j, Location& r) { TypedFromJson(j, r); }
void from_json(const json& j, Quote& r) {
  TypedFromJson(j, r);
  // A span needs both ends.
  if (r.speaker_span && (!j.contains("speaker_begin") || !j.contains("speaker_end") ||
                         j["speaker_begin"].is_null() || j["speaker_end"].is_null()))
    r.speaker_span.reset();
}

void from_json(const json& j, Custom& r) {
  ReadCommon(j, r);
  r.type = j.at("type").get<std::string>();
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(std::begin(kBaseFieldNames), std::end(kBaseFieldNames), it.key()) !=
        std::end(kBaseFieldNames))
      continue;
    FieldValue v;
    if (it->is_boolean())
      v = it->get<bool>();
    else if (it->is_number())
      v = it->get<double>();
    else if (it->is_string())
      v = it->get<std::string>();
    else if (!it->is_null())
      v = it->dump();
    r.fields.emplace_back(it.key(), std::move(v));
  }
}

void from_json(const json& j, Record& r) {
  std::string type = j.at("type").get<std::string>();
  if (type == "date")
    r = j.get<Date>();
  else if (type == "count")
    r = j.get<Count>();
  else if (type == "location")
    r = j.get<Location>();
  else if (type == "quote")
    r = j.get<Quote>();
  else
    r = j.get<Custom>();
}

}  // namespace gleaner

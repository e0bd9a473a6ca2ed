#include "gleaner/json.h"

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

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}
std::optional<double> Num(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

void to_json(json& j, const Date& r) {
  Common(j, "date", r);
  j["timex_type"] = OrNull(r.timex_type);
  j["value"] = OrNull(r.value);
  j["mod"] = OrNull(r.mod);
}

void to_json(json& j, const Count& r) {
  Common(j, "count", r);
  j["value"] = Number(r.value);
  if (r.low || r.high) {
    j["low"] = Number(r.low);
    j["high"] = Number(r.high);
  }
  j["approximate"] = r.approximate;
  j["qualifier"] = OrNull(r.qualifier);
  j["unit"] = OrNull(r.unit);
  j["entity"] = OrNull(r.entity);
  j["event"] = OrNull(r.event);
}

void to_json(json& j, const Location& r) {
  Common(j, "location", r);
  j["name"] = OrNull(r.name);
  j["kind"] = OrNull(r.kind);
  j["country"] = OrNull(r.country);
  j["geonames_id"] = OrNull(r.geonames_id);
  j["lat"] = OrNull(r.lat);
  j["lon"] = OrNull(r.lon);
  j["feature"] = OrNull(r.feature);
  j["population"] = r.population;
}

void to_json(json& j, const Quote& r) {
  Common(j, "quote", r);
  j["speaker"] = OrNull(r.speaker);
  j["speaker_begin"] = r.speaker_span ? json(r.speaker_span->begin) : json(nullptr);
  j["speaker_end"] = r.speaker_span ? json(r.speaker_span->end) : json(nullptr);
  j["cue"] = OrNull(r.cue);
}

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

void from_json(const json& j, Date& r) {
  ReadCommon(j, r);
  r.timex_type = Str(j, "timex_type");
  r.value = Str(j, "value");
  r.mod = Str(j, "mod");
}

void from_json(const json& j, Count& r) {
  ReadCommon(j, r);
  r.value = Num(j, "value");
  r.low = Num(j, "low");
  r.high = Num(j, "high");
  r.approximate = j.value("approximate", false);
  r.qualifier = Str(j, "qualifier");
  r.unit = Str(j, "unit");
  r.entity = Str(j, "entity");
  r.event = Str(j, "event");
}

void from_json(const json& j, Location& r) {
  ReadCommon(j, r);
  r.name = Str(j, "name");
  r.kind = Str(j, "kind");
  r.country = Str(j, "country");
  if (auto it = j.find("geonames_id"); it != j.end() && !it->is_null())
    r.geonames_id = it->get<std::int64_t>();
  r.lat = Num(j, "lat");
  r.lon = Num(j, "lon");
  r.feature = Str(j, "feature");
  r.population = j.value("population", std::int64_t{0});
}

void from_json(const json& j, Quote& r) {
  ReadCommon(j, r);
  r.speaker = Str(j, "speaker");
  auto b = j.find("speaker_begin");
  auto e = j.find("speaker_end");
  if (b != j.end() && e != j.end() && !b->is_null() && !e->is_null())
    r.speaker_span = Span{b->get<std::size_t>(), e->get<std::size_t>()};
  r.cue = Str(j, "cue");
}

void from_json(const json& j, Custom& r) {
  ReadCommon(j, r);
  r.type = j.at("type").get<std::string>();
  static const char* const kCommon[] = {"type", "begin", "end", "text", "rule", "pack"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(std::begin(kCommon), std::end(kCommon), it.key()) != std::end(kCommon)) continue;
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

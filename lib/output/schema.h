// The schema of each record type: its fields, their names and kinds, in output order. Every
// writer and reader of records (the JSON writer, to_json and from_json, the TSV summary, the
// pack loader's reserved names) walks these functions, so a field is named in one place.
//
// VisitFields(record, visitor) calls visitor(name, value, summary) for each field, where value
// is a reference to the record's member (const when the record is) of one of these kinds:
//   std::string                 null when empty
//   std::optional<double>       a number, null when absent
//   std::optional<std::int64_t> an integer, null when absent
//   std::int64_t, bool          always present
//   SpanEdge                    one end of an optional span ("speaker_begin", "speaker_end")
// and `summary` says whether the one-line TSV summary shows it.
#ifndef GLEANER_LIB_OUTPUT_SCHEMA_H_
#define GLEANER_LIB_OUTPUT_SCHEMA_H_

#include <optional>
#include <string_view>
#include <type_traits>

#include "gleaner/records.h"

namespace gleaner::internal {

// One end of an optional span, written as its own field.
template <typename SpanOpt>
struct SpanEdge {
  SpanOpt& span;  // std::optional<Span>, maybe const
  bool end;       // the end offset, else the begin
};

template <typename R, typename V>
requires std::is_same_v<std::remove_const_t<R>, Date>
void VisitFields(R& r, V&& v) {
  v("timex_type", r.timex_type, true);
  v("value", r.value, true);
  v("mod", r.mod, true);
}

template <typename R, typename V>
requires std::is_same_v<std::remove_const_t<R>, Count>
void VisitFields(R& r, V&& v) {
  v("value", r.value, true);
  v("low", r.low, true);
  v("high", r.high, true);
  v("approximate", r.approximate, true);
  v("qualifier", r.qualifier, true);
  v("unit", r.unit, true);
  v("entity", r.entity, true);
  v("event", r.event, true);
}

template <typename R, typename V>
requires std::is_same_v<std::remove_const_t<R>, Location>
void VisitFields(R& r, V&& v) {
  v("name", r.name, true);
  v("kind", r.kind, true);
  v("country", r.country, true);
  v("geonames_id", r.geonames_id, true);
  v("lat", r.lat, false);
  v("lon", r.lon, false);
  v("feature", r.feature, false);
  v("population", r.population, false);
}

template <typename R, typename V>
requires std::is_same_v<std::remove_const_t<R>, Quote>
void VisitFields(R& r, V&& v) {
  using SpanOpt =
      std::conditional_t<std::is_const_v<R>, const std::optional<Span>, std::optional<Span>>;
  v("speaker", r.speaker, true);
  v("speaker_begin", SpanEdge<SpanOpt>{r.speaker_span, false}, false);
  v("speaker_end", SpanEdge<SpanOpt>{r.speaker_span, true}, false);
  v("cue", r.cue, true);
}

// The JSON type name of a record: "date", "count", "location", "quote", or the custom type.
inline std::string_view TypeName(const Date&) { return "date"; }
inline std::string_view TypeName(const Count&) { return "count"; }
inline std::string_view TypeName(const Location&) { return "location"; }
inline std::string_view TypeName(const Quote&) { return "quote"; }
inline std::string_view TypeName(const Custom& r) { return r.type; }

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_OUTPUT_SCHEMA_H_

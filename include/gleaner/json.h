// JSON conversion for records, using nlohmann/json (header-only; include this header only where
// you want JSON). Field names are those of the evaluation contract: every record has "type",
// "begin", "end", "text", "rule", "pack"; then
//   date:     "timex_type", "value", "mod"
//   count:    "value", "low", "high", "approximate", "qualifier", "unit", "entity", "event"
//   location: "name", "kind", "country", "geonames_id", "lat", "lon", "feature", "population"
//   quote:    "speaker", "speaker_begin", "speaker_end", "cue"
//   custom:   "type" is the rule's type; its fields follow by name.
// Unknown values are written as null. from_json accepts what to_json writes and throws
// nlohmann::json::exception on a missing "type"/"begin"/"end" or a wrong value type.
#ifndef GLEANER_JSON_H_
#define GLEANER_JSON_H_

#include <nlohmann/json.hpp>

#include "gleaner/extractor.h"
#include "gleaner/records.h"

namespace gleaner {

void to_json(nlohmann::json& j, const Date& r);
void to_json(nlohmann::json& j, const Count& r);
void to_json(nlohmann::json& j, const Location& r);
void to_json(nlohmann::json& j, const Quote& r);
void to_json(nlohmann::json& j, const Custom& r);
void to_json(nlohmann::json& j, const Record& r);
// {"id", "reference_date", "records": [...]}, plus "warnings" when there are any.
void to_json(nlohmann::json& j, const Extraction& e);
void to_json(nlohmann::json& j, const Decision& d);

void from_json(const nlohmann::json& j, Date& r);
void from_json(const nlohmann::json& j, Count& r);
void from_json(const nlohmann::json& j, Location& r);
void from_json(const nlohmann::json& j, Quote& r);
void from_json(const nlohmann::json& j, Custom& r);
// Dispatches on "type"; any type other than the four built-in ones becomes a Custom.
void from_json(const nlohmann::json& j, Record& r);

}  // namespace gleaner

#endif  // GLEANER_JSON_H_

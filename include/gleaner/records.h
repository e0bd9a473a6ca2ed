// The typed records gleaner extracts: Date, Count, Location, Quote, and Custom for user packs.
//
// Every record carries its span as UTF-8 byte offsets into the text passed to
// Extractor::Extract (begin inclusive, end exclusive), the matched text, and the id of the rule
// and the name of the pack that produced it, so any output can be traced back to its rule.
// An empty string field means "unknown / not applicable" and is written as JSON null.
#ifndef GLEANER_RECORDS_H_
#define GLEANER_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace gleaner {

// A half-open range of UTF-8 byte offsets [begin, end) into the original input.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
  bool operator==(const Span&) const = default;
};

// One word of a document's token stream, the one every part of gleaner reads: a maximal run of
// letters and digits (Unicode alphanumerics). Offsets are UTF-8 bytes into
// the document; its lookup key (FoldKey: lower case, no diacritics) is
// MatchView::key(token) for a normaliser.
struct Token {
  std::uint32_t begin = 0, end = 0;
  std::uint32_t key_begin = 0, key_size = 0;  // where MatchView::key finds its key
  bool capitalised = false;                   // its first code point is upper case
  bool has_ascii = false;                     // it has an ASCII byte
  Span span() const { return {begin, end}; }
};

// The JSON names of what every record has: a custom record's fields may not use them.
inline constexpr std::string_view kBaseFieldNames[] = {"type", "begin", "end",
                                                       "text", "rule",  "pack"};

// What every record has in common.
struct RecordBase {
  Span span;            // byte offsets into the input text
  std::string text;     // the input bytes of `span` (invalid UTF-8 repaired to U+FFFD)
  std::string rule_id;  // the rule that produced the record, e.g. "date.month_day"
  std::string pack;     // the pack the rule is in, e.g. "dates"
};

// A temporal expression normalised like a TIMEX3.
struct Date : RecordBase {
  std::string timex_type;  // "DATE", "TIME", "DURATION" or "SET"
  // The TIMEX3 value: "2020-09-05", "2020-W36", "2020-Q3", "P26Y", "PT3H", "PRESENT_REF",
  // "XXXX-09-05", "2020-09-05T14:00"; empty when the expression cannot be normalised.
  std::string value;
  std::string mod;  // "APPROX", "LESS_THAN", "MORE_THAN", "START", "MID", "END", ... or empty
};

// A count of things or people: "25 students were released".
struct Count : RecordBase {
  std::optional<double> value;  // the number; the low end of a range
  std::optional<double> low;    // for ranges ("20 to 30"): both ends
  std::optional<double> high;
  bool approximate = false;  // vague ("dozens") or hedged ("about 20") or a range
  std::string qualifier;     // "at_least", "more_than", "less_than", "at_most", "about", "up_to"
  std::string unit;          // empty for things and people, "percent" for percentages
  std::string entity;        // what is counted, as in the text: "students"
  std::string event;         // what happened to them, as in the text: "released"
};

// A place name resolved to a gazetteer entry.
struct Location : RecordBase {
  std::string name;     // the gazetteer's name: "Homyel'" for "Homel"
  std::string kind;     // "place", or "demonym" for "Polish" -> Poland
  std::string country;  // ISO 3166-1 alpha-2, e.g. "PL"
  std::optional<std::int64_t> geonames_id;
  std::optional<double> lat;  // WGS84 degrees
  std::optional<double> lon;
  std::string feature;  // GeoNames feature code: "PCLI", "ADM1", "PPLC", "PPL", ...
  std::int64_t population = 0;
};

// A quotation: the span is the words inside the quote marks.
struct Quote : RecordBase {
  std::string speaker;               // full name as first introduced in the document, or empty
  std::optional<Span> speaker_span;  // where the speaker (or the pronoun) is mentioned
  std::string cue;                   // the speech verb ("said"), or empty
};

// A scalar field value of a Custom record.
using FieldValue = std::variant<std::monostate, bool, double, std::string>;

// A record from a user pack (`"emit": "custom"`), with the fields its rule defines.
struct Custom : RecordBase {
  std::string type;  // the rule's "type", e.g. "drug_dose"
  std::vector<std::pair<std::string, FieldValue>> fields;
};

using Record = std::variant<Date, Count, Location, Quote, Custom>;

// The record type name used in JSON: "date", "count", "location", "quote", or the custom type.
std::string_view RecordType(const Record& record);
// The fields every record has, whatever its type.
const RecordBase& Base(const Record& record);

}  // namespace gleaner

#endif  // GLEANER_RECORDS_H_

// Writing records as JSON without building a JSON object: for batch output, where a document's
// records can take more memory as JSON objects than the document itself. The fields and their
// names are those of gleaner/json.h (and of the evaluation contract); only their order
// differs: "type", "begin", "end", "text", "rule", "pack", then the type's own fields.
#ifndef GLEANER_OUTPUT_H_
#define GLEANER_OUTPUT_H_

#include <string>
#include <string_view>

#include "gleaner/extractor.h"
#include "gleaner/records.h"

namespace gleaner {

// Appends `record` to `out` as one JSON object on one line. Unknown values are null; whole
// numbers are written as integers; invalid UTF-8 in any string becomes U+FFFD.
void AppendJson(std::string& out, const Record& record);

// Appends {"id", "reference_date", "records": [...]} (and "warnings" when there are any).
// With `record_per_line` each record starts a new line (still one valid JSON value).
void AppendJson(std::string& out, const Extraction& extraction, bool record_per_line = false);

// The same object in parts, for writing a long extraction record by record: the part before
// the records ({"id", "reference_date", "records": [), then each record (AppendJson, with
// commas between), then the part after them (], "warnings", }).
void AppendJsonOpening(std::string& out, const Extraction& extraction);
void AppendJsonClosing(std::string& out, const Extraction& extraction);

// Appends `s` as a JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace gleaner

#endif  // GLEANER_OUTPUT_H_

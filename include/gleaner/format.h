// Output formats: how the gleaner tool and the batch runners (gleaner/batch.h) write documents
// and their records. A document is written by AppendDocument, between FormatBegin and
// FormatEnd written once each; AppendDocument is thread-safe, so documents may be formatted on
// several threads and written in order.
#ifndef GLEANER_FORMAT_H_
#define GLEANER_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gleaner/extractor.h"

namespace gleaner {

enum class OutputFormat {
  kJson,    // per document, {"id", "reference_date", "records": [...]} with a record per line
  kJsonl,   // per document, that object on one line (the batch contract of gleaner/batch.h)
  kTsv,     // a table: a header line, then a line per record (gleaner/tsv.h's columns)
  kHtml,    // one self-contained page (no scripts, no network): each document's text with its
            // records highlighted by type, their values on hover, a legend and a table
  kTimeml,  // TimeML: the text with inline <TIMEX3 tid type value> tags, as HeidelTime and
            // SUTime write it; one TimeML document per document (TimeML tools take one a file)
};

// "json", "jsonl", "tsv", "html", "timeml"; nullopt for any other name.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
const char* OutputFormatName(OutputFormat format);

// One document to write. Views must stay valid during the call.
struct DocumentToFormat {
  std::string_view text;                   // the document (UTF-8; invalid bytes shown as U+FFFD)
  const Extraction* extraction = nullptr;  // its records; null when the document failed
  std::string_view id;                     // shown in the page, the table and TimeML's DOCID
  std::string_view id_json;                // the id as JSON, echoed byte for byte in JSON
                                           // formats ("null" when it has none); empty: `id`
                                           // written as a JSON string
  std::string_view extra_members;          // JSON formats: members echoed after the id, as
                                           // JSON text starting with a comma (",\"k\":1")
  std::string_view error;                  // why the document failed (extraction is null)
  const std::vector<Decision>* decisions = nullptr;  // HTML: every candidate and its fate
                                                     // (Extractor::Explain), shown in a table
};

// What comes before the first document: the HTML page's head and legend, the TSV header.
std::string FormatBegin(OutputFormat format);
// Appends one document. A failed one is an error object in JSON formats (the batch contract),
// a notice in HTML, and nothing in TSV and TimeML (report it on stderr).
void AppendDocument(std::string& out, OutputFormat format, const DocumentToFormat& document);
// What comes after the last document: the end of the HTML page.
std::string FormatEnd(OutputFormat format);

}  // namespace gleaner

#endif  // GLEANER_FORMAT_H_

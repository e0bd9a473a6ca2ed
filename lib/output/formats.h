// The writers behind gleaner/format.h, one file each.
#ifndef GLEANER_LIB_OUTPUT_FORMATS_H_
#define GLEANER_LIB_OUTPUT_FORMATS_H_

#include <string>
#include <string_view>

#include "gleaner/format.h"

namespace gleaner::internal {

// The fields of the record's schema marked for a summary, as "key=value" pairs separated by
// spaces (the TSV "value" column, the HTML hover text).
std::string RecordSummary(const Record& record);

// Appends the UTF-8 sequence at s[i] (a byte >= 0x80) and returns the index after it; an
// invalid sequence becomes U+FFFD, and with `xml` so do U+FFFE and U+FFFF (XML cannot hold
// them). The writers' one decoder of what they copy through.
std::size_t AppendMultiByte(std::string& out, std::string_view s, std::size_t i, bool xml);

// Appends `text` escaped for XML and HTML text and attribute values (&, <, >, ", ' and CR as
// character references, so that a parser gives back the same text), invalid UTF-8 as U+FFFD,
// and control characters other than tab, CR and LF as U+FFFD (XML 1.0 cannot hold them).
void AppendXmlEscaped(std::string& out, std::string_view text);

std::string HtmlBegin();
void AppendHtmlDocument(std::string& out, const DocumentToFormat& document);
std::string HtmlEnd();

void AppendTimemlDocument(std::string& out, const DocumentToFormat& document);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_OUTPUT_FORMATS_H_

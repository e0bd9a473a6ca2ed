// A tab-separated table of records for people to read: one record a line,
// columns: doc, begin, end, type, text, value (the type's main fields), rule.
// Tabs and line breaks inside fields are written as spaces.
#ifndef GLEANER_TSV_H_
#define GLEANER_TSV_H_

#include <ostream>

#include "gleaner/extractor.h"

namespace gleaner {

// Writes the header line "doc\tbegin\tend\ttype\ttext\tvalue\trule".
void WriteTsvHeader(std::ostream& out);
// Writes one line per record of `extraction`.
void WriteTsv(std::ostream& out, const Extraction& extraction);

}  // namespace gleaner

#endif  // GLEANER_TSV_H_

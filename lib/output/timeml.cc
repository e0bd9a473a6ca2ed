// --format timeml: the document with inline TIMEX3 tags, as HeidelTime and SUTime write it, for
// TimeML tools. Dates carry tid, type (DATE, TIME, DURATION, SET), value and mod when known; the
// reference date is the DCT (functionInDocument="CREATION_TIME"). Other record types are not
// TimeML and are left out.
#include <string>
#include <vector>

#include "output/formats.h"

namespace gleaner::internal {

void AppendTimemlDocument(std::string& out, const DocumentToFormat& d) {
  if (d.extraction == nullptr) return;
  const Extraction& e = *d.extraction;
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE TimeML SYSTEM \"TimeML.dtd\">\n"
      "<TimeML>\n<DOCID>";
  AppendXmlEscaped(out, d.id);
  out += "</DOCID>\n";
  if (!e.reference_date.empty()) {
    std::string dct = e.reference_date.substr(0, 10);
    out += "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"" + dct +
           "\" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">" + dct +
           "</TIMEX3></DCT>\n";
  }
  out += "<TEXT>";
  std::size_t at = 0;
  int tid = 0;
  for (const Record& r : e.records) {
    const auto* date = std::get_if<Date>(&r);
    if (date == nullptr) continue;
    // Dates never overlap one another (the conflict order keeps one); a malformed span is
    // left untagged rather than breaking the XML.
    if (date->span.begin < at || date->span.end > d.text.size() ||
        date->span.end < date->span.begin)
      continue;
    AppendXmlEscaped(out, d.text.substr(at, date->span.begin - at));
    out += "<TIMEX3 tid=\"t" + std::to_string(++tid) + "\" type=\"";
    AppendXmlEscaped(out, date->timex_type.empty() ? std::string("DATE") : date->timex_type);
    out += '"';
    if (!date->value.empty()) {
      out += " value=\"";
      AppendXmlEscaped(out, date->value);
      out += '"';
    }
    if (!date->mod.empty()) {
      out += " mod=\"";
      AppendXmlEscaped(out, date->mod);
      out += '"';
    }
    out += '>';
    AppendXmlEscaped(out, d.text.substr(date->span.begin, date->span.end - date->span.begin));
    out += "</TIMEX3>";
    at = date->span.end;
  }
  AppendXmlEscaped(out, d.text.substr(at));
  out += "</TEXT>\n</TimeML>\n";
}

}  // namespace gleaner::internal

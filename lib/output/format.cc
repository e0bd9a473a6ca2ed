// The output formats' dispatch, and the JSON and TSV ones (HTML and TimeML have files of their
// own).
#include "gleaner/format.h"

#include "gleaner/output.h"
#include "output/formats.h"

namespace gleaner {
namespace {

constexpr std::pair<OutputFormat, const char*> kNames[] = {
    {OutputFormat::kJson, "json"}, {OutputFormat::kJsonl, "jsonl"},   {OutputFormat::kTsv, "tsv"},
    {OutputFormat::kHtml, "html"}, {OutputFormat::kTimeml, "timeml"},
};

void AppendId(std::string& out, const DocumentToFormat& d) {
  if (d.id_json.empty()) {
    AppendJsonString(out, d.id);
  } else {
    out += d.id_json;
  }
}

// The batch contract's object: {"id", extra members, "reference_date", "records", "warnings"}
// or {"id", extra members, "records": [], "error"}.
void AppendJsonDocument(std::string& out, const DocumentToFormat& d, bool record_per_line) {
  out += "{\"id\":";
  AppendId(out, d);
  out += d.extra_members;
  if (d.extraction == nullptr) {
    out += ",\"records\":[],\"error\":";
    AppendJsonString(out, d.error);
    out += '}';
    return;
  }
  const Extraction& e = *d.extraction;
  out += ",\"reference_date\":";
  if (e.reference_date.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, e.reference_date);
  }
  out += ",\"records\":[";
  for (std::size_t i = 0; i < e.records.size(); ++i) {
    if (i > 0) out += ',';
    if (record_per_line) out += '\n';
    AppendJson(out, e.records[i]);
  }
  if (record_per_line && !e.records.empty()) out += '\n';
  AppendJsonClosing(out, e);
}

// TSV cells hold no tabs or line breaks.
void AppendCell(std::string& out, std::string_view s) {
  for (char c : s) out += c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
}

void AppendTsvDocument(std::string& out, const DocumentToFormat& d) {
  if (d.extraction == nullptr) return;
  for (const Record& r : d.extraction->records) {
    const RecordBase& b = Base(r);
    AppendCell(out, d.id);
    out += '\t' + std::to_string(b.span.begin) + '\t' + std::to_string(b.span.end) + '\t';
    out += RecordType(r);
    out += '\t';
    AppendCell(out, b.text);
    out += '\t';
    AppendCell(out, internal::RecordSummary(r));
    out += '\t';
    out += b.rule_id;
    out += '\n';
  }
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  for (const auto& [format, n] : kNames)
    if (name == n) return format;
  return std::nullopt;
}

const char* OutputFormatName(OutputFormat format) {
  for (const auto& [f, n] : kNames)
    if (f == format) return n;
  return "?";
}

std::string FormatBegin(OutputFormat format) {
  if (format == OutputFormat::kTsv) return "doc\tbegin\tend\ttype\ttext\tvalue\trule\n";
  if (format == OutputFormat::kHtml) return internal::HtmlBegin();
  return {};
}

void AppendDocument(std::string& out, OutputFormat format, const DocumentToFormat& document) {
  switch (format) {
    case OutputFormat::kJson:
    case OutputFormat::kJsonl:
      AppendJsonDocument(out, document, format == OutputFormat::kJson);
      out += '\n';
      return;
    case OutputFormat::kTsv:
      AppendTsvDocument(out, document);
      return;
    case OutputFormat::kHtml:
      internal::AppendHtmlDocument(out, document);
      return;
    case OutputFormat::kTimeml:
      internal::AppendTimemlDocument(out, document);
      return;
  }
}

std::string FormatEnd(OutputFormat format) {
  return format == OutputFormat::kHtml ? internal::HtmlEnd() : std::string();
}

namespace internal {

void AppendXmlEscaped(std::string& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      i = AppendMultiByte(out, s, i, /*xml=*/true);
      continue;
    }
    ++i;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':  // a parser would turn CR and CRLF into LF: the text would change
        out += "&#13;";
        break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

}  // namespace internal
}  // namespace gleaner

// --format html: one self-contained page, readable without scripts or network. The contract
// (README, "The HTML view"): each record is one <mark> element in the article, carrying
// data-type, data-begin and data-end (byte offsets into the document, as in JSON) and
// data-summary (its main fields); the article's text content is the document, unchanged.
#include <algorithm>
#include <string>
#include <vector>

#include "gleaner/output.h"
#include "output/formats.h"

namespace gleaner::internal {
namespace {

constexpr char kHead[] = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gleaner">
<title>gleaner: records in the text</title>
<style>
body { font: 16px/1.6 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; margin: 0.5rem 0; }
h2 { font-size: 1.1rem; margin: 2rem 0 0.25rem; border-top: 1px solid #ccc; padding-top: 1rem; }
.legend span.key { display: inline-block; margin-right: 1rem; padding: 0 0.4rem; border-radius: 3px; }
.meta { color: #555; font-size: 0.9rem; margin: 0 0 0.75rem; }
.article { white-space: pre-wrap; overflow-wrap: anywhere; font-family: Georgia, serif; font-size: 1.05rem; }
mark { position: relative; color: inherit; border-radius: 3px; padding: 0 1px; }
mark.date, .key.date, tr.date td.type { background: #cfe3ff; }
mark.count, .key.count, tr.count td.type { background: #c9f0cf; }
mark.location, .key.location, tr.location td.type { background: #ffdcb3; }
mark.quote, .key.quote, tr.quote td.type { background: #efe0ff; }
mark.other, .key.other, tr.other td.type { background: #e4e4e4; }
mark.quote { background: #f6efff; box-shadow: inset 0 -2px #a77bdb; }
mark.clipped { box-shadow: inset -2px 0 #c00; }
mark:hover::after { content: attr(data-type) ": " attr(data-summary); position: absolute; left: 0; top: 1.6em; z-index: 10;
  background: #222; color: #fff; font: 12px/1.4 system-ui, sans-serif; padding: 2px 6px; border-radius: 3px; white-space: pre; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.85rem; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: #a00; font-weight: bold; }
details { margin: 0.5rem 0; }
</style>
</head>
<body>
<h1>gleaner: records in the text</h1>
<p class="legend"><span class="key date">date</span><span class="key count">count</span><span class="key location">location</span><span class="key quote">quote</span><span class="key other">other types</span>
Hover over a highlighted span for its values; every record is also in the table below its article.</p>
)";

constexpr char kFoot[] = "</body>\n</html>\n";

std::string_view Css(std::string_view type) {
  if (type == "date" || type == "count" || type == "location" || type == "quote") return type;
  return "other";
}

void AppendMark(std::string& out, const Record& r, std::size_t shown_end) {
  const RecordBase& b = Base(r);
  std::string_view type = RecordType(r);
  out += "<mark class=\"";
  out += Css(type);
  if (shown_end < b.span.end) out += " clipped";
  out += "\" data-type=\"";
  AppendXmlEscaped(out, type);
  out += "\" data-begin=\"" + std::to_string(b.span.begin) + "\" data-end=\"" +
         std::to_string(b.span.end) + "\" data-rule=\"";
  AppendXmlEscaped(out, b.rule_id);
  out += "\" data-summary=\"";
  std::string summary = RecordSummary(r);
  AppendXmlEscaped(out, summary);
  out += "\" title=\"";
  AppendXmlEscaped(out, std::string(type) + ": " + summary + " (" + b.rule_id + ")");
  out += "\">";
}

// The document's text with a <mark> around each record. Records nest (a quotation holds a
// date); one that crosses the end of the record it starts inside is shown up to that end only
// (class "clipped", its data-end still the true end), so each record is exactly one element
// and the text appears once, whole.
void AppendArticle(std::string& out, std::string_view text, const std::vector<Record>& records) {
  std::vector<const Record*> order;
  for (const Record& r : records) {
    const Span& s = Base(r).span;
    if (s.begin <= s.end && s.end <= text.size()) order.push_back(&r);
  }
  std::stable_sort(order.begin(), order.end(), [](const Record* a, const Record* b) {
    const Span &x = Base(*a).span, &y = Base(*b).span;
    return x.begin != y.begin ? x.begin < y.begin : x.end > y.end;
  });
  out += "<div class=\"article\">";
  std::vector<std::size_t> open;  // the shown ends of the marks open now, innermost last
  std::size_t at = 0;
  auto text_to = [&](std::size_t to) {
    if (to > at) AppendXmlEscaped(out, text.substr(at, to - at));
    at = std::max(at, to);
  };
  auto close_to = [&](std::size_t pos) {
    while (!open.empty() && open.back() <= pos) {
      text_to(open.back());
      out += "</mark>";
      open.pop_back();
    }
  };
  for (const Record* r : order) {
    const Span& s = Base(*r).span;
    close_to(s.begin);
    text_to(s.begin);
    std::size_t shown_end = open.empty() ? s.end : std::min(s.end, open.back());
    AppendMark(out, *r, shown_end);
    open.push_back(shown_end);
  }
  close_to(text.size());
  text_to(text.size());
  out += "</div>\n";
}

void AppendCellText(std::string& out, std::string_view s, std::size_t max_bytes = 300) {
  if (s.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    AppendXmlEscaped(out, s.substr(0, cut));
    out += "\xE2\x80\xA6";  // …
    return;
  }
  AppendXmlEscaped(out, s);
}

void AppendRecordTable(std::string& out, const std::vector<Record>& records) {
  out +=
      "<table class=\"records\">\n<thead><tr><th>begin</th><th>end</th><th>type</th>"
      "<th>text</th><th>values</th><th>rule</th></tr></thead>\n<tbody>\n";
  for (const Record& r : records) {
    const RecordBase& b = Base(r);
    out += "<tr class=\"";
    out += Css(RecordType(r));
    out += "\"><td class=\"n\">" + std::to_string(b.span.begin) + "</td><td class=\"n\">" +
           std::to_string(b.span.end) + "</td><td class=\"type\">";
    AppendXmlEscaped(out, RecordType(r));
    out += "</td><td>";
    AppendCellText(out, b.text);
    out += "</td><td>";
    AppendXmlEscaped(out, RecordSummary(r));
    out += "</td><td>";
    AppendXmlEscaped(out, b.rule_id);
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void AppendDecisionTable(std::string& out, const std::vector<Decision>& decisions) {
  std::size_t shown = 0;
  for (const Decision& d : decisions) shown += d.outcome != Decision::Outcome::kAccepted;
  out += "<details open><summary>" + std::to_string(shown) +
         " candidates that are not records: vetoed, lost to another, rejected by their "
         "normaliser, or dropped by a document pass</summary>\n"
         "<table class=\"decisions\">\n<thead><tr><th>begin</th><th>end</th><th>type</th>"
         "<th>text</th><th>outcome</th><th>rule</th><th>by</th><th>reason</th></tr></thead>\n"
         "<tbody>\n";
  for (const Decision& d : decisions) {
    if (d.outcome == Decision::Outcome::kAccepted) continue;
    out += "<tr class=\"";
    out += Css(d.type);
    out += "\"><td class=\"n\">" + std::to_string(d.span.begin) + "</td><td class=\"n\">" +
           std::to_string(d.span.end) + "</td><td class=\"type\">";
    AppendXmlEscaped(out, d.type);
    out += "</td><td>";
    AppendCellText(out, d.text);
    out += "</td><td>";
    out += OutcomeName(d.outcome);
    for (const std::string* cell : {&d.rule_id, &d.by_rule, &d.reason}) {
      out += "</td><td>";
      AppendXmlEscaped(out, *cell);
    }
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n</details>\n";
}

}  // namespace

std::string HtmlBegin() { return kHead; }
std::string HtmlEnd() { return kFoot; }

void AppendHtmlDocument(std::string& out, const DocumentToFormat& d) {
  out += "<section class=\"document\" data-id=\"";
  AppendXmlEscaped(out, d.id);
  out += "\">\n<h2>";
  AppendXmlEscaped(out, d.id.empty() ? std::string_view("(no id)") : d.id);
  out += "</h2>\n";
  if (d.extraction == nullptr) {
    out += "<p class=\"error\">";
    AppendXmlEscaped(out, d.error);
    out += "</p>\n</section>\n";
    return;
  }
  const Extraction& e = *d.extraction;
  out += "<p class=\"meta\">reference date: ";
  AppendXmlEscaped(out, e.reference_date.empty() ? "unknown" : e.reference_date);
  out += "; " + std::to_string(e.records.size()) + " records; " + std::to_string(d.text.size()) +
         " bytes";
  for (const std::string& w : e.warnings) {
    out += "; warning: ";
    AppendXmlEscaped(out, w);
  }
  out += "</p>\n";
  AppendArticle(out, d.text, e.records);
  AppendRecordTable(out, e.records);
  if (d.decisions != nullptr) AppendDecisionTable(out, *d.decisions);
  out += "</section>\n";
}

}  // namespace gleaner::internal

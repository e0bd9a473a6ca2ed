// The streaming JSON writer (gleaner/output.h): records appended to a string, walking each
// type's schema (output/schema.h).
#include <unicode/utf8.h>

#include <algorithm>

#include <charconv>
#include <cmath>

#include "gleaner/output.h"
#include "output/formats.h"
#include "output/schema.h"

namespace gleaner {
namespace {

void AppendNull(std::string& out) { out += "null"; }

// Whole numbers as integers ("value": 25, not 25.0), others in their shortest exact form.
void AppendNumber(std::string& out, double d) {
  if (!std::isfinite(d)) return AppendNull(out);
  char buf[32];
  // Range first: converting a double outside long long's range is undefined.
  auto r = std::fabs(d) < 9e15 && d == std::trunc(d)
               ? std::to_chars(buf, buf + sizeof buf, static_cast<long long>(d))
               : std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

void AppendInteger(std::string& out, long long v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void AppendValue(std::string& out, const std::string& s) {
  if (s.empty()) return AppendNull(out);
  AppendJsonString(out, s);
}
void AppendValue(std::string& out, const std::optional<double>& v) {
  if (!v) return AppendNull(out);
  AppendNumber(out, *v);
}
void AppendValue(std::string& out, const std::optional<std::int64_t>& v) {
  if (!v) return AppendNull(out);
  AppendInteger(out, *v);
}
void AppendValue(std::string& out, std::int64_t v) { AppendInteger(out, v); }
void AppendValue(std::string& out, bool v) { out += v ? "true" : "false"; }
template <typename SpanOpt>
void AppendValue(std::string& out, const internal::SpanEdge<SpanOpt>& e) {
  if (!e.span) return AppendNull(out);
  AppendInteger(out, static_cast<long long>(e.end ? e.span->end : e.span->begin));
}
void AppendValue(std::string& out, const FieldValue& v) {
  if (auto* s = std::get_if<std::string>(&v)) return AppendJsonString(out, *s);
  if (auto* d = std::get_if<double>(&v)) return AppendNumber(out, *d);
  if (auto* b = std::get_if<bool>(&v)) return AppendValue(out, *b);
  AppendNull(out);
}

void AppendKey(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;  // schema names and pack field names: no characters that need escaping
  out += "\":";
}

void AppendBase(std::string& out, std::string_view type, const RecordBase& r) {
  out += "{\"type\":";
  AppendJsonString(out, type);
  out += ",\"begin\":";
  AppendInteger(out, static_cast<long long>(r.span.begin));
  out += ",\"end\":";
  AppendInteger(out, static_cast<long long>(r.span.end));
  out += ",\"text\":";
  AppendJsonString(out, r.text);
  out += ",\"rule\":";
  AppendJsonString(out, r.rule_id);
  out += ",\"pack\":";
  AppendJsonString(out, r.pack);
}

template <typename R>
void AppendTyped(std::string& out, const R& r) {
  AppendBase(out, internal::TypeName(r), r);
  internal::VisitFields(r, [&out](std::string_view name, const auto& value, bool) {
    AppendKey(out, name);
    AppendValue(out, value);
  });
  out += '}';
}

void AppendTyped(std::string& out, const Custom& r) {
  AppendBase(out, r.type, r);
  for (const auto& [name, value] : r.fields) {
    out += ',';
    AppendJsonString(out, name);
    out += ':';
    AppendValue(out, value);
  }
  out += '}';
}

}  // namespace

namespace internal {

std::size_t AppendMultiByte(std::string& out, std::string_view s, std::size_t i, bool xml) {
  // Decoded from i on, so that offsets past 2 GiB do not overflow ICU's int32_t.
  int32_t at = 0, length = static_cast<int32_t>(std::min<std::size_t>(s.size() - i, 4));
  UChar32 cp;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data() + i), at, length, cp);
  if (cp < 0 || (xml && (cp == 0xFFFE || cp == 0xFFFF))) {
    out += "\xEF\xBF\xBD";  // U+FFFD
  } else {
    out.append(s.data() + i, static_cast<std::size_t>(at));
  }
  return i + static_cast<std::size_t>(at);
}

}  // namespace internal

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      i = internal::AppendMultiByte(out, s, i, /*xml=*/false);
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void AppendJson(std::string& out, const Record& record) {
  std::visit([&out](const auto& r) { AppendTyped(out, r); }, record);
}

void AppendJsonOpening(std::string& out, const Extraction& e) {
  out += "{\"id\":";
  AppendJsonString(out, e.id);
  out += ",\"reference_date\":";
  AppendValue(out, e.reference_date);
  out += ",\"records\":[";
}

void AppendJson(std::string& out, const Extraction& e, bool record_per_line) {
  AppendJsonOpening(out, e);
  for (std::size_t i = 0; i < e.records.size(); ++i) {
    if (i > 0) out += ',';
    if (record_per_line) out += '\n';
    AppendJson(out, e.records[i]);
  }
  if (record_per_line && !e.records.empty()) out += '\n';
  AppendJsonClosing(out, e);
}

void AppendJsonClosing(std::string& out, const Extraction& e) {
  out += ']';
  if (!e.warnings.empty()) {
    out += ",\"warnings\":[";
    for (std::size_t i = 0; i < e.warnings.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, e.warnings[i]);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace gleaner

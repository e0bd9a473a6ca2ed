#include "gleaner/tsv.h"

#include <string_view>

#include "output/formats.h"
#include "output/schema.h"

#include <cmath>
#include <sstream>

namespace gleaner {
namespace {

std::string Num(double v) {
  std::ostringstream o;
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    o << static_cast<long long>(std::llround(v));
  } else {
    o << v;
  }
  return o.str();
}

// "key=value" for a schema field worth a reader's eye; empty when it has no value.
std::string Pair(std::string_view key, const std::string& v) {
  return v.empty() ? "" : std::string(key) + "=" + v;
}
std::string Pair(std::string_view key, const std::optional<double>& v) {
  return v ? std::string(key) + "=" + Num(*v) : "";
}
std::string Pair(std::string_view key, const std::optional<std::int64_t>& v) {
  return v ? std::string(key) + "=" + std::to_string(*v) : "";
}
std::string Pair(std::string_view key, std::int64_t v) {
  return std::string(key) + "=" + std::to_string(v);
}
std::string Pair(std::string_view key, bool v) { return v ? std::string(key) + "=true" : ""; }
template <typename SpanOpt>
std::string Pair(std::string_view, const internal::SpanEdge<SpanOpt>&) {
  return "";
}
std::string Pair(std::string_view key, const FieldValue& v) {
  if (auto* s = std::get_if<std::string>(&v)) return Pair(key, *s);
  if (auto* n = std::get_if<double>(&v)) return Pair(key, std::optional<double>(*n));
  if (auto* b = std::get_if<bool>(&v)) return Pair(key, *b);
  return "";
}

}  // namespace

namespace internal {

std::string RecordSummary(const Record& r) {
  std::string out;
  auto add = [&out](std::string_view key, const auto& value, bool summary) {
    if (!summary) return;
    std::string pair = Pair(key, value);
    if (pair.empty()) return;
    if (!out.empty()) out += ' ';
    out += pair;
  };
  std::visit(
      [&](const auto& rec) {
        using T = std::decay_t<decltype(rec)>;
        if constexpr (std::is_same_v<T, Custom>) {
          for (const auto& [k, v] : rec.fields) add(k, v, true);
        } else {
          internal::VisitFields(rec, add);
        }
      },
      r);
  return out;
}

}  // namespace internal

void WriteTsvHeader(std::ostream& out) { out << FormatBegin(OutputFormat::kTsv); }

void WriteTsv(std::ostream& out, const Extraction& e) {
  std::string rows;
  DocumentToFormat document;
  document.extraction = &e;
  document.id = e.id;
  AppendDocument(rows, OutputFormat::kTsv, document);
  out << rows;
}

}  // namespace gleaner

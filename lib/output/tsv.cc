#include "gleaner/tsv.h"

#include <cmath>
#include <sstream>

namespace gleaner {
namespace {

std::string Clean(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string Num(double v) {
  std::ostringstream o;
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    o << static_cast<long long>(std::llround(v));
  } else {
    o << v;
  }
  return o.str();
}

// The fields a reader wants to see for each type, as "key=value" pairs.
std::string Summary(const Record& r) {
  std::ostringstream o;
  auto kv = [&](const char* k, const std::string& v) {
    if (!v.empty()) o << (o.tellp() > 0 ? " " : "") << k << "=" << v;
  };
  if (auto* d = std::get_if<Date>(&r)) {
    kv("type", d->timex_type);
    kv("value", d->value);
    kv("mod", d->mod);
  } else if (auto* c = std::get_if<Count>(&r)) {
    kv("value", c->value ? Num(*c->value) : "");
    if (c->high) kv("high", Num(*c->high));
    if (c->approximate) kv("approx", "yes");
    kv("qualifier", c->qualifier);
    kv("unit", c->unit);
    kv("entity", c->entity);
    kv("event", c->event);
  } else if (auto* l = std::get_if<Location>(&r)) {
    kv("name", l->name);
    kv("kind", l->kind);
    kv("country", l->country);
    kv("geonames", l->geonames_id ? std::to_string(*l->geonames_id) : "");
  } else if (auto* q = std::get_if<Quote>(&r)) {
    kv("speaker", q->speaker);
    kv("cue", q->cue);
  } else if (auto* u = std::get_if<Custom>(&r)) {
    for (const auto& [k, v] : u->fields) {
      if (auto* s = std::get_if<std::string>(&v))
        kv(k.c_str(), *s);
      else if (auto* n = std::get_if<double>(&v))
        kv(k.c_str(), Num(*n));
      else if (auto* b = std::get_if<bool>(&v))
        kv(k.c_str(), *b ? "true" : "false");
    }
  }
  return o.str();
}

}  // namespace

void WriteTsvHeader(std::ostream& out) { out << "doc\tbegin\tend\ttype\ttext\tvalue\trule\n"; }

void WriteTsv(std::ostream& out, const Extraction& e) {
  for (const Record& r : e.records) {
    const RecordBase& b = Base(r);
    out << Clean(e.id) << '\t' << b.span.begin << '\t' << b.span.end << '\t' << RecordType(r)
        << '\t' << Clean(b.text) << '\t' << Clean(Summary(r)) << '\t' << b.rule_id << '\n';
  }
}

}  // namespace gleaner

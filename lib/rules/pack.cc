#include "rules/pack.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <set>

#include "gleaner/records.h"
#include "text/text.h"

namespace gleaner::internal {
namespace {

using nlohmann::json;

// No expanded pattern may exceed this: macros nest, and a pack should not be able to make the
// loader build gigabyte strings.
constexpr std::size_t kMaxExpandedPattern = std::size_t{1} << 20;
// Largest pack and lexicon files read (CheckDataFile).
constexpr std::uintmax_t kMaxPackFile = std::uintmax_t{64} << 20;
constexpr std::uintmax_t kMaxLexiconFile = std::uintmax_t{64} << 20;
namespace fs = std::filesystem;

// The first capture name that stands twice in `pattern` ("(?P<x>a)|(?P<x>b)"), or "".
std::string RepeatedCaptureName(const std::string& pattern) {
  std::set<std::string> seen;
  for (std::size_t at = pattern.find("(?P<"); at != std::string::npos;
       at = pattern.find("(?P<", at + 4)) {
    std::size_t backslashes = 0;
    while (backslashes < at && pattern[at - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1) continue;  // an escaped "\(" is no group
    std::size_t close = pattern.find('>', at + 4);
    if (close == std::string::npos) break;
    if (!seen.insert(pattern.substr(at + 4, close - at - 4)).second)
      return pattern.substr(at + 4, close - at - 4);
  }
  return {};
}

int LineAt(const std::string& raw, std::size_t byte) {
  byte = std::min(byte, raw.size());
  return 1 + static_cast<int>(std::count(raw.begin(), raw.begin() + byte, '\n'));
}

// The lines of a pack's text, indexed once: every rule, lexicon and test asks for its line.
class LineIndex {
 public:
  explicit LineIndex(const std::string& raw) : raw_(raw) {
    for (std::size_t i = 0; i < raw.size(); ++i)
      if (raw[i] == '\n') newlines_.push_back(i);
  }
  const std::string& raw() const { return raw_; }
  int LineAt(std::size_t byte) const {
    return 1 + static_cast<int>(std::lower_bound(newlines_.begin(), newlines_.end(), byte) -
                                newlines_.begin());
  }

 private:
  const std::string& raw_;
  std::vector<std::size_t> newlines_;
};

// The line of the first `"key": "value"` (or `"key":` when value is empty) at or after `from`.
// nlohmann/json keeps no positions, so lines are found in the raw text; ids are unique, which
// makes this exact for rules.
int FindLine(const LineIndex& lines, const std::string& key, const std::string& value,
             std::size_t from = 0, std::size_t* found_at = nullptr) {
  const std::string& raw = lines.raw();
  std::string quoted_key = "\"" + key + "\"";
  std::size_t pos = from;
  while ((pos = raw.find(quoted_key, pos)) != std::string::npos) {
    std::size_t p = pos + quoted_key.size();
    while (p < raw.size() && std::isspace(static_cast<unsigned char>(raw[p]))) ++p;
    if (p < raw.size() && raw[p] == ':') {
      ++p;
      while (p < raw.size() && std::isspace(static_cast<unsigned char>(raw[p]))) ++p;
      if (value.empty() || raw.compare(p, value.size() + 2, "\"" + value + "\"") == 0) {
        if (found_at) *found_at = pos;
        return lines.LineAt(pos);
      }
    }
    pos += quoted_key.size();
  }
  return 0;
}

class PackReader {
 public:
  PackReader(std::string file, std::string raw, const PackIndex& earlier,
             long long max_pattern_memory)
      : file_(std::move(file)),
        raw_(std::move(raw)),
        lines_(raw_),
        earlier_(earlier),
        max_pattern_memory_(max_pattern_memory) {}

  Status Read(const json& j, Pack& pack, std::size_t* next_order);
  // Where reading stands (the rule, lexicon or test being read), for errors found elsewhere.
  int line() const { return at_line_; }
  const std::string& id() const { return at_id_; }

 private:
  void At(int line, const std::string& id) {
    at_line_ = line;
    at_id_ = id;
  }
  Status Error(const std::string& msg, int line, const std::string& id = {}) const {
    return Status::InvalidRule(msg, file_, line, id);
  }
  Status CheckKeys(const json& obj, const std::set<std::string>& allowed, const std::string& what,
                   int line, const std::string& id) const;
  // obj[key] when it has the type asked for (bool or std::string), `fallback` when it is
  // absent; otherwise an error that names the key and what it holds.
  template <typename T>
  Status Typed(const json& obj, const char* key, const T& fallback, T* out, int line,
               const std::string& id) const;
  Status Flag(const json& obj, const char* key, bool fallback, bool* out, int line,
              const std::string& id) const {
    return Typed(obj, key, fallback, out, line, id);
  }
  Status Text(const json& obj, const char* key, const std::string& fallback, std::string* out,
              int line, const std::string& id) const {
    return Typed(obj, key, fallback, out, line, id);
  }
  Status ReadLexicon(const std::string& name, const json& def, Pack& pack);
  Status Expand(const std::string& in, const Pack& pack, const std::string& id, int line,
                std::vector<std::string>& active, std::string* out) const;
  Status ReadPattern(const json& v, const Pack& pack, const std::string& id, int line,
                     std::string* out) const;
  Status ReadRule(const json& r, std::size_t index, Pack& pack, std::size_t* next_order);
  Status ReadTest(const json& t, std::size_t index, Pack& pack);

  std::string file_;
  std::string raw_;
  LineIndex lines_;  // of raw_
  const PackIndex& earlier_;
  long long max_pattern_memory_;
  const json* macro_defs_ = nullptr;
  std::size_t rules_offset_ = 0;
  // Where the "lexicons", "macros", "gazetteers" and "tests" sections start in the raw text,
  // so that a name is looked up in its own section, not wherever it first appears.
  std::size_t lexicons_offset_ = 0, macros_offset_ = 0, gazetteers_offset_ = 0;
  std::size_t next_test_offset_ = 0;
  int at_line_ = 0;
  std::string at_id_;
};

Status PackReader::CheckKeys(const json& obj, const std::set<std::string>& allowed,
                             const std::string& what, int line, const std::string& id) const {
  if (!obj.is_object()) return Error(what + " must be a JSON object", line, id);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!allowed.count(it.key())) {
      std::string list;
      for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
      return Error("unknown key \"" + it.key() + "\" in " + what + " (allowed: " + list + ")", line,
                   id);
    }
  }
  return Status::Ok();
}

template <typename T>
Status PackReader::Typed(const json& obj, const char* key, const T& fallback, T* out, int line,
                         const std::string& id) const {
  auto it = obj.find(key);
  if (it == obj.end()) {
    *out = fallback;
    return Status::Ok();
  }
  constexpr bool kBool = std::is_same_v<T, bool>;
  if (kBool ? !it->is_boolean() : !it->is_string())
    return Error(std::string("\"") + key + "\" must be " + (kBool ? "true or false" : "a string") +
                     ", not " + it->dump(),
                 line, id);
  *out = it->get<T>();
  return Status::Ok();
}

Status PackReader::ReadLexicon(const std::string& name, const json& def, Pack& pack) {
  int line = FindLine(lines_, name, "", lexicons_offset_);
  Lexicon lex;
  lex.name = name;
  lex.line = line;
  const std::string id = "lex:" + name;
  At(line, id);
  if (Status s = CheckKeys(def, {"terms", "file", "case_sensitive", "description"},
                           "lexicon \"" + name + "\"", line, id);
      !s.ok())
    return s;
  if (Status s = Flag(def, "case_sensitive", false, &lex.case_sensitive, line, id); !s.ok())
    return s;
  if (def.contains("terms")) {
    const json& terms = def["terms"];
    if (terms.is_array()) {
      for (const auto& t : terms) {
        if (!t.is_string()) return Error("lexicon terms must be strings", line, id);
        lex.terms.emplace_back(t.get<std::string>(), t.get<std::string>());
      }
    } else if (terms.is_object()) {
      for (auto it = terms.begin(); it != terms.end(); ++it) {
        const json& v = it.value();
        std::string value = v.is_string() ? v.get<std::string>() : v.dump();
        lex.terms.emplace_back(it.key(), value);
      }
    } else {
      return Error("lexicon \"terms\" must be an array or an object of term: value", line, id);
    }
  }
  if (def.contains("file")) {
    if (!def["file"].is_string()) return Error("lexicon \"file\" must be a string", line, id);
    std::string path = ResolveDataPath(pack.dir, def["file"].get<std::string>());
    auto contents = ReadDataFile(path, kMaxLexiconFile, "lexicon file", file_, line, id);
    if (!contents.ok()) return contents.status();
    auto trim = [](std::string_view s) {
      // CRLF files and stray spaces would otherwise become part of the term.
      std::size_t b = s.find_first_not_of(" \t\r");
      std::size_t e = s.find_last_not_of(" \t\r");
      return b == s.npos ? std::string() : std::string(s.substr(b, e - b + 1));
    };
    std::string_view rest = contents->bytes(), row;
    while (NextLine(&rest, &row)) {
      if (row.empty() || row[0] == '#') continue;
      std::size_t tab = row.find('\t');
      std::string term = trim(row.substr(0, tab));
      std::string value = tab == row.npos ? term : trim(row.substr(tab + 1));
      if (!term.empty()) lex.terms.emplace_back(term, value);
    }
  }
  if (lex.terms.empty()) return Error("lexicon \"" + name + "\" has no terms", line, id);
  for (const auto& [term, value] : lex.terms) {
    if (term.empty()) return Error("lexicon \"" + name + "\" has an empty term", line, id);
    lex.by_key.emplace(lex.case_sensitive ? term : FoldKey(term), value);
  }
  pack.lexicons.emplace(name, std::move(lex));
  return Status::Ok();
}

// Expands {{macro}}, {{lex:name}} and {{pack:other/name}} in `in`. Macros are expanded lazily
// from their definitions so that declaration order does not matter; `active` detects cycles.
Status PackReader::Expand(const std::string& in, const Pack& pack, const std::string& id, int line,
                          std::vector<std::string>& active, std::string* out) const {
  out->clear();
  std::size_t pos = 0;
  while (true) {
    std::size_t open = in.find("{{", pos);
    if (open == std::string::npos) {
      out->append(in, pos, std::string::npos);
      return Status::Ok();
    }
    std::size_t close = in.find("}}", open + 2);
    if (close == std::string::npos) return Error("unclosed \"{{\" in pattern", line, id);
    out->append(in, pos, open - pos);
    std::string ref = in.substr(open + 2, close - open - 2);
    pos = close + 2;
    if (ref.rfind("lex:", 0) == 0) {
      auto it = pack.lexicons.find(ref.substr(4));
      if (it == pack.lexicons.end())
        return Status::NotFound("unknown lexicon \"" + ref.substr(4) + "\"", file_, line, id);
      out->append(it->second.Alternation());
    } else if (ref.rfind("pack:", 0) == 0) {
      std::string rest = ref.substr(5);
      std::size_t slash = rest.find('/');
      if (slash == std::string::npos)
        return Error("{{pack:...}} needs the form {{pack:PACK/MACRO}}", line, id);
      auto pit = earlier_.find(rest.substr(0, slash));
      if (pit == earlier_.end())
        return Error("pack \"" + rest.substr(0, slash) + "\" is not loaded before this one", line,
                     id);
      auto mit = pit->second->macros.find(rest.substr(slash + 1));
      if (mit == pit->second->macros.end())
        return Error("pack \"" + rest.substr(0, slash) + "\" has no macro \"" +
                         rest.substr(slash + 1) + "\"",
                     line, id);
      out->append("(?:" + mit->second + ")");
    } else {
      if (std::find(active.begin(), active.end(), ref) != active.end()) {
        std::string chain;
        for (const auto& a : active) chain += a + " -> ";
        return Error("macro cycle: " + chain + ref, line, id);
      }
      if (macro_defs_ == nullptr || !macro_defs_->contains(ref) || !(*macro_defs_)[ref].is_string())
        return Status::InvalidRule("unknown macro \"" + ref + "\"", file_, line, id);
      // A macro expanded once is reused: re-expanding nested macros from their definitions
      // grows exponentially with the nesting depth.
      auto done = pack.macros.find(ref);
      std::string expanded;
      if (done != pack.macros.end()) {
        expanded = done->second;
      } else {
        active.push_back(ref);
        Status s =
            Expand((*macro_defs_)[ref].get<std::string>(), pack, id, line, active, &expanded);
        active.pop_back();
        if (!s.ok()) return s;
      }
      out->append("(?:" + expanded + ")");
      if (out->size() > kMaxExpandedPattern)
        return Status::ResourceLimit(file_ + ":" + std::to_string(line) + ": rule '" + id +
                                     "': pattern expands to more than 1 MiB");
    }
  }
}

Status PackReader::ReadPattern(const json& v, const Pack& pack, const std::string& id, int line,
                               std::string* out) const {
  std::string joined;
  if (v.is_string()) {
    joined = v.get<std::string>();
  } else if (v.is_array()) {
    for (const auto& part : v) {
      if (!part.is_string()) return Error("pattern parts must be strings", line, id);
      joined += part.get<std::string>();
    }
  } else {
    return Error("a pattern must be a string or an array of strings", line, id);
  }
  std::vector<std::string> active;
  return Expand(joined, pack, id, line, active, out);
}

RecordKind KindFromName(const std::string& s, bool* ok) {
  *ok = true;
  if (s == "date") return RecordKind::kDate;
  if (s == "count") return RecordKind::kCount;
  if (s == "location") return RecordKind::kLocation;
  if (s == "quote") return RecordKind::kQuote;
  if (s == "custom") return RecordKind::kCustom;
  *ok = false;
  return RecordKind::kCustom;
}

Status PackReader::ReadRule(const json& r, std::size_t index, Pack& pack, std::size_t* next_order) {
  Rule rule;
  if (!r.is_object() || !r.contains("id") || !r["id"].is_string())
    return Error("rule #" + std::to_string(index + 1) + " has no string \"id\"",
                 FindLine(lines_, "rules", ""));
  rule.id = r["id"].get<std::string>();
  rule.line = FindLine(lines_, "id", rule.id, rules_offset_);
  const std::string& id = rule.id;
  const int line = rule.line;
  At(line, id);
  if (Status s = CheckKeys(r,
                           {"id",
                            "emit",
                            "type",
                            "action",
                            "veto",
                            "stage",
                            "priority",
                            "pattern",
                            "gazetteer",
                            "quotations",
                            "before",
                            "extend_before",
                            "after",
                            "not_before",
                            "not_after",
                            "case_insensitive",
                            "normalize",
                            "args",
                            "fields",
                            "lexicons",
                            "span",
                            "examples",
                            "counter_examples",
                            "comment"},
                           "rule", line, id);
      !s.ok())
    return s;
  for (const auto& other : pack.rules)
    if (other.id == id) return Error("duplicate rule id", line, id);

  std::string action;
  if (Status s = Text(r, "action", "emit", &action, line, id); !s.ok()) return s;
  if (action == "veto") {
    rule.kind = RecordKind::kVeto;
    if (!r.contains("veto") || !r["veto"].is_array() || r["veto"].empty())
      return Error("a veto rule needs \"veto\": [record types it removes]", line, id);
    for (const auto& t : r["veto"]) {
      if (!t.is_string()) return Error("\"veto\" entries must be strings", line, id);
      rule.veto_types.push_back(t.get<std::string>());
    }
  } else if (action == "emit") {
    if (!r.contains("emit") || !r["emit"].is_string())
      return Error(
          "rule needs \"emit\" (date, count, location, quote, custom) or "
          "\"action\": \"veto\"",
          line, id);
    bool ok;
    rule.kind = KindFromName(r["emit"].get<std::string>(), &ok);
    if (!ok)
      return Error("unknown \"emit\" \"" + r["emit"].get<std::string>() +
                       "\" (date, count, location, quote, custom)",
                   line, id);
    if (rule.kind == RecordKind::kCustom) {
      if (!r.contains("type") || !r["type"].is_string() || r["type"].get<std::string>().empty())
        return Error("a custom rule needs a \"type\" naming its record type", line, id);
      rule.custom_type = r["type"].get<std::string>();
    }
  } else {
    return Error("unknown \"action\" \"" + action + "\" (emit, veto)", line, id);
  }

  auto get_int = [&](const char* key, int def, int* out) -> Status {
    if (!r.contains(key)) {
      *out = def;
      return Status::Ok();
    }
    if (!r[key].is_number_integer() || r[key].get<long long>() < -1000000 ||
        r[key].get<long long>() > 1000000)
      return Error(std::string("\"") + key + "\" must be an integer", line, id);
    *out = static_cast<int>(r[key].get<long long>());
    return Status::Ok();
  };
  if (Status s = get_int("stage", 1, &rule.stage); !s.ok()) return s;
  if (Status s = get_int("priority", 0, &rule.priority); !s.ok()) return s;
  if (rule.stage < 1 || rule.stage > 9) return Error("\"stage\" must be 1..9", line, id);

  int sources = r.contains("pattern") + r.contains("gazetteer") + r.contains("quotations");
  if (sources != 1)
    return Error("a rule needs exactly one of \"pattern\", \"gazetteer\", \"quotations\"", line,
                 id);
  if (r.contains("pattern")) {
    if (Status s = ReadPattern(r["pattern"], pack, id, line, &rule.pattern); !s.ok()) return s;
  } else if (r.contains("gazetteer")) {
    if (!r["gazetteer"].is_string()) return Error("\"gazetteer\" must name a gazetteer", line, id);
    rule.gazetteer = r["gazetteer"].get<std::string>();
    bool known = std::any_of(pack.gazetteers.begin(), pack.gazetteers.end(),
                             [&](const GazetteerSource& g) { return g.name == rule.gazetteer; });
    if (!known) return Error("unknown gazetteer \"" + rule.gazetteer + "\"", line, id);
  } else {
    if (r["quotations"] != true) return Error("\"quotations\" must be true", line, id);
    rule.quotations = true;
  }
  for (auto [key, dest] : {std::pair{"before", &rule.before},
                           {"extend_before", &rule.extend_before},
                           {"after", &rule.after},
                           {"not_before", &rule.not_before},
                           {"not_after", &rule.not_after}}) {
    if (r.contains(key))
      if (Status s = ReadPattern(r[key], pack, id, line, dest); !s.ok()) return s;
  }
  if (Status s = Flag(r, "case_insensitive", false, &rule.case_insensitive, line, id); !s.ok())
    return s;
  if (r.contains("normalize")) {
    if (!r["normalize"].is_string()) return Error("\"normalize\" must be a string", line, id);
    rule.normalize = r["normalize"].get<std::string>();
  }
  if (r.contains("args")) {
    if (!r["args"].is_object()) return Error("\"args\" must be an object", line, id);
    for (auto it = r["args"].begin(); it != r["args"].end(); ++it) {
      rule.args[it.key()] =
          it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      if (std::string_view(it.key()).starts_with("capture:"))
        rule.capture_aliases.emplace_back(it.key().substr(8), rule.args[it.key()]);
    }
  }
  if (r.contains("fields")) {
    if (!r["fields"].is_object()) return Error("\"fields\" must be an object", line, id);
    rule.fields = r["fields"];
    for (std::string_view name : kBaseFieldNames)
      if (std::string reserved(name); rule.fields.contains(reserved))
        return Error(
            std::string("field name \"") + reserved + "\" is reserved for what every record has",
            line, id);
  }
  if (r.contains("lexicons")) {
    if (!r["lexicons"].is_object())
      return Error("\"lexicons\" must map capture names to lexicon names", line, id);
    for (auto it = r["lexicons"].begin(); it != r["lexicons"].end(); ++it) {
      if (!it.value().is_string() || !pack.lexicons.count(it.value().get<std::string>()))
        return Error("\"lexicons\": capture \"" + it.key() + "\" names no lexicon of this pack",
                     line, id);
      rule.capture_lexicons[it.key()] = it.value().get<std::string>();
    }
  }
  if (r.contains("span")) {
    if (!r["span"].is_string()) return Error("\"span\" must name a capture", line, id);
    rule.span_capture = r["span"].get<std::string>();
  }
  for (auto [key, dest] :
       {std::pair{"examples", &rule.examples}, {"counter_examples", &rule.counter_examples}}) {
    if (!r.contains(key)) continue;
    if (!r[key].is_array()) return Error(std::string("\"") + key + "\" must be an array", line, id);
    for (const auto& e : r[key]) {
      if (!e.is_string())
        return Error(std::string("\"") + key + "\" entries must be strings", line, id);
      dest->push_back(e.get<std::string>());
    }
  }

  // Compile the patterns now, once, so that errors carry the rule's position.
  auto compile = [&](const std::string& pattern, bool case_insensitive, const char* what,
                     std::shared_ptr<const RE2>* out) -> Status {
    RE2::Options opt;
    opt.set_log_errors(false);
    opt.set_case_sensitive(!case_insensitive);
    opt.set_max_mem(max_pattern_memory_);
    auto re = std::make_shared<const RE2>(pattern, opt);
    std::string where = file_ + ":" + std::to_string(line) + ": rule '" + id + "': ";
    if (re->error_code() == RE2::ErrorPatternTooLarge)
      return Status::ResourceLimit(where + "cannot compile " + what + ": " + re->error());
    if (!re->ok()) return Error(std::string("bad ") + what + ": " + re->error(), line, id);
    // RE2 accepts big programs and then runs out of DFA memory at match time, falling back to
    // its slower NFA: refuse them here instead (64 bytes of budget per instruction).
    if (re->ProgramSize() > max_pattern_memory_ / 64)
      return Status::ResourceLimit(where + what + " compiles to " +
                                   std::to_string(re->ProgramSize()) +
                                   " instructions, over the max_pattern_memory budget");
    *out = std::move(re);
    return Status::Ok();
  };
  if (!rule.pattern.empty()) {
    if (Status s = compile(rule.pattern, rule.case_insensitive, "pattern", &rule.re); !s.ok())
      return s;
    const RE2& re = *rule.re;
    const auto& named = re.NamedCapturingGroups();
    if (static_cast<int>(named.size()) != re.NumberOfCapturingGroups()) {
      // RE2 keeps one group per name: a name used twice leaves a group without one.
      if (std::string twice = RepeatedCaptureName(rule.pattern); !twice.empty())
        return Error("capture name \"" + twice +
                         "\" is used twice; RE2 keeps one group per name: rename one, or put "
                         "the alternatives inside one group (?P<" +
                         twice + ">a|b)",
                     line, id);
      return Error("unnamed capturing group: use (?:...) to group, (?P<name>...) to capture", line,
                   id);
    }
    auto has_capture = [&](const std::string& name) { return named.count(name) > 0; };
    if (!rule.span_capture.empty() && !has_capture(rule.span_capture))
      return Error("\"span\" names no capture of the pattern: " + rule.span_capture, line, id);
    for (auto it = rule.fields.begin(); it != rule.fields.end(); ++it) {
      if (!it.value().is_string()) continue;
      FieldReference ref = ParseFieldReference(it.value().get<std::string>());
      if (ref.capture.empty()) continue;
      std::string where = "field \"" + it.key() + "\": ";
      if (ref.kind == FieldReference::kUnknown)
        return Error(where + "\"" + it.value().get<std::string>() +
                         "\" is not \"$capture\", \"$capture.value\" or \"$capture.number\"",
                     line, id);
      if (!has_capture(ref.capture))
        return Error(where + "refers to missing capture " + ref.capture, line, id);
      if (ref.kind == FieldReference::kLexiconValue &&
          CaptureLexicon(pack, rule, ref.capture) == nullptr)
        return Error(where + "\"$" + ref.capture +
                         ".value\" needs a lexicon for the capture: one named \"" + ref.capture +
                         "\", or one given in the rule's \"lexicons\"",
                     line, id);
    }
    for (const auto& [asked, actual] : rule.capture_aliases)
      if (!has_capture(actual))
        return Error("\"args\": \"capture:" + asked + "\" names missing capture \"" + actual + "\"",
                     line, id);
    for (const auto& [cap, lex] : rule.capture_lexicons)
      if (!has_capture(cap))
        return Error("\"lexicons\" names missing capture \"" + cap + "\"", line, id);
  } else if (!rule.span_capture.empty()) {
    return Error("\"span\" needs a pattern rule", line, id);
  }
  // Guards look only at the text next to the match: those before it end at its start.
  struct Guard {
    const std::string& pattern;
    bool ends_at_match;
    std::shared_ptr<const RE2>* out;
  };
  for (const Guard& g :
       {Guard{rule.before, true, &rule.before_re},
        Guard{rule.extend_before, true, &rule.extend_before_re},
        Guard{rule.not_before, true, &rule.not_before_re}, Guard{rule.after, false, &rule.after_re},
        Guard{rule.not_after, false, &rule.not_after_re}}) {
    if (g.pattern.empty()) continue;
    if (Status s = compile(g.ends_at_match ? "(?:" + g.pattern + ")$" : g.pattern, false,
                           "guard pattern", g.out);
        !s.ok())
      return s;
  }
  rule.order = (*next_order)++;
  pack.rules.push_back(std::move(rule));
  return Status::Ok();
}

Status PackReader::ReadTest(const json& t, std::size_t index, Pack& pack) {
  PackTest test;
  test.index = index;
  int line = 0;
  if (t.is_object() && t.contains("text") && t["text"].is_string()) {
    std::string text_json = json(t["text"].get<std::string>()).dump();
    // Tests are found in order, so two tests with the same text get their own lines.
    std::size_t at = raw_.find(text_json, next_test_offset_);
    if (at != std::string::npos) next_test_offset_ = at + text_json.size();
    line = at == std::string::npos ? 0 : lines_.LineAt(at);
  }
  test.line = line;
  std::string id = "test " + std::to_string(index + 1);
  At(line, id);
  if (Status s = CheckKeys(t, {"text", "dct", "expect", "exhaustive", "comment"}, "test", line, id);
      !s.ok())
    return s;
  if (!t.contains("text") || !t["text"].is_string())
    return Error("a test needs \"text\"", line, id);
  test.text = t["text"].get<std::string>();
  if (t.contains("dct")) {
    if (!t["dct"].is_string()) return Error("\"dct\" must be \"YYYY-MM-DD\"", line, id);
    test.dct = t["dct"].get<std::string>();
  }
  if (t.contains("expect")) {
    if (!t["expect"].is_array()) return Error("\"expect\" must be an array of records", line, id);
    for (const auto& e : t["expect"]) {
      if (!e.is_object() || !e.contains("type") || !e.contains("text") || !e["type"].is_string() ||
          !e["text"].is_string())
        return Error("each expected record needs string \"type\" and \"text\"", line, id);
    }
    test.expect = t["expect"];
  }
  if (Status s = Flag(t, "exhaustive", false, &test.exhaustive, line, id); !s.ok()) return s;
  pack.tests.push_back(std::move(test));
  return Status::Ok();
}

Status PackReader::Read(const json& j, Pack& pack, std::size_t* next_order) {
  FindLine(lines_, "lexicons", "", 0, &lexicons_offset_);
  FindLine(lines_, "macros", "", 0, &macros_offset_);
  FindLine(lines_, "gazetteers", "", 0, &gazetteers_offset_);
  FindLine(lines_, "tests", "", 0, &next_test_offset_);
  if (Status s = CheckKeys(j,
                           {"pack", "description", "version", "lexicons", "macros", "gazetteers",
                            "rules", "tests", "comment"},
                           "pack", 1, "");
      !s.ok())
    return s;
  if (!j.contains("pack") || !j["pack"].is_string() || j["pack"].get<std::string>().empty())
    return Error("a pack needs a \"pack\" name", 1);
  pack.name = j["pack"].get<std::string>();
  if (earlier_.count(pack.name))
    return Error("a pack named \"" + pack.name + "\" is already loaded", 1);
  if (Status s =
          Text(j, "description", "", &pack.description, FindLine(lines_, "description", ""), "");
      !s.ok())
    return s;
  if (j.contains("lexicons")) {
    if (!j["lexicons"].is_object())
      return Error("\"lexicons\" must be an object", FindLine(lines_, "lexicons", ""));
    for (auto it = j["lexicons"].begin(); it != j["lexicons"].end(); ++it)
      if (Status s = ReadLexicon(it.key(), it.value(), pack); !s.ok()) return s;
  }
  if (j.contains("macros")) {
    if (!j["macros"].is_object())
      return Error("\"macros\" must be an object", FindLine(lines_, "macros", ""));
    macro_defs_ = &j["macros"];
    for (auto it = j["macros"].begin(); it != j["macros"].end(); ++it) {
      int line = FindLine(lines_, it.key(), "", macros_offset_);
      if (!it.value().is_string())
        return Error("a macro must be a string", line, "macro:" + it.key());
      std::vector<std::string> active{it.key()};
      std::string expanded;
      if (Status s = Expand(it.value().get<std::string>(), pack, "macro:" + it.key(), line, active,
                            &expanded);
          !s.ok())
        return s;
      pack.macros[it.key()] = expanded;
    }
  }
  if (j.contains("gazetteers")) {
    if (!j["gazetteers"].is_object())
      return Error("\"gazetteers\" must be an object", FindLine(lines_, "gazetteers", ""));
    for (auto it = j["gazetteers"].begin(); it != j["gazetteers"].end(); ++it) {
      GazetteerSource g;
      g.name = it.key();
      g.line = FindLine(lines_, it.key(), "", gazetteers_offset_);
      if (Status s = CheckKeys(it.value(), {"places", "demonyms", "min_population", "comment"},
                               "gazetteer", g.line, "gazetteer:" + g.name);
          !s.ok())
        return s;
      if (!it.value().contains("places") || !it.value()["places"].is_string())
        return Error("a gazetteer needs \"places\": a TSV file", g.line, "gazetteer:" + g.name);
      g.places_file = ResolveDataPath(pack.dir, it.value()["places"].get<std::string>());
      const std::string gid = "gazetteer:" + g.name;
      if (it.value().contains("demonyms")) {
        std::string demonyms;
        if (Status s = Text(it.value(), "demonyms", "", &demonyms, g.line, gid); !s.ok()) return s;
        g.demonyms_file = ResolveDataPath(pack.dir, demonyms);
      }
      if (it.value().contains("min_population")) {
        const json& v = it.value()["min_population"];
        if (!v.is_number_integer() ||
            (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t{1} << 62) ||
            v.get<long long>() < 0)
          return Error("\"min_population\" must be a whole number from 0, not " + v.dump(), g.line,
                       gid);
        g.min_population = v.get<long long>();
      }
      pack.gazetteers.push_back(std::move(g));
    }
  }
  if (j.contains("rules")) {
    FindLine(lines_, "rules", "", 0, &rules_offset_);
    if (!j["rules"].is_array())
      return Error("\"rules\" must be an array", lines_.LineAt(rules_offset_));
    for (std::size_t i = 0; i < j["rules"].size(); ++i)
      if (Status s = ReadRule(j["rules"][i], i, pack, next_order); !s.ok()) return s;
  }
  if (j.contains("tests")) {
    if (!j["tests"].is_array())
      return Error("\"tests\" must be an array", FindLine(lines_, "tests", ""));
    for (std::size_t i = 0; i < j["tests"].size(); ++i)
      if (Status s = ReadTest(j["tests"][i], i, pack); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

const char* RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kDate:
      return "date";
    case RecordKind::kCount:
      return "count";
    case RecordKind::kLocation:
      return "location";
    case RecordKind::kQuote:
      return "quote";
    case RecordKind::kCustom:
      return "custom";
    case RecordKind::kVeto:
      return "veto";
  }
  return "?";
}

const re2::RE2* Pack::CompiledMacro(std::string_view name) const {
  {
    std::shared_lock<std::shared_mutex> read(compiled_mutex_);
    if (auto it = compiled_.find(name); it != compiled_.end()) return it->second.get();
  }
  std::unique_lock<std::shared_mutex> write(compiled_mutex_);
  auto it = compiled_.find(name);
  if (it == compiled_.end()) {
    std::unique_ptr<RE2> re;
    if (auto m = macros.find(name); m != macros.end()) {
      RE2::Options opt;
      opt.set_log_errors(false);
      re = std::make_unique<RE2>(m->second, opt);
      if (!re->ok()) re.reset();
    }
    it = compiled_.emplace(std::string(name), std::move(re)).first;
  }
  return it->second.get();
}

const std::string* Lexicon::Find(std::string_view term) const {
  // A term that is its own key (lower-case ASCII, single spaces) is looked up as it is.
  bool own_key = !term.empty() && term.front() != ' ' && term.back() != ' ';
  for (std::size_t i = 0; own_key && i < term.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(term[i]);
    own_key = c < 0x80 && !(c >= 'A' && c <= 'Z') && c != '\t' && c != '\n' && c != '\r' &&
              c != '\f' && c != '\v' && !(c == ' ' && term[i + 1] == ' ');
  }
  auto it = case_sensitive || own_key ? by_key.find(term) : by_key.find(FoldKey(term));
  return it == by_key.end() ? nullptr : &it->second;
}

std::string Lexicon::Alternation() const {
  // Whitespace inside a multi-word term matches any whitespace run (hard-wrapped text).
  auto quote = [](const std::string& term) {
    std::string quoted;
    std::size_t i = 0;
    while (i < term.size()) {
      std::size_t sp = term.find(' ', i);
      std::string word = term.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
      quoted += RE2::QuoteMeta(word);
      if (sp == std::string::npos) break;
      quoted += "\\s+";
      i = sp + 1;
      while (i < term.size() && term[i] == ' ') ++i;
    }
    return quoted;
  };
  std::vector<std::string> alts;
  alts.reserve(terms.size());
  for (const auto& [term, value] : terms) {
    alts.push_back(quote(term));
    // Lookups fold diacritics, so patterns match the folded spelling too: "Sao Paulo" for
    // "São Paulo".
    if (!case_sensitive) alts.push_back(quote(FoldKey(term)));
  }
  // Longest first, so that RE2's leftmost-first alternation prefers "Sept." over "Sep".
  std::sort(alts.begin(), alts.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  alts.erase(std::unique(alts.begin(), alts.end()), alts.end());
  // "(?-i:" keeps a case-sensitive lexicon case-sensitive inside a case-insensitive rule.
  std::string out = case_sensitive ? "(?-i:" : "(?i:";
  for (std::size_t i = 0; i < alts.size(); ++i) out += (i ? "|" : "") + alts[i];
  return out + ")";
}

FieldReference ParseFieldReference(std::string_view field) {
  FieldReference ref;
  if (field.size() < 2 || field[0] != '$') return ref;
  field.remove_prefix(1);
  std::size_t dot = field.find('.');
  ref.capture = std::string(field.substr(0, dot));
  if (dot == std::string_view::npos) return ref;
  std::string_view what = field.substr(dot + 1);
  ref.kind = what == "value"    ? FieldReference::kLexiconValue
             : what == "number" ? FieldReference::kNumber
                                : FieldReference::kUnknown;
  return ref;
}

const Lexicon* CaptureLexicon(const Pack& pack, const Rule& rule, std::string_view capture) {
  auto named = rule.capture_lexicons.find(capture);
  std::string_view name = named != rule.capture_lexicons.end() ? named->second : capture;
  auto it = pack.lexicons.find(name);
  return it == pack.lexicons.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<Pack>> LoadPack(const std::string& path, const PackIndex& earlier,
                                       std::size_t* next_order, long long max_pattern_memory) {
  auto file = ReadDataFile(path, kMaxPackFile, "rule pack");
  if (!file.ok()) return file.status();
  std::string raw = std::move(file.value()).Take();
  json j;
  try {
    j = json::parse(raw, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    std::string msg = e.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line..."
    std::size_t colon = msg.find("parse error");
    return Status::ParseError(colon == std::string::npos ? msg : msg.substr(colon), path,
                              LineAt(raw, e.byte > 0 ? e.byte - 1 : 0));
  } catch (const json::exception& e) {
    // Not only syntax: a number too large for a double is an out_of_range error, which names
    // the number ("number overflow parsing '1e999'") but not where it is.
    std::string msg = e.what();
    std::size_t open = msg.find('\''), close = msg.rfind('\'');
    std::size_t at = open < close ? raw.find(msg.substr(open + 1, close - open - 1)) : raw.npos;
    return Status::ParseError(msg, path, at == raw.npos ? 0 : LineAt(raw, at));
  }
  auto pack = std::make_unique<Pack>();
  pack->file = path;
  pack->dir = fs::path(path).parent_path().string();
  PackReader reader(path, std::move(raw), earlier, max_pattern_memory);
  // The reader checks the types it reads; a value of a wrong type it missed still makes
  // nlohmann throw, which must become an error naming the file, not end the process.
  try {
    if (Status s = reader.Read(j, *pack, next_order); !s.ok()) return s;
    for (const auto& [name, lexicon] : pack->lexicons) pack->lexicon_index[name] = &lexicon;
  } catch (const json::exception& e) {
    return Status::InvalidRule(std::string("a value has the wrong type: ") + e.what(), path,
                               reader.line(), reader.id());
  }
  return pack;
}

}  // namespace gleaner::internal

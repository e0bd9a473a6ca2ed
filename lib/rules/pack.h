// Rule packs: loading a pack file (JSON with comments), expanding macros and lexicons into RE2
// syntax, and validating everything with errors that name the file, line and rule id.
// The format is documented in docs/rule-packs.md.
#ifndef GLEANER_LIB_RULES_PACK_H_
#define GLEANER_LIB_RULES_PACK_H_

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "gleaner/status.h"
#include "rules/data_file.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace gleaner::internal {

// Hashes std::string and std::string_view alike, so that lookups need no string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A lexicon is both an alternation (for patterns) and a term -> value map (for normalisers and
// document passes). The lookup rule, the one every part of gleaner uses: a term is found when
// its key equals a listed term's key, where the key of a case-sensitive lexicon's term is the
// term itself and otherwise FoldKey(term) (case folded, diacritics removed, whitespace runs
// made one space).
struct Lexicon {
  std::string name;
  int line = 0;
  bool case_sensitive = false;
  std::vector<std::pair<std::string, std::string>> terms;  // in declaration order
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>
      by_key;  // the key of each term -> value

  // The value of `term`, or nullptr.
  const std::string* Find(std::string_view term) const;
  // The RE2 alternation: longest terms first, whitespace matching any run of whitespace.
  std::string Alternation() const;
};

// A gazetteer: place rows and demonym rows from TSV files (see rules/gazetteer/README.md).
struct GazetteerSource {
  std::string name;
  int line = 0;
  std::string places_file;    // absolute path
  std::string demonyms_file;  // absolute path, may be empty
  long long min_population = 0;
};

enum class RecordKind { kDate, kCount, kLocation, kQuote, kCustom, kVeto };
const char* RecordKindName(RecordKind kind);

struct Rule {
  std::string id;
  int line = 0;
  std::size_t order = 0;  // declaration order across all packs: the last tie-breaker
  RecordKind kind = RecordKind::kCustom;
  std::string custom_type;              // for kCustom
  std::vector<std::string> veto_types;  // for kVeto: record types it removes
  int stage = 1;
  int priority = 0;
  // Exactly one source: an RE2 pattern, a gazetteer's hits, or the paired quotations.
  std::string pattern;  // expanded
  std::string gazetteer;
  bool quotations = false;
  std::string before, after, not_before, not_after;  // expanded guard patterns, may be empty
  // A guard like `before` whose match becomes part of the record: the match then begins where
  // it does ("Post" with "\\b[A-Z][a-z]+\\s+" before it spans "Washington Post"), so that a rule
  // is tried at its literal word, not at every capitalised one.
  std::string extend_before;
  bool case_insensitive = false;
  std::string normalize;  // normaliser name, may be empty
  std::map<std::string, std::string, std::less<>> args;
  // From args "capture:NAME": "OTHER": a normaliser asking for capture NAME reads OTHER, so a
  // built-in normaliser works on a pattern whose captures are named otherwise.
  std::vector<std::pair<std::string, std::string>> capture_aliases;
  nlohmann::json fields = nlohmann::json::object();  // constants and "$capture" references
  std::map<std::string, std::string, std::less<>> capture_lexicons;  // capture -> lexicon
  std::string span_capture;                   // record span is this capture's, not the whole match
  std::vector<std::string> examples;          // texts the rule must match (whole)
  std::vector<std::string> counter_examples;  // texts it must not match anywhere

  // Compiled once, by the loader, which validates them: the engine matches with these.
  std::shared_ptr<const re2::RE2> re;  // the pattern; null for gazetteer and quotation rules
  // The guards, anchored at the edge of the match they look at; null when not given.
  std::shared_ptr<const re2::RE2> before_re, after_re, not_before_re, not_after_re;
  std::shared_ptr<const re2::RE2> extend_before_re;
};

struct PackTest {
  int line = 0;
  std::size_t index = 0;
  std::string text;
  std::string dct;
  nlohmann::json expect = nlohmann::json::array();
  bool exhaustive = false;  // no other records of the expected types may appear
};

struct Pack {
  std::string name;
  std::string file;
  std::string dir;
  std::string description;
  std::map<std::string, Lexicon, std::less<>> lexicons;
  // The lexicons by name, hashed: normalisers look names up for every word they read.
  std::unordered_map<std::string_view, const Lexicon*, StringHash, std::equal_to<>> lexicon_index;
  const Lexicon* FindLexicon(std::string_view name) const {
    auto it = lexicon_index.find(name);
    return it == lexicon_index.end() ? nullptr : it->second;
  }
  std::map<std::string, std::string, std::less<>> macros;  // expanded
  // The macro `name` compiled as a whole pattern, once, on first use (MatchView::pattern), or
  // nullptr when the pack has no such macro or it does not compile alone. Thread-safe.
  const re2::RE2* CompiledMacro(std::string_view name) const;
  std::vector<GazetteerSource> gazetteers;
  std::vector<Rule> rules;
  std::vector<PackTest> tests;

 private:
  mutable std::shared_mutex compiled_mutex_;
  mutable std::map<std::string, std::unique_ptr<re2::RE2>, std::less<>> compiled_;
};

// A rule's field given as a reference to a capture: "$name" (its text), "$name.value" (the
// value its lexicon gives the term matched), "$name.number" (the number it writes, read as the
// "number" normaliser reads one, with the pack's number words). Any other string is a constant.
struct FieldReference {
  enum Kind { kText, kLexiconValue, kNumber, kUnknown };
  std::string capture;  // empty: not a reference
  Kind kind = kText;
};
FieldReference ParseFieldReference(std::string_view field);

// The lexicon that capture `capture` of `rule` is read with: the one the rule's "lexicons"
// names, else the pack's lexicon of the capture's name; nullptr when there is neither.
const Lexicon* CaptureLexicon(const Pack& pack, const Rule& rule, std::string_view capture);

// Packs loaded so far, for {{pack:other/name}} references.
using PackIndex = std::map<std::string, const Pack*, std::less<>>;

// Reads and validates the pack at `path`, compiling its patterns with `max_pattern_memory`
// bytes each (ExtractorOptions::max_pattern_memory). `next_order` numbers rules across packs.
Result<std::unique_ptr<Pack>> LoadPack(const std::string& path, const PackIndex& earlier,
                                       std::size_t* next_order,
                                       long long max_pattern_memory = 8 << 20);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_RULES_PACK_H_

// Normalisers: the named C++ functions that rules call to turn a match into record fields.
//
// A rule names its normaliser (`"normalize": "timex"`); the normaliser reads the match's named
// captures and writes fields ("value", "timex_type", ...). It may also reject the candidate by
// returning false. Candidates are normalised in conflict order, only when they would become
// records; a rejected one leaves its place to the next candidate that overlaps it.
// Users register their own next to the built-in ones:
//
//   gleaner::NormalizerRegistry registry;
//   registry.Register("dose.mg", [](const gleaner::MatchView& m, gleaner::Fields& out) {
//     auto amount = m.capture("amount");
//     if (!amount) return false;
//     out.emplace_back("milligrams", std::stod(std::string(*amount)));
//     return true;
//   });
//   options.normalizers = &registry;
//
// Normalisers run concurrently from many threads and must not keep state between calls.
#ifndef GLEANER_NORMALIZER_H_
#define GLEANER_NORMALIZER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gleaner/records.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace gleaner {

// The fields a normaliser writes; later entries of the same name win.
using Fields = std::vector<std::pair<std::string, FieldValue>>;

// A read-only view of one candidate match, given to normalisers. All offsets are UTF-8 byte
// offsets into document(): the input with invalid UTF-8 repaired (U+FFFD) and line breaks inside
// paragraphs turned into spaces. It has the input's length unless the input had invalid UTF-8.
class MatchView {
 public:
  virtual ~MatchView() = default;
  // The matched text and its offsets.
  virtual std::string_view text() const = 0;
  virtual Span span() const = 0;
  // The text of named capture `name`, or nullopt if it did not participate.
  virtual std::optional<std::string_view> capture(std::string_view name) const = 0;
  virtual std::optional<Span> capture_span(std::string_view name) const = 0;
  // If capture `name` matched a term of a lexicon ({{lex:...}} in the pattern, or a capture
  // named like the lexicon), the term's value; otherwise nullopt.
  virtual std::optional<std::string_view> capture_value(std::string_view name) const = 0;
  // A lexicon of the rule's pack: the value of `term` (case-folded lookup), or nullopt.
  virtual std::optional<std::string_view> lookup(std::string_view lexicon,
                                                 std::string_view term) const = 0;
  // The argument `name` given in the rule's "args" object, or empty. (An arg "capture:NAME":
  // "OTHER" makes capture(NAME) read capture OTHER: a built-in normaliser then works on a
  // pattern whose captures are named otherwise.)
  virtual std::string_view arg(std::string_view name) const = 0;
  // The whole document and the sentence the match starts in.
  virtual std::string_view document() const = 0;
  virtual Span sentence() const = 0;
  // The reference date (DCT) as "YYYY-MM-DD", or empty when none is known.
  virtual std::string_view reference_date() const = 0;
  // The id of the rule that matched.
  virtual std::string_view rule_id() const = 0;
  // A number unique to this Extract call (never reused in the process): a normaliser that
  // computes something once per document (the mentions of a word, say) may cache it under
  // this key, per thread, instead of scanning the document again for every match.
  virtual std::uint64_t document_serial() const = 0;

  // A date record of the document, for normalisers that anchor one date to the dates around it
  // ("the next day", "three weeks later"), as HeidelTime does: its span, its "value" field
  // ("2020-09-05", "2020-09", "2020-W36", "P3D", ...) and "timex_type", and whether its own
  // normaliser read dates() (its value was read from the dates around it, or from the DCT when
  // there were none: a clock time alone takes its day so). The views last for the call only.
  struct DateMention {
    Span span;
    std::string_view value;
    std::string_view timex_type;
    bool derived = false;
  };
  // The document's date records in text order. Empty while the document's records are still
  // being decided. A normaliser that calls it and accepts its match is run a second time once
  // they are decided, in text order, and then sees every date before its match with its final
  // value (dates after it with the value of their own first reading; its own record, and one
  // dropped, with an empty value). Its second answer is the one kept: returning false then
  // drops the record (`explain` names the "dates" pass), and the candidates it beat stay beaten.
  // Do not cache the answer under document_serial(): it changes between the two calls.
  virtual std::span<const DateMention> dates() const { return {}; }
  // The macro `macro` of the rule's pack, compiled as a whole RE2 pattern (once, on first use),
  // for what a normaliser searches beyond its match: a pack keeps those words in data, not in
  // C++. nullptr when the pack has no such macro or it does not compile alone. A normaliser
  // that uses it includes <re2/re2.h> and links RE2 itself (find_package(re2) or pkg-config).
  virtual const re2::RE2* pattern(std::string_view macro) const {
    (void)macro;
    return nullptr;
  }
  // Says why the normaliser is about to return false; `gleaner explain` and Decision::reason
  // show it ("a unit of measure, not a count"). The last call before returning false counts.
  virtual void reject_reason(std::string_view why) const { (void)why; }

  // The document's tokens in text order (empty for a document of 4 GiB or more), and a token's
  // key. Valid for the call only.
  virtual std::span<const Token> tokens() const { return {}; }
  virtual std::string_view key(const Token& token) const {
    (void)token;
    return {};
  }
};

// A normaliser: reads `match`, appends fields to `out`; returns false to reject the candidate.
using Normalizer = std::function<bool(const MatchView& match, Fields& out)>;

// A name -> Normalizer table. Register everything before Extractor::Create; the extractor
// copies what it needs, so the registry may be destroyed afterwards.
class NormalizerRegistry {
 public:
  // Adds or replaces `name`. Names are dotted by convention: "dose.mg".
  void Register(std::string name, Normalizer normalizer);
  // The normaliser called `name`, or nullptr.
  const Normalizer* Find(std::string_view name) const;
  const std::map<std::string, Normalizer, std::less<>>& all() const { return table_; }

 private:
  std::map<std::string, Normalizer, std::less<>> table_;
};

}  // namespace gleaner

#endif  // GLEANER_NORMALIZER_H_

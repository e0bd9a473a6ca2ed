// The "count" normaliser: value, range, qualifier, unit, and the counted entity and event.
//
// Captures: number (digits or words, with an optional scale word), vague (a lexicon term whose
// value is the conventional number: "dozens" -> 24), low/high (a range), qual (qualifier
// lexicon: "at least" -> at_least), percent (present -> unit "percent"), entity (an explicit
// entity capture overrides the search below).
// Lexicons of the rule's pack it consults, all optional:
//   function_words  words that end a noun phrase ("were", "in", "who", ...)
//   auxiliaries     skipped between the entity and its verb ("were", "have", "been", ...)
//   adverbs         skipped likewise ("later", "reportedly", ...)
//   verbs           verb forms not ending in -ed ("swept", "took", "fled", ...)
//   unit_words      entities that make the number something other than a count ("years",
//                   "dollars", "percent"): the candidate is rejected
//   qualifier       qualifier phrase -> qualifier name
//   approximate_qualifiers  qualifier names that make the count approximate ("about")
#include <cmath>
#include <string>
#include <vector>

#include "normalize/builtin.h"
#include "text/text.h"

namespace gleaner::internal {
namespace {

struct Word {
  Span span;
  std::string folded;
  bool alpha = true;
};

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c == '-' || c == '\'' || c >= 0x80; }

// Up to `max` words after `pos` within [lo, hi), stopping at punctuation other than '-'.
std::vector<Word> WordsAfter(std::string_view doc, std::size_t pos, std::size_t hi, int max) {
  std::vector<Word> out;
  while (pos < hi && static_cast<int>(out.size()) < max) {
    while (pos < hi && doc[pos] == ' ') ++pos;
    if (pos >= hi || !IsWordByte(static_cast<unsigned char>(doc[pos]))) break;
    std::size_t b = pos;
    while (pos < hi && IsWordByte(static_cast<unsigned char>(doc[pos]))) ++pos;
    Word w{{b, pos}, FoldKey(doc.substr(b, pos - b)), true};
    for (char c : doc.substr(b, pos - b)) w.alpha &= !std::isdigit(static_cast<unsigned char>(c));
    out.push_back(std::move(w));
  }
  return out;
}

// Up to `max` words before `pos`, nearest first.
std::vector<Word> WordsBefore(std::string_view doc, std::size_t lo, std::size_t pos, int max) {
  std::vector<Word> out;
  while (pos > lo && static_cast<int>(out.size()) < max) {
    while (pos > lo && doc[pos - 1] == ' ') --pos;
    if (pos <= lo || !IsWordByte(static_cast<unsigned char>(doc[pos - 1]))) break;
    std::size_t e = pos;
    while (pos > lo && IsWordByte(static_cast<unsigned char>(doc[pos - 1]))) --pos;
    out.push_back({{pos, e}, FoldKey(doc.substr(pos, e - pos)), true});
  }
  return out;
}

bool In(const MatchView& m, std::string_view lexicon, std::string_view word) {
  return m.lookup(lexicon, word).has_value();
}

bool LooksLikeVerb(const MatchView& m, const std::string& w) {
  if (In(m, "verbs", w)) return true;
  if (w.size() > 4 && w.compare(w.size() - 2, 2, "ed") == 0) return true;
  return false;
}

std::string Join(std::string_view doc, Span a, Span b) {
  return std::string(doc.substr(a.begin, b.end - a.begin));
}

}  // namespace

bool NormalizeCount(const MatchView& m, Fields& out) {
  std::string_view doc = m.document();
  std::optional<double> value, low, high;
  bool approximate = false;
  if (auto v = m.capture_value("vague")) {
    value = ParseCardinal(*v);
    approximate = true;
  }
  if (auto lo = m.capture("low")) {
    low = ParseCardinal(*lo);
    auto hi = m.capture("high");
    if (hi) high = ParseCardinal(*hi);
    if (!low || !high || *high <= *low) return false;
    value = low;
    approximate = true;
  }
  if (!value) {
    auto n = m.capture("number");
    if (!n) return false;
    value = ParseCardinal(*n);
    if (!value) return false;
  }
  if (!value || *value < 0 || !std::isfinite(*value)) return false;
  std::string qualifier;
  if (auto q = m.capture_value("qual")) qualifier = std::string(*q);
  if (!qualifier.empty() && m.lookup("approximate_qualifiers", qualifier)) approximate = true;
  bool percent = m.capture("percent").has_value();

  // The entity: the noun phrase after the number ("25 students", "tens of thousands of people",
  // "two unsanctioned rallies"); its last word is the head.
  Span sentence = m.sentence();
  Span span = m.span();
  std::string entity;
  std::size_t entity_end = span.end;
  if (auto e = m.capture("entity")) {
    entity = std::string(*e);
    entity_end = m.capture_span("entity")->end;
  } else if (!percent) {
    auto words = WordsAfter(doc, span.end, sentence.end, 6);
    std::size_t k = 0;
    if (k < words.size() && words[k].folded == "of") {
      ++k;
      if (k < words.size() && (words[k].folded == "the" || words[k].folded == "them" ||
                               words[k].folded == "those" || words[k].folded == "these"))
        ++k;
    }
    std::size_t first = k, last = k;
    bool any = false;
    for (; k < words.size() && k < first + 3; ++k) {
      const std::string& w = words[k].folded;
      if (!words[k].alpha || In(m, "function_words", w) || In(m, "auxiliaries", w)) break;
      if (any && LooksLikeVerb(m, w)) break;
      last = k;
      any = true;
    }
    if (any) {
      entity = Join(doc, words[first].span, words[last].span);
      entity_end = words[last].span.end;
      if (In(m, "unit_words", words[last].folded)) return false;  // "26 years", "$5 million"
    }
  }
  if (!entity.empty() && In(m, "unit_words", FoldKey(entity))) return false;

  // The event: the verb after the entity (skipping auxiliaries and adverbs) with what follows
  // it up to two words ("remained in detention"), else the verb before the number ("police
  // detained at least two").
  std::string event;
  {
    auto words = WordsAfter(doc, entity_end, sentence.end, 8);
    std::size_t k = 0;
    while (k < words.size() && (In(m, "auxiliaries", words[k].folded) ||
                                In(m, "adverbs", words[k].folded) ||
                                (words[k].folded.size() > 4 && words[k].folded.ends_with("ly"))))
      ++k;
    if (k < words.size() && words[k].alpha && !In(m, "function_words", words[k].folded) &&
        (k > 0 || LooksLikeVerb(m, words[k].folded) || words[k].folded.ends_with("s"))) {
      std::size_t end = k;
      // A particle or a preposition and its noun complete the event: "took place",
      // "remained in detention", "swept up".
      if (k + 1 < words.size() && In(m, "particles", words[k + 1].folded)) {
        end = k + 1;
        if (end + 1 < words.size() && words[end + 1].alpha &&
            !In(m, "function_words", words[end + 1].folded))
          ++end;
      } else if (k + 1 < words.size() && words[k + 1].alpha && !LooksLikeVerb(m, words[k + 1].folded) &&
                 !In(m, "function_words", words[k + 1].folded) && In(m, "light_verbs", words[k].folded)) {
        end = k + 1;
      }
      if (LooksLikeVerb(m, words[k].folded) || In(m, "light_verbs", words[k].folded) || k > 0)
        event = Join(doc, words[k].span, words[end].span);
    }
  }
  if (event.empty()) {
    auto before = WordsBefore(doc, sentence.begin, span.begin, 4);
    for (const Word& w : before) {
      if (LooksLikeVerb(m, w.folded)) {
        event = std::string(doc.substr(w.span.begin, w.span.size()));
        break;
      }
      if (!In(m, "function_words", w.folded) && !In(m, "adverbs", w.folded) &&
          !In(m, "particles", w.folded))
        break;
    }
  }

  out.emplace_back("value", *value);
  if (low) out.emplace_back("low", *low);
  if (high) out.emplace_back("high", *high);
  out.emplace_back("approximate", approximate);
  if (!qualifier.empty()) out.emplace_back("qualifier", qualifier);
  if (percent) out.emplace_back("unit", std::string("percent"));
  if (!entity.empty()) out.emplace_back("entity", entity);
  if (!event.empty()) out.emplace_back("event", event);
  return true;
}

}  // namespace gleaner::internal

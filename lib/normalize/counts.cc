// The "count" normaliser: value, range, qualifier, unit, and the counted entity and event.
//
// Captures: number (digits or words, with an optional scale word), vague (a lexicon term whose
// value is the conventional number: "dozens" -> 24), low/high (a range), qual (qualifier
// lexicon: "at least" -> at_least), percent (present -> unit "percent"), entity (an explicit
// entity capture overrides the search below).
//
// The entity is the noun phrase after the number ("25 students", "dozens of students", "80
// percent of the vote"); for counts above one its head must look plural ("people", "-s"), so
// "47 pleaded guilty" or "14 activists guilty" do not take the verb or the predicate along.
// Failing that, "the number of X ... is N" and "X is N" give the entity before the number.
// The event is, in order: a state word after the entity ("left 260,000 people dead"), the verb
// after "to" when a control verb precedes ("forced thousands to flee"), the verb governing the
// number as its object ("police detained at least two"), the verb after the entity as its
// subject ("25 students were later released"), and for percentages the nearest verb before
// ("won ... with over 80 percent of the vote").
//
// Lexicons of the rule's pack it consults, all optional:
//   function_words  words that end a noun phrase ("were", "in", "who", ...)
//   auxiliaries     skipped between the entity and its verb ("were", "have", "been", ...)
//   adverbs         skipped likewise ("later", "reportedly", ...)
//   verbs           verb forms not ending in -ed/-ing ("swept", "took", "fled", ...)
//   not_verbs       words ending in -ed/-ing that are not verbs ("hundred", "morning")
//   particles       complete a verb: "took place", "swept up"
//   light_verbs     take their complement along: "remained in detention"
//   plural_nouns    plurals without -s ("people", "police", "staff")
//   not_plural      -s words that are not plural heads ("news", "sales")
//   np_modifiers    allowed inside a noun phrase although function-like ("other", "more")
//   post_head       words that follow a head noun and end the phrase ("nationwide", "ago")
//   determiners     skipped between a verb and its object count ("the", "another", "its")
//   states          predicate adjectives that are the event ("dead", "injured", "missing")
//   control_verbs   "forced N to V": the event is V
//   reporting_verbs never the event of an object count ("said 21 were killed")
//   weak_verbs      verbs that say little about the counted ("included", "see")
//   event_nouns     nouns that are the event before "of N" ("arrest of dozens")
//   copulas         "X is N": the entity X comes before the number
//   unit_words      entities that make the number something other than a count ("years",
//                   "dollars", "metres"): the candidate is rejected
//   bare_scales     scale words that make an entity-less number an amount ("421 mln")
//   qualifier       qualifier phrase -> qualifier name
//   approximate_qualifiers  qualifier names that make the count approximate ("about")
#include <cctype>
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
  bool letters = false;  // has a letter (or a non-ASCII character)
  bool digits = false;   // has a digit
  bool gap = false;      // punctuation (not just space) separates it from the previous word
};

// Length of the Unicode punctuation mark (dash, curly quote, ellipsis, guillemet) or
// no-break space starting at `pos`, 0 if there is none. They end words like ASCII
// punctuation does; U+2019 between letters is an apostrophe ("he’d") and is not counted.
std::size_t UnicodePunct(std::string_view doc, std::size_t pos) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(doc[i]); };
  if (pos + 2 < doc.size() && at(pos) == 0xE2 && at(pos + 1) == 0x80) {
    unsigned char c = at(pos + 2);
    if (c == 0x99 && pos > 0 && std::isalpha(at(pos - 1)) && pos + 3 < doc.size() &&
        std::isalpha(at(pos + 3)))
      return 0;
    if (c >= 0x90 && c <= 0xA6) return 3;
  }
  if (pos + 1 < doc.size() && at(pos) == 0xC2 &&
      (at(pos + 1) == 0xA0 || at(pos + 1) == 0xAB || at(pos + 1) == 0xBB))
    return 2;
  return 0;
}

bool IsSpace(std::string_view doc, std::size_t pos) {
  char c = doc[pos];
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool IsNbsp(std::string_view doc, std::size_t pos) {
  return pos + 1 < doc.size() && static_cast<unsigned char>(doc[pos]) == 0xC2 &&
         static_cast<unsigned char>(doc[pos + 1]) == 0xA0;
}

bool IsWordByteAt(std::string_view doc, std::size_t pos) {
  unsigned char c = static_cast<unsigned char>(doc[pos]);
  if (c >= 0x80) return UnicodePunct(doc, pos) == 0;
  return std::isalnum(c) || c == '-' || c == '\'';
}

Word MakeWord(std::string_view doc, std::size_t b, std::size_t e, bool gap) {
  // A hyphen glued to the number belongs to a compound ("150-metre"): the word is "metre".
  while (b < e && doc[b] == '-') ++b;
  Word w{{b, e}, FoldKey(doc.substr(b, e - b)), false, false, gap};
  for (unsigned char c : doc.substr(b, e - b)) {
    w.letters |= std::isalpha(c) || c >= 0x80;
    w.digits |= std::isdigit(c) != 0;
  }
  return w;
}

// Up to `max` words after `pos` within [pos, hi). Punctuation other than '-' between words
// sets `gap` on the next word; a paragraph break or punctuation before the first word stops.
std::vector<Word> WordsAfter(std::string_view doc, std::size_t pos, std::size_t hi, int max) {
  std::vector<Word> out;
  hi = std::min(hi, doc.size());
  bool gap = false;
  while (pos < hi && static_cast<int>(out.size()) < max) {
    int newlines = 0;
    while (pos < hi) {
      if (IsSpace(doc, pos)) {
        newlines += doc[pos] == '\n';
        ++pos;
      } else if (IsNbsp(doc, pos)) {
        pos += 2;
      } else if (!IsWordByteAt(doc, pos) && !out.empty()) {
        gap = true;
        std::size_t n = UnicodePunct(doc, pos);
        pos += n ? n : 1;
      } else {
        break;
      }
    }
    if (newlines > 1 || pos >= hi || !IsWordByteAt(doc, pos)) break;
    std::size_t b = pos;
    while (pos < hi && IsWordByteAt(doc, pos)) ++pos;
    // A trailing hyphen or apostrophe that is not part of the word ("rallies'" stays).
    std::size_t e = pos;
    while (e > b + 1 && doc[e - 1] == '-') --e;
    out.push_back(MakeWord(doc, b, e, gap));
    gap = false;
  }
  return out;
}

// Up to `max` words before `pos`, nearest first, stopping at any punctuation.
std::vector<Word> WordsBefore(std::string_view doc, std::size_t lo, std::size_t pos, int max) {
  std::vector<Word> out;
  while (pos > lo && static_cast<int>(out.size()) < max) {
    int newlines = 0;
    while (pos > lo && (IsSpace(doc, pos - 1) || (pos >= lo + 2 && IsNbsp(doc, pos - 2)))) {
      if (IsSpace(doc, pos - 1)) {
        newlines += doc[pos - 1] == '\n';
        --pos;
      } else {
        pos -= 2;
      }
    }
    if (newlines > 1 || pos <= lo || !IsWordByteAt(doc, pos - 1)) break;
    // The last byte of a multi-byte punctuation mark.
    if (pos >= lo + 3 && UnicodePunct(doc, pos - 3) == 3) break;
    std::size_t e = pos;
    while (pos > lo && IsWordByteAt(doc, pos - 1) &&
           !(pos >= lo + 3 && UnicodePunct(doc, pos - 3) == 3))
      --pos;
    out.push_back(MakeWord(doc, pos, e, false));
  }
  return out;
}

class Lex {
 public:
  explicit Lex(const MatchView& m) : m_(m) {}
  bool In(std::string_view lexicon, std::string_view word) const {
    return m_.lookup(lexicon, word).has_value();
  }
  bool Ends(std::string_view w, std::string_view suffix) const {
    return w.size() > suffix.size() + 2 && w.ends_with(suffix);
  }
  // Function words end a phrase; "other", "more" do not inside a noun phrase.
  bool Function(const Word& w) const {
    return In("function_words", w.folded) || In("auxiliaries", w.folded);
  }
  bool Adverb(const Word& w) const {
    return In("adverbs", w.folded) ||
           (w.folded.size() > 4 && w.folded.ends_with("ly") && !In("not_adverbs", w.folded));
  }
  // A verb form: listed, or a participle in -ed/-ing that is not a known noun.
  bool Verb(const Word& w) const {
    if (!w.letters || w.digits) return false;
    if (In("verbs", w.folded)) return true;
    if (In("not_verbs", w.folded)) return false;
    return Ends(w.folded, "ed") || Ends(w.folded, "ing");
  }
  bool Plural(const Word& w) const {
    const std::string& f = w.folded;
    if (!w.letters || In("not_plural", f)) return false;
    if (In("plural_nouns", f) || Ends(f, "men")) return true;
    if (f.size() <= 3 || f.back() != 's') return false;
    for (std::string_view s : {"ss", "us", "is", "'s", "\xE2\x80\x99s"})
      if (f.ends_with(s)) return false;
    return true;
  }
  // Could continue a noun phrase: a content word that is not a verb form or an adverb.
  bool NounLike(const Word& w) const {
    return w.letters && !w.gap && !Function(w) && !Adverb(w) && !In("post_head", w.folded) &&
           !In("states", w.folded) && (!Verb(w) || Plural(w));
  }

 private:
  const MatchView& m_;
};

struct Phrase {
  std::size_t first = 0, last = 0;  // indices into the word list, inclusive
  bool found = false;
};

// The noun phrase starting at words[k]. `singular_ok`: the head may be singular (a count of
// one, a percentage); otherwise it must look plural.
Phrase NounPhrase(const Lex& lex, const std::vector<Word>& words, std::size_t k, bool singular_ok) {
  Phrase p;
  std::size_t n = 0;
  for (std::size_t i = k; i < words.size() && n < 5; ++i, ++n) {
    const Word& w = words[i];
    if (!w.letters || (i > k && w.gap)) break;
    bool modifier = lex.In("np_modifiers", w.folded);
    if (!modifier && (lex.Function(w) || lex.Adverb(w) || lex.In("post_head", w.folded))) break;
    if (lex.In("states", w.folded) && !(i + 1 < words.size() && lex.NounLike(words[i + 1]))) break;
    bool plural = lex.Plural(w);
    // A participle before the nouns modifies them ("15 injured people"); after a noun it is
    // the verb ("one defendant received").
    if (!plural && lex.Verb(w) &&
        (p.found || !(i + 1 < words.size() && lex.NounLike(words[i + 1]))))
      break;
    if (!p.found) p.first = i;
    p.found = true;
    p.last = i;
    if (plural && !modifier) {
      // Compound plurals continue: "police officers", "Rohingya Muslim refugees".
      while (p.last + 1 < words.size() && lex.NounLike(words[p.last + 1]) &&
             lex.Plural(words[p.last + 1]) && !lex.In("copulas", words[p.last + 1].folded) &&
             !lex.In("verbs", words[p.last + 1].folded))
        ++p.last;
      return p;
    }
  }
  if (!singular_ok || !p.found) return {};
  // Trailing modifiers are no head ("three more").
  while (p.last > p.first && lex.In("np_modifiers", words[p.last].folded)) --p.last;
  if (lex.In("np_modifiers", words[p.last].folded)) return {};
  return p;
}

std::string Join(std::string_view doc, Span a, Span b) {
  return std::string(doc.substr(a.begin, b.end - a.begin));
}

// The verb at words[k] with a particle and its noun ("took place", "remained in detention").
std::string VerbGroup(const Lex& lex, std::string_view doc, const std::vector<Word>& words,
                      std::size_t k) {
  std::size_t end = k;
  auto ok = [&](std::size_t i) { return i < words.size() && !words[i].gap && words[i].letters; };
  if (ok(k + 1) && lex.In("particles", words[k + 1].folded)) {
    end = k + 1;
    if (lex.In("light_verbs", words[k].folded) && ok(end + 1) && !lex.Function(words[end + 1]))
      ++end;
  } else if (ok(k + 1) && lex.In("light_verbs", words[k].folded) && !lex.Verb(words[k + 1]) &&
             !lex.Function(words[k + 1])) {
    end = k + 1;
  }
  return Join(doc, words[k].span, words[end].span);
}

// The verb whose subject ends at words[0]: skips auxiliaries, adverbs, negation, a relative
// pronoun ("people who had fled") and a reduced relative ("rallies organized by X took
// place"). `bare_ok`: a bare word counts as a verb (no entity: "Thousands return").
std::string SubjectVerb(const Lex& lex, std::string_view doc, const std::vector<Word>& words,
                        bool bare_ok) {
  std::size_t k = 0;
  bool aux = false;
  if (k < words.size() && !words[k].gap &&
      (words[k].folded == "who" || words[k].folded == "that" || words[k].folded == "which")) {
    ++k;
    aux = true;  // a relative pronoun licenses a bare verb like an auxiliary does
  }
  while (k < words.size() && !words[k].gap &&
         (lex.In("auxiliaries", words[k].folded) || lex.Adverb(words[k]) ||
          words[k].folded == "not" || words[k].folded == "never")) {
    aux |= lex.In("auxiliaries", words[k].folded);
    ++k;
  }
  if (k >= words.size() || words[k].gap || !words[k].letters) return "";
  const Word& w = words[k];
  if (lex.Verb(w)) {
    // "rallies organized separately by students took place": the participle modifies the
    // subject; the clause's verb comes after the agent.
    std::size_t j = k + 1;
    while (j < words.size() && !words[j].gap && lex.Adverb(words[j])) ++j;
    if (!aux && lex.Ends(w.folded, "ed") && j < words.size() && !words[j].gap &&
        words[j].folded == "by") {
      for (std::size_t i = j + 2; i < words.size() && i < j + 8 && !words[i].gap; ++i)
        if (lex.In("verbs", words[i].folded) || lex.In("light_verbs", words[i].folded) ||
            (lex.Ends(words[i].folded, "ed") && !lex.In("not_verbs", words[i].folded)))
          return VerbGroup(lex, doc, words, i);
    }
    return VerbGroup(lex, doc, words, k);
  }
  if (lex.Function(w) || lex.In("unit_words", w.folded)) return "";
  if (aux || bare_ok || lex.In("light_verbs", w.folded)) return VerbGroup(lex, doc, words, k);
  return "";
}

}  // namespace

bool NormalizeCount(const MatchView& m, Fields& out) {
  Lex lex(m);
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
  bool singular = percent || *value <= 1;

  Span sentence = m.sentence();
  Span span = m.span();
  std::string entity;
  std::size_t entity_end = span.end;
  auto after = WordsAfter(doc, span.end, sentence.end, 16);
  // A compound glued by a hyphen ("150-metre ravine", "three-day strike") measures something.
  if (!after.empty() && after[0].span.begin > span.end && doc[span.end] == '-' &&
      lex.In("unit_words", after[0].folded))
    return false;
  if (auto e = m.capture("entity")) {
    entity = std::string(*e);
    entity_end = m.capture_span("entity")->end;
  } else {
    std::size_t k = 0;
    if (k + 1 < after.size() && after[k].folded == "out" && after[k + 1].folded == "of") ++k;
    bool of = k < after.size() && after[k].folded == "of" && !after[k].gap;
    if (of) {
      ++k;
      if (k < after.size() && lex.In("pronouns", after[k].folded)) k = after.size();
      while (k < after.size() && lex.In("determiners", after[k].folded)) ++k;
      // "120 of its 364 stores": the total between the determiner and the noun.
      if (k + 1 < after.size() && after[k].digits && !after[k].letters && !after[k + 1].gap) ++k;
    }
    Phrase p = NounPhrase(lex, after, k, singular || of);
    if (p.found) {
      entity = Join(doc, after[p.first].span, after[p.last].span);
      entity_end = after[p.last].span.end;
      // "26 years", "0.17 cent higher": a measure, not a count.
      for (std::size_t i = p.first; i <= p.last; ++i)
        if (lex.In("unit_words", after[i].folded)) return false;
    }
  }
  if (!entity.empty() && lex.In("unit_words", FoldKey(entity))) return false;
  // "from 421 mln in 1985": an abbreviated scale with nothing counted is an amount of money.
  if (entity.empty() && !percent) {
    auto n = m.capture("number");
    std::string folded = n ? FoldKey(*n) : std::string();
    std::size_t sp = folded.find_last_of(" 0123456789");
    if (sp != std::string::npos && lex.In("bare_scales", folded.substr(sp + 1))) return false;
  }
  if (entity.empty() && !after.empty() && !after[0].gap && lex.In("unit_words", after[0].folded))
    return false;

  auto before = WordsBefore(doc, sentence.begin, span.begin, 16);
  if (entity.empty()) {
    // "the number of affected workers stands at 7 400": the phrase after "number of".
    for (std::size_t i = 1; i < before.size(); ++i) {
      if (before[i].folded == "number" && before[i - 1].folded == "of") {
        auto words = WordsAfter(doc, before[i - 1].span.end, span.begin, 5);
        Phrase p = NounPhrase(lex, words, 0, true);
        if (p.found) entity = Join(doc, words[p.first].span, words[p.last].span);
        break;
      }
    }
  }
  if (entity.empty() && !before.empty() && lex.In("copulas", before[0].folded)) {
    // "The daily footfall is 1,500": the noun right before the copula.
    std::size_t i = 1;
    if (i < before.size() && lex.In("copulas", before[i].folded)) ++i;
    if (i < before.size() && lex.NounLike(before[i]) && !lex.Verb(before[i]) && !before[i].digits)
      entity = std::string(doc.substr(before[i].span.begin, before[i].span.size()));
  }

  std::string event;
  auto rest = WordsAfter(doc, entity_end, sentence.end, 16);
  // A state after the entity: "left 260,000 people dead", "dozens injured".
  if (!rest.empty() && !rest[0].gap && lex.In("states", rest[0].folded))
    event = std::string(doc.substr(rest[0].span.begin, rest[0].span.size()));

  // The verb the count is the object of: "police detained at least two", "swept up
  // thousands", "the arrest of dozens", "to rescue about 140 hikers".
  std::string object_verb;
  bool control = false;
  {
    std::size_t i = 0;
    while (i < before.size() && lex.In("determiners", before[i].folded)) ++i;
    // "boarded a total of 1,000": the verb before the measure phrase.
    if (i + 1 < before.size() && before[i].folded == "of" && before[i + 1].folded == "total") {
      i += 2;
      while (i < before.size() && lex.In("determiners", before[i].folded)) ++i;
    }
    auto verb_at = [&](std::size_t j) {
      return j < before.size() && lex.Verb(before[j]) &&
             !lex.In("reporting_verbs", before[j].folded) &&
             !lex.In("weak_verbs", before[j].folded);
    };
    auto text = [&](std::size_t j) {
      return std::string(doc.substr(before[j].span.begin, before[j].span.size()));
    };
    if (i < before.size()) {
      const Word& w = before[i];
      if (lex.In("particles", w.folded) && verb_at(i + 1)) {
        object_verb = Join(doc, before[i + 1].span, w.span);
        control = lex.In("control_verbs", before[i + 1].folded);
      } else if (verb_at(i)) {
        object_verb = text(i);
        control = lex.In("control_verbs", w.folded);
      } else if ((w.folded == "of" || w.folded == "for" || w.folded == "at") &&
                 i + 1 < before.size() &&
                 (lex.In("event_nouns", before[i + 1].folded) || verb_at(i + 1))) {
        object_verb = text(i + 1);
      } else if (w.letters && !w.digits && !lex.Function(w) &&
                 !lex.In("reporting_verbs", w.folded) && !lex.In("weak_verbs", w.folded) &&
                 !lex.In("unit_words", w.folded) && i + 1 < before.size() &&
                 lex.In("infinitive_markers", before[i + 1].folded)) {
        object_verb = text(i);  // "to rescue about 140", "will shut at least 120"
        control = lex.In("control_verbs", w.folded);
      } else if (i == 0 && w.letters && w.folded.size() > 4 && w.folded.back() == 's' &&
                 !lex.Function(w) && !lex.In("plural_nouns", w.folded) &&
                 !lex.In("not_plural", w.folded) && !lex.In("unit_words", w.folded) &&
                 !lex.In("reporting_verbs", w.folded) && !lex.In("weak_verbs", w.folded) &&
                 (i + 1 >= before.size() || lex.In("relative_pronouns", before[i + 1].folded) ||
                  std::isupper(static_cast<unsigned char>(doc[before[i + 1].span.begin])))) {
        object_verb = text(i);  // "Egypt sentences 529 Islamists", "which employs 58 000"
      }
    }
  }
  if (event.empty() && control && rest.size() >= 2 && rest[0].folded == "to" && !rest[1].gap &&
      !lex.Function(rest[1])) {
    std::vector<Word> tail(rest.begin() + 1, rest.end());
    event = VerbGroup(lex, doc, tail, 0);  // "forced thousands to flee"
  }
  if (event.empty()) event = object_verb;
  if (event.empty()) event = SubjectVerb(lex, doc, rest, entity.empty() && !percent);
  if (event.empty() && percent) {
    // "won the August 9 elections with over 80 percent of the vote".
    for (std::size_t i = 0; i < before.size() && i < 8; ++i) {
      if (lex.In("reporting_verbs", before[i].folded)) break;
      if (lex.Verb(before[i]) && !lex.In("weak_verbs", before[i].folded)) {
        event = std::string(doc.substr(before[i].span.begin, before[i].span.size()));
        break;
      }
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

// The "count" normaliser: value, range, qualifier, unit, and the counted entity and event.
//
// Captures: number (digits or words, with an optional scale word), vague (a lexicon term whose
// value is the conventional number: "dozens" -> 24), low/high (a range), qual (qualifier
// lexicon: "at least" -> at_least), percent (present -> unit "percent"), entity (an explicit
// entity capture overrides the search below).
//
// The entity is the noun phrase after the number ("31 miners", "dozens of nurses", "64
// percent of the ballots"); for counts above one its head must look plural ("people", "-s", "MPs"),
// so "19 pleaded guilty" or "8 bankers guilty" do not take the verb or the predicate along.
// The items of a number list share the noun after the last one ("97, 54 and 12 seats").
// Failing that, "the number of X ... is N" and "X is N" give the entity before the number, and
// for a percentage after a verb of change, its subject does ("the catch fell 18 percent").
// The event is, in order: a state word after the entity ("left 180,000 civilians dead"), the verb
// after "to" when a control verb precedes ("forced thousands to abandon"), a toll ("the death toll
// climbed to 48"), a participle after "number of" ("the number of wounded"), the counted noun
// itself when it is an event ("45 arrests"), the verb governing the number as its object
// ("troops arrested at least four", "followed by several landslides"), the verb after the
// entity as its subject ("31 miners were later freed", "climbers who were stranded have been
// rescued", "were among those detained", "are still in police custody"), the same verb past a
// prepositional phrase, a coordinated noun or a parenthetical ("120,000 residents in the region
// have contracted"), for percentages the nearest verb before ("triumphed ... with over 64
// percent of the ballots"), and last a participle inside the entity ("three reported injuries").
//
// The normaliser also rejects what reads as a number but counts nothing: hyphenated compounds
// ("a 15-man game", "one-off"), fractions of a unit ("7.83 seconds"), years as range ends, a
// number before a singular noun ("the 7610 phone"), and small bare numbers that name nothing
// and say nothing happened ("Halo 2", "the last 16", "a legal one").
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
//   number_word     number words, to recognise the items of a number list
//   in_states       nouns after "are in" that make a state ("custody", "hospital")
//   main_auxiliaries, subject_pronouns  the main clause after a relative clause
//   clause_breakers words that end the search for a distant verb ("but", "when", "said")
//   number_nouns    "the number/figure/total of X"
//   toll_nouns, toll_modifiers  "the (death) toll ... N"
//   measure_nouns, ordinals     "a total of", "a first batch of" before the number
//   change_links, change_verbs, subject_links  "X (in Y) fell by N percent"
//   light_objects   verbs that give way to an event noun ("made 60 arrests")
//   peoples         names of peoples without a plural -s ("3,000 Rohingya")
//   verdict_verbs, verdicts     "found 14 activists guilty"
//   result_verbs    "left N soldiers and some rebels dead"
//   possession_verbs "which has 311 seats"
//   prep_particles  prepositions that complete a verb only before a bare word
//   compound_counts hyphenated words that keep the count ("10,000-strong")
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "count/count.h"
#include "text/numbers.h"
#include "text/text.h"

namespace gleaner::internal {
namespace {

struct Word {
  Span span;
  std::string folded;
  bool letters = false;         // has a letter (or a non-ASCII character)
  bool digits = false;          // has a digit
  bool gap = false;             // punctuation (not just space) separates it from the previous word
  bool acronym_plural = false;  // "MPs", "DJs", "CEOs": capitals then a plural -s
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
  if (e - b >= 3 && doc[e - 1] == 's') {
    w.acronym_plural = true;
    for (std::size_t i = b; i + 1 < e; ++i)
      w.acronym_plural &= std::isupper(static_cast<unsigned char>(doc[i])) != 0;
  }
  return w;
}

// Up to `max` words after `pos` within [pos, hi). Punctuation other than '-' between words
// sets `gap` on the next word; a paragraph break stops, and so does punctuation before the
// first word unless `lead_gap` (then the first word has `gap`: "436 bodies, including ...").
std::vector<Word> WordsAfter(std::string_view doc, std::size_t pos, std::size_t hi, int max,
                             bool lead_gap = false) {
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
      } else if (doc[pos] == '%' && !out.empty() && out.back().digits) {
        ++pos;  // "40% of the total": the sign belongs to the number, it separates nothing
      } else if (!IsWordByteAt(doc, pos) && (!out.empty() || lead_gap)) {
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

// "months'" -> "months", "week’s" -> "week": the noun under a possessive.
std::string_view StripPossessive(std::string_view w) {
  if (w.ends_with("'s")) return w.substr(0, w.size() - 2);
  if (w.ends_with("\xE2\x80\x99s")) return w.substr(0, w.size() - 4);
  if (w.ends_with("'")) return w.substr(0, w.size() - 1);
  if (w.ends_with("\xE2\x80\x99")) return w.substr(0, w.size() - 3);
  return w;
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
    if (In("plural_nouns", f) || Ends(f, "men") || w.acronym_plural) return true;
    if (f.size() <= 3 || f.back() != 's') return false;
    for (std::string_view s : {"ss", "us", "is", "'s", "\xE2\x80\x99s"})
      if (f.ends_with(s)) return false;
    return true;
  }
  // A number written in digits or words ("81", "twenty-one"), an item of a number list.
  bool NumberLike(const Word& w) const {
    if (w.digits) return !w.letters;
    std::size_t dash = w.folded.find('-');
    return In("number_word", w.folded.substr(0, dash));
  }
  // A participle that says what happened to the counted ("reported deaths", "affected
  // workers", "rescued migrants"): a listed state or an -ed form.
  bool Participle(const Word& w) const {
    if (!w.letters || w.digits || In("not_verbs", w.folded)) return false;
    return In("states", w.folded) || (Ends(w.folded, "ed") && !In("np_modifiers", w.folded));
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
  bool content = false;  // a word other than an np_modifier is in the phrase
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
        (content || !(i + 1 < words.size() && lex.NounLike(words[i + 1]))))
      break;
    if (!p.found) p.first = i;
    p.found = true;
    p.last = i;
    content |= !modifier;  // "new suspected cases": a participle may follow "new"
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
// `*last` receives the index of the group's last word.
std::string VerbGroup(const Lex& lex, std::string_view doc, const std::vector<Word>& words,
                      std::size_t k, std::size_t* last = nullptr) {
  std::size_t end = k;
  auto ok = [&](std::size_t i) { return i < words.size() && !words[i].gap && words[i].letters; };
  // A preposition completes the verb unless a name, a number or a noun phrase follows it
  // ("arrested on Friday", "sold in 1986", "fired at the crowd" stay bare).
  auto particle = [&](std::size_t i) {
    if (!ok(i) || !lex.In("particles", words[i].folded)) return false;
    if (!lex.In("prep_particles", words[i].folded) || !ok(i + 1)) return true;
    const Word& next = words[i + 1];
    return !(std::isupper(static_cast<unsigned char>(doc[next.span.begin])) || next.digits ||
             lex.In("determiners", next.folded));
  };
  if (particle(k + 1)) {
    end = k + 1;
    if (lex.In("light_verbs", words[k].folded) && ok(end + 1) && !lex.Function(words[end + 1]))
      ++end;
  } else if (ok(k + 1) && lex.In("light_verbs", words[k].folded) && !lex.Verb(words[k + 1]) &&
             !lex.Function(words[k + 1])) {
    end = k + 1;
  }
  if (last != nullptr) *last = end;
  return Join(doc, words[k].span, words[end].span);
}

struct VerbHit {
  std::string text;
  std::size_t first = 0, last = 0;  // indices of the verb group's words, inclusive
};

VerbHit Group(const Lex& lex, std::string_view doc, const std::vector<Word>& words, std::size_t k) {
  VerbHit hit;
  hit.first = k;
  hit.text = VerbGroup(lex, doc, words, k, &hit.last);
  return hit;
}

bool Relative(const Word& w) {
  return !w.gap && (w.folded == "who" || w.folded == "that" || w.folded == "which");
}

// The verb whose subject ends right before words[k]: skips auxiliaries, adverbs, negation, a
// relative pronoun ("people who had fled") and a reduced relative ("rallies organized by X
// took place"). `bare_ok`: a bare word counts as a verb (no entity: "Thousands return");
// `aux`: an auxiliary came before words[k] already.
VerbHit SubjectVerb(const Lex& lex, std::string_view doc, const std::vector<Word>& words,
                    bool bare_ok, std::size_t k = 0, bool aux = false) {
  auto text = [&](std::size_t i) {
    return std::string(doc.substr(words[i].span.begin, words[i].span.size()));
  };
  // The first word may follow punctuation: the caller has skipped a parenthetical.
  const std::size_t start = k;
  auto ok = [&](std::size_t i) {
    return i < words.size() && (i == start || !words[i].gap) && words[i].letters;
  };
  if (k < words.size() &&
      (words[k].folded == "who" || words[k].folded == "that" || words[k].folded == "which")) {
    ++k;
    aux = true;  // a relative pronoun licenses a bare verb like an auxiliary does
  }
  // "in" is skipped like an adverb unless it opens a state ("are in police custody").
  auto in_state = [&](std::size_t i) {
    if (words[i].folded != "in") return false;
    for (std::size_t j = i + 1; j < i + 4 && ok(j); ++j)
      if (lex.In("in_states", words[j].folded)) return true;
    return false;
  };
  while (ok(k) && !in_state(k) &&
         (lex.In("auxiliaries", words[k].folded) || lex.Adverb(words[k]) ||
          words[k].folded == "not" || words[k].folded == "never")) {
    aux |= lex.In("auxiliaries", words[k].folded);
    ++k;
  }
  if (!ok(k)) return {};
  const Word& w = words[k];
  // "were among those detained", "are among the dead".
  if (aux && w.folded == "among" && ok(k + 2) &&
      (words[k + 1].folded == "those" || words[k + 1].folded == "the") &&
      (lex.Verb(words[k + 2]) || lex.Participle(words[k + 2])))
    return {text(k + 2), k + 2, k + 2};
  // "were without power", "are in police custody": a state named by a phrase.
  if (aux && w.folded == "without" && ok(k + 1) && !lex.Function(words[k + 1]))
    return {Join(doc, w.span, words[k + 1].span), k, k + 1};
  if (aux && w.folded == "in") {
    for (std::size_t i = k + 1; i < k + 4 && ok(i); ++i)
      if (lex.In("in_states", words[i].folded)) return {Join(doc, w.span, words[i].span), k, i};
  }
  // "remain housed in shelters", "stayed trapped": the state after a light verb.
  if (lex.In("light_verbs", w.folded) && ok(k + 1) && lex.Participle(words[k + 1]))
    return {text(k + 1), k + 1, k + 1};
  if (lex.Verb(w)) {
    // "clinics have been forced to close": the event is what they were made to do.
    if (aux && lex.In("control_verbs", w.folded) && ok(k + 2) && words[k + 1].folded == "to" &&
        !lex.Function(words[k + 2])) {
      VerbHit inner = SubjectVerb(lex, doc, words, true, k + 2, true);
      if (!inner.text.empty()) return inner;
    }
    // "were reported to be heading", "are feared dead": the report frames the real event.
    if (aux && lex.In("reporting_verbs", w.folded) && ok(k + 1)) {
      if (words[k + 1].folded == "to") {
        VerbHit inner = SubjectVerb(lex, doc, words, false, k + 2, true);
        if (!inner.text.empty()) return inner;
      } else if (lex.Participle(words[k + 1])) {
        return {text(k + 1), k + 1, k + 1};
      }
    }
    // "rallies organized separately by students took place": the participle modifies the
    // subject; the clause's verb comes after the agent.
    std::size_t j = k + 1;
    while (ok(j) && lex.Adverb(words[j])) ++j;
    if (!aux && lex.Ends(w.folded, "ed") && ok(j) && words[j].folded == "by") {
      for (std::size_t i = j + 2; i < words.size() && i < j + 8 && !words[i].gap; ++i)
        if (lex.In("verbs", words[i].folded) || lex.In("light_verbs", words[i].folded) ||
            (lex.Ends(words[i].folded, "ed") && !lex.In("not_verbs", words[i].folded))) {
          return Group(lex, doc, words, i);
        }
    }
    return Group(lex, doc, words, k);
  }
  if (lex.Function(w) || lex.In("unit_words", w.folded)) return {};
  // A capitalised word after the number is a name ("7,000 Revolutionary Armed Forces").
  if (std::isupper(static_cast<unsigned char>(doc[w.span.begin]))) return {};
  if (aux || bare_ok || lex.In("light_verbs", w.folded)) return Group(lex, doc, words, k);
  return {};
}

// The main clause's verb after a relative clause that ended at words[from - 1]: "Nine people
// who became trapped when a blaze broke out have been rescued". Only a passive or perfect
// ("were", "have been") not led by a pronoun of its own ("who said they had been beaten").
VerbHit MainVerbAfterRelative(const Lex& lex, std::string_view doc, const std::vector<Word>& words,
                              std::size_t from) {
  for (std::size_t j = from; j < words.size() && j < from + 16; ++j) {
    const Word& w = words[j];
    if (w.digits || lex.In("reporting_verbs", w.folded)) break;
    if (!lex.In("main_auxiliaries", w.folded)) continue;
    if (j > 0 && lex.In("subject_pronouns", words[j - 1].folded)) continue;
    VerbHit hit = SubjectVerb(lex, doc, words, false, j);
    if (!hit.text.empty() && (lex.Participle(words[hit.first]) || lex.Verb(words[hit.first])))
      return hit;
  }
  return {};
}

// The verb of a subject count separated from it by a prepositional phrase, a coordinated
// noun or a parenthetical: "nearly 120,000 residents in the region have contracted", "Five
// guards and a driver were injured", "212 skeletons, including those of infants, were unearthed",
// "27 apprentices from a mining school vanished". `words` start right after the entity.
VerbHit DistantVerb(const Lex& lex, std::string_view doc, const std::vector<Word>& words) {
  bool paren = false;  // inside a comma-delimited parenthetical
  for (std::size_t i = 0; i < words.size() && i < 14; ++i) {
    const Word& w = words[i];
    if (!w.letters && !w.digits) return {};
    if (w.gap) {
      if (paren) {
        paren = false;  // closed: the next word must carry the predicate
        if (lex.In("auxiliaries", w.folded) || Relative(w))
          return SubjectVerb(lex, doc, words, false, i);
        if (lex.Verb(w) && !lex.In("reporting_verbs", w.folded)) {
          return Group(lex, doc, words, i);
        }
        return {};
      }
      // "another 1,800, or 30% of the total, were damaged" opens a parenthetical; a comma
      // right before an auxiliary closes the subject instead ("the city's total, were").
      if (lex.In("auxiliaries", w.folded) && !lex.Adverb(w)) {
        VerbHit hit = SubjectVerb(lex, doc, words, false, i);
        if (!hit.text.empty() && (lex.Verb(words[hit.first]) || lex.Participle(words[hit.first])))
          return hit;
        return {};
      }
      paren = true;
      continue;
    }
    if (paren) continue;  // "including", "known as": participles inside the parenthetical
    // A number ends the subject unless it is part of a name ("the Hong Kong 47").
    if (w.digits &&
        !(i > 0 && std::isupper(static_cast<unsigned char>(doc[words[i - 1].span.begin]))))
      return {};
    if (lex.In("clause_breakers", w.folded) || lex.In("reporting_verbs", w.folded)) return {};
    if (Relative(w) || lex.In("auxiliaries", w.folded)) {
      if (i == 0) return {};
      VerbHit hit = SubjectVerb(lex, doc, words, false, i);
      if (hit.text.empty()) return {};
      const Word& v = words[hit.first];
      // "tenants and that many more shops": a relative pronoun with no verb after it.
      if (lex.Verb(v) || lex.Participle(v) || lex.In("function_words", v.folded)) return hit;
      return {};
    }
    // A participle before a noun modifies it ("people with established identities"); a verb
    // form right after a preposition is a gerund inside the phrase ("allegations of rigging").
    if (i > 0 && lex.Verb(w) && !lex.Function(w) && !lex.Function(words[i - 1]) &&
        !(i + 1 < words.size() && !words[i + 1].gap && lex.NounLike(words[i + 1])))
      return Group(lex, doc, words, i);
  }
  return {};
}

// A number just before `pos` ("132" in "132, 81"): its start, or npos.
std::size_t NumberBefore(const Lex& lex, std::string_view doc, std::size_t lo, std::size_t pos) {
  auto digit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(doc[i])); };
  if (pos > lo && digit(pos - 1)) {
    std::size_t b = pos;
    while (b > lo && (digit(b - 1) ||
                      ((doc[b - 1] == ',' || doc[b - 1] == '.') && b - 1 > lo && digit(b - 2))))
      --b;
    if (b > lo && std::isalpha(static_cast<unsigned char>(doc[b - 1]))) return std::string::npos;
    return b;
  }
  auto w = WordsBefore(doc, lo, pos, 1);
  if (w.empty() || w[0].span.end != pos || !lex.NumberLike(w[0])) return std::string::npos;
  return w[0].span.begin;
}

// A number just after `pos`, returning its end, or npos.
std::size_t NumberAfter(const Lex& lex, std::string_view doc, std::size_t pos, std::size_t hi) {
  auto digit = [&](std::size_t i) {
    return i < hi && std::isdigit(static_cast<unsigned char>(doc[i]));
  };
  if (digit(pos)) {
    std::size_t e = pos;
    while (digit(e) || ((e < hi && (doc[e] == ',' || doc[e] == '.')) && digit(e + 1))) ++e;
    if (e < hi && std::isalpha(static_cast<unsigned char>(doc[e]))) return std::string::npos;
    return e;
  }
  auto w = WordsAfter(doc, pos, hi, 1);
  if (w.empty() || w[0].span.begin != pos || !lex.NumberLike(w[0])) return std::string::npos;
  return w[0].span.end;
}

std::size_t SkipSpaces(std::string_view doc, std::size_t pos, std::size_t hi) {
  while (pos < hi && doc[pos] == ' ') ++pos;
  return pos;
}

// "132, 81 and 79 seats": the end of the number list that continues after `pos` (`pos` when
// there is none). A list needs its "and"/"or"; `conj` tells whether one was seen.
std::size_t NumberListEnd(const Lex& lex, std::string_view doc, std::size_t pos, std::size_t hi,
                          bool* conj) {
  std::size_t p = pos;
  *conj = false;
  for (int items = 0; items < 8; ++items) {
    std::size_t q = SkipSpaces(doc, p, hi);
    bool comma = q < hi && doc[q] == ',';
    if (comma) q = SkipSpaces(doc, q + 1, hi);
    bool c = false;
    for (std::string_view word : {"and ", "or "}) {
      if (doc.substr(q, word.size()) == word) {
        c = true;
        q = SkipSpaces(doc, q + word.size(), hi);
        break;
      }
    }
    if (!comma && !c) break;
    std::size_t e = NumberAfter(lex, doc, q, hi);
    if (e == std::string::npos) break;
    p = e;
    if (c) {
      *conj = true;
      return p;
    }
  }
  return pos;
}

// The start of the number list that ends right before `pos` ("81" in "secure 132, 81 and
// 79 seats" starts at "132"), or `pos`. `conj_ahead`: the list's "and" comes later.
std::size_t NumberListStart(const Lex& lex, std::string_view doc, std::size_t lo, std::size_t pos,
                            bool conj_ahead) {
  std::size_t start = pos;
  bool conj = conj_ahead;
  for (int items = 0; items < 8; ++items) {
    std::size_t q = start;
    while (q > lo && doc[q - 1] == ' ') --q;
    bool c = false;
    for (std::string_view word : {" and", " or"}) {
      if (q >= lo + word.size() && doc.substr(q - word.size(), word.size()) == word) {
        c = true;
        q -= word.size();
        while (q > lo && doc[q - 1] == ' ') --q;
        break;
      }
    }
    bool comma = q > lo && doc[q - 1] == ',';
    if (comma) {
      --q;
      while (q > lo && doc[q - 1] == ' ') --q;
    }
    if (!c && !comma) break;
    std::size_t b = NumberBefore(lex, doc, lo, q);
    if (b == std::string::npos) break;
    start = b;
    conj |= c;
  }
  return conj ? start : pos;
}

// One count candidate read in named steps: its value; the entity after it, with what shows the
// number is no count (a measure, a model number, a year); the entity named before it ("the
// number of ...", a toll, a copula); the event (what happened to the counted); for a
// percentage, what changed. A step returns false when the candidate is no count.
struct CountReading {
  explicit CountReading(const MatchView& view)
      : m(view), lex(view), doc(view.document()), sentence(view.sentence()), span(view.span()) {}

  // Says why the reading fails (explain shows it) and fails.
  bool Reject(const char* why) const {
    m.reject_reason(why);
    return false;
  }

  bool Read(Fields& out) {
    if (!ReadValue() || !ReadEntityAfter()) return false;  // each says why
    ReadEntityBefore();
    ReadEvent();
    ReadPercentAndFallbacks();
    if (!CountsSomething()) return false;
    Write(out);
    return true;
  }

  std::string WordText(const Word& w) const {
    return std::string(doc.substr(w.span.begin, w.span.size()));
  }

  // The number, its range, qualifier and unit.
  bool ReadValue() {
    const NumberWords words = NumberWordsOf(m);
    if (auto v = m.capture_value("vague")) {
      value = ParseCardinal(*v, words);
      approximate = true;
    }
    if (auto lo = m.capture("low")) {
      low = ParseCardinal(*lo, words);
      auto hi = m.capture("high");
      if (hi) high = ParseCardinal(*hi, words);
      if (!low || !high || *high <= *low)
        return Reject("a range whose ends are not numbers in order");
      value = low;
      approximate = true;
    }
    if (!value) {
      auto n = m.capture("number");
      if (!n) return Reject("no number captured");
      value = ParseCardinal(*n, words);
      if (!value) return Reject("the number could not be read");
    }
    if (!value || *value < 0 || !std::isfinite(*value))
      return Reject("not a finite, non-negative number");
    if (auto q = m.capture_value("qual")) qualifier = std::string(*q);
    if (!qualifier.empty() && m.lookup("approximate_qualifiers", qualifier)) approximate = true;
    percent = m.capture("percent").has_value();
    singular = percent || *value <= 1;
    entity_end = span.end;
    return true;
  }

  // What is counted, after the number; false for a measure, a model number, a year.
  bool ReadEntityAfter() {
    after = WordsAfter(doc, span.end, sentence.end, 16);
    // A compound glued by a hyphen is an adjective ("150-metre ravine", "three-day strike",
    // "a 15-man game", "one-off gains") or a fraction ("two-thirds"), not a count; "a
    // 10,000-strong colony" counts.
    if (!after.empty() && after[0].span.begin > span.end && doc[span.end] == '-' &&
        after[0].letters && !lex.In("compound_counts", after[0].folded))
      return Reject("part of a hyphenated compound (\"a 15-man game\"), not a count");
    // "six to eight weeks", "3 or 4 days": the far end of a list or range names the unit.
    if (after.size() >= 3 && (after[0].folded == "to" || after[0].folded == "or") &&
        lex.NumberLike(after[1]) && lex.In("unit_words", after[2].folded))
      return Reject("the end of a range that names a unit (\"six to eight weeks\")");
    // "in 7.82 seconds", "settled at 147.75": a fraction measures; a count has no decimals
    // unless a scale word makes them whole ("1.5 million").
    if (!percent && *value != std::floor(*value))
      return Reject("a fraction measures; a count is whole");
    // "between 1989 and 2003", "40,000 in 1984 and 90,000 in 1985": a year is no range end.
    if (low && high && *low >= 1600 && *low <= 2100) {
      auto lo = m.capture("low");
      if (lo && lo->find_first_of(",. ") == std::string_view::npos && lo->size() == 4)
        return Reject("a year as a range end");
    }
    // "about three dozen small firms": the number multiplies a dozen.
    if (!m.capture_value("vague") && !after.empty() && !after[0].gap &&
        after[0].folded == "dozen") {
      value = *value * 12;
      if (low) low = *low * 12;
      if (high) high = *high * 12;
      after.erase(after.begin());
    }
    // "capture 97, 54 and 12 seats": every item of a number list counts the noun after the
    // last one, and the verb before the first one governs them all.
    bool list_conj = false;
    std::size_t list_end = NumberListEnd(lex, doc, span.end, sentence.end, &list_conj);
    list_start = NumberListStart(lex, doc, sentence.begin, span.begin, list_conj);
    if (auto e = m.capture("entity")) {
      entity = std::string(*e);
      entity_end = m.capture_span("entity")->end;
    } else {
      auto words = list_end == span.end ? after : WordsAfter(doc, list_end, sentence.end, 16);
      std::size_t k = 0;
      if (k + 1 < words.size() && words[k].folded == "out" && words[k + 1].folded == "of") ++k;
      bool of = k < words.size() && words[k].folded == "of" && !words[k].gap;
      if (of) {
        ++k;
        if (k < words.size() && lex.In("pronouns", words[k].folded)) k = words.size();
        while (k < words.size() && lex.In("determiners", words[k].folded)) ++k;
        // "120 of its 364 stores": the total between the determiner and the noun.
        if (k + 1 < words.size() && words[k].digits && !words[k].letters && !words[k + 1].gap) ++k;
      }
      Phrase p = NounPhrase(lex, words, k, singular || of);
      // "some 3,000 Rohingya arrived": a people's name has no plural -s; it is the entity when
      // a verb or a clause boundary follows it.
      if (!p.found && k < words.size() && !words[k].gap && words[k].letters &&
          std::isupper(static_cast<unsigned char>(doc[words[k].span.begin])) &&
          lex.In("peoples", words[k].folded))
        p = {k, k, true};
      if (p.found) {
        entity = Join(doc, words[p.first].span, words[p.last].span);
        entity_end = words[p.last].span.end;
        // "26 years", "0.17 cent higher", "18 months' time": a measure, not a count.
        for (std::size_t i = p.first; i <= p.last; ++i)
          if (lex.In("unit_words", StripPossessive(words[i].folded)))
            return Reject("a measure: its noun is a unit word (unit_words)");
        if (p.last > p.first && lex.Participle(words[p.first])) {
          participle = words[p.first];
          has_participle = true;
        }
      }
    }
    if (!entity.empty() && lex.In("unit_words", FoldKey(entity)))
      return Reject("a measure: its noun is a unit word (unit_words)");
    // "3m" counts people ("3m people") but alone it is metres or money.
    if (entity.empty()) {
      auto n = m.capture("number");
      if (n && n->size() > 1 && (n->ends_with("m") || n->ends_with("bn")) &&
          std::isdigit(static_cast<unsigned char>((*n)[n->size() - (n->ends_with("m") ? 2 : 3)])))
        return Reject("money (\"$5m\", \"2bn\"), not a count");
    }
    // "zero new cases" counts; "zero tolerance", "zero hour" do not.
    if (*value == 0 && !percent) {
      std::size_t sp = entity.find_last_of(' ');
      Word head = MakeWord(entity, sp == std::string::npos ? 0 : sp + 1, entity.size(), false);
      if (entity.empty() || !lex.Plural(head))
        return Reject("zero of something that is not a plural noun");
    }
    // "from 421 mln in 1985": an abbreviated scale with nothing counted is an amount of money.
    if (entity.empty() && !percent) {
      auto n = m.capture("number");
      std::string folded = n ? FoldKey(*n) : std::string();
      std::size_t sp = folded.find_last_of(" 0123456789");
      if (sp != std::string::npos && lex.In("bare_scales", folded.substr(sp + 1)))
        return Reject("a bare scale word (\"millions\") naming nothing");
    }
    if (entity.empty() && !after.empty() && !after[0].gap &&
        lex.In("unit_words", StripPossessive(after[0].folded)))
      return Reject("a measure: a unit word follows (unit_words)");
    // "the 7610 phone", "the 1,500 member body", "a two point fall": a number above one before
    // a singular noun modifies it (a model, a size); "Thousands march" keeps its verb.
    const bool noun_after = entity.empty() && !percent && *value > 1 && !m.capture_value("vague") &&
                            !after.empty() && !after[0].gap && lex.NounLike(after[0]) &&
                            !lex.In("verbs", after[0].folded) &&
                            !lex.In("light_verbs", after[0].folded) &&
                            !std::isupper(static_cast<unsigned char>(doc[after[0].span.begin]));
    if (noun_after) {
      // "150 league and cup goals": the modifier is coordinated before a plural head.
      for (std::size_t j = 1; j < after.size() && j < 5 && !after[j].gap && !after[j].digits; ++j) {
        if (lex.Plural(after[j]) && !lex.Function(after[j])) {
          entity = Join(doc, after[0].span, after[j].span);
          entity_end = after[j].span.end;
          break;
        }
        if (lex.Function(after[j]) && after[j].folded != "and" && after[j].folded != "or") break;
      }
    }
    if (noun_after && entity.empty()) {
      // "19 gold, 21 silver and 24 bronze medals": list items name their kind.
      std::size_t q = SkipSpaces(doc, after[0].span.end, sentence.end);
      if (q < sentence.end && doc[q] == ',') q = SkipSpaces(doc, q + 1, sentence.end);
      if (doc.substr(q, 4) == "and ") q = SkipSpaces(doc, q + 4, sentence.end);
      if (q == after[0].span.end || NumberAfter(lex, doc, q, sentence.end) == std::string::npos)
        return Reject("a number in a list that names nothing");
      entity = WordText(after[0]);
      entity_end = after[0].span.end;
    }
    // "will expire up to 1989": a year under a qualifier, which the year veto spares.
    if (entity.empty() && !percent) {
      auto n = m.capture("number");
      if (n && n->size() == 4 && n->find_first_not_of("0123456789") == std::string_view::npos &&
          *value >= 1600 && *value <= 2100)
        return Reject("a year, not a count");
    }
    return true;
  }

  // What is counted or what happened, named before the number: "the number of wounded",
  // "the death toll", "the weekly attendance is".
  void ReadEntityBefore() {
    before = WordsBefore(doc, sentence.begin, list_start, 16);
    // "the number of affected farmers stands at 5 200", "the figure of those kidnapped ... at
    // 13", "the number of wounded rose from 94": the phrase after "number of" names the
    // counted, or (a participle) what happened to them.
    for (std::size_t i = 1; i < before.size(); ++i) {
      if (!lex.In("number_nouns", before[i].folded) || before[i - 1].folded != "of") continue;
      number_noun = true;
      auto words = WordsAfter(doc, before[i - 1].span.end, span.begin, 6);
      std::size_t k = 0;
      while (k < words.size() &&
             (lex.In("pronouns", words[k].folded) || lex.In("determiners", words[k].folded)))
        ++k;
      if (k < words.size() && lex.Participle(words[k]) &&
          !(k + 1 < words.size() && lex.NounLike(words[k + 1]) && !lex.Participle(words[k + 1])))
        nominal_event = WordText(words[k]);  // "those abducted", "injured"
      Phrase p = NounPhrase(lex, words, k, true);
      if (p.found && nominal_event.empty()) {
        if (entity.empty()) entity = Join(doc, words[p.first].span, words[p.last].span);
        // "the number of homes without power".
        if (p.last + 2 < words.size() && words[p.last + 1].folded == "without")
          nominal_event = Join(doc, words[p.last + 1].span, words[p.last + 2].span);
        if (p.last > p.first && lex.Participle(words[p.first]) && !has_participle) {
          participle = words[p.first];
          has_participle = true;
        }
      }
      break;
    }
    // "The death toll has risen to 72", "death toll of 32": with nothing counted after the
    // number, the toll is the event.
    if (entity.empty()) {
      for (std::size_t i = 0; i < before.size() && i < 10; ++i) {
        if (before[i].digits) break;
        if (!lex.In("toll_nouns", before[i].folded)) continue;
        toll = WordText(before[i]);
        if (i + 1 < before.size() && lex.In("toll_modifiers", before[i + 1].folded))
          toll = Join(doc, before[i + 1].span, before[i].span);
        break;
      }
    }

    if (entity.empty() && !number_noun && toll.empty() && !before.empty() &&
        lex.In("copulas", before[0].folded)) {
      // "The weekly attendance is 2,600": the noun right before the copula.
      // Not a name ("released her single So High at 18") and, for "at", only a noun that a
      // determiner introduces ("the total at 25", not "to trade at 9,300").
      std::size_t i = 1;
      if (i < before.size() && lex.In("copulas", before[i].folded)) ++i;
      bool at = before[0].folded == "at";
      if (i < before.size() && lex.NounLike(before[i]) && !lex.Verb(before[i]) &&
          !before[i].digits &&
          !std::isupper(static_cast<unsigned char>(doc[before[i].span.begin])) &&
          (!at || (i + 1 < before.size() && lex.In("determiners", before[i + 1].folded))))
        entity = WordText(before[i]);
    }
  }

  // What happened to the counted: a state after them, the verb they are the object of, a
  // verdict, a result, the verb they are the subject of.
  void ReadEvent() {
    rest = WordsAfter(doc, entity_end, sentence.end, 24);
    // A state after the entity: "left 260,000 people dead", "dozens injured"; with nothing
    // counted, any participle: "the death toll of 32 killed in the crash".
    if (!rest.empty() && !rest[0].gap &&
        (lex.In("states", rest[0].folded) || (entity.empty() && lex.Participle(rest[0]))))
      event = WordText(rest[0]);
    // Two-word states: "27 on board", "12 in custody".
    if (event.empty() && rest.size() >= 2 && !rest[0].gap && !rest[1].gap &&
        lex.In("states", rest[0].folded + " " + rest[1].folded))
      event = Join(doc, rest[0].span, rest[1].span);

    // The verb the count is the object of: "police detained at least two", "swept up
    // thousands", "the arrest of dozens", "to rescue about 140 hikers", "followed by several".
    {
      std::size_t i = 0;
      while (i < before.size() && lex.In("determiners", before[i].folded)) ++i;
      // "carried a total of 640", "the transfer of a second group of 215": the verb or event
      // before the measure phrase.
      if (i + 1 < before.size() && before[i].folded == "of" &&
          lex.In("measure_nouns", before[i + 1].folded)) {
        i += 2;
        while (i < before.size() &&
               (lex.In("determiners", before[i].folded) ||
                lex.In("np_modifiers", before[i].folded) || lex.In("ordinals", before[i].folded)))
          ++i;
      }
      // "which currently has 311 seats": "have" before a number owns it (as an auxiliary it
      // would precede a participle).
      if (i < before.size() && lex.In("possession_verbs", before[i].folded) && !entity.empty()) {
        object_verb = WordText(before[i]);
        object_verb_word = before[i].folded;
      }
      auto verb_at = [&](std::size_t j) {
        return j < before.size() && lex.Verb(before[j]) &&
               !lex.In("reporting_verbs", before[j].folded) &&
               !lex.In("weak_verbs", before[j].folded);
      };
      if (i < before.size()) {
        const Word& w = before[i];
        if (!object_verb.empty()) {
          // set above
        } else if (lex.In("particles", w.folded) && verb_at(i + 1)) {
          object_verb = Join(doc, before[i + 1].span, w.span);
          object_verb_word = before[i + 1].folded;
          control = lex.In("control_verbs", before[i + 1].folded);
        } else if (verb_at(i) || (lex.In("verdict_verbs", w.folded) && lex.Verb(w))) {
          object_verb = WordText(w);
          object_verb_word = w.folded;
          control = lex.In("control_verbs", w.folded);
        } else if ((w.folded == "of" || w.folded == "for" || w.folded == "at" ||
                    w.folded == "on") &&
                   i + 1 < before.size() &&
                   (lex.In("event_nouns", before[i + 1].folded) || verb_at(i + 1))) {
          object_verb = WordText(before[i + 1]);
        } else if (w.folded == "by" && verb_at(i + 1) && lex.Ends(before[i + 1].folded, "ed")) {
          object_verb = WordText(before[i + 1]);  // "was followed by several aftershocks"
          by_agent = true;
        } else if (w.letters && !w.digits && !lex.Function(w) &&
                   !lex.In("reporting_verbs", w.folded) && !lex.In("weak_verbs", w.folded) &&
                   !lex.In("unit_words", w.folded) && i + 1 < before.size() &&
                   lex.In("infinitive_markers", before[i + 1].folded)) {
          object_verb = WordText(w);  // "to rescue about 140", "will shut at least 120"
          control = lex.In("control_verbs", w.folded);
        } else if (i == 0 && w.letters && w.folded.size() > 4 && w.folded.back() == 's' &&
                   !lex.Function(w) && !lex.In("plural_nouns", w.folded) &&
                   !lex.In("not_plural", w.folded) && !lex.In("unit_words", w.folded) &&
                   !lex.In("reporting_verbs", w.folded) && !lex.In("weak_verbs", w.folded) &&
                   (i + 1 >= before.size() || lex.In("relative_pronouns", before[i + 1].folded) ||
                    std::isupper(static_cast<unsigned char>(doc[before[i + 1].span.begin])))) {
          object_verb = WordText(w);  // "Egypt sentences 529 Islamists", "which employs 58 000"
        }
      }
    }
    // "found 14 activists guilty": the verdict completes the verb.
    if (event.empty() && !object_verb_word.empty() && lex.In("verdict_verbs", object_verb_word) &&
        !rest.empty() && !rest[0].gap && lex.In("verdicts", rest[0].folded))
      event = object_verb + " " + WordText(rest[0]);
    // "left at least 11 guards and some smugglers dead": the resulting state, past a coordinated
    // object.
    if (event.empty() && !object_verb_word.empty() && lex.In("result_verbs", object_verb_word)) {
      for (std::size_t i = 0; i < rest.size() && i < 6 && !rest[i].gap; ++i) {
        if (lex.In("states", rest[i].folded)) {
          event = WordText(rest[i]);
          break;
        }
        if (lex.Verb(rest[i]) || rest[i].digits) break;
      }
    }
    if (event.empty() && control && rest.size() >= 2 && rest[0].folded == "to" && !rest[1].gap &&
        !lex.Function(rest[1])) {
      std::vector<Word> tail(rest.begin() + 1, rest.end());
      event = VerbGroup(lex, doc, tail, 0);  // "forced thousands to flee"
    }
    if (event.empty() && !toll.empty()) event = toll;
    if (event.empty() && !nominal_event.empty()) event = nominal_event;

    // The counted are themselves events ("60 arrests", "110,000 disappearances"): a participle
    // or a verb after them says more, else the noun itself is the event.
    std::string entity_head;
    if (!entity.empty()) {
      std::size_t sp = entity.find_last_of(' ');
      entity_head = sp == std::string::npos ? entity : entity.substr(sp + 1);
    }
    // A verb before them that only says they happened ("made 60 arrests") gives way to them.
    bool event_entity =
        !entity_head.empty() && lex.In("event_nouns", FoldKey(entity_head)) &&
        (object_verb.empty() || by_agent || lex.In("light_objects", FoldKey(object_verb)));
    if (event.empty() && event_entity) {
      if (has_participle) {
        event = WordText(participle);
      } else {
        VerbHit v = SubjectVerb(lex, doc, rest, false);
        if (v.text.empty())
          v = DistantVerb(lex, doc, WordsAfter(doc, entity_end, sentence.end, 24, true));
        event = !v.text.empty() ? v.text : entity_head;
      }
    }
    if (event.empty()) event = object_verb;
    // "Thousands more were evacuated": a bare modifier stands between the count and its verb.
    if (entity.empty() && !rest.empty() && !rest[0].gap && lex.In("np_modifiers", rest[0].folded))
      rest.erase(rest.begin());
    if (event.empty()) {
      VerbHit v = SubjectVerb(lex, doc, rest, entity.empty() && !percent);
      // "Nine people who became trapped ... have been rescued": the main clause's passive.
      if (!v.text.empty() && !rest.empty() && Relative(rest[0])) {
        VerbHit main = MainVerbAfterRelative(lex, doc, rest, v.last + 1);
        if (!main.text.empty()) v = main;
      }
      event = v.text;
    }
    if (event.empty()) {
      // With nothing counted, only across a parenthetical: "another 1,800, or 30% of the
      // total, were damaged".
      auto far = WordsAfter(doc, entity_end, sentence.end, 24, true);
      if (!entity.empty() || percent || (!far.empty() && far[0].gap))
        event = DistantVerb(lex, doc, far).text;
    }
  }

  // A percentage's change verb and what changed; the last fallbacks for the event.
  void ReadPercentAndFallbacks() {
    if (percent) {
      // "The bank's stock dropped by 4 per cent", "exports could drop by as much as 30 percent":
      // a verb of change before the percentage is the event and its subject the entity.
      std::size_t i = 0;
      while (i < before.size() && lex.In("change_links", before[i].folded)) ++i;
      if (i < before.size() && lex.In("change_verbs", before[i].folded)) {
        if (event.empty() || event == object_verb) event = WordText(before[i]);
        std::size_t j = i + 1;
        while (j < before.size() &&
               (lex.In("auxiliaries", before[j].folded) || lex.Adverb(before[j]) ||
                lex.In("infinitive_markers", before[j].folded) ||
                lex.In("reporting_verbs", before[j].folded)))
          ++j;
        // "shipments of timber fell", "visitors from the rest of the region rose", "measles in
        // Wales has increased": the head before the prepositional phrases.
        for (int hops = 0; hops < 3; ++hops) {
          std::size_t q = j + 1;
          while (q < before.size() && lex.In("determiners", before[q].folded)) ++q;
          if (q + 1 < before.size() && lex.In("subject_links", before[q].folded) &&
              lex.NounLike(before[q + 1]) && !lex.Verb(before[q + 1]))
            j = q + 1;
          else
            break;
        }
        if (j < before.size() && lex.NounLike(before[j]) && !lex.Verb(before[j]) &&
            !before[j].digits && !lex.In("pronouns", before[j].folded) &&
            !lex.In("subject_pronouns", before[j].folded))
          entity = WordText(before[j]);
      }
    }
    if (event.empty() && percent) {
      // "triumphed in the March 3 runoff with over 64 percent of the ballots".
      for (std::size_t i = 0; i < before.size() && i < 8; ++i) {
        if (lex.In("reporting_verbs", before[i].folded)) break;
        if (lex.Verb(before[i]) && !lex.In("weak_verbs", before[i].folded)) {
          event = WordText(before[i]);
          break;
        }
      }
    }
    if (event.empty() && has_participle) event = WordText(participle);
  }

  bool CountsSomething() const {
    // A small number that counts nothing named and says nothing happened is most often a name
    // ("Halo 2", "League Two"), a rank ("the last 16"), an age or a pronoun ("a legal one");
    // the bare counts news reports are totals ("bringing the total to 213").
    if (entity.empty() && event.empty() && !percent && !m.capture_value("vague") &&
        qualifier.empty() && *value < 100)
      return Reject("a small bare number that names nothing and says nothing happened");
    return true;
  }

  void Write(Fields& out) const {
    out.emplace_back("value", *value);
    if (low) out.emplace_back("low", *low);
    if (high) out.emplace_back("high", *high);
    out.emplace_back("approximate", approximate);
    if (!qualifier.empty()) out.emplace_back("qualifier", qualifier);
    if (percent) out.emplace_back("unit", std::string("percent"));
    if (!entity.empty()) out.emplace_back("entity", entity);
    if (!event.empty()) out.emplace_back("event", event);
  }

  const MatchView& m;
  Lex lex;
  std::string_view doc;
  Span sentence;
  Span span;

  std::optional<double> value, low, high;
  bool approximate = false;
  std::string qualifier;
  bool percent = false;
  bool singular = false;
  std::string entity;
  std::size_t entity_end = 0;
  std::vector<Word> after;   // the words after the number
  std::vector<Word> before;  // the words before the number (or the list it is in), nearest first
  std::size_t list_start = 0;
  Word participle;  // "reported deaths", "affected workers": what happened, inside the phrase
  bool has_participle = false;
  bool number_noun = false;
  std::string nominal_event;
  std::string toll;
  std::string event;
  std::vector<Word> rest;  // the words after the entity
  std::string object_verb;
  bool control = false;
  bool by_agent = false;  // the count is the agent of a passive: "marred by thousands of arrests"
  std::string object_verb_word;  // the folded verb of object_verb
};

}  // namespace

bool NormalizeCount(const MatchView& m, Fields& out) { return CountReading(m).Read(out); }

}  // namespace gleaner::internal

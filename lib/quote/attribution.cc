#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>

#include "quote/attribution.h"

namespace gleaner::internal {

// An attribution pattern. One that ends in a (?P<tail>...) group (what may stand between the
// cue and the quote, "[^\"]{0,120}") matches exactly as the whole pattern anchored at the end
// of the window would, but is run in parts: kept in one end-anchored pattern, the tail's length
// limit multiplies RE2's reverse DFA states by every speech verb it could follow, and building
// those states was most of the time of the quote pass. The parts find where the whole pattern
// starts; the whole pattern then reads its captures from that start, in a window small enough
// for RE2's backtracker.
struct AttributionPattern {
  std::unique_ptr<RE2> head;         // the pattern without its tail (searches forward); null
                                     // when it is matched back from its cues
  std::unique_ptr<RE2> tail;         // anchored at both ends; null when there is no tail
  std::unique_ptr<RE2> whole;        // head and tail, anchored at the window's end
  std::unique_ptr<RE2> cue;          // the head's final (?P<cue>...) group alone, if it has one
  std::unique_ptr<RE2> head_to_cue;  // the head anchored at its end, for matching back from a cue
};

struct QuoteAttributor::Patterns {
  std::vector<AttributionPattern> after;    // anchored at the text after the quote
  std::vector<AttributionPattern> before;   // ending at the end of the text before it
  std::vector<AttributionPattern> subject;  // anchored at the start of the quote's sentence
  std::vector<AttributionPattern> mention;  // named speakers anywhere, for pronouns
  const Lexicon* pronouns = nullptr;
  const Lexicon* titles = nullptr;
  const Lexicon* not_speakers = nullptr;
  const Lexicon* speech_verbs = nullptr;
  const Lexicon* gender = nullptr;  // given names, titles, kin words -> "m" / "f"
  const Lexicon* descriptors = nullptr;
  const Lexicon* roles = nullptr;                   // nouns for a person ("villager", "minister")
  const Lexicon* name_particles = nullptr;          // "von", "al": inside a name
  const Lexicon* name_prefixes = nullptr;           // "al", "bin": joined by a hyphen ("al-Sadr")
  const Lexicon* speaker_prepositions = nullptr;    // "of", "for": end a speaker's name
  const Lexicon* clause_words = nullptr;            // "when", "was": no noun phrase has them
  const Lexicon* apposition_determiners = nullptr;  // "a", "the": open an apposition
  const Lexicon* title_function_words = nullptr;    // "of", "the": lower case in a title
};

QuoteAttributor::QuoteAttributor(std::unique_ptr<Patterns> p) : p_(std::move(p)) {}
QuoteAttributor::~QuoteAttributor() = default;

namespace {

// The index of the ")" closing the group opened at pattern[open], or npos. Skips escapes and
// character classes, where parentheses are literal.
std::size_t GroupEnd(std::string_view pattern, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      ++i;
      if (i < pattern.size() && pattern[i] == '^') ++i;
      if (i < pattern.size() && pattern[i] == ']') ++i;
      while (i < pattern.size() && pattern[i] != ']') i += pattern[i] == '\\' ? 2 : 1;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// The contents of the (?P<cue>...) group when `head` ends in it (before an optional "\b").
std::string TrailingCueGroup(std::string_view head) {
  constexpr std::string_view kCue = "(?P<cue>";
  std::size_t open = head.rfind(kCue);
  if (open == std::string_view::npos) return {};
  std::size_t close = GroupEnd(head, open);
  if (close == std::string_view::npos) return {};
  std::string_view rest = head.substr(close + 1);
  if (!rest.empty() && rest != "\\b") return {};
  return std::string(head.substr(open + kCue.size(), close - open - kCue.size()));
}

}  // namespace

Result<std::unique_ptr<QuoteAttributor>> QuoteAttributor::Create(const Pack& pack) {
  auto p = std::make_unique<Patterns>();
  RE2::Options opt;
  opt.set_log_errors(false);
  // These patterns are large (speech-verb and title alternations inside bounded repeats);
  // with RE2's default 8 MiB the DFA runs out of memory and falls back to the NFA.
  opt.set_max_mem(int64_t{64} << 20);
  auto compile = [&](const std::string& name, const std::string& re_text,
                     std::unique_ptr<RE2>* out) -> Status {
    *out = std::make_unique<RE2>(re_text, opt);
    if (!(*out)->ok())
      return Status::InvalidRule("bad attribution macro: " + (*out)->error(), pack.file, 0,
                                 "macro:" + name);
    return Status::Ok();
  };
  for (const auto& [name, pattern] : pack.macros) {
    std::vector<AttributionPattern>* list = nullptr;
    std::string head = pattern, tail;
    // The macro text is expanded: a tail group closes at the pattern's last character.
    constexpr std::string_view kTail = "(?P<tail>";
    if (std::size_t t = pattern.rfind(kTail);
        t != std::string::npos && GroupEnd(pattern, t) == pattern.size() - 1) {
      head = pattern.substr(0, t);
      tail = pattern.substr(t + kTail.size(), pattern.size() - t - kTail.size() - 1);
    }
    std::string anchored;
    if (name.rfind("attribution_after", 0) == 0) {
      list = &p->after;
      anchored = "^(?:" + head + ")";
    } else if (name.rfind("attribution_before", 0) == 0) {
      list = &p->before;
      anchored = tail.empty() ? "(?:" + head + ")$" : head;
    } else if (name.rfind("attribution_subject", 0) == 0) {
      list = &p->subject;
      anchored = "^(?:" + head + ")";
    } else if (name.rfind("attribution_mention", 0) == 0) {
      list = &p->mention;
      anchored = head;
    } else {
      continue;
    }
    AttributionPattern ap;
    std::string cue = tail.empty() || list != &p->before ? "" : TrailingCueGroup(head);
    if (!cue.empty()) {
      if (Status s = compile(name, "(?:" + cue + ")\\b", &ap.cue); !s.ok()) return s;
      if (Status s = compile(name, "(?:" + head + ")$", &ap.head_to_cue); !s.ok()) return s;
    } else if (Status s = compile(name, anchored, &ap.head); !s.ok()) {
      return s;
    }
    if (!tail.empty()) {
      if (Status s = compile(name, "^(?:" + tail + ")$", &ap.tail); !s.ok()) return s;
      if (Status s = compile(name, "(?:" + head + ")(?:" + tail + ")$", &ap.whole); !s.ok())
        return s;
    }
    if (!(ap.whole ? ap.whole : ap.head)->NamedCapturingGroups().count("speaker"))
      return Status::InvalidRule("attribution macro needs a (?P<speaker>...) capture", pack.file, 0,
                                 "macro:" + name);
    list->push_back(std::move(ap));
  }
  auto lex = [&](const char* name) { return pack.FindLexicon(name); };
  p->pronouns = lex("pronouns");
  p->titles = lex("titles");
  p->not_speakers = lex("not_speakers");
  p->speech_verbs = lex("speech_verbs");
  p->gender = lex("gender");
  p->descriptors = lex("descriptors");
  p->roles = lex("person_roles");
  p->name_particles = lex("name_particles");
  p->name_prefixes = lex("hyphenated_name_prefixes");
  p->speaker_prepositions = lex("speaker_prepositions");
  p->clause_words = lex("clause_words");
  p->apposition_determiners = lex("apposition_determiners");
  p->title_function_words = lex("title_function_words");
  return std::unique_ptr<QuoteAttributor>(new QuoteAttributor(std::move(p)));
}

namespace {

struct Attribution {
  Span speaker;
  Span cue;  // the speech verb, or the main verb for a sentence-subject match
  bool found = false;
};

// Runs `pattern` over text[lo, hi) and reads its speaker and cue (or verb) captures: the
// leftmost match, read as RE2 prefers; with a tail, the leftmost whose tail ends the window.
bool MatchAttribution(const AttributionPattern& pattern, const std::string& text, std::size_t lo,
                      std::size_t hi, Attribution* out) {
  if (hi <= lo) return false;
  const RE2& re = pattern.whole ? *pattern.whole : *pattern.head;
  const auto& names = re.NamedCapturingGroups();
  int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(n);
  // Match within the window only, so that the patterns' "^"/"$" mean its edges.
  re2::StringPiece window(text.data() + lo, hi - lo);
  auto next_char = [&](std::size_t pos) {
    ++pos;
    while (pos < window.size() && (static_cast<unsigned char>(window[pos]) & 0xC0) == 0x80) ++pos;
    return pos;
  };
  auto tail_fits = [&](std::size_t end) {
    return RE2::FullMatch(re2::StringPiece(window.data() + end, window.size() - end),
                          *pattern.tail);
  };
  if (pattern.cue) {
    // The leftmost start of a head that ends in a cue whose tail fits, matched back from each
    // cue. From there the whole pattern picks its preferred reading, which may end in another
    // cue ("The report claimed that Mr Dunmore told": the speaker phrase runs on to "told").
    std::size_t best_begin = SIZE_MAX;
    std::vector<std::size_t> tried;
    re2::StringPiece m;
    std::size_t pos = 0;
    while (pos <= window.size() &&
           pattern.cue->Match(window, pos, window.size(), RE2::UNANCHORED, &m, 1)) {
      std::size_t begin = static_cast<std::size_t>(m.data() - window.data());
      std::size_t end = begin + m.size();
      pos = next_char(begin);  // cues may overlap: "was quoted as saying", "quoted"
      if (std::find(tried.begin(), tried.end(), end) != tried.end()) continue;
      tried.push_back(end);
      if (!tail_fits(end)) continue;
      re2::StringPiece upto(window.data(), end);
      if (pattern.head_to_cue->Match(upto, 0, upto.size(), RE2::UNANCHORED, &m, 1))
        best_begin = std::min(best_begin, static_cast<std::size_t>(m.data() - window.data()));
    }
    if (best_begin == SIZE_MAX) return false;
    if (!re.Match(window, best_begin, window.size(), RE2::ANCHOR_START, groups.data(), n))
      return false;
  } else if (pattern.tail) {
    // The whole pattern from each start where the head matches, leftmost first.
    re2::StringPiece m;
    std::size_t pos = 0;
    while (true) {
      if (pos > window.size() ||
          !pattern.head->Match(window, pos, window.size(), RE2::UNANCHORED, &m, 1))
        return false;
      std::size_t begin = static_cast<std::size_t>(m.data() - window.data());
      if (re.Match(window, begin, window.size(), RE2::ANCHOR_START, groups.data(), n)) break;
      pos = next_char(begin);
    }
  } else {
    // Most attempts fail; asking for no submatches lets RE2 answer with its DFA alone, and
    // only a match pays for the capture pass.
    if (!re.Match(window, 0, window.size(), RE2::UNANCHORED, nullptr, 0)) return false;
    if (!re.Match(window, 0, window.size(), RE2::UNANCHORED, groups.data(), n)) return false;
  }
  auto span_of = [&](const char* name) {
    auto it = names.find(name);
    if (it == names.end() || groups[it->second].data() == nullptr) return Span{};
    std::size_t b = static_cast<std::size_t>(groups[it->second].data() - text.data());
    return Span{b, b + groups[it->second].size()};
  };
  out->speaker = span_of("speaker");
  out->cue = span_of("cue");
  if (out->cue.size() == 0) out->cue = span_of("verb");
  out->found = out->speaker.size() > 0;
  return out->found;
}

// First code point of `word` is an upper-case letter ("Smith", "Ángel").
bool IsCapitalised(std::string_view word) {
  if (word.empty()) return false;
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(word.data()), i, static_cast<int32_t>(word.size()), c);
  return c >= 0 && u_isupper(c);
}

// A word of a name: capitalised, or one of `prefixes` joined by a hyphen to more ("al-Sharif").
bool IsNameWord(const Lexicon* prefixes, std::string_view w) {
  std::size_t hyphen = w.find('-');
  if (prefixes != nullptr && hyphen != std::string_view::npos && hyphen + 1 < w.size() &&
      prefixes->Find(w.substr(0, hyphen)) != nullptr)
    return true;
  return IsCapitalised(w);
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < s.size()) {
    while (i < s.size() && space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Join(const std::vector<std::string_view>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

bool EndsWithPossessive(std::string_view w) {
  return (w.size() > 2 && w.substr(w.size() - 2) == "'s") ||
         (w.size() > 4 && w.substr(w.size() - 4) == "\xE2\x80\x99s");
}

// A quote whose words end with a full stop ends its sentence ("... it was over.”").
bool EndsSentence(std::string_view inner) {
  while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
  return !inner.empty() && inner.back() == '.';
}

// One document's attribution, in named steps: the word tests, the mentions that pronouns and
// surnames resolve to, the name lookups, then each quote's cue and speaker. Everything it looks
// up about earlier text is indexed once per document, so the pass is linear in its length.
class AttributionRun {
 public:
  AttributionRun(const QuoteAttributor::Patterns& p, const PassContext& ctx,
                 std::vector<Record>& records, std::vector<PassDrop>* drops)
      : p_(p), ctx_(ctx), text_(ctx.text.flat), records_(records), drops_(drops) {}

  void Run() {
    JoinSentences();
    CollectQuoted();
    for (std::size_t ri : QuotesInTextOrder()) AttributeQuote(ri);
  }

 private:
  // Named mentions, in text order, that pronouns may refer to: speakers near a speech verb and
  // the named subjects of sentences.
  // Mentions are ordered by position, then by the pattern that found them (the mention
  // patterns in order, then sentence subjects), then by the order it found them in: the same
  // order whichever part of the text has been read so far.
  struct MentionOrder {
    std::size_t at;
    std::size_t source;
    std::size_t seq;
    friend bool operator<(const MentionOrder& a, const MentionOrder& b) {
      return std::tie(a.at, a.source, a.seq) < std::tie(b.at, b.source, b.seq);
    }
  };
  struct Mention {
    std::size_t at;
    std::string name;
    char gender;  // 'm', 'f', or 0 when unknown
    MentionOrder order;
  };
  // Where a full name is first given.
  struct Introduction {
    std::size_t at;
    std::string name;
    MentionOrder order{};
  };
  using Mentions = std::vector<Mention>;

  // --- Words -------------------------------------------------------------------------------

  static bool In(const Lexicon* lex, std::string_view w) { return lex != nullptr && lex->Find(w); }
  bool IsPronoun(std::string_view w) const { return In(p_.pronouns, w); }
  // Particles that stay inside a name ("Ursula von der Leyen", "Ahmed al-Sharif").
  bool IsParticle(std::string_view w) const { return In(p_.name_particles, w); }
  // Prepositions after which a speaker phrase names something else ("Ana Ruiz of the union").
  bool IsPreposition(std::string_view w) const { return In(p_.speaker_prepositions, w); }
  std::string_view Slice(Span s) const { return std::string_view(text_).substr(s.begin, s.size()); }

  // A speaker phrase reduced to the speaker: the final run of capitalised words that are not
  // titles ("Harbour Board press secretary Nadia Ferrante" -> "Nadia Ferrante"), the person
  // before a preposition ("Joel Pollak of Breitbart News" -> "Joel Pollak"), or the whole phrase
  // when it is a description ("the Trump campaign", "a spokesman"). Empty when it names no
  // speaker ("said Tuesday").
  std::string Clean(std::string_view phrase) const {
    auto words = Words(phrase);
    if (words.empty()) return {};
    if (words.size() == 1 && IsPronoun(words[0])) return std::string(words[0]);
    bool named = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (named && IsPreposition(words[i])) {
        words.resize(i);
        break;
      }
      if (IsCapitalised(words[i]) && !In(p_.titles, words[i]) && !In(p_.not_speakers, words[i]))
        named = true;
    }
    if (words.empty()) return {};
    // A description is a noun phrase: one running into a clause ("a long interview in Valmont
    // when", "the caption which") was matched across a sentence's structure.
    if (!named || !IsNameWord(p_.name_prefixes, words.back())) {
      for (std::string_view w : words)
        if (In(p_.clause_words, w)) return {};
    }
    // A particle cannot end a name: "said Jean du" is cut off, not a name.
    while (words.size() > 1 && IsParticle(words.back())) words.pop_back();
    std::size_t n = words.size();
    if (!IsNameWord(p_.name_prefixes, words[n - 1])) {
      // A description ("the Trump campaign"): kept whole.
      return Join(words, 0, n);
    }
    std::size_t j = n;
    while (j > 0 && ((IsNameWord(p_.name_prefixes, words[j - 1]) && !In(p_.titles, words[j - 1]) &&
                      !In(p_.not_speakers, words[j - 1]) && !EndsWithPossessive(words[j - 1])) ||
                     (j < n && IsParticle(words[j - 1]))))
      --j;
    while (j < n && IsParticle(words[j])) ++j;
    if (j == n) {
      if (In(p_.not_speakers, words[n - 1])) return {};  // "Another", "Today"
      return Join(words, 0, n);                          // ends in a title: "the President"
    }
    bool all_stop = true;
    for (std::size_t i = j; i < n; ++i) all_stop = all_stop && In(p_.not_speakers, words[i]);
    if (all_stop) return {};
    return Join(words, j, n);
  }

  // The gender a speaker phrase gives its person: a title or kin word before the name ("Mrs.",
  // "congresswoman", "his wife"), else the given name ("Hillary Clinton").
  char GenderOf(std::string_view phrase, const std::string& name) const {
    if (p_.gender == nullptr) return 0;
    auto words = Words(phrase);
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
      if (const std::string* g = p_.gender->Find(words[i])) return (*g)[0];
    for (std::string_view w : Words(name)) {
      if (In(p_.titles, w)) continue;
      if (const std::string* g = p_.gender->Find(w)) return (*g)[0];
      break;
    }
    return 0;
  }

  std::string StripTitles(const std::string& name) const {
    auto words = Words(name);
    std::size_t k = 0;
    while (k + 1 < words.size() && In(p_.titles, words[k])) ++k;
    return Join(words, k, words.size());
  }

  // --- Sentences, quotes and mentions ------------------------------------------------------

  // ICU breaks after some abbreviated titles and initials ("Dr. Henry Mwebesa", "John F.
  // Kennedy"); rejoin those sentences so that names stay whole.
  void JoinSentences() {
    for (Span sp : ctx_.text.sentences) {
      if (!sentences_.empty() && sentences_.back().end == sp.begin) {
        auto words = Words(Slice(sentences_.back()));
        std::string_view last = words.empty() ? std::string_view() : words.back();
        bool initial = last.size() == 2 && IsCapitalised(last) && last[1] == '.';
        if (!last.empty() && last.back() == '.' && (initial || In(p_.titles, last))) {
          sentences_.back().end = sp.end;
          continue;
        }
      }
      sentences_.push_back(sp);
    }
  }

  Span SentenceAt(std::size_t at) const {
    auto it = std::upper_bound(sentences_.begin(), sentences_.end(), at,
                               [](std::size_t o, const Span& sp) { return o < sp.begin; });
    return it == sentences_.begin() ? Span{0, text_.size()} : *(it - 1);
  }

  Span ParagraphOf(std::size_t at) const {
    const std::vector<Span>& paras = ctx_.text.paragraphs;
    auto it = std::upper_bound(paras.begin(), paras.end(), at,
                               [](std::size_t a, const Span& p) { return a < p.begin; });
    if (it != paras.begin() && at < std::prev(it)->end) return *std::prev(it);
    return Span{0, text_.size()};
  }

  // Quoted words are someone else's: names and sentence subjects in them are not mentions.
  void CollectQuoted() {
    for (const Record& r : records_)
      if (const Quote* q = std::get_if<Quote>(&r)) quoted_.push_back(q->span);
    std::sort(quoted_.begin(), quoted_.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
  }

  bool IsQuoted(std::size_t at) const {
    auto it = std::upper_bound(quoted_.begin(), quoted_.end(), at,
                               [](std::size_t o, const Span& s) { return o < s.begin; });
    return it != quoted_.begin() && at < (it - 1)->end;
  }

  void AddMention(std::size_t at, std::string_view phrase, std::size_t source) {
    if (IsQuoted(at)) return;
    std::string name = Clean(phrase);
    auto words = Words(name);
    // "Axelrod’s" names what he owns, not someone who speaks.
    if (!words.empty() && IsCapitalised(words.back()) && !IsPronoun(name) &&
        !EndsWithPossessive(words.back())) {
      char g = GenderOf(phrase, name);
      fresh_mentions_.push_back({at, std::move(name), g, {at, source, next_seq_++}});
    }
  }

  // Where one mention pattern's scan stands: the next match, found but not yet taken when it
  // starts past what has been read.
  struct MentionScan {
    std::size_t pos = 0;
    bool found = false;
    std::size_t start = 0, end = 0;
    Span speaker;
    bool has_speaker = false;
  };

  // The mention patterns anywhere, and the subject of every sentence. Mentions serve as
  // antecedents of speakers found next to a quote, so none after the last quote's attribution
  // window is needed: the scan stops there. They are read only as far as a question needs
  // (every mention before a position), since most questions come early in the text.
  void CollectMentionsBefore(std::size_t target) {
    target = std::min(target, scan_end_);
    std::vector<re2::StringPiece> g;
    for (std::size_t k = 0; k < p_.mention.size(); ++k) {
      const RE2* re = p_.mention[k].head.get();
      int n = re->NumberOfCapturingGroups() + 1;
      g.assign(n, {});
      int idx = re->NamedCapturingGroups().at("speaker");
      MentionScan& scan = scans_[k];
      while (true) {
        if (!scan.found) {
          if (scan.pos >= scan_end_ ||
              !re->Match(text_, scan.pos, scan_end_, RE2::UNANCHORED, g.data(), n)) {
            scan.pos = scan_end_;
            break;
          }
          scan.found = true;
          scan.start = static_cast<std::size_t>(g[0].data() - text_.data());
          scan.end = scan.start + g[0].size();
          scan.has_speaker = g[idx].data() != nullptr;
          if (scan.has_speaker) {
            scan.speaker.begin = static_cast<std::size_t>(g[idx].data() - text_.data());
            scan.speaker.end = scan.speaker.begin + g[idx].size();
          }
        }
        if (scan.start >= target) break;  // read on later, if asked
        if (scan.has_speaker) AddMention(scan.speaker.begin, Slice(scan.speaker), k);
        scan.pos = std::max(scan.end, scan.pos + 1);
        scan.found = false;
      }
    }
    for (; next_sentence_ < sentences_.size(); ++next_sentence_) {
      Span s = sentences_[next_sentence_];
      if (s.begin >= target) break;
      // The first subject pattern that finds a speaker decides. Its captures cost far more than
      // its match, and many subjects name no one ("The report said"): a pattern without a tail
      // whose matched words hold no name is passed over unread, unless a later pattern could
      // name someone (then its captures say whether it found a speaker and decides).
      for (std::size_t k = 0; k < p_.subject.size(); ++k) {
        const AttributionPattern& re = p_.subject[k];
        if (re.whole == nullptr) {
          int may = SubjectMayName(re, s);
          if (may < 0) continue;  // no match
          if (may == 0) {
            bool later = false;
            for (std::size_t j = k + 1; j < p_.subject.size() && !later; ++j)
              later = p_.subject[j].whole != nullptr || SubjectMayName(p_.subject[j], s) > 0;
            if (!later) break;  // nothing in this sentence can be a mention
          }
        }
        Attribution a;
        if (MatchAttribution(re, text_, s.begin, s.end, &a)) {
          AddMention(a.speaker.begin, Slice(a.speaker), p_.mention.size());
          break;
        }
      }
    }
    // A mention found now may lie before one found earlier (inside a long match): merge.
    auto by_order = [](const Mention& a, const Mention& b) { return a.order < b.order; };
    std::sort(fresh_mentions_.begin(), fresh_mentions_.end(), by_order);
    IndexIntroductions(fresh_mentions_);
    std::size_t old_size = mentions_.size();
    std::move(fresh_mentions_.begin(), fresh_mentions_.end(), std::back_inserter(mentions_));
    fresh_mentions_.clear();
    std::inplace_merge(mentions_.begin(), mentions_.begin() + static_cast<std::ptrdiff_t>(old_size),
                       mentions_.end(), by_order);
  }

  // Whether a speaker phrase inside `words` could be a mention (AddMention): its last word
  // once cleaned is capitalised and not one of the not_speakers, so one of the words must be
  // (a subject pattern's speaker starts a word: at the sentence start or after a space).
  // A word is read without the punctuation a speaker phrase cannot end in (the ",", "(" of
  // what follows it).
  bool MayName(std::string_view words) const {
    for (std::string_view w : Words(words)) {
      while (!w.empty() && static_cast<unsigned char>(w.front()) < 0x80 &&
             !std::isalpha(static_cast<unsigned char>(w.front())))
        w.remove_prefix(1);
      while (!w.empty() && std::string_view(",;:()\"").find(w.back()) != std::string_view::npos)
        w.remove_suffix(1);
      if (IsCapitalised(w) && !In(p_.not_speakers, w)) return true;
    }
    return false;
  }

  // For a subject pattern without a tail, matched at the start of sentence `s`: -1 when it
  // does not match, 0 when its matched words hold no name (MayName), 1 when they may.
  int SubjectMayName(const AttributionPattern& re, Span s) const {
    re2::StringPiece window(text_.data() + s.begin, s.size()), whole;
    if (!re.head->Match(window, 0, window.size(), RE2::UNANCHORED, &whole, 1)) return -1;
    return MayName(std::string_view(whole.data(), whole.size())) ? 1 : 0;
  }

  // Reads mentions until every one before `before` is known. The costliest part of the pass,
  // and only some speakers need it (a pronoun, a surname alone, a role).
  void EnsureMentions(std::size_t before) {
    if (!mentions_started_) {
      mentions_started_ = true;
      for (const Span& q : quoted_) scan_end_ = std::max(scan_end_, q.end);
      scan_end_ = std::min(text_.size(), scan_end_ + 400);
      scans_.resize(p_.mention.size());
    }
    if (before <= mentions_known_before_) return;
    // Exactly as far as asked: reading ahead costs more than another, later read.
    CollectMentionsBefore(before);
    mentions_known_before_ = before >= scan_end_ ? SIZE_MAX : before;
  }

  Mentions::const_iterator MentionAtOrAfter(std::size_t at) const {
    return std::lower_bound(mentions_.begin(), mentions_.end(), at,
                            [](const Mention& m, std::size_t a) { return m.at < a; });
  }

  // --- Names -------------------------------------------------------------------------------

  // The first mention of several words, without titles, that ends (or starts) with a word:
  // a surname's full name ("Barsukova" -> "Irina Barsukova"), or a family name given first.
  void IndexIntroductions(const Mentions& fresh) {
    auto keep_first = [](std::unordered_map<std::string, Introduction>& index,
                         std::string_view word, const Introduction& intro) {
      auto [it, added] = index.try_emplace(std::string(word), intro);
      if (!added && intro.order < it->second.order) it->second = intro;
    };
    for (const Mention& m : fresh) {
      std::string cand = StripTitles(m.name);
      auto cw = Words(cand);
      if (cw.size() < 2) continue;
      Introduction intro{m.at, cand, m.order};
      keep_first(by_last_word_, cw.back(), intro);
      keep_first(by_first_word_, cw.front(), intro);
    }
  }

  static const std::string* IntroducedBefore(
      const std::unordered_map<std::string, Introduction>& index, const std::string& word,
      std::size_t before) {
    auto it = index.find(word);
    return it != index.end() && it->second.at < before ? &it->second.name : nullptr;
  }

  // The first capitalised run in the text that ends in a surname (a scan of the text per
  // distinct surname, not per quote).
  Introduction ScanFirstRun(const std::string& name) const {
    const std::string& text = text_;
    std::size_t pos = 0;
    while ((pos = text.find(name, pos)) != std::string::npos) {
      std::size_t b = pos;
      std::size_t words_back = 0;
      while (b > 1 && text[b - 1] == ' ' && words_back < 3) {
        std::size_t w = b - 1;
        while (w > 0 && (std::isalpha(static_cast<unsigned char>(text[w - 1])) ||
                         text[w - 1] == '-' || text[w - 1] == '\'' || text[w - 1] == '.' ||
                         static_cast<unsigned char>(text[w - 1]) >= 0x80))
          --w;
        if (w == b - 1 || !IsCapitalised(std::string_view(text).substr(w, b - 1 - w))) break;
        b = w;
        ++words_back;
      }
      std::size_t e = pos + name.size();
      bool whole = e >= text.size() || !std::isalpha(static_cast<unsigned char>(text[e]));
      if (words_back > 0 && whole) {
        // A word ending in a full stop ends a sentence unless it is a title or an initial.
        auto cw = Words(std::string_view(text).substr(b, e - b));
        std::size_t from = 0;
        for (std::size_t i = 0; i + 1 < cw.size(); ++i)
          if (cw[i].back() == '.' && cw[i].size() > 2 && !In(p_.titles, cw[i])) from = i + 1;
        std::string cand = Clean(Join(cw, from, cw.size()));
        if (Words(cand).size() > 1 && Words(cand).back() == name) return {pos, std::move(cand)};
      }
      pos += name.size();
    }
    return {SIZE_MAX, {}};
  }

  const Introduction& FirstRunEndingIn(const std::string& name) {
    auto [it, fresh] = first_run_.try_emplace(name, Introduction{SIZE_MAX, {}});
    if (fresh) it->second = ScanFirstRun(name);
    return it->second;
  }

  // The full name as first introduced: "Barsukova" -> "Irina Barsukova".
  std::string FullName(const std::string& name, std::size_t before) {
    auto words = Words(name);
    if (words.size() != 1) return name;
    EnsureMentions(before);
    if (const std::string* n = IntroducedBefore(by_last_word_, name, before)) return *n;
    // Otherwise the first capitalised run ending in the surname anywhere before.
    if (const Introduction& run = FirstRunEndingIn(name); run.at < before) return run.name;
    // Family name first ("Lim Hng Kiang" ... "Lim said"): a mention that starts with it.
    if (const std::string* n = IntroducedBefore(by_first_word_, name, before)) return *n;
    return name;
  }

  // The name that a description's head noun at `pos` introduces, or "": a title before a name
  // ("Prime Minister David Cameron"), or the end of an apposition ("Hamid el-Sayar, one of the
  // tenants' lawyers").
  std::string IntroducedAt(const std::string& head, std::size_t pos) const {
    const std::string& text = text_;
    std::size_t e = pos + head.size();
    bool starts = pos == 0 || !std::isalpha(static_cast<unsigned char>(lower_[pos - 1]));
    // A title before a name: capitalised ("Prime Minister David Cameron"), or a lower-case
    // role word ("police director Sana Shaminur Rahman"), not any noun ("the bill Patty").
    if (starts && e + 1 < text.size() && text[e] == ' ' &&
        IsCapitalised(std::string_view(text).substr(e + 1, 4)) &&
        (IsCapitalised(std::string_view(text).substr(pos, 4)) || In(p_.descriptors, head))) {
      std::size_t k = e + 1;
      while (k < text.size() && text[k] != ',' && text[k] != '.' && text[k] != ';' && k - e < 40 &&
             (text[k] != ' ' ||
              (k + 1 < text.size() &&
               IsNameWord(p_.name_prefixes, std::string_view(text).substr(k + 1, 4)))))
        ++k;
      std::string name = Clean(std::string_view(text).substr(pos, k - pos));
      if (!name.empty() && IsCapitalised(name) && Words(name).size() > 1) return name;
    }
    // The head ends the apposition ("lawyers." / "lawyer,"), which opens with a determiner.
    std::size_t he = e;
    if (he < text.size() && text[he] == 's') ++he;
    bool ends_np =
        he >= text.size() || std::string_view(",.;)").find(text[he]) != std::string_view::npos;
    if (!starts || !ends_np) return {};
    // "<Name>, <words> <head>": back over the apposition to its comma, then the name.
    std::size_t c = pos;
    while (c > 0 && pos - c < 80 &&
           std::string_view(",.;:\"\n").find(text[c - 1]) == std::string_view::npos)
      --c;
    auto first = Words(std::string_view(text).substr(c, pos - c));
    bool det =
        !first.empty() && (In(p_.apposition_determiners, first[0]) || EndsWithPossessive(first[0]));
    if (c == 0 || text[c - 1] != ',' || !det) return {};
    std::size_t ne = c - 1;
    std::size_t nb = ne;
    int n_words = 0;
    while (nb > 0 && n_words < 5) {
      std::size_t w = nb;
      while (w > 0 && text[w - 1] == ' ') --w;
      std::size_t ws = w;
      while (ws > 0 && text[ws - 1] != ' ' && text[ws - 1] != '\n' &&
             std::string_view(",.;:\"").find(text[ws - 1]) == std::string_view::npos)
        --ws;
      std::string_view word = std::string_view(text).substr(ws, w - ws);
      if (word.empty() || !(IsNameWord(p_.name_prefixes, word) || IsParticle(word))) break;
      nb = ws;
      ++n_words;
    }
    if (n_words < 2) return {};
    std::string name = Clean(std::string_view(text).substr(nb, ne - nb));
    if (!name.empty() && IsCapitalised(name) && Words(name).size() > 1) return name;
    return {};
  }

  // A definite description names the person last introduced with its head noun as a title:
  // "the prime minister" -> "Prime Minister David Cameron" -> "David Cameron", or in an
  // apposition: "the lawyer" -> "Hamid el-Sayar, one of the tenants' lawyers".
  std::string ResolveDescription(const std::string& desc, std::size_t before) {
    auto words = Words(desc);
    if (words.size() < 2 || (words[0] != "the" && words[0] != "The")) return desc;
    if (lower_.empty()) {
      lower_ = text_;
      for (char& c : lower_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string head(words.back());
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Where the head introduces a name, found once per head over the whole text.
    auto [it, fresh] = introductions_by_head_.try_emplace(head);
    if (fresh) {
      for (std::size_t pos = 0; (pos = lower_.find(head, pos)) != std::string::npos; ++pos)
        if (std::string name = IntroducedAt(head, pos); !name.empty())
          it->second.push_back({pos, std::move(name)});
    }
    // The nearest before the quote's speaker.
    const std::vector<Introduction>& found = it->second;
    auto after = std::lower_bound(found.begin(), found.end(), before,
                                  [](const Introduction& x, std::size_t b) { return x.at < b; });
    if (after != found.begin()) return std::prev(after)->name;
    // "David Cameron criticised the strike. “...,” the prime minister said.": a person noun
    // with no introduction of its own names the person last named before it.
    if (In(p_.roles, head) && words.size() <= 4 &&
        std::none_of(words.begin(), words.end(),
                     [this](std::string_view w) { return IsPreposition(w); })) {
      EnsureMentions(before);
      auto first_after = MentionAtOrAfter(before);
      const Mention* last = first_after == mentions_.begin() ? nullptr : &*std::prev(first_after);
      if (last != nullptr && before - last->at < 700) {
        std::string name = FullName(StripTitles(last->name), before);
        if (Words(name).size() > 1) return name;
      }
    }
    return desc;
  }

  // --- Quotes ------------------------------------------------------------------------------

  // Quotes in text order (records may come in another order).
  std::vector<std::size_t> QuotesInTextOrder() const {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < records_.size(); ++i)
      if (std::holds_alternative<Quote>(records_[i])) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::get<Quote>(records_[a]).span.begin < std::get<Quote>(records_[b]).span.begin;
    });
    return order;
  }

  bool Names(const Attribution& t) const { return !Clean(Slice(t.speaker)).empty(); }

  // 1. After the quote: ", she said" / ", said John Smith" / ", the mayor said".
  Attribution AttributionAfter(std::size_t after, Span para) const {
    std::size_t after_end = std::min(para.end, after + 200);
    for (const auto& re : p_.after) {
      Attribution t;
      if (MatchAttribution(re, text_, after, after_end, &t) && Names(t)) return t;
    }
    return {};
  }

  // 2. Before it, within its sentence: "Smith said:" / "She said that it was". A quote that
  // opens a paragraph after one ending in a colon takes that paragraph's last sentence; one
  // that opens a sentence takes the sentence before it in its paragraph ("Helen Marwood
  // agreed. “...”"), which the before patterns accept only when no quote follows its cue.
  Attribution AttributionBefore(std::size_t open, Span para, Span sentence,
                                bool starts_sentence) const {
    const std::string& text = text_;
    std::size_t lo = std::max(para.begin, sentence.begin);
    std::size_t hi = open;
    while (hi > lo && text[hi - 1] == ' ') --hi;
    if (starts_sentence && open == para.begin && para.begin > 0) {
      std::size_t e = para.begin;
      while (e > 0 && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
      if (e > 0 && text[e - 1] == ':') {
        hi = e;
        lo = SentenceAt(e - 1).begin;
      }
    } else if (starts_sentence && sentence.begin > para.begin) {
      hi = sentence.begin;
      while (hi > para.begin && std::isspace(static_cast<unsigned char>(text[hi - 1]))) --hi;
      lo = std::max(para.begin, SentenceAt(hi - 1).begin);
    }
    if (hi - lo > 300) lo = hi - 300;
    for (const auto& re : p_.before) {
      Attribution t;
      if (!MatchAttribution(re, text, lo, hi, &t) || !Names(t)) continue;
      // RE2 reports the leftmost match; the speech verb nearest the quote introduces it
      // ("Although not all Halden says is accurate, Osei said Halden is “...”"). Only across
      // a clause break: in "Brook said Ashby urged the staff to stay “...”" the quote is still
      // Brook's report.
      Attribution later;
      while (t.cue.end > t.cue.begin && t.cue.end < hi &&
             MatchAttribution(re, text, t.cue.end, hi, &later) && Names(later) &&
             later.cue.begin > t.cue.begin &&
             std::string_view(text)
                     .substr(t.cue.end, later.speaker.begin - t.cue.end)
                     .find_first_of(",;") != std::string_view::npos)
        t = later;
      return t;
    }
    return {};
  }

  // 3. The subject of the sentence the quote is part of: "Smith called it “a disaster.”"
  Attribution AttributionBySubject(std::size_t open, Span para, Span sentence) const {
    for (const auto& re : p_.subject) {
      Attribution t;
      if (MatchAttribution(re, text_, std::max(para.begin, sentence.begin), open, &t) && Names(t))
        return t;
    }
    return {};
  }

  // The speaker a pronoun names: the last person named before it whose gender does not
  // contradict it ("she" skips "Leonid Martynov"). The gender of a surname alone comes from
  // the full name it was introduced with ("Clinton" -> "Hillary Clinton").
  std::string ResolvePronoun(const std::string& pronoun, std::size_t at) {
    EnsureMentions(at);
    const std::string* pv = p_.pronouns->Find(pronoun);
    char want = pv != nullptr && (*pv == "m" || *pv == "f") ? (*pv)[0] : 0;
    auto agrees = [&](char g, const std::string& name) {
      if (want == 0 || name.empty()) return true;
      if (g == 0) {
        auto it = name_gender_.find(name);
        if (it == name_gender_.end())
          it = name_gender_.emplace(name, GenderOf({}, FullName(StripTitles(name), at))).first;
        g = it->second;
      }
      return g == 0 || g == want;
    };
    std::string resolved;
    for (auto m = MentionAtOrAfter(at); m != mentions_.begin();) {
      --m;
      if (agrees(m->gender, m->name)) {
        resolved = m->name;
        break;
      }
    }
    if (resolved.empty() && agrees(0, previous_speaker_)) resolved = previous_speaker_;
    return resolved.empty() ? std::string() : FullName(StripTitles(resolved), at);
  }

  void AttributeQuote(std::size_t ri) {
    const std::string& text = text_;
    Quote* q = &std::get<Quote>(records_[ri]);
    Span para = ParagraphOf(q->span.begin);
    std::string_view inner = Slice(q->span);

    // The open mark (the quote's inner span starts after it and any spaces).
    std::size_t open = q->span.begin;
    while (open > para.begin && text[open - 1] == ' ') --open;
    while (open > para.begin) {
      std::size_t prev = open - 1;
      while (prev > para.begin && (static_cast<unsigned char>(text[prev]) & 0xC0) == 0x80) --prev;
      if (ClassifyQuoteMark(text, prev).role == QuoteRole::kNone) break;
      open = prev;
    }
    Span sentence = SentenceAt(open);
    bool starts_sentence = true;
    for (std::size_t i = std::max(sentence.begin, para.begin); i < open; ++i)
      if (std::isalnum(static_cast<unsigned char>(text[i]))) starts_sentence = false;

    // The text after the closing mark and its punctuation.
    std::size_t after = q->span.end;
    bool closed_by_stop = false;  // "... end of quote." or "end of quote”." closes the sentence
    while (after < para.end &&
           (std::string_view(",.;:!? \"'").find(text[after]) != std::string_view::npos ||
            static_cast<unsigned char>(text[after]) >= 0x80)) {
      if (static_cast<unsigned char>(text[after]) >= 0x80) {
        QuoteMark m = ClassifyQuoteMark(text, after);
        if (m.role == QuoteRole::kNone) break;
        after += m.length;
      } else {
        if (text[after] == '.') closed_by_stop = true;
        ++after;
      }
    }
    bool sentence_final = EndsSentence(inner) || closed_by_stop;

    // One-word scare quotes that modify the next word ("“illegal” immigrants", "a “no” vote"):
    // marked terms, not quotations.
    if (Words(inner).size() == 1 &&
        std::string_view(".,!?").find(inner.back()) == std::string_view::npos) {
      std::size_t close_end = q->span.end;
      while (close_end < para.end && ClassifyQuoteMark(text, close_end).role != QuoteRole::kNone)
        close_end += ClassifyQuoteMark(text, close_end).length;
      if (close_end + 1 < para.end && text[close_end] == ' ' &&
          std::isalpha(static_cast<unsigned char>(text[close_end + 1]))) {
        drops_->push_back(
            {ri, "quotes", "one quoted word before another: a term, not a quotation"});
        return;
      }
    }

    // Not after a quote that ends its sentence: the next sentence has its own subject.
    Attribution a;
    if (!sentence_final) a = AttributionAfter(after, para);
    if (!a.found) a = AttributionBefore(open, para, sentence, starts_sentence);
    bool have_cue = a.found;
    if (!a.found && !starts_sentence) a = AttributionBySubject(open, para, sentence);

    // Short title-case quotes with no speech verb are titles of works, slogans and names
    // ("“Sunday Morning Futures”", "the “Gang of Eight”"), not quotations.
    if (!have_cue) {
      auto iw = Words(inner);
      bool title_case = iw.size() <= 4;
      for (std::string_view w : iw)
        title_case = title_case && (IsCapitalised(w) || In(p_.title_function_words, w));
      if (title_case) {
        drops_->push_back(
            {ri, "quotes", "a short title-case phrase with no speech verb: a name or title"});
        return;
      }
    }

    if (a.found) {
      std::string speaker = Clean(Slice(a.speaker));
      std::string cue = text.substr(a.cue.begin, a.cue.size());
      if (a.cue.size() > 0 && (have_cue || In(p_.speech_verbs, cue))) q->cue = cue;
      q->speaker_span = a.speaker;
      if (IsPronoun(speaker)) {
        q->speaker = ResolvePronoun(speaker, a.speaker.begin);
      } else if (IsCapitalised(speaker)) {
        q->speaker = FullName(StripTitles(speaker), a.speaker.begin);
      } else {
        // A description ("a police spokesman"), unless it is "the <title>" of someone named.
        q->speaker = ResolveDescription(speaker, a.speaker.begin);
      }
    } else if (!previous_speaker_.empty() && q->span.begin - previous_end_ < 1200) {
      q->speaker = previous_speaker_;  // no cue: the quote continues the previous speaker
    }
    previous_speaker_ = q->speaker;
    previous_end_ = q->span.end;
  }

  const QuoteAttributor::Patterns& p_;
  const PassContext& ctx_;
  const std::string& text_;
  std::vector<Record>& records_;
  std::vector<PassDrop>* drops_;

  std::vector<Span> sentences_;  // ICU's, rejoined after titles and initials
  std::vector<Span> quoted_;     // the quotes' spans, by start
  Mentions mentions_;            // by position
  std::unordered_map<std::string, Introduction> by_last_word_, by_first_word_;
  std::unordered_map<std::string, Introduction> first_run_;  // surname -> first run
  std::string lower_;  // the text in ASCII lower case, made on first need
  std::unordered_map<std::string, std::vector<Introduction>> introductions_by_head_;
  std::unordered_map<std::string, char> name_gender_;  // surnames' gender via their full name
  std::string previous_speaker_;
  std::size_t previous_end_ = 0;
  // Mentions read so far: every one before mentions_known_before_ is in mentions_.
  bool mentions_started_ = false;
  std::size_t scan_end_ = 0;
  std::size_t mentions_known_before_ = 0;
  std::vector<MentionScan> scans_;  // one per mention pattern
  std::size_t next_sentence_ = 0;   // the next sentence whose subject is to be read
  Mentions fresh_mentions_;         // found in this read, not yet merged
  std::size_t next_seq_ = 0;
};

}  // namespace

void QuoteAttributor::Attribute(const PassContext& ctx, std::vector<Record>& records,
                                std::vector<PassDrop>* drops) const {
  // Most documents quote no one; the mention scan is the costliest part of the pass.
  if (std::none_of(records.begin(), records.end(),
                   [](const Record& r) { return std::holds_alternative<Quote>(r); }))
    return;
  AttributionRun(*p_, ctx, records, drops).Run();
}

}  // namespace gleaner::internal

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
  const Lexicon* roles = nullptr;  // nouns for a person ("villager", "minister")
  const Lexicon* name_particles = nullptr;          // "von", "al": inside a name
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
  auto lex = [&](const char* name) -> const Lexicon* {
    auto it = pack.lexicons.find(name);
    return it == pack.lexicons.end() ? nullptr : &it->second;
  };
  p->pronouns = lex("pronouns");
  p->titles = lex("titles");
  p->not_speakers = lex("not_speakers");
  p->speech_verbs = lex("speech_verbs");
  p->gender = lex("gender");
  p->descriptors = lex("descriptors");
  p->roles = lex("person_roles");
  p->name_particles = lex("name_particles");
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

// A word of a name: capitalised, or an Arabic-style particle joined to one ("al-Sharif").
bool IsNameWord(std::string_view w) {
  for (std::string_view p : {"al-", "el-", "bin-", "ibn-", "abu-", "ben-"})
    if (w.size() > p.size() && w.substr(0, p.size()) == p) return true;
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

}  // namespace

void QuoteAttributor::Attribute(const PassContext& ctx, std::vector<Record>& records,
                                std::vector<PassDrop>* drops) const {
  // Most documents quote no one; the mention scan below is the costliest part of the pass.
  if (std::none_of(records.begin(), records.end(),
                   [](const Record& r) { return std::holds_alternative<Quote>(r); }))
    return;
  const std::string& text = ctx.text.flat;
  auto in = [](const Lexicon* lex, std::string_view w) { return lex != nullptr && lex->Find(w); };
  auto is_pronoun = [&](std::string_view w) { return in(p_->pronouns, w); };
  // Particles that stay inside a name ("Ursula von der Leyen", "Ahmed al-Sharif").
  auto is_particle = [&](std::string_view w) { return in(p_->name_particles, w); };
  // Prepositions after which a speaker phrase names something else ("Ana Ruiz of the union").
  auto is_preposition = [&](std::string_view w) { return in(p_->speaker_prepositions, w); };

  // A speaker phrase reduced to the speaker: the final run of capitalised words that are not
  // titles ("Harbour Board press secretary Nadia Ferrante" -> "Nadia Ferrante"), the person before
  // a preposition ("Joel Pollak of Breitbart News" -> "Joel Pollak"), or the whole phrase when
  // it is a description ("the Trump campaign", "a spokesman"). Empty when it names no speaker
  // ("said Tuesday").
  auto clean = [&](std::string_view phrase) -> std::string {
    auto words = Words(phrase);
    if (words.empty()) return {};
    if (words.size() == 1 && is_pronoun(words[0])) return std::string(words[0]);
    bool named = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (named && is_preposition(words[i])) {
        words.resize(i);
        break;
      }
      if (IsCapitalised(words[i]) && !in(p_->titles, words[i]) && !in(p_->not_speakers, words[i]))
        named = true;
    }
    if (words.empty()) return {};
    // A description is a noun phrase: one running into a clause ("a long interview in Valmont
    // when", "the caption which") was matched across a sentence's structure.
    if (!named || !IsNameWord(words.back())) {
      for (std::string_view w : words)
        if (in(p_->clause_words, w)) return {};
    }
    // A particle cannot end a name: "said Jean du" is cut off, not a name.
    while (words.size() > 1 && is_particle(words.back())) words.pop_back();
    std::size_t n = words.size();
    if (!IsNameWord(words[n - 1])) {
      // A description ("the Trump campaign"): kept whole.
      return Join(words, 0, n);
    }
    std::size_t j = n;
    while (j > 0 && ((IsNameWord(words[j - 1]) && !in(p_->titles, words[j - 1]) &&
                      !in(p_->not_speakers, words[j - 1]) && !EndsWithPossessive(words[j - 1])) ||
                     (j < n && is_particle(words[j - 1]))))
      --j;
    while (j < n && is_particle(words[j])) ++j;
    if (j == n) {
      if (in(p_->not_speakers, words[n - 1])) return {};  // "Another", "Today"
      return Join(words, 0, n);                           // ends in a title: "the President"
    }
    bool all_stop = true;
    for (std::size_t i = j; i < n; ++i) all_stop = all_stop && in(p_->not_speakers, words[i]);
    if (all_stop) return {};
    return Join(words, j, n);
  };

  // Named mentions, in text order, that pronouns may refer to: speakers near a speech verb and
  // the named subjects of sentences.
  struct Mention {
    std::size_t at;
    std::string name;
    char gender;  // 'm', 'f', or 0 when unknown
  };
  // The gender a speaker phrase gives its person: a title or kin word before the name ("Mrs.",
  // "congresswoman", "his wife"), else the given name ("Hillary Clinton").
  auto gender_of = [&](std::string_view phrase, const std::string& name) -> char {
    if (p_->gender == nullptr) return 0;
    auto words = Words(phrase);
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
      if (const std::string* g = p_->gender->Find(words[i])) return (*g)[0];
    auto nw = Words(name);
    for (std::string_view w : nw) {
      if (in(p_->titles, w)) continue;
      if (const std::string* g = p_->gender->Find(w)) return (*g)[0];
      break;
    }
    return 0;
  };
  std::vector<Mention> mentions;
  // ICU breaks after some abbreviated titles and initials ("Dr. Henry Mwebesa", "John F.
  // Kennedy"); rejoin those sentences so that names stay whole.
  std::vector<Span> sentences;
  for (Span sp : ctx.text.sentences) {
    if (!sentences.empty() && sentences.back().end == sp.begin) {
      auto words =
          Words(std::string_view(text).substr(sentences.back().begin, sentences.back().size()));
      std::string_view last = words.empty() ? std::string_view() : words.back();
      bool initial = last.size() == 2 && IsCapitalised(last) && last[1] == '.';
      if (!last.empty() && last.back() == '.' && (initial || in(p_->titles, last))) {
        sentences.back().end = sp.end;
        continue;
      }
    }
    sentences.push_back(sp);
  }
  auto sentence_at = [&](std::size_t at) {
    auto it = std::upper_bound(sentences.begin(), sentences.end(), at,
                               [](std::size_t o, const Span& sp) { return o < sp.begin; });
    return it == sentences.begin() ? Span{0, text.size()} : *(it - 1);
  };

  // Quoted words are someone else's: names and sentence subjects in them are not mentions.
  std::vector<Span> quoted;
  for (const Record& r : records)
    if (const Quote* q = std::get_if<Quote>(&r)) quoted.push_back(q->span);
  std::sort(quoted.begin(), quoted.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  auto is_quoted = [&](std::size_t at) {
    auto it = std::upper_bound(quoted.begin(), quoted.end(), at,
                               [](std::size_t o, const Span& s) { return o < s.begin; });
    return it != quoted.begin() && at < (it - 1)->end;
  };
  auto add_mention = [&](std::size_t at, std::string_view phrase) {
    if (is_quoted(at)) return;
    std::string name = clean(phrase);
    auto words = Words(name);
    // "Axelrod’s" names what he owns, not someone who speaks.
    if (!words.empty() && IsCapitalised(words.back()) && !is_pronoun(name) &&
        !EndsWithPossessive(words.back())) {
      char g = gender_of(phrase, name);
      mentions.push_back({at, std::move(name), g});
    }
  };
  // Mentions serve as antecedents of speakers found next to a quote, so none after the last
  // quote's attribution window is needed: stop scanning there.
  std::size_t scan_end = 0;
  for (const Span& q : quoted) scan_end = std::max(scan_end, q.end);
  scan_end = std::min(text.size(), scan_end + 400);
  std::vector<re2::StringPiece> g;
  for (const auto& mention : p_->mention) {
    const RE2* re = mention.head.get();
    int n = re->NumberOfCapturingGroups() + 1;
    g.assign(n, {});
    int idx = re->NamedCapturingGroups().at("speaker");
    std::size_t pos = 0;
    while (pos < scan_end && re->Match(text, pos, scan_end, RE2::UNANCHORED, g.data(), n)) {
      std::size_t end = static_cast<std::size_t>(g[0].data() - text.data()) + g[0].size();
      if (g[idx].data() != nullptr)
        add_mention(static_cast<std::size_t>(g[idx].data() - text.data()),
                    std::string_view(g[idx].data(), g[idx].size()));
      pos = std::max(end, pos + 1);
    }
  }
  for (Span s : sentences) {
    if (s.begin >= scan_end) break;
    for (const auto& re : p_->subject) {
      Attribution a;
      if (MatchAttribution(re, text, s.begin, s.end, &a)) {
        add_mention(a.speaker.begin,
                    std::string_view(text).substr(a.speaker.begin, a.speaker.size()));
        break;
      }
    }
  }
  std::stable_sort(mentions.begin(), mentions.end(),
                   [](const Mention& a, const Mention& b) { return a.at < b.at; });

  auto mention_at_or_after = [&](std::size_t at) {
    return std::lower_bound(mentions.begin(), mentions.end(), at,
                            [](const Mention& m, std::size_t a) { return m.at < a; });
  };

  auto strip_titles = [&](std::string name) {
    auto words = Words(name);
    std::size_t k = 0;
    while (k + 1 < words.size() && in(p_->titles, words[k])) ++k;
    return Join(words, k, words.size());
  };
  // The first mention of several words, without titles, that ends (or starts) with a word:
  // a surname's full name ("Barsukova" -> "Irina Barsukova"), or a family name given first.
  struct Introduction {
    std::size_t at;
    std::string name;
  };
  std::unordered_map<std::string, Introduction> by_last_word, by_first_word;
  for (const Mention& m : mentions) {
    std::string cand = strip_titles(m.name);
    auto cw = Words(cand);
    if (cw.size() < 2) continue;
    by_last_word.try_emplace(std::string(cw.back()), Introduction{m.at, cand});
    by_first_word.try_emplace(std::string(cw.front()), Introduction{m.at, cand});
  }
  auto introduced_before = [](const std::unordered_map<std::string, Introduction>& index,
                              const std::string& word, std::size_t before) -> const std::string* {
    auto it = index.find(word);
    return it != index.end() && it->second.at < before ? &it->second.name : nullptr;
  };
  // The first capitalised run in the text that ends in a surname, once per surname (a scan
  // of the text per distinct surname, not per quote).
  auto scan_first_run = [&](const std::string& name) -> Introduction {
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
          if (cw[i].back() == '.' && cw[i].size() > 2 && !in(p_->titles, cw[i])) from = i + 1;
        std::string cand = clean(Join(cw, from, cw.size()));
        if (Words(cand).size() > 1 && Words(cand).back() == name) return {pos, std::move(cand)};
      }
      pos += name.size();
    }
    return {SIZE_MAX, {}};
  };
  std::unordered_map<std::string, Introduction> first_run;
  auto first_run_ending_in = [&](const std::string& name) -> const Introduction& {
    auto [it, fresh] = first_run.try_emplace(name, Introduction{SIZE_MAX, {}});
    if (fresh) it->second = scan_first_run(name);
    return it->second;
  };
  // The full name as first introduced: "Barsukova" -> "Irina Barsukova".
  auto full_name = [&](const std::string& name, std::size_t before) {
    auto words = Words(name);
    if (words.size() != 1) return name;
    if (const std::string* n = introduced_before(by_last_word, name, before)) return *n;
    // Otherwise the first capitalised run ending in the surname anywhere before.
    if (const Introduction& run = first_run_ending_in(name); run.at < before) return run.name;
    // Family name first ("Lim Hng Kiang" ... "Lim said"): a mention that starts with it.
    if (const std::string* n = introduced_before(by_first_word, name, before)) return *n;
    return name;
  };

  // A definite description names the person last introduced with its head noun as a title:
  // "the prime minister" -> "Prime Minister David Cameron" -> "David Cameron", or in an
  // apposition: "the lawyer" -> "Hamid el-Sayar, one of the tenants' lawyers".
  std::string lower;
  // The name that the description's head noun at `pos` introduces, or "".
  auto introduced_at = [&](const std::string& head, std::size_t pos) -> std::string {
    std::size_t e = pos + head.size();
    bool starts = pos == 0 || !std::isalpha(static_cast<unsigned char>(lower[pos - 1]));
    // A title before a name: capitalised ("Prime Minister David Cameron"), or a lower-case
    // role word ("police director Sana Shaminur Rahman"), not any noun ("the bill Patty").
    if (starts && e + 1 < text.size() && text[e] == ' ' &&
        IsCapitalised(std::string_view(text).substr(e + 1, 4)) &&
        (IsCapitalised(std::string_view(text).substr(pos, 4)) || in(p_->descriptors, head))) {
      std::size_t k = e + 1;
      while (k < text.size() && text[k] != ',' && text[k] != '.' && text[k] != ';' && k - e < 40 &&
             (text[k] != ' ' ||
              (k + 1 < text.size() && IsNameWord(std::string_view(text).substr(k + 1, 4)))))
        ++k;
      std::string name = clean(std::string_view(text).substr(pos, k - pos));
      if (!name.empty() && IsCapitalised(name) && Words(name).size() > 1) return name;
    }
    // The head ends the apposition ("lawyers." / "lawyer,"), which opens with a determiner.
    std::size_t he = e;
    if (he < text.size() && text[he] == 's') ++he;
    bool ends_np =
        he >= text.size() || std::string_view(",.;)").find(text[he]) != std::string_view::npos;
    if (starts && ends_np) {
      // "<Name>, <words> <head>": back over the apposition to its comma, then the name.
      std::size_t c = pos;
      while (c > 0 && pos - c < 80 &&
             std::string_view(",.;:\"\n").find(text[c - 1]) == std::string_view::npos)
        --c;
      auto first = Words(std::string_view(text).substr(c, pos - c));
      bool det = !first.empty() &&
                 (in(p_->apposition_determiners, first[0]) || EndsWithPossessive(first[0]));
      if (c > 0 && text[c - 1] == ',' && det) {
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
          if (word.empty() || !(IsNameWord(word) || is_particle(word))) break;
          nb = ws;
          ++n_words;
        }
        if (n_words >= 2) {
          std::string name = clean(std::string_view(text).substr(nb, ne - nb));
          if (!name.empty() && IsCapitalised(name) && Words(name).size() > 1) return name;
        }
      }
    }
    return {};
  };
  std::unordered_map<std::string, std::vector<Introduction>> introductions_by_head;
  auto resolve_description = [&](const std::string& desc, std::size_t before) -> std::string {
    auto words = Words(desc);
    if (words.size() < 2 || (words[0] != "the" && words[0] != "The")) return desc;
    if (lower.empty()) {
      lower = text;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string head(words.back());
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Where the head introduces a name, found once per head over the whole text.
    auto [it, fresh] = introductions_by_head.try_emplace(head);
    if (fresh) {
      for (std::size_t pos = 0; (pos = lower.find(head, pos)) != std::string::npos; ++pos)
        if (std::string name = introduced_at(head, pos); !name.empty())
          it->second.push_back({pos, std::move(name)});
    }
    // The nearest before the quote's speaker.
    const std::vector<Introduction>& found = it->second;
    auto after = std::lower_bound(found.begin(), found.end(), before,
                                  [](const Introduction& x, std::size_t b) { return x.at < b; });
    if (after != found.begin()) return std::prev(after)->name;
    // "David Cameron criticised the strike. “...,” the prime minister said.": a person noun
    // with no introduction of its own names the person last named before it.
    if (in(p_->roles, head) && words.size() <= 4 &&
        std::none_of(words.begin(), words.end(), is_preposition)) {
      auto first_after = mention_at_or_after(before);
      const Mention* last = first_after == mentions.begin() ? nullptr : &*std::prev(first_after);
      if (last != nullptr && before - last->at < 700) {
        std::string name = full_name(strip_titles(last->name), before);
        if (Words(name).size() > 1) return name;
      }
    }
    return desc;
  };

  // Quotes in text order (records may come in another order).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (std::holds_alternative<Quote>(records[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::get<Quote>(records[a]).span.begin < std::get<Quote>(records[b]).span.begin;
  });

  auto para_of = [&](std::size_t at) {
    const std::vector<Span>& paras = ctx.text.paragraphs;
    auto it = std::upper_bound(paras.begin(), paras.end(), at,
                               [](std::size_t a, const Span& p) { return a < p.begin; });
    if (it != paras.begin() && at < std::prev(it)->end) return *std::prev(it);
    return Span{0, text.size()};
  };

  std::string previous_speaker;
  std::size_t previous_end = 0;
  std::unordered_map<std::string, char> name_gender;  // surnames' gender via their full name
  for (std::size_t ri : order) {
    Quote* q = &std::get<Quote>(records[ri]);
    Span para = para_of(q->span.begin);
    std::string_view inner = std::string_view(text).substr(q->span.begin, q->span.size());

    // The open mark (the quote's inner span starts after it and any spaces).
    std::size_t open = q->span.begin;
    while (open > para.begin && text[open - 1] == ' ') --open;
    while (open > para.begin) {
      std::size_t prev = open - 1;
      while (prev > para.begin && (static_cast<unsigned char>(text[prev]) & 0xC0) == 0x80) --prev;
      if (ClassifyQuoteMark(text, prev).role == QuoteRole::kNone) break;
      open = prev;
    }
    Span sentence = sentence_at(open);
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
        drops->push_back({ri, "quotes", "one quoted word before another: a term, not a quotation"});
        continue;
      }
    }

    Attribution a;
    bool have_cue = false;
    // 1. After the quote: ", she said" / ", said John Smith" / ", the mayor said". Not after a
    // quote that ends its sentence: the next sentence has its own subject.
    if (!sentence_final) {
      std::size_t after_end = std::min(para.end, after + 200);
      for (const auto& re : p_->after) {
        Attribution t;
        if (MatchAttribution(re, text, after, after_end, &t) &&
            !clean(std::string_view(text).substr(t.speaker.begin, t.speaker.size())).empty()) {
          a = t;
          have_cue = true;
          break;
        }
      }
    }
    // 2. Before it, within its sentence: "Smith said:" / "She said that it was". A quote that
    // opens a paragraph after one ending in a colon takes that paragraph's last sentence; one
    // that opens a sentence takes the sentence before it in its paragraph ("Helen Marwood
    // agreed. “...”"), which the before patterns accept only when no quote follows its cue.
    if (!a.found) {
      std::size_t lo = std::max(para.begin, sentence.begin);
      std::size_t hi = open;
      while (hi > lo && text[hi - 1] == ' ') --hi;
      if (starts_sentence && open == para.begin && para.begin > 0) {
        std::size_t e = para.begin;
        while (e > 0 && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
        if (e > 0 && text[e - 1] == ':') {
          hi = e;
          lo = sentence_at(e - 1).begin;
        }
      } else if (starts_sentence && sentence.begin > para.begin) {
        hi = sentence.begin;
        while (hi > para.begin && std::isspace(static_cast<unsigned char>(text[hi - 1]))) --hi;
        lo = std::max(para.begin, sentence_at(hi - 1).begin);
      }
      if (hi - lo > 300) lo = hi - 300;
      auto named = [&](const Attribution& t) {
        return !clean(std::string_view(text).substr(t.speaker.begin, t.speaker.size())).empty();
      };
      for (const auto& re : p_->before) {
        Attribution t;
        if (MatchAttribution(re, text, lo, hi, &t) && named(t)) {
          // RE2 reports the leftmost match; the speech verb nearest the quote introduces it
          // ("Although not all Halden says is accurate, Osei said Halden is “...”").
          // Only across a clause break: in "Brook said Ashby urged the staff to stay “...”"
          // the quote is still Brook's report.
          Attribution later;
          while (t.cue.end > t.cue.begin && t.cue.end < hi &&
                 MatchAttribution(re, text, t.cue.end, hi, &later) && named(later) &&
                 later.cue.begin > t.cue.begin &&
                 std::string_view(text)
                         .substr(t.cue.end, later.speaker.begin - t.cue.end)
                         .find_first_of(",;") != std::string_view::npos)
            t = later;
          a = t;
          have_cue = true;
          break;
        }
      }
    }
    // 3. The subject of the sentence the quote is part of: "Smith called it “a disaster.”"
    if (!a.found && !starts_sentence) {
      for (const auto& re : p_->subject) {
        Attribution t;
        if (MatchAttribution(re, text, std::max(para.begin, sentence.begin), open, &t) &&
            !clean(std::string_view(text).substr(t.speaker.begin, t.speaker.size())).empty()) {
          a = t;
          break;
        }
      }
    }

    // Short title-case quotes with no speech verb are titles of works, slogans and names
    // ("“Sunday Morning Futures”", "the “Gang of Eight”"), not quotations.
    if (!have_cue) {
      auto iw = Words(inner);
      bool title_case = iw.size() <= 4;
      for (std::string_view w : iw)
        title_case = title_case && (IsCapitalised(w) || in(p_->title_function_words, w));
      if (title_case) {
        drops->push_back(
            {ri, "quotes", "a short title-case phrase with no speech verb: a name or title"});
        continue;
      }
    }

    if (a.found) {
      std::string speaker = clean(std::string_view(text).substr(a.speaker.begin, a.speaker.size()));
      std::string cue = text.substr(a.cue.begin, a.cue.size());
      if (a.cue.size() > 0 && (have_cue || in(p_->speech_verbs, cue))) q->cue = cue;
      q->speaker_span = a.speaker;
      if (is_pronoun(speaker)) {
        // A pronoun names the last person named before it whose gender does not contradict
        // it: "she" skips "Leonid Martynov". The gender of a surname alone comes from the full
        // name it was introduced with ("Clinton" -> "Hillary Clinton").
        const std::string* pv = p_->pronouns->Find(speaker);
        char want = pv != nullptr && (*pv == "m" || *pv == "f") ? (*pv)[0] : 0;
        auto agrees = [&](char g, const std::string& name) {
          if (want == 0 || name.empty()) return true;
          if (g == 0) {
            auto it = name_gender.find(name);
            if (it == name_gender.end())
              it = name_gender
                       .emplace(name, gender_of({}, full_name(strip_titles(name), a.speaker.begin)))
                       .first;
            g = it->second;
          }
          return g == 0 || g == want;
        };
        std::string resolved;
        for (auto m = mention_at_or_after(a.speaker.begin); m != mentions.begin();) {
          --m;
          if (agrees(m->gender, m->name)) {
            resolved = m->name;
            break;
          }
        }
        if (resolved.empty() && agrees(0, previous_speaker)) resolved = previous_speaker;
        q->speaker =
            resolved.empty() ? std::string() : full_name(strip_titles(resolved), a.speaker.begin);
      } else if (IsCapitalised(speaker)) {
        q->speaker = full_name(strip_titles(speaker), a.speaker.begin);
      } else {
        // A description ("a police spokesman"), unless it is "the <title>" of someone named.
        q->speaker = resolve_description(speaker, a.speaker.begin);
      }
    } else if (!previous_speaker.empty() && q->span.begin - previous_end < 1200) {
      q->speaker = previous_speaker;  // no cue: the quote continues the previous speaker
    }
    previous_speaker = q->speaker;
    previous_end = q->span.end;
  }
}

}  // namespace gleaner::internal

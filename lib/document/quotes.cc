#include <re2/re2.h>

#include <algorithm>

#include "document/passes.h"

namespace gleaner::internal {

struct QuoteAttributor::Patterns {
  std::vector<std::unique_ptr<RE2>> after;    // anchored at the text after the quote
  std::vector<std::unique_ptr<RE2>> before;   // anchored at the end of the text before it
  std::vector<std::unique_ptr<RE2>> mention;  // named speakers anywhere, for pronouns
  const Lexicon* pronouns = nullptr;
  const Lexicon* titles = nullptr;
};

QuoteAttributor::QuoteAttributor(std::unique_ptr<Patterns> p) : p_(std::move(p)) {}
QuoteAttributor::~QuoteAttributor() = default;

Result<std::unique_ptr<QuoteAttributor>> QuoteAttributor::Create(const Pack& pack) {
  auto p = std::make_unique<Patterns>();
  for (const auto& [name, pattern] : pack.macros) {
    std::vector<std::unique_ptr<RE2>>* list = nullptr;
    std::string anchored;
    if (name.rfind("attribution_after", 0) == 0) {
      list = &p->after;
      anchored = "^(?:" + pattern + ")";
    } else if (name.rfind("attribution_before", 0) == 0) {
      list = &p->before;
      anchored = "(?:" + pattern + ")$";
    } else if (name.rfind("attribution_mention", 0) == 0) {
      list = &p->mention;
      anchored = pattern;
    } else {
      continue;
    }
    RE2::Options opt;
    opt.set_log_errors(false);
    auto re = std::make_unique<RE2>(anchored, opt);
    if (!re->ok())
      return Status::InvalidRule("bad attribution macro: " + re->error(), pack.file, 0,
                                 "macro:" + name);
    if (!re->NamedCapturingGroups().count("speaker"))
      return Status::InvalidRule("attribution macro needs a (?P<speaker>...) capture", pack.file,
                                 0, "macro:" + name);
    list->push_back(std::move(re));
  }
  auto lex = [&](const char* name) -> const Lexicon* {
    auto it = pack.lexicons.find(name);
    return it == pack.lexicons.end() ? nullptr : &it->second;
  };
  p->pronouns = lex("pronouns");
  p->titles = lex("titles");
  return std::unique_ptr<QuoteAttributor>(new QuoteAttributor(std::move(p)));
}

namespace {

struct Attribution {
  Span speaker;
  Span cue;
  bool found = false;
};

// Runs `re` over text[lo, hi) and reads its speaker and cue captures.
bool MatchAttribution(const RE2& re, const std::string& text, std::size_t lo, std::size_t hi,
                      Attribution* out) {
  const auto& names = re.NamedCapturingGroups();
  int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(n);
  // Match within the window only, so that the patterns' "^"/"$" mean its edges.
  re2::StringPiece window(text.data() + lo, hi - lo);
  if (!re.Match(window, 0, window.size(), RE2::UNANCHORED, groups.data(), n)) return false;
  auto span_of = [&](const char* name) {
    auto it = names.find(name);
    if (it == names.end() || groups[it->second].data() == nullptr) return Span{};
    std::size_t b = static_cast<std::size_t>(groups[it->second].data() - text.data());
    return Span{b, b + groups[it->second].size()};
  };
  out->speaker = span_of("speaker");
  out->cue = span_of("cue");
  out->found = out->speaker.size() > 0;
  return out->found;
}

bool IsCapitalised(std::string_view word) {
  return !word.empty() && word[0] >= 'A' && word[0] <= 'Z';
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

void QuoteAttributor::Attribute(const PassContext& ctx, std::vector<Record>& records) const {
  const std::string& text = ctx.text.flat;
  // Named mentions of speakers, in text order, for resolving pronouns.
  struct Mention {
    std::size_t at;
    std::string name;
  };
  std::vector<Mention> mentions;
  std::vector<re2::StringPiece> g;
  for (const auto& re : p_->mention) {
    int n = re->NumberOfCapturingGroups() + 1;
    g.assign(n, {});
    int idx = re->NamedCapturingGroups().at("speaker");
    std::size_t pos = 0;
    while (pos < text.size() && re->Match(text, pos, text.size(), RE2::UNANCHORED, g.data(), n)) {
      std::size_t end = static_cast<std::size_t>(g[0].data() - text.data()) + g[0].size();
      if (g[idx].data() != nullptr)
        mentions.push_back({static_cast<std::size_t>(g[idx].data() - text.data()),
                            std::string(g[idx].data(), g[idx].size())});
      pos = std::max(end, pos + 1);
    }
  }
  std::sort(mentions.begin(), mentions.end(),
            [](const Mention& a, const Mention& b) { return a.at < b.at; });

  auto strip_titles = [&](std::string name) {
    auto words = Words(name);
    std::size_t k = 0;
    while (k + 1 < words.size() && p_->titles != nullptr && p_->titles->Find(words[k]) != nullptr)
      ++k;
    std::string out;
    for (std::size_t i = k; i < words.size(); ++i) out += (out.empty() ? "" : " ") + std::string(words[i]);
    return out;
  };
  // The full name as first introduced: "Kovalkova" -> "Volha Kovalkova".
  auto full_name = [&](const std::string& name, std::size_t before) {
    auto words = Words(name);
    if (words.size() != 1) return name;
    std::string best = name;
    for (const Mention& m : mentions) {
      if (m.at >= before) break;
      std::string cand = strip_titles(m.name);
      auto cw = Words(cand);
      if (cw.size() > 1 && cw.back() == words[0]) return cand;
    }
    // Otherwise the first capitalised run ending in the surname anywhere before.
    std::size_t pos = 0;
    while ((pos = text.find(name, pos)) != std::string::npos && pos < before) {
      std::size_t b = pos;
      std::size_t words_back = 0;
      while (b > 1 && text[b - 1] == ' ' && words_back < 3) {
        std::size_t w = b - 1;
        while (w > 0 && (std::isalpha(static_cast<unsigned char>(text[w - 1])) ||
                         text[w - 1] == '-' || text[w - 1] == '\'' ||
                         static_cast<unsigned char>(text[w - 1]) >= 0x80))
          --w;
        if (w == b - 1 || !IsCapitalised(std::string_view(text).substr(w, 1))) break;
        b = w;
        ++words_back;
      }
      if (words_back > 0) {
        std::string cand = strip_titles(text.substr(b, pos + name.size() - b));
        if (Words(cand).size() > 1) return cand;
      }
      pos += name.size();
    }
    return best;
  };

  std::string previous_speaker;
  std::size_t previous_end = 0;
  for (Record& r : records) {
    Quote* q = std::get_if<Quote>(&r);
    if (q == nullptr) continue;
    Span sentence = ctx.text.SentenceAt(q->span.begin);
    Span para{0, text.size()};
    for (Span p : ctx.text.paragraphs)
      if (p.begin <= q->span.begin && q->span.begin < p.end) para = p;
    Attribution a;
    // After the quote: skip the closing mark and punctuation, then "she said" / "said X".
    std::size_t after = q->span.end;
    while (after < para.end && (std::string_view(",.;:!? \"'").find(text[after]) != std::string_view::npos ||
                                static_cast<unsigned char>(text[after]) >= 0x80)) {
      if (static_cast<unsigned char>(text[after]) >= 0x80) {
        QuoteMark m = ClassifyQuoteMark(text, after);
        if (m.role == QuoteRole::kNone) break;
        after += m.length;
      } else {
        ++after;
      }
    }
    std::size_t after_end = std::min(para.end, after + 160);
    for (const auto& re : p_->after)
      if (MatchAttribution(*re, text, after, after_end, &a)) break;
    if (!a.found) {
      // Before the quote, within its paragraph: "X said:" / "she said that it was".
      std::size_t before = q->span.begin;
      while (before > para.begin) {
        std::size_t prev = before - 1;
        while (prev > para.begin && (static_cast<unsigned char>(text[prev]) & 0xC0) == 0x80) --prev;
        QuoteMark m = ClassifyQuoteMark(text, prev);
        if (text[prev] == ' ' || m.role != QuoteRole::kNone) {
          before = prev;
        } else {
          break;
        }
      }
      std::size_t lo = std::max(para.begin, std::max(sentence.begin, before > 240 ? before - 240 : 0));
      if (lo > before) lo = para.begin;
      for (const auto& re : p_->before)
        if (MatchAttribution(*re, text, lo, before, &a)) break;
    }
    if (a.found) {
      std::string speaker = text.substr(a.speaker.begin, a.speaker.size());
      if (a.cue.size() > 0) q->cue = text.substr(a.cue.begin, a.cue.size());
      q->speaker_span = a.speaker;
      if (p_->pronouns != nullptr && p_->pronouns->Find(speaker) != nullptr) {
        // A pronoun names the last person named before it.
        std::string resolved;
        for (const Mention& m : mentions) {
          if (m.at >= a.speaker.begin) break;
          if (p_->pronouns->Find(m.name) == nullptr) resolved = m.name;
        }
        if (resolved.empty()) resolved = previous_speaker;
        q->speaker = resolved.empty() ? std::string() : full_name(strip_titles(resolved), a.speaker.begin);
      } else if (IsCapitalised(speaker)) {
        q->speaker = full_name(strip_titles(speaker), a.speaker.begin);
      } else {
        q->speaker = speaker;  // a description ("a police spokesman"): not a name
      }
    } else if (!previous_speaker.empty() && q->span.begin - previous_end < 1200) {
      q->speaker = previous_speaker;  // no cue: the quote continues the previous speaker
    }
    previous_speaker = q->speaker;
    previous_end = q->span.end;
  }
}

}  // namespace gleaner::internal

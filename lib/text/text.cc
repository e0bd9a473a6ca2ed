#include "text/text.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace gleaner::internal {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Decodes the code point at text[i]; returns U_SENTINEL (<0) for an invalid sequence.
UChar32 DecodeAt(std::string_view text, std::size_t i, std::size_t* next) {
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), pos, static_cast<int32_t>(text.size()), c);
  *next = static_cast<std::size_t>(pos);
  return c;
}

// The code point that ends just before text[i], or -1 at the start.
UChar32 DecodeBefore(std::string_view text, std::size_t i) {
  if (i == 0) return -1;
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, pos, c);
  return c;
}

bool IsBlankLine(std::string_view s, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
  }
  return true;
}

// Line breaks inside a paragraph become spaces; a paragraph ends at a blank line.
void FlattenAndSplit(PreparedText& p) {
  const std::string& s = p.repaired;
  p.flat = s;
  std::size_t para_begin = 0;
  std::size_t line_begin = 0;
  bool para_open = false;
  auto close_para = [&](std::size_t end) {
    if (para_open && end > para_begin) p.paragraphs.push_back({para_begin, end});
    para_open = false;
  };
  while (line_begin <= s.size()) {
    std::size_t nl = s.find('\n', line_begin);
    std::size_t line_end = nl == std::string::npos ? s.size() : nl;
    if (IsBlankLine(s, line_begin, line_end)) {
      close_para(line_begin);
    } else {
      if (!para_open) {
        para_open = true;
        para_begin = line_begin;
      } else {
        p.flat[line_begin - 1] = ' ';  // the '\n' ending the previous line of this paragraph
        if (line_begin >= 2 && p.flat[line_begin - 2] == '\r') p.flat[line_begin - 2] = ' ';
      }
    }
    if (nl == std::string::npos) {
      close_para(s.size());
      break;
    }
    line_begin = nl + 1;
  }
  // Very long paragraphs (tables, unpunctuated dumps) are cut into bounded windows at spaces so
  // that per-window work stays small; matches never need to span 64 KiB.
  constexpr std::size_t kMaxWindow = 1 << 16;
  std::vector<Span> bounded;
  for (Span w : p.paragraphs) {
    while (w.size() > kMaxWindow) {
      std::size_t cut = p.flat.rfind(' ', w.begin + kMaxWindow);
      if (cut == std::string::npos || cut <= w.begin) cut = w.begin + kMaxWindow;
      while (cut > w.begin && (static_cast<unsigned char>(p.flat[cut]) & 0xC0) == 0x80) --cut;
      bounded.push_back({w.begin, cut});
      w.begin = cut;
    }
    bounded.push_back(w);
  }
  p.paragraphs = std::move(bounded);
}

std::unique_ptr<icu::BreakIterator> MakeSentenceIterator() {
  UErrorCode status = U_ZERO_ERROR;
  // "ss=standard" suppresses sentence breaks after common abbreviations ("Mr.", "U.S.").
  icu::Locale locale("en@ss=standard");
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status)) return nullptr;
  return it;
}

// Break iterators are costly to build and not thread-safe: keep one per thread.
icu::BreakIterator* ThreadSentenceIterator() {
  thread_local std::unique_ptr<icu::BreakIterator> sentences = MakeSentenceIterator();
  return sentences.get();
}

template <typename Fn>
void ForEachSentence(std::string_view text, Span span, Fn&& fn) {
  icu::BreakIterator* it = ThreadSentenceIterator();
  if (it == nullptr || span.size() == 0) return;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut =
      utext_openUTF8(nullptr, text.data() + span.begin, static_cast<int64_t>(span.size()), &status);
  if (U_FAILURE(status)) return;
  it->setText(ut, status);
  if (U_SUCCESS(status)) {
    int32_t prev = it->first();
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
      fn(span.begin + static_cast<std::size_t>(prev), span.begin + static_cast<std::size_t>(b),
         it->getRuleStatus());
      prev = b;
    }
  }
  // Detach before closing so the iterator holds no dangling UText.
  UText* empty = utext_openUTF8(nullptr, "", 0, &status);
  it->setText(empty, status);
  utext_close(ut);
  utext_close(empty);
}

// ICU's abbreviation suppressions miss initials and some titles ("John F. Kennedy",
// "Dr. Anna Holm", "Sen. Ted Cruz"): a sentence that ends in one goes on.
bool EndsWithAbbreviation(std::string_view sentence, const AbbreviationTest& is_abbreviation) {
  std::size_t end = sentence.size();
  while (end > 0 && sentence[end - 1] == ' ') --end;
  if (end < 2 || sentence[end - 1] != '.') return false;
  std::size_t begin = end - 1;
  while (begin > 0 && std::isalpha(static_cast<unsigned char>(sentence[begin - 1]))) --begin;
  std::string_view word = sentence.substr(begin, end - 1 - begin);
  if (begin > 0 && sentence[begin - 1] != ' ' && sentence[begin - 1] != '(') return false;
  if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))) return true;
  return !word.empty() && is_abbreviation && is_abbreviation(word);
}

// The token stream of p.flat (PreparedText::tokens).
void Tokenize(PreparedText& p) {
  const std::string& text = p.flat;
  if (text.size() >= (std::size_t{1} << 32)) return;
  p.tokens.reserve(text.size() / 6);
  p.token_keys.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    auto b = static_cast<unsigned char>(text[i]);
    UChar32 c = b;
    if (b < 0x80) {  // ASCII without decoding: most of the text
      ++i;
    } else {
      c = NextCodePoint(text, i);
    }
    if (!IsTokenChar(c)) continue;
    TextToken t;
    t.capitalised = c < 0x80 ? (c >= 'A' && c <= 'Z') : u_isupper(c) != 0;
    bool all_ascii = c < 0x80;
    t.has_ascii = c < 0x80;
    std::size_t end = i;
    while (end < text.size()) {
      auto e = static_cast<unsigned char>(text[end]);
      if (e < 0x80) {
        if (!IsTokenChar(e)) break;
        t.has_ascii = true;
        ++end;
        continue;
      }
      std::size_t j = end;
      if (!IsTokenChar(NextCodePoint(text, j))) break;
      all_ascii = false;
      end = j;
    }
    i = end;
    t.begin = static_cast<std::uint32_t>(start);
    t.end = static_cast<std::uint32_t>(end);
    t.key_begin = static_cast<std::uint32_t>(p.token_keys.size());
    if (all_ascii) {
      for (std::size_t k = start; k < end; ++k) {
        char ch = text[k];
        p.token_keys += ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch;
      }
    } else {
      p.token_keys += FoldKey(std::string_view(text).substr(start, end - start));
    }
    t.key_size = static_cast<std::uint32_t>(p.token_keys.size() - t.key_begin);
    p.tokens.push_back(t);
  }
}

}  // namespace

namespace {

// Copies `input` to `out` with every invalid UTF-8 sequence, and NUL, replaced by U+FFFD,
// recording (offset in out, offset in input) after each replacement when `anchors` is given.
std::size_t Repair(std::string_view input, std::string* out,
                   std::vector<std::pair<std::size_t, std::size_t>>* anchors) {
  out->reserve(input.size());
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < input.size()) {
    // ASCII runs are copied in bulk: the common case for news text.
    std::size_t run = i;
    while (run < input.size() && static_cast<unsigned char>(input[run]) < 0x80 &&
           input[run] != '\0')
      ++run;
    out->append(input.substr(i, run - i));
    i = run;
    if (i >= input.size()) break;
    std::size_t next;
    UChar32 c = input[i] == '\0' ? -1 : DecodeAt(input, i, &next);
    if (input[i] == '\0') next = i + 1;
    if (c < 0) {
      // NUL is replaced too: it ends C strings in callers' code and is never text.
      out->append(kReplacement);
      ++count;
      if (anchors != nullptr) anchors->emplace_back(out->size(), next);
    } else {
      out->append(input.substr(i, next - i));
    }
    i = next;
  }
  return count;
}

}  // namespace

bool IsTokenChar(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return u_isalnum(static_cast<UChar32>(c)) != 0;
}

char32_t NextCodePoint(std::string_view s, std::size_t& i) {
  auto pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
  i = static_cast<std::size_t>(pos);
  return c < 0 ? char32_t{0xFFFD} : static_cast<char32_t>(c);
}

std::string RepairUtf8(std::string_view input, std::size_t* invalid) {
  std::string out;
  std::size_t count = Repair(input, &out, nullptr);
  if (invalid != nullptr) *invalid = count;
  return out;
}

PreparedText PrepareText(std::string_view input, const AbbreviationTest& is_abbreviation) {
  PreparedText p;
  p.invalid_sequences = Repair(input, &p.repaired, &p.anchors);
  FlattenAndSplit(p);
  for (Span para : p.paragraphs) {
    ForEachSentence(p.flat, para, [&](std::size_t b, std::size_t e, int32_t) {
      if (!p.sentences.empty() && p.sentences.back().end == b &&
          EndsWithAbbreviation(std::string_view(p.flat).substr(p.sentences.back().begin,
                                                               b - p.sentences.back().begin),
                               is_abbreviation)) {
        p.sentences.back().end = e;
      } else {
        p.sentences.push_back({b, e});
      }
    });
  }
  Tokenize(p);
  return p;
}

std::size_t PreparedText::ToInput(std::size_t offset) const {
  if (anchors.empty()) return offset;
  // The last anchor at or before `offset` fixes the shift; offsets inside a replacement
  // character map to the end of the invalid sequence.
  auto it = std::upper_bound(anchors.begin(), anchors.end(), std::make_pair(offset, SIZE_MAX));
  if (it == anchors.begin()) return offset;
  --it;
  return it->second + (offset - it->first);
}

Span PreparedText::SentenceAt(std::size_t offset) const {
  if (sentences.empty()) return {0, flat.size()};
  auto it = std::upper_bound(sentences.begin(), sentences.end(), offset,
                             [](std::size_t o, const Span& s) { return o < s.begin; });
  if (it == sentences.begin()) return sentences.front();
  return *(it - 1);
}

std::span<const TextToken> PreparedText::TokensIn(Span span) const {
  auto first = std::lower_bound(tokens.begin(), tokens.end(), span.begin,
                                [](const TextToken& t, std::size_t at) { return t.begin < at; });
  auto last = std::lower_bound(first, tokens.end(), span.end,
                               [](const TextToken& t, std::size_t at) { return t.begin < at; });
  return {first, last};
}

QuoteMark ClassifyQuoteMark(std::string_view text, std::size_t offset) {
  std::size_t next;
  UChar32 c = DecodeAt(text, offset, &next);
  std::size_t len = next - offset;
  switch (c) {
    case 0x201C:
      return {QuoteRole::kEither, 1, len};  // “ opens in English, closes „ in German
    case 0x201D:
      return {QuoteRole::kClose, 1, len};  // ”
    case 0x201E:
      return {QuoteRole::kOpen, 1, len};  // „
    case 0x201F:
      return {QuoteRole::kOpen, 1, len};  // ‟
    case 0x2018:
      return {QuoteRole::kEither, 2, len};  // ‘
    case 0x2019:
      return {QuoteRole::kClose, 2, len};  // ’
    case 0x201A:
      return {QuoteRole::kOpen, 2, len};  // ‚
    case 0x00AB:
      return {QuoteRole::kOpen, 3, len};  // «
    case 0x00BB:
      return {QuoteRole::kClose, 3, len};  // »
    case 0x2039:
      return {QuoteRole::kOpen, 4, len};  // ‹
    case 0x203A:
      return {QuoteRole::kClose, 4, len};  // ›
    case '"':
      return {QuoteRole::kEither, 1, len};
    case '\'':
      return {QuoteRole::kEither, 2, len};
    default:
      return {QuoteRole::kNone, 0, len};
  }
}

namespace {

bool IsWordChar(UChar32 c) { return c >= 0 && (u_isalnum(c) || c == '_'); }

// Decides whether the mark at `i` opens, closes, or is not a quote mark at all, from the
// characters on either side (an apostrophe between letters is not a quote mark).
QuoteRole ContextRole(std::string_view t, std::size_t i, const QuoteMark& m, bool have_open) {
  std::size_t after_pos = i + m.length;
  std::size_t dummy;
  UChar32 before = DecodeBefore(t, i);
  UChar32 after = after_pos < t.size() ? DecodeAt(t, after_pos, &dummy) : -1;
  bool space_before = before < 0 || u_isspace(before) || before == '(' || before == '[' ||
                      before == 0x2014 || before == 0x2013 || before == '-' || before == '/';
  bool space_after = after < 0 || u_isspace(after) || u_ispunct(after);
  if (m.family == 2 || m.family == 4) {
    // Single marks double as apostrophes: "don't", "students' union", "'90s".
    if (IsWordChar(before) && IsWordChar(after)) return QuoteRole::kNone;
    if (m.role == QuoteRole::kClose || m.role == QuoteRole::kEither) {
      if (!space_before && space_after) return have_open ? QuoteRole::kClose : QuoteRole::kNone;
    }
    if (m.role == QuoteRole::kOpen || m.role == QuoteRole::kEither) {
      if (space_before && !space_after && IsWordChar(after)) return QuoteRole::kOpen;
    }
    return m.role == QuoteRole::kClose && have_open ? QuoteRole::kClose : QuoteRole::kNone;
  }
  if (m.role != QuoteRole::kEither) return m.role;
  if (have_open) return QuoteRole::kClose;
  if (space_before || !space_after) return QuoteRole::kOpen;
  return QuoteRole::kNone;
}

bool StartsWithOpenMark(std::string_view t, Span para, int family) {
  std::size_t i = para.begin;
  while (i < para.end && (t[i] == ' ' || t[i] == '\t')) ++i;
  if (i >= para.end) return false;
  QuoteMark m = ClassifyQuoteMark(t, i);
  return m.family == family && m.role != QuoteRole::kClose;
}

// The end of an HTML/XML tag starting at t[i] ("<a href=\"x\">", "</tweet>"), or `i` when
// the '<' does not open one (a comparison: "fewer than 5 < 6").
std::size_t SkipTag(std::string_view t, std::size_t i, std::size_t end) {
  if (i + 1 >= end) return i;
  char c = t[i + 1];
  if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '/' || c == '!')) return i;
  for (std::size_t k = i + 1; k < end && k < i + 400; ++k) {
    if (t[k] == '>') return k + 1;
    if (t[k] == '<') return i;
  }
  return i;
}

// ASCII whitespace only: testing single bytes with u_isspace would cut the 0xA0 or 0x85 trail
// byte off a character such as "à" (C3 A0).
bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

Span Trim(std::string_view t, Span s) {
  while (s.begin < s.end && IsAsciiSpace(t[s.begin])) ++s.begin;
  while (s.end > s.begin && IsAsciiSpace(t[s.end - 1])) --s.end;
  return s;
}

}  // namespace

std::vector<Quotation> FindQuotations(std::string_view t, const std::vector<Span>& paragraphs) {
  std::vector<Quotation> out;
  for (std::size_t pi = 0; pi < paragraphs.size(); ++pi) {
    const Span para = paragraphs[pi];
    struct Open {
      std::size_t at, len;
      int family;
    };
    std::vector<Open> stack;
    for (std::size_t i = para.begin; i < para.end;) {
      unsigned char b = static_cast<unsigned char>(t[i]);
      if (b == '<') {
        // Markup left in scraped text (<tweet id="..." author="...">): its attribute values
        // are not quotations. Skip a tag that closes within a short distance.
        std::size_t gt = SkipTag(t, i, para.end);
        if (gt != i) {
          i = gt;
          continue;
        }
      }
      if (b != '"' && b != '\'' && b < 0xC2) {
        ++i;
        continue;
      }
      QuoteMark m = ClassifyQuoteMark(t, i);
      if (m.role == QuoteRole::kNone) {
        i += std::max<std::size_t>(m.length, 1);
        continue;
      }
      auto open_it = std::find_if(stack.rbegin(), stack.rend(),
                                  [&](const Open& o) { return o.family == m.family; });
      QuoteRole role = ContextRole(t, i, m, open_it != stack.rend());
      if (role == QuoteRole::kOpen) {
        stack.push_back({i, m.length, m.family});
      } else if (role == QuoteRole::kClose && open_it != stack.rend()) {
        Open o = *open_it;
        stack.erase(std::next(open_it).base(), stack.end());
        if (stack.empty()) {
          Span inner = Trim(t, {o.at + o.len, i});
          if (inner.size() > 0) out.push_back({{o.at, i + m.length}, inner, m.family});
        }
      }
      i += m.length;
    }
    // Newswire convention: a quote running over paragraphs leaves each paragraph but the last
    // unclosed and opens the next one with a fresh mark.
    if (!stack.empty() && pi + 1 < paragraphs.size() &&
        StartsWithOpenMark(t, paragraphs[pi + 1], stack.front().family)) {
      const Open& o = stack.front();
      Span inner = Trim(t, {o.at + o.len, para.end});
      if (inner.size() > 0) out.push_back({{o.at, para.end}, inner, o.family});
    }
  }
  return out;
}

void WarmUpUnicode() {
  // The normaliser every fold uses (a two-byte and a three-byte code point); it costs
  // microseconds. Break iterators and spell-out rules are per thread (text.cc, numbers.cc).
  (void)FoldKey("\xC3\x89t\xC3\xA9 \xE2\x82\xAC");
}

}  // namespace gleaner::internal

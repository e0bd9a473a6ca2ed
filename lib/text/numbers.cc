#include <unicode/numfmt.h>
#include <unicode/rbnf.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "gleaner/normalizer.h"
#include "text/numbers.h"
#include "text/text.h"

namespace gleaner::internal {
namespace {

// ICU's English spell-out rules, parsed leniently ("twenty five" as well as "twenty-five").
// Formatters are not thread-safe for parsing: one per thread.
icu::RuleBasedNumberFormat* SpellOut() {
  thread_local std::unique_ptr<icu::RuleBasedNumberFormat> rbnf = [] {
    UErrorCode status = U_ZERO_ERROR;
    auto f = std::make_unique<icu::RuleBasedNumberFormat>(icu::URBNF_SPELLOUT,
                                                          icu::Locale::getEnglish(), status);
    if (U_FAILURE(status)) return std::unique_ptr<icu::RuleBasedNumberFormat>();
    f->setLenient(true);
    return f;
  }();
  return rbnf.get();
}

// Exactly three digits at `pos`, then the end or a non-digit.
bool IsGroupOfThree(std::string_view s, std::size_t pos) {
  if (pos + 3 > s.size()) return false;
  for (std::size_t i = pos; i < pos + 3; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return pos + 3 == s.size() || s[pos + 3] < '0' || s[pos + 3] > '9';
}

// Digits with ',' or ' ' as thousands separators ("1,200", "58 000": the space is the SI and
// South African style); a space must be followed by exactly three digits, so "7 400" is one
// number but "2019 200" is not.
std::optional<double> ParseDigits(std::string_view s) {
  std::string clean;
  bool seen_digit = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      clean.push_back(c);
      seen_digit = true;
    } else if (c == '.') {
      clean.push_back(c);
    } else if (c == ',') {
      continue;  // thousands separator
    } else if (c == ' ' && seen_digit && clean.find('.') == std::string::npos &&
               IsGroupOfThree(s, i + 1)) {
      continue;  // thousands separator
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseWordsUncached(const std::string& folded) {
  icu::RuleBasedNumberFormat* f = SpellOut();
  if (f == nullptr || folded.empty()) return std::nullopt;
  // "a hundred" reads as "one hundred".
  std::string s = folded.rfind("a ", 0) == 0 ? "one " + folded.substr(2) : folded;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  icu::Formattable result;
  icu::ParsePosition pos(0);
  f->parse(u, result, pos);
  if (pos.getIndex() != u.length() || pos.getErrorIndex() >= 0) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  double v = result.getDouble(status);
  if (U_FAILURE(status)) return std::nullopt;
  return v;
}

// Every word ICU's spell-out writes (units, tens, scales), learnt from ICU by spelling out
// 0-100 and the powers of a thousand, and "a" and "and", which the parse reads too.
const std::unordered_set<std::string>& SpellOutWords() {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> out{"a", "and"};
    icu::RuleBasedNumberFormat* f = SpellOut();
    if (f == nullptr) return out;
    std::vector<double> numbers;
    for (int n = 0; n <= 100; ++n) numbers.push_back(n);
    for (double p = 1e3; p <= 1e18; p *= 1e3) numbers.push_back(p);
    for (double n : numbers) {
      icu::UnicodeString u;
      f->format(n, u);
      std::string text;
      u.toUTF8String(text);
      std::string word;
      for (char c : FoldKey(text) + " ") {
        if (c == ' ' || c == '-') {
          if (!word.empty()) out.insert(word);
          word.clear();
        } else {
          word.push_back(c);
        }
      }
    }
    return out;
  }();
  return words;
}

// True when every word of `folded` (split at spaces) is one SpellOutWords has: no other text
// can be a spelled-out number, and most words given are not, so they are rejected before ICU.
bool OnlySpellOutWords(std::string_view folded) {
  const auto& words = SpellOutWords();
  std::string word;
  for (std::size_t i = 0; i <= folded.size(); ++i) {
    if (i == folded.size() || folded[i] == ' ') {
      if (!word.empty() && words.count(word) == 0) return false;
      word.clear();
    } else {
      word.push_back(folded[i]);
    }
  }
  return true;
}

// ICU's lenient spell-out parse goes through collation and is slow, while news repeats the same
// few number words ("two", "three", "a dozen"): remember recent answers, per thread.
std::optional<double> ParseWords(const std::string& folded) {
  if (!OnlySpellOutWords(folded)) return std::nullopt;
  thread_local std::unordered_map<std::string, std::optional<double>> cache;
  auto it = cache.find(folded);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 4096) cache.clear();
  std::optional<double> v = ParseWordsUncached(folded);
  cache.emplace(folded, v);
  return v;
}

// The value of a number-words lexicon term, written as a number ("1e6", "0.5").
std::optional<double> LexiconNumber(const MatchView& m, std::string_view lexicon,
                                    std::string_view term) {
  auto v = m.lookup(lexicon, term);
  if (!v) return std::nullopt;
  std::string s(*v);
  char* end = nullptr;
  double x = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(x)) return std::nullopt;
  return x;
}

std::optional<double> Find(const std::function<std::optional<double>(std::string_view)>& words,
                           std::string_view term) {
  return words ? words(term) : std::nullopt;
}

}  // namespace

NumberWords NumberWordsOf(const MatchView& m) {
  NumberWords w;
  w.scale = [&m](std::string_view t) { return LexiconNumber(m, "number_scales", t); };
  w.fraction = [&m](std::string_view t) { return LexiconNumber(m, "number_fractions", t); };
  w.multiplier = [&m](std::string_view t) { return LexiconNumber(m, "number_multipliers", t); };
  return w;
}

std::optional<double> ParseCardinal(std::string_view text, const NumberWords& words) {
  std::string folded = FoldKey(text);
  for (char& c : folded)
    if (c == '-') c = ' ';
  if (folded.empty()) return std::nullopt;
  std::string_view all(folded);
  // A fraction of a scale: "half a million", "a quarter of a million". The fraction is the
  // words before the last; all of them but the scale word.
  if (std::size_t last = all.rfind(' '); last != std::string_view::npos && words.fraction) {
    bool fraction = false;  // "a quarter" may open "a quarter of a million" too
    for (std::size_t end = all.find(' '); end != std::string_view::npos && end <= last;
         end = all.find(' ', end + 1)) {
      auto share = Find(words.fraction, all.substr(0, end));
      if (!share) continue;
      fraction = true;
      if (auto scale = Find(words.scale, all.substr(end + 1))) return *share * *scale;
    }
    if (fraction) return std::nullopt;
  }
  // A multiplier of the number before it: "two dozen", "3 dozen".
  if (std::size_t last = all.rfind(' '); last != std::string_view::npos && last > 0) {
    if (auto times = Find(words.multiplier, all.substr(last + 1))) {
      auto head = ParseCardinal(all.substr(0, last), words);
      return head ? std::optional<double>(*head * *times) : std::nullopt;
    }
  }
  // A trailing scale word multiplies digits: "2.5 million", "1.2bn", "20-thousand", "3m".
  std::size_t sp = folded.find_last_of("0123456789");
  if (sp != std::string::npos && sp + 1 < folded.size()) {
    std::string_view tail = all.substr(sp + 1);
    std::size_t word = tail.find_first_not_of(' ');
    auto scale =
        word == std::string_view::npos ? std::nullopt : Find(words.scale, tail.substr(word));
    if (scale && *scale > 0) {
      if (auto head = ParseDigits(all.substr(0, sp + 1))) return *head * *scale;
    }
  }
  if (auto d = ParseDigits(folded)) return d;
  if (folded.find_first_of("0123456789") != std::string::npos) return std::nullopt;
  return ParseWords(folded);
}

}  // namespace gleaner::internal

// Numbers written in digits or in English words.
#ifndef GLEANER_LIB_TEXT_NUMBERS_H_
#define GLEANER_LIB_TEXT_NUMBERS_H_

#include <functional>
#include <optional>
#include <string_view>

namespace gleaner {
class MatchView;
}

namespace gleaner::internal {

// The words a cardinal may be written with besides digits and ICU's spell-out vocabulary. Each
// maps a folded word or phrase to its number, or nullopt; an empty one knows no words.
struct NumberWords {
  // A scale word after digits: "2.5 million", "1.2bn", "20-thousand" ("million" -> 1e6).
  std::function<std::optional<double>(std::string_view)> scale;
  // A share of a scale, before it: "half a million", "three quarters of a billion" ("half a"
  // -> 0.5).
  std::function<std::optional<double>(std::string_view)> fraction;
  // A word that multiplies the number before it, however written: "two dozen" ("dozen" -> 12).
  std::function<std::optional<double>(std::string_view)> multiplier;
};

// The number words of the pack whose rule `m` matched: its lexicons `number_scales`,
// `number_fractions` and `number_multipliers` (term -> number, as "1e6"). They read `m`: use
// them while it lives.
NumberWords NumberWordsOf(const MatchView& m);

// Parses a cardinal written in digits ("1,200", "2.5", "3 1/2") or in English words
// ("twenty-five", "two hundred and six", ICU spell-out rules), with the scale words, fractions
// and multipliers of `words` ("2.5 million", "half a million", "two dozen"). nullopt if `text`
// is not a number.
std::optional<double> ParseCardinal(std::string_view text, const NumberWords& words = {});

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_TEXT_NUMBERS_H_

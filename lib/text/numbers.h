// Numbers written in digits or in English words.
#ifndef GLEANER_LIB_TEXT_NUMBERS_H_
#define GLEANER_LIB_TEXT_NUMBERS_H_

#include <optional>
#include <string_view>

namespace gleaner::internal {

// Parses a cardinal written in digits ("1,200", "2.5", "3 1/2") or in English words
// ("twenty-five", "two hundred and six", ICU spell-out rules), with an optional scale word
// ("2.5 million"). nullopt if `text` is not a number.
std::optional<double> ParseCardinal(std::string_view text);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_TEXT_NUMBERS_H_

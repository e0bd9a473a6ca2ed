// The built-in normalisers and the helpers they share. Names, captures and arguments are
// documented in docs/rule-packs.md.
#ifndef GLEANER_LIB_NORMALIZE_BUILTIN_H_
#define GLEANER_LIB_NORMALIZE_BUILTIN_H_

#include <optional>
#include <string>
#include <string_view>

#include "gleaner/normalizer.h"

namespace gleaner::internal {

// Registers "timex", "count" and "number".
void RegisterBuiltinNormalizers(NormalizerRegistry& registry);

// Parses a cardinal written in digits ("1,200", "2.5", "3 1/2") or in English words
// ("twenty-five", "two hundred and six", ICU spell-out rules), with an optional scale word
// ("2.5 million"). nullopt if `text` is not a number.
std::optional<double> ParseCardinal(std::string_view text);

// Timex normaliser (registered as "timex").
bool NormalizeTimex(const MatchView& m, Fields& out);
// Count normaliser (registered as "count").
bool NormalizeCount(const MatchView& m, Fields& out);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_NORMALIZE_BUILTIN_H_

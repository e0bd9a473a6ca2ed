// The built-in normalisers, one folder per record type (lib/date, lib/count). Names, captures
// and arguments are documented in docs/rule-packs.md.
#ifndef GLEANER_LIB_NORMALIZERS_H_
#define GLEANER_LIB_NORMALIZERS_H_

#include "gleaner/normalizer.h"

namespace gleaner::internal {

// Registers "timex", "count" and "number".
void RegisterBuiltinNormalizers(NormalizerRegistry& registry);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_NORMALIZERS_H_

// The "timex" normaliser: TIMEX3 type, value and mod of a date, time, duration or set.
#ifndef GLEANER_LIB_DATE_TIMEX_H_
#define GLEANER_LIB_DATE_TIMEX_H_

#include "gleaner/normalizer.h"

namespace gleaner::internal {

// Timex normaliser (registered as "timex"); its captures and arguments are in
// docs/rule-packs.md.
bool NormalizeTimex(const MatchView& m, Fields& out);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_DATE_TIMEX_H_

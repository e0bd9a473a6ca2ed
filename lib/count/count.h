// The "count" normaliser: value, qualifier and unit of a count, and its entity and event.
#ifndef GLEANER_LIB_COUNT_COUNT_H_
#define GLEANER_LIB_COUNT_COUNT_H_

#include "gleaner/normalizer.h"

namespace gleaner::internal {

// Count normaliser (registered as "count"); its captures and arguments are in
// docs/rule-packs.md.
bool NormalizeCount(const MatchView& m, Fields& out);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_COUNT_COUNT_H_

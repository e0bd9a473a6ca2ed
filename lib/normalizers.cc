#include "normalizers.h"

#include "count/count.h"
#include "date/timex.h"
#include "text/numbers.h"

namespace gleaner::internal {

void RegisterBuiltinNormalizers(NormalizerRegistry& registry) {
  registry.Register("timex", NormalizeTimex);
  registry.Register("count", NormalizeCount);
  registry.Register("number", [](const MatchView& m, Fields& out) {
    auto cap = m.capture("number");
    auto v = ParseCardinal(cap ? *cap : m.text(), NumberWordsOf(m));
    if (!v) return false;
    out.emplace_back("value", *v);
    return true;
  });
}

}  // namespace gleaner::internal

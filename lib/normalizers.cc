#include "normalizers.h"

#include "count/count.h"
#include "date/timex.h"
#include "text/numbers.h"

namespace gleaner::internal {

void RegisterBuiltinNormalizers(NormalizerRegistry& registry) {
  registry.Register("timex", NormalizeTimex);
  registry.Register("count", NormalizeCount);
  // A number: the capture "number" (or the whole match), written to the field args.field
  // ("value" by default).
  registry.Register("number", [](const MatchView& m, Fields& out) {
    auto cap = m.capture("number");
    auto v = ParseCardinal(cap ? *cap : m.text(), NumberWordsOf(m));
    if (!v) {
      m.reject_reason("not a number: \"" + std::string(cap ? *cap : m.text()) + "\"");
      return false;
    }
    std::string_view field = m.arg("field");
    out.emplace_back(field.empty() ? "value" : std::string(field), *v);
    return true;
  });
}

}  // namespace gleaner::internal

// What the engine hands every document pass (the passes that need the whole document rather
// than one match live with their record type: lib/date/dateline.h, lib/location/places.h,
// lib/quote/attribution.h), and what a pass hands back.
#ifndef GLEANER_LIB_PASS_H_
#define GLEANER_LIB_PASS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gleaner/records.h"
#include "rules/pack.h"
#include "text/text.h"

namespace gleaner::internal {

struct PassContext {
  const PreparedText& text;
  const std::string& dct;
  std::function<const Lexicon*(std::string_view)> lexicon;  // first lexicon of that name
};

// A record a document pass removes, and why. Passes report drops instead of erasing, so that
// the engine can remove them all at once and `explain` can say which pass removed what.
struct PassDrop {
  std::size_t record = 0;  // index into the records vector the pass was given
  const char* pass = "";   // "places", "quotes"
  std::string reason;
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_PASS_H_

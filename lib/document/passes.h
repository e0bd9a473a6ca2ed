// Document-level passes: what needs the whole document rather than one match.
//   dateline -> DCT, place disambiguation by document context, quote speaker attribution.
#ifndef GLEANER_LIB_DOCUMENT_PASSES_H_
#define GLEANER_LIB_DOCUMENT_PASSES_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gleaner/records.h"
#include "match/gazetteer.h"
#include "rules/pack.h"
#include "text/text.h"

namespace gleaner::internal {

struct PassContext {
  const PreparedText& text;
  const std::string& dct;
  std::function<const Lexicon*(std::string_view)> lexicon;  // first lexicon of that name
};

// The reference date a dateline gives: " date 2020-09-06 MINSK --", "MINSK, Sept. 6, 2020 --",
// "WASHINGTON, March 3, 1987 (Reuters) -". Looks only at the start of the text. Empty if none
// (a dateline without a year sets nothing: its year cannot be known).
std::string FindDatelineDate(std::string_view text);

// A record a document pass removes, and why. Passes report drops instead of erasing, so that
// the engine can remove them all at once and `explain` can say which pass removed what.
struct PassDrop {
  std::size_t record = 0;  // index into the records vector the pass was given
  const char* pass = "";   // "places", "quotes"
  std::string reason;
};

// A location record and the gazetteer entries its text may name.
struct PlaceChoice {
  std::size_t record = 0;  // index into the records vector
  const std::vector<PlaceName>* names = nullptr;
  const Gazetteer* gazetteer = nullptr;
};

// Picks one entry per location by feature, population and the countries the document
// mentions unambiguously, and fills name, kind, country, geonames_id, lat, lon, feature.
// Locations that name people are reported in `drops`.
void ResolvePlaces(const PassContext& ctx, const std::vector<PlaceChoice>& choices,
                   std::vector<Record>& records, std::vector<PassDrop>* drops);

// Compiled attribution patterns of a quote pack (its "attribution_*" macros).
class QuoteAttributor {
 public:
  // Uses the macros of `pack` whose names start with "attribution_after" (tried on the text
  // after a quote) and "attribution_before" (on the text before it), each with captures
  // (?P<speaker>...) and (?P<cue>...). Returns an error for a macro that does not compile.
  static Result<std::unique_ptr<QuoteAttributor>> Create(const Pack& pack);
  ~QuoteAttributor();

  // Fills speaker, speaker_span and cue of every Quote in `records` (in document order):
  // the cue and speaker next to the quote; pronouns and surnames resolved to the full name as
  // first introduced; a quote with no cue inherits the previous quote's speaker. Quote marks
  // that set off a term or a title rather than someone's words are reported in `drops`.
  void Attribute(const PassContext& ctx, std::vector<Record>& records,
                 std::vector<PassDrop>* drops) const;

 private:
  struct Patterns;
  explicit QuoteAttributor(std::unique_ptr<Patterns> p);
  std::unique_ptr<Patterns> p_;
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_DOCUMENT_PASSES_H_

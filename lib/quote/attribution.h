// The quote pass: the cue and the speaker of each quotation.
#ifndef GLEANER_LIB_QUOTE_ATTRIBUTION_H_
#define GLEANER_LIB_QUOTE_ATTRIBUTION_H_

#include <memory>
#include <vector>

#include "pass.h"
#include "rules/pack.h"

namespace gleaner::internal {

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

  struct Patterns;  // the compiled patterns and the lexicons the pass reads

 private:
  explicit QuoteAttributor(std::unique_ptr<Patterns> p);
  std::unique_ptr<Patterns> p_;
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_QUOTE_ATTRIBUTION_H_

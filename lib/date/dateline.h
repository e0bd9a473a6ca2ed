// The dateline pass: the reference date a document gives at its start.
#ifndef GLEANER_LIB_DATE_DATELINE_H_
#define GLEANER_LIB_DATE_DATELINE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gleaner/status.h"
#include "rules/pack.h"

namespace gleaner::internal {

// A dateline form: a pack macro named "dateline_*" with (?P<year>), (?P<month>) and (?P<day>)
// captures; a month written as a word is looked up in the pack's "month" lexicon.
struct DatelineForm {
  std::string name;
  std::shared_ptr<const re2::RE2> re;
  int year = 0, month = 0, day = 0;  // capture indexes
  const Lexicon* months = nullptr;
};

// The dateline forms of the first pack in `packs` that has any, in macro-name order. Errors
// name the pack file and the macro (a pattern RE2 rejects, a missing capture).
Result<std::vector<DatelineForm>> CompileDatelineForms(
    const std::vector<std::unique_ptr<Pack>>& packs);

// The reference date a dateline gives: " date 2020-09-06 MINSK --", "MINSK, Sept. 6, 2020 --",
// "WASHINGTON, March 3, 1987 (Reuters) -", by the first of `forms` that matches the start of
// the text (its first 240 bytes). Empty if none (a dateline without a year sets nothing: its
// year cannot be known).
std::string FindDatelineDate(std::string_view text, const std::vector<DatelineForm>& forms);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_DATE_DATELINE_H_

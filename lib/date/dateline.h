// The dateline pass: the reference date a document gives at its start.
#ifndef GLEANER_LIB_DATE_DATELINE_H_
#define GLEANER_LIB_DATE_DATELINE_H_

#include <string>
#include <string_view>

namespace gleaner::internal {

// The reference date a dateline gives: " date 2020-09-06 MINSK --", "MINSK, Sept. 6, 2020 --",
// "WASHINGTON, March 3, 1987 (Reuters) -". Looks only at the start of the text. Empty if none
// (a dateline without a year sets nothing: its year cannot be known).
std::string FindDatelineDate(std::string_view text);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_DATE_DATELINE_H_

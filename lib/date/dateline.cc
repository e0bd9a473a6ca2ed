#include <re2/re2.h>

#include <cstdio>
#include <string>

#include "date/dateline.h"

namespace gleaner::internal {
namespace {

int MonthNumber(std::string_view name) {
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  std::string key;
  for (char c : name.substr(0, 3)) key.push_back(static_cast<char>(std::tolower(c)));
  for (int i = 0; i < 12; ++i)
    if (key == kMonths[i]) return i + 1;
  return 0;
}

std::string Format(int y, int m, int d) {
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31) return {};
  char buf[32];  // room for any int, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

std::string FindDatelineDate(std::string_view text) {
  // Only the first lines can be a dateline; a date deeper in the text is news, not a DCT.
  re2::StringPiece head(text.data(), std::min<std::size_t>(text.size(), 240));
  static const RE2 kIso(R"(^\s*(?:date:?\s+)?(\d{4})-(\d{2})-(\d{2})\b)");
  static const RE2 kWire(R"(^\s*(?:[A-Z][A-Za-z.'\- ]{1,40},\s*(?:[A-Z][A-Za-z.\- ]{1,30},\s*)?)?)"
                         R"((?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?)"
                         R"(((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?\s+)"
                         R"((\d{1,2}),?\s+(\d{4})\b)");
  // British and web bylines put the day first: "Thursday, 19 July 2007", "Mon 11 Jan 2016".
  static const RE2 kDayFirst(
      R"(^\s*(?:[A-Z][A-Za-z.'\- ]{1,40},\s*)?)"
      R"((?:(?:Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?)"
      R"((\d{1,2})(?:st|nd|rd|th)?\s+)"
      R"(((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?,?\s+(\d{4})\b)");
  int y = 0, m = 0, d = 0;
  std::string month;
  if (RE2::PartialMatch(head, kIso, &y, &m, &d)) return Format(y, m, d);
  if (RE2::PartialMatch(head, kWire, &month, &d, &y)) return Format(y, MonthNumber(month), d);
  if (RE2::PartialMatch(head, kDayFirst, &d, &month, &y)) return Format(y, MonthNumber(month), d);
  return {};
}

}  // namespace gleaner::internal

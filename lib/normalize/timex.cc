// The "timex" normaliser: TIMEX3 values from the named captures of a date rule.
//
// Captures it reads (all optional; lexicon values via capture_value):
//   year month day weekday quarter half season part hour minute ampm decade century
//   amount unit dir rel ref mod
// The rule's "args" choose how they combine: kind = calendar | weekday | relative | offset |
// duration | ref | time | set; type = DATE | TIME | DURATION | SET overrides the timex_type.
// Relative expressions resolve against the reference date; without one they get no value.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "normalize/builtin.h"
#include "text/text.h"

namespace gleaner::internal {
namespace {

using namespace std::chrono;

struct Ymd {
  int y = 0, m = 0, d = 0;
};

std::optional<Ymd> ParseDct(std::string_view s) {
  if (s.size() != 10) return std::nullopt;
  Ymd r{std::atoi(std::string(s.substr(0, 4)).c_str()), std::atoi(std::string(s.substr(5, 2)).c_str()),
        std::atoi(std::string(s.substr(8, 2)).c_str())};
  if (r.m < 1 || r.m > 12 || r.d < 1 || r.d > 31) return std::nullopt;
  return r;
}

sys_days ToDays(Ymd v) { return sys_days(year{v.y} / month{static_cast<unsigned>(v.m)} / day{static_cast<unsigned>(v.d)}); }
Ymd FromDays(sys_days d) {
  year_month_day ymd(d);
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string Fmt(const char* f, int a) {
  char buf[32];
  std::snprintf(buf, sizeof buf, f, a);
  return buf;
}
std::string YearStr(int y) { return Fmt("%04d", y); }
std::string DateStr(Ymd v) { return YearStr(v.y) + Fmt("-%02d", v.m) + Fmt("-%02d", v.d); }
std::string MonthStr(int y, int m) { return YearStr(y) + Fmt("-%02d", m); }

// ISO 8601 week of a day: "2020-W36".
std::string WeekStr(sys_days d) {
  weekday wd{d};
  int iso_wd = wd.iso_encoding();  // 1 = Monday
  sys_days thursday = d + days{4 - iso_wd};
  int y = static_cast<int>(year_month_day(thursday).year());
  sys_days jan1 = sys_days(year{y} / January / 1);
  int week = static_cast<int>((thursday - jan1).count() / 7) + 1;
  return YearStr(y) + Fmt("-W%02d", week);
}

// Tense of the sentence around the match, for weekdays with no "last"/"next": future only when
// a future marker is present; news is mostly past.
bool FutureSentence(const MatchView& m) {
  Span s = m.sentence();
  std::string sent = FoldKey(m.document().substr(s.begin, s.size()));
  for (const char* marker : {" will ", " 'll ", " shall ", " going to ", " plans to ", " plan to ",
                             " scheduled ", " due to ", " expected to ", " next "}) {
    if ((" " + sent + " ").find(marker) != std::string::npos) return true;
  }
  return false;
}

std::optional<int> Int(const MatchView& m, std::string_view name) {
  if (auto v = m.capture_value(name)) {
    if (auto x = ParseCardinal(*v)) return static_cast<int>(*x);
  }
  auto c = m.capture(name);
  if (!c) return std::nullopt;
  std::string digits;
  for (char ch : *c)
    if (ch >= '0' && ch <= '9') digits.push_back(ch);
    else if (!digits.empty()) break;
  if (!digits.empty()) return std::atoi(digits.c_str());
  if (auto x = ParseCardinal(*c)) return static_cast<int>(*x);
  return std::nullopt;
}

std::string Value(const MatchView& m, std::string_view name) {
  if (auto v = m.capture_value(name)) return std::string(*v);
  if (auto c = m.capture(name)) return FoldKey(*c);
  return {};
}

int FullYear(int y, std::string_view raw, const std::optional<Ymd>& dct) {
  bool two_digit = raw.size() <= 3;  // "87", "'87"
  if (!two_digit) return y;
  int century = dct ? dct->y / 100 * 100 : (y >= 30 ? 1900 : 2000);
  int full = century + y;
  if (dct && full > dct->y + 20) full -= 100;
  return full;
}

// Shifts `base` by `n` units and formats at the unit's granularity.
std::string Shift(Ymd base, const std::string& unit, int n) {
  sys_days d = ToDays(base);
  if (unit == "D") return DateStr(FromDays(d + days{n}));
  if (unit == "W") return WeekStr(d + days{7 * n});
  if (unit == "WE") return WeekStr(d + days{7 * n}) + "-WE";
  if (unit == "M") {
    year_month ym = year{base.y} / month{static_cast<unsigned>(base.m)};
    ym += months{n};
    return MonthStr(static_cast<int>(ym.year()), static_cast<int>(static_cast<unsigned>(ym.month())));
  }
  if (unit == "Q") {
    int q = (base.m - 1) / 3 + n;
    int y = base.y + (q >= 0 ? q / 4 : -((3 - q) / 4));
    q = ((q % 4) + 4) % 4;
    return YearStr(y) + "-Q" + std::to_string(q + 1);
  }
  if (unit == "Y") return YearStr(base.y + n);
  if (unit == "DE") return Fmt("%03d", (base.y + 10 * n) / 10);
  if (unit == "CE") return Fmt("%02d", (base.y + 100 * n) / 100);
  if (unit == "H" || unit == "MIN" || unit == "S") return DateStr(base);
  return {};
}

std::string Duration(const std::string& unit, const std::string& amount) {
  if (unit == "H" || unit == "MIN" || unit == "S")
    return "PT" + amount + (unit == "MIN" ? "M" : unit);
  if (unit == "DE") return "P" + (amount == "X" ? "X" : std::to_string(std::atoi(amount.c_str()) * 10)) + "Y";
  if (unit == "CE") return "P" + (amount == "X" ? "X" : std::to_string(std::atoi(amount.c_str()) * 100)) + "Y";
  if (unit == "WE") return "P" + amount + "WE";
  return "P" + amount + unit;
}

std::string AmountString(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(v)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string Amount(const MatchView& m) {
  if (auto v = m.capture_value("amount")) return std::string(*v);
  auto c = m.capture("amount");
  if (!c) return "1";  // "a month", "the past week"
  std::string folded = FoldKey(*c);
  if (folded == "a" || folded == "an" || folded == "one") return "1";
  if (auto x = ParseCardinal(*c)) return AmountString(*x);
  return "X";
}

}  // namespace

bool NormalizeTimex(const MatchView& m, Fields& out) {
  const std::string kind = std::string(m.arg("kind").empty() ? "calendar" : m.arg("kind"));
  std::string type = std::string(m.arg("type"));
  const std::optional<Ymd> dct = ParseDct(m.reference_date());
  std::string value;
  std::string mod = Value(m, "mod");
  if (mod.empty()) mod = std::string(m.arg("mod"));

  if (kind == "calendar") {
    auto y = Int(m, "year");
    auto mo = Int(m, "month");
    auto d = Int(m, "day");
    if (y) y = FullYear(*y, *m.capture("year"), dct);
    if (mo && (*mo < 1 || *mo > 12)) return false;
    if (d && (*d < 1 || *d > 31)) return false;
    if (auto q = Int(m, "quarter")) {
      if (*q < 1 || *q > 4) return false;
      if (!y && dct) y = dct->y;
      value = (y ? YearStr(*y) : "XXXX") + "-Q" + std::to_string(*q);
    } else if (auto season = Value(m, "season"); !season.empty()) {
      if (!y && dct) y = dct->y;
      value = (y ? YearStr(*y) : "XXXX") + "-" + season;
    } else if (mo && d) {
      if (!y && dct) y = dct->y;
      if (y) {
        year_month_day ymd = year{*y} / month{static_cast<unsigned>(*mo)} / day{static_cast<unsigned>(*d)};
        if (!ymd.ok()) return false;
        value = DateStr({*y, *mo, *d});
      } else {
        value = "XXXX" + Fmt("-%02d", *mo) + Fmt("-%02d", *d);
      }
    } else if (mo) {
      if (!y && dct) y = dct->y;
      value = y ? MonthStr(*y, *mo) : "XXXX" + Fmt("-%02d", *mo);
    } else if (y) {
      value = YearStr(*y);
    } else if (auto dec = m.capture("decade")) {
      std::string digits;
      for (char c : *dec)
        if (c >= '0' && c <= '9') digits.push_back(c);
      if (digits.size() == 4) value = digits.substr(0, 3);
      else if (digits.size() == 2) value = (digits[0] >= '3' ? "19" : "20") + digits.substr(0, 1);
      else return false;
    } else {
      return false;
    }
    if (auto part = Value(m, "part"); !part.empty() && value.size() == 10) value += "T" + part;
  } else if (kind == "weekday") {
    auto wd = Int(m, "weekday");  // 1 = Monday .. 7 = Sunday
    if (!wd || *wd < 1 || *wd > 7) return false;
    if (dct) {
      sys_days base = ToDays(*dct);
      int dct_wd = static_cast<int>(weekday{base}.iso_encoding());
      std::string rel = Value(m, "rel");
      sys_days target;
      if (rel == "-1") {  // "last Friday": the one before this week's, or the latest past one
        int back = (dct_wd - *wd + 7) % 7;
        target = base - days{back == 0 ? 7 : back};
      } else if (rel == "1") {
        int fwd = (*wd - dct_wd + 7) % 7;
        target = base + days{fwd == 0 ? 7 : fwd};
      } else if (rel == "0") {
        target = base + days{*wd - dct_wd};
      } else if (FutureSentence(m)) {
        target = base + days{(*wd - dct_wd + 7) % 7};
      } else {
        target = base - days{(dct_wd - *wd + 7) % 7};
      }
      value = DateStr(FromDays(target));
      if (auto part = Value(m, "part"); !part.empty()) value += "T" + part;
    } else {
      value = "XXXX-WXX-" + std::to_string(*wd);
    }
  } else if (kind == "relative") {  // "this week", "last year", "next month"
    std::string unit = Value(m, "unit");
    std::string rel = Value(m, "rel");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    if (rel.empty()) rel = std::string(m.arg("rel"));
    if (unit.empty()) return false;
    if (dct) value = Shift(*dct, unit, rel.empty() ? 0 : std::atoi(rel.c_str()));
    if (auto season = Value(m, "season"); !season.empty() && dct)
      value = YearStr(dct->y + (rel.empty() ? 0 : std::atoi(rel.c_str()))) + "-" + season;
  } else if (kind == "offset") {  // "two years ago", "three days later"
    std::string unit = Value(m, "unit");
    if (unit.empty()) return false;
    std::string amount = Amount(m);
    int dir = std::atoi(Value(m, "dir").c_str());
    if (dir == 0) dir = std::atoi(std::string(m.arg("dir")).c_str());
    if (dir == 0) dir = -1;
    if (dct && amount != "X") value = Shift(*dct, unit, dir * std::atoi(amount.c_str()));
    if (amount == "X") value = dir < 0 ? "PAST_REF" : "FUTURE_REF";
  } else if (kind == "duration") {
    std::string unit = Value(m, "unit");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    if (unit.empty()) return false;
    value = Duration(unit, Amount(m));
    if (type.empty()) type = "DURATION";
  } else if (kind == "ref") {  // "today", "yesterday", "now", "recently"
    std::string ref = Value(m, "ref");
    if (ref.empty()) ref = std::string(m.arg("ref"));
    if (ref.empty()) return false;
    bool offset = ref == "0" || ref[0] == '-' || std::isdigit(static_cast<unsigned char>(ref[0]));
    if (offset) {
      if (dct) value = DateStr(FromDays(ToDays(*dct) + days{std::atoi(ref.c_str())}));
    } else {
      value = ref;
    }
    if (auto part = Value(m, "part"); !part.empty() && value.size() == 10) value += "T" + part;
  } else if (kind == "time") {  // "3 p.m.", "14:30", "this morning"
    auto h = Int(m, "hour");
    auto mi = Int(m, "minute");
    std::string ampm = Value(m, "ampm");
    std::string part = Value(m, "part");
    std::string date_part;
    if (dct) {
      int ref = 0;
      if (std::string r = Value(m, "ref"); !r.empty()) ref = std::atoi(r.c_str());
      date_part = DateStr(FromDays(ToDays(*dct) + days{ref}));
    } else {
      date_part = "XXXX-XX-XX";
    }
    if (h) {
      int hour = *h;
      if (hour > 24 || (mi && *mi > 59)) return false;
      if (ampm == "pm" && hour < 12) hour += 12;
      if (ampm == "am" && hour == 12) hour = 0;
      value = date_part + "T" + Fmt("%02d", hour) + ":" + Fmt("%02d", mi ? *mi : 0);
    } else if (!part.empty()) {
      value = date_part + "T" + part;
    } else {
      return false;
    }
    if (type.empty()) type = "TIME";
  } else if (kind == "set") {
    std::string unit = Value(m, "unit");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    if (unit.empty()) return false;
    value = Duration(unit, Amount(m));
    if (type.empty()) type = "SET";
  } else {
    return false;
  }
  if (type.empty()) type = "DATE";
  out.emplace_back("timex_type", type);
  if (!value.empty()) out.emplace_back("value", value);
  if (!mod.empty()) out.emplace_back("mod", mod);
  return true;
}

}  // namespace gleaner::internal

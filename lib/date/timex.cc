// The "timex" normaliser: TIMEX3 values from the named captures of a date rule.
//
// Captures it reads (all optional; lexicon values via capture_value):
//   year month day weekday quarter half season part hour minute ampm decade century
//   amount unit dir rel ref mod yrel (a year shift: "June last year", "next year's first quarter")
//   holiday (a lexicon code, see rules/dates.json) nth bc ad hour2
// The rule's "args" choose how they combine: kind = calendar | weekday | relative | offset |
// duration | ref | time | set | weekend | fiscal | anchored | future_offset | holiday |
// nth_weekday; type = DATE | TIME | DURATION | SET overrides the timex_type. Anaphoric dates
// ("three days later", "the next day", "that year": kind anchored, or an offset whose `dir` value
// ends in "A") count from the last explicit date written before them, else from the DCT; without
// a DCT, a month or holiday written without its year takes the year the text last mentioned.
// Relative expressions resolve against the reference date; without one they get no value. Dates
// without a year (a month, a month and day, a quarter, a weekday) take the year that the tense of
// their sentence points to, as HeidelTime does.
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "date/timex.h"
#include "text/numbers.h"
#include "text/text.h"

namespace gleaner::internal {
namespace {

using namespace std::chrono;

constexpr long long kMaxAmount = 1'000'000'000;

// A whole number written at the start of `s` (after spaces, with an optional sign), as
// std::atoi reads it but clamped to +-1e9 rather than overflowing: amounts and offsets come
// from the text ("44444444444 years"), and whatever they are, no conversion may overflow.
int Num(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  bool negative = i < s.size() && s[i] == '-';
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  long long v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = v * 10 + (s[i] - '0');
    if (v > kMaxAmount) {
      v = kMaxAmount;
      break;
    }
  }
  return static_cast<int>(negative ? -v : v);
}

struct Ymd {
  int y = 0, m = 0, d = 0;
};

std::optional<Ymd> ParseDct(std::string_view s) {
  if (s.size() != 10) return std::nullopt;
  Ymd r{Num(s.substr(0, 4)), Num(s.substr(5, 2)), Num(s.substr(8, 2))};
  if (r.m < 1 || r.m > 12 || r.d < 1 || r.d > 31) return std::nullopt;
  return r;
}

sys_days ToDays(Ymd v) {
  return sys_days(year{v.y} / month{static_cast<unsigned>(v.m)} / day{static_cast<unsigned>(v.d)});
}
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

enum class Tense { kUnknown, kPast, kFuture, kPresent };

bool EndsWith(std::string_view w, std::string_view tail) {
  return w.size() >= tail.size() && w.substr(w.size() - tail.size()) == tail;
}

// The tense one word signals, or kUnknown, from the tense lexicons of the rule's pack (see
// "Clause tense" in docs/rule-packs.md). `next` is the word after it, `prev` the one before:
// "set to", "due to" and "going to" are future; a participle after "be" is not a past tense
// ("will be released Friday").
Tense WordTense(const MatchView& m, std::string_view w, std::string_view prev,
                std::string_view next) {
  auto in = [&m](std::string_view lexicon, std::string_view word) {
    return !word.empty() && m.lookup(lexicon, word).has_value();
  };
  if (char pair[48]; !next.empty() && w.size() + 1 + next.size() <= sizeof pair) {
    // "next to the embassy": the two words, joined without an allocation.
    std::memcpy(pair, w.data(), w.size());
    pair[w.size()] = ' ';
    std::memcpy(pair + w.size() + 1, next.data(), next.size());
    if (in("tense_neutral_phrases", std::string_view(pair, w.size() + 1 + next.size())))
      return Tense::kUnknown;
  }
  // "had been scheduled to": a plan told in the pluperfect, for a day now past.
  if (in("tense_plan_words", w) && in("tense_pluperfect_auxiliaries", prev)) return Tense::kPast;
  // "as previously planned": no cue.
  if (w == "planned" && in("tense_planned_without_cue_after", prev)) return Tense::kUnknown;
  if (in("tense_future_words", w)) return Tense::kFuture;
  // A participle after "be", "will" or "to" is not a past tense ("would be held on April 24",
  // "to be paid"), nor is one after a determiner ("the reduced dividend").
  const bool not_finite = in("tense_nonfinite_before", prev);
  if (in("tense_past_adverbs", w)) return Tense::kPast;
  // "The recital on Sunday is the choir's first since 2009": a present copula, not in a relative
  // clause ("the president, who is 70, said") nor before a participle or "to".
  if (in("tense_present_copulas", w) && !in("tense_relative_subjects", prev) &&
      !EndsWith(next, "ed") && !EndsWith(next, "ing") && !in("tense_not_present_after", next))
    return Tense::kPresent;
  if (not_finite) return Tense::kUnknown;
  // Nouns as often as verbs: future only as "set to", "plans to", "due for".
  if (in("tense_future_before_to", w) && (next == "to" || next == "for")) return Tense::kFuture;
  if (in("tense_past_words", w)) return Tense::kPast;
  if (w.size() > 4 && EndsWith(w, "ed") && !in("tense_ed_not_past", w)) return Tense::kPast;
  return Tense::kUnknown;
}

// The tense of the clause around the match: the nearest tense cue before it, else the nearest
// after it, within its sentence. News is mostly past, so callers treat kUnknown as past unless a
// closer guess exists.
Tense ClauseTense(const MatchView& m) {
  Span s = m.sentence();
  Span span = m.span();
  std::string_view doc = m.document();
  // Within the sentence, and at most kReach bytes either side: a cue further away is in
  // another clause, and a sentence without end (a list, a table) must not make every date read
  // all of it.
  constexpr std::size_t kReach = 600;
  std::size_t lo = std::max(s.begin, span.begin > kReach ? span.begin - kReach : 0);
  std::size_t hi = std::min(s.end, span.end + kReach);
  // The words of the document's tokens that lie in [b, e), by their keys. Numbers are no words
  // here; a word glued to the next by an apostrophe is one ("won't", "he'll"), and so is one
  // opened by it ("'ll"). Views into `buffer`, reserved first so that none moves.
  auto tokens = m.tokens();
  auto by_begin = [](const Token& t, std::size_t at) { return t.begin < at; };
  auto words = [&](std::size_t b, std::size_t e, std::string& buffer,
                   std::vector<std::string_view>& out) {
    out.clear();
    buffer.clear();
    auto first = std::lower_bound(tokens.begin(), tokens.end(), b, by_begin);
    auto last = first;
    std::size_t size = 0;
    for (; last != tokens.end() && last->end <= e; ++last) size += last->key_size + 1;
    buffer.reserve(size);
    std::size_t start = 0;
    bool open = false;  // the last word may go on across an apostrophe
    std::size_t open_end = 0;
    for (auto t = first; t != last; ++t) {
      std::string_view key = m.key(*t);
      if (std::any_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (open) out.emplace_back(buffer.data() + start, buffer.size() - start);
        open = false;
        continue;
      }
      bool joined = open && t->begin == open_end + 1 && doc[open_end] == '\'';
      if (!joined && open) out.emplace_back(buffer.data() + start, buffer.size() - start);
      if (joined) {
        buffer.push_back('\'');
      } else {
        start = buffer.size();
        if (t->begin > b && doc[t->begin - 1] == '\'' &&
            (t->begin < 2 || doc[t->begin - 2] == ' ') && (key[0] == 'l' || key[0] == 'd'))
          buffer.push_back('\'');
      }
      buffer.append(key);
      open = true;
      open_end = t->end;
    }
    if (open) out.emplace_back(buffer.data() + start, buffer.size() - start);
  };
  thread_local std::string buffer;
  thread_local std::vector<std::string_view> before, after;
  words(lo, span.begin, buffer, before);
  for (std::size_t i = before.size(); i-- > 0;) {
    std::string_view prev = i > 0 ? before[i - 1] : std::string_view();
    std::string_view next = i + 1 < before.size() ? before[i + 1] : "";
    if (Tense t = WordTense(m, before[i], prev, next); t != Tense::kUnknown) return t;
  }
  words(span.end, hi, buffer, after);
  for (std::size_t i = 0; i < after.size(); ++i) {
    std::string_view prev = i > 0 ? after[i - 1] : std::string_view();
    std::string_view next = i + 1 < after.size() ? after[i + 1] : "";
    if (Tense t = WordTense(m, after[i], prev, next); t != Tense::kUnknown) return t;
  }
  return Tense::kUnknown;
}

// The year of a month (and day) written without one. A past clause means the latest such date
// on or before the DCT, a future clause the first one on or after it; with no cue, the nearest.
// Dates up to two months ahead (a month given alone: one) stay in the DCT's year even in a past
// clause: deadlines and payment dates ("extended its offer to Nov. 6", "payable Dec. 1") sit in
// past-tense sentences.
int InferYear(const Ymd& dct, int month, int day, Tense tense) {
  int ahead = (month - dct.m) * 31 + (day ? day - dct.d : 0);  // roughly, in days
  // Across the new year: "payable Jan. 2" in a November text is next January.
  if (tense == Tense::kPast && ahead < 0 && ahead + 372 <= (day ? 62 : 31)) return dct.y + 1;
  if (tense == Tense::kPast && ahead > (day ? 62 : 31)) return dct.y - 1;
  if (tense == Tense::kFuture && ahead < -62) return dct.y + 1;
  if (tense == Tense::kUnknown || tense == Tense::kPresent) {
    if (ahead > 183) return dct.y - 1;
    if (ahead < -183) return dct.y + 1;
  }
  return dct.y;
}

// Whether the word right before the match (within 16 bytes) is in `lexicon`.
bool AfterWordIn(const MatchView& m, std::string_view lexicon) {
  std::string_view doc = m.document();
  std::size_t b = m.span().begin;
  std::size_t lo = b > 16 ? b - 16 : 0;
  std::string before = FoldKey(doc.substr(lo, b - lo));
  while (!before.empty() && before.back() == ' ') before.pop_back();
  std::size_t sp = before.rfind(' ');
  std::string_view w =
      sp == std::string::npos ? std::string_view(before) : std::string_view(before).substr(sp + 1);
  if (sp == std::string::npos && lo > 0) return false;  // a word cut by the window
  return !w.empty() && m.lookup(lexicon, w).has_value();
}

// Whether a word of the match is in `lexicon`.
bool HasWordIn(const MatchView& m, std::string_view lexicon) {
  auto tokens = m.tokens();
  Span span = m.span();
  auto t = std::lower_bound(tokens.begin(), tokens.end(), span.begin,
                            [](const Token& tok, std::size_t at) { return tok.begin < at; });
  for (; t != tokens.end() && t->end <= span.end; ++t)
    if (m.lookup(lexicon, m.key(*t))) return true;
  return false;
}

// Whether the match follows "since" (since_words): a month after it lies in the past.
bool AfterSince(const MatchView& m) { return AfterWordIn(m, "since_words"); }

// Whether the match follows a word that sets a deadline or a start ("payable Jan. 2", "by
// February", "through January", "effective Feb. 1"): such dates sit in past-tense sentences
// but lie on either side of the DCT, so the nearest reading is taken.
bool AfterDeadlineWord(const MatchView& m) { return AfterWordIn(m, "deadline_words"); }

// The year of a quarter written without one: a quarter later than the DCT's is last year's
// unless the clause is about the future ("the fourth quarter" in a January report). An earlier
// quarter is this year's even in a future clause ("expects to report ... for the third quarter").
int InferQuarterYear(const Ymd& dct, int quarter, Tense tense) {
  int current = (dct.m - 1) / 3 + 1;
  if (quarter > current && tense != Tense::kFuture) return dct.y - 1;
  return dct.y;
}

// The quarters a document mentions, read once per document (and thread): for each mention,
// where it ends and what the text before it reports, the last quarter and the first.
struct QuarterMentions {
  struct Reading {
    std::size_t end = 0;                             // of the mention
    std::optional<std::pair<int, int>> last, first;  // (year, quarter) after this mention
  };
  std::uint64_t serial = 0;
  const RE2* pattern = nullptr;
  std::vector<Reading> readings;  // in text order
};

const QuarterMentions& QuarterMentionsOf(const MatchView& m, const Ymd& dct) {
  // "the third quarter", "the fourth fiscal quarter of 1988", "the quarter ended Sept. 30": the
  // pack's macro timex_quarter_mention, with (?P<ordinal>), (?P<year>) and (?P<month>).
  thread_local QuarterMentions memo;
  const RE2* quarter = m.pattern("timex_quarter_mention");
  if (memo.serial == m.document_serial() && memo.pattern == quarter) return memo;
  memo.serial = m.document_serial();
  memo.pattern = quarter;  // a document read with another pack's macro is read again
  memo.readings.clear();
  std::string_view doc = m.document();
  re2::StringPiece input(doc.data(), doc.size());
  if (quarter == nullptr) return memo;
  const auto& groups = quarter->NamedCapturingGroups();
  auto group = [&](const char* name) {
    auto it = groups.find(name);
    return it == groups.end() ? 0 : it->second;
  };
  const int ordinal_group = group("ordinal"), year_group = group("year"),
            month_group = group("month");
  std::vector<re2::StringPiece> g(static_cast<std::size_t>(quarter->NumberOfCapturingGroups()) + 1);
  auto text_of = [&](int k) {
    return k > 0 && g[static_cast<std::size_t>(k)].data() != nullptr
               ? std::string_view(g[static_cast<std::size_t>(k)].data(),
                                  g[static_cast<std::size_t>(k)].size())
               : std::string_view();
  };
  std::optional<std::pair<int, int>> last, first;
  bool named = false;
  std::size_t pos = 0;
  while (pos <= doc.size() && quarter->Match(input, pos, doc.size(), RE2::UNANCHORED, g.data(),
                                             static_cast<int>(g.size()))) {
    pos = static_cast<std::size_t>(g[0].data() - doc.data()) + g[0].size();
    if (g[0].empty()) ++pos;
    std::string_view ordinal = text_of(ordinal_group), year = text_of(year_group),
                     month = text_of(month_group);
    int q = 0;
    if (!ordinal.empty()) {
      named = true;
      auto v = m.lookup("quarter", ordinal);
      q = v ? Num(*v) : 0;
    } else if (!month.empty() && !named) {
      // The calendar quarter the period ended in, unless the text has named its (fiscal)
      // quarter: Sun's "fiscal first quarter" is "the quarter ended Sept. 29".
      auto v = m.lookup("month", month);
      int mo = v ? Num(*v) : 0;
      q = mo >= 1 && mo <= 12 ? (mo - 1) / 3 + 1 : 0;
    }
    if (q >= 1 && q <= 4) {
      int y = year.empty() ? InferQuarterYear(dct, q, Tense::kPast) : Num(year);
      last = std::make_pair(y, q);
      if (!first) first = last;
    }
    memo.readings.push_back({pos, last, first});
  }
  return memo;
}

// The fiscal quarter that earnings news is about: the last "<ordinal> quarter" written before
// the match (with its year if one follows), else the last quarter completed before the DCT.
// With `first`, the first one instead: the lede names the quarter reported, later mentions may
// be forecasts ("a fourth-quarter charge"). nullopt when the text before the match never
// mentions a quarter.
std::optional<std::pair<int, int>> ReportedQuarter(const MatchView& m, const Ymd& dct,
                                                   bool first = false) {
  const auto& readings = QuarterMentionsOf(m, dct).readings;
  // The mentions that end before the match.
  auto after = std::upper_bound(
      readings.begin(), readings.end(), m.span().begin,
      [](std::size_t at, const QuarterMentions::Reading& r) { return at < r.end; });
  if (after == readings.begin()) return std::nullopt;
  const auto& found = first ? std::prev(after)->first : std::prev(after)->last;
  if (found) return found;
  int q = (dct.m - 1) / 3;  // the last completed quarter
  return q == 0 ? std::make_pair(dct.y - 1, 4) : std::make_pair(dct.y, q);
}

// The quarter whose results the text reports: the last one mentioned, unless that one is not
// over yet (a forecast: "a fourth-quarter charge" in a November report), then the first one
// mentioned, the lede's.
std::optional<std::pair<int, int>> ResultsQuarter(const MatchView& m, const Ymd& dct) {
  auto q = ReportedQuarter(m, dct);
  int current = (dct.m - 1) / 3 + 1;
  auto over = [&](std::pair<int, int> x) {
    return x.first < dct.y || (x.first == dct.y && x.second < current);
  };
  if (q && !over(*q)) {
    if (auto first = ReportedQuarter(m, dct, true); first && over(*first)) q = first;
  }
  return q;
}

// Whether the match's sentence compares longer periods than a quarter ("for the nine months,
// ... a year earlier"), where a year-ago comparison is not the same quarter.
bool LongPeriodSentence(const MatchView& m) {
  const RE2* long_period = m.pattern("timex_long_period");
  Span s = m.sentence();
  re2::StringPiece sent(m.document().data() + s.begin, s.size());
  return long_period != nullptr && RE2::PartialMatch(sent, *long_period);
}

// Whether the match's sentence reports company results, where "a year ago" means the same
// fiscal quarter a year before.
bool FinancialSentence(const MatchView& m) {
  const RE2* money = m.pattern("timex_financial_sentence");
  Span s = m.sentence();
  re2::StringPiece sent(m.document().data() + s.begin, s.size());
  return money != nullptr && RE2::PartialMatch(sent, *money);
}

std::string QuarterStr(int y, int q) { return YearStr(y) + "-Q" + std::to_string(q); }

std::optional<int> Int(const MatchView& m, std::string_view name) {
  if (auto v = m.capture_value(name)) {
    if (auto x = ParseCardinal(*v, NumberWordsOf(m)); x && std::fabs(*x) <= kMaxAmount)
      return static_cast<int>(*x);
  }
  auto c = m.capture(name);
  if (!c) return std::nullopt;
  std::string digits;
  for (char ch : *c)
    if (ch >= '0' && ch <= '9')
      digits.push_back(ch);
    else if (!digits.empty())
      break;
  if (!digits.empty()) return Num(digits);
  if (auto x = ParseCardinal(*c, NumberWordsOf(m)); x && std::fabs(*x) <= kMaxAmount)
    return static_cast<int>(*x);
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

// Shifts `base` by `n` units and formats at the unit's granularity (see Shift).
std::string ShiftUnchecked(Ymd base, const std::string& unit, int n) {
  sys_days d = ToDays(base);
  if (unit == "D") return DateStr(FromDays(d + days{n}));
  if (unit == "W") return WeekStr(d + days{7 * n});
  if (unit == "WE") return WeekStr(d + days{7 * n}) + "-WE";
  if (unit == "M") {
    year_month ym = year{base.y} / month{static_cast<unsigned>(base.m)};
    ym += months{n};
    return MonthStr(static_cast<int>(ym.year()),
                    static_cast<int>(static_cast<unsigned>(ym.month())));
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

// Shifts `base` by `n` units and formats at the unit's granularity; empty when the result
// would lie outside years 1 to 9999.
std::string Shift(Ymd base, const std::string& unit, int n) {
  // The year the shift lands in, worked out before any calendar arithmetic: chrono's year is a
  // short and the sums below are ints, so a shift far past year 9999 must not reach them.
  double per_year = unit == "D"                   ? 365.2425
                    : unit == "W" || unit == "WE" ? 365.2425 / 7
                    : unit == "M"                 ? 12
                    : unit == "Q"                 ? 4
                    : unit == "Y"                 ? 1
                    : unit == "DE"                ? 0.1
                    : unit == "CE"                ? 0.01
                                                  : 0;
  if (per_year > 0) {
    double year = base.y + n / per_year;
    if (year < 0 || year > 10001) return {};
  }
  std::string shifted = ShiftUnchecked(base, unit, n);
  // Exactly, now: the year written before the first '-' (all its digits), or the decade's or
  // century's first year.
  long long year = unit == "DE"   ? base.y + 10LL * n
                   : unit == "CE" ? base.y + 100LL * n
                                  : Num(std::string_view(shifted).substr(0, shifted.find('-')));
  if (!shifted.empty() && (shifted[0] == '-' || year < 1 || year > 9999)) return {};
  return shifted;
}

// A TIMEX3 duration. A fractional amount ("2 1/2 years", "5 1/2 hours") is written with the
// next smaller unit, as TimeML does: P2Y6M, PT5H30M.
std::string Duration(const std::string& unit, const std::string& amount) {
  double v = amount != "X" && amount.find('.') != std::string::npos ? std::atof(amount.c_str()) : 0;
  // A fraction of an amount too large to split is left as written: ISO 8601 allows "P1.5E12Y"
  // no more than we do, but "P44444444444.5Y" is valid and exact.
  if (v != 0 && std::isfinite(v) && std::fabs(v) < 1e15) {
    auto whole = static_cast<long long>(v);
    double frac = v - static_cast<double>(whole);
    auto part = [&](int per) { return static_cast<long long>(std::llround(frac * per)); };
    if (unit == "Y") return "P" + std::to_string(whole) + "Y" + std::to_string(part(12)) + "M";
    if (unit == "M") return "P" + std::to_string(whole) + "M" + std::to_string(part(30)) + "D";
    if (unit == "D") return "P" + std::to_string(whole) + "DT" + std::to_string(part(24)) + "H";
    if (unit == "H") return "PT" + std::to_string(whole) + "H" + std::to_string(part(60)) + "M";
    if (unit == "MIN") return "PT" + std::to_string(whole) + "M" + std::to_string(part(60)) + "S";
  }
  if (unit == "H" || unit == "MIN" || unit == "S")
    return "PT" + amount + (unit == "MIN" ? "M" : unit);
  auto times = [&](long long k) {
    if (amount == "X") return std::string("X");
    // Past Num's clamp, decades and centuries are written exactly by appending zeros.
    bool digits = !amount.empty() && amount.find_first_not_of("0123456789") == std::string::npos;
    if (digits && amount.size() > 9)
      return k == 10 ? amount + "0" : k == 100 ? amount + "00" : std::string("X");
    return std::to_string(Num(amount) * k);
  };
  if (unit == "DE") return "P" + times(10) + "Y";
  if (unit == "CE") return "P" + times(100) + "Y";
  if (unit == "2W") return "P" + times(2) + "W";
  return "P" + amount + unit;
}

std::string AmountString(double v) {
  char buf[400];
  if (!std::isfinite(v)) return "X";
  if (std::fabs(v) < 1e15 && std::fabs(v - std::round(v)) < 1e-9)
    return std::to_string(static_cast<long long>(std::llround(v)));
  // Whole numbers past 1e15 in full ("%g" would write "1e+20", which is no TIMEX amount).
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 1e15 ? "%.0f" : "%.15g", v);
  return buf;
}

// The amount of a duration or offset: "1" for no amount ("the past week"); a cardinal, or a
// word_amounts value ("a" 1, "several" X), plus the `fraction` ("2 1/2") or `half` capture.
std::string Amount(const MatchView& m) {
  auto c = m.capture("amount");
  if (!c && !m.arg("amount").empty()) return std::string(m.arg("amount"));  // "recent years"
  if (!c) return "1";  // "a month", "the past week"
  std::string folded = FoldKey(*c);
  double half = 0;
  if (auto f = m.capture_value("fraction")) half = std::atof(std::string(*f).c_str());
  if (half == 0 && m.capture("half")) half = 0.5;  // "a year and a half"
  if (auto v = m.lookup("word_amounts", folded))
    return *v == "X" ? "X" : AmountString(std::atof(std::string(*v).c_str()) + half);
  if (auto x = ParseCardinal(folded, NumberWordsOf(m))) return AmountString(*x + half);
  return "X";
}

// The date a weekday names: "last Friday" is the one before this week's or the latest past one;
// a bare weekday follows the tense of its clause (past when unknown, news being mostly past).
sys_days WeekdayDate(const MatchView& m, const Ymd& dct, int wd) {
  sys_days base = ToDays(dct);
  int dct_wd = static_cast<int>(weekday{base}.iso_encoding());
  std::string rel = m.capture("rel") ? FoldKey(*m.capture("rel")) : std::string(m.arg("rel"));
  if (auto v = m.capture_value("rel")) rel = std::string(*v);
  if (rel == "-1") {
    int back = (dct_wd - wd + 7) % 7;
    return base - days{back == 0 ? 7 : back};
  }
  if (rel == "1") {
    int fwd = (wd - dct_wd + 7) % 7;
    return base + days{fwd == 0 ? 7 : fwd};
  }
  if (rel == "0") return base + days{wd - dct_wd};
  // "Wednesday's ruling": a weekday in the possessive names something that has happened.
  std::string_view doc = m.document();
  std::size_t end = m.span().end;
  bool possessive = doc.substr(end, 2) == "'s" || doc.substr(end, 4) == "\xE2\x80\x99s";
  Tense tense = possessive ? Tense::kPast : ClauseTense(m);
  if (tense == Tense::kFuture) return base + days{(wd - dct_wd + 7) % 7};
  // In a present clause, the nearest such day: tomorrow's strike "is the first since 1975".
  if (tense == Tense::kPresent && (wd - dct_wd + 7) % 7 <= 3)
    return base + days{(wd - dct_wd + 7) % 7};
  return base - days{(dct_wd - wd + 7) % 7};
}

// ---------------------------------------------------------------------------------------------
// Anchoring. "Three days later", "the next day", "that year" and "the following spring" count
// from the last date the text has mentioned (the reference time of the narrative), not from the
// DCT; in a history without a DCT they are only datable that way. The anchor is the last
// explicit date in the text before the match, at the granularity it was written with.

struct Anchor {
  Ymd ymd;
  int gran = 0;  // 1 = year, 2 = month, 3 = day
};

// A date record's value as an anchor: a day ("2020-09-05", with or without a time), a month
// ("2020-09") or a year ("2020"). Weeks, quarters, seasons, decades, durations and references
// anchor nothing.
std::optional<Anchor> AnchorOf(std::string_view value) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (value.size() < at + n) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(value[i]))) return false;
    return true;
  };
  auto num = [&](std::size_t at, std::size_t n) { return Num(value.substr(at, n)); };
  if (!digits(0, 4)) return std::nullopt;
  if (value.size() == 4) return Anchor{{num(0, 4), 1, 1}, 1};
  if (value[4] != '-' || !digits(5, 2)) return std::nullopt;
  Anchor a{{num(0, 4), num(5, 2), 1}, 2};
  if (a.ymd.m < 1 || a.ymd.m > 12) return std::nullopt;
  if (value.size() == 7) return a;
  if (value[7] != '-' || !digits(8, 2) || (value.size() > 10 && value[10] != 'T'))
    return std::nullopt;
  a.ymd.d = num(8, 2);
  a.gran = 3;
  if (!year_month_day(ToDays(a.ymd)).ok()) return std::nullopt;
  return a;
}

// Whether a date record says which day (or month, or year) it is. A clock time alone ("at 3
// p.m.") does not: its day was read from the dates around it, or is the DCT's.
bool StatesDay(const MatchView::DateMention& d) { return !(d.derived && d.timex_type == "TIME"); }

// The granularity of anchor a shift by `unit` needs: a day for days and weeks, a month for
// months and quarters, else a year.
int GranularityOf(std::string_view unit) {
  if (unit == "D" || unit == "H" || unit == "MIN" || unit == "S" || unit == "W" || unit == "WE")
    return 3;
  if (unit == "M" || unit == "Q") return 2;
  return 1;
}

// The date the text last stated before the match, from the document's date records
// (MatchView::dates, in their final values: "three days later" has moved the anchor along): a
// day, a month or a year. A shift by days or months (`want_gran` 3 or 2; 1 for years) passes
// over years written alone since, which in news qualify more than they narrate ("the 2007
// budget"), as HeidelTime looks for the last date fine enough; a month still frames a day ("last
// October ... that same day"). With none fine enough, the last one. Looks back at most kWindow
// bytes: a date further back no longer frames the narrative. Without one, the DCT.
std::optional<Anchor> LastStatedDate(const MatchView& m, const std::optional<Ymd>& dct,
                                     int want_gran = 1) {
  constexpr std::size_t kWindow = 8000;
  const std::size_t end = m.span().begin;
  const std::size_t from = end > kWindow ? end - kWindow : 0;
  auto dates = m.dates();
  std::optional<Anchor> coarser;
  auto after = std::lower_bound(
      dates.begin(), dates.end(), end,
      [](const MatchView::DateMention& d, std::size_t at) { return d.span.begin < at; });
  while (after != dates.begin()) {
    const MatchView::DateMention& d = *--after;
    if (d.span.begin < from) break;
    if (d.span.end > end || !StatesDay(d)) continue;
    if (auto a = AnchorOf(d.value)) {
      if (a->gran >= std::min(want_gran, 2)) return a;
      if (!coarser) coarser = a;
    }
  }
  if (coarser) return coarser;
  if (dct) return Anchor{*dct, 3};
  return std::nullopt;
}

// `anchor` shifted by `n` units, written at the unit's granularity; where the anchor is coarser
// than the unit, the finer fields are unknown ("1943-XX-XX" for "the next day" after "in 1943").
std::string AnchoredShift(const Anchor& a, const std::string& unit, int n) {
  bool day_unit = unit == "D" || unit == "H" || unit == "MIN" || unit == "S";
  if (day_unit && a.gran < 3)
    return a.gran == 2 ? MonthStr(a.ymd.y, a.ymd.m) + "-XX" : YearStr(a.ymd.y) + "-XX-XX";
  if ((unit == "W" || unit == "WE") && a.gran < 3) return YearStr(a.ymd.y) + "-WXX";
  if (unit == "M" && a.gran < 2) return YearStr(a.ymd.y) + "-XX";
  if (unit == "Q" && a.gran < 2) return YearStr(a.ymd.y) + "-QX";
  return Shift(a.ymd, unit, n);
}

// Easter Sunday of year `y` (Gregorian; the anonymous algorithm in Meeus).
sys_days Easter(int y) {
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
  int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7, mm = (a + 11 * h + 22 * l) / 451;
  int month_num = (h + l - 7 * mm + 114) / 31, day_num = (h + l - 7 * mm + 114) % 31 + 1;
  return ToDays({y, month_num, day_num});
}

// The `n`th weekday `wd` (1 = Monday) of a month; n = -1 is the last one.
sys_days NthWeekday(int y, int mo, int wd, int n) {
  if (n < 0) {
    year_month_day_last last{year{y}, month_day_last{month{static_cast<unsigned>(mo)}}};
    sys_days d{last};
    int have = static_cast<int>(weekday{d}.iso_encoding());
    return d - days{(have - wd + 7) % 7};
  }
  sys_days first = ToDays({y, mo, 1});
  int have = static_cast<int>(weekday{first}.iso_encoding());
  return first + days{(wd - have + 7) % 7 + 7 * (n - 1)};
}

// The date of a holiday in year `y` from its lexicon code: "MM-DD" (fixed), "E+N" (N days from
// Easter), "N:MM:WD:K" (the Kth weekday WD of month MM, K = -1 the last), "ELECTION" (US:
// the Tuesday after the first Monday of November), "YYYY-MM-DD" (a historical day).
// nullopt for lunar holidays ("L"), whose date this normaliser does not compute.
std::optional<sys_days> HolidayDate(std::string_view code, int y) {
  auto num = [&](std::size_t b, std::size_t n) { return Num(code.substr(b, n)); };
  if (code.size() == 10) return ToDays({num(0, 4), num(5, 2), num(8, 2)});
  if (code.size() == 5 && code[2] == '-') return ToDays({y, num(0, 2), num(3, 2)});
  if (code == "ELECTION") return NthWeekday(y, 11, 1, 1) + days{1};
  if (code[0] == 'E') return Easter(y) + days{Num(code.substr(1))};
  if (code[0] == 'N') {
    int mo = 0, wd = 0, k = 0;
    if (std::sscanf(std::string(code).c_str(), "N:%d:%d:%d", &mo, &wd, &k) == 3)
      return NthWeekday(y, mo, wd, k);
  }
  return std::nullopt;
}

// One date, time, duration or set read by the rule's kind ("calendar", "weekday", "offset",
// ...; see docs/rule-packs.md): one method per kind computes the TIMEX3 value from the
// captures, the DCT and the clause; the common ending picks the type and writes the fields. A
// method returns false when the candidate is no date it can read.
struct TimexReading {
  explicit TimexReading(const MatchView& view)
      : m(view),
        kind(view.arg("kind").empty() ? "calendar" : view.arg("kind")),
        type(view.arg("type")),
        dct(ParseDct(view.reference_date())),
        mod(Value(view, "mod")),
        bc(view.capture("bc").has_value()) {
    if (mod.empty()) mod = std::string(m.arg("mod"));
    // "June last year", "next year's first quarter": the year is the DCT's, shifted.
    if (auto v = m.capture_value("yrel")) yrel = Num(*v);
  }

  bool Reject(const char* why) {
    m.reject_reason(why);
    rejected_ = true;
    return false;
  }

  bool Read(Fields& out) {
    bool ok = kind == "calendar"                   ? ReadCalendar()
              : kind == "weekday"                  ? ReadWeekday()
              : kind == "weekend"                  ? ReadWeekend()
              : kind == "relative"                 ? ReadRelative()
              : kind == "offset"                   ? ReadOffset()
              : kind == "future_offset"            ? ReadFutureOffset()
              : kind == "anchored"                 ? ReadAnchored()
              : kind == "holiday"                  ? ReadHoliday()
              : kind == "nth_weekday"              ? ReadNthWeekday()
              : kind == "fiscal"                   ? ReadFiscal()
              : kind == "duration"                 ? ReadDuration()
              : kind == "ref"                      ? ReadRef()
              : kind == "time"                     ? ReadTime()
              : kind == "set" && Int(m, "weekday") ? ReadSetOfWeekday()
              : kind == "set"                      ? ReadSet()
                                                   : false;
    if (!ok) {
      // A reading that found a more precise reason has given it already.
      if (!rejected_) m.reject_reason("no date of kind \"" + std::string(kind) + "\" in it");
      return false;
    }
    if (written_as_is) {
      out.emplace_back("timex_type", type);
      out.emplace_back("value", value);
      if (!mod.empty()) out.emplace_back("mod", mod);
      return true;
    }
    if (!m.arg("value").empty()) value = std::string(m.arg("value"));  // "on weekends"
    // A point with a time of day ("Friday night", "this morning") is a TIME in TimeML.
    if (type.empty())
      type = value.find('T') != std::string::npos && value[0] != 'P' && !EndsWith(value, "_REF")
                 ? "TIME"
                 : "DATE";
    out.emplace_back("timex_type", type);
    if (!value.empty()) out.emplace_back("value", value);
    if (!mod.empty()) out.emplace_back("mod", mod);
    return true;
  }

  // Without a DCT, a date written without its year takes the year the text last mentioned:
  // "In 1943 ... In June, ..." (histories have no DCT).
  std::optional<int> NarrativeYear() const {
    if (dct) return std::nullopt;
    if (auto a = LastStatedDate(m, dct)) return a->ymd.y;
    return std::nullopt;
  }

  bool ReadCalendar() {
    auto y = Int(m, "year");
    auto mo = Int(m, "month");
    auto d = Int(m, "day");
    // "218 BC", "AD 70": the year is written in full, however short.
    const bool era = y && (bc || m.capture("ad"));
    if (era) {
      if (*y < 1 || *y > 9999) return Reject("a year outside 1 to 9999");
      value = (bc ? "BC" : "") + YearStr(*y);
    } else {
      if (y) y = FullYear(*y, *m.capture("year"), dct);
      if (!y) y = Int(m, "year2");  // a year written before a quarter: "the 1988 third quarter"
      if (!y && yrel && dct) y = dct->y + *yrel;
      if (!y && (Int(m, "quarter") || Int(m, "half") || !Value(m, "season").empty() || mo))
        y = NarrativeYear();
    }
    if (mo && (*mo < 1 || *mo > 12)) return Reject("no such month");
    if (d && (*d < 1 || *d > 31)) return Reject("no such day of the month");
    std::string rel = Value(m, "rel");  // "last November", "next April", "this June"
    if (era) {
      // "218 BC", "AD 70": done above
    } else if (auto q = Int(m, "quarter")) {
      if (*q < 1 || *q > 4) return false;
      if (!y && dct) {
        // "the year-ago third quarter" is a year before the quarter the text reports on.
        bool ago = m.capture("ago").has_value();
        y = InferQuarterYear(*dct, *q, ago ? Tense::kPast : ClauseTense(m)) - (ago ? 1 : 0);
      }
      value = (y ? YearStr(*y) : "XXXX") + "-Q" + std::to_string(*q);
    } else if (auto half = Int(m, "half")) {
      if (*half < 1 || *half > 2) return false;
      if (!y && dct) y = dct->y;
      value = (y ? YearStr(*y) : "XXXX") + "-H" + std::to_string(*half);
    } else if (auto season = Value(m, "season"); !season.empty()) {
      if (!y && dct) y = dct->y;
      value = (y ? YearStr(*y) : "XXXX") + "-" + season;
    } else if (mo) {
      if (!y && dct) {
        Tense tense = rel == "-1" ? Tense::kPast : rel == "1" ? Tense::kFuture : ClauseTense(m);
        if (rel.empty() && AfterSince(m)) rel = "-1";  // "since October" is the latest October
        if (rel.empty() && tense == Tense::kPast && AfterDeadlineWord(m)) tense = Tense::kUnknown;
        if (rel == "0") {
          y = dct->y;
        } else if (!d && rel == "-1") {  // "last November" in November is a year ago
          y = *mo >= dct->m ? dct->y - 1 : dct->y;
        } else if (!d && rel == "1") {
          y = *mo <= dct->m ? dct->y + 1 : dct->y;
        } else {
          y = InferYear(*dct, *mo, d ? *d : 0, tense);
        }
      }
      if (d) {
        if (y) {
          year_month_day ymd =
              year{*y} / month{static_cast<unsigned>(*mo)} / day{static_cast<unsigned>(*d)};
          if (!ymd.ok()) return false;
          value = DateStr({*y, *mo, *d});
        } else {
          value = "XXXX" + Fmt("-%02d", *mo) + Fmt("-%02d", *d);
        }
      } else {
        value = y ? MonthStr(*y, *mo) : "XXXX" + Fmt("-%02d", *mo);
      }
    } else if (y) {
      value = YearStr(*y);
    } else if (auto cent = Int(m, "century")) {  // "the 20th century" is 19
      if (*cent < 1 || *cent > 30) return false;
      value = (bc ? "BC" : "") + Fmt("%02d", *cent - 1);
    } else if (auto dec_word = m.capture_value("decade")) {  // "the nineties"
      value = std::string(*dec_word);
    } else if (auto dec = m.capture("decade")) {
      std::string digits;
      for (char c : *dec)
        if (c >= '0' && c <= '9') digits.push_back(c);
      if (digits.size() == 4 && digits.substr(2) == "00" && digits[0] == '1')
        value = digits.substr(0, 2);  // "the 1800s" is the century, not its first decade
      else if (digits.size() == 4)
        value = digits.substr(0, 3);
      else if (digits.size() == 2)
        value = (digits[0] >= '3' ? "19" : "20") + digits.substr(0, 1);
      else
        return false;
    } else {
      return false;
    }
    if (auto part = Value(m, "part"); !part.empty() && value.size() == 10) value += "T" + part;
    return true;
  }

  bool ReadWeekday() {
    auto wd = Int(m, "weekday");  // 1 = Monday .. 7 = Sunday
    if (!wd || *wd < 1 || *wd > 7) return false;
    if (dct) {
      value = DateStr(FromDays(WeekdayDate(m, *dct, *wd)));
      if (auto part = Value(m, "part"); !part.empty()) value += "T" + part;
    } else {
      value = "XXXX-WXX-" + std::to_string(*wd);
    }
    return true;
  }

  // "the weekend": the latest one in a past clause
  bool ReadWeekend() {
    if (dct) {
      sys_days base = ToDays(*dct);
      int dct_wd = static_cast<int>(weekday{base}.iso_encoding());
      std::string rel = Value(m, "rel");
      if (rel.empty()) rel = std::string(m.arg("rel"));
      int shift;
      if (rel == "-1")
        shift = -1;
      else if (rel == "1")
        shift = 1;
      else if (rel == "0")
        shift = 0;
      else if (ClauseTense(m) == Tense::kFuture)
        shift = dct_wd == 7 ? 1 : 0;
      else
        shift = dct_wd >= 6 ? 0 : -1;
      value = WeekStr(base + days{7 * shift}) + "-WE";
    }
    return true;
  }

  // "this week", "last year", "next month"
  bool ReadRelative() {
    std::string unit = Value(m, "unit");
    std::string rel = Value(m, "rel");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    if (rel.empty()) rel = std::string(m.arg("rel"));
    if (unit.empty()) return false;
    if (dct) value = Shift(*dct, unit, rel.empty() ? 0 : Num(rel));
    if (auto season = Value(m, "season"); !season.empty() && dct) {
      // "last spring" is the latest spring already over ("this past spring" in October is this
      // year's), "next spring" the first one not yet begun. Winter is the one beginning in
      // December.
      int first = season == "SP" ? 3 : season == "SU" ? 6 : season == "FA" ? 9 : 12;
      int n = rel.empty() ? 0 : Num(rel);
      int y = dct->y;
      if (n < 0) y = season != "WI" && dct->m > first + 2 ? dct->y : dct->y - 1;
      if (n > 0) y = dct->m < first ? dct->y : dct->y + 1;
      value = YearStr(y) + "-" + season;
    }
    return true;
  }

  // "two years ago", "a year earlier"
  bool ReadOffset() {
    std::string unit = Value(m, "unit");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    if (unit.empty()) return false;
    std::string amount = Amount(m);
    std::string dir_code = Value(m, "dir");
    if (dir_code.empty()) dir_code = std::string(m.arg("dir"));
    int dir = Num(dir_code);
    if (dir == 0) dir = -1;
    // "later" and "earlier" count from the last date mentioned ("A" in the lexicon value);
    // "ago" and "from now" from the DCT.
    const bool anchored = EndsWith(dir_code, "A");
    if (anchored && (unit == "H" || unit == "MIN" || unit == "S")) {
      // "an hour later": the anchor's clock time is unknown, so say how long.
      value = Duration(unit, amount);
      if (type.empty()) type = "DURATION";
      written_as_is = true;
      return true;
    }
    std::optional<Anchor> anchor;
    if (anchored) anchor = LastStatedDate(m, dct, GranularityOf(unit));
    if (anchor && amount != "X" && amount.find('.') == std::string::npos) {
      int n = Num(amount);
      value = AnchoredShift(*anchor, unit, dir * n);
      if (unit == "Y" && n == 1 && dir < 0 && dct && FinancialSentence(m)) {
        if (auto q = ResultsQuarter(m, *dct))
          value =
              LongPeriodSentence(m) ? YearStr(q->first - 1) : QuarterStr(q->first - 1, q->second);
      }
    } else if (!anchored && dct && amount != "X" && amount.find('.') == std::string::npos) {
      int n = Num(amount);
      value = Shift(*dct, unit, dir * n);
      // In earnings reports "a year ago" compares with the same fiscal quarter a year before.
      if (unit == "Y" && n == 1 && dir < 0 && FinancialSentence(m)) {
        if (auto q = ResultsQuarter(m, *dct))
          value =
              LongPeriodSentence(m) ? YearStr(q->first - 1) : QuarterStr(q->first - 1, q->second);
      }
    }
    if (amount == "X") value = dir < 0 ? "PAST_REF" : "FUTURE_REF";
    return true;
  }

  bool ReadFutureOffset() {
    // "in two weeks": a point that far ahead of the DCT, unless the clause is past ("it was
    // built in two weeks"), where it is how long something took.
    std::string unit = Value(m, "unit");
    if (unit.empty()) return false;
    std::string amount = Amount(m);
    bool whole = amount != "X" && amount.find('.') == std::string::npos;
    if (ClauseTense(m) == Tense::kPast || !whole) {
      value = Duration(unit, amount);
      if (type.empty()) type = "DURATION";
    } else if (dct) {
      value = Shift(*dct, unit, Num(amount));
    }
    return true;
  }

  bool ReadAnchored() {
    // "the next day", "the following year", "that week", "the same day", "the following spring",
    // "the previous Friday", "the next morning": counted from the last date the text mentioned.
    std::string unit = Value(m, "unit");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    std::string rel = Value(m, "rel");
    if (rel.empty()) rel = std::string(m.arg("rel"));
    int n = Num(rel);
    std::string part = Value(m, "part");
    if (unit.empty() && !part.empty()) unit = "D";  // "that night", "the next morning"
    std::optional<Anchor> a = LastStatedDate(m, dct,
                                             Int(m, "weekday")            ? 3
                                             : Value(m, "season").empty() ? GranularityOf(unit)
                                                                          : 1);
    if (!a) {
      // nothing to count from: the type alone
    } else if (auto wd = Int(m, "weekday"); wd && *wd >= 1 && *wd <= 7) {
      if (a->gran < 3) {
        value = YearStr(a->ymd.y) + "-WXX-" + std::to_string(*wd);
      } else {
        sys_days base = ToDays(a->ymd);
        int have = static_cast<int>(weekday{base}.iso_encoding());
        int fwd = (*wd - have + 7) % 7, back = (have - *wd + 7) % 7;
        sys_days d = n < 0 ? base - days{back == 0 ? 7 : back} : base + days{fwd == 0 ? 7 : fwd};
        value = DateStr(FromDays(d));
      }
    } else if (auto season = Value(m, "season"); !season.empty()) {
      // The first such season after the anchor ("the following spring" after June 1943 is
      // 1944-SP); "that summer" is the anchor year's.
      static const std::pair<std::string_view, int> kStart[] = {
          {"SP", 3}, {"SU", 6}, {"FA", 9}, {"WI", 12}};
      int start = 0;
      for (const auto& [code, mo] : kStart)
        if (code == season) start = mo;
      int y = a->ymd.y;
      if (n > 0) y += a->gran >= 2 && a->ymd.m < start ? 0 : 1;
      if (n < 0) y -= a->gran >= 2 && a->ymd.m > start ? 0 : 1;
      value = YearStr(y) + "-" + season;
    } else if (!unit.empty()) {
      value = AnchoredShift(*a, unit, n);
    }
    if (!part.empty() && value.size() == 10) value += "T" + part;
    return true;
  }

  bool ReadHoliday() {
    std::string code(m.arg("code"));
    if (code.empty()) code = Value(m, "holiday");
    if (code.size() > 0 && !std::isdigit(static_cast<unsigned char>(code[0])) && code[0] != 'E' &&
        code[0] != 'N' && code != "ELECTION" && code != "L") {
      // A case-sensitive term broken over a line: look it up with its whitespace collapsed.
      std::string raw(*m.capture("holiday")), collapsed;
      for (char c : raw) {
        bool space = std::isspace(static_cast<unsigned char>(c));
        if (!space)
          collapsed.push_back(c);
        else if (!collapsed.empty() && collapsed.back() != ' ')
          collapsed.push_back(' ');
      }
      auto v = m.lookup("holiday", collapsed);
      code = v ? std::string(*v) : std::string();
    }
    if (code.empty()) return false;
    auto y = Int(m, "year");
    if (y) y = FullYear(*y, *m.capture("year"), dct);
    std::string rel = Value(m, "rel");
    std::optional<sys_days> date;
    if (code.size() == 10) {  // a historical day: "D-Day"
      date = HolidayDate(code, 0);
    } else if (y) {
      date = HolidayDate(code, *y);
    } else if (dct) {
      sys_days base = ToDays(*dct);
      auto in_year = [&](int yy) { return HolidayDate(code, yy); };
      if (auto here = in_year(dct->y)) {
        int yy = dct->y;
        if (rel == "-1") {
          yy = *here < base ? dct->y : dct->y - 1;
        } else if (rel == "1") {
          yy = *here > base ? dct->y : dct->y + 1;
        } else if (rel != "0") {
          Ymd hd = FromDays(*here);
          yy = InferYear(*dct, hd.m, hd.d, ClauseTense(m));
        }
        date = in_year(yy);
      } else {
        y = dct->y;
      }
    } else if (auto ny = NarrativeYear()) {
      date = HolidayDate(code, *ny);
      if (!date) y = ny;
    }
    if (date) {
      value = DateStr(FromDays(*date));
    } else if (y) {
      value = YearStr(*y);  // a lunar holiday: its year at least
    } else if (code.size() == 5 && code[2] == '-') {
      value = "XXXX-" + code;
    } else {
      value = "XXXX";
    }
    return true;
  }

  // "the first Monday of March", "the last Friday in May"
  bool ReadNthWeekday() {
    auto wd = Int(m, "weekday");
    auto mo = Int(m, "month");
    std::optional<int> nth;
    if (std::string v = Value(m, "nth"); !v.empty()) nth = Num(v);
    if (nth == 0) nth.reset();
    if (!wd || !mo || !nth || *wd < 1 || *wd > 7 || *mo < 1 || *mo > 12) return false;
    auto y = Int(m, "year");
    if (y) y = FullYear(*y, *m.capture("year"), dct);
    if (!y && dct) y = InferYear(*dct, *mo, 15, ClauseTense(m));
    if (!y) y = NarrativeYear();
    if (y) {
      sys_days d = NthWeekday(*y, *mo, *wd, *nth);
      if (static_cast<int>(static_cast<unsigned>(year_month_day(d).month())) != *mo) return false;
      value = DateStr(FromDays(d));
    }
    return true;
  }

  // "the latest quarter", "the year-ago period"
  bool ReadFiscal() {
    if (!dct) return true;
    int shift = Num(m.arg("shift"));
    std::string what = std::string(m.arg("what"));
    auto q = ReportedQuarter(m, *dct);
    // "compared with year-earlier net income" in a sentence about the nine months: a year.
    if (what == "year" && FoldKey(m.text()).find("quarter") == std::string::npos &&
        LongPeriodSentence(m))
      q = std::nullopt;
    if (what == "current") {
      q = std::make_pair(dct->y, (dct->m - 1) / 3 + 1);
    } else if (!q) {
      // Without a quarter mentioned, "the year-ago period" is just last year; "the latest
      // period" means nothing datable.
      if (what == "period") return false;
      if (what == "year") {
        value = YearStr(dct->y + shift);
      } else {
        int last = (dct->m - 1) / 3;
        q = last == 0 ? std::make_pair(dct->y - 1, 4) : std::make_pair(dct->y, last);
      }
    }
    // Reported results are for a quarter that is over: when the last quarter mentioned is not
    // (a forecast: "a fourth-quarter writedown ... slipped 14% in the latest quarter"), "the latest
    // quarter", "the year-ago period" and a past "the quarter" mean the one the lede reports on.
    if (q && what != "current") {
      if (shift != 0 || HasWordIn(m, "fiscal_reported_words") || ClauseTense(m) == Tense::kPast) {
        if (auto r = ResultsQuarter(m, *dct)) q = r;
      }
    }
    if (q) value = QuarterStr(q->first + shift, q->second);
    return true;
  }

  bool ReadDuration() {
    std::string unit = Value(m, "unit");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    if (unit.empty()) return false;
    // "the 1988 quarter" names a year's quarter in earnings news: the one the text reports on.
    if (auto c = m.capture("amount");
        c && unit == "Q" && c->size() == 4 && std::isdigit(static_cast<unsigned char>((*c)[0]))) {
      int y = Num(*c);
      if (y < 1800 || y > 2099) return false;
      auto rq = dct ? ReportedQuarter(m, *dct) : std::nullopt;
      value = rq ? QuarterStr(y, rq->second) : YearStr(y) + "-QX";
      if (type.empty()) type = "DATE";
    } else {
      value = Duration(unit, Amount(m));
      if (type.empty()) type = "DURATION";
    }
    return true;
  }

  // "today", "yesterday", "now", "recently"
  bool ReadRef() {
    std::string ref = Value(m, "ref");
    if (ref.empty()) ref = std::string(m.arg("ref"));
    if (ref.empty()) return false;
    bool offset = ref == "0" || ref[0] == '-' || std::isdigit(static_cast<unsigned char>(ref[0]));
    if (offset) {
      if (dct) value = DateStr(FromDays(ToDays(*dct) + days{Num(ref)}));
    } else {
      value = ref;
    }
    if (auto part = Value(m, "part"); !part.empty() && value.size() == 10) value += "T" + part;
    return true;
  }

  // "3 p.m.", "14:30", "noon Thursday", "5 p.m. EST Nov. 9"
  bool ReadTime() {
    auto h = Int(m, "hour");
    if (!h) h = Int(m, "hour2");  // "tomorrow at noon"
    auto mi = Int(m, "minute");
    std::string ampm = Value(m, "ampm");
    std::string part = Value(m, "part");
    if (ampm.empty() && m.arg("ampm") == "after") {
      // The first hour of a range takes the a.m./p.m. written after the second: "from 3 to 5
      // pm", "between 9 and 11 a.m.".
      const RE2* range = m.pattern("timex_range_ampm");  // (?P<letter>a|p)
      std::string_view doc = m.document();
      std::size_t e = m.span().end;
      int letter = 0;
      if (range != nullptr) {
        auto named = range->NamedCapturingGroups().find("letter");
        letter = named == range->NamedCapturingGroups().end() ? 0 : named->second;
      }
      std::vector<re2::StringPiece> g(static_cast<std::size_t>(letter) + 1);
      re2::StringPiece after(doc.data() + e, std::min<std::size_t>(48, doc.size() - e));
      if (letter > 0 &&
          range->Match(after, 0, after.size(), RE2::UNANCHORED, g.data(),
                       static_cast<int>(g.size())) &&
          !g.back().empty())
        ampm = (g.back()[0] == 'a' || g.back()[0] == 'A') ? "am" : "pm";
      if (ampm.empty()) return false;
    }
    std::string date_part;
    if (dct) {
      if (auto wd = Int(m, "weekday"); wd && *wd >= 1 && *wd <= 7) {
        date_part = DateStr(FromDays(WeekdayDate(m, *dct, *wd)));
      } else if (auto mo = Int(m, "month"), d = Int(m, "day"); mo && d) {
        auto y = Int(m, "year");
        int year_num =
            y ? FullYear(*y, *m.capture("year"), dct) : InferYear(*dct, *mo, *d, ClauseTense(m));
        year_month_day ymd =
            year{year_num} / month{static_cast<unsigned>(*mo)} / day{static_cast<unsigned>(*d)};
        if (!ymd.ok()) return false;
        date_part = DateStr({year_num, *mo, *d});
      } else if (std::string r = Value(m, "ref"); !r.empty()) {
        date_part = DateStr(FromDays(ToDays(*dct) + days{Num(r)}));
      } else {
        // A bare clock time is on the day its sentence names, the nearest one to it ("just
        // before midnight (1600 GMT) Monday", "at 10 p.m. Friday"): a date record of its
        // sentence, at most kReach bytes away, whose value is a day. Else the DCT.
        constexpr std::size_t kReach = 600;
        Span sent = m.sentence();
        Span span = m.span();
        std::size_t lo = std::max(sent.begin, span.begin > kReach ? span.begin - kReach : 0);
        std::size_t hi = std::min(sent.end, span.end + kReach);
        auto dates = m.dates();
        auto by_begin = [](const MatchView::DateMention& d, std::size_t at) {
          return d.span.begin < at;
        };
        auto first = std::lower_bound(dates.begin(), dates.end(), lo, by_begin);
        auto last = std::lower_bound(first, dates.end(), hi, by_begin);
        sys_days day = ToDays(*dct);
        std::size_t best = std::string::npos;
        for (auto other = first; other != last; ++other) {
          if (other->span.end > sent.end || other->span == span || !StatesDay(*other)) continue;
          auto a = AnchorOf(other->value);
          if (!a || a->gran != 3) continue;
          std::size_t dist = other->span.begin >= span.end   ? other->span.begin - span.end
                             : other->span.end <= span.begin ? span.begin - other->span.end
                                                             : 0;
          if (dist >= best) continue;
          best = dist;
          day = ToDays(a->ymd);
        }
        date_part = DateStr(FromDays(day));
      }
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
    return true;
  }

  // "every Monday", "on Tuesdays"
  bool ReadSetOfWeekday() {
    auto wd = Int(m, "weekday");
    if (*wd < 1 || *wd > 7) return false;
    value = "XXXX-WXX-" + std::to_string(*wd);
    if (auto part = Value(m, "part"); !part.empty()) value += "T" + part;
    if (type.empty()) type = "SET";
    return true;
  }

  bool ReadSet() {
    std::string unit = Value(m, "unit");
    if (unit.empty()) unit = std::string(m.arg("unit"));
    if (unit.empty()) return false;
    value = Duration(unit, Amount(m));
    if (type.empty()) type = "SET";
    return true;
  }

  const MatchView& m;
  const std::string kind;
  std::string type;
  const std::optional<Ymd> dct;
  std::string value;
  std::string mod;
  std::optional<int> yrel;
  const bool bc;
  bool written_as_is = false;  // the value and type need none of the common ending
  bool rejected_ = false;      // Reject gave the reason
};

}  // namespace

bool NormalizeTimex(const MatchView& m, Fields& out) { return TimexReading(m).Read(out); }

}  // namespace gleaner::internal

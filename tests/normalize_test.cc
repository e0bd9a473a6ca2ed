// Built-in normaliser helpers: cardinal parsing (digits, ICU spell-out, and the number words a
// pack gives).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "text/numbers.h"

using gleaner::internal::NumberWords;
using gleaner::internal::ParseCardinal;

namespace {

// Number words as a pack's lexicons would give them.
NumberWords TestWords() {
  auto table = [](std::map<std::string, double, std::less<>> t) {
    return [t](std::string_view w) -> std::optional<double> {
      auto it = t.find(w);
      return it == t.end() ? std::nullopt : std::optional<double>(it->second);
    };
  };
  NumberWords w;
  w.scale = table({{"million", 1e6}, {"bln", 1e9}, {"lakh", 1e5}});
  w.fraction = table({{"half a", 0.5},
                      {"a quarter", 0.25},
                      {"a quarter of a", 0.25},
                      {"three quarters of a", 0.75}});
  w.multiplier = table({{"dozen", 12}, {"score", 20}});
  return w;
}

}  // namespace

TEST_CASE("cardinals in digits") {
  CHECK(*ParseCardinal("25") == 25);
  CHECK(*ParseCardinal("1,200") == 1200);
  CHECK(*ParseCardinal("2.5") == doctest::Approx(2.5));
}

TEST_CASE("scale words, fractions and multipliers come from the pack's number words") {
  NumberWords words = TestWords();
  CHECK(*ParseCardinal("2.5 million", words) == doctest::Approx(2.5e6));
  CHECK(*ParseCardinal("3 bln", words) == doctest::Approx(3e9));
  CHECK(*ParseCardinal("4 lakh", words) == doctest::Approx(4e5));
  CHECK(*ParseCardinal("half a million", words) == doctest::Approx(5e5));
  CHECK(*ParseCardinal("Three quarters of a million", words) == doctest::Approx(7.5e5));
  // A shorter fraction ("a quarter") does not hide a longer one.
  CHECK(*ParseCardinal("a quarter of a million", words) == doctest::Approx(2.5e5));
  CHECK(*ParseCardinal("a quarter million", words) == doctest::Approx(2.5e5));
  CHECK(*ParseCardinal("two dozen", words) == 24);
  CHECK(*ParseCardinal("four score", words) == 80);
  // A fraction of what is no scale is no number; without the words, none of these is one.
  CHECK_FALSE(ParseCardinal("half a loaf", words).has_value());
  CHECK_FALSE(ParseCardinal("2.5 million").has_value());
  CHECK_FALSE(ParseCardinal("half a million").has_value());
  CHECK_FALSE(ParseCardinal("two dozen").has_value());
}

TEST_CASE("cardinals in words, through ICU spell-out rules") {
  CHECK(*ParseCardinal("nine") == 9);
  CHECK(*ParseCardinal("twenty-five") == 25);
  CHECK(*ParseCardinal("Twenty five") == 25);
  CHECK(*ParseCardinal("two hundred and six") == 206);
  CHECK(*ParseCardinal("a hundred") == 100);
}

TEST_CASE("what is not a cardinal") {
  CHECK_FALSE(ParseCardinal("students").has_value());
  CHECK_FALSE(ParseCardinal("").has_value());
  CHECK_FALSE(ParseCardinal("12abc").has_value());
}

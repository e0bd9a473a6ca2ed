// Built-in normaliser helpers: cardinal parsing (digits and ICU spell-out).
#include <doctest/doctest.h>

#include "text/numbers.h"

using gleaner::internal::ParseCardinal;

TEST_CASE("cardinals in digits") {
  CHECK(*ParseCardinal("25") == 25);
  CHECK(*ParseCardinal("1,200") == 1200);
  CHECK(*ParseCardinal("2.5") == doctest::Approx(2.5));
  CHECK(*ParseCardinal("2.5 million") == doctest::Approx(2.5e6));
  CHECK(*ParseCardinal("3 bln") == doctest::Approx(3e9));
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

// Where matches can begin (lib/rules/starts.h): every position where RE2 finds a match must be
// admitted by one of the pattern's starts, or triggered matching would lose records.
#include <doctest/doctest.h>
#include <re2/re2.h>

#include <random>
#include <string>
#include <vector>

#include "rules/starts.h"

using gleaner::internal::AnalyzeMatchStarts;
using gleaner::internal::MatchStart;
using gleaner::internal::StartFits;
using gleaner::internal::StartIndex;

namespace {

bool Re2Boundary(const std::string& text, std::size_t pos) {
  auto word = [&](std::size_t i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    return std::isalnum(c) || c == '_';
  };
  return (pos > 0 && word(pos - 1)) != (pos < text.size() && word(pos));
}

// Every position where the pattern matches, anchored there, as RE2 sees the whole text.
std::vector<std::size_t> MatchPositions(const RE2& re, const std::string& text) {
  std::vector<std::size_t> out;
  for (std::size_t p = 0; p < text.size(); ++p) {
    if ((static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) continue;
    re2::StringPiece m;
    if (re.Match(text, p, text.size(), RE2::ANCHOR_START, &m, 1) && !m.empty()) out.push_back(p);
  }
  return out;
}

// Checks that the starts of `pattern` admit every match position in `text`, and that the
// index finds the rule there too.
void CheckAdmitsEveryMatch(const std::string& pattern, bool case_insensitive,
                           const std::string& text) {
  RE2::Options o;
  o.set_case_sensitive(!case_insensitive);
  RE2 re(pattern, o);
  REQUIRE(re.ok());
  std::vector<MatchStart> starts = AnalyzeMatchStarts(pattern, case_insensitive);
  StartIndex index;
  for (const MatchStart& s : starts) index.Add(s, 7);
  index.Freeze();
  for (std::size_t p : MatchPositions(re, text)) {
    bool admitted = false;
    for (const MatchStart& s : starts)
      admitted = admitted || StartFits(s, text, p, Re2Boundary(text, p));
    CAPTURE(pattern);
    CAPTURE(text.substr(p, 30));
    CHECK(admitted);
    // The quick checks the engine makes first must admit the position too.
    CHECK(index.MayBegin(static_cast<unsigned char>(text[p]), Re2Boundary(text, p)));
    if (p + 1 < text.size())
      CHECK(index.MayBeginPair(static_cast<unsigned char>(text[p]),
                               static_cast<unsigned char>(text[p + 1])));
    std::vector<std::size_t> found;
    index.Find(text, p, &found);
    CHECK(std::find(found.begin(), found.end(), 7u) != found.end());
  }
}

}  // namespace

TEST_CASE("literal words become prefixes, across spaces and optional words") {
  auto starts = AnalyzeMatchStarts("\\b(?:(?i:the)\\s+)?(?i:first|third)\\s+quarter\\b", false);
  std::vector<std::string> prefixes;
  for (const auto& s : starts) {
    CHECK(s.boundary);
    prefixes.push_back(s.prefix);
  }
  // A folded 's' or 'k' stays in the prefix: the index admits the long s and the Kelvin sign
  // for it, as RE2's case folding does.
  CHECK(std::find(prefixes.begin(), prefixes.end(), std::string("first\x01quarter\x02")) !=
        prefixes.end());
  // Words are joined by a run of whitespace; the final \b is checked too.
  CHECK(std::find(prefixes.begin(), prefixes.end(),
                  std::string("the\x01") + "third\x01" + "quarter\x02") != prefixes.end());
}

TEST_CASE("a start fits only where its prefix and boundary hold") {
  auto starts = AnalyzeMatchStarts("\\bat\\s+least\\b", false);
  REQUIRE(starts.size() == 1);
  std::string text = "that at   least, bat at least";
  CHECK_FALSE(StartFits(starts[0], text, 2, Re2Boundary(text, 2)));    // inside "that"
  CHECK(StartFits(starts[0], text, 5, Re2Boundary(text, 5)));          // "at   least"
  CHECK_FALSE(StartFits(starts[0], text, 17, Re2Boundary(text, 17)));  // the "at" of "bat"
}

TEST_CASE("patterns it cannot read may begin anywhere") {
  for (const char* p : {"\\pL+", "[[:alpha:]]+", "(?:a|b"}) {
    auto starts = AnalyzeMatchStarts(p, false);
    REQUIRE(starts.size() == 1);
    CHECK(starts[0].first.all());
    CHECK(starts[0].prefix.empty());
    CHECK_FALSE(starts[0].boundary);
  }
}

TEST_CASE("every RE2 match position is admitted (patterns against varied text)") {
  const std::vector<std::pair<std::string, bool>> patterns = {
      {"\\b(?:(?i:the)\\s+)?(?P<n>[0-9]+|(?i:one|two|seven))\\s+(?i:days?|weeks?)\\b", false},
      {"(?:\\b(?P<q>(?i:at\\s+least|about|some))\\s+)?(?P<n>\\b[0-9]{1,3}(?:,[0-9]{3})*)", false},
      {"\\bkilled|\\bSKIES\\b|(?i:kelvin)", true},
      {"(?:[$£€]\\s*[0-9]+|\\b[0-9]+\\s*(?:%|percent))", false},
      {"\\b[A-Z][a-z]+(?:'s|\\x{2019}s)?\\s+(?i:day)", false},
      {"(?:x|y)*\\s*(?:\\bmid|late)-?(?:march|may)", true},
      {"\\b(?:a|an)\\s+[a-z]+(?:-[a-z]+)*\\s+one\\b", false},
      {"(?i:straße|ÉTÉ)\\b", false},
      {"\\.{3}|…|--", false},
  };
  std::string fixed =
      "The seven days after 1,200 people, at least 45 more; about 3 Weeks. KILLED skies Skies "
      "\u212Aelvin kelvin 12% of $ 40 and 7 percent. Lena's day, Rome\u2019s Day. mid-March, "
      "late may, xy midmay. a long-awaited one, an odd one. STRASSE straße été ÉTÉ ... … -- "
      "\u017Fome ſkies";
  for (const auto& [p, ci] : patterns) CheckAdmitsEveryMatch(p, ci, fixed);
  // Random mixes of the same words and characters.
  std::vector<std::string> pieces = {
      "the",  "The",    "seven", "1,200", "45", "at",     "least",  " ",    "  ",  "\n",     "days",
      "Week", "killed", "SKIES", "%",     "$",  "\u212A", "\u017F", "mid",  "-",   "March",  "a",
      "one",  "'s",     "été",   "…",     ".",  "x",      "y",      "Lena", "day", "percent"};
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int k = 0; k < 12; ++k) text += pieces[rng() % pieces.size()];
    for (const auto& [p, ci] : patterns) CheckAdmitsEveryMatch(p, ci, text);
  }
}

TEST_CASE("constructs a review found: runs of space before a space, folded \\w, flag repeats") {
  CheckAdmitsEveryMatch("\\bwide\\s+ gap\\b", false, "wide  gap and wide \t gap");
  CheckAdmitsEveryMatch("a\\s\\nb|\\s+(?: |x)b", false, "a \nb  b \t xb");
  CheckAdmitsEveryMatch("(?i)\\w+ship\\b|[\\w]ill", false, "\u212Aship \u017Fill Kill");
  CheckAdmitsEveryMatch("\\W\\w", true, "\u201CSo \u212Aa");
  CheckAdmitsEveryMatch("-(?i){0,3}x?", false, "a-b");
  // Folded 's' and 'k' inside a prefix: RE2 also matches the long s and the Kelvin sign.
  CheckAdmitsEveryMatch("(?i:the\\s+skies|asks|dusk)\\b", false,
                        "the \u017Fkies the SKIES a\u017Fk\u017F du\u017F\u212A dusk");
}

TEST_CASE("words that run on into many optional suffixes keep a prefix of a word or more") {
  // Each number word may be followed by a scale, a hyphen and a sign: more starts than the
  // index takes at full length, so they are cut to the first bytes of the first word, not to
  // its first letter (which would fit most words of a text).
  std::string words = "(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)";
  std::string scale = "(?:\\s*|-)(?i:million|billion|trillion|thousand|mln|bln|bn)\\b";
  std::string pattern = "\\b(?:" + words + "(?:[- ]" + words + ")*(?:" + scale + ")?(?:" + scale +
                        ")?\\s*(?:%|(?i:percent|per cent)))";
  auto starts = AnalyzeMatchStarts(pattern, false);
  REQUIRE(!starts.empty());
  for (const auto& s : starts) CHECK(s.prefix.size() >= 3);
  CheckAdmitsEveryMatch(pattern, false, "twelve-million percent, ten bn%, seven-eight per cent");
  // A word limit keeps the space run that ends the word: "a" then spaces, not every a-word.
  auto article = AnalyzeMatchStarts("\\b(?:a|an)\\s+[a-z]+\\s+(?:day|week)s?\\b", false);
  REQUIRE(article.size() == 2);
  for (const auto& s : article) CHECK(s.prefix.back() == '\x01');
}

TEST_CASE("the analysis gives up, quickly, on patterns whose paths multiply") {
  std::string pattern;
  for (int i = 0; i < 40; ++i) pattern += "(?:^|\\b)";
  pattern += "x";
  auto starts = AnalyzeMatchStarts(pattern, false);
  REQUIRE(starts.size() == 1);
  CHECK(starts[0].first.all());
}

// The text layer: UTF-8 repair and offsets, hard wraps, segmentation, quote marks, folding.
#include <doctest/doctest.h>

#include "rules/pack.h"
#include "text/text.h"

using namespace gleaner;
using namespace gleaner::internal;

TEST_CASE("invalid UTF-8 is replaced by U+FFFD and counted") {
  std::size_t invalid = 0;
  CHECK(RepairUtf8("a\xff"
                   "b\xc3",
                   &invalid) ==
        "a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD");
  CHECK(invalid == 2);
  CHECK(RepairUtf8("Homyel\xE2\x80\x99", &invalid) == "Homyel\xE2\x80\x99");
  CHECK(invalid == 0);
}

TEST_CASE("offsets in repaired text map back to the input bytes") {
  // One invalid byte becomes three bytes of U+FFFD: later offsets shift by two.
  std::string input = "x\xff Minsk";
  PreparedText p = PrepareText(input);
  CHECK(p.invalid_sequences == 1);
  REQUIRE(p.repaired == "x\xEF\xBF\xBD Minsk");
  std::size_t minsk = p.repaired.find("Minsk");
  CHECK(p.ToInput(minsk) == input.find("Minsk"));
  CHECK(p.ToInput(minsk + 5) == input.size());
  CHECK(p.ToInput(0) == 0);
}

TEST_CASE("NUL bytes are repaired too") {
  PreparedText p = PrepareText(std::string("a\0b", 3));
  CHECK(p.invalid_sequences == 1);
  CHECK(p.ToInput(p.repaired.find('b')) == 2);
}

TEST_CASE("hard-wrapped lines join into one paragraph; blank lines split paragraphs") {
  PreparedText p = PrepareText("The police detained\nat least two people.\n\nNext paragraph.");
  REQUIRE(p.paragraphs.size() == 2);
  CHECK(p.flat.substr(0, 40) == "The police detained at least two people.");
  CHECK(p.repaired.substr(0, 40) == "The police detained\nat least two people.");
  CHECK(p.flat.size() == p.repaired.size());
}

TEST_CASE("sentences follow ICU with abbreviation suppressions") {
  PreparedText p = PrepareText("Mr. Smith went to Washington. He said hello.");
  REQUIRE(p.sentences.size() == 2);
  CHECK(p.flat.substr(p.sentences[1].begin, 2) == "He");
  CHECK(p.SentenceAt(5).begin == 0);
}

TEST_CASE("initials and titles do not end sentences") {
  auto titles = [](std::string_view w) { return w == "Sen" || w == "Dr"; };
  PreparedText p =
      PrepareText("John F. Kennedy spoke in Dallas. Sen. Ted Cruz agreed. Plans ended.", titles);
  REQUIRE(p.sentences.size() == 3);
  CHECK(p.flat.substr(p.sentences[1].begin, 4) == "Sen.");
  CHECK(p.flat.substr(p.sentences[2].begin, 5) == "Plans");
  // Without the abbreviation, ICU ends a sentence at "Sen."; initials hold either way.
  CHECK(PrepareText("John F. Kennedy spoke in Dallas. Sen. Ted Cruz agreed. Plans ended.")
            .sentences.size() == 4);
}

TEST_CASE("the token stream: words of letters and digits, with their keys and shapes") {
  PreparedText p = PrepareText("25 Stúdents, re-released in SÃO Paulo's 2nd\nround.");
  std::vector<std::string> words, keys;
  std::vector<bool> capitalised;
  for (const TextToken& t : p.tokens) {
    words.push_back(p.flat.substr(t.begin, t.end - t.begin));
    keys.emplace_back(p.KeyOf(t));
    capitalised.push_back(t.capitalised);
  }
  CHECK(words == std::vector<std::string>{"25", "Stúdents", "re", "released", "in", "SÃO", "Paulo",
                                          "s", "2nd", "round"});
  CHECK(keys == std::vector<std::string>{"25", "students", "re", "released", "in", "sao", "paulo",
                                         "s", "2nd", "round"});
  CHECK(capitalised ==
        std::vector<bool>{false, true, false, false, false, true, true, false, false, false});
  CHECK(p.tokens[5].has_ascii);  // "SÃO" has ASCII letters
  // The tokens that start inside a span.
  auto in = p.TokensIn({3, 29});
  REQUIRE(in.size() == 4);
  CHECK(p.flat.substr(in.front().begin, 8) == "Stúdent");
}

TEST_CASE("quote marks of every style are classified") {
  CHECK(ClassifyQuoteMark("\xE2\x80\x9D", 0).role == QuoteRole::kClose);  // ”
  CHECK(ClassifyQuoteMark("\xE2\x80\x9E", 0).role == QuoteRole::kOpen);   // „
  CHECK(ClassifyQuoteMark("\xC2\xAB", 0).role == QuoteRole::kOpen);       // «
  CHECK(ClassifyQuoteMark("\xC2\xBB", 0).role == QuoteRole::kClose);      // »
  CHECK(ClassifyQuoteMark("\"", 0).role == QuoteRole::kEither);
  CHECK(ClassifyQuoteMark("a", 0).role == QuoteRole::kNone);
}

namespace {
std::vector<std::string> Inner(const std::string& text) {
  PreparedText p = PrepareText(text);
  std::vector<std::string> out;
  for (const auto& q : FindQuotations(p.flat, p.paragraphs))
    out.push_back(p.flat.substr(q.inner.begin, q.inner.size()));
  return out;
}
}  // namespace

TEST_CASE("quotations pair within paragraphs in all styles") {
  CHECK(Inner("He said \"we won\" and left.") == std::vector<std::string>{"we won"});
  CHECK(Inner("\xE2\x80\x9CWe won,\xE2\x80\x9D she said.") == std::vector<std::string>{"We won,"});
  CHECK(Inner("\xC2\xAB"
              "Oui"
              "\xC2\xBB") == std::vector<std::string>{"Oui"});
  CHECK(Inner("\xE2\x80\x9E"
              "Ja"
              "\xE2\x80\x9C"
              " sagte er.") == std::vector<std::string>{"Ja"});
  CHECK(Inner("the 'big' one") == std::vector<std::string>{"big"});
}

TEST_CASE("apostrophes are not quote marks and unclosed quotes are dropped") {
  CHECK(Inner("It's the students' union, don't go.").empty());
  CHECK(Inner("He said \"this never closes.\n\nAnother paragraph.").empty());
}

TEST_CASE("a quote running over paragraphs closes at the paragraph end") {
  auto q = Inner("\"First part.\n\n\"Second part,\" he said.");
  REQUIRE(q.size() == 2);
  CHECK(q[0] == "First part.");
  CHECK(q[1] == "Second part,");
}

TEST_CASE("fold keys are case- and diacritic-insensitive") {
  CHECK(FoldKey("  C\xC3\xB4te  d\xE2\x80\x99Ivoire ") == "cote d'ivoire");
  CHECK(FoldKey("MINSK") == "minsk");
  // Characters below U+0800 fold from a per-character cache, the rest with ICU on the whole
  // text: the two agree.
  CHECK(FoldKey("Cr\xC3\xA8me BR\xC3\x9BL\xC3\x89"
                "E") == "creme brulee");
  CHECK(FoldKey("\xC3\x85ngstr\xC3\xB6m \xCE\xA3\xCE\xB9\xCE\xB3\xCE\xBC\xCE\xB1") ==
        "angstrom \xCF\x83\xCE\xB9\xCE\xB3\xCE\xBC\xCE\xB1");
  CHECK(FoldKey("Stra\xC3\x9F"
                "e") == "strasse");
  CHECK(FoldKey("\xC3\x89"
                "cole \xE2\x80\x94 \xEF\xBC\xB4") ==
        "ecole \xE2\x80\x94 \xEF\xBD\x94");  // U+2014 and a full-width T: ICU's path
  // Text with a non-ASCII character takes form feeds and vertical tabs for spaces, as ICU
  // does; all-ASCII text keeps them.
  CHECK(FoldKey("\xC3\xA9 a\fb") == "e a b");
  CHECK(FoldKey("a\fb") == "a\fb");
}

TEST_CASE("RepairUtf8 and PrepareText repair the same way, NUL included") {
  std::size_t invalid = 0;
  std::string input("x\0y\xff", 4);
  CHECK(RepairUtf8(input, &invalid) == PrepareText(input).repaired);
  CHECK(invalid == 2);
}

TEST_CASE("lexicon lookups follow one rule, with or without the folding") {
  gleaner::internal::Lexicon folded;
  for (const char* term : {"at least", "Côte d'Ivoire", "per cent"})
    folded.by_key.emplace(gleaner::internal::FoldKey(term), term);
  CHECK(folded.Find("at least") != nullptr);
  CHECK(folded.Find("At  Least") != nullptr);
  CHECK(folded.Find(" at least ") != nullptr);
  CHECK(folded.Find("cote d'ivoire") != nullptr);
  CHECK(folded.Find("CÔTE D'IVOIRE") != nullptr);
  CHECK(folded.Find("at") == nullptr);
  gleaner::internal::Lexicon exact;
  exact.case_sensitive = true;
  exact.by_key.emplace("US", "us");
  CHECK(exact.Find("US") != nullptr);
  CHECK(exact.Find("us") == nullptr);
}

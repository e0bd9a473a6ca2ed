// End to end with the default packs, on sentences written for these tests: one case per
// capability the packs promise, plus hostile input, threads and JSON.
#include <doctest/doctest.h>
#include <gleaner/json.h>
#include <gleaner/output.h>

#include <set>

#include <fstream>
#include <iostream>
#include <thread>

#include "test_util.h"

using namespace gleaner;
using gleaner::testing::DefaultExtractor;
using gleaner::testing::Find;

namespace {

Extraction Run(const std::string& text, const std::string& dct = "2020-09-06") {
  DocumentContext ctx;
  ctx.id = "t";
  ctx.reference_date = dct;
  auto r = DefaultExtractor().Extract(text, ctx);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return std::move(r.value());
}

}  // namespace

TEST_CASE("dates: explicit, relative to the DCT, durations") {
  auto e =
      Run("Voters went to the polls on August 9. On Saturday the talks failed. The "
          "leader, in power for 26 years, will fly to Kyiv next week. Two years ago the "
          "plant closed.");
  REQUIRE(Find<Date>(e, "August 9"));
  CHECK(Find<Date>(e, "August 9")->value == "2020-08-09");
  REQUIRE(Find<Date>(e, "Saturday"));
  CHECK(Find<Date>(e, "Saturday")->value == "2020-09-05");
  REQUIRE(Find<Date>(e, "26 years"));
  CHECK(Find<Date>(e, "26 years")->timex_type == "DURATION");
  CHECK(Find<Date>(e, "26 years")->value == "P26Y");
  REQUIRE(Find<Date>(e, "next week"));
  CHECK(Find<Date>(e, "next week")->value == "2020-W37");
  REQUIRE(Find<Date>(e, "Two years ago"));
  CHECK(Find<Date>(e, "Two years ago")->value == "2018");
}

TEST_CASE("dates: anchored to the dates the text states before them, in their final values") {
  // No DCT: a history. "three days later" counts from the day stated, and "the next day" from
  // where "three days later" moved the anchor; the year written alone between them qualifies
  // a budget and frames no day.
  auto e = Run(
      "The dam failed on 4 March 1961. Three days later the valley was flooded. The 1962 "
      "budget paid for a new wall. The next day the army arrived. Work began in 1962, and in June "
      "the wall was done.",
      "");
  REQUIRE(Find<Date>(e, "Three days later"));
  CHECK(Find<Date>(e, "Three days later")->value == "1961-03-07");
  REQUIRE(Find<Date>(e, "The next day"));
  CHECK(Find<Date>(e, "The next day")->value == "1961-03-08");
  // A month without its year takes the year of the date last written.
  REQUIRE(Find<Date>(e, "June"));
  CHECK(Find<Date>(e, "June")->value == "1962-06");
  // A bare clock time is on the day of the nearest date record of its sentence, else the DCT.
  auto t =
      Run("The strike began Tuesday. Pickets left at midnight, a day before the talks on "
          "September 3. Guards came at noon.",
          "2020-09-06");
  REQUIRE(Find<Date>(t, "midnight"));
  CHECK(Find<Date>(t, "midnight")->value == "2020-09-03T24:00");
  REQUIRE(Find<Date>(t, "noon"));
  CHECK(Find<Date>(t, "noon")->value == "2020-09-06T12:00");
  // A clock time alone says no day: neither "the next day" nor another time counts from it.
  auto c =
      Run("The dam failed on March 3. At 3 p.m. the water rose. The next day the army "
          "arrived. Voting ran from 7 a.m. to 8 p.m., and results came Thursday.",
          "2020-09-06");
  REQUIRE(Find<Date>(c, "The next day"));
  CHECK(Find<Date>(c, "The next day")->value == "2020-03-04");
  REQUIRE(Find<Date>(c, "7 a.m"));
  CHECK(Find<Date>(c, "7 a.m")->value == "2020-09-03T07:00");
  // With a DCT and no date before it, the DCT is the anchor.
  auto d = Run("A day earlier the talks had failed.", "2021-05-10");
  REQUIRE(Find<Date>(d, "A day earlier"));
  CHECK(Find<Date>(d, "A day earlier")->value == "2021-05-09");
}

TEST_CASE("dates: the clause's tense is read from the token stream, contractions whole") {
  // "won't" is a future cue (not the past "won"): the date is the next July 3.
  auto e = Run("The vote won't be held until July 3, officials said.", "2020-09-06");
  REQUIRE(Find<Date>(e, "July 3"));
  CHECK(Find<Date>(e, "July 3")->value == "2021-07-03");
  auto p = Run("The vote was held on July 3.", "2020-09-06");
  REQUIRE(Find<Date>(p, "July 3"));
  CHECK(Find<Date>(p, "July 3")->value == "2020-07-03");
}

TEST_CASE("counts: digits, words, vague, qualifiers, percent, entity and event") {
  auto e =
      Run("Officials said 14 miners were rescued, while three others remained trapped. "
          "Dozens of villagers gathered at the gate and police arrested at least five "
          "protesters. Turnout reached 62 percent.");
  const Count* miners = Find<Count>(e, "14");
  REQUIRE(miners);
  CHECK(*miners->value == 14);
  CHECK(miners->entity == "miners");
  CHECK(miners->event == "rescued");
  const Count* three = Find<Count>(e, "three");
  REQUIRE(three);
  CHECK(*three->value == 3);
  const Count* dozens = Find<Count>(e, "Dozens");
  REQUIRE(dozens);
  CHECK(*dozens->value == 24);
  CHECK(dozens->approximate);
  CHECK(dozens->entity == "villagers");
  const Count* five = Find<Count>(e, "at least five");
  REQUIRE(five);
  CHECK(five->qualifier == "at_least");
  CHECK(five->event == "arrested");
  const Count* pct = Find<Count>(e, "62 percent");
  REQUIRE(pct);
  CHECK(pct->unit == "percent");
}

TEST_CASE("counts: years, money and dates are not counts") {
  auto e = Run("In 1999 the firm paid $40 million on March 3 for a 25-year-old plant.");
  CHECK(gleaner::testing::All<Count>(e).empty());
}

TEST_CASE("locations: a window cut inside a word (no spaces for 64 KB) splits that word") {
  // The text layer cuts a paragraph without spaces every 64 KB, here inside "Paris": each
  // window reads only its own part of the word, and the names after it are still found.
  std::string text = std::string(65534, 'a') + "-Paris-Lyon-Oslo" + std::string(10, 'b') + " Rome";
  auto e = Run(text, "");
  std::vector<std::string> places;
  for (const Record& r : e.records)
    if (const auto* l = std::get_if<Location>(&r)) places.push_back(l->text);
  CHECK(places == std::vector<std::string>{"Lyon", "Rome"});
}

TEST_CASE("locations: countries, cities, demonyms, resolved") {
  auto e =
      Run("Protesters in Minsk waved Belarusian flags before driving to Vilnius, "
          "Lithuania.");
  const Location* minsk = Find<Location>(e, "Minsk");
  REQUIRE(minsk);
  CHECK(minsk->country == "BY");
  CHECK(*minsk->geonames_id == 625144);
  CHECK(minsk->lat.has_value());
  const Location* dem = Find<Location>(e, "Belarusian");
  REQUIRE(dem);
  CHECK(dem->kind == "demonym");
  CHECK(dem->country == "BY");
  REQUIRE(Find<Location>(e, "Lithuania"));
  CHECK(Find<Location>(e, "Lithuania")->feature.rfind("PCL", 0) == 0);
}

TEST_CASE("quotes: cue before and after, pronouns, carry-over, surname expansion") {
  auto e =
      Run("The mayor, Anna Petrova, said the city was \"ready for anything.\"\n\n"
          "\xE2\x80\x9CWe will rebuild,\xE2\x80\x9D she said.\n\n"
          "\"Nobody will be left behind.\"\n\n"
          "Her deputy, Ivan Sidorov, spoke later.\n\n\"It was hard,\" Sidorov said.");
  const Quote* q1 = Find<Quote>(e, "ready for anything.");
  REQUIRE(q1);
  CHECK(q1->speaker == "Anna Petrova");
  CHECK(q1->cue == "said");
  const Quote* q2 = Find<Quote>(e, "We will rebuild,");
  REQUIRE(q2);
  CHECK(q2->speaker == "Anna Petrova");
  const Quote* q3 = Find<Quote>(e, "Nobody will be left behind.");
  REQUIRE(q3);
  CHECK(q3->speaker == "Anna Petrova");
  CHECK(q3->cue.empty());
  const Quote* q4 = Find<Quote>(e, "It was hard,");
  REQUIRE(q4);
  CHECK(q4->speaker == "Ivan Sidorov");
}

TEST_CASE("every record's span is its text in the input, also after invalid UTF-8") {
  std::string text = "Caf\xe9 owners in Minsk said \xff 25 workers were fired on Monday.";
  auto e = Run(text);
  CHECK_FALSE(e.warnings.empty());
  REQUIRE(e.records.size() >= 3);
  for (const Record& r : e.records) {
    const RecordBase& b = Base(r);
    REQUIRE(b.span.end <= text.size());
    CHECK(text.substr(b.span.begin, b.span.size()) == b.text);
  }
  REQUIRE(Find<Location>(e, "Minsk"));
  CHECK(Find<Location>(e, "Minsk")->span.begin == text.find("Minsk"));
}

TEST_CASE("empty, whitespace and binary documents are fine") {
  CHECK(Run("").records.empty());
  CHECK(Run(" \n\n\t ").records.empty());
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 131) & 0xff));
  auto e = Run(binary);
  for (const Record& r : e.records) CHECK(Base(r).span.end <= binary.size());
}

TEST_CASE("limits and bad context are errors, not crashes") {
  auto o = gleaner::testing::DefaultOptions();
  o.max_document_bytes = 100;
  auto ex = Extractor::Create(o);
  REQUIRE(ex.ok());
  auto big = ex->Extract(std::string(101, 'a'), {});
  REQUIRE_FALSE(big.ok());
  CHECK(big.status().code() == StatusCode::kResourceLimit);
  DocumentContext bad;
  bad.reference_date = "06/09/2020";
  auto r = DefaultExtractor().Extract("today", bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a dateline sets the reference date when none is given") {
  DocumentContext ctx;
  auto e = DefaultExtractor().Extract(" date 2020-09-06 MINSK -- Police came yesterday.", ctx);
  REQUIRE(e.ok());
  CHECK(e->reference_date == "2020-09-06");
  REQUIRE(Find<Date>(*e, "yesterday"));
  CHECK(Find<Date>(*e, "yesterday")->value == "2020-09-05");
  auto wire = DefaultExtractor().Extract(
      "WASHINGTON, March 3, 1987 (Reuters) - Shares fell on Monday.", ctx);
  REQUIRE(wire.ok());
  CHECK(wire->reference_date == "1987-03-03");
  ctx.infer_reference_date = false;
  auto none = DefaultExtractor().Extract(" date 2020-09-06 MINSK -- Police came.", ctx);
  REQUIRE(none.ok());
  CHECK(none->reference_date.empty());
}

TEST_CASE("one extractor serves many threads with identical results") {
  std::string text =
      "Some 40,000 nurses walked out across Lyon on Sunday. \"We are many,\" said "
      "Olga Ivanova. Police held 25 drivers in Grenoble last week.";
  auto expected = nlohmann::json(Run(text)).dump();
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        DocumentContext ctx{"t", "2020-09-06", true};
        got[t] = nlohmann::json(*DefaultExtractor().Extract(text, ctx)).dump();
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& g : got) CHECK(g == expected);
}

TEST_CASE("records survive a JSON round trip") {
  auto e = Run("\"We won,\" said Olga Ivanova in Minsk on Sunday, where 25 people gathered.");
  REQUIRE(e.records.size() >= 4);
  for (const Record& r : e.records) {
    nlohmann::json j = r;
    Record back = j.get<Record>();
    CHECK(nlohmann::json(back) == j);
    CHECK(j["type"] == std::string(RecordType(r)));
    CHECK(j["begin"] == Base(r).span.begin);
  }
  nlohmann::json doc = e;
  CHECK(doc["id"] == "t");
  CHECK(doc["records"].size() == e.records.size());
}

TEST_CASE("record text is whole UTF-8 characters, so strict JSON never throws") {
  // The quote ends in "à" (C3 A0): A0 alone is a no-break space in Latin-1 and must not be
  // trimmed as whitespace.
  auto e =
      Run("She said \xE2\x80\x9C"
          "c'est voil\xC3\xA0\xE2\x80\x9D and left.");
  const Quote* q = Find<Quote>(e, "c'est voil\xC3\xA0");
  REQUIRE(q);
  CHECK_NOTHROW(nlohmann::json(e).dump());
}

TEST_CASE("a document with too many candidates is an error, not unbounded memory") {
  auto o = gleaner::testing::DefaultOptions();
  o.max_candidates = 100;
  auto ex = Extractor::Create(o);
  REQUIRE(ex.ok());
  std::string numbers;
  for (int i = 0; i < 1000; ++i) numbers += "12 people, ";
  auto r = ex->Extract(numbers, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kResourceLimit);
  CHECK(ex->Extract("12 people left.", {}).ok());
}

namespace {

// Explain's accepted spans and Extract's record spans, each sorted.
std::pair<std::vector<Span>, std::vector<Span>> AcceptedAndRecorded(const std::string& text,
                                                                    const DocumentContext& ctx) {
  auto decisions = DefaultExtractor().Explain(text, ctx);
  auto extraction = DefaultExtractor().Extract(text, ctx);
  REQUIRE(decisions.ok());
  REQUIRE(extraction.ok());
  std::vector<Span> accepted, recorded;
  for (const Decision& d : *decisions)
    if (d.outcome == Decision::Outcome::kAccepted) accepted.push_back(d.span);
  for (const Record& r : extraction->records) recorded.push_back(Base(r).span);
  auto by_position = [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  };
  std::sort(accepted.begin(), accepted.end(), by_position);
  std::sort(recorded.begin(), recorded.end(), by_position);
  return {accepted, recorded};
}

}  // namespace

TEST_CASE("explain reports what the document passes drop, and why") {
  // A quoted term before a noun and a quoted title are no quotations; the quote pass drops
  // them after the engine accepted them.
  std::string text =
      "The so-called \"reform\" plan was shelved, and the band played \"Morning Tide\" at the "
      "fair. \"We will try again next year,\" said Marta Quell.";
  auto decisions = DefaultExtractor().Explain(text, {});
  REQUIRE(decisions.ok());
  int dropped = 0;
  for (const Decision& d : *decisions) {
    if (d.outcome != Decision::Outcome::kDropped) continue;
    ++dropped;
    CHECK(d.type == "quote");
    CHECK(d.by_rule == "pass:quotes");
    CHECK_FALSE(d.reason.empty());
  }
  CHECK(dropped == 2);
  auto [accepted, recorded] = AcceptedAndRecorded(text, {});
  CHECK(accepted == recorded);
}

TEST_CASE("explain's accepted spans are exactly the records, on every news-dev text [shared]") {
  std::ifstream in = gleaner::testing::OpenShared("eval/gold/news-dev.jsonl");
  if (!in) return;
  std::string line;
  int docs = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    DocumentContext ctx;
    if (j["reference_date"].is_string()) ctx.reference_date = j["reference_date"];
    auto [accepted, recorded] = AcceptedAndRecorded(j["text"].get<std::string>(), ctx);
    CAPTURE(j["id"].get<std::string>());
    CHECK(accepted == recorded);
    ++docs;
  }
  CHECK(docs == 45);
}

TEST_CASE("the streaming JSON writer writes what to_json writes") {
  std::string text =
      "KIGALI, May 4, 2022 -- About 300 nurses were hired in Rwanda last week, and 12 \"more "
      "than ever\" came from Uganda, said Amani Keza, adding: \"we need twice that.\"";
  DocumentContext ctx;
  ctx.id = "doc\t\"7\"";
  auto e = DefaultExtractor().Extract(text, ctx);
  REQUIRE(e.ok());
  Custom custom;
  custom.type = "dose";
  custom.span = {3, 9};
  custom.text = std::string("bad \xFF byte\x01", 11);
  custom.fields = {{"amount", 2.5}, {"unit", std::string("mg")}, {"daily", true}, {"note", {}}};
  e->records.push_back(custom);
  std::set<std::string> types;
  for (const Record& r : e->records) {
    std::string line;
    AppendJson(line, r);
    CHECK(line.find('\n') == std::string::npos);
    nlohmann::json written = nlohmann::json::parse(line);
    nlohmann::json expected = r;
    // to_json keeps invalid UTF-8 for nlohmann's dump to replace; the writer replaces it.
    if (std::holds_alternative<Custom>(r)) expected["text"] = "bad \xEF\xBF\xBD byte\x01";
    CHECK(written == expected);
    types.insert(written["type"].get<std::string>());
  }
  CHECK(types == std::set<std::string>{"date", "count", "location", "quote", "dose"});
  std::string whole;
  AppendJson(whole, *e);
  auto parsed = nlohmann::json::parse(whole);
  CHECK(parsed["id"] == "doc\t\"7\"");
  CHECK(parsed["records"].size() == e->records.size());
  std::string parts;
  AppendJsonOpening(parts, *e);
  for (std::size_t i = 0; i < e->records.size(); ++i) {
    if (i > 0) parts += ',';
    AppendJson(parts, e->records[i]);
  }
  AppendJsonClosing(parts, *e);
  CHECK(parts == whole);
}

TEST_CASE("a document over its work budget is an error that names the limit") {
  auto o = gleaner::testing::DefaultOptions();
  o.max_work_per_kilobyte = 1;  // 64 matching steps for a short document
  auto ex = Extractor::Create(o);
  REQUIRE(ex.ok());
  std::string text;
  for (int i = 0; i < 40; ++i) text += "On March 3, 1999, about 40 people met in Lyon. ";
  auto e = ex->Extract(text, {});
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == StatusCode::kResourceLimit);
  CHECK(e.status().message().find("max_work_per_kilobyte") != std::string::npos);
  // The same document within the default budget.
  CHECK(DefaultExtractor().Extract(text, {}).ok());
}

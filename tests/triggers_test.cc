// Triggered matching (each rule tried only where one of its matches can begin) must decide
// exactly what exhaustive matching (every rule searched over every paragraph) decides: the same
// candidates, outcomes and records, on the texts of every default pack's tests and examples,
// and on the news corpus in ../shared when it is there.
#include <doctest/doctest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

namespace {

using gleaner::Decision;
using gleaner::Extractor;

const Extractor& ExhaustiveExtractor() {
  static const Extractor* ex = [] {
    auto o = gleaner::testing::DefaultOptions();
    o.exhaustive = true;
    auto r = Extractor::Create(o);
    if (!r.ok()) throw std::runtime_error(r.status().ToString());
    return new Extractor(std::move(r.value()));
  }();
  return *ex;
}

std::string Describe(const std::vector<Decision>& ds) {
  std::ostringstream out;
  for (const Decision& d : ds)
    out << d.span.begin << "-" << d.span.end << " " << d.rule_id << " "
        << gleaner::OutcomeName(d.outcome) << " " << d.by_rule << "\n";
  return out.str();
}

void CheckSameDecisions(const std::string& text, const std::string& dct) {
  gleaner::DocumentContext ctx;
  ctx.reference_date = dct;
  auto a = gleaner::testing::DefaultExtractor().Explain(text, ctx);
  auto b = ExhaustiveExtractor().Explain(text, ctx);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CAPTURE(text.substr(0, 200));
  CHECK(Describe(*a) == Describe(*b));
}

std::vector<std::pair<std::string, std::string>> PackTexts() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* pack : {"dates", "counts", "locations", "quotes"}) {
    std::ifstream in(std::string(GLEANER_TEST_RULES_DIR) + "/" + pack + ".json");
    auto j = nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
    for (const auto& t : j.value("tests", nlohmann::json::array()))
      out.emplace_back(t.at("text").get<std::string>(), t.value("dct", ""));
    for (const auto& r : j.value("rules", nlohmann::json::array()))
      for (const auto& e : r.value("examples", nlohmann::json::array()))
        out.emplace_back("On that day " + e.get<std::string>() + ", they said.", "2021-06-15");
  }
  return out;
}

}  // namespace

TEST_CASE("triggered matching decides what exhaustive matching decides: pack texts") {
  auto texts = PackTexts();
  CHECK(texts.size() > 400);
  // One document of all of them too: paragraphs next to each other, and a long one.
  std::string all, one_paragraph;
  for (const auto& [text, dct] : texts) {
    CheckSameDecisions(text, dct);
    all += text + "\n\n";
    one_paragraph += text + " ";
  }
  CheckSameDecisions(all, "2021-06-15");
  CheckSameDecisions(one_paragraph.substr(0, 6000), "2021-06-15");
}

TEST_CASE("triggered matching decides what exhaustive matching decides: news corpus [shared]") {
  std::ifstream in = gleaner::testing::OpenShared("corpus/news-1MB.jsonl");
  if (!in) return;
  std::string line;
  int docs = 0;
  while (std::getline(in, line) && docs < 400) {
    auto j = nlohmann::json::parse(line);
    std::string dct = j["reference_date"].is_string() ? j["reference_date"].get<std::string>() : "";
    CheckSameDecisions(j["text"].get<std::string>(), dct);
    ++docs;
  }
  CHECK(docs == 400);
}

TEST_CASE("a rule whose match may begin inside a character is tried there too") {
  // \C matches any byte, so RE2 can begin a match at a UTF-8 continuation byte.
  gleaner::testing::TempDir dir;
  std::string pack = dir.Write("bytes.json", R"({"pack": "bytes", "rules": [
    {"id": "b.any_byte", "emit": "custom", "type": "t", "pattern": "\\Cb"},
    {"id": "b.word", "emit": "custom", "type": "w", "pattern": "\\bcaf\\x{e9}\\b"}]})");
  auto make = [&](bool exhaustive) {
    gleaner::ExtractorOptions o;
    o.load_default_packs = false;
    o.packs.push_back(pack);
    o.exhaustive = exhaustive;
    return Extractor::Create(o);
  };
  auto triggered = make(false), exhaustive = make(true);
  REQUIRE(triggered.ok());
  REQUIRE(exhaustive.ok());
  std::string text =
      "\xC3\xA9"
      "b caf\xC3\xA9 \xE2\x80\x9C"
      "b";
  auto a = triggered->Explain(text, {});
  auto b = exhaustive->Explain(text, {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->size() == 2);  // \Cb twice; RE2's \b is ASCII, so no boundary after "café"
  CHECK(Describe(*a) == Describe(*b));
}

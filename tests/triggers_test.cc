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

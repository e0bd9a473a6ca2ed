// Pack loading errors (file, line, rule id) and the engine's semantics on small packs written
// here: conflict order, vetoes, guards, span captures, fields, stages, custom normalisers.
#include <doctest/doctest.h>
#include <re2/re2.h>
#include <sys/stat.h>

#include "rules/builtin_rules.h"
#include "rules/data_file.h"
#include "test_util.h"

using namespace gleaner;
using gleaner::testing::TempDir;

namespace {

Result<Extractor> Load(const TempDir& dir, const std::string& pack,
                       const NormalizerRegistry* normalizers = nullptr) {
  ExtractorOptions o;
  o.load_default_packs = false;
  o.packs.push_back(dir.Write("pack.json", pack));
  o.normalizers = normalizers;
  return Extractor::Create(o);
}

std::vector<std::string> Texts(const Extraction& e) {
  std::vector<std::string> out;
  for (const Record& r : e.records) out.push_back(Base(r).text);
  return out;
}

}  // namespace

TEST_CASE("a missing pack is kNotFound, naming the path tried and how to give packs") {
  ExtractorOptions o;
  o.load_default_packs = false;
  o.packs.push_back("/nonexistent/pack.json");
  auto ex = Extractor::Create(o);
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().code() == StatusCode::kNotFound);
  const std::string message = ex.status().ToString();
  CHECK(message.find("/nonexistent/pack.json") != std::string::npos);
  CHECK(message.find("--rules-dir") != std::string::npos);
  CHECK(message.find("GLEANER_RULES_DIR") != std::string::npos);
}

TEST_CASE("the default packs are built into the library, byte for byte those of rules/") {
  std::size_t packs = 0;
  for (const internal::BuiltinRuleFile& file : internal::BuiltinRuleFiles()) {
    std::ifstream in(std::string(GLEANER_TEST_RULES_DIR) + "/" + std::string(file.path),
                     std::ios::binary);
    REQUIRE_MESSAGE(in.good(), file.path);
    std::string disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_MESSAGE(disk == file.bytes, file.path);
    packs += file.path.ends_with(".json");
  }
  CHECK(packs == 4);

  // With no directory given, they are what loads (a program needs no files beside it).
  std::string saved = std::getenv("GLEANER_RULES_DIR") ? std::getenv("GLEANER_RULES_DIR") : "";
  ::unsetenv("GLEANER_RULES_DIR");
  auto ex = Extractor::Create({});
  if (!saved.empty()) ::setenv("GLEANER_RULES_DIR", saved.c_str(), 1);
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  for (const PackInfo& info : ex->packs())
    CHECK(info.file.starts_with(std::string(internal::kBuiltinRulesDir) + "/"));
  auto got = ex->Extract("Nine climbers reached the summit near Kathmandu on Sunday.",
                         {.reference_date = "2022-05-02"});
  REQUIRE(got.ok());
  CHECK(got->records.size() >= 3);
}

TEST_CASE("a user pack can name the built-in gazetteer; a built-in file that is not there") {
  TempDir dir;
  const std::string gazetteer = std::string(internal::kBuiltinRulesDir) + "/gazetteer/";
  auto ex = Load(dir, R"({"pack": "mine", "gazetteers": {"world": {"places": ")" + gazetteer +
                          R"(places.tsv"}},
 "rules": [{"id": "mine.place", "emit": "location", "gazetteer": "world"}]})");
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto got = ex->Extract("They flew from Nairobi.", {});
  REQUIRE(got.ok());
  REQUIRE(got->records.size() == 1);
  CHECK(std::get<Location>(got->records[0]).country == "KE");

  auto missing = Load(dir, R"({"pack": "mine", "gazetteers": {"world": {"places": ")" + gazetteer +
                               R"(nowhere.tsv"}},
 "rules": [{"id": "mine.place", "emit": "location", "gazetteer": "world"}]})");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(missing.status().ToString().find("not among the files built into the library") !=
        std::string::npos);
}

TEST_CASE("a pack that is not JSON reports the line") {
  TempDir dir;
  auto ex = Load(dir, "{\n  \"pack\": \"x\",\n  \"rules\": [\n    {,}\n  ]\n}\n");
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().code() == StatusCode::kParseError);
  CHECK(ex.status().line() == 4);
  CHECK(ex.status().file().find("pack.json") != std::string::npos);
}

TEST_CASE("a number too large for a double is a parse error with its line, not a crash") {
  TempDir dir;
  auto ex = Load(dir, "{\"pack\": \"x\",\n \"version\": 1e999999}\n");
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().code() == StatusCode::kParseError);
  CHECK(ex.status().line() == 2);
}

TEST_CASE("rule errors name file, line and rule id") {
  TempDir dir;
  const std::string head = "// comment line\n{\"pack\": \"x\", \"rules\": [\n";
  SUBCASE("bad pattern") {
    auto ex = Load(dir, head +
                            "  {\"id\": \"a.ok\", \"emit\": \"date\", \"pattern\": \"x\"},\n"
                            "  {\"id\": \"a.bad\", \"emit\": \"date\", \"pattern\": \"(x\"}\n]}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().code() == StatusCode::kInvalidRule);
    CHECK(ex.status().rule_id() == "a.bad");
    CHECK(ex.status().line() == 4);
    CHECK(ex.status().ToString().find("pack.json:4: rule 'a.bad'") != std::string::npos);
  }
  SUBCASE("unknown key") {
    auto ex = Load(dir, head + "  {\"id\": \"a.typo\", \"emit\": \"date\", \"patern\": \"x\"}\n]}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().rule_id() == "a.typo");
    CHECK(ex.status().message().find("patern") != std::string::npos);
  }
  SUBCASE("unnamed capture") {
    auto ex =
        Load(dir, head + "  {\"id\": \"a.group\", \"emit\": \"date\", \"pattern\": \"(x)\"}\n]}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().message().find("unnamed") != std::string::npos);
  }
  SUBCASE("unknown normaliser") {
    auto ex = Load(dir, head +
                            "  {\"id\": \"a.n\", \"emit\": \"date\", \"pattern\": \"x\", "
                            "\"normalize\": \"nope\"}\n]}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().rule_id() == "a.n");
    CHECK(ex.status().message().find("nope") != std::string::npos);
  }
  SUBCASE("unknown lexicon") {
    auto ex = Load(
        dir, head + "  {\"id\": \"a.l\", \"emit\": \"date\", \"pattern\": \"{{lex:no}}\"}\n]}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().code() == StatusCode::kNotFound);
  }
  SUBCASE("duplicate id") {
    auto ex = Load(dir, head +
                            "  {\"id\": \"a\", \"emit\": \"date\", \"pattern\": \"x\"},\n"
                            "  {\"id\": \"a\", \"emit\": \"date\", \"pattern\": \"y\"}\n]}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().message().find("duplicate") != std::string::npos);
  }
  SUBCASE("field referring to a missing capture") {
    auto ex = Load(dir, head +
                            "  {\"id\": \"a.f\", \"emit\": \"custom\", \"type\": \"t\", "
                            "\"pattern\": \"x\", \"fields\": {\"v\": \"$nope\"}}\n]}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().rule_id() == "a.f");
  }
}

TEST_CASE("macro cycles are errors") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x", "macros": {"a": "{{b}}", "b": "{{a}}"}, "rules": []})");
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().message().find("cycle") != std::string::npos);
}

TEST_CASE("a pattern too large for its memory budget is a resource error, not a slow rule") {
  TempDir dir;
  ExtractorOptions o;
  o.load_default_packs = false;
  o.max_pattern_memory = 1 << 14;
  o.packs.push_back(dir.Write(
      "pack.json",
      R"({"pack": "x", "rules": [{"id": "big", "emit": "date", "pattern": "(?:[a-z]{50}){20}"}]})"));
  auto ex = Extractor::Create(o);
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().code() == StatusCode::kResourceLimit);
}

TEST_CASE("conflicts: priority, then length, then start, then declaration") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x", "rules": [
    {"id": "short", "emit": "custom", "type": "t", "pattern": "ab"},
    {"id": "long", "emit": "custom", "type": "t", "pattern": "abc"},
    {"id": "prio", "emit": "custom", "type": "t", "pattern": "cd", "priority": 5}
  ]})");
  REQUIRE(ex.ok());
  auto e = ex->Extract("abcd ab", {});
  REQUIRE(e.ok());
  // "cd" wins by priority, which removes "abc"; then "ab" takes the start.
  CHECK(Texts(*e) == std::vector<std::string>{"ab", "cd", "ab"});
  CHECK(std::get<Custom>(e->records[1]).rule_id == "prio");
}

TEST_CASE("vetoes remove overlapping candidates of their types only") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x", "rules": [
    {"id": "num", "emit": "count", "pattern": "[0-9]+"},
    {"id": "year", "emit": "date", "pattern": "[0-9]{4}"},
    {"id": "veto.money", "action": "veto", "veto": ["count"], "pattern": "\\$[0-9]+"}
  ]})");
  REQUIRE(ex.ok());
  auto e = ex->Extract("$5 and 1999", {});
  REQUIRE(e.ok());
  CHECK(Texts(*e) == std::vector<std::string>{"1999", "1999"});
  auto why = ex->Explain("$5 and 1999", {});
  REQUIRE(why.ok());
  bool vetoed = false;
  for (const Decision& d : *why)
    if (d.text == "5" && d.outcome == Decision::Outcome::kVetoed && d.by_rule == "veto.money")
      vetoed = true;
  CHECK(vetoed);
}

TEST_CASE("guards look at the text next to the match") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x", "rules": [
    {"id": "may", "emit": "date", "pattern": "\\bMay\\b", "before": "\\bin\\s+$",
     "not_after": "\\s+be"}
  ]})");
  REQUIRE(ex.ok());
  auto e = ex->Extract("They May go. It was in May. It ended in May be.", {});
  REQUIRE(e.ok());
  REQUIRE(e->records.size() == 1);
  CHECK(Base(e->records[0]).span.begin == std::string("They May go. It was in ").size());
}

TEST_CASE("a normaliser that reads the document's dates is run again once they are decided") {
  TempDir dir;
  NormalizerRegistry reg;
  // "that year" takes the year of the last date before it; with none it is rejected.
  reg.Register("test.that_year", [](const MatchView& m, Fields& out) {
    std::string year;
    for (const MatchView::DateMention& d : m.dates())
      if (d.span.end <= m.span().begin && d.value.size() >= 4) year = d.value.substr(0, 4);
    out.emplace_back("value", year.empty() ? std::string("pending") : year);
    return !(year.empty() && !m.dates().empty());
  });
  auto ex = Load(dir, R"({"pack": "x", "rules": [
      {"id": "year", "emit": "date", "pattern": "\\b(?P<y>[0-9]{4})\\b",
       "fields": {"value": "$y"}},
      {"id": "that", "emit": "date", "pattern": "\\bthat year\\b", "normalize": "test.that_year"}
    ]})",
                 &reg);
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto e = ex->Extract("In 1990 it rained; that year the river rose. In 1994 too, that year.", {});
  REQUIRE(e.ok());
  std::vector<std::string> values;
  for (const Record& r : e->records) values.push_back(std::get<Date>(r).value);
  CHECK(values == std::vector<std::string>{"1990", "1990", "1994", "1994"});
  // With no date before it, the second reading rejects it: dropped by the dates pass.
  auto lone = ex->Explain("Then that year was odd; 2001 was not.", {});
  REQUIRE(lone.ok());
  int dropped = 0;
  for (const Decision& d : *lone)
    if (d.outcome == Decision::Outcome::kDropped) {
      ++dropped;
      CHECK(d.by_rule == "pass:dates");
    }
  CHECK(dropped == 1);
}

TEST_CASE("a normaliser searches with its pack's macros, compiled once (MatchView::pattern)") {
  TempDir dir;
  NormalizerRegistry reg;
  reg.Register("test.urgent", [](const MatchView& m, Fields& out) {
    if (m.pattern("no_such_macro") != nullptr) return false;
    const re2::RE2* urgent = m.pattern("urgent_words");
    if (urgent == nullptr) return false;
    Span s = m.sentence();
    std::string sentence(m.document().substr(s.begin, s.size()));
    out.emplace_back("urgent", re2::RE2::PartialMatch(sentence, *urgent));
    return true;
  });
  auto ex = Load(dir, R"({"pack": "x",
    "lexicons": {"alarm": {"terms": ["at once", "immediately"]}},
    "macros": {"urgent_words": "(?i)\\b(?:{{lex:alarm}})\\b"},
    "rules": [{"id": "call", "emit": "custom", "type": "call", "normalize": "test.urgent",
               "pattern": "\\bcall\\b"}]})",
                 &reg);
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto e = ex->Extract("Please call at once. Or call later.", {});
  REQUIRE(e.ok());
  REQUIRE(e->records.size() == 2);
  auto urgent = [](const Record& r) {
    for (const auto& [k, v] : std::get<Custom>(r).fields)
      if (k == "urgent") return std::get<bool>(v);
    return false;
  };
  CHECK(urgent(e->records[0]));
  CHECK_FALSE(urgent(e->records[1]));
}

TEST_CASE("a normaliser reads the document's token stream (MatchView::tokens, key)") {
  TempDir dir;
  NormalizerRegistry reg;
  // The key of the word after the match, and how many capitalised words its sentence has.
  reg.Register("test.next_word", [](const MatchView& m, Fields& out) {
    Span s = m.sentence();
    double capitalised = 0;
    std::string next;
    for (const Token& t : m.tokens()) {
      if (t.begin >= s.begin && t.end <= s.end && t.capitalised) ++capitalised;
      if (next.empty() && t.begin >= m.span().end) next = std::string(m.key(t));
    }
    out.emplace_back("next", next);
    out.emplace_back("capitalised", capitalised);
    return true;
  });
  auto ex = Load(dir, R"({"pack": "x", "rules": [
      {"id": "n", "emit": "custom", "type": "n", "normalize": "test.next_word",
       "pattern": "\\bsaw\\b"}]})",
                 &reg);
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto e = ex->Extract("Ana saw Ériu's BOATS. Then rain.", {});
  REQUIRE(e.ok());
  REQUIRE(e->records.size() == 1);
  std::map<std::string, FieldValue> f(std::get<Custom>(e->records[0]).fields.begin(),
                                      std::get<Custom>(e->records[0]).fields.end());
  CHECK(std::get<std::string>(f["next"]) == "eriu");
  CHECK(std::get<double>(f["capitalised"]) == 3);  // Ana, Ériu, BOATS
}

TEST_CASE("a pack's number_scales lexicon gives the number normaliser its scale words") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x",
    "lexicons": {"number_scales": {"terms": {"lakh": "1e5", "crore": "1e7"}}},
    "rules": [
      {"id": "amount", "emit": "custom", "type": "amount", "normalize": "number",
       "pattern": "\\b(?P<number>[0-9.]+ (?:lakh|crore))\\b"}
    ]})");
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto e = ex->Extract("Sales of 3 lakh rupees, debts of 1.5 crore.", {});
  REQUIRE(e.ok());
  REQUIRE(e->records.size() == 2);
  std::map<std::string, FieldValue> first(std::get<Custom>(e->records[0]).fields.begin(),
                                          std::get<Custom>(e->records[0]).fields.end());
  std::map<std::string, FieldValue> second(std::get<Custom>(e->records[1]).fields.begin(),
                                           std::get<Custom>(e->records[1]).fields.end());
  CHECK(std::get<double>(first["value"]) == doctest::Approx(3e5));
  CHECK(std::get<double>(second["value"]) == doctest::Approx(1.5e7));
}

TEST_CASE("span captures, capture fields, lexicon values and constants") {
  TempDir dir;
  NormalizerRegistry reg;
  reg.Register("test.unit", [](const MatchView& m, Fields& out) {
    auto v = m.capture_value("unit");
    if (!v) return false;
    out.emplace_back("unit", std::string(*v));
    out.emplace_back("amount", std::stod(std::string(*m.capture("amount"))));
    return *m.capture("amount") != "0";  // a normaliser may reject
  });
  auto ex = Load(dir, R"({"pack": "x",
    "lexicons": {"unit": {"terms": {"mg": "milligram", "g": "gram"}}},
    "rules": [
      {"id": "dose", "emit": "custom", "type": "dose", "normalize": "test.unit",
       "pattern": "take (?P<what>(?P<amount>[0-9]+) ?(?P<unit>{{lex:unit}}))\\b", "span": "what",
       "fields": {"source": "rule", "raw": "$amount"}}
    ]})",
                 &reg);
  REQUIRE(ex.ok());
  auto e = ex->Extract("Please take 5 MG now, not take 0 g.", {});
  REQUIRE(e.ok());
  REQUIRE(e->records.size() == 1);
  const auto& dose = std::get<Custom>(e->records[0]);
  CHECK(dose.text == "5 MG");
  CHECK(dose.type == "dose");
  std::map<std::string, FieldValue> f(dose.fields.begin(), dose.fields.end());
  CHECK(std::get<std::string>(f["unit"]) == "milligram");
  CHECK(std::get<double>(f["amount"]) == 5.0);
  CHECK(std::get<std::string>(f["source"]) == "rule");
  CHECK(std::get<std::string>(f["raw"]) == "5");
}

TEST_CASE("an earlier stage wins over a later one whatever the length") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x", "rules": [
    {"id": "late", "emit": "custom", "type": "t", "pattern": "abcdef", "stage": 2},
    {"id": "early", "emit": "custom", "type": "t", "pattern": "cd", "stage": 1}
  ]})");
  REQUIRE(ex.ok());
  auto e = ex->Extract("abcdef", {});
  REQUIRE(e.ok());
  CHECK(Texts(*e) == std::vector<std::string>{"cd"});
}

TEST_CASE("embedded tests and examples run and report failures with their line") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x", "rules": [
    {"id": "word", "emit": "custom", "type": "w", "pattern": "\\bcat\\b",
     "examples": ["cat", "dog"], "counter_examples": ["concatenate"]}
  ],
  "tests": [
    {"text": "a cat", "expect": [{"type": "w", "text": "cat"}]},
    {"text": "a cat and a cat", "expect": [{"type": "w", "text": "cat"}], "exhaustive": true}
  ]})");
  REQUIRE(ex.ok());
  auto results = ex->RunPackTests("x");
  REQUIRE(results.size() == 5);
  int failed = 0;
  for (const auto& r : results) failed += !r.passed;
  CHECK(failed == 2);  // example "dog" and the exhaustive test with a second "cat"
  for (const auto& r : results)
    if (!r.passed) CHECK(r.line > 0);
}

TEST_CASE("the prefilter returns what exhaustive matching returns") {
  std::string text =
      "OSLO, Sept. 6, 2021 -- Thousands of fishermen blocked the harbour on Sunday. \"We will "
      "not move,\" said Ingrid Dahl, adding that 25 boats were seized two days ago. "
      "Officers in Bergen held at least 12 Swedish crew last week; 40% of them were "
      "women.\n\nOn March 3, 1997, the cooperative earned $5 million, up from 4.1 mln crowns.";
  auto o = gleaner::testing::DefaultOptions();
  o.exhaustive = true;
  auto exhaustive = Extractor::Create(o);
  REQUIRE(exhaustive.ok());
  auto a = gleaner::testing::DefaultExtractor().Extract(text, {});
  auto b = exhaustive->Extract(text, {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->records.size() > 8);
  CHECK(Texts(*a) == Texts(*b));
}

TEST_CASE("a case-sensitive lexicon stays case-sensitive inside a case-insensitive rule") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x",
    "lexicons": {"abbr": {"case_sensitive": true, "terms": ["US"]}},
    "rules": [{"id": "r", "emit": "custom", "type": "t", "case_insensitive": true,
               "pattern": "\\b{{lex:abbr}}\\b"}]})");
  REQUIRE(ex.ok());
  auto e = ex->Extract("let us win in the US", {});
  REQUIRE(e.ok());
  REQUIRE(e->records.size() == 1);
  CHECK(Base(e->records[0]).text == "US");
}

TEST_CASE("values of the wrong type are load errors that name file, line, rule and key") {
  TempDir dir;
  struct Case {
    const char* pack;
    int line;
    const char* id;
    const char* key;
  };
  for (const Case& c : std::vector<Case>{
           {"{\"pack\": \"x\",\n \"description\": 5, \"rules\": []}", 2, "", "description"},
           {"{\"pack\": \"x\", \"lexicons\": {\n\"l\": {\"case_sensitive\": \"yes\", \"terms\": "
            "[\"a\"]}}}",
            2, "lex:l", "case_sensitive"},
           {"{\"pack\": \"x\", \"rules\": [\n{\"id\": \"r\", \"emit\": \"date\", \"pattern\": "
            "\"a\", "
            "\"stage\": 4294967297}]}",
            2, "r", "stage"},
           {"{\"pack\": \"x\", \"rules\": [\n\n{\"id\": \"r\", \"emit\": \"date\", \"pattern\": "
            "\"a\", "
            "\"case_insensitive\": \"yes\"}]}",
            3, "r", "case_insensitive"},
           {"{\"pack\": \"x\", \"rules\": [\n{\"id\": \"r\", \"action\": 5, \"pattern\": \"a\"}]}",
            2, "r", "action"},
           {"{\"pack\": \"x\", \"tests\": [\n{\"text\": \"a\", \"exhaustive\": \"no\"}]}", 2,
            "test 1", "exhaustive"},
           {"{\"pack\": \"x\", \"tests\": [\n{\"text\": \"a\", \"expect\": [{\"type\": 5, "
            "\"text\": "
            "\"a\"}]}]}",
            2, "test 1", "type"},
           {"{\"pack\": \"x\", \"gazetteers\": {\n\"g\": {\"places\": \"p.tsv\", "
            "\"min_population\": "
            "\"many\"}}}",
            2, "gazetteer:g", "min_population"}}) {
    CAPTURE(c.pack);
    auto ex = Load(dir, c.pack);
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().file().find("pack.json") != std::string::npos);
    CHECK(ex.status().line() == c.line);
    CHECK(ex.status().rule_id() == c.id);
    CHECK(ex.status().message().find(c.key) != std::string::npos);
  }
}

TEST_CASE("only regular files are read as packs, lexicons and gazetteers") {
  TempDir dir;
  std::string fifo = (dir.path() / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::filesystem::create_directory(dir.path() / "sub");
  for (const char* file : {"fifo", "sub", "/dev/zero"}) {
    CAPTURE(file);
    // A lexicon file: the error is placed at the lexicon in the pack.
    auto ex = Load(dir, std::string("{\"pack\": \"x\", \"lexicons\": {\n\"l\": {\"file\": \"") +
                            file + "\"}}}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().line() == 2);
    CHECK(ex.status().rule_id() == "lex:l");
    CHECK(ex.status().message().find(file) != std::string::npos);
    // A gazetteer file.
    ex = Load(dir, std::string("{\"pack\": \"x\", \"gazetteers\": {\n\"g\": {\"places\": \"") +
                       file + "\"}}}");
    REQUIRE_FALSE(ex.ok());
    CHECK(ex.status().rule_id() == "gazetteer:g");
    // The pack itself.
    ExtractorOptions o;
    o.load_default_packs = false;
    o.packs.push_back(file[0] == '/' ? std::string(file) : (dir.path() / file).string());
    auto direct = Extractor::Create(o);
    REQUIRE_FALSE(direct.ok());
    CHECK((direct.status().message().find("not a regular file") != std::string::npos ||
           direct.status().message().find("is a directory") != std::string::npos));
  }
}

TEST_CASE("fields may not shadow what every record has; vetoes must name a real type") {
  TempDir dir;
  auto reserved = Load(dir, R"({"pack": "x", "rules": [{"id": "r", "emit": "custom", "type": "t",
    "pattern": "a", "fields": {"begin": 5}}]})");
  REQUIRE_FALSE(reserved.ok());
  CHECK(reserved.status().rule_id() == "r");
  auto veto = Load(dir, R"({"pack": "x", "rules": [
    {"id": "v", "action": "veto", "veto": ["dates"], "pattern": "a"}]})");
  REQUIRE_FALSE(veto.ok());
  CHECK(veto.status().rule_id() == "v");
  CHECK(veto.status().message().find("dates") != std::string::npos);
}

TEST_CASE("deeply nested macros load quickly or hit the size limit") {
  TempDir dir;
  std::string macros = R"("m0": "ab")";
  for (int i = 1; i <= 30; ++i)
    macros += ", \"m" + std::to_string(i) + "\": \"{{m" + std::to_string(i - 1) + "}}{{m" +
              std::to_string(i - 1) + "}}\"";
  auto ex = Load(dir, "{\"pack\": \"x\", \"macros\": {" + macros + "}, \"rules\": []}");
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().code() == StatusCode::kResourceLimit);
}

TEST_CASE("lexicon patterns match the folded spelling that lookups accept") {
  TempDir dir;
  auto ex = Load(dir, R"({"pack": "x",
    "lexicons": {"city": {"terms": {"São Paulo": "BR"}}},
    "rules": [{"id": "r", "emit": "custom", "type": "city", "pattern": "\\b(?P<city>{{lex:city}})\\b",
               "fields": {"name": "$city"}}]})");
  REQUIRE(ex.ok());
  auto e = ex->Extract("From SAO PAULO to São Paulo and sao paulo.", {});
  REQUIRE(e.ok());
  CHECK(e->records.size() == 3);
}

TEST_CASE("a pack's dateline macros set the reference date; a broken one is a load error") {
  TempDir dir;
  auto ex = Load(dir, R"J({"pack": "x",
    "lexicons": {"month": {"terms": {"Brumaire": "11"}}},
    "macros": {"dateline_1": "^(?P<day>\\d+) (?P<month>{{lex:month}}) (?P<year>\\d{4})\\b"},
    "rules": [{"id": "n", "emit": "custom", "type": "t", "pattern": "x"}]})J");
  REQUIRE(ex.ok());
  auto e = ex->Extract("18 Brumaire 1799 x", {});
  REQUIRE(e.ok());
  CHECK(e->reference_date == "1799-11-18");
  auto none = ex->Extract("x on 18 Brumaire 1799", {});
  REQUIRE(none.ok());
  CHECK(none->reference_date.empty());

  auto bad = Load(dir, R"J({"pack": "y",
    "macros": {"dateline_1": "^(?P<day>\\d+) (?P<year>\\d{4})"},
    "rules": [{"id": "n", "emit": "custom", "type": "t", "pattern": "x"}]})J");
  REQUIRE(!bad.ok());
  CHECK(bad.status().message().find("(?P<month>") != std::string::npos);
  CHECK(bad.status().rule_id() == "macro:dateline_1");
}

TEST_CASE("packs load side by side yet keep their order; a pack naming another loads after it") {
  TempDir dir;
  ExtractorOptions o;
  o.load_default_packs = false;
  o.packs.push_back(dir.Write("a.json", R"J({"pack": "a", "macros": {"num": "[0-9]+"},
    "rules": [{"id": "a.n", "emit": "custom", "type": "t", "pattern": "n{{num}}"}]})J"));
  o.packs.push_back(dir.Write("b.json", R"J({"pack": "b",
    "rules": [{"id": "b.n", "emit": "custom", "type": "t", "pattern": "n[0-9]+"}]})J"));
  o.packs.push_back(dir.Write("c.json", R"J({"pack": "c",
    "rules": [{"id": "c.k", "emit": "custom", "type": "u", "pattern": "k{{pack:a/num}}"}]})J"));
  auto ex = Extractor::Create(o);
  REQUIRE(ex.ok());
  auto e = ex->Extract("n12 k34", {});
  REQUIRE(e.ok());
  REQUIRE(e->records.size() == 2);
  // Same span, priority and stage: the rule declared first (pack a) wins.
  CHECK(std::get<Custom>(e->records[0]).rule_id == "a.n");
  CHECK(std::get<Custom>(e->records[1]).rule_id == "c.k");
  // A rule id used twice is an error naming the later pack, whichever loaded first.
  o.packs.push_back(dir.Write("d.json", R"J({"pack": "d",
    "rules": [{"id": "b.n", "emit": "custom", "type": "t", "pattern": "x"}]})J"));
  auto dup = Extractor::Create(o);
  REQUIRE(!dup.ok());
  CHECK(dup.status().file().find("d.json") != std::string::npos);
  CHECK(dup.status().rule_id() == "b.n");
}

TEST_CASE("extend_before joins the text before the match to the record's span") {
  TempDir dir;
  auto ex = Load(dir, R"J({"pack": "x", "rules": [
    {"id": "paper", "emit": "custom", "type": "t", "pattern": "\\b(?:Gazette|Courier)\\b",
     "extend_before": "\\b[A-Z][a-z]+\\s+"}]})J");
  REQUIRE(ex.ok());
  auto e = ex->Extract("the Dunmore Gazette and a courier, then the Courier", {});
  REQUIRE(e.ok());
  // The extension is required, like a before guard: a Courier after a lower-case word is none.
  CHECK(Texts(*e) == std::vector<std::string>{"Dunmore Gazette"});
  CHECK(std::get<Custom>(e->records[0]).span.begin == 4);
  // The same with every rule searched everywhere.
  ExtractorOptions o;
  o.load_default_packs = false;
  o.exhaustive = true;
  o.packs.push_back(dir.path() / "pack.json");
  auto exhaustive = Extractor::Create(o);
  REQUIRE(exhaustive.ok());
  auto f = exhaustive->Extract("the Dunmore Gazette and a courier, then the Courier", {});
  REQUIRE(f.ok());
  CHECK(Texts(*f) == Texts(*e));
}

TEST_CASE("a second pack of the same name, or a broken pack, fails while gazetteers load") {
  TempDir dir;
  ExtractorOptions o = gleaner::testing::DefaultOptions();
  // Named like a default pack that reads a gazetteer: refused, and only one reading of it.
  o.packs.push_back(dir.Write("again.json", R"J({"pack": "locations",
    "rules": [{"id": "again.x", "emit": "custom", "type": "t", "pattern": "x"}]})J"));
  auto twice = Extractor::Create(o);
  REQUIRE(!twice.ok());
  CHECK(twice.status().message().find("a pack named \"locations\" is already loaded") !=
        std::string::npos);
  CHECK(twice.status().file().find("again.json") != std::string::npos);
  // A broken pack beside the default ones: its error, after the gazetteer's thread is done.
  o.packs = {dir.Write("broken.json", R"J({"pack": "broken",
    "rules": [{"id": "broken.x", "emit": "custom", "type": "t", "pattern": "("}]})J")};
  auto broken = Extractor::Create(o);
  REQUIRE(!broken.ok());
  CHECK(broken.status().rule_id() == "broken.x");
}

namespace {

// The fields of the one custom record of `e`.
Fields OnlyCustomFields(const Extraction& e) {
  REQUIRE(e.records.size() == 1);
  return std::get<Custom>(e.records[0]).fields;
}

}  // namespace

TEST_CASE("a capture name used twice is named in the error") {
  TempDir dir;
  auto ex = Load(dir, R"J({"pack": "p", "rules": [{"id": "p.twice", "emit": "custom", "type": "t",
    "pattern": "(?P<size>big)|(?P<size>small)"}]})J");
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().rule_id() == "p.twice");
  CHECK(ex.status().message().find("capture name \"size\" is used twice") != std::string::npos);
}

TEST_CASE("fields read a capture's text, lexicon value or number, without C++") {
  TempDir dir;
  const std::string pack = R"J({"pack": "p",
    "lexicons": {"fruit": {"terms": {"apples": "MALUS", "pears": "PYRUS"}},
                 "number_scales": {"terms": {"dozen": "12"}}},
    "rules": [{"id": "p.crate", "emit": "custom", "type": "crate",
      "pattern": "(?P<qty>[0-9]+(?: dozen)?) (?P<fruit>{{lex:fruit}})",
      "fields": {"said": "$qty", "how_many": "$qty.number", "genus": "$fruit.value",
                 "source": "market"}}]})J";
  auto ex = Load(dir, pack);
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto got = ex->Extract("They sold 3 dozen pears.", {});
  REQUIRE(got.ok());
  Fields f = OnlyCustomFields(*got);
  auto field = [&](const std::string& name) {
    for (const auto& [k, v] : f)
      if (k == name) return v;
    return FieldValue{};
  };
  CHECK(std::get<std::string>(field("said")) == "3 dozen");
  CHECK(std::get<double>(field("how_many")) == 36);
  CHECK(std::get<std::string>(field("genus")) == "PYRUS");
  CHECK(std::get<std::string>(field("source")) == "market");

  auto bad_kind = Load(dir, R"J({"pack": "p", "rules": [{"id": "p.x", "emit": "custom",
    "type": "t", "pattern": "(?P<n>[0-9]+)", "fields": {"v": "$n.double"}}]})J");
  REQUIRE_FALSE(bad_kind.ok());
  CHECK(bad_kind.status().message().find("\"$n.double\" is not") != std::string::npos);
  auto no_lexicon = Load(dir, R"J({"pack": "p", "rules": [{"id": "p.x", "emit": "custom",
    "type": "t", "pattern": "(?P<n>[0-9]+)", "fields": {"v": "$n.value"}}]})J");
  REQUIRE_FALSE(no_lexicon.ok());
  CHECK(no_lexicon.status().message().find("needs a lexicon for the capture") != std::string::npos);
}

TEST_CASE("a built-in normaliser takes its capture names and output field from args") {
  TempDir dir;
  auto ex = Load(dir, R"J({"pack": "p", "rules": [{"id": "p.weight", "emit": "custom",
    "type": "weight", "pattern": "(?P<kilos>[0-9][0-9,]*) ?kg", "normalize": "number",
    "args": {"capture:number": "kilos", "field": "kilograms"}}]})J");
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto got = ex->Extract("The parcel weighed 1,250 kg.", {});
  REQUIRE(got.ok());
  Fields f = OnlyCustomFields(*got);
  REQUIRE(f.size() == 1);
  CHECK(f[0].first == "kilograms");
  CHECK(std::get<double>(f[0].second) == 1250);

  auto missing = Load(dir, R"J({"pack": "p", "rules": [{"id": "p.weight", "emit": "custom",
    "type": "weight", "pattern": "(?P<kilos>[0-9]+)", "normalize": "number",
    "args": {"capture:number": "grams"}}]})J");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("\"capture:number\" names missing capture \"grams\"") !=
        std::string::npos);
}

TEST_CASE("explain gives the reason a normaliser rejected a candidate") {
  TempDir dir;
  NormalizerRegistry reg;
  reg.Register("odd.only", [](const MatchView& m, Fields&) {
    if ((m.text().back() - '0') % 2 == 0) {
      m.reject_reason("an even number");
      return false;
    }
    return true;
  });
  reg.Register("never", [](const MatchView&, Fields&) { return false; });
  auto ex = Load(dir, R"J({"pack": "p", "rules": [
    {"id": "p.odd", "emit": "custom", "type": "n", "pattern": "\\b[0-9]\\b", "normalize": "odd.only"},
    {"id": "p.word", "emit": "custom", "type": "w", "pattern": "\\bzz\\b", "normalize": "never"}]})J",
                 &reg);
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto decisions = ex->Explain("3 and 4 and zz", {});
  REQUIRE(decisions.ok());
  REQUIRE(decisions->size() == 3);
  CHECK((*decisions)[0].outcome == Decision::Outcome::kAccepted);
  CHECK((*decisions)[0].reason.empty());
  CHECK((*decisions)[1].outcome == Decision::Outcome::kRejected);
  CHECK((*decisions)[1].reason == "an even number");
  CHECK((*decisions)[2].reason == "normaliser \"never\" returned false");
}

TEST_CASE("counter examples are checked with the rule's guards") {
  TempDir dir;
  const std::string head = R"J({"pack": "p", "rules": [{"id": "p.code", "emit": "custom",
    "type": "code", "pattern": "\\b[A-Z]{3}\\b", "not_before": "the $", )J";
  auto ex = Load(dir, head + R"J("counter_examples": ["the ABC"]}]})J");
  REQUIRE_MESSAGE(ex.ok(), ex.status().ToString());
  auto results = ex->RunPackTests();
  REQUIRE(results.size() == 1);
  CHECK(results[0].passed);  // the guard keeps the rule off "the ABC"
  auto failing = Load(dir, head + R"J("counter_examples": ["a XYZ"]}]})J");
  REQUIRE(failing.ok());
  results = failing->RunPackTests();
  REQUIRE(results.size() == 1);
  CHECK_FALSE(results[0].passed);
  CHECK(results[0].message.find("makes a record of \"XYZ\" (accepted)") != std::string::npos);
}

TEST_CASE("a normaliser the program lacks: the error says how to register one") {
  TempDir dir;
  auto ex = Load(dir, R"J({"pack": "p", "rules": [{"id": "p.x", "emit": "custom", "type": "t",
    "pattern": "x", "normalize": "not.here"}]})J");
  REQUIRE_FALSE(ex.ok());
  CHECK(ex.status().message().find("unknown normaliser \"not.here\"") != std::string::npos);
  CHECK(ex.status().message().find("NormalizerRegistry::Register") != std::string::npos);
}

#include "gleaner/extractor.h"

#include <cmath>
#include <set>

#include "engine.h"
#include "gleaner/json.h"

namespace gleaner {

const char* OutcomeName(Decision::Outcome outcome) {
  switch (outcome) {
    case Decision::Outcome::kAccepted:
      return "accepted";
    case Decision::Outcome::kVetoed:
      return "vetoed";
    case Decision::Outcome::kLostConflict:
      return "lost";
    case Decision::Outcome::kRejected:
      return "rejected";
    case Decision::Outcome::kVetoRule:
      return "veto";
    case Decision::Outcome::kDropped:
      return "dropped";
  }
  return "?";
}

Extractor::Extractor(std::shared_ptr<const internal::Engine> engine) : engine_(std::move(engine)) {}

Result<Extractor> Extractor::Create(const ExtractorOptions& options) {
  auto engine = internal::Engine::Build(options);
  if (!engine.ok()) return engine.status();
  return Extractor(std::move(engine.value()));
}

Result<Extraction> Extractor::Extract(std::string_view text, const DocumentContext& context) const {
  return engine_->Extract(text, context);
}

Result<std::vector<Decision>> Extractor::Explain(std::string_view text,
                                                 const DocumentContext& context) const {
  return engine_->Explain(text, context);
}

std::vector<PackInfo> Extractor::packs() const { return engine_->packs(); }

namespace {

// An expected field matches when equal; numbers compare with a small tolerance and an
// expected null matches an absent or null field.
bool FieldMatches(const nlohmann::json& want, const nlohmann::json& got) {
  if (want.is_null()) return got.is_null();
  if (want.is_number() && got.is_number())
    return std::fabs(want.get<double>() - got.get<double>()) < 1e-6;
  return want == got;
}

}  // namespace

std::vector<PackTestResult> Extractor::RunPackTests(std::string_view pack) const {
  std::vector<PackTestResult> results = engine_->RunRuleExamples(pack);
  for (const auto& p : engine_->pack_list()) {
    if (!pack.empty() && p->name != pack) continue;
    for (const internal::PackTest& test : p->tests) {
      PackTestResult r{
          p->name,   p->file,
          test.line, "test " + std::to_string(test.index + 1) + ": " + test.text.substr(0, 60),
          true,      ""};
      DocumentContext ctx{"test", test.dct, true};
      auto got = engine_->Extract(test.text, ctx);
      if (!got.ok()) {
        r.passed = false;
        r.message = got.status().ToString();
        results.push_back(std::move(r));
        continue;
      }
      std::vector<nlohmann::json> records;
      for (const Record& rec : got->records) records.push_back(rec);
      std::vector<bool> used(records.size(), false);
      // An exhaustive test allows no other records of the types it expects or its pack emits.
      std::set<std::string> expected_types;
      for (const auto& rule : p->rules)
        if (rule.kind != internal::RecordKind::kVeto)
          expected_types.insert(rule.kind == internal::RecordKind::kCustom
                                    ? rule.custom_type
                                    : internal::RecordKindName(rule.kind));
      for (const auto& want : test.expect) {
        expected_types.insert(want["type"].get<std::string>());
        bool found = false;
        std::string near;
        for (std::size_t i = 0; i < records.size() && !found; ++i) {
          const auto& rec = records[i];
          if (used[i] || rec["type"] != want["type"] || rec["text"] != want["text"]) continue;
          std::string diff;
          for (auto it = want.begin(); it != want.end(); ++it) {
            auto g = rec.find(it.key());
            nlohmann::json gv = g == rec.end() ? nlohmann::json(nullptr) : *g;
            if (!FieldMatches(it.value(), gv))
              diff += " " + it.key() + "=" + gv.dump() + " (want " + it.value().dump() + ")";
          }
          if (diff.empty()) {
            used[i] = found = true;
          } else {
            near = "found it with" + diff;
          }
        }
        if (!found) {
          r.passed = false;
          r.message += "missing " + want.dump() + (near.empty() ? "" : ": " + near) + "; ";
        }
      }
      if (test.exhaustive) {
        for (std::size_t i = 0; i < records.size(); ++i) {
          if (!used[i] && expected_types.count(records[i]["type"].get<std::string>())) {
            r.passed = false;
            r.message += "unexpected " + records[i]["type"].get<std::string>() + " \"" +
                         records[i]["text"].get<std::string>() + "\" (rule " +
                         records[i]["rule"].get<std::string>() + "); ";
          }
        }
      }
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace gleaner

// The engine behind gleaner::Extractor: compiled packs, triggered matching by stage,
// candidate generation, vetoes, the conflict order, normalisers and the document passes.
#ifndef GLEANER_LIB_ENGINE_H_
#define GLEANER_LIB_ENGINE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "date/dateline.h"
#include "gleaner/extractor.h"
#include "gleaner/normalizer.h"
#include "location/gazetteer.h"
#include "rules/pack.h"
#include "text/text.h"

namespace re2 {
class RE2;
class StringPiece;
}  // namespace re2

namespace gleaner::internal {

struct PreparedText;
struct Candidate;
class QuoteAttributor;

class Engine {
 public:
  static Result<std::shared_ptr<const Engine>> Build(const ExtractorOptions& options);
  ~Engine();

  Result<Extraction> Extract(std::string_view text, const DocumentContext& context) const;
  Result<std::vector<Decision>> Explain(std::string_view text,
                                        const DocumentContext& context) const;
  // Checks every rule's "examples" (whole match) and "counter_examples" (no match).
  std::vector<PackTestResult> RunRuleExamples(std::string_view pack) const;
  std::vector<PackInfo> packs() const;
  const std::vector<std::unique_ptr<Pack>>& pack_list() const { return packs_; }

  // The first lexicon called `name` in load order, or nullptr. Used by document passes.
  const Lexicon* FindLexicon(std::string_view name) const;

 private:
  struct CompiledRule;
  struct Stage;
  struct Run;
  struct RuleCursor;
  // A match found in a window, before it becomes a candidate.
  struct PendingCandidate {
    std::size_t rule;
    Span match, span, window;
    std::vector<std::pair<int, Span>> captures;
    bool captures_read = false;
  };

  Engine();
  Status Compile(const ExtractorOptions& options);
  Result<Extraction> ExtractOrThrow(std::string_view text, const DocumentContext& context) const;
  Result<std::vector<Decision>> ExplainOrThrow(std::string_view text,
                                               const DocumentContext& context) const;
  Status Run_(std::string_view text, const DocumentContext& context, Run& run) const;
  void Generate(Run& run) const;
  void SearchWindow(Run& run, const Stage& stage, Span window,
                    std::vector<PendingCandidate>* out) const;
  void TriggerWindow(Run& run, const Stage& stage, Span window,
                     std::vector<PendingCandidate>* out) const;
  bool BeforeGuardsHold(const CompiledRule& rule, const std::string& flat, Span window,
                        std::size_t begin, std::size_t* extended_begin) const;
  void TakeMatch(Run& run, std::size_t rule_index, Span window, Span match, RuleCursor* cursor,
                 std::vector<re2::StringPiece>* groups, std::vector<PendingCandidate>* out) const;
  // False when the document already has ExtractorOptions::max_candidates.
  bool AddCandidate(Run& run, std::size_t rule_index, Span match, Span span, Span window = {},
                    std::vector<std::pair<int, Span>> captures = {},
                    bool captures_read = true) const;
  bool ReadCaptures(Run& run, std::size_t rule_index, Span window, Span match,
                    std::vector<re2::StringPiece>* groups,
                    std::vector<std::pair<int, Span>>* captures) const;
  void Normalize(Run& run, Candidate& c,
                 const std::vector<MatchView::DateMention>* dates = nullptr) const;
  void AnchorDates(Run& run) const;
  void Resolve(Run& run) const;
  void BuildRecords(Run& run, Extraction& out) const;

  ExtractorOptions options_;
  std::vector<std::unique_ptr<Pack>> packs_;
  std::vector<std::unique_ptr<CompiledRule>> rules_;
  std::vector<std::unique_ptr<Stage>> stages_;
  std::map<std::string, Gazetteer> gazetteers_;  // "pack/name" -> gazetteer
  NormalizerRegistry normalizers_;
  std::unique_ptr<QuoteAttributor> quotes_;  // from the first pack that emits quotes
  AbbreviationTest abbreviations_;           // the first pack's "sentence_abbreviations"
  std::vector<DatelineForm> datelines_;      // the first pack's "dateline_*" macros
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_ENGINE_H_

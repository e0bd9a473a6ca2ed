// gleaner::Extractor: typed records (dates, counts, locations, quotations) out of news text.
//
//   #include <gleaner/gleaner.h>
//
//   gleaner::ExtractorOptions options;              // default packs from the rules directory
//   auto extractor = gleaner::Extractor::Create(options);
//   if (!extractor.ok()) { std::cerr << extractor.status().ToString() << "\n"; return 1; }
//
//   gleaner::DocumentContext context{.id = "doc-1", .reference_date = "2020-09-06"};
//   auto extraction = extractor->Extract("25 students were released on Saturday.", context);
//   if (!extraction.ok()) { ... }
//   for (const gleaner::Record& record : extraction->records) {
//     if (auto* count = std::get_if<gleaner::Count>(&record)) {
//       // count->value == 25, count->entity == "students", count->event == "released"
//     }
//   }
//
// An Extractor is immutable once created: one instance may be shared by any number of threads,
// each calling Extract concurrently. Copies are cheap and share the compiled rules.
#ifndef GLEANER_EXTRACTOR_H_
#define GLEANER_EXTRACTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gleaner/normalizer.h"
#include "gleaner/options.h"
#include "gleaner/records.h"
#include "gleaner/status.h"

namespace gleaner {

namespace internal {
class Engine;
}  // namespace internal

// The records of one document, sorted by span begin, then end, then type.
struct Extraction {
  std::string id;              // DocumentContext::id
  std::string reference_date;  // the DCT used: given, or found in a dateline, or empty
  std::vector<Record> records;
  std::vector<std::string> warnings;  // e.g. "input had 3 invalid UTF-8 sequences (repaired)"
};

// What happened to one candidate match; see Extractor::Explain.
struct Decision {
  enum class Outcome {
    kAccepted,      // became a record
    kVetoed,        // a veto rule (`by_rule`) covered it
    kLostConflict,  // an overlapping candidate (`by_rule`) ranked higher
    kRejected,      // its normaliser returned false (vetoed and lost candidates are never
                    // normalised: vetoes and the conflict order come first)
    kVetoRule,      // this candidate is itself a veto span
    kDropped,       // became a record that a document pass (`by_rule`: "pass:places",
                    // "pass:quotes") then removed, for `reason`
  };
  Span span;
  std::string text;
  std::string type;  // record type: "date", "count", ... (the target type for veto rules)
  std::string rule_id;
  std::string pack;
  int stage = 0;
  Outcome outcome = Outcome::kAccepted;
  std::string by_rule;  // the vetoing or winning rule, or the pass that dropped it
  std::string reason;   // why a document pass dropped it (kDropped), or why its normaliser
                        // rejected it (kRejected: MatchView::reject_reason), else empty
};

// The name used for `outcome` in output: "accepted", "vetoed", "lost", "rejected", "veto",
// "dropped".
const char* OutcomeName(Decision::Outcome outcome);

// The result of one embedded pack test or rule example.
struct PackTestResult {
  std::string pack;
  std::string file;
  int line = 0;      // of the test or rule in `file`
  std::string name;  // "test 3: <text>" or "rule date.x example 1"
  bool passed = false;
  std::string message;  // why it failed
};

// Information about a loaded pack.
struct PackInfo {
  std::string name;
  std::string file;
  std::string description;
  std::size_t rule_count = 0;
  std::size_t test_count = 0;
};

class Extractor {
 public:
  // Loads and validates the packs. Errors name the pack file, line and rule id:
  // kNotFound (missing pack, lexicon file or gazetteer file, unknown lexicon), kParseError (bad
  // JSON), kInvalidRule (bad pattern, unknown key, macro or normaliser, macro cycle, wrong value
  // type, veto of a type no rule emits), kResourceLimit (pattern too big).
  static Result<Extractor> Create(const ExtractorOptions& options);

  // Extracts records from `text` (UTF-8; invalid sequences are repaired to U+FFFD and reported
  // in warnings; offsets still point into `text`). Errors: kResourceLimit when text is larger
  // than ExtractorOptions::max_document_bytes; kInvalidArgument when context.reference_date is
  // not a calendar date "YYYY-MM-DD" from 0001-01-01 to 9999-12-31. Thread-safe.
  Result<Extraction> Extract(std::string_view text, const DocumentContext& context) const;

  // Like Extract, but returns every candidate match and what became of it, in span order.
  Result<std::vector<Decision>> Explain(std::string_view text,
                                        const DocumentContext& context) const;

  // Runs the tests embedded in the packs ("tests" and each rule's "examples"). `pack` limits
  // the run to one pack by name; empty runs all.
  std::vector<PackTestResult> RunPackTests(std::string_view pack = {}) const;

  // The loaded packs, in load order.
  std::vector<PackInfo> packs() const;

 private:
  explicit Extractor(std::shared_ptr<const internal::Engine> engine);
  std::shared_ptr<const internal::Engine> engine_;
};

}  // namespace gleaner

#endif  // GLEANER_EXTRACTOR_H_

// Options for building an Extractor, and the per-document context passed to Extract.
#ifndef GLEANER_OPTIONS_H_
#define GLEANER_OPTIONS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner {

class NormalizerRegistry;

// The directory name under which the default packs and gazetteer built into the library are
// found ("<built-in>/rules/dates.json"): the default rules_dir, and a name packs may use for
// the built-in data files ("<built-in>/rules/gazetteer/places.tsv"). Read from memory.
inline constexpr std::string_view kBuiltinRulesDir = "<built-in>/rules";

struct ExtractorOptions {
  // Directory holding the default packs (dates.json, counts.json, locations.json, quotes.json)
  // and the gazetteer data they name. Empty means: $GLEANER_RULES_DIR if set, else the copy
  // built into the library ("<built-in>/rules" in file names and errors), so a program needs
  // no files beside it. Set it to use edited copies of the default packs.
  std::string rules_dir;

  // Load the four default packs from rules_dir. Turn off to run only `packs`.
  bool load_default_packs = true;

  // Further pack files (JSON) to load after the defaults, in order. A relative gazetteer or
  // lexicon file named inside a pack is resolved against that pack's directory; a pack may
  // also name a built-in file, such as "<built-in>/rules/gazetteer/places.tsv".
  std::vector<std::string> packs;

  // Extra normalisers, looked up before the built-in ones. Not owned; may be null.
  const NormalizerRegistry* normalizers = nullptr;

  // Search every rule over every paragraph instead of trying each only where one of its
  // matches can begin. Slower; returns the same records. For testing and debugging packs.
  bool exhaustive = false;

  // Documents longer than this many bytes are rejected with kResourceLimit (default 64 MiB).
  std::size_t max_document_bytes = std::size_t{64} << 20;

  // A document yielding more candidate matches than this is rejected with kResourceLimit
  // instead of using memory without bound (a few hundred bytes each; real news has about one
  // per 100 bytes, so the default allows some 100 MB of news).
  std::size_t max_candidates = 1'000'000;

  // Work budget per document: at most this many pattern-matching steps (RE2 calls on a window
  // of at most a few kilobytes) per kilobyte of text, counting a document under 64 KB as 64 KB.
  // A document over budget is rejected with kResourceLimit naming this option instead of
  // running on. News needs about 200 per kilobyte; the default leaves room for dense tables.
  std::size_t max_work_per_kilobyte = 20'000;

  // Memory budget for each compiled pattern, in bytes (RE2's max_mem; a compiled program may
  // have one instruction per 64 bytes of it). A pattern over budget fails to load with
  // kResourceLimit rather than running slowly.
  long long max_pattern_memory = 8 << 20;
};

// What the extractor knows about one document besides its text.
struct DocumentContext {
  std::string id;  // echoed in output; free-form

  // The document creation time (DCT), "YYYY-MM-DD" (a trailing "THH:MM:SS" is accepted and
  // ignored), against which relative expressions ("last Tuesday", "two years ago") resolve.
  // Empty: unknown.
  std::string reference_date;

  // When reference_date is empty, look for a dateline ("date 2020-09-06 MINSK --",
  // "WASHINGTON, March 3 (Reuters) -") in the first lines and use it as the DCT.
  bool infer_reference_date = true;
};

// Whether `date` is a reference date Extract accepts: a calendar date "YYYY-MM-DD" from
// 0001-01-01 to 9999-12-31, optionally followed by "T" or a space and a time (ignored).
bool IsReferenceDate(const std::string& date);

}  // namespace gleaner

#endif  // GLEANER_OPTIONS_H_

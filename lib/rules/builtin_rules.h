// The default packs and gazetteer data, built into the library (the generated builtin_rules.cc,
// made by cmake/builtin_rules.cmake from rules/), so that an installed library needs no files.
#ifndef GLEANER_RULES_BUILTIN_RULES_H_
#define GLEANER_RULES_BUILTIN_RULES_H_

#include <span>
#include <string_view>

namespace gleaner::internal {

struct BuiltinRuleFile {
  std::string_view path;   // relative to rules/: "dates.json", "gazetteer/places.tsv"
  std::string_view bytes;  // the file's contents
};

// Every file built in, in no particular order.
std::span<const BuiltinRuleFile> BuiltinRuleFiles();

}  // namespace gleaner::internal

#endif  // GLEANER_RULES_BUILTIN_RULES_H_

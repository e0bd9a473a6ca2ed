// Extracts from one sentence with the installed default packs; exits 0 when a count is found.
#include <gleaner/gleaner.h>
#include <gleaner/json.h>

#include <iostream>

int main() {
  auto extractor = gleaner::Extractor::Create({});
  if (!extractor.ok()) {
    std::cerr << extractor.status().ToString() << "\n";
    return 1;
  }
  auto result = extractor->Extract("25 students were released in Minsk.", {});
  if (!result.ok()) return 1;
  std::cout << nlohmann::json(*result).dump() << "\n";
  for (const auto& r : result->records)
    if (std::holds_alternative<gleaner::Count>(r)) return 0;
  return 1;
}

// Extracts from one paragraph with the default packs built into the installed library; exits
// 0 when all four record types come out.
#include <gleaner/gleaner.h>
#include <gleaner/json.h>

#include <iostream>
#include <set>
#include <string_view>

int main() {
  auto extractor = gleaner::Extractor::Create({});
  if (!extractor.ok()) {
    std::cerr << extractor.status().ToString() << "\n";
    return 1;
  }
  gleaner::DocumentContext context{.id = "consumer", .reference_date = "2021-05-03"};
  auto result = extractor->Extract(
      "Police freed 12 fishermen in Valparaiso on Friday. \"We are tired but happy to be home,\" "
      "said Pedro Alvarez, the captain of the boat.",
      context);
  if (!result.ok()) {
    std::cerr << result.status().ToString() << "\n";
    return 1;
  }
  std::cout << nlohmann::json(*result).dump() << "\n";
  std::set<std::string_view> types;
  for (const auto& r : result->records) types.insert(gleaner::RecordType(r));
  if (types == std::set<std::string_view>{"count", "date", "location", "quote"}) return 0;
  std::cerr << "expected a date, a count, a location and a quotation\n";
  return 1;
}

// A small program that links gleaner, adds its own pack and normaliser, and prints the doses
// it finds. Usage: custom_pack_example "Patients received 500 mg of the drug."
#include <gleaner/gleaner.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  gleaner::NormalizerRegistry normalizers;
  normalizers.Register("dose.amount", [](const gleaner::MatchView& m, gleaner::Fields& out) {
    auto amount = m.capture("amount");
    auto unit = m.capture_value("dose_unit");
    if (!amount || !unit) return false;
    out.emplace_back("amount", std::stod(std::string(*amount)));
    out.emplace_back("unit", std::string(*unit));
    return true;
  });
  gleaner::ExtractorOptions options;
  options.load_default_packs = false;
  options.packs.push_back(EXAMPLE_PACK);
  options.normalizers = &normalizers;
  auto extractor = gleaner::Extractor::Create(options);
  if (!extractor.ok()) {
    std::cerr << extractor.status().ToString() << "\n";
    return 1;
  }
  std::string text = argc > 1 ? argv[1] : "Patients received 500 mg of the drug, then 2.5 ml.";
  auto result = extractor->Extract(text, {});
  if (!result.ok()) {
    std::cerr << result.status().ToString() << "\n";
    return 1;
  }
  for (const gleaner::Record& r : result->records) {
    const auto& dose = std::get<gleaner::Custom>(r);
    std::cout << dose.type << " \"" << dose.text << "\"";
    for (const auto& [name, value] : dose.fields) {
      std::cout << " " << name << "=";
      if (auto* d = std::get_if<double>(&value)) std::cout << *d;
      if (auto* s = std::get_if<std::string>(&value)) std::cout << *s;
    }
    std::cout << "\n";
  }
  return 0;
}

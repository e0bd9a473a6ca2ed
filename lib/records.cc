#include "gleaner/records.h"
#include "gleaner/normalizer.h"

namespace gleaner {

std::string_view RecordType(const Record& record) {
  switch (record.index()) {
    case 0:
      return "date";
    case 1:
      return "count";
    case 2:
      return "location";
    case 3:
      return "quote";
    default:
      return std::get<Custom>(record).type;
  }
}

const RecordBase& Base(const Record& record) {
  return std::visit([](const auto& r) -> const RecordBase& { return r; }, record);
}

void NormalizerRegistry::Register(std::string name, Normalizer normalizer) {
  table_.insert_or_assign(std::move(name), std::move(normalizer));
}

const Normalizer* NormalizerRegistry::Find(std::string_view name) const {
  auto it = table_.find(name);
  return it == table_.end() ? nullptr : &it->second;
}

}  // namespace gleaner

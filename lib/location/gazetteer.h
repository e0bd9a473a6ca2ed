// A gazetteer: place names (with aliases) and demonyms matched token by token over the text.
// Lookup is a hash of folded token sequences, longest first, so 100k+ names cost one probe per
// token and n-gram length rather than a regex alternation.
#ifndef GLEANER_LIB_MATCH_GAZETTEER_H_
#define GLEANER_LIB_MATCH_GAZETTEER_H_

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "gleaner/records.h"
#include "gleaner/status.h"
#include "rules/pack.h"

namespace gleaner::internal {

struct Place {
  std::int64_t geonames_id = 0;  // 0: the row has no GeoNames id (e.g. a US county)
  std::string name;
  std::string country;
  std::string feature;
  std::string admin1;  // GeoNames first-level division code ("TX", "08"); empty if none
  std::int64_t population = 0;
  double lat = 0, lon = 0;

  bool IsCountry() const { return feature.rfind("PCL", 0) == 0; }
  // Populated places (PPL*) have a point; everything else (countries, divisions, regions,
  // continents) covers an area.
  bool IsArea() const { return feature.rfind("PPL", 0) != 0; }
};

// One way of naming a place: as itself ("Poland") or by its people ("Polish").
struct PlaceName {
  std::uint32_t place = 0;  // index into Gazetteer::places()
  bool demonym = false;
};
// The places one name may stand for: most names have one, kept without an allocation.
using PlaceNames = boost::container::small_vector<PlaceName, 1>;

struct GazetteerHit {
  Span span;
  const PlaceNames* names = nullptr;  // every place this text may name
};

// The lower-case words that may stand inside a multi-word name ("Bosnia and Herzegovina"):
// the pack's `name_connectors` lexicon (none when it has none).
struct NameConnectors {
  NameConnectors() = default;
  explicit NameConnectors(const Lexicon* lexicon);
  const Lexicon* lexicon = nullptr;
  std::size_t longest = 0;  // bytes of the longest key
};

class Gazetteer {
 public:
  // Loads `places_file` (and `demonyms_file` if not empty); populated places below
  // `min_population` are skipped (capitals, countries, divisions and regions never are).
  static Result<Gazetteer> Load(const std::string& places_file, const std::string& demonyms_file,
                                long long min_population);

  // Capitalised, token-aligned, leftmost-longest hits in text[window]; lower-case words inside
  // a name must be `connectors`.
  void Find(std::string_view text, Span window, const NameConnectors& connectors,
            std::vector<GazetteerHit>* hits) const;

  const std::vector<Place>& places() const { return places_; }
  std::size_t name_count() const { return names_.size(); }

 private:
  void Add(std::string_view name, PlaceName entry);

  // Hashes std::string and std::string_view alike: lookups from the text need no string.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using KeySet = std::unordered_set<std::string, KeyHash, std::equal_to<>>;

  std::vector<Place> places_;
  // folded token key -> places
  std::unordered_map<std::string, PlaceNames, KeyHash, std::equal_to<>> names_;
  // Keys of names written with a final period ("Ga.", "Calif.", "W.Va."): a period right after
  // such a match in the text belongs to the name.
  KeySet abbreviations_;
  KeySet abbreviation_only_;  // ... and no other name has that key
  // Keys of names written in capitals ("UK", "UAE", "NYC"): the only ones a short all-capital
  // word may match outside a dateline ("MERS" is not Moers, "WHO" not a town).
  KeySet acronyms_;
  // The first token of every key -> the most tokens of a key that starts with it: most
  // capitalised words start no name, and are passed over with one lookup.
  std::unordered_map<std::string, std::size_t, KeyHash, std::equal_to<>> longest_from_;
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_MATCH_GAZETTEER_H_

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
#include <vector>

#include "gleaner/records.h"
#include "gleaner/status.h"
#include "rules/pack.h"
#include "text/text.h"

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

// The gazetteer's folded keys, in one open-addressed table: a node-based map chased a pointer
// per bucket, and its cache misses were most of the gazetteer's load and lookup time.
class KeyIndex {
 public:
  struct Entry {
    PlaceNames places;          // empty unless the key is a name
    std::uint32_t longest = 0;  // the most tokens of a name that starts with this token
    bool named = false;
    // Written with a final period ("Ga.", "Calif.", "W.Va."): a period right after such a
    // match in the text belongs to the name; only so: no other name has this key.
    bool abbreviation = false, abbreviation_only = false;
    // Written in capitals ("UK", "UAE", "NYC"): the only names a short all-capital word may
    // match outside a dateline ("MERS" is not Moers, "WHO" not a town).
    bool acronym = false;
  };
  // The entry of `key`, added empty if new. The reference lasts until the next FindOrAdd.
  Entry& FindOrAdd(std::string_view key);
  const Entry* Find(std::string_view key) const;
  void Reserve(std::size_t keys);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Slot {
    std::uint32_t tag = 0;    // high bits of the key's hash
    std::uint32_t entry = 0;  // index + 1 into entries_; 0: empty
  };
  void Grow();
  std::vector<Slot> slots_;  // a power of two, at most half full
  std::vector<std::string> keys_;
  std::vector<Entry> entries_;
};

class Gazetteer {
 public:
  // Loads `places_file` (and `demonyms_file` if not empty); populated places below
  // `min_population` are skipped (capitals, countries, divisions and regions never are).
  static Result<Gazetteer> Load(const std::string& places_file, const std::string& demonyms_file,
                                long long min_population);

  // Capitalised, token-aligned, leftmost-longest hits in text[window]; lower-case words inside
  // a name must be `connectors`.
  void Find(const PreparedText& text, Span window, const NameConnectors& connectors,
            std::vector<GazetteerHit>* hits) const;

  const std::vector<Place>& places() const { return places_; }
  std::size_t name_count() const { return name_count_; }

 private:
  void Add(std::string_view name, PlaceName entry);

  std::vector<Place> places_;
  // Every name's folded key, and the first token of each (KeyIndex::Entry::longest): most
  // capitalised words start no name, and are passed over with one lookup.
  KeyIndex keys_;
  std::size_t name_count_ = 0;
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_MATCH_GAZETTEER_H_

// The places pass: one gazetteer entry per location, by document context.
#ifndef GLEANER_LIB_LOCATION_PLACES_H_
#define GLEANER_LIB_LOCATION_PLACES_H_

#include <vector>

#include "location/gazetteer.h"
#include "pass.h"

namespace gleaner::internal {

// A location record and the gazetteer entries its text may name.
struct PlaceChoice {
  std::size_t record = 0;  // index into the records vector
  const PlaceNames* names = nullptr;
  const Gazetteer* gazetteer = nullptr;
};

// Picks one entry per location by feature, population and the countries the document
// mentions unambiguously, and fills name, kind, country, geonames_id, lat, lon, feature.
// Locations that name people are reported in `drops`.
void ResolvePlaces(const PassContext& ctx, const std::vector<PlaceChoice>& choices,
                   std::vector<Record>& records, std::vector<PassDrop>* drops);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_LOCATION_PLACES_H_

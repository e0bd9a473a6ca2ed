#include <cmath>
#include <set>

#include "document/passes.h"

namespace gleaner::internal {
namespace {

// A prior for an entry before document context: countries first, then first-level divisions
// and capitals, then bigger places.
double Prior(const Place& p) {
  double feature = 0;
  if (p.feature.rfind("PCL", 0) == 0) {
    feature = 100;
  } else if (p.feature == "ADM1") {
    feature = 30;
  } else if (p.feature == "PPLC") {
    feature = 25;
  } else if (p.feature == "PPLA") {
    feature = 10;
  }
  return feature + 4.0 * std::log10(1.0 + static_cast<double>(p.population));
}

}  // namespace

void ResolvePlaces(const PassContext&, const std::vector<PlaceChoice>& choices,
                   std::vector<Record>& records) {
  // Countries the document names without ambiguity (a country, or a place with one reading)
  // make readings in those countries more likely: "Georgia" in a text about Atlanta.
  std::set<std::string> context;
  for (const PlaceChoice& c : choices) {
    const auto& places = c.gazetteer->places();
    bool single = c.names->size() == 1;
    for (const PlaceName& n : *c.names) {
      const Place& p = places[n.place];
      if (single || p.feature.rfind("PCL", 0) == 0) context.insert(p.country);
      if (single) break;
    }
  }
  for (const PlaceChoice& c : choices) {
    const auto& places = c.gazetteer->places();
    const PlaceName* best = nullptr;
    double best_score = -1e9;
    for (const PlaceName& n : *c.names) {
      const Place& p = places[n.place];
      double score = Prior(p) + (context.count(p.country) ? 40.0 : 0.0);
      if (score > best_score) {
        best_score = score;
        best = &n;
      }
    }
    if (best == nullptr) continue;
    const Place& p = places[best->place];
    auto* loc = std::get_if<Location>(&records[c.record]);
    if (loc == nullptr) continue;
    loc->name = p.name;
    loc->kind = best->demonym ? "demonym" : "place";
    loc->country = p.country;
    loc->geonames_id = p.geonames_id;
    loc->lat = p.lat;
    loc->lon = p.lon;
    loc->feature = p.feature;
    loc->population = p.population;
  }
}

}  // namespace gleaner::internal

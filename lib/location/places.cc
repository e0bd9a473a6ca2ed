// Place disambiguation by document context, and removal of gazetteer hits that the context
// shows to be people.
//
// Each mention's gazetteer entries are scored by a prior (feature, population) plus the support
// the rest of the document gives them: other mentions in the same country, in the same
// first-level division, or within a short distance ("Athens" in a text about Atlanta and
// Macon is Athens, Georgia). A division right after a place ("Springfield, Illinois", "Paris,
// Texas") settles that place. Mentions with the same text share one reading (one sense per
// discourse). Word lists come from the pack's lexicons ("person_titles", "given_names",
// "place_words", "place_prefixes", "common_words", "first_name_places", "speech_verbs",
// "company_words"); without them the checks that use them are skipped.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "location/places.h"

namespace gleaner::internal {
namespace {

// Score weights. The prior counts kPopulationWeight per factor of ten in population; the
// context bonuses apply when at least one other mention supports a reading, plus a part that
// grows with the share of the other mentions that do.
constexpr double kPopulationWeight = 6;
constexpr double kCountryBonus = 30, kCountryShareBonus = 50;
constexpr double kLocalBonus = 15, kLocalShareBonus = 30;
// Towns below this size (and not capitals) yield to a person or organisation reading when the
// name runs on into another capitalised word.
constexpr std::int64_t kMinorTown = 1000000;
// Divisions of at least this many people outrank a person's name of the same spelling.
constexpr std::int64_t kMajorDivision = 200000;
// Support for the most prominent reading of a city named alone in a dateline ("LONDON, March 3").
constexpr double kDatelineBonus = 100;
// Support for a national capital over a division of the same country and name ("Washington").
constexpr double kCapitalOverDivisionBonus = 15;
// Prior support for a national capital of a million or more over same-named towns: one mention
// of another country's place ("talks between Washington and Moscow") does not make it Moscow,
// Idaho.
constexpr double kMajorCapitalBonus = 45;
constexpr std::int64_t kMajorCapital = 1000000;
// Support for a town over the country of its name before "man", "residents" ("a Palestine man").
constexpr double kTownResidentBonus = 80;

// A prior for an entry before document context: countries first, then first-level divisions
// and capitals, then bigger places.
double Prior(const Place& p) {
  double feature = 0;
  if (p.IsCountry()) {
    feature = 100;
  } else if (p.feature == "CONT" || p.feature == "ZN" || p.feature == "RGN") {
    feature = 90;
  } else if (p.feature == "ADM1") {
    feature = 30;
  } else if (p.feature == "PPLC") {
    feature = 25;
  } else if (p.feature == "PPLA") {
    feature = 10;
  } else if (p.feature == "ADM2") {
    feature = 5;
  }
  if (p.feature == "PPLC" && p.population >= kMajorCapital) feature += kMajorCapitalBonus;
  return feature + kPopulationWeight * std::log10(1.0 + static_cast<double>(p.population));
}

// Places that have a meaningful point for distance checks: populated places and counties (a
// country's or a state's centroid says little about what is near it).
bool HasPoint(const Place& p) { return !p.IsArea() || p.feature == "ADM2"; }

double Km(const Place& a, const Place& b) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(a.lat * kRad) *
                                                           std::cos(b.lat * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(h)));
}

bool IsWordByte(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80;
}
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// The word ending right before `pos`, separated from it by spaces only (at most 2), including a
// trailing period ("Mr."); empty if there is none.
std::string_view WordBefore(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end > 0 && text[end - 1] == ' ' && pos - end < 2) --end;
  if (end == pos || end == 0) return {};
  std::size_t stop = end;
  if (text[stop - 1] == '.') --stop;
  std::size_t begin = stop;
  while (begin > 0 && IsWordByte(text[begin - 1])) --begin;
  if (begin == stop) return {};
  return text.substr(begin, end - begin);
}

// The word starting right after `pos` past one space; empty if there is none.
std::string_view WordAfter(std::string_view text, std::size_t pos) {
  if (pos + 1 >= text.size() || text[pos] != ' ') return {};
  std::size_t begin = pos + 1, end = begin;
  while (end < text.size() && IsWordByte(text[end])) ++end;
  return text.substr(begin, end - begin);
}

bool AllCapitals(std::string_view word) {
  return std::none_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool InLexicon(const Lexicon* lex, std::string_view word) {
  if (lex == nullptr || word.empty()) return false;
  if (word.back() == '.') word.remove_suffix(1);
  return lex->Find(word) != nullptr;
}

// "St. John's Health System", "St. Michael's Catholic School": a saint's given name with a
// possessive and another capitalised word after it is a church, school or hospital, not the town
// of that name ("St. Petersburg's airport", "St. Paul's mayor" keep their place).
bool NamedAfterSaint(std::string_view surface, std::string_view text, std::size_t end,
                     const Lexicon* given) {
  std::size_t space = surface.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view head = surface.substr(0, space), saint = surface.substr(space + 1);
  if (head != "St." && head != "St" && head != "Saint" && head != "Ste.") return false;
  if (!InLexicon(given, saint)) return false;
  std::string_view rest = text.substr(end);
  std::size_t k = 0;
  if (rest.rfind("'s", 0) == 0) {
    k = 2;
  } else if (rest.rfind("\xE2\x80\x99s", 0) == 0) {  // U+2019
    k = 4;
  } else {
    return false;
  }
  return k + 1 < rest.size() && rest[k] == ' ' && IsUpper(rest[k + 1]);
}

// One mention: a location record and its candidate entries.
struct Mention {
  const PlaceChoice* choice = nullptr;
  Span span;
  std::string key;  // folded text: mentions with the same key share a reading
  std::size_t group = 0;
};

struct Group {
  std::vector<const PlaceName*> names;
  std::vector<double> local;  // evidence from the mentions' own context, per name
  std::size_t pick = 0;
  const Gazetteer* gazetteer = nullptr;
  const Place& At(std::size_t i) const { return gazetteer->places()[names[i]->place]; }
};

// The current readings of all groups, kept up to date as readings change, so that scoring a
// reading against all the others is a few lookups, not a pass over every group (which made
// the pass quadratic in the number of distinct place names).
class PickCounts {
 public:
  void Change(const Place& p, std::size_t group, int delta) {
    by_country_[p.country] += delta;
    if (!p.IsCountry()) by_admin1_[p.country + '\t' + p.admin1] += delta;
    if (!HasPoint(p) || !std::isfinite(p.lat) || !std::isfinite(p.lon)) return;
    auto& cell = grid_[Cell(LatCell(p.lat), LonCell(p.lon))];
    if (delta > 0) {
      cell.push_back({group, &p});
    } else {
      cell.erase(
          std::find(cell.begin(), cell.end(), std::pair<std::size_t, const Place*>(group, &p)));
    }
  }
  // Readings in the country of `c`.
  int SameCountry(const Place& c) const { return Get(by_country_, c.country); }
  // Readings in the division of `c` that are not countries.
  int SameAdmin1(const Place& c) const { return Get(by_admin1_, c.country + '\t' + c.admin1); }
  // Readings of groups other than `self` in the country of `c` and within 100 km of it (both
  // with a point).
  int Near(const Place& c, std::size_t self) const {
    if (!std::isfinite(c.lat) || !std::isfinite(c.lon)) return 0;  // Km() is then never < 100
    // 100 km is under 0.9 degrees of latitude, and of longitude times 1/cos(latitude).
    double top = std::min(90.0, std::fabs(c.lat) + 1.0);
    double span = top >= 89.0 ? 360.0 : 0.9 / std::cos(top * 3.14159265358979323846 / 180.0) + 1;
    int lon_cells = span >= 180 ? 360 : static_cast<int>(std::ceil(span));
    int count = 0;
    for (int la = LatCell(c.lat) - 1; la <= LatCell(c.lat) + 1; ++la) {
      for (int k = -lon_cells; k <= lon_cells && k < 360 - lon_cells; ++k) {
        int lo = ((LonCell(c.lon) + k) % 360 + 360) % 360;
        auto it = grid_.find(Cell(la, lo));
        if (it == grid_.end()) continue;
        for (const auto& [group, o] : it->second)
          if (group != self && o->country == c.country && Km(c, *o) < 100) ++count;
      }
    }
    return count;
  }

 private:
  static int LatCell(double lat) { return static_cast<int>(std::floor(lat)); }
  static int LonCell(double lon) { return ((static_cast<int>(std::floor(lon)) % 360) + 360) % 360; }
  static long long Cell(int lat, int lon) { return static_cast<long long>(lat + 200) * 1000 + lon; }
  static int Get(const std::unordered_map<std::string, int>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? 0 : it->second;
  }
  std::unordered_map<std::string, int> by_country_, by_admin1_;
  std::unordered_map<long long, std::vector<std::pair<std::size_t, const Place*>>> grid_;
};

// One document's place resolution, in named steps: who is a person rather than a place, the
// groups of mentions that share a reading, the local evidence for each reading, the rounds in
// which each group takes the reading the others support best, and the records written.
class PlaceResolution {
 public:
  PlaceResolution(const PassContext& ctx, const std::vector<PlaceChoice>& choices,
                  std::vector<Record>& records)
      : text_(ctx.text.flat), records_(records) {
    auto lex = [&](const char* name) { return ctx.lexicon ? ctx.lexicon(name) : nullptr; };
    titles_ = lex("person_titles");
    given_ = lex("given_names");
    place_words_ = lex("place_words");
    not_names_ = lex("place_prefixes");
    common_ = lex("common_words");
    speech_verbs_ = lex("speech_verbs");
    company_words_ = lex("company_words");
    resident_words_ = lex("resident_words");
    first_name_places_ = lex("first_name_places");
    CollectMentions(choices);
  }

  void Run(std::vector<PassDrop>* drops) {
    FindSurnames();
    MarkPeople();
    SpreadPeople();
    GroupMentions();
    PreferCapitalsOverDivisions();
    SupportDatelines();
    SupportTownsBeforeResidents();
    SupportPlacesBeforeTheirDivision();
    PickReadings();
    WriteReadings(drops);
  }

 private:
  bool Skipped(std::size_t i) const { return person_[i] || first_name_[i]; }

  void CollectMentions(const std::vector<PlaceChoice>& choices) {
    for (const PlaceChoice& c : choices) {
      auto* loc = std::get_if<Location>(&records_[c.record]);
      if (loc == nullptr || c.names->empty()) continue;
      Mention m;
      m.choice = &c;
      m.span = loc->span;
      m.key = FoldKey(std::string_view(text_).substr(m.span.begin, m.span.size()));
      mentions_.push_back(std::move(m));
    }
    std::sort(mentions_.begin(), mentions_.end(),
              [](const Mention& a, const Mention& b) { return a.span.begin < b.span.begin; });
    for (const Mention& m : mentions_) mention_starts_.insert(m.span.begin);
    person_.assign(mentions_.size(), false);
    first_name_.assign(mentions_.size(), false);
  }

  // Surnames of persons the document names ("David Moore", "Officer Hall"), which make a bare
  // mention of that word a person too ("Moore said").
  void FindSurnames() {
    if (given_ == nullptr && titles_ == nullptr) return;
    const std::string& text = text_;
    for (std::size_t i = 0; i < text.size();) {
      if (!IsUpper(text[i]) || (i > 0 && IsWordByte(text[i - 1]))) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && IsWordByte(text[end])) ++end;
      std::string_view word(text.data() + i, end - i);
      bool title = InLexicon(titles_, word) ||
                   (end < text.size() && text[end] == '.' && InLexicon(titles_, word));
      if (title || InLexicon(given_, word)) {
        std::size_t next = end + (end < text.size() && text[end] == '.' ? 1 : 0);
        std::string_view after = WordAfter(text, next);
        // A middle initial: "John F. Kennedy".
        if (after.size() == 1 && next + 2 < text.size() && text[next + 2] == '.')
          after = WordAfter(text, next + 3);
        if (after.size() > 1 && IsUpper(after[0]) && !InLexicon(place_words_, after) &&
            !InLexicon(given_, after))
          surnames_.insert(FoldKey(after));
      }
      i = end;
    }
  }

  // How strong the readings of a mention are against a person's name.
  struct Readings {
    bool area = false;     // a country, a state: a person's name is a weaker reading
    bool demonym = false;  // one reading is a demonym
    bool minor = true;     // every reading a town (not a capital, not a city of a million)
  };
  Readings ReadingsOf(const Mention& m) const {
    Readings r;
    for (const PlaceName& n : *m.choice->names) {
      const Place& p = m.choice->gazetteer->places()[n.place];
      // A town named here only by one of its alternate names ("Lewis" for St. George's, "Ben"
      // for Bern, "Mason" for Glendale) is no stronger a reading than a small town, capital or
      // not.
      bool by_alias = !n.demonym && !p.IsArea() && FoldKey(p.name) != m.key;
      // (A small division, Uruguay's Flores, is no stronger than a town.)
      r.area = r.area || p.IsCountry() || p.feature == "CONT" ||
               (p.feature == "ADM1" && p.population >= kMajorDivision);
      r.demonym = r.demonym || n.demonym;
      // Generated divisions (no GeoNames id) of a country other than the US count as towns
      // here: Venezuela's Vargas is a surname in "Jaime Vargas".
      bool small_division =
          (p.feature == "ADM1" || p.feature == "ADM2") && p.geonames_id == 0 && p.country != "US";
      r.minor = r.minor && (by_alias || ((!p.IsArea() || small_division) && p.feature != "PPLC" &&
                                         p.population < kMinorTown));
    }
    return r;
  }

  // Mentions that name a person (or a given name) by what stands around them.
  void MarkPeople() {
    const std::string& text = text_;
    for (std::size_t i = 0; i < mentions_.size(); ++i) {
      const Mention& m = mentions_[i];
      auto* loc = std::get_if<Location>(&records_[m.choice->record]);
      std::string_view surface(text.data() + m.span.begin, m.span.size());
      bool one_word = surface.find(' ') == std::string_view::npos;
      Readings r = ReadingsOf(m);
      if (!r.demonym && loc != nullptr && NamedAfterSaint(surface, text, m.span.end, given_)) {
        person_[i] = true;  // "St. John's Lutheran School": a church, school or hospital
        continue;
      }
      if (r.demonym || !one_word || loc == nullptr) continue;
      std::string_view before = WordBefore(text, m.span.begin);
      std::string_view after = WordAfter(text, m.span.end);
      bool after_name = !after.empty() && IsUpper(after[0]) && !InLexicon(place_words_, after);
      if (InLexicon(titles_, before) && IsUpper(before[0])) {
        person_[i] = true;  // "Mr. Jordan", "Officer Hall"
      } else if (!r.area && IsUpper(before.empty() ? 'x' : before[0]) &&
                 InLexicon(given_, before) && before.back() != '.') {
        person_[i] = true;  // "David Moore"
      } else if (!r.area && InLexicon(given_, surface) && after_name) {
        person_[i] = true;  // "David Moore": the given name
      } else if (!r.area && surnames_.count(m.key) != 0 && r.minor) {
        person_[i] = true;  // "Moore said", once the text has named David Moore
      } else if (r.minor && InLexicon(company_words_, after)) {
        person_[i] = true;  // "Taft Broadcasting", "Peabody Energy": a company
      } else if (r.minor && InLexicon(speech_verbs_, after) &&
                 (before.empty() || before.back() == '.')) {
        // "Robertson said", opening a clause: a town does not speak (a capital may: "Moscow
        // said"; and "police in Sevierville say" keeps its town).
        person_[i] = true;
      } else if (common_ != nullptr && r.minor && after_name && !AllCapitals(surface) &&
                 !InLexicon(common_, after) && mention_starts_.count(m.span.end + 1) == 0) {
        // "Martin Johnson", "Delta Goodrem": a town's name run on into a capitalised word that
        // is no common word (a surname) is a person.
        person_[i] = true;
      } else if (common_ != nullptr && r.minor && IsUpper(before.empty() ? 'x' : before[0]) &&
                 before.back() != '.' && !InLexicon(place_words_, before) &&
                 !InLexicon(not_names_, before) && !InLexicon(common_, before) &&
                 mention_starts_.count(static_cast<std::size_t>(before.data() - text.data())) ==
                     0) {
        // "Javier Espinosa", "Ross Wilson": the same after a capitalised word that is not a
        // common word (so "In Frederick" and "Rodeo Gainesville" keep their place).
        person_[i] = true;
      } else if (InLexicon(first_name_places_, surface) &&
                 ((after_name && (common_ == nullptr || !InLexicon(common_, after))) ||
                  (!before.empty() && IsUpper(before[0]) && before.back() != '.' &&
                   InLexicon(given_, before)))) {
        // People by their first name alone ("Paris Hilton", "Michael Jordan"): this mention
        // only, the city stays a city elsewhere in the text.
        first_name_[i] = true;
      }
    }
  }

  // "Santos said", once the text has named Juan Manuel Santos: later bare mentions of a word
  // found to be a person are that person too, unless they read as a country or state.
  void SpreadPeople() {
    const std::string& text = text_;
    std::set<std::string> person_keys;
    for (std::size_t i = 0; i < mentions_.size(); ++i)
      if (person_[i]) person_keys.insert(mentions_[i].key);
    for (std::size_t i = 0; i < mentions_.size(); ++i) {
      if (person_[i] || person_keys.count(mentions_[i].key) == 0) continue;
      const Mention& m = mentions_[i];
      // A city of a million keeps its place where the mention is no part of a longer name
      // ("Sam Houston State University", then "in Houston"; but "Ricardo Lagos Weber" is the
      // person).
      std::string_view before = WordBefore(text, m.span.begin);
      std::string_view after = WordAfter(text, m.span.end);
      bool in_name = (!after.empty() && IsUpper(after[0])) ||
                     (!before.empty() && IsUpper(before[0]) && before.back() != '.' &&
                      !InLexicon(not_names_, before));
      bool strong = false;
      for (const PlaceName& n : *m.choice->names) {
        const Place& p = m.choice->gazetteer->places()[n.place];
        strong = strong || n.demonym || p.IsCountry() || p.feature == "CONT" ||
                 (p.feature == "ADM1" && p.population >= kMajorDivision) ||
                 (!in_name && FoldKey(p.name) == m.key && p.population >= kMinorTown);
      }
      if (!strong) person_[i] = true;
    }
  }

  // Mentions with the same text share one reading.
  void GroupMentions() {
    std::map<std::string, std::size_t> group_of;
    for (std::size_t i = 0; i < mentions_.size(); ++i) {
      if (Skipped(i)) continue;
      Mention& m = mentions_[i];
      auto [it, added] = group_of.emplace(m.key, groups_.size());
      if (added) {
        Group g;
        g.gazetteer = m.choice->gazetteer;
        for (const PlaceName& n : *m.choice->names) g.names.push_back(&n);
        g.local.assign(g.names.size(), 0.0);
        groups_.push_back(std::move(g));
      }
      m.group = it->second;
    }
  }

  // "Washington": a national capital named like a division of its own country is the capital
  // unless the rest of the text is about that division (its places give it local support).
  void PreferCapitalsOverDivisions() {
    for (Group& g : groups_) {
      for (std::size_t x = 0; x < g.names.size(); ++x) {
        if (g.At(x).feature != "PPLC" || g.names[x]->demonym) continue;
        for (std::size_t y = 0; y < g.names.size(); ++y)
          if (g.At(y).feature == "ADM1" && g.At(y).country == g.At(x).country) {
            g.local[x] += kCapitalOverDivisionBonus;
            break;
          }
      }
    }
  }

  // "LONDON, March 17 -", "PARIS (Reuters) -": a wire dateline names a city without any
  // division after it only when it is the well-known one; the rest of the story (a Canadian
  // bank, a Texan company) says nothing about where the dateline is.
  void SupportDatelines() {
    const std::string& text = text_;
    for (std::size_t i = 0; i < mentions_.size(); ++i) {
      if (Skipped(i)) continue;
      const Mention& m = mentions_[i];
      std::string_view surface(text.data() + m.span.begin, m.span.size());
      std::size_t k = m.span.begin;
      while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '-' || text[k - 1] == '*')) --k;
      bool line_start = k == 0 || text[k - 1] == '\n';
      std::string_view rest(text.data() + m.span.end,
                            std::min<std::size_t>(3, text.size() - m.span.end));
      bool dateline_end =
          rest.rfind(", ", 0) == 0 || rest.rfind(" (", 0) == 0 || rest.rfind(" -", 0) == 0;
      if (!line_start || !dateline_end || !AllCapitals(surface)) continue;
      // ", Calif.", ", Texas": the division that follows settles it instead.
      if (rest.rfind(", ", 0) == 0) {
        std::size_t next = m.span.end + 2;
        if (mention_starts_.count(next) != 0) continue;
      }
      Group& g = groups_[m.group];
      std::size_t best = 0;
      for (std::size_t x = 1; x < g.names.size(); ++x)
        if (Prior(g.At(x)) > Prior(g.At(best))) best = x;
      g.local[best] += kDatelineBonus;
    }
  }

  // "A Palestine man", "Lebanon residents": a country is named by its demonym before such
  // words, so a name there that is also a town's is the town.
  void SupportTownsBeforeResidents() {
    for (std::size_t i = 0; i < mentions_.size(); ++i) {
      if (Skipped(i)) continue;
      const Mention& m = mentions_[i];
      std::string_view after = WordAfter(text_, m.span.end);
      if (!InLexicon(resident_words_, after) || !std::islower(static_cast<unsigned char>(after[0])))
        continue;
      Group& g = groups_[m.group];
      bool country = false;
      for (std::size_t x = 0; x < g.names.size(); ++x)
        country = country || (g.At(x).IsCountry() && !g.names[x]->demonym);
      if (!country) continue;
      for (std::size_t x = 0; x < g.names.size(); ++x)
        if (!g.At(x).IsArea() && !g.names[x]->demonym) g.local[x] += kTownResidentBonus;
    }
  }

  // "Springfield, Illinois", "Athens, Ga.", "Paris, Texas", "Laurel County, Ky.": the division
  // (or country) that follows a place after a comma names where it is.
  void SupportPlacesBeforeTheirDivision() {
    const std::string& text = text_;
    for (std::size_t i = 0; i + 1 < mentions_.size(); ++i) {
      if (Skipped(i) || Skipped(i + 1)) continue;
      const Mention& a = mentions_[i];
      const Mention& b = mentions_[i + 1];
      std::size_t k = a.span.end;
      if (k >= text.size() || text[k] != ',') continue;
      ++k;
      while (k < b.span.begin && text[k] == ' ') ++k;
      if (k != b.span.begin) continue;
      Group& ga = groups_[a.group];
      Group& gb = groups_[b.group];
      if (&ga == &gb) continue;
      for (std::size_t j = 0; j < gb.names.size(); ++j) {
        const Place& outer = gb.At(j);
        bool division = outer.feature == "ADM1";
        if (!division && !outer.IsCountry()) continue;
        bool found = false;
        for (std::size_t x = 0; x < ga.names.size(); ++x) {
          const Place& inner = ga.At(x);
          if (&inner == &outer || inner.country != outer.country) continue;
          if (division && inner.admin1 != outer.admin1) continue;
          ga.local[x] += division ? 150 : 100;
          found = true;
        }
        if (found) gb.local[j] += 150;
      }
    }
  }

  // A reading's score: its prior and local evidence, and with the context, how many of the
  // other groups' readings share its country, its division or its neighbourhood.
  double Score(std::size_t gi, std::size_t x, bool with_context) const {
    const Group& g = groups_[gi];
    const Place& c = g.At(x);
    double s = Prior(c) + g.local[x];
    if (!with_context || groups_.size() < 2) return s;
    // The other groups' readings: all of them, less this group's own.
    const Place& own = g.At(g.pick);
    int others = static_cast<int>(groups_.size()) - 1, same_country = 0, same_admin1 = 0, near = 0;
    if (!c.country.empty()) {
      same_country = counts_.SameCountry(c) - (own.country == c.country ? 1 : 0);
      if (!c.admin1.empty())
        same_admin1 =
            counts_.SameAdmin1(c) -
            (own.country == c.country && own.admin1 == c.admin1 && !own.IsCountry() ? 1 : 0);
      if (HasPoint(c)) near = counts_.Near(c, gi);
    }
    if (same_country > 0) s += kCountryBonus + kCountryShareBonus * same_country / others;
    // Same division and nearness both say "local to this story": count the stronger one.
    int local = std::max(same_admin1, near);
    if (local > 0) s += kLocalBonus + kLocalShareBonus * local / others;
    return s;
  }

  // Initial readings from the prior and local evidence alone, then rounds in which each group
  // takes the reading the other groups support best.
  void PickReadings() {
    for (std::size_t gi = 0; gi < groups_.size(); ++gi)
      counts_.Change(groups_[gi].At(groups_[gi].pick), gi, +1);
    for (int round = 0; round < 4; ++round) {
      bool changed = false;
      for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
        Group& g = groups_[gi];
        std::size_t best = g.pick;
        double best_score = -1e9;
        for (std::size_t x = 0; x < g.names.size(); ++x) {
          double s = Score(gi, x, round > 0);
          if (s > best_score) {
            best_score = s;
            best = x;
          }
        }
        changed = changed || best != g.pick;
        if (best != g.pick) {
          counts_.Change(g.At(g.pick), gi, -1);
          counts_.Change(g.At(best), gi, +1);
        }
        g.pick = best;
      }
      if (round > 0 && !changed) break;
    }
  }

  void WriteReadings(std::vector<PassDrop>* drops) {
    for (std::size_t i = 0; i < mentions_.size(); ++i) {
      const Mention& m = mentions_[i];
      if (Skipped(i)) {
        drops->push_back({m.choice->record, "places",
                          person_[i] ? "part of a person's name" : "a given name, not a place"});
        continue;
      }
      const Group& g = groups_[m.group];
      const PlaceName& best = *g.names[g.pick];
      const Place& p = g.At(g.pick);
      auto* loc = std::get_if<Location>(&records_[m.choice->record]);
      if (loc == nullptr) continue;
      loc->name = p.name;
      loc->kind = best.demonym ? "demonym" : "place";
      loc->country = p.country;
      if (p.geonames_id != 0) loc->geonames_id = p.geonames_id;
      loc->lat = p.lat;
      loc->lon = p.lon;
      loc->feature = p.feature;
      loc->population = p.population;
    }
  }

  const std::string& text_;
  std::vector<Record>& records_;
  // The pack's word lists; a missing lexicon is empty (the checks that need it are skipped).
  const Lexicon* titles_ = nullptr;
  const Lexicon* given_ = nullptr;
  const Lexicon* place_words_ = nullptr;
  // Capitalised words before a town that do not make it a surname ("In", "Downtown", "North").
  const Lexicon* not_names_ = nullptr;
  // Common lower-case English words: "Nashville Film Festival" has a place in it, "Martin
  // Johnson" has none.
  const Lexicon* common_ = nullptr;
  // Verbs of saying: a town's name right before one is a person's ("Robertson said").
  const Lexicon* speech_verbs_ = nullptr;
  // Words that make a town's name before them a company's ("Taft Broadcasting").
  const Lexicon* company_words_ = nullptr;
  // Words after a town's name for its people ("a Palestine man", "Lebanon residents").
  const Lexicon* resident_words_ = nullptr;
  const Lexicon* first_name_places_ = nullptr;

  std::vector<Mention> mentions_;  // by position
  std::set<std::size_t> mention_starts_;
  std::set<std::string> surnames_;
  std::vector<bool> person_;      // the mention names a person
  std::vector<bool> first_name_;  // the mention is a person's given name, here only
  std::vector<Group> groups_;
  PickCounts counts_;  // the current readings of all groups
};

}  // namespace

void ResolvePlaces(const PassContext& ctx, const std::vector<PlaceChoice>& choices,
                   std::vector<Record>& records, std::vector<PassDrop>* drops) {
  PlaceResolution(ctx, choices, records).Run(drops);
}

}  // namespace gleaner::internal

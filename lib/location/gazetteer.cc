#include "location/gazetteer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <charconv>

#include "rules/data_file.h"
#include "text/text.h"

namespace gleaner::internal {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view row) {
  std::vector<std::string_view> cols;
  std::size_t pos = 0;
  while (true) {
    std::size_t tab = row.find('\t', pos);
    cols.push_back(row.substr(pos, tab == std::string_view::npos ? row.npos : tab - pos));
    if (tab == std::string_view::npos) break;
    pos = tab + 1;
  }
  return cols;
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// The folded token key of a name: "St. Louis" -> "st louis", "Homyel'" -> "homyel".
std::string NameKey(std::string_view name) {
  if (std::all_of(name.begin(), name.end(), [](char c) { return (c & 0x80) == 0; })) {
    std::string key;  // ASCII, the common case: no case folding through ICU
    key.reserve(name.size());
    bool in_token = false;
    for (char c : name) {
      if (IsTokenChar(static_cast<unsigned char>(c))) {
        if (!in_token && !key.empty()) key.push_back(' ');
        key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c);
        in_token = true;
      } else {
        in_token = false;
      }
    }
    return key;
  }
  std::string folded = FoldKey(name);
  std::string key;
  std::size_t i = 0;
  bool in_token = false;
  while (i < folded.size()) {
    std::size_t start = i;
    UChar32 c = NextCodePoint(folded, i);
    if (IsTokenChar(c)) {
      if (!in_token && !key.empty()) key.push_back(' ');
      key.append(folded, start, i - start);
      in_token = true;
    } else {
      in_token = false;
    }
  }
  return key;
}

// A word of 2 to 4 capital letters ("MERS", "WHO", "ROME"): an acronym far more often than a
// place written in capitals.
bool ShortCapitals(std::string_view text, Span span) {
  if (span.size() < 2 || span.size() > 4) return false;
  for (std::size_t k = span.begin; k < span.end; ++k)
    if (text[k] < 'A' || text[k] > 'Z') return false;
  return true;
}

// A dateline follows a place in capitals: "ROME, March 3", "BAKU (Reuters) -", "LIMA --".
bool DatelineAfter(std::string_view text, std::size_t pos) {
  std::string_view rest = text.substr(pos, 4);  // " \u2014" is 4 bytes
  return rest.rfind(",", 0) == 0 || rest.rfind(" (", 0) == 0 || rest.rfind(" -", 0) == 0 ||
         rest.rfind(":", 0) == 0 || rest.rfind(" \xE2\x80", 0) == 0;
}

}  // namespace

KeyIndex::Entry& KeyIndex::FindOrAdd(std::string_view key) {
  if (2 * (entries_.size() + 1) > slots_.size()) Grow();
  std::uint64_t h = std::hash<std::string_view>{}(key);
  auto tag = static_cast<std::uint32_t>(h >> 32);
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.entry == 0) {
      keys_.emplace_back(key);
      entries_.emplace_back();
      slot = {tag, static_cast<std::uint32_t>(entries_.size())};
      return entries_.back();
    }
    if (slot.tag == tag && keys_[slot.entry - 1] == key) return entries_[slot.entry - 1];
  }
}

const KeyIndex::Entry* KeyIndex::Find(std::string_view key) const {
  if (slots_.empty()) return nullptr;
  std::uint64_t h = std::hash<std::string_view>{}(key);
  auto tag = static_cast<std::uint32_t>(h >> 32);
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.entry == 0) return nullptr;
    if (slot.tag == tag && keys_[slot.entry - 1] == key) return &entries_[slot.entry - 1];
  }
}

void KeyIndex::Reserve(std::size_t keys) {
  keys_.reserve(keys);
  entries_.reserve(keys);
  while (slots_.size() < 2 * keys) Grow();
}

void KeyIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
  std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.entry == 0) continue;
    std::size_t i = std::hash<std::string_view>{}(keys_[s.entry - 1]) & mask;
    while (slots_[i].entry != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void Gazetteer::Add(std::string_view name, PlaceName entry) {
  std::string key = NameKey(name);
  if (key.empty()) return;
  KeyIndex::Entry& e = keys_.FindOrAdd(key);
  bool inserted = !e.named;
  e.named = true;
  if (std::none_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    e.acronym = true;
  if (name.back() == '.') {
    e.abbreviation = true;
    if (inserted) e.abbreviation_only = true;
  } else if (!inserted) {
    e.abbreviation_only = false;
  }
  bool known = std::any_of(e.places.begin(), e.places.end(), [&](const PlaceName& p) {
    return p.place == entry.place && p.demonym == entry.demonym;
  });
  if (!known) e.places.push_back(entry);
  if (inserted) {
    ++name_count_;
    auto tokens = static_cast<std::uint32_t>(1 + std::count(key.begin(), key.end(), ' '));
    KeyIndex::Entry& first = keys_.FindOrAdd(std::string_view(key).substr(0, key.find(' ')));
    first.longest = std::max(first.longest, tokens);
  }
}

Result<Gazetteer> Gazetteer::Load(const std::string& places_file, const std::string& demonyms_file,
                                  long long min_population) {
  Gazetteer g;
  g.keys_.Reserve(1 << 17);
  g.places_.reserve(1 << 15);
  // Sizes were checked when the pack named the files (CheckDataFile).
  constexpr auto kAnySize = ~std::uintmax_t{0};
  auto places = ReadDataFile(places_file, kAnySize, "gazetteer file");
  if (!places.ok()) return places.status();
  std::unordered_map<std::int64_t, std::uint32_t> by_id;
  by_id.reserve(1 << 15);
  std::unordered_map<std::string, std::uint32_t> by_name;  // "name\tcountry" of rows without id
  std::string_view rest = places->bytes(), row;
  int line = 0;
  while (NextLine(&rest, &row)) {
    ++line;
    if (row.empty() || row[0] == '#') continue;
    auto cols = SplitTabs(row);
    Place p;
    // The id may be empty: some rows (US counties) come from GeoNames data without one.
    if (cols.size() < 7 || (!cols[0].empty() && !ParseNumber(cols[0], &p.geonames_id)) ||
        !ParseNumber(cols[5], &p.lat) || !ParseNumber(cols[6], &p.lon))
      return Status::ParseError(
          "bad gazetteer row (want: geonames_id name country feature population lat lon "
          "[aliases [admin1]])",
          places_file, line);
    ParseNumber(cols[4], &p.population);
    p.name = cols[1];
    p.country = cols[2];
    p.feature = cols[3];
    if (cols.size() > 8) p.admin1 = cols[8];
    bool always = p.IsArea() || p.feature == "PPLC";
    if (!always && p.population < min_population) continue;
    auto index = static_cast<std::uint32_t>(g.places_.size());
    if (p.geonames_id != 0) by_id[p.geonames_id] = index;
    if (p.geonames_id == 0) by_name[p.name + '\t' + p.country] = index;
    g.Add(p.name, {index, false});
    if (cols.size() > 7) {
      std::string_view aliases = cols[7];
      std::size_t pos = 0;
      while (pos <= aliases.size()) {
        std::size_t bar = aliases.find('|', pos);
        std::string_view alias =
            aliases.substr(pos, bar == aliases.npos ? aliases.npos : bar - pos);
        if (!alias.empty()) g.Add(alias, {index, false});
        if (bar == aliases.npos) break;
        pos = bar + 1;
      }
    }
    g.places_.push_back(std::move(p));
  }
  if (!demonyms_file.empty()) {
    auto demonyms = ReadDataFile(demonyms_file, kAnySize, "gazetteer file");
    if (!demonyms.ok()) return demonyms.status();
    rest = demonyms->bytes();
    line = 0;
    while (NextLine(&rest, &row)) {
      ++line;
      if (row.empty() || row[0] == '#') continue;
      auto cols = SplitTabs(row);
      std::int64_t id = 0;
      // A place without a GeoNames id (a generated division, a world region) is named instead:
      // "Dagestani<TAB><TAB>RU<TAB>Dagestan".
      bool by_place_name = cols.size() >= 4 && cols[1].empty();
      if (cols.size() < 2 || (!by_place_name && !ParseNumber(cols[1], &id)))
        return Status::ParseError(
            "bad demonym row (want: demonym geonames_id [country [name]], or demonym, empty id, "
            "country and name)",
            demonyms_file, line);
      if (by_place_name) {
        auto it = by_name.find(std::string(cols[3]) + '\t' + std::string(cols[2]));
        if (it != by_name.end()) g.Add(std::string(cols[0]), {it->second, true});
        continue;
      }
      auto it = by_id.find(id);
      if (it != by_id.end()) g.Add(std::string(cols[0]), {it->second, true});
    }
  }
  return g;
}

NameConnectors::NameConnectors(const Lexicon* lex) : lexicon(lex) {
  if (lex == nullptr) return;
  for (const auto& [key, value] : lex->by_key) longest = std::max(longest, key.size());
}

void Gazetteer::Find(const PreparedText& prepared, Span window, const NameConnectors& connectors,
                     std::vector<GazetteerHit>* hits) const {
  std::string_view text = prepared.flat;
  struct Tok {
    Span span;
    std::string_view folded;
    bool capitalised;
    bool connector;  // may stand inside a name in lower case
  };
  std::vector<Tok> toks;
  auto folded = [](const Tok& t) { return t.folded; };
  // The keys of tokens cut by the window's edges (a window is cut inside a word only in text
  // without spaces): at most one at each edge.
  std::string clipped_keys[2];
  int clipped = 0;
  auto consider = [&](Span span, std::string_view key, bool cap, bool has_ascii) {
    // A lower-case word can only stand inside a name as a connector ("and", "of"): any other
    // ends the names around it as a token would (the text between two kept tokens then has
    // letters, which no name spans). A word without an ASCII byte is kept and judged as before.
    if (!cap && has_ascii && span.size() > connectors.longest) return;
    bool connector = !cap && connectors.lexicon != nullptr && connectors.lexicon->Find(key);
    if (!cap && has_ascii && !connector) return;
    toks.push_back({span, key, cap, connector});
  };
  auto tokens = prepared.TokensIn(window);
  // The text's tokens, as this window sees them: one cut by either edge is read again from
  // the part inside (windows are cut inside a word only in text without spaces).
  auto clip = [&](const TextToken& t) {
    Span part{std::max<std::size_t>(t.begin, window.begin),
              std::min<std::size_t>(t.end, window.end)};
    std::string_view word = text.substr(part.begin, part.size());
    std::size_t i = 0;
    UChar32 c = NextCodePoint(word, i);
    bool cap = c < 0x80 ? (c >= 'A' && c <= 'Z') : u_isupper(c) != 0;
    bool has_ascii =
        std::any_of(word.begin(), word.end(), [](char ch) { return (ch & 0x80) == 0; });
    std::string& key = clipped_keys[clipped++ % 2];
    key.clear();
    if (std::all_of(word.begin(), word.end(), [](char ch) { return (ch & 0x80) == 0; })) {
      for (char ch : word) key += ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch;
    } else {
      key = FoldKey(word);
    }
    consider(part, key, cap, has_ascii);
  };
  if (!tokens.empty() && &tokens.front() != prepared.tokens.data()) {
    const TextToken& before = *(&tokens.front() - 1);
    if (before.end > window.begin) clip(before);
  } else if (tokens.empty()) {
    auto after = std::lower_bound(prepared.tokens.begin(), prepared.tokens.end(), window.begin,
                                  [](const TextToken& t, std::size_t at) { return t.begin < at; });
    if (after != prepared.tokens.begin() && std::prev(after)->end > window.begin)
      clip(*std::prev(after));
  }
  for (const TextToken& t : tokens) {
    if (t.end > window.end) {
      clip(t);
      continue;
    }
    consider(t.span(), prepared.KeyOf(t), t.capitalised, t.has_ascii);
  }
  // Tokens of one name may be separated only by spaces, hyphens, periods and apostrophes:
  // never by a comma or other punctuation ("Paris, France" is two names).
  auto joinable = [&](std::size_t a) {
    for (std::size_t k = toks[a].span.end; k < toks[a + 1].span.begin; ++k) {
      char ch = text[k];
      if (ch != ' ' && ch != '-' && ch != '.' && ch != '\'' &&
          static_cast<unsigned char>(ch) < 0x80)
        return false;
    }
    return toks[a + 1].span.begin - toks[a].span.end <= 3;
  };
  std::string key;
  for (std::size_t t = 0; t < toks.size();) {
    std::size_t matched = 0;
    const PlaceNames* names = nullptr;
    bool abbreviation = false;
    const KeyIndex::Entry* first = toks[t].capitalised ? keys_.Find(folded(toks[t])) : nullptr;
    const KeyIndex::Entry* single = first != nullptr && first->named ? first : nullptr;
    if (first != nullptr && first->longest > 0) {
      std::size_t limit = 1;
      while (limit < first->longest && t + limit < toks.size() && joinable(t + limit - 1)) ++limit;
      for (std::size_t n = limit; n >= 1 && names == nullptr; --n) {
        if (!toks[t + n - 1].capitalised && n > 1) continue;  // names end on a capital word
        key.clear();
        bool ok = true;
        for (std::size_t k = t; k < t + n; ++k) {
          if (k > t) {
            key.push_back(' ');
            if (!toks[k].capitalised && !toks[k].connector) ok = false;
          }
          key += folded(toks[k]);
        }
        if (!ok) continue;
        const KeyIndex::Entry* e = n == 1 ? single : keys_.Find(key);
        if (e != nullptr && e->named) {
          names = &e->places;
          matched = n;
          abbreviation = e->abbreviation;
        }
      }
    }
    // "Miss Smith", "Mass was said": a name known only as an abbreviation ("Miss.", "Mass.")
    // needs its period.
    if (names != nullptr && matched == 1 && single->abbreviation_only &&
        (toks[t].span.end >= window.end || text[toks[t].span.end] != '.'))
      names = nullptr;
    if (names != nullptr && matched == 1 && ShortCapitals(text, toks[t].span) && !single->acronym &&
        !DatelineAfter(text, toks[t].span.end))
      names = nullptr;
    if (names != nullptr) {
      Span span{toks[t].span.begin, toks[t + matched - 1].span.end};
      // "U.S." and "Ga." keep their final period: it is part of the name (one that doubles as
      // a sentence's full stop too).
      if (span.end < window.end && text[span.end] == '.' &&
          (abbreviation || (matched > 1 && toks[t + matched - 1].span.size() == 1)))
        ++span.end;
      hits->push_back({span, names});
      t += matched;
    } else {
      ++t;
    }
  }
}

}  // namespace gleaner::internal

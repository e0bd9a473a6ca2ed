#include "engine.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "date/dateline.h"
#include "location/places.h"
#include "normalizers.h"
#include "quote/attribution.h"
#include "rules/starts.h"
#include "text/numbers.h"
#include "text/text.h"

namespace gleaner {

bool IsReferenceDate(const std::string& s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' ||
      (s.size() > 10 && s[10] != 'T' && s[10] != ' '))
    return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  int y = std::atoi(s.substr(0, 4).c_str());
  int m = std::atoi(s.substr(5, 2).c_str()), d = std::atoi(s.substr(8, 2).c_str());
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace gleaner

namespace gleaner::internal {

namespace fs = std::filesystem;

struct Engine::CompiledRule {
  const Rule* rule = nullptr;
  const Pack* pack = nullptr;
  // The pack's compiled pattern and guards (Rule::re, ...), or null.
  std::shared_ptr<const RE2> re, before, after, not_before, not_after, extend_before;
  const Normalizer* normalizer = nullptr;
  const Gazetteer* gazetteer = nullptr;
  NameConnectors connectors;  // of the rule's pack, for gazetteer rules
  int span_group = 0;         // 0: the whole match
  // Capture groups worth asking RE2 for: none for a veto (only its span counts), which lets
  // RE2 answer from its DFA alone.
  int wanted_groups = 0;
  int groups = 0;
  std::vector<std::string> group_names;  // by group index (1-based; [0] unused)
  std::string type_key;                  // "date", ..., or the custom type
  std::vector<MatchStart> starts;        // where its matches can begin
  // The rule's "fields", compiled: each a constant, or read from a capture group.
  struct FieldStep {
    std::string name;
    FieldValue constant;
    int group = 0;  // > 0: read from this capture (absent when it did not match)
    FieldReference::Kind kind = FieldReference::kText;  // its text, lexicon value or number
    const Lexicon* lexicon = nullptr;                   // for kLexiconValue
  };
  std::vector<FieldStep> field_plan;
};

struct Engine::Stage {
  int number = 1;
  std::vector<std::size_t> pattern_rules;  // in declaration order
  std::vector<std::size_t> source_rules;   // gazetteer and quotation rules
  StartIndex starts;                       // where pattern_rules can begin (by their index)
  // pattern_rules anchored after one character, which gives \b and ^ the text before the
  // position (at the start of a window, rules are tried one by one).
  std::unique_ptr<RE2::Set> after_character;
};

struct Candidate {
  std::size_t rule = 0;
  Span match;  // the whole match
  Span span;   // the record's span (a capture's, for "span" rules)
  // The paragraph the match was found in (the text RE2 was given): its captures are read
  // there, once the candidate is about to be normalised.
  Span window;
  std::vector<std::pair<int, Span>> captures;
  bool captures_read = false;
  Fields fields;
  const PlaceNames* places = nullptr;
  Decision::Outcome outcome = Decision::Outcome::kAccepted;
  std::size_t by = SIZE_MAX;         // candidate index that vetoed or beat this one
  const char* dropped_by = nullptr;  // the document pass that removed its record (kDropped)
  bool asked_dates = false;          // its normaliser read MatchView::dates()
  std::string drop_reason;
};

struct Engine::Run {
  // Unique per run, for normalisers' per-document caches (MatchView::document_serial).
  std::uint64_t serial = [] {
    static std::atomic<std::uint64_t> next{1};
    return next++;
  }();
  PreparedText text;
  std::string dct;
  std::vector<Candidate> cands;
  std::vector<Quotation> quotations;
  bool quotations_found = false;
  bool too_many_candidates = false;
  // Matching steps left before the document is over ExtractorOptions::max_work_per_kilobyte.
  std::size_t work_left = 0;
  bool out_of_work = false;
  // Takes `steps` from the budget; false once it is spent (the caller stops matching).
  bool Spend(std::size_t steps) {
    if (steps > work_left) {
      out_of_work = true;
      work_left = 0;
      return false;
    }
    work_left -= steps;
    return true;
  }
  std::vector<std::string> warnings;
};

namespace {

// Largest gazetteer file read (the default places.tsv is 2 MB).
constexpr std::uintmax_t kMaxGazetteerFile = std::uintmax_t{1} << 30;

bool Overlaps(Span a, Span b) { return a.begin < b.end && b.begin < a.end; }

FieldValue FromJson(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  return std::monostate{};
}

class MatchViewImpl final : public MatchView {
 public:
  MatchViewImpl(const PreparedText& text, const std::string& dct, const Candidate& c,
                const Rule& rule, const Pack& pack, const std::vector<std::string>& group_names,
                std::uint64_t serial, const std::vector<DateMention>* dates)
      : text_(text),
        dct_(dct),
        c_(c),
        rule_(rule),
        pack_(pack),
        names_(group_names),
        serial_(serial),
        dates_(dates) {}

  std::string_view text() const override { return Slice(c_.match); }
  Span span() const override { return c_.match; }
  std::optional<std::string_view> capture(std::string_view name) const override {
    auto s = capture_span(name);
    if (!s) return std::nullopt;
    return Slice(*s);
  }
  std::optional<Span> capture_span(std::string_view name) const override {
    name = Actual(name);
    for (const auto& [group, span] : c_.captures)
      if (names_[group] == name) return span;
    return std::nullopt;
  }
  std::optional<std::string_view> capture_value(std::string_view name) const override {
    auto cap = capture(name);
    if (!cap) return std::nullopt;
    if (std::string_view actual = Actual(name); actual != name) {
      if (const Lexicon* lex = CaptureLexicon(pack_, rule_, actual)) {
        const std::string* v = lex->Find(*cap);
        return v == nullptr ? std::nullopt : std::optional<std::string_view>(*v);
      }
    }
    auto lex_name = rule_.capture_lexicons.find(name);
    std::string_view lexicon =
        lex_name != rule_.capture_lexicons.end() ? std::string_view(lex_name->second) : name;
    return lookup(lexicon, *cap);
  }
  std::optional<std::string_view> lookup(std::string_view lexicon,
                                         std::string_view term) const override {
    const Lexicon* lex = pack_.FindLexicon(lexicon);
    if (lex == nullptr) return std::nullopt;
    const std::string* v = lex->Find(term);
    if (v == nullptr) return std::nullopt;
    return std::string_view(*v);
  }
  std::string_view arg(std::string_view name) const override {
    auto it = rule_.args.find(name);
    return it == rule_.args.end() ? std::string_view() : std::string_view(it->second);
  }
  std::string_view document() const override { return text_.flat; }
  Span sentence() const override { return text_.SentenceAt(c_.match.begin); }
  std::string_view reference_date() const override { return dct_; }
  std::string_view rule_id() const override { return rule_.id; }
  const re2::RE2* pattern(std::string_view macro) const override {
    return pack_.CompiledMacro(macro);
  }
  std::span<const Token> tokens() const override { return text_.tokens; }
  std::string_view key(const Token& token) const override { return text_.KeyOf(token); }
  std::uint64_t document_serial() const override { return serial_; }
  std::span<const DateMention> dates() const override {
    asked_dates_ = true;
    if (dates_ == nullptr) return {};
    return *dates_;
  }
  bool asked_dates() const { return asked_dates_; }
  void reject_reason(std::string_view why) const override { rejection_ = why; }
  std::string_view rejection() const { return rejection_; }

 private:
  // The capture a normaliser asking for `name` reads (the rule's "capture:NAME" args).
  std::string_view Actual(std::string_view name) const {
    for (const auto& [asked, actual] : rule_.capture_aliases)
      if (asked == name) return actual;
    return name;
  }
  std::string_view Slice(Span s) const {
    return std::string_view(text_.flat).substr(s.begin, s.size());
  }
  const PreparedText& text_;
  const std::string& dct_;
  const Candidate& c_;
  const Rule& rule_;
  const Pack& pack_;
  const std::vector<std::string>& names_;
  std::uint64_t serial_;
  const std::vector<DateMention>* dates_;  // null while the records are being decided
  mutable bool asked_dates_ = false;
  mutable std::string rejection_;
};

}  // namespace

Engine::Engine() = default;
Engine::~Engine() = default;

Result<std::shared_ptr<const Engine>> Engine::Build(const ExtractorOptions& options) {
  std::shared_ptr<Engine> engine(new Engine());
  if (Status s = engine->Compile(options); !s.ok()) return s;
  return std::shared_ptr<const Engine>(std::move(engine));
}

// Whether the pack file refers to another pack's macros ({{pack:...}}); unreadable files say
// no, and fail when loaded.
static bool NamesOtherPacks(const std::string& file) {
  auto text = ReadDataFile(file, std::uintmax_t{64} << 20, "rule pack");
  return text.ok() && text->bytes().find("{{pack:") != std::string_view::npos;
}

Status Engine::Compile(const ExtractorOptions& options) {
  options_ = options;
  // Before the loader threads start, and before any caller's threads run Extract.
  WarmUpUnicode();
  RegisterBuiltinNormalizers(normalizers_);
  if (options.normalizers != nullptr)
    for (const auto& [name, fn] : options.normalizers->all()) normalizers_.Register(name, fn);

  std::vector<std::string> files;
  if (options.load_default_packs) {
    std::string dir = options.rules_dir;
    if (dir.empty()) {
      const char* env = std::getenv("GLEANER_RULES_DIR");
      dir = env != nullptr && *env ? std::string(env) : std::string(kBuiltinRulesDir);
    }
    for (const char* name : {"dates", "counts", "locations", "quotes"})
      files.push_back((fs::path(dir) / (std::string(name) + ".json")).string());
  }
  files.insert(files.end(), options.packs.begin(), options.packs.end());
  if (files.empty()) return Status::InvalidArgument("no rule packs to load");

  // Reading a gazetteer is the longest part of start-up: each is read on a thread of its own
  // from the moment its pack is loaded, while the other packs load and the rules compile (the
  // map's nodes are made first, so rules can point at them now; a deque keeps the entries
  // where the threads see them). The threads are declared last, so they are joined first.
  struct PendingGazetteer {
    const Pack* pack;
    const GazetteerSource* source;
    Gazetteer* into;
    Status status;
  };
  std::deque<PendingGazetteer> pending;
  Result<std::unique_ptr<QuoteAttributor>> attributor = std::unique_ptr<QuoteAttributor>();
  std::vector<Result<std::unique_ptr<Pack>>> loaded;  // by file, until moved into packs_
  loaded.reserve(files.size());
  for (std::size_t k = 0; k < files.size(); ++k) loaded.emplace_back(std::unique_ptr<Pack>());
  std::mutex pending_mutex;  // pending and workers, while packs load on several threads
  // Last, so that on any early return the threads are joined before what they read is freed.
  std::vector<std::jthread> workers;

  auto start_gazetteers = [&](const Pack& pack) {
    std::lock_guard<std::mutex> lock(pending_mutex);
    for (const GazetteerSource& g : pack.gazetteers) {
      auto [into, added] = gazetteers_.try_emplace(pack.name + "/" + g.name);
      // Two packs of one name: the second is refused below; its gazetteer is not read (two
      // threads would write one entry).
      if (!added) continue;
      // Checked here, before a worker opens them: a FIFO would block it, a device never end.
      Status check;
      for (const std::string& file : {g.places_file, g.demonyms_file})
        if (!file.empty() && check.ok())
          check = CheckDataFile(file, kMaxGazetteerFile, "gazetteer file", pack.file, g.line,
                                "gazetteer:" + g.name);
      PendingGazetteer& p = pending.emplace_back(PendingGazetteer{&pack, &g, &into->second, check});
      if (!check.ok()) continue;
      workers.emplace_back([&p] {
        auto gaz = Gazetteer::Load(p.source->places_file, p.source->demonyms_file,
                                   p.source->min_population);
        if (gaz.ok()) {
          *p.into = std::move(gaz.value());
        } else {
          p.status = gaz.status();
        }
      });
    }
  };

  // Packs that name no other pack ({{pack:...}}) load side by side, each on a thread; then they
  // are taken in the order given, as if loaded one after another. A pack that names another
  // loads after every pack before it, so the names resolve.
  {
    std::vector<std::jthread> loaders;
    PackIndex index;
    for (std::size_t k = 0; k < files.size(); ++k) {
      auto load = [&, k](const PackIndex& earlier) {
        std::size_t local_order = 0;
        loaded[k] = LoadPack(files[k], earlier, &local_order, options.max_pattern_memory);
        if (loaded[k].ok()) start_gazetteers(**loaded[k]);
      };
      if (!NamesOtherPacks(files[k])) {
        loaders.emplace_back(load, PackIndex{});
        continue;
      }
      for (std::jthread& l : loaders) l.join();
      loaders.clear();
      for (std::size_t e = 0; e < k; ++e)
        if (loaded[e].ok()) index[(*loaded[e])->name] = loaded[e]->get();
      load(index);
    }
  }
  std::size_t order = 0;
  std::set<std::string> rule_ids, pack_names;
  for (std::size_t k = 0; k < files.size(); ++k) {
    if (!loaded[k].ok()) return loaded[k].status();
    auto& pack = loaded[k].value();
    if (!pack_names.insert(pack->name).second)
      return Status::InvalidRule("a pack named \"" + pack->name + "\" is already loaded", files[k],
                                 1, "");
    for (Rule& r : pack->rules) {
      r.order = order++;
      if (!rule_ids.insert(r.id).second)
        return Status::InvalidRule("rule id already used by an earlier pack", files[k], r.line,
                                   r.id);
    }
    packs_.push_back(std::move(pack));
  }
  // The quote attributor's patterns compile on a thread of their own too, beside the stages.
  for (const auto& pack : packs_) {
    bool emits_quotes = std::any_of(pack->rules.begin(), pack->rules.end(),
                                    [](const Rule& r) { return r.kind == RecordKind::kQuote; });
    if (!emits_quotes) continue;
    workers.emplace_back(
        [&attributor, quotes = pack.get()] { attributor = QuoteAttributor::Create(*quotes); });
    break;
  }

  // A veto naming a type no rule emits ("dates" for "date") would silently do nothing.
  std::set<std::string> types = {"date", "count", "location", "quote"};
  for (const auto& pack : packs_)
    for (const Rule& r : pack->rules)
      if (r.kind == RecordKind::kCustom) types.insert(r.custom_type);
  for (const auto& pack : packs_)
    for (const Rule& r : pack->rules)
      for (const std::string& t : r.veto_types)
        if (!types.count(t))
          return Status::InvalidRule("\"veto\" names \"" + t + "\", a type no rule emits",
                                     pack->file, r.line, r.id);

  std::map<int, std::unique_ptr<Stage>> stages;
  for (const auto& pack : packs_) {
    for (const Rule& rule : pack->rules) {
      auto cr = std::make_unique<CompiledRule>();
      cr->rule = &rule;
      cr->pack = pack.get();
      cr->type_key =
          rule.kind == RecordKind::kCustom ? rule.custom_type : RecordKindName(rule.kind);
      cr->re = rule.re;
      cr->before = rule.before_re;
      cr->extend_before = rule.extend_before_re;
      cr->not_before = rule.not_before_re;
      cr->after = rule.after_re;
      cr->not_after = rule.not_after_re;
      for (auto it = rule.fields.begin(); it != rule.fields.end(); ++it) {
        const auto& v = it.value();
        CompiledRule::FieldStep step{it.key(), FromJson(v)};
        FieldReference ref =
            v.is_string() ? ParseFieldReference(v.get<std::string>()) : FieldReference();
        if (!ref.capture.empty()) {
          // The loader checked the capture and its lexicon; a rule without a pattern has none.
          step.constant = std::monostate{};
          step.group = -1;
          step.kind = ref.kind;
          step.lexicon = CaptureLexicon(*pack, rule, ref.capture);
          if (cr->re) {
            auto named = cr->re->NamedCapturingGroups().find(ref.capture);
            if (named != cr->re->NamedCapturingGroups().end()) step.group = named->second;
          }
        }
        cr->field_plan.push_back(std::move(step));
      }
      if (cr->re) {
        cr->groups = cr->re->NumberOfCapturingGroups();
        cr->group_names.assign(cr->groups + 1, "");
        for (const auto& [name, idx] : cr->re->NamedCapturingGroups()) cr->group_names[idx] = name;
        if (!rule.span_capture.empty())
          cr->span_group = cr->re->NamedCapturingGroups().at(rule.span_capture);
        cr->wanted_groups = rule.kind == RecordKind::kVeto && cr->span_group == 0 ? 0 : cr->groups;
      }
      if (!rule.normalize.empty()) {
        cr->normalizer = normalizers_.Find(rule.normalize);
        if (cr->normalizer == nullptr)
          return Status::InvalidRule(
              "unknown normaliser \"" + rule.normalize +
                  "\": it is neither built in (timex, count, number: docs/rule-packs.md) nor "
                  "registered. A program registers its own with NormalizerRegistry::Register "
                  "and ExtractorOptions::normalizers before Extractor::Create (see "
                  "examples/custom_pack/main.cc); the gleaner tool has only the built-in ones, so "
                  "run such a pack from that program, or write the field with \"$capture\", "
                  "\"$capture.value\" or \"$capture.number\" instead",
              pack->file, rule.line, rule.id);
      }
      if (!rule.gazetteer.empty()) {
        cr->gazetteer = &gazetteers_.at(pack->name + "/" + rule.gazetteer);
        cr->connectors = NameConnectors(pack->FindLexicon("name_connectors"));
      }
      auto& stage = stages[rule.stage];
      if (!stage) {
        stage = std::make_unique<Stage>();
        stage->number = rule.stage;
      }
      std::size_t index = rules_.size();
      if (cr->re) {
        stage->pattern_rules.push_back(index);
      } else {
        stage->source_rules.push_back(index);
      }
      rules_.push_back(std::move(cr));
    }
  }
  auto datelines = CompileDatelineForms(packs_);
  if (!datelines.ok()) return datelines.status();
  datelines_ = std::move(datelines.value());
  if (const Lexicon* lex = FindLexicon("sentence_abbreviations"))
    abbreviations_ = [lex](std::string_view word) { return lex->Find(word) != nullptr; };
  for (auto& [number, stage] : stages) {
    for (std::size_t i = 0; i < stage->pattern_rules.size(); ++i) {
      CompiledRule& cr = *rules_[stage->pattern_rules[i]];
      cr.starts = AnalyzeMatchStarts(cr.rule->pattern, cr.rule->case_insensitive);
      for (const MatchStart& start : cr.starts) stage->starts.Add(start, i);
    }
    stage->starts.Freeze();
    RE2::Options opt;
    opt.set_log_errors(false);
    opt.set_max_mem(std::max<long long>(64 << 20, options.max_pattern_memory));
    stage->after_character = std::make_unique<RE2::Set>(opt, RE2::ANCHOR_START);
    for (std::size_t i = 0; i < stage->pattern_rules.size(); ++i) {
      const CompiledRule& cr = *rules_[stage->pattern_rules[i]];
      std::string p = (cr.rule->case_insensitive ? "(?i:" : "(?:") + cr.rule->pattern + ")";
      std::string error;
      if (stage->after_character->Add("(?s:.)" + p, &error) != static_cast<int>(i))
        return Status::InvalidRule("cannot add to the stage's rule set: " + error, cr.pack->file,
                                   cr.rule->line, cr.rule->id);
    }
    if (!stage->after_character->Compile())
      return Status::ResourceLimit("the rules of stage " + std::to_string(number) +
                                   " are too large together; split them over more stages");
    stages_.push_back(std::move(stage));
  }
  for (std::jthread& w : workers) w.join();
  if (!attributor.ok()) return attributor.status();
  quotes_ = std::move(attributor.value());
  for (const PendingGazetteer& p : pending) {
    if (p.status.ok()) continue;
    const Status& s = p.status;
    if (s.file() == p.pack->file) return s;  // already placed in the pack
    return Status::InvalidRule(
        s.message() + (s.line() ? " (line " + std::to_string(s.line()) + ")" : ""), p.pack->file,
        p.source->line, "gazetteer:" + p.source->name);
  }
  return Status::Ok();
}

bool Engine::AddCandidate(Run& run, std::size_t rule_index, Span match, Span span, Span window,
                          std::vector<std::pair<int, Span>> captures, bool captures_read) const {
  if (run.cands.size() >= options_.max_candidates) {
    run.too_many_candidates = true;  // reported by Run_; stop storing, not matching
    return false;
  }
  Candidate c;
  c.rule = rule_index;
  c.match = match;
  c.span = span;
  c.window = window;
  c.captures = std::move(captures);
  c.captures_read = captures_read;
  run.cands.push_back(std::move(c));
  return true;
}

// The leftmost match's captures are those of the preferred match that ends where it ends
// (what RE2 itself does after its DFA), and RE2 reads a short text with its fastest engine.
// False if the budget ran out (or, which cannot happen, the match is not found again).
bool Engine::ReadCaptures(Run& run, std::size_t ri, Span window, Span m,
                          std::vector<re2::StringPiece>* groups,
                          std::vector<std::pair<int, Span>>* captures) const {
  const CompiledRule& cr = *rules_[ri];
  if (cr.wanted_groups == 0) return true;
  const std::string& flat = run.text.flat;
  groups->assign(cr.groups + 1, re2::StringPiece());
  re2::StringPiece w(flat.data() + window.begin, window.size());
  if (!run.Spend(1) || !cr.re->Match(w, m.begin - window.begin, m.end - window.begin,
                                     RE2::ANCHOR_BOTH, groups->data(), cr.wanted_groups + 1))
    return false;
  for (int g = 1; g <= cr.wanted_groups; ++g) {
    const re2::StringPiece& piece = (*groups)[g];
    if (piece.data() == nullptr) continue;
    std::size_t b = static_cast<std::size_t>(piece.data() - flat.data());
    captures->emplace_back(g, Span{b, b + piece.size()});
  }
  return true;
}

constexpr std::size_t kMaxTriggeredWindow = 8192;

// Where `piece`, a match in `text`, lies in it.
static Span SpanOf(const std::string& text, const re2::StringPiece& piece) {
  std::size_t begin = static_cast<std::size_t>(piece.data() - text.data());
  return {begin, begin + piece.size()};
}

// Where a rule's search in a window stands: the next position a match may begin at, and what
// is left of the budget for retries after failed guards.
struct Engine::RuleCursor {
  std::size_t pos = 0;
  std::size_t retry_budget = 0;
};

namespace {

// Whether `guard` (anchored at the edge it looks at) matches the text on one side of a match:
// the 96 bytes before `edge` in the window, or after it. The guard sees only that text, so that
// "$" and "^" mean the match's edge (RE2 anchors to the text it is given, not to startpos).
bool GuardMatches(const RE2& guard, const std::string& flat, Span window, std::size_t edge,
                  bool before) {
  std::size_t lo = before ? (edge > window.begin + 96 ? edge - 96 : window.begin) : edge;
  std::size_t hi = before ? edge : std::min(window.end, edge + 96);
  re2::StringPiece side(flat.data() + lo, hi - lo);
  return guard.Match(side, 0, side.size(), before ? RE2::UNANCHORED : RE2::ANCHOR_START, nullptr,
                     0);
}

}  // namespace

// The guards that read only the text before a match (before, not_before, extend_before). Sets
// *extended_begin to where an extend_before match begins (else `begin`). Checking them before
// the rule's pattern, at every start, was slower: the set and the pattern rule out more.
bool Engine::BeforeGuardsHold(const CompiledRule& cr, const std::string& flat, Span window,
                              std::size_t begin, std::size_t* extended_begin) const {
  *extended_begin = begin;
  if (cr.before && !GuardMatches(*cr.before, flat, window, begin, true)) return false;
  if (cr.not_before && GuardMatches(*cr.not_before, flat, window, begin, true)) return false;
  if (cr.extend_before) {
    std::size_t lo = begin > window.begin + 96 ? begin - 96 : window.begin;
    re2::StringPiece side(flat.data() + lo, begin - lo), e;
    if (!cr.extend_before->Match(side, 0, side.size(), RE2::UNANCHORED, &e, 1)) return false;
    *extended_begin = lo + static_cast<std::size_t>(e.data() - side.data());
  }
  return true;
}

// Handles the match `m` of rule `ri` found from cursor->pos: moves the cursor, checks the
// guards, and only then reads the captures, on exactly the matched text: most matches fail a
// guard, and finding a match with RE2's DFA costs far less than reading its captures.
void Engine::TakeMatch(Run& run, std::size_t ri, Span window, Span m, RuleCursor* cursor,
                       std::vector<re2::StringPiece>* groups,
                       std::vector<PendingCandidate>* out) const {
  const CompiledRule& cr = *rules_[ri];
  const std::string& flat = run.text.flat;
  cursor->pos = m.end > m.begin ? m.end : m.end + 1;
  if (m.end == m.begin) return;
  if (!run.Spend(1)) return;
  auto after_ok = [&](const std::shared_ptr<const RE2>& guard, bool want) {
    return !guard || GuardMatches(*guard, flat, window, m.end, false) == want;
  };
  std::size_t extended_begin = m.begin;
  bool before_ok = BeforeGuardsHold(cr, flat, window, m.begin, &extended_begin);
  if (!before_ok || !after_ok(cr.after, true) || !after_ok(cr.not_after, false)) {
    // A guard failed for this match, not for the text inside it: search again from the next
    // character so that a shorter or later match there can still be found. The budget keeps a
    // window linear in its size whatever the rule ("100 100 100 ... 100x" with a not_after).
    if (m.size() > cursor->retry_budget) {
      cursor->pos = m.end;
      return;
    }
    cursor->retry_budget -= m.size();
    cursor->pos = m.begin + 1;
    while (cursor->pos < window.end &&
           (static_cast<unsigned char>(flat[cursor->pos]) & 0xC0) == 0x80)
      ++cursor->pos;
    return;
  }
  // Captures cost more than the match: they are read when the candidate is normalised,
  // which most never are (vetoed, or beaten by a longer one), unless they give the span.
  std::vector<std::pair<int, Span>> caps;
  Span span{extended_begin, m.end};
  if (cr.span_group > 0) {
    if (!ReadCaptures(run, ri, window, m, groups, &caps)) return;
    const re2::StringPiece& piece = (*groups)[cr.span_group];
    if (piece.data() == nullptr) return;
    span.begin = static_cast<std::size_t>(piece.data() - flat.data());
    span.end = span.begin + piece.size();
    if (span.end == span.begin) return;
  }
  out->push_back({ri, m, span, window, std::move(caps), cr.span_group > 0});
}

// Every rule of the stage searched over the whole window, as RE2 finds matches: the exhaustive
// mode, and the definition of what the triggered mode must find.
void Engine::SearchWindow(Run& run, const Stage& stage, Span window,
                          std::vector<PendingCandidate>* out) const {
  const std::string& flat = run.text.flat;
  re2::StringPiece w(flat.data() + window.begin, window.size());
  std::vector<re2::StringPiece> groups;
  re2::StringPiece whole;
  for (std::size_t ri : stage.pattern_rules) {
    const CompiledRule& cr = *rules_[ri];
    RuleCursor cursor{window.begin, 4 * window.size() + 4096};
    // The window is the text RE2 sees, so "$" means the paragraph's end and "^" its start.
    while (cursor.pos <= window.end && run.Spend(1) &&
           cr.re->Match(w, cursor.pos - window.begin, w.size(), RE2::UNANCHORED, &whole, 1))
      TakeMatch(run, ri, window, SpanOf(flat, whole), &cursor, &groups, out);
  }
}

// The same matches, found by trying each rule only where one of its matches can begin (its
// MatchStarts), anchored there. A rule's leftmost match from a position is its anchored match
// at the first start after it that has one, so the two modes agree match for match.
void Engine::TriggerWindow(Run& run, const Stage& stage, Span window,
                           std::vector<PendingCandidate>* out) const {
  const std::string& flat = run.text.flat;
  re2::StringPiece w(flat.data() + window.begin, window.size());
  std::vector<RuleCursor> cursors(stage.pattern_rules.size(),
                                  RuleCursor{window.begin, 4 * window.size() + 4096});
  std::vector<std::size_t> fitting;
  std::vector<int> matching;
  // The position each rule was last listed at, and last matched at by the set.
  std::vector<std::size_t> seen_at(stage.pattern_rules.size(), SIZE_MAX);
  std::vector<std::size_t> matched_at(stage.pattern_rules.size(), SIZE_MAX);
  std::vector<re2::StringPiece> groups;
  re2::StringPiece whole;
  std::string_view window_text(w.data(), w.size());
  std::size_t previous_char = window.begin;
  for (std::size_t p = window.begin; p < window.end; ++p) {
    unsigned char c = static_cast<unsigned char>(flat[p]);
    // Inside a character only a pattern that can match any byte may begin: MayBegin says.
    bool char_start = (c & 0xC0) != 0x80;
    std::size_t before = previous_char;
    if (char_start) previous_char = p;
    bool boundary = IsRe2WordChar(flat[p]) != (p > window.begin && IsRe2WordChar(flat[p - 1]));
    if (!stage.starts.MayBegin(c, boundary)) continue;
    if (p + 1 < window.end &&
        !stage.starts.MayBeginPair(c, static_cast<unsigned char>(flat[p + 1])))
      continue;
    fitting.clear();
    stage.starts.Find(window_text, p - window.begin, &fitting);
    if (fitting.empty()) continue;
    // Each rule once, unless its last match still covers the position.
    std::size_t kept = 0;
    for (std::size_t local : fitting) {
      if (seen_at[local] == p || cursors[local].pos > p) continue;
      seen_at[local] = p;
      fitting[kept++] = local;
    }
    fitting.resize(kept);
    if (fitting.empty()) continue;
    matching.clear();
    // One walk of the stage's set tells which of them match here: cheaper than a try each
    // when several fit (every rule that opens with a number fits at every number).
    if (fitting.size() > 1 && p > window.begin && char_start) {
      if (!run.Spend(1)) return;
      RE2::Set::ErrorInfo error{RE2::Set::kNoError};
      bool any = stage.after_character->Match(
          re2::StringPiece(flat.data() + before, window.end - before), &matching, &error);
      // Out of DFA memory, the set cannot say: each rule is then tried on its own.
      if (!any && error.kind == RE2::Set::kNoError) continue;
      if (any) {
        for (int local : matching) matched_at[static_cast<std::size_t>(local)] = p;
        fitting.erase(std::remove_if(fitting.begin(), fitting.end(),
                                     [&](std::size_t local) { return matched_at[local] != p; }),
                      fitting.end());
      }
    }
    for (std::size_t local : fitting) {
      std::size_t ri = stage.pattern_rules[local];
      if (!run.Spend(1)) return;
      if (rules_[ri]->re->Match(w, p - window.begin, w.size(), RE2::ANCHOR_START, &whole, 1))
        TakeMatch(run, ri, window, SpanOf(flat, whole), &cursors[local], &groups, out);
    }
  }
  // Candidates in the order the exhaustive search makes them: by rule, then position.
  std::stable_sort(
      out->begin(), out->end(),
      [](const PendingCandidate& a, const PendingCandidate& b) { return a.rule < b.rule; });
}

void Engine::Generate(Run& run) const {
  const std::string& flat = run.text.flat;
  std::vector<PendingCandidate> found;
  for (const auto& stage : stages_) {
    for (Span window : run.text.paragraphs) {
      found.clear();
      // In a window bigger than any paragraph of news, a try at each start could walk far for
      // each of many starts; the exhaustive search is linear whatever the text.
      if (options_.exhaustive || window.size() > kMaxTriggeredWindow) {
        SearchWindow(run, *stage, window, &found);
      } else {
        TriggerWindow(run, *stage, window, &found);
      }
      for (PendingCandidate& f : found)
        AddCandidate(run, f.rule, f.match, f.span, f.window, std::move(f.captures),
                     f.captures_read);
    }
    for (std::size_t ri : stage->source_rules) {
      const CompiledRule& cr = *rules_[ri];
      if (cr.gazetteer != nullptr) {
        std::vector<GazetteerHit> gaz_hits;
        for (Span window : run.text.paragraphs)
          cr.gazetteer->Find(run.text, window, cr.connectors, &gaz_hits);
        for (const GazetteerHit& hit : gaz_hits)
          if (AddCandidate(run, ri, hit.span, hit.span)) run.cands.back().places = hit.names;
      } else if (cr.rule->quotations) {
        if (!run.quotations_found) {
          run.quotations = FindQuotations(flat, run.text.paragraphs);
          run.quotations_found = true;
        }
        for (const Quotation& q : run.quotations) AddCandidate(run, ri, q.outer, q.inner);
      }
    }
  }
}

void Engine::Normalize(Run& run, Candidate& c,
                       const std::vector<MatchView::DateMention>* dates) const {
  const CompiledRule& cr = *rules_[c.rule];
  if (cr.rule->kind == RecordKind::kVeto) return;
  if (!c.captures_read) {
    c.captures_read = true;
    thread_local std::vector<re2::StringPiece> groups;  // reused: one read per candidate
    if (!ReadCaptures(run, c.rule, c.window, c.match, &groups, &c.captures)) {
      c.outcome = Decision::Outcome::kRejected;
      c.drop_reason = "its captures could not be read";
      return;
    }
  }
  std::optional<MatchViewImpl> view;
  auto view_of = [&]() -> MatchViewImpl& {
    if (!view)
      view.emplace(run.text, run.dct, c, *cr.rule, *cr.pack, cr.group_names, run.serial, dates);
    return *view;
  };
  for (const CompiledRule::FieldStep& step : cr.field_plan) {
    if (step.group == 0) {
      c.fields.emplace_back(step.name, step.constant);
      continue;
    }
    for (const auto& [g, span] : c.captures) {
      if (g != step.group) continue;
      std::string_view text = std::string_view(run.text.flat).substr(span.begin, span.size());
      if (step.kind == FieldReference::kText) {
        c.fields.emplace_back(step.name, std::string(text));
      } else if (step.kind == FieldReference::kLexiconValue) {
        if (const std::string* v = step.lexicon != nullptr ? step.lexicon->Find(text) : nullptr)
          c.fields.emplace_back(step.name, *v);
      } else if (auto number = ParseCardinal(text, NumberWordsOf(view_of()))) {
        c.fields.emplace_back(step.name, *number);
      }
    }
  }
  if (cr.normalizer != nullptr) {
    MatchViewImpl& view = view_of();
    bool ok = false;
    try {
      ok = (*cr.normalizer)(view, c.fields);
    } catch (const std::exception& e) {
      run.warnings.push_back("normaliser \"" + cr.rule->normalize + "\" of rule '" + cr.rule->id +
                             "' threw: " + e.what());
    } catch (...) {
      run.warnings.push_back("normaliser \"" + cr.rule->normalize + "\" of rule '" + cr.rule->id +
                             "' threw");
    }
    // The normaliser's fields come after the rule's and win on the same name: one of each
    // (only a rule with fields of its own can have two).
    for (std::size_t i = cr.field_plan.empty() ? 0 : c.fields.size(); i-- > 1;)
      for (std::size_t j = 0; j < i; ++j)
        if (c.fields[j].first == c.fields[i].first) {
          c.fields.erase(c.fields.begin() + static_cast<std::ptrdiff_t>(j));
          --i;
          break;
        }
    if (!ok) {
      c.outcome = Decision::Outcome::kRejected;
      c.drop_reason = view.rejection().empty()
                          ? "normaliser \"" + cr.rule->normalize + "\" returned false"
                          : std::string(view.rejection());
    }
    c.asked_dates = view.asked_dates();
  }
}

// The dates pass: normalisers that anchor a date to the others (MatchView::dates) are run again
// over the decided records, in text order, so that each sees the final values of the dates
// before it ("the next day" after a date that was itself "three days later").
void Engine::AnchorDates(Run& run) const {
  std::vector<std::size_t> dates;
  bool any_asked = false;
  for (std::size_t i = 0; i < run.cands.size(); ++i) {
    const Candidate& c = run.cands[i];
    if (c.outcome != Decision::Outcome::kAccepted) continue;
    if (rules_[c.rule]->rule->kind != RecordKind::kDate && !c.asked_dates) continue;
    dates.push_back(i);
    any_asked = any_asked || c.asked_dates;
  }
  if (!any_asked) return;
  std::sort(dates.begin(), dates.end(), [&](std::size_t a, std::size_t b) {
    return run.cands[a].span.begin != run.cands[b].span.begin
               ? run.cands[a].span.begin < run.cands[b].span.begin
               : a < b;
  });
  auto field = [&](const Candidate& c, std::string_view name) {
    const std::string* v = nullptr;
    for (const auto& [k, f] : c.fields)
      if (k == name) v = std::get_if<std::string>(&f);
    return v == nullptr ? std::string_view() : std::string_view(*v);
  };
  // Only date records are mentions; another type's normaliser may read them too.
  std::vector<MatchView::DateMention> mentions;
  std::vector<std::size_t> mention_of(dates.size(), SIZE_MAX);
  for (std::size_t k = 0; k < dates.size(); ++k) {
    const Candidate& c = run.cands[dates[k]];
    if (rules_[c.rule]->rule->kind != RecordKind::kDate) continue;
    mention_of[k] = mentions.size();
    mentions.push_back({c.span, field(c, "value"), field(c, "timex_type"), c.asked_dates});
  }
  for (std::size_t k = 0; k < dates.size(); ++k) {
    Candidate& c = run.cands[dates[k]];
    if (!c.asked_dates) continue;
    if (mention_of[k] != SIZE_MAX)  // its fields go now
      mentions[mention_of[k]].value = mentions[mention_of[k]].timex_type = {};
    c.fields.clear();
    Normalize(run, c, &mentions);
    if (c.outcome != Decision::Outcome::kAccepted) {
      c.outcome = Decision::Outcome::kDropped;
      c.dropped_by = "dates";
      c.drop_reason = "its normaliser rejected it once the dates before it were known";
    }
    if (mention_of[k] != SIZE_MAX && c.outcome == Decision::Outcome::kAccepted) {
      mentions[mention_of[k]].value = field(c, "value");
      mentions[mention_of[k]].timex_type = field(c, "timex_type");
    }
  }
}

// Decides every candidate. Vetoes first remove every candidate of their target types that
// overlaps them, unless it strictly contains the veto's span. The rest are taken in conflict
// order (earlier stage, higher priority, longer span, earlier start, earlier declaration): one
// that overlaps a record already taken loses; any other is normalised, and becomes a record
// unless its normaliser rejects it.
void Engine::Resolve(Run& run) const {
  auto& cands = run.cands;
  std::vector<std::size_t> vetoes;
  for (std::size_t i = 0; i < cands.size(); ++i)
    if (rules_[cands[i].rule]->rule->kind == RecordKind::kVeto) {
      cands[i].outcome = Decision::Outcome::kVetoRule;
      vetoes.push_back(i);
    }
  if (!vetoes.empty()) {
    // Vetoes sorted by start, with the running maximum of their ends, so that each candidate
    // looks only at the vetoes that can overlap it (linear in practice, not candidates x vetoes).
    std::sort(vetoes.begin(), vetoes.end(), [&](std::size_t a, std::size_t b) {
      return cands[a].span.begin != cands[b].span.begin ? cands[a].span.begin < cands[b].span.begin
                                                        : a < b;
    });
    std::vector<std::size_t> max_end(vetoes.size());
    for (std::size_t k = 0; k < vetoes.size(); ++k)
      max_end[k] = std::max(k ? max_end[k - 1] : 0, cands[vetoes[k]].span.end);
    for (auto& c : cands) {
      if (c.outcome != Decision::Outcome::kAccepted) continue;
      const std::string& type = rules_[c.rule]->type_key;
      auto first_after = std::lower_bound(
          vetoes.begin(), vetoes.end(), c.span.end,
          [&](std::size_t v, std::size_t end) { return cands[v].span.begin < end; });
      std::size_t by = SIZE_MAX;
      for (std::size_t k = static_cast<std::size_t>(first_after - vetoes.begin());
           k-- > 0 && max_end[k] > c.span.begin;) {
        std::size_t v = vetoes[k];
        const auto& types = rules_[cands[v].rule]->rule->veto_types;
        // A candidate that strictly contains the veto span survives: vetoing "Union" must
        // not remove "European Union".
        const Span vs = cands[v].span;
        bool contains =
            c.span.begin <= vs.begin && vs.end <= c.span.end && c.span.size() > vs.size();
        if (Overlaps(c.span, vs) && !contains &&
            std::find(types.begin(), types.end(), type) != types.end())
          by = std::min(by, v);  // the first veto in candidate order, as explain reports it
      }
      if (by != SIZE_MAX) {
        c.outcome = Decision::Outcome::kVetoed;
        c.by = by;
      }
    }
  }
  // Then each candidate in conflict order: one that overlaps a record already taken loses, and
  // only the others are normalised (most candidates never are: normalising costs the most).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < cands.size(); ++i)
    if (cands[i].outcome == Decision::Outcome::kAccepted) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Candidate& x = cands[a];
    const Candidate& y = cands[b];
    const Rule& rx = *rules_[x.rule]->rule;
    const Rule& ry = *rules_[y.rule]->rule;
    if (rx.stage != ry.stage) return rx.stage < ry.stage;
    if (rx.priority != ry.priority) return rx.priority > ry.priority;
    if (x.span.size() != y.span.size()) return x.span.size() > y.span.size();
    if (x.span.begin != y.span.begin) return x.span.begin < y.span.begin;
    if (rx.order != ry.order) return rx.order < ry.order;
    return a < b;
  });
  std::map<std::string, std::map<std::size_t, std::size_t>> taken;  // type -> begin -> cand
  for (std::size_t i : order) {
    Candidate& c = cands[i];
    auto& spans = taken[rules_[c.rule]->type_key];
    auto it = spans.lower_bound(c.span.end);
    if (it != spans.begin()) {
      --it;
      if (cands[it->second].span.end > c.span.begin) {
        c.outcome = Decision::Outcome::kLostConflict;
        c.by = it->second;
        continue;
      }
    }
    Normalize(run, c);
    if (c.outcome != Decision::Outcome::kAccepted) continue;
    spans.emplace(c.span.begin, i);
  }
}

namespace {

const std::string* GetString(const Fields& f, std::string_view name) {
  const std::string* out = nullptr;
  for (const auto& [k, v] : f)
    if (k == name) out = std::get_if<std::string>(&v);
  return out;
}
std::optional<double> GetNumber(const Fields& f, std::string_view name) {
  std::optional<double> out;
  for (const auto& [k, v] : f) {
    if (k != name) continue;
    if (auto* d = std::get_if<double>(&v)) {
      out = *d;
    } else if (auto* s = std::get_if<std::string>(&v)) {
      char* end = nullptr;
      double x = std::strtod(s->c_str(), &end);
      out = end != s->c_str() ? std::optional<double>(x) : std::nullopt;
    } else {
      out.reset();
    }
  }
  return out;
}
bool GetBool(const Fields& f, std::string_view name) {
  bool out = false;
  for (const auto& [k, v] : f)
    if (k == name) {
      if (auto* b = std::get_if<bool>(&v)) out = *b;
    }
  return out;
}
std::string Str(const Fields& f, std::string_view name) {
  const std::string* s = GetString(f, name);
  return s ? *s : std::string();
}

}  // namespace

void Engine::BuildRecords(Run& run, Extraction& out) const {
  std::vector<PlaceChoice> places;
  std::vector<std::size_t> record_candidate;  // the candidate each record comes from
  // Records are large: growing the vector by doubling held up to three copies at once.
  out.records.reserve(static_cast<std::size_t>(
      std::count_if(run.cands.begin(), run.cands.end(),
                    [](const Candidate& c) { return c.outcome == Decision::Outcome::kAccepted; })));
  for (std::size_t i = 0; i < run.cands.size(); ++i) {
    Candidate& c = run.cands[i];
    if (c.outcome != Decision::Outcome::kAccepted) continue;
    // Every accepted candidate of a record type makes one record (vetoes are never accepted).
    record_candidate.push_back(i);
    const CompiledRule& cr = *rules_[c.rule];
    RecordBase base;
    base.span = c.span;
    base.text = run.text.repaired.substr(c.span.begin, c.span.size());
    base.rule_id = cr.rule->id;
    base.pack = cr.pack->name;
    const Fields& f = c.fields;
    switch (cr.rule->kind) {
      case RecordKind::kDate: {
        Date d;
        static_cast<RecordBase&>(d) = std::move(base);
        d.timex_type = Str(f, "timex_type");
        if (d.timex_type.empty()) d.timex_type = "DATE";
        d.value = Str(f, "value");
        d.mod = Str(f, "mod");
        out.records.emplace_back(std::move(d));
        break;
      }
      case RecordKind::kCount: {
        Count n;
        static_cast<RecordBase&>(n) = std::move(base);
        n.value = GetNumber(f, "value");
        n.low = GetNumber(f, "low");
        n.high = GetNumber(f, "high");
        n.approximate = GetBool(f, "approximate");
        n.qualifier = Str(f, "qualifier");
        n.unit = Str(f, "unit");
        n.entity = Str(f, "entity");
        n.event = Str(f, "event");
        out.records.emplace_back(std::move(n));
        break;
      }
      case RecordKind::kLocation: {
        Location l;
        static_cast<RecordBase&>(l) = std::move(base);
        l.kind = Str(f, "kind");
        l.name = Str(f, "name");
        l.country = Str(f, "country");
        if (auto id = GetNumber(f, "geonames_id");
            id && std::isfinite(*id) && std::fabs(*id) < 9e15)
          l.geonames_id = static_cast<std::int64_t>(*id);
        l.lat = GetNumber(f, "lat");
        l.lon = GetNumber(f, "lon");
        l.feature = Str(f, "feature");
        out.records.emplace_back(std::move(l));
        if (c.places != nullptr && !c.places->empty())
          places.push_back({out.records.size() - 1, c.places, cr.gazetteer});
        break;
      }
      case RecordKind::kQuote: {
        Quote q;
        static_cast<RecordBase&>(q) = std::move(base);
        q.speaker = Str(f, "speaker");
        q.cue = Str(f, "cue");
        out.records.emplace_back(std::move(q));
        break;
      }
      case RecordKind::kCustom: {
        Custom u;
        static_cast<RecordBase&>(u) = std::move(base);
        u.type = cr.rule->custom_type;
        u.fields = std::move(c.fields);
        out.records.emplace_back(std::move(u));
        break;
      }
      case RecordKind::kVeto:
        break;
    }
    // The record holds them now; on dense text the candidates' fields were half the memory.
    Fields().swap(c.fields);
  }
  PassContext ctx{run.text, run.dct, [this](std::string_view name) { return FindLexicon(name); }};
  std::vector<PassDrop> drops;
  ResolvePlaces(ctx, places, out.records, &drops);
  if (quotes_) quotes_->Attribute(ctx, out.records, &drops);
  // The passes' drops, removed at once and marked on their candidates for explain.
  std::vector<bool> dropped(out.records.size(), false);
  for (PassDrop& d : drops) {
    if (d.record >= out.records.size() || dropped[d.record]) continue;
    dropped[d.record] = true;
    if (d.record < record_candidate.size()) {
      Candidate& c = run.cands[record_candidate[d.record]];
      c.outcome = Decision::Outcome::kDropped;
      c.dropped_by = d.pass;
      c.drop_reason = std::move(d.reason);
    }
  }
  std::size_t kept = 0;
  for (std::size_t r = 0; r < out.records.size(); ++r) {
    if (dropped[r]) continue;
    if (kept != r) out.records[kept] = std::move(out.records[r]);  // never self-move
    ++kept;
  }
  out.records.erase(out.records.begin() + static_cast<std::ptrdiff_t>(kept), out.records.end());
  for (Record& r : out.records) {
    std::visit(
        [&](auto& rec) {
          rec.span = {run.text.ToInput(rec.span.begin), run.text.ToInput(rec.span.end)};
          if constexpr (std::is_same_v<std::decay_t<decltype(rec)>, Quote>) {
            if (rec.speaker_span)
              rec.speaker_span = Span{run.text.ToInput(rec.speaker_span->begin),
                                      run.text.ToInput(rec.speaker_span->end)};
          }
        },
        r);
  }
  // In text order: the order is sorted, then each record moved once (a sort of the records
  // themselves moved each of these large objects many times).
  std::vector<std::size_t> order(out.records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    const Record& a = out.records[i];
    const Record& b = out.records[j];
    const RecordBase& x = Base(a);
    const RecordBase& y = Base(b);
    if (x.span.begin != y.span.begin) return x.span.begin < y.span.begin;
    if (x.span.end != y.span.end) return x.span.end < y.span.end;
    return a.index() < b.index();
  });
  // Permuted in place, cycle by cycle: a sorted copy would hold every record twice.
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    Record moving = std::move(out.records[start]);
    std::size_t at = start;
    while (order[at] != start) {
      std::size_t from = order[at];
      out.records[at] = std::move(out.records[from]);
      order[at] = at;
      at = from;
    }
    out.records[at] = std::move(moving);
    order[at] = at;
  }
}

const Lexicon* Engine::FindLexicon(std::string_view name) const {
  for (const auto& p : packs_) {
    auto it = p->lexicons.find(name);
    if (it != p->lexicons.end()) return &it->second;
  }
  return nullptr;
}

Status Engine::Run_(std::string_view text, const DocumentContext& context, Run& run) const {
  if (text.size() > options_.max_document_bytes)
    return Status::ResourceLimit("document of " + std::to_string(text.size()) +
                                 " bytes exceeds max_document_bytes (" +
                                 std::to_string(options_.max_document_bytes) + ")");
  if (!context.reference_date.empty() && !IsReferenceDate(context.reference_date))
    return Status::InvalidArgument("reference date \"" + context.reference_date +
                                   "\" is not a date written YYYY-MM-DD (years 0001 to 9999)");
  run.text = PrepareText(text, abbreviations_);
  if (run.text.invalid_sequences > 0)
    run.warnings.push_back("input had " + std::to_string(run.text.invalid_sequences) +
                           " invalid UTF-8 sequence(s), replaced by U+FFFD");
  run.dct =
      context.reference_date.substr(0, std::min<std::size_t>(10, context.reference_date.size()));
  if (run.dct.empty() && context.infer_reference_date)
    run.dct = FindDatelineDate(run.text.flat, datelines_);
  run.work_left = std::max<std::size_t>(64, text.size() / 1024) * options_.max_work_per_kilobyte;
  auto out_of_work = [&] {
    return Status::ResourceLimit(
        "document needed more than " + std::to_string(options_.max_work_per_kilobyte) +
        " matching steps per kilobyte (ExtractorOptions::max_work_per_kilobyte)");
  };
  Generate(run);
  if (run.out_of_work) return out_of_work();
  if (run.too_many_candidates)
    return Status::ResourceLimit("document has more than " +
                                 std::to_string(options_.max_candidates) +
                                 " candidate matches (ExtractorOptions::max_candidates)");
  Resolve(run);
  if (run.out_of_work) return out_of_work();
  AnchorDates(run);
  return Status::Ok();
}

Result<Extraction> Engine::Extract(std::string_view text, const DocumentContext& context) const {
  // Nothing may escape to the caller: a batch must survive one bad document.
  try {
    return ExtractOrThrow(text, context);
  } catch (const std::bad_alloc&) {
    return Status::ResourceLimit("out of memory extracting document \"" + context.id + "\"");
  } catch (const std::exception& e) {
    return Status::InvalidArgument("extraction of document \"" + context.id +
                                   "\" failed: " + e.what());
  }
}

Result<Extraction> Engine::ExtractOrThrow(std::string_view text,
                                          const DocumentContext& context) const {
  Run run;
  if (Status s = Run_(text, context, run); !s.ok()) return s;
  Extraction out;
  out.id = context.id;
  out.reference_date = run.dct;
  BuildRecords(run, out);
  out.warnings = std::move(run.warnings);
  return out;
}

Result<std::vector<Decision>> Engine::Explain(std::string_view text,
                                              const DocumentContext& context) const {
  try {
    return ExplainOrThrow(text, context);
  } catch (const std::bad_alloc&) {
    return Status::ResourceLimit("out of memory explaining document \"" + context.id + "\"");
  } catch (const std::exception& e) {
    return Status::InvalidArgument("explaining document \"" + context.id +
                                   "\" failed: " + e.what());
  }
}

Result<std::vector<Decision>> Engine::ExplainOrThrow(std::string_view text,
                                                     const DocumentContext& context) const {
  Run run;
  if (Status s = Run_(text, context, run); !s.ok()) return s;
  // The records too, so that what the document passes drop is reported as dropped: explain's
  // accepted spans are exactly the records Extract returns.
  Extraction records;
  BuildRecords(run, records);
  std::vector<Decision> out;
  for (const Candidate& c : run.cands) {
    const CompiledRule& cr = *rules_[c.rule];
    Decision d;
    d.span = {run.text.ToInput(c.span.begin), run.text.ToInput(c.span.end)};
    d.text = run.text.repaired.substr(c.span.begin, c.span.size());
    d.type = cr.rule->kind == RecordKind::kVeto ? "veto:" +
                                                      [&] {
                                                        std::string t;
                                                        for (const auto& v : cr.rule->veto_types)
                                                          t += (t.empty() ? "" : ",") + v;
                                                        return t;
                                                      }()
                                                : cr.type_key;
    d.rule_id = cr.rule->id;
    d.pack = cr.pack->name;
    d.stage = cr.rule->stage;
    d.outcome = c.outcome;
    if (c.by != SIZE_MAX) d.by_rule = rules_[run.cands[c.by].rule]->rule->id;
    if (c.dropped_by != nullptr) d.by_rule = std::string("pass:") + c.dropped_by;
    if (c.dropped_by != nullptr || c.outcome == Decision::Outcome::kRejected)
      d.reason = c.drop_reason;
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [](const Decision& a, const Decision& b) {
    return a.span.begin != b.span.begin ? a.span.begin < b.span.begin : a.span.end > b.span.end;
  });
  return out;
}

std::vector<PackTestResult> Engine::RunRuleExamples(std::string_view pack) const {
  std::vector<PackTestResult> out;
  for (const auto& cr : rules_) {
    const Rule& r = *cr->rule;
    if (!pack.empty() && cr->pack->name != pack) continue;
    if (!cr->re) continue;
    for (std::size_t i = 0; i < r.examples.size(); ++i) {
      PackTestResult t{cr->pack->name, cr->pack->file,
                       r.line,         "rule " + r.id + " example " + std::to_string(i + 1),
                       true,           ""};
      if (!RE2::FullMatch(r.examples[i], *cr->re)) {
        t.passed = false;
        t.message = "pattern does not match the whole example \"" + r.examples[i] + "\"";
      }
      out.push_back(std::move(t));
    }
    for (std::size_t i = 0; i < r.counter_examples.size(); ++i) {
      PackTestResult t{cr->pack->name, cr->pack->file,
                       r.line,         "rule " + r.id + " counter-example " + std::to_string(i + 1),
                       true,           ""};
      // The rule as it runs, guards, vetoes and normaliser included.
      auto decisions = Explain(r.counter_examples[i], DocumentContext{});
      if (!decisions.ok()) {
        t.passed = false;
        t.message = decisions.status().ToString();
      }
      // A record of the rule fails it: a candidate its normaliser rejects, or one a veto or a
      // better candidate removes, is what a counter example may rely on.
      for (const Decision& d : decisions.ok() ? *decisions : std::vector<Decision>()) {
        if (d.rule_id != r.id ||
            (d.outcome != Decision::Outcome::kAccepted && d.outcome != Decision::Outcome::kDropped))
          continue;
        t.passed = false;
        t.message = "the rule makes a record of \"" + d.text + "\" (" + OutcomeName(d.outcome) +
                    ") in the counter-example \"" + r.counter_examples[i] + "\"";
        break;
      }
      out.push_back(std::move(t));
    }
  }
  return out;
}

std::vector<PackInfo> Engine::packs() const {
  std::vector<PackInfo> out;
  for (const auto& p : packs_)
    out.push_back({p->name, p->file, p->description, p->rules.size(), p->tests.size()});
  return out;
}

}  // namespace gleaner::internal

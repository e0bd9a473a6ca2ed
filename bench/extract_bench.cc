// Throughput of Extract over real news: the first megabyte of ../shared/corpus/news.jsonl when
// it is there, else the shipped sample repeated to about 1 MB. Compares triggered matching
// (each rule tried where its matches can begin) with exhaustive matching (every rule searched
// over every paragraph).
//   cmake -S . -B build-bench -DGLEANER_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench -j2 --target gleaner_bench && build-bench/bench/gleaner_bench
#include <benchmark/benchmark.h>
#include <gleaner/gleaner.h>
#include <gleaner/json.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace {

struct Doc {
  std::string text;
  std::string dct;
};

const std::vector<Doc>& Corpus() {
  static const std::vector<Doc> docs = [] {
    std::vector<Doc> out;
    std::ifstream in(GLEANER_BENCH_CORPUS);
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("text")) continue;
      out.push_back({j["text"].get<std::string>(), j["reference_date"].is_string()
                                                       ? j["reference_date"].get<std::string>()
                                                       : std::string()});
    }
    if (out.empty()) {
      std::ifstream s(GLEANER_BENCH_SAMPLE);
      std::stringstream buf;
      buf << s.rdbuf();
      for (std::size_t n = 0; n < (1u << 20); n += buf.str().size()) out.push_back({buf.str(), ""});
      std::cerr << "corpus not found; benchmarking the sample text repeated\n";
    }
    return out;
  }();
  return docs;
}

void Run(benchmark::State& state, bool exhaustive) {
  gleaner::ExtractorOptions o;
  o.rules_dir = GLEANER_BENCH_RULES_DIR;
  o.exhaustive = exhaustive;
  auto ex = gleaner::Extractor::Create(o);
  if (!ex.ok()) {
    state.SkipWithError(ex.status().ToString().c_str());
    return;
  }
  std::size_t bytes = 0, records = 0;
  for (auto _ : state) {
    for (const Doc& d : Corpus()) {
      gleaner::DocumentContext ctx{"", d.dct, true};
      auto r = ex->Extract(d.text, ctx);
      records += r.ok() ? r->records.size() : 0;
      bytes += d.text.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["records/doc"] =
      benchmark::Counter(static_cast<double>(records) / Corpus().size() / state.iterations());
}

void BM_Extract(benchmark::State& state) { Run(state, false); }
void BM_ExtractExhaustive(benchmark::State& state) { Run(state, true); }

void BM_CreateExtractor(benchmark::State& state) {
  gleaner::ExtractorOptions o;
  o.rules_dir = GLEANER_BENCH_RULES_DIR;
  for (auto _ : state) benchmark::DoNotOptimize(gleaner::Extractor::Create(o).ok());
}

}  // namespace

BENCHMARK(BM_Extract)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ExtractExhaustive)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_CreateExtractor)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

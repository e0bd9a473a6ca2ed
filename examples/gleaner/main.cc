// gleaner: the command-line extractor. Run `gleaner --help` for the options.
#include <gleaner/gleaner.h>
#include <gleaner/json.h>
#include <gleaner/output.h>
#include <gleaner/tsv.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace {

constexpr char kHelp[] = R"(gleaner - dates, counts, locations and quotations from news text

Usage:
  gleaner [OPTIONS] FILE...            extract from text files ('-' reads stdin)
  gleaner --jsonl [OPTIONS] [FILE...]  JSON Lines in, JSON Lines out (stdin if no FILE)
  gleaner explain [OPTIONS] FILE       every candidate span and the rule that made or vetoed it
  gleaner test-pack [OPTIONS] [PACK.json...]
                                       run the tests embedded in packs (all loaded packs if none)
  gleaner list-packs [OPTIONS]         the packs that would be loaded

Options:
  --format json|tsv       output: JSON (default; for explain, a table unless json is given)
                          or a table to read
  --jsonl                 read {"id","text","reference_date"} lines, write {"id","records"} lines;
                          a bad line yields {"id", "records": [], "error"} and the batch goes on
  --reference-date DATE   the document date (YYYY-MM-DD) that relative dates resolve against;
                          without it a dateline ("date 2020-09-06 MINSK --",
                          "WASHINGTON, March 3, 1987 (Reuters) -") sets it when present
  --no-dateline           do not look for a dateline
  --rules PACK.json       load this pack after the default ones (repeatable)
  --rules-dir DIR         where the default packs are (default: $GLEANER_RULES_DIR or the
                          built-in location)
  --no-default-packs      load only the packs given with --rules
  --exhaustive            search every rule over every paragraph; same records, slower
  --threads N             worker threads for --jsonl (default: all cores)
  --max-work N            matching steps allowed per kilobyte of a document (default 20000);
                          a document over it gets an error naming the limit, the rest go on
  --version               print the version
  -h, --help              this text

Exit status: 0 on success; 1 if any input failed (the others are still processed);
2 on a usage error or when the packs cannot be loaded.
)";

struct Args {
  std::string command = "extract";
  std::vector<std::string> files;
  std::string format = "json";
  bool format_given = false;
  bool jsonl = false;
  std::string reference_date;
  bool dateline = true;
  unsigned threads = 0;
  gleaner::ExtractorOptions options;
};

int Usage(const std::string& message) {
  std::cerr << "gleaner: " << message << "\nTry 'gleaner --help'.\n";
  return 2;
}

bool ReadFile(const std::string& path, std::string* out, std::string* error) {
  if (path == "-") {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    *out = buf.str();
    return true;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    *error = path + ": is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open";
    return false;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  *out = buf.str();
  return true;
}

// Parses argv; returns -1 to continue, or an exit code.
int ParseArgs(int argc, char** argv, Args& a) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::size_t i = 0;
  if (!args.empty() &&
      (args[0] == "explain" || args[0] == "test-pack" || args[0] == "list-packs")) {
    a.command = args[0];
    i = 1;
  }
  for (; i < args.size(); ++i) {
    const std::string& s = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (s == "-h" || s == "--help") {
      std::cout << kHelp;
      return 0;
    } else if (s == "--version") {
      std::cout << "gleaner " << GLEANER_VERSION_STRING << "\n";
      return 0;
    } else if (s == "--jsonl") {
      a.jsonl = true;
    } else if (s == "--format") {
      if (!value(&a.format) || (a.format != "json" && a.format != "tsv"))
        return Usage("--format takes json or tsv");
      a.format_given = true;
    } else if (s == "--reference-date") {
      if (!value(&a.reference_date)) return Usage("--reference-date needs YYYY-MM-DD");
    } else if (s == "--no-dateline") {
      a.dateline = false;
    } else if (s == "--rules") {
      if (!value(&v)) return Usage("--rules needs a pack file");
      a.options.packs.push_back(v);
    } else if (s == "--rules-dir") {
      if (!value(&a.options.rules_dir)) return Usage("--rules-dir needs a directory");
    } else if (s == "--no-default-packs") {
      a.options.load_default_packs = false;
    } else if (s == "--exhaustive") {
      a.options.exhaustive = true;
    } else if (s == "--max-work") {
      if (!value(&v)) return Usage("--max-work needs a number");
      // Digits only (stoul would take "-1" as a huge number), at most a billion per kilobyte.
      if (v.empty() || v.size() > 10 || v.find_first_not_of("0123456789") != std::string::npos ||
          std::stoull(v) == 0 || std::stoull(v) > 1'000'000'000)
        return Usage("--max-work needs a positive number (at most 1000000000)");
      a.options.max_work_per_kilobyte = std::stoull(v);
    } else if (s == "--threads") {
      if (!value(&v)) return Usage("--threads needs a number");
      try {
        a.threads = static_cast<unsigned>(std::stoul(v));
      } catch (...) {
        return Usage("--threads needs a number");
      }
    } else if (s.size() > 1 && s[0] == '-' && s != "-") {
      return Usage("unknown option " + s);
    } else {
      a.files.push_back(s);
    }
  }
  return -1;
}

std::string ProcessLineOrThrow(const gleaner::Extractor& ex, const Args& a, const std::string& line,
                               std::size_t line_no, std::string* error);

// One JSON line in, one JSON line out; never throws, so one line cannot stop the batch.
std::string ProcessLine(const gleaner::Extractor& ex, const Args& a, const std::string& line,
                        std::size_t line_no, std::string* error) {
  try {
    return ProcessLineOrThrow(ex, a, line, line_no, error);
  } catch (const std::exception& e) {
    *error = "line " + std::to_string(line_no) + ": " + e.what();
  } catch (...) {
    *error = "line " + std::to_string(line_no) + ": failed";
  }
  nlohmann::json out{{"id", nullptr}, {"records", nlohmann::json::array()}, {"error", *error}};
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ProcessLineOrThrow(const gleaner::Extractor& ex, const Args& a, const std::string& line,
                               std::size_t line_no, std::string* error) {
  nlohmann::json out;
  nlohmann::json in;
  try {
    in = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    *error = "line " + std::to_string(line_no) + ": not JSON: " + e.what();
    out["id"] = nullptr;
    out["records"] = nlohmann::json::array();
    out["error"] = *error;
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  out["id"] = in.is_object() && in.contains("id") ? in["id"] : nlohmann::json(nullptr);
  auto fail = [&](const std::string& msg) {
    *error = "line " + std::to_string(line_no) + ": " + msg;
    out["records"] = nlohmann::json::array();
    out["error"] = *error;
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (!in.is_object() || !in.contains("text") || !in["text"].is_string())
    return fail("needs an object with a string \"text\"");
  gleaner::DocumentContext ctx;
  ctx.id =
      in["id"].is_string() ? in["id"].get<std::string>() : in.value("id", nlohmann::json()).dump();
  ctx.infer_reference_date = a.dateline;
  ctx.reference_date = a.reference_date;
  if (in.contains("reference_date") && in["reference_date"].is_string())
    ctx.reference_date = in["reference_date"].get<std::string>();
  auto result = ex.Extract(in["text"].get_ref<const std::string&>(), ctx);
  if (!result.ok()) return fail(result.status().ToString());
  // Written directly, not as a JSON object: a dense document's records would take many times
  // its size as one. The id is echoed as given.
  std::string line_out = "{\"id\":";
  line_out += out["id"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line_out += ",\"reference_date\":";
  if (result->reference_date.empty()) {
    line_out += "null";
  } else {
    gleaner::AppendJsonString(line_out, result->reference_date);
  }
  line_out += ",\"records\":[";
  for (std::size_t i = 0; i < result->records.size(); ++i) {
    if (i > 0) line_out += ',';
    gleaner::AppendJson(line_out, result->records[i]);
  }
  line_out += ']';
  if (!result->warnings.empty()) {
    line_out += ",\"warnings\":[";
    for (std::size_t i = 0; i < result->warnings.size(); ++i) {
      if (i > 0) line_out += ',';
      gleaner::AppendJsonString(line_out, result->warnings[i]);
    }
    line_out += ']';
  }
  line_out += '}';
  return line_out;
}

// Reads JSON Lines in batches, extracts each batch on all threads, and writes the answers in
// input order, so memory stays bounded on inputs of any length.
int RunJsonl(const gleaner::Extractor& ex, const Args& a) {
  constexpr std::size_t kBatchLines = 512;
  constexpr std::size_t kBatchBytes = std::size_t{16} << 20;
  std::vector<std::string> sources = a.files.empty() ? std::vector<std::string>{"-"} : a.files;
  bool any_failed = false;
  unsigned threads = a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  for (const std::string& src : sources) {
    std::ifstream file;
    std::error_code ec;
    if (src != "-") {
      if (std::filesystem::is_directory(src, ec)) {
        std::cerr << "gleaner: " << src << ": is a directory\n";
        any_failed = true;
        continue;
      }
      file.open(src, std::ios::binary);
      if (!file) {
        std::cerr << "gleaner: " << src << ": cannot open\n";
        any_failed = true;
        continue;
      }
    }
    std::istream& in = src == "-" ? std::cin : file;
    std::size_t line_no = 0;
    std::string line;
    bool more = true;
    while (more) {
      std::vector<std::string> lines;
      std::vector<std::size_t> numbers;
      std::size_t bytes = 0;
      while (lines.size() < kBatchLines && bytes < kBatchBytes) {
        if (!std::getline(in, line)) {
          more = false;
          break;
        }
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        bytes += line.size();
        lines.push_back(std::move(line));
        numbers.push_back(line_no);
      }
      std::vector<std::string> outputs(lines.size());
      std::vector<std::string> errors(lines.size());
      std::atomic<std::size_t> next{0};
      auto worker = [&] {
        for (std::size_t k; (k = next++) < lines.size();)
          outputs[k] = ProcessLine(ex, a, lines[k], numbers[k], &errors[k]);
      };
      std::vector<std::thread> pool;
      for (unsigned t = 1; t < threads && t < lines.size(); ++t) pool.emplace_back(worker);
      worker();
      for (auto& t : pool) t.join();
      for (std::size_t k = 0; k < outputs.size(); ++k) {
        std::cout << outputs[k] << '\n';
        if (!errors[k].empty()) {
          any_failed = true;
          std::cerr << "gleaner: " << src << ": " << errors[k] << "\n";
        }
      }
    }
  }
  std::cout.flush();
  return any_failed ? 1 : 0;
}

int RunFiles(const gleaner::Extractor& ex, const Args& a) {
  if (a.files.empty()) return Usage("no input files (use '-' for stdin)");
  bool any_failed = false;
  if (a.format == "tsv") gleaner::WriteTsvHeader(std::cout);
  for (const std::string& file : a.files) {
    std::string text, error;
    if (!ReadFile(file, &text, &error)) {
      std::cerr << "gleaner: " << error << "\n";
      any_failed = true;
      continue;
    }
    gleaner::DocumentContext ctx{file == "-" ? "stdin" : file, a.reference_date, a.dateline};
    auto result = ex.Extract(text, ctx);
    if (!result.ok()) {
      std::cerr << "gleaner: " << file << ": " << result.status().ToString() << "\n";
      any_failed = true;
      continue;
    }
    for (const auto& w : result->warnings)
      std::cerr << "gleaner: " << file << ": warning: " << w << "\n";
    if (a.format == "tsv") {
      gleaner::WriteTsv(std::cout, *result);
    } else {
      // Record by record: a long document's output as one string would double its memory.
      std::string out;
      gleaner::AppendJsonOpening(out, *result);
      std::cout << out;
      for (std::size_t i = 0; i < result->records.size(); ++i) {
        out.clear();
        out += i == 0 ? "\n" : ",\n";
        gleaner::AppendJson(out, result->records[i]);
        std::cout << out;
      }
      out.clear();
      if (!result->records.empty()) out += '\n';
      gleaner::AppendJsonClosing(out, *result);
      std::cout << out << "\n";
    }
  }
  return any_failed ? 1 : 0;
}

int RunExplain(const gleaner::Extractor& ex, const Args& a) {
  if (a.files.size() != 1) return Usage("explain takes one FILE ('-' for stdin)");
  std::string text, error;
  if (!ReadFile(a.files[0], &text, &error)) {
    std::cerr << "gleaner: " << error << "\n";
    return 1;
  }
  gleaner::DocumentContext ctx{a.files[0], a.reference_date, a.dateline};
  auto decisions = ex.Explain(text, ctx);
  if (!decisions.ok()) {
    std::cerr << "gleaner: " << decisions.status().ToString() << "\n";
    return 1;
  }
  if (a.format_given && a.format == "json") {  // a table unless JSON is asked for
    nlohmann::json j = nlohmann::json::array();
    for (const auto& d : *decisions) j.push_back(d);
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::cout << "begin\tend\ttype\toutcome\trule\tby\ttext\treason\n";
  for (const auto& d : *decisions) {
    std::string t = d.text;
    std::replace(t.begin(), t.end(), '\n', ' ');
    std::cout << d.span.begin << '\t' << d.span.end << '\t' << d.type << '\t'
              << gleaner::OutcomeName(d.outcome) << '\t' << d.rule_id << '\t' << d.by_rule << '\t'
              << t << '\t' << d.reason << '\n';
  }
  return 0;
}

int RunPackTests(Args& a) {
  // Packs named on the command line are tested; the default packs load first so that user
  // packs can use their macros, unless a named pack is one of them.
  std::vector<std::string> names;
  for (const std::string& file : a.files) {
    std::ifstream in(file);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false, true);
    if (j.is_discarded() || !j.is_object() || !j.contains("pack") || !j["pack"].is_string()) {
      std::cerr << "gleaner: " << file << ": not a rule pack (no \"pack\" name)\n";
      return 2;
    }
    std::string name = j["pack"].get<std::string>();
    names.push_back(name);
    bool is_default =
        name == "dates" || name == "counts" || name == "locations" || name == "quotes";
    if (is_default && a.options.load_default_packs) {
      a.options.rules_dir = std::filesystem::path(file).parent_path().string();
    } else {
      a.options.packs.push_back(file);
    }
  }
  auto ex = gleaner::Extractor::Create(a.options);
  if (!ex.ok()) {
    std::cerr << "gleaner: " << ex.status().ToString() << "\n";
    return 2;
  }
  std::vector<gleaner::PackTestResult> results;
  if (names.empty()) {
    results = ex->RunPackTests();
  } else {
    for (const auto& n : names) {
      auto r = ex->RunPackTests(n);
      results.insert(results.end(), r.begin(), r.end());
    }
  }
  std::size_t passed = 0, failed = 0;
  for (const auto& r : results) {
    if (r.passed) {
      ++passed;
    } else {
      ++failed;
      std::cout << r.file << ":" << r.line << ": FAIL " << r.name << ": " << r.message << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  // C++ streams synchronised with C stdio read stdin a character at a time: that was half the
  // time of reading a batch.
  std::ios::sync_with_stdio(false);
  Args a;
  if (int rc = ParseArgs(argc, argv, a); rc >= 0) return rc;
  if (a.command == "test-pack") return RunPackTests(a);
  auto ex = gleaner::Extractor::Create(a.options);
  if (!ex.ok()) {
    std::cerr << "gleaner: cannot load rules: " << ex.status().ToString() << "\n";
    return 2;
  }
  if (a.command == "list-packs") {
    for (const auto& p : ex->packs())
      std::cout << p.name << "\t" << p.rule_count << " rules\t" << p.test_count << " tests\t"
                << p.file << "\n";
    return 0;
  }
  int rc = a.command == "explain" ? RunExplain(*ex, a)
           : a.jsonl              ? RunJsonl(*ex, a)
                                  : RunFiles(*ex, a);
  // Freeing the rules and the gazetteer one allocation at a time would add a tenth of the
  // start-up time to every run; the process is ending, so leave that to the system.
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(std::cout.good() ? rc : 1);
}

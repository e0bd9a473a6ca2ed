// gleaner: the command-line extractor. Run `gleaner --help` for the options.
#include <gleaner/gleaner.h>
#include <gleaner/json.h>
#include <gleaner/output.h>
#include <gleaner/tsv.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

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
  --jsonl                 read {"id","text","reference_date"} lines, write {"id","records"} lines:
                          one output line per input line, in order, streamed; a bad or blank
                          line yields {"id", "records": [], "error"} and the batch goes on
  --reference-date DATE   the document date (YYYY-MM-DD) that relative dates resolve against;
                          without it a dateline ("date 2020-09-06 MINSK --",
                          "WASHINGTON, March 3, 1987 (Reuters) -") sets it when present
  --no-dateline           do not look for a dateline
  --rules PACK.json       load this pack after the default ones (repeatable)
  --rules-dir DIR         read the default packs from DIR (default: $GLEANER_RULES_DIR, else
                          the copy built into the library)
  --no-default-packs      load only the packs given with --rules
  --exhaustive            search every rule over every paragraph; same records, slower
  --threads N             worker threads for --jsonl (default: all cores)
  --max-work N            matching steps allowed per kilobyte of a document (default 20000);
                          a document over it gets an error naming the limit, the rest go on
  --max-document-bytes N  longest document accepted (default 67108864, 64 MiB)
  --max-line-bytes N      longest --jsonl input line accepted (default 134217728, 128 MiB);
                          a longer line is read through and answered with an error
  --version               print the version
  -h, --help              this text

Exit status: 0 on success; 1 if any input failed (the others are still processed), or
input could not be read, or output could not be written; 2 on a usage error or when the
packs cannot be loaded.
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
  std::size_t max_line_bytes = gleaner::BatchOptions().max_line_bytes;
  gleaner::ExtractorOptions options;
};

int Usage(const std::string& message) {
  std::cerr << "gleaner: " << message << "\nTry 'gleaner --help'.\n";
  return 2;
}

// A descriptor to read `path` from ('-': stdin, 0), or -1 with *error set (a directory too).
int OpenInput(const std::string& path, std::string* error) {
  if (path == "-") return 0;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return -1;
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    *error = path + ": is a directory";
    return -1;
  }
  return fd;
}

// Reads a whole file ('-': stdin), refusing one larger than `limit` bytes without reading
// past it (so /dev/zero is refused, not read until memory runs out).
bool ReadFile(const std::string& path, std::size_t limit, std::string* out, std::string* error) {
  int fd = OpenInput(path, error);
  if (fd < 0) return false;
  out->clear();
  char buffer[1 << 16];
  bool ok = true;
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = path + ": read error: " + std::strerror(errno);
      ok = false;
      break;
    }
    if (n == 0) break;
    if (out->size() + static_cast<std::size_t>(n) > limit) {
      *error =
          path + ": larger than " + std::to_string(limit) + " bytes (raise --max-document-bytes)";
      std::string().swap(*out);
      ok = false;
      break;
    }
    out->append(buffer, static_cast<std::size_t>(n));
  }
  if (fd != 0) ::close(fd);
  return ok;
}

// A positive whole number of at most `max`, digits only ("-1" is not taken as huge).
bool ParseCount(const std::string& v, unsigned long long max, unsigned long long* out) {
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *out = std::stoull(v);
  return *out > 0 && *out <= max;
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
      // Checked now, as a usage error, rather than once per document.
      if (!gleaner::IsReferenceDate(a.reference_date))
        return Usage("--reference-date needs a date written YYYY-MM-DD, not \"" + a.reference_date +
                     "\"");
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
      unsigned long long n;
      if (!value(&v) || !ParseCount(v, 1'000'000'000, &n))
        return Usage("--max-work needs a positive number (at most 1000000000)");
      a.options.max_work_per_kilobyte = n;
    } else if (s == "--max-document-bytes" || s == "--max-line-bytes") {
      unsigned long long n;
      if (!value(&v) || !ParseCount(v, 1ull << 40, &n))
        return Usage(s + " needs a positive number of bytes");
      (s == "--max-line-bytes" ? a.max_line_bytes : a.options.max_document_bytes) = n;
    } else if (s == "--threads") {
      unsigned long long n;
      if (!value(&v) || !ParseCount(v, 1024, &n))
        return Usage("--threads needs a number from 1 to 1024");
      a.threads = static_cast<unsigned>(n);
    } else if (s.size() > 1 && s[0] == '-' && s != "-") {
      return Usage("unknown option " + s);
    } else {
      a.files.push_back(s);
    }
  }
  return -1;
}

// JSON Lines from each file in turn (stdin without files), answered line by line.
int RunJsonl(const gleaner::Extractor& ex, const Args& a) {
  std::vector<std::string> sources = a.files.empty() ? std::vector<std::string>{"-"} : a.files;
  gleaner::BatchOptions options;
  options.reference_date = a.reference_date;
  options.infer_reference_date = a.dateline;
  options.threads = a.threads;
  options.max_line_bytes = a.max_line_bytes;
  bool any_failed = false;
  for (const std::string& src : sources) {
    std::string error;
    int fd = OpenInput(src, &error);
    if (fd < 0) {
      std::cerr << "gleaner: " << error << "\n";
      any_failed = true;
      continue;
    }
    auto report = gleaner::RunJsonlBatch(ex, fd, 1, options, [&](std::string_view error) {
      std::cerr << "gleaner: " << src << ": " << error << "\n";
    });
    if (fd != 0) ::close(fd);
    if (!report.ok()) any_failed = true;
    if (report.read_failed) std::cerr << "gleaner: " << src << ": " << report.error << "\n";
    if (report.write_failed) {
      std::cerr << "gleaner: " << report.error << "\n";
      return 1;  // nothing more can be written
    }
  }
  return any_failed ? 1 : 0;
}

int RunFiles(const gleaner::Extractor& ex, const Args& a) {
  if (a.files.empty()) return Usage("no input files (use '-' for stdin)");
  bool any_failed = false;
  if (a.format == "tsv") gleaner::WriteTsvHeader(std::cout);
  for (const std::string& file : a.files) {
    std::string text, error;
    if (!ReadFile(file, a.options.max_document_bytes, &text, &error)) {
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
  if (!ReadFile(a.files[0], a.options.max_document_bytes, &text, &error)) {
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
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {  // a FIFO would block the open below
      std::cerr << "gleaner: " << file << ": not a rule pack file\n";
      return 2;
    }
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
  // A closed output pipe is a write error to report (exit 1), not a signal to die of.
  std::signal(SIGPIPE, SIG_IGN);
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
  if (!std::cout.good()) {
    std::cerr << "gleaner: write error: " << std::strerror(errno) << "\n";
    rc = 1;
  }
  std::cerr.flush();
  std::_Exit(rc);
}

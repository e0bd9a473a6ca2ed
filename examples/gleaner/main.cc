// gleaner: the command-line extractor. Run `gleaner --help` for the commands, and
// `gleaner help COMMAND` for each one's options.
#include <gleaner/gleaner.h>
#include <gleaner/json.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct Command {
  const char* name;
  const char* usage;
  const char* summary;
  const char* details;
};

constexpr Command kCommands[] = {
    {"extract", "gleaner [extract] [OPTIONS] [INPUT...]",
     "extract records from text files or JSON Lines (the default command)",
     "Each INPUT is a text file, a directory (every file below it that is not hidden, in path\n"
     "order) or '-' for stdin. With --jsonl the inputs hold {\"id\",\"text\",\"reference_date\"}\n"
     "lines and stdin is read when none is given; each line is answered by one output line, in\n"
     "order, as soon as it can be (a bad or blank line gets {\"id\",\"records\":[],\"error\"} and\n"
     "the batch goes on). Other members of an input line come back on its output line.\n"
     "Output: --format json writes one object for one text file, and JSON Lines (one object\n"
     "a line) for several or for --jsonl; tsv a table; html one self-contained page; timeml\n"
     "one TimeML document (one text input only).\n"},
    {"explain", "gleaner explain [OPTIONS] INPUT...",
     "every candidate span, and the rule that made, vetoed or dropped it",
     "A table by default (doc, begin, end, type, outcome, rule, by, text, reason); --format\n"
     "json for a JSON array (for several inputs, JSON Lines of {\"id\", \"decisions\"}), html\n"
     "for the page of records with a table of every candidate that is not a record and why.\n"},
    {"test-pack", "gleaner test-pack [OPTIONS] [PACK.json...]",
     "run the tests embedded in packs (every loaded pack when none is named)",
     "The default packs load first, so that a pack can use their macros, unless a pack named\n"
     "is one of them. A pack's tests run the extractor over their text and expect records; a\n"
     "rule's examples must match its pattern whole, and its counter examples must give no\n"
     "candidate of the rule, guards included. A pack that names a normaliser the tool lacks\n"
     "fails to load and says how to register one. Exit status 1 when a test fails.\n"},
    {"list-packs", "gleaner list-packs [OPTIONS]", "list the packs that would be loaded", ""},
    {"help", "gleaner help [COMMAND]", "this overview, or one command's options", ""},
};

const Command* FindCommand(const std::string& name) {
  for (const Command& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

constexpr char kExitStatus[] =
    "Exit status: 0 on success; 1 if any input failed (the others are still processed), or\n"
    "input could not be read, or output could not be written; 2 on a usage error or when the\n"
    "packs cannot be loaded.\n";

struct Settings {
  std::string command = "extract";
  std::vector<std::string> inputs;
  std::string format;  // empty: the command's default
  std::string output;
  std::string output_dir;
  bool jsonl = false;
  std::string reference_date;
  bool dateline = true;
  unsigned threads = 0;
  std::optional<bool> progress;  // unset: when stderr is a terminal
  std::size_t max_line_bytes = gleaner::BatchOptions().max_line_bytes;
  gleaner::ExtractorOptions options;
};

// A positive whole number of at most `max`, digits only ("-1" is not taken as huge).
struct Count {
  unsigned long long value = 0;
};
void validate(boost::any& v, const std::vector<std::string>& values, Count*, int) {
  po::validators::check_first_occurrence(v);
  const std::string& s = po::validators::get_single_string(values);
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(s) == 0)
    throw po::invalid_option_value(s);
  v = Count{std::stoull(s)};
}

// The options of a command, in groups.
po::options_description OptionsFor(const std::string& command, Settings& s) {
  const bool extract = command == "extract", explain = command == "explain";
  po::options_description all, input{"Input"}, output{"Output"}, packs{"Rule packs"},
      limits{"Threads and limits"}, general{"General"};
  if (extract)
    input.add_options()("jsonl", po::bool_switch(&s.jsonl),
                        "inputs are JSON Lines: {\"id\",\"text\",\"reference_date\"} a line");
  if (extract || explain)
    input.add_options()(
        "reference-date", po::value(&s.reference_date)->value_name("DATE"),
        "the document date (YYYY-MM-DD) that relative dates resolve against; without it a "
        "dateline (\"date 2020-09-06 MINSK --\", \"WASHINGTON, March 3, 1987 (Reuters) -\") "
        "sets it when present")("no-dateline", "do not look for a dateline");
  if (extract)
    output.add_options()("format,f", po::value(&s.format)->value_name("FORMAT"),
                         "json (the default), jsonl, tsv, html or timeml");
  if (explain)
    output.add_options()("format,f", po::value(&s.format)->value_name("FORMAT"),
                         "tsv (the default: a table), json or html");
  output.add_options()("output,o", po::value(&s.output)->value_name("FILE"),
                       "write to FILE instead of stdout");
  if (extract)
    output.add_options()("output-dir", po::value(&s.output_dir)->value_name("DIR"),
                         "write each text input to a file of its own in DIR (made if need be): "
                         "its name plus .json, .tsv, .html or .tml; the files below a directory "
                         "input keep their paths under it");
  if (extract)
    output.add_options()("progress",
                         "show documents, MB, MB/s and time left on stderr (the default when "
                         "stderr is a terminal and there is more than one document)")(
        "no-progress", "do not show progress");
  packs.add_options()("rules",
                      po::value<std::vector<std::string>>()->composing()->value_name("PACK.json"),
                      "load this pack after the default ones (repeatable)")(
      "rules-dir", po::value(&s.options.rules_dir)->value_name("DIR"),
      "read the default packs from DIR (default: $GLEANER_RULES_DIR, else the copy built "
      "into the library)")("no-default-packs", "load only the packs given with --rules");
  if (extract || explain)
    packs.add_options()("exhaustive", po::bool_switch(&s.options.exhaustive),
                        "search every rule over every paragraph; same records, slower");
  if (extract)
    limits.add_options()("threads,j", po::value<Count>()->value_name("N"),
                         "worker threads (default: one per core)");
  if (extract || explain)
    limits.add_options()(
        "max-work", po::value<Count>()->value_name("N"),
        "matching steps allowed per kilobyte of a document (default 20000); a document over "
        "it gets an error naming the limit, the rest go on")(
        "max-document-bytes", po::value<Count>()->value_name("N"),
        "longest document accepted, text file or JSON text (default 67108864, 64 MiB)");
  if (extract)
    limits.add_options()("max-line-bytes", po::value<Count>()->value_name("N"),
                         "longest --jsonl input line accepted (default 134217728, 128 MiB); a "
                         "longer line is read through and answered with an error");
  general.add_options()("help,h", "this text")("version", "print the version");
  if (!input.options().empty()) all.add(input);
  all.add(output).add(packs);
  if (!limits.options().empty()) all.add(limits);
  all.add(general);
  return all;
}

void PrintOverview(std::ostream& out, Settings& s) {
  out << "gleaner - dates, counts, locations and quotations from news text\n\nCommands:\n";
  for (const Command& c : kCommands) {
    std::string usage = c.usage;
    out << "  " << usage
        << (usage.size() < 44 ? std::string(44 - usage.size(), ' ') : "\n" + std::string(46, ' '))
        << c.summary << "\n";
  }
  out << "\nRun 'gleaner help COMMAND' for a command's options. Options of extract:\n"
      << OptionsFor("extract", s) << "\n"
      << kExitStatus;
}

void PrintCommandHelp(std::ostream& out, Settings& s, const Command& c) {
  out << "Usage: " << c.usage << "\n\n" << c.summary << ".\n";
  if (*c.details) out << "\n" << c.details;
  if (std::string(c.name) != "help") out << OptionsFor(c.name, s) << "\n";
  out << kExitStatus;
}

int Usage(const std::string& message, const std::string& command = "") {
  std::cerr << "gleaner: " << message << "\nTry 'gleaner help" << (command.empty() ? "" : " ")
            << command << "'.\n";
  return 2;
}

// Parses argv into *s; returns -1 to go on, or an exit code.
int ParseCommandLine(int argc, char** argv, Settings* s) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool command_given = !args.empty() && FindCommand(args[0]) != nullptr;
  if (command_given) {
    s->command = args[0];
    args.erase(args.begin());
  }
  if (s->command == "help") {
    if (args.empty()) {
      PrintOverview(std::cout, *s);
      return 0;
    }
    const Command* c = FindCommand(args[0]);
    if (c == nullptr || args.size() > 1)
      return Usage(
          "help takes one command: extract, explain, "
          "test-pack or list-packs");
    PrintCommandHelp(std::cout, *s, *c);
    return 0;
  }
  po::options_description options = OptionsFor(s->command, *s);
  po::options_description hidden;
  hidden.add_options()("input", po::value(&s->inputs)->composing());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);
  po::variables_map vm;
  try {
    po::store(
        po::command_line_parser(args)
            .options(all)
            .positional(positional)
            .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
            .run(),
        vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return Usage(e.what(), s->command);
  }
  if (vm.count("help")) {
    if (!command_given) {
      PrintOverview(std::cout, *s);
    } else {
      PrintCommandHelp(std::cout, *s, *FindCommand(s->command));
    }
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "gleaner " << GLEANER_VERSION_STRING << "\n";
    return 0;
  }
  // Every value is checked now, before any work.
  if (vm.count("reference-date") && !gleaner::IsReferenceDate(s->reference_date))
    return Usage(
        "--reference-date needs a date written YYYY-MM-DD, not \"" + s->reference_date + "\"",
        s->command);
  if (vm.count("no-dateline")) s->dateline = false;
  if (vm.count("rules")) s->options.packs = vm["rules"].as<std::vector<std::string>>();
  if (vm.count("no-default-packs")) s->options.load_default_packs = false;
  if (vm.count("output")) s->output = vm["output"].as<std::string>();
  if (vm.count("progress") && vm.count("no-progress"))
    return Usage("--progress and --no-progress contradict each other", s->command);
  if (vm.count("progress")) s->progress = true;
  if (vm.count("no-progress")) s->progress = false;
  auto count = [&](const char* name, unsigned long long max, auto* into) {
    if (!vm.count(name)) return true;
    unsigned long long v = vm[name].as<Count>().value;
    if (v > max) return false;
    *into = static_cast<std::remove_pointer_t<decltype(into)>>(v);
    return true;
  };
  if (!count("threads", 1024, &s->threads))
    return Usage("--threads takes a number from 1 to 1024", s->command);
  if (!count("max-work", 1'000'000'000, &s->options.max_work_per_kilobyte))
    return Usage("--max-work takes a positive number up to 1000000000", s->command);
  if (!count("max-document-bytes", 1ull << 40, &s->options.max_document_bytes) ||
      !count("max-line-bytes", 1ull << 40, &s->max_line_bytes))
    return Usage("a byte limit takes a positive number up to 2^40", s->command);

  const std::string& f = s->format;
  if (!f.empty()) {
    auto format = gleaner::ParseOutputFormat(f);
    if (s->command == "explain" ? f != "json" && f != "tsv" && f != "html" : !format)
      return Usage("--format takes " +
                       std::string(s->command == "explain" ? "tsv, json or html"
                                                           : "json, jsonl, tsv, html or timeml") +
                       ", not \"" + f + "\"",
                   s->command);
  }
  std::error_code ec;
  if (!s->output_dir.empty() && (s->jsonl || !s->output.empty()))
    return Usage("--output-dir takes text inputs, and no --output", s->command);
  if (s->command == "extract" && f == "timeml" && s->output_dir.empty() &&
      (s->jsonl || s->inputs.size() != 1 || fs::is_directory(s->inputs[0], ec)))
    return Usage(
        "--format timeml writes one TimeML document: give one text file, or "
        "--output-dir DIR for a file each",
        s->command);
  struct stat out_st, in_st;
  if (!s->output.empty() && s->output != "-" && ::stat(s->output.c_str(), &out_st) == 0)
    for (const std::string& input : s->inputs)
      if (::stat(input.c_str(), &in_st) == 0 && in_st.st_dev == out_st.st_dev &&
          in_st.st_ino == out_st.st_ino)
        return Usage(
            "--output " + s->output + " is an input: it would be emptied before it is read",
            s->command);
  if (s->command == "list-packs" && !s->inputs.empty())
    return Usage("list-packs takes no inputs", s->command);
  if (s->command == "explain" && s->inputs.empty())
    return Usage("explain needs an INPUT ('-' for stdin)", s->command);
  if (s->command == "extract" && s->inputs.empty() && !s->jsonl)
    return Usage("no inputs (use '-' for stdin, or --jsonl to read JSON Lines from stdin)",
                 s->command);
  return -1;
}

// The files an input names: itself, or every file below a directory that is not hidden, in
// path order. A missing input stays as it is, to fail when read. *failed is set when a
// directory cannot be read to its end.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs, bool* failed,
                                      std::vector<std::string>* names = nullptr) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input == "-" || !fs::is_directory(input, ec)) {
      files.push_back(input);
      if (names != nullptr)
        names->push_back(input == "-" ? "stdin" : fs::path(input).filename().string());
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(input, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->path().filename().string().starts_with(".")) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    if (ec) {
      std::cerr << "gleaner: " << input << ": " << ec.message() << "\n";
      *failed = true;
    } else if (found.empty()) {
      std::cerr << "gleaner: " << input << ": warning: no files below this directory\n";
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
    if (names != nullptr)
      for (const std::string& f : found) names->push_back(fs::relative(f, input).string());
  }
  return files;
}

// Progress on stderr, at most five times a second: documents, MB, MB/s and, when the total
// is known, time left.
class Progress {
 public:
  Progress(bool on, std::uint64_t total_bytes) : on_(on), total_(total_bytes) {}

  void Update(std::size_t documents, std::uint64_t bytes, bool last = false) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    if (!last && now - shown_ < std::chrono::milliseconds(200)) return;
    shown_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    double mb = static_cast<double>(bytes) / 1e6;
    double rate = seconds > 0 ? mb / seconds : 0;
    char line[160];
    int n = std::snprintf(line, sizeof line, "\r%zu documents, %.1f MB, %.1f MB/s", documents, mb,
                          rate);
    if (total_ > 0 && rate > 0 && !last) {
      double left = std::clamp((static_cast<double>(total_) / 1e6 - mb) / rate, 0.0, 99.0 * 3600);
      n += std::snprintf(line + n, sizeof line - n, ", %d:%02d left", static_cast<int>(left) / 60,
                         static_cast<int>(left) % 60);
    }
    std::snprintf(line + n, sizeof line - n, last ? ", done\x1b[K\n" : "\x1b[K");
    std::fputs(line, stderr);
    std::fflush(stderr);
  }

 private:
  bool on_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), shown_{};
};

std::uint64_t TotalSize(const std::vector<std::string>& files) {
  std::uint64_t total = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    if (f == "-" || !fs::is_regular_file(f, ec)) return 0;  // unknown
    total += fs::file_size(f, ec);
  }
  return total;
}

bool WriteAll(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

int WriteFailed() {
  std::cerr << "gleaner: write error: " << std::strerror(errno) << "\n";
  return 1;
}

// --output-dir: each text input to a file of its own, on --threads workers. A file is written
// under a temporary name and renamed, so a file there is always whole.
int RunToDirectory(const gleaner::Extractor& ex, const Settings& s, gleaner::OutputFormat format) {
  bool any_failed = false;
  std::vector<std::string> names;
  std::vector<std::string> files = ExpandInputs(s.inputs, &any_failed, &names);
  const char* extension = format == gleaner::OutputFormat::kTsv      ? ".tsv"
                          : format == gleaner::OutputFormat::kHtml   ? ".html"
                          : format == gleaner::OutputFormat::kTimeml ? ".tml"
                                                                     : ".json";
  std::map<std::string, std::string> taken;  // output name -> input
  for (std::size_t i = 0; i < files.size(); ++i) {
    names[i] += extension;
    if (auto [it, added] = taken.emplace(names[i], files[i]); !added)
      return Usage(files[i] + " and " + it->second + " would both be written to " +
                       (fs::path(s.output_dir) / names[i]).string(),
                   "extract");
  }
  Progress progress(s.progress.value_or(::isatty(2) == 1) && files.size() > 1, TotalSize(files));
  std::mutex mu;  // progress, stderr and the counts
  std::size_t done = 0;
  std::uint64_t bytes = 0;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < files.size();) {
      std::string text, why, out;
      const std::string id = files[i] == "-" ? "stdin" : files[i];
      why = gleaner::ReadTextFile(files[i], s.options.max_document_bytes, &text);
      if (why.empty()) {
        auto result = ex.Extract(text, {id, s.reference_date, s.dateline});
        if (result.ok()) {
          gleaner::DocumentToFormat d;
          d.text = text;
          d.extraction = &result.value();
          d.id = id;
          out = gleaner::FormatBegin(format);
          gleaner::AppendDocument(out, format, d);
          out += gleaner::FormatEnd(format);
        } else {
          why = result.status().ToString();
        }
      }
      fs::path target = fs::path(s.output_dir) / names[i];
      fs::path partial = target;
      partial += ".partial";
      std::error_code ec;
      if (why.empty()) {
        fs::create_directories(target.parent_path(), ec);
        std::ofstream file(partial, std::ios::binary);
        file << out;
        file.close();
        if (!file) why = "cannot write " + partial.string();
        if (why.empty()) fs::rename(partial, target, ec);
        if (why.empty() && ec) why = "cannot write " + target.string() + ": " + ec.message();
        if (!why.empty()) fs::remove(partial, ec);
      }
      std::lock_guard lock(mu);
      if (!why.empty()) {
        std::cerr << "gleaner: " << id << ": " << why << "\n";
        any_failed = true;
      }
      progress.Update(++done, bytes += text.size());
    }
  };
  unsigned threads = s.threads ? s.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < std::min<std::size_t>(threads, files.size()); ++t)
    workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  progress.Update(done, bytes, /*last=*/true);
  return any_failed ? 1 : 0;
}

int RunExtract(const gleaner::Extractor& ex, const Settings& s, int out_fd) {
  gleaner::OutputFormat format = gleaner::OutputFormat::kJson;
  if (!s.format.empty()) format = *gleaner::ParseOutputFormat(s.format);
  if (!s.output_dir.empty()) return RunToDirectory(ex, s, format);
  bool any_failed = false;
  std::vector<std::string> files = ExpandInputs(
      s.jsonl && s.inputs.empty() ? std::vector<std::string>{"-"} : s.inputs, &any_failed);
  bool one_document = !s.jsonl && files.size() == 1;
  if (format == gleaner::OutputFormat::kJson && !one_document)
    format = gleaner::OutputFormat::kJsonl;  // several objects: one a line, not run together

  gleaner::BatchOptions options;
  options.reference_date = s.reference_date;
  options.infer_reference_date = s.dateline;
  options.threads = s.threads;
  options.max_line_bytes = s.max_line_bytes;
  options.max_file_bytes = s.options.max_document_bytes;
  options.format = format;
  options.write_begin_and_end = false;  // once around all inputs, below
  bool show = s.progress.value_or(::isatty(2) == 1) && !one_document;
  Progress progress(show, TotalSize(files));
  std::size_t documents_before = 0;
  std::uint64_t bytes_before = 0;
  gleaner::BatchProgress last;
  options.on_progress = [&](const gleaner::BatchProgress& p) {
    last = p;
    progress.Update(documents_before + p.documents, bytes_before + p.input_bytes);
  };
  auto report = [&](const std::string& src, const gleaner::BatchReport& r) {
    documents_before += last.documents;
    bytes_before += last.input_bytes;
    last = {};
    if (!r.ok()) any_failed = true;
    if (r.read_failed) std::cerr << "gleaner: " << src << ": " << r.error << "\n";
    if (r.write_failed) std::cerr << "gleaner: " << r.error << "\n";
    return !r.write_failed;
  };
  if (!WriteAll(out_fd, gleaner::FormatBegin(format))) return WriteFailed();
  if (s.jsonl) {
    for (const std::string& src : files) {
      int fd = src == "-" ? 0 : ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
      struct stat st;
      if (fd >= 0 && fd != 0 && ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        fd = -1;
        errno = EISDIR;
      }
      if (fd < 0) {
        std::cerr << "gleaner: " << src << ": cannot open: " << std::strerror(errno) << "\n";
        any_failed = true;
        continue;
      }
      auto r = gleaner::RunJsonlBatch(ex, fd, out_fd, options, [&](std::string_view error) {
        std::cerr << "gleaner: " << src << ": " << error << "\n";
      });
      if (fd != 0) ::close(fd);
      if (!report(src, r)) return 1;  // nothing more can be written
    }
  } else {
    auto r = gleaner::RunFileBatch(ex, files, out_fd, options, [&](std::string_view error) {
      std::cerr << "gleaner: " << error << "\n";
    });
    if (!report("", r)) return 1;
  }
  progress.Update(documents_before, bytes_before, /*last=*/true);
  if (!WriteAll(out_fd, gleaner::FormatEnd(format))) return WriteFailed();
  return any_failed ? 1 : 0;
}

// A TSV cell: no tab or line break inside.
std::string Cell(std::string s) {
  std::replace_if(
      s.begin(), s.end(), [](char c) { return c == '\n' || c == '\t' || c == '\r'; }, ' ');
  return s;
}

int RunExplain(const gleaner::Extractor& ex, const Settings& s, int out_fd) {
  bool any_failed = false;
  std::vector<std::string> files = ExpandInputs(s.inputs, &any_failed);
  std::string format = s.format.empty() ? "tsv" : s.format;
  auto output = format == "html" ? gleaner::OutputFormat::kHtml : gleaner::OutputFormat::kJsonl;
  std::string out = format == "tsv"    ? "doc\tbegin\tend\ttype\toutcome\trule\tby\ttext\treason\n"
                    : format == "html" ? gleaner::FormatBegin(output)
                                       : "";
  for (const std::string& file : files) {
    std::string text;
    if (std::string why = gleaner::ReadTextFile(file, s.options.max_document_bytes, &text);
        !why.empty()) {
      std::cerr << "gleaner: " << file << ": " << why << "\n";
      any_failed = true;
      continue;
    }
    std::string id = file == "-" ? "stdin" : file;
    gleaner::DocumentContext ctx{id, s.reference_date, s.dateline};
    auto decisions = ex.Explain(text, ctx);
    auto extraction = ex.Extract(text, ctx);
    if (!decisions.ok() || !extraction.ok()) {
      std::cerr << "gleaner: " << file << ": "
                << (decisions.ok() ? extraction.status() : decisions.status()).ToString() << "\n";
      any_failed = true;
      continue;
    }
    if (format == "html") {
      gleaner::DocumentToFormat d;
      d.text = text;
      d.extraction = &extraction.value();
      d.id = id;
      d.decisions = &decisions.value();
      gleaner::AppendDocument(out, output, d);
    } else if (format == "json") {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& d : *decisions) j.push_back(d);
      if (files.size() > 1) j = {{"id", id}, {"decisions", std::move(j)}};
      out +=
          j.dump(files.size() == 1 ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace) +
          "\n";
    } else {
      for (const auto& d : *decisions)
        out += Cell(id) + '\t' + std::to_string(d.span.begin) + '\t' + std::to_string(d.span.end) +
               '\t' + Cell(d.type) + '\t' + gleaner::OutcomeName(d.outcome) + '\t' +
               Cell(d.rule_id) + '\t' + Cell(d.by_rule) + '\t' + Cell(d.text) + '\t' +
               Cell(d.reason) + '\n';
    }
    if (!WriteAll(out_fd, out)) return WriteFailed();
    out.clear();
  }
  if (format == "html") out += gleaner::FormatEnd(output);
  if (!WriteAll(out_fd, out)) return WriteFailed();
  return any_failed ? 1 : 0;
}

// The descriptor to write to: stdout, or --output FILE, opened (and emptied) only now that the
// packs have loaded; -1 after saying why it cannot be.
int OpenOutput(const Settings& s) {
  if (s.output.empty() || s.output == "-") return 1;
  int fd = ::open(s.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    std::cerr << "gleaner: " << s.output << ": cannot write: " << std::strerror(errno) << "\n";
  return fd;
}

int RunPackTests(Settings& s) {
  // Packs named on the command line are tested. The default packs load first so that user
  // packs can use their macros; a named pack that is one of them (an edited copy of
  // counts.json, say) takes that one's place.
  std::vector<std::string> names;
  std::map<std::string, std::string> replaced;  // default pack name -> file
  for (const std::string& file : s.inputs) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {  // a FIFO would block the open below
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
    if (is_default && s.options.load_default_packs) {
      replaced[name] = file;
    } else {
      s.options.packs.push_back(file);
    }
  }
  if (!replaced.empty()) {
    const char* env = std::getenv("GLEANER_RULES_DIR");
    std::string dir = !s.options.rules_dir.empty() ? s.options.rules_dir
                      : env != nullptr && *env     ? std::string(env)
                                                   : std::string(gleaner::kBuiltinRulesDir);
    std::vector<std::string> packs;
    for (const char* name : {"dates", "counts", "locations", "quotes"})
      packs.push_back(replaced.count(name) ? replaced[name] : dir + "/" + name + ".json");
    packs.insert(packs.end(), s.options.packs.begin(), s.options.packs.end());
    s.options.packs = std::move(packs);
    s.options.load_default_packs = false;
  }
  auto ex = gleaner::Extractor::Create(s.options);
  if (!ex.ok()) {
    std::cerr << "gleaner: " << ex.status().ToString() << "\n";
    return 2;
  }
  int out_fd = OpenOutput(s);
  if (out_fd < 0) return 1;
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
  std::string out;
  for (const auto& r : results) {
    if (r.passed) {
      ++passed;
    } else {
      ++failed;
      out += r.file + ":" + std::to_string(r.line) + ": FAIL " + r.name + ": " + r.message + "\n";
    }
  }
  out += std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n";
  bool written = WriteAll(out_fd, out);
  if (out_fd != 1 && ::close(out_fd) != 0) written = false;
  if (!written) return WriteFailed();
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // A closed output pipe is a write error to report (exit 1), not a signal to die of.
  std::signal(SIGPIPE, SIG_IGN);
  Settings s;
  if (int rc = ParseCommandLine(argc, argv, &s); rc >= 0) return rc;
  if (s.command == "test-pack") return RunPackTests(s);
  int rc;
  // Never destroyed: freeing the rules and the gazetteer one allocation at a time would add a
  // tenth of the start-up time to every run, and the process ends right after (std::_Exit).
  auto* ex = new gleaner::Result<gleaner::Extractor>(gleaner::Extractor::Create(s.options));
  if (!ex->ok()) {
    std::cerr << "gleaner: cannot load rules: " << ex->status().ToString() << "\n";
    std::_Exit(2);
  }
  int out_fd = OpenOutput(s);
  if (out_fd < 0) std::_Exit(1);
  if (s.command == "list-packs") {
    std::string out;
    for (const auto& p : (*ex)->packs())
      out += p.name + "\t" + std::to_string(p.rule_count) + " rules\t" +
             std::to_string(p.test_count) + " tests\t" + p.file + "\n";
    rc = WriteAll(out_fd, out) ? 0 : WriteFailed();
  } else if (s.command == "explain") {
    rc = RunExplain(**ex, s, out_fd);
  } else {
    rc = RunExtract(**ex, s, out_fd);
  }
  if (out_fd != 1 && ::close(out_fd) != 0) rc = WriteFailed();
  std::cerr.flush();
  std::_Exit(rc);
}

// JSON Lines batches (gleaner/batch.h): one answer per line whatever the line holds, ids as
// given, limits applied while reading, errors of input and output reported.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

using gleaner::AnswerJsonLine;
using gleaner::BatchOptions;
using gleaner::RunJsonlBatch;
using gleaner::testing::DefaultExtractor;
using gleaner::testing::TempDir;

namespace {

// Answers `line` as line 3 of a batch.
nlohmann::json Answer(const std::string& line, std::string* error = nullptr,
                      const BatchOptions& options = {}) {
  std::string e;
  std::string out = AnswerJsonLine(DefaultExtractor(), line, 3, options, &e);
  if (error != nullptr) *error = e;
  REQUIRE(out.find('\n') == std::string::npos);
  return nlohmann::json::parse(out);
}

// The raw bytes of the "id" member of an answer line.
std::string RawId(const std::string& answer) {
  REQUIRE(answer.rfind("{\"id\":", 0) == 0);
  std::size_t end = std::min(answer.find(",\"reference_date\":"), answer.find(",\"records\":"));
  return answer.substr(6, end - 6);
}

// Runs a batch over `input` (through a file) and returns the output lines.
std::vector<std::string> RunBatch(const std::string& input, const BatchOptions& options,
                                  gleaner::BatchReport* report = nullptr,
                                  std::vector<std::string>* errors = nullptr) {
  TempDir dir;
  std::string in_path = dir.Write("in.jsonl", input);
  std::string out_path = (dir.path() / "out.jsonl").string();
  int in = ::open(in_path.c_str(), O_RDONLY);
  int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(in >= 0);
  REQUIRE(out >= 0);
  auto r = RunJsonlBatch(DefaultExtractor(), in, out, options, [&](std::string_view e) {
    if (errors != nullptr) errors->emplace_back(e);
  });
  ::close(in);
  ::close(out);
  if (report != nullptr) *report = r;
  std::ifstream result(out_path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(result, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("a good line is answered with its records") {
  std::string error;
  auto j = Answer(
      R"({"id":"a1","text":"Nine villagers were rescued.","reference_date":"2021-03-04"})", &error);
  CHECK(error.empty());
  CHECK(j["id"] == "a1");
  CHECK(j["reference_date"] == "2021-03-04");
  REQUIRE(j["records"].size() == 1);
  CHECK(j["records"][0]["value"] == 9);
  CHECK(j["records"][0]["entity"] == "villagers");
}

TEST_CASE("blank and malformed lines get an error object that names the line") {
  for (const char* line :
       {"", "   ", "\t\r", "not json", "[1,2]", "42", "{\"id\":1}", "{\"id\":1,\"text\":7}",
        "{\"text\":\"x\",\"reference_date\":20200101}",
        "{\"text\":\"x\",\"reference_date\":\"2021-02-29\"}",
        "{\"text\":\"x\",\"reference_date\":\"0000-01-01\"}", "{\"text\":\"x\""}) {
    CAPTURE(line);
    std::string error;
    auto j = Answer(line, &error);
    CHECK(error.rfind("line 3: ", 0) == 0);
    CHECK(j["error"] == error);
    CHECK(j["records"].empty());
  }
  std::string error;
  Answer("", &error);
  CHECK(error == "line 3: blank line");
  Answer("{\"text\":\"x\",\"reference_date\":\"2021-02-29\"}", &error);
  CHECK(error.find("2021-02-29") != std::string::npos);
}

TEST_CASE("a null or absent reference date falls back to the batch's") {
  BatchOptions options;
  options.reference_date = "2019-06-01";
  CHECK(Answer(R"({"text":"It rained.","reference_date":null})", nullptr,
               options)["reference_date"] == "2019-06-01");
  CHECK(Answer(R"({"text":"It rained."})", nullptr, options)["reference_date"] == "2019-06-01");
}

TEST_CASE("ids are echoed byte for byte") {
  for (const char* id : {"123456789012345678901234567890", "1.50", "-0.0", "2.5E-3",
                         "\"caf\\u00e9\"", "{\"z\":1,\"a\":[1.0,2]}", "null", "true", "[]"}) {
    std::string id_text = id;
    CAPTURE(id_text);
    std::string line = std::string("{\"id\": ") + id + " ,\"text\":\"x\"}";
    std::string error;
    std::string out = AnswerJsonLine(DefaultExtractor(), line, 1, {}, &error);
    CAPTURE(error);
    CHECK(error.empty());
    CHECK(RawId(out) == id);
  }
  // Kept on an error too, once the id has been read.
  std::string error;
  std::string out = AnswerJsonLine(DefaultExtractor(), "{\"id\":1.50,\"text\":", 1, {}, &error);
  CHECK(RawId(out) == "1.50");
  CHECK(!error.empty());
  // Unless what was read of it is no JSON value: a number is read one character past its end.
  out = AnswerJsonLine(DefaultExtractor(), "{\"id\":021}", 1, {}, &error);
  CHECK(RawId(out) == "null");
  CHECK(nlohmann::json::accept(out));
}

TEST_CASE("deep nesting is refused, not recursed into") {
  std::string deep =
      "{\"id\":" + std::string(100000, '[') + std::string(100000, ']') + ",\"text\":\"x\"}";
  std::string error;
  auto j = Answer(deep, &error);
  CHECK(error.find("nested deeper than 64") != std::string::npos);
  CHECK(j["id"].is_null());
  BatchOptions shallow;
  shallow.max_json_depth = 2;
  Answer(R"({"id":{"a":{"b":1}},"text":"x"})", &error, shallow);
  CHECK(error.find("nested deeper than 2") != std::string::npos);
}

TEST_CASE("a batch answers every line once, in order, with any number of threads") {
  std::string input;
  for (int i = 0; i < 300; ++i) {
    if (i % 7 == 3) {
      input += "\n";  // blank
    } else if (i % 11 == 5) {
      input += "{broken\n";
    } else {
      input += "{\"id\":" + std::to_string(i) + ",\"text\":\"" + std::to_string(i + 2) +
               " people were hurt.\"}\n";
    }
  }
  input += "{\"id\":300,\"text\":\"no newline at the end\"}";
  std::vector<std::string> first;
  for (unsigned threads : {1u, 2u, 4u}) {
    CAPTURE(threads);
    BatchOptions options;
    options.threads = threads;
    options.max_pending_bytes = 200;  // the reader waits often
    gleaner::BatchReport report;
    std::vector<std::string> errors;
    auto lines = RunBatch(input, options, &report, &errors);
    REQUIRE(lines.size() == 301);
    CHECK(report.lines == 301);
    CHECK(!report.ok());
    CHECK(report.failed_lines == errors.size());
    std::size_t bad_lines = 0;
    for (int i = 0; i < 300; ++i) bad_lines += i % 7 == 3 || i % 11 == 5;
    CHECK(errors.size() == bad_lines);
    for (int i = 0; i <= 300; ++i) {
      auto j = nlohmann::json::parse(lines[i]);
      bool bad = i < 300 && (i % 7 == 3 || i % 11 == 5);
      CHECK(j.contains("error") == bad);
      if (!bad) CHECK(j["id"] == i);
    }
    if (first.empty()) first = lines;
    CHECK(lines == first);
  }
}

TEST_CASE("a line over the limit is answered without being held, and the batch goes on") {
  BatchOptions options;
  options.max_line_bytes = 100;
  std::string input = "{\"id\":1,\"text\":\"" + std::string(5000, 'a') + "\"}\n" +
                      "{\"id\":2,\"text\":\"Four ships sank.\"}\n" + std::string(300, 'b');
  for (unsigned threads : {1u, 2u}) {
    options.threads = threads;
    std::vector<std::string> errors;
    auto lines = RunBatch(input, options, nullptr, &errors);
    REQUIRE(lines.size() == 3);
    CHECK(nlohmann::json::parse(lines[0])["error"].get<std::string>().find("longer than 100") !=
          std::string::npos);
    CHECK(nlohmann::json::parse(lines[1])["records"].size() == 1);
    CHECK(nlohmann::json::parse(lines[2]).contains("error"));
    CHECK(errors.size() == 2);
  }
}

TEST_CASE("read and write errors are reported, not taken for success") {
  std::signal(SIGPIPE, SIG_IGN);
  TempDir dir;
  // A directory cannot be read as a stream.
  int in = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(in >= 0);
  int null_out = ::open("/dev/null", O_WRONLY);
  auto r = RunJsonlBatch(DefaultExtractor(), in, null_out, {});
  CHECK(r.read_failed);
  CHECK(r.error.find("read error") != std::string::npos);
  CHECK(!r.ok());
  ::close(in);
  ::close(null_out);
  // A pipe whose reader has gone.
  for (unsigned threads : {1u, 2u}) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
    std::string input_path = dir.Write("in.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
    int input = ::open(input_path.c_str(), O_RDONLY);
    BatchOptions options;
    options.threads = threads;
    auto w = RunJsonlBatch(DefaultExtractor(), input, fds[1], options);
    CHECK(w.write_failed);
    CHECK(w.error.find("write error") != std::string::npos);
    ::close(fds[1]);
    ::close(input);
  }
}

TEST_CASE("a batch streams: each answer is written before the next line arrives") {
  int to_batch[2], from_batch[2];
  REQUIRE(::pipe(to_batch) == 0);
  REQUIRE(::pipe(from_batch) == 0);
  BatchOptions options;
  options.threads = 2;
  std::thread batch([&] {
    RunJsonlBatch(DefaultExtractor(), to_batch[0], from_batch[1], options);
    ::close(from_batch[1]);
  });
  for (int i = 0; i < 3; ++i) {
    std::string line = "{\"id\":" + std::to_string(i) + ",\"text\":\"Two dogs barked.\"}\n";
    REQUIRE(::write(to_batch[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()));
    // Read the answer while the input stays open: a batch that waited for more would hang here.
    std::string answer;
    char c;
    while (::read(from_batch[0], &c, 1) == 1 && c != '\n') answer += c;
    CHECK(nlohmann::json::parse(answer)["id"] == i);
  }
  ::close(to_batch[1]);
  batch.join();
  ::close(to_batch[0]);
  ::close(from_batch[0]);
}

TEST_CASE("reference dates are calendar dates") {
  using gleaner::IsReferenceDate;
  CHECK(IsReferenceDate("2020-02-29"));
  CHECK(IsReferenceDate("2000-02-29"));
  CHECK(IsReferenceDate("9999-12-31T23:59:59"));
  CHECK(!IsReferenceDate("2021-02-29"));
  CHECK(!IsReferenceDate("1900-02-29"));
  CHECK(!IsReferenceDate("2020-02-31"));
  CHECK(!IsReferenceDate("2020-04-31"));
  CHECK(!IsReferenceDate("0000-01-01"));
  CHECK(!IsReferenceDate("2020-13-01"));
  CHECK(!IsReferenceDate("2020-1-01"));
  CHECK(!IsReferenceDate("2020-01-01x"));
}

TEST_CASE("amounts too large for a number type give no overflowed values") {
  auto records = [](const std::string& text) {
    gleaner::DocumentContext ctx{"t", "2020-01-01", false};
    auto r = DefaultExtractor().Extract(text, ctx);
    REQUIRE(r.ok());
    std::vector<std::string> values;
    for (const auto& rec : r->records)
      if (auto* d = std::get_if<gleaner::Date>(&rec)) values.push_back(d->value);
    return values;
  };
  CHECK(records("The drought lasted 44444444444.5 years.") ==
        std::vector<std::string>{"P44444444444Y6M"});
  // Offsets past year 9999 have no value rather than a wrapped one.
  CHECK(records("The drought lasted 44444444444 decades.") ==
        std::vector<std::string>{"P444444444440Y"});
  for (const char* text : {"It ended 99999999999 days ago.", "It ends 5000000 years later.",
                           "It began 9999999999 centuries ago.", "It returns 8000 years from now.",
                           "It fades 80 centuries from now.", "It ends 3000000 days from now.",
                           "It ends 786432 months later."}) {
    CAPTURE(text);
    auto v = records(text);
    REQUIRE(v.size() == 1);
    CHECK(v[0].empty());
  }
  for (const std::string& v : records("It took 99999999999999999999 hours, 3.5e10 weeks."))
    CHECK(v.find('-') == std::string::npos);
}

// JSON Lines batches: the contract of `gleaner --jsonl`, for programs that run their own.
//
//   gleaner::BatchOptions options;                  // every core, the documented limits
//   gleaner::BatchReport report = gleaner::RunJsonlBatch(*extractor, /*in_fd=*/0,
//                                                         /*out_fd=*/1, options);
//   return report.ok() ? 0 : 1;
//
// The contract: every input line, blank and malformed ones included, gives exactly one output
// line, in input order. A good line {"id", "text", "reference_date"} gives
// {"id", "reference_date", "records": [...]} (plus "warnings" when there are any); any other
// line gives {"id", "records": [], "error": "line N: ..."}, and the batch goes on. The "id" is
// echoed byte for byte as given (null when the line has none or it could not be read), and so
// are the line's other members (BatchOptions::echo_extra_members), right after it. Output
// is streamed: a line is written as soon as it and every line before it are answered, so a
// batch can run as a coprocess (one line in, one line out) or under Hadoop Streaming.
#ifndef GLEANER_BATCH_H_
#define GLEANER_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gleaner/extractor.h"
#include "gleaner/format.h"

namespace gleaner {

// How far a batch has come; see BatchOptions::on_progress.
struct BatchProgress {
  std::size_t documents = 0;      // answered and written (JSON lines, blank ones included)
  std::size_t failed = 0;         // of those, answered with an error
  std::uint64_t input_bytes = 0;  // their size: lines with their newline, or files
};

struct BatchOptions {
  // The reference date of lines that give none (their "reference_date" is absent or null),
  // "YYYY-MM-DD" or empty; and whether such lines may take one from a dateline.
  std::string reference_date;
  bool infer_reference_date = true;

  // Worker threads; 0 means one per core. With 1, lines are answered in the calling thread.
  unsigned threads = 0;

  // A line longer than this many bytes (newline excluded) is answered with an error object
  // without being held in memory: the rest of it is read and dropped. Raise it together with
  // ExtractorOptions::max_document_bytes for documents near that size (JSON escapes make a
  // line longer than its text).
  std::size_t max_line_bytes = std::size_t{128} << 20;

  // JSON nested deeper than this (objects and arrays) is refused with an error object.
  std::size_t max_json_depth = 64;

  // Input bytes read ahead of the output (lines queued, being answered, or answered and waiting
  // for an earlier one). The reader waits when this is reached, so memory does not grow with
  // the batch; a single line may still exceed it.
  std::size_t max_pending_bytes = std::size_t{64} << 20;

  // RunFileBatch: a file larger than this many bytes is refused (with an error, having read no
  // more than that), so that /dev/zero or a runaway log cannot take all memory.
  std::size_t max_file_bytes = std::size_t{64} << 20;

  // How answers are written (gleaner/format.h). kJsonl is the contract above; with another
  // format the batch writes FormatBegin first and FormatEnd last, and a line or file that
  // fails is written as that format writes a failed document.
  OutputFormat format = OutputFormat::kJsonl;

  // Write FormatBegin before the first answer and FormatEnd after the last. Turn off to write
  // several batches into one page or table (write those two yourself, once).
  bool write_begin_and_end = true;

  // Echo the members of an input line other than "id", "text" and "reference_date" on its
  // output line, after "id", byte for byte and in their order (JSON formats). Members named
  // like an output member ("records", "error", "warnings") are not echoed.
  bool echo_extra_members = true;

  // Called after each answer is written, from the thread that writes (not concurrently), with
  // the totals so far. Keep it quick: the batch waits for it.
  std::function<void(const BatchProgress&)> on_progress;
};

// How a batch ended.
struct BatchReport {
  std::size_t lines = 0;         // input lines read, each answered by one output line
  std::size_t failed_lines = 0;  // lines answered with an error object
  bool read_failed = false;      // the input could not be read to its end (see `error`)
  bool write_failed = false;     // output could not be written; the batch stopped there
  std::string error;             // what failed, for read_failed or write_failed
  // Every line answered without error, the input read to its end and all output written.
  bool ok() const { return failed_lines == 0 && !read_failed && !write_failed; }
};

// Answers one input line (without its newline) with one output line (without a newline).
// Never throws. Sets *error to the message of the error object it returns ("line N: ..."),
// or clears it. `line_number` (1-based) goes into that message.
std::string AnswerJsonLine(const Extractor& extractor, std::string_view line,
                           std::size_t line_number, const BatchOptions& options,
                           std::string* error);

// Reads JSON Lines from file descriptor `in_fd` to its end and writes one answer line per input
// line to `out_fd` (POSIX descriptors; neither is closed). `on_line_error`, when given, is
// called with each error message, in line order, from the thread that writes. Stops early only
// when output cannot be written (a closed pipe, a full disk). Thread-safe for distinct
// descriptors; SIGPIPE is the caller's to ignore (gleaner's tool does).
BatchReport RunJsonlBatch(const Extractor& extractor, int in_fd, int out_fd,
                          const BatchOptions& options,
                          const std::function<void(std::string_view)>& on_line_error = {});

// Reads the text file at `path` ("-": stdin) whole into *text, refusing one larger than
// `max_bytes` without reading past that (so /dev/zero is refused, not read until memory runs
// out). Returns "" on success, else why not: "cannot open: ...", "is a directory", "read
// error: ...", "larger than N bytes (...)".
std::string ReadTextFile(const std::string& path, std::size_t max_bytes, std::string* text);

// Extracts from each text file of `paths` ("-" is stdin, read to its end), in order, with the
// same pool, order and limits as RunJsonlBatch, and writes them to `out_fd` in
// options.format. Each document's id is its path ("stdin" for "-"). A file that cannot be
// read (missing, a directory, over max_file_bytes, a read error) or whose extraction fails is
// answered as a failed document and reported to `on_error` ("PATH: why"); the rest go on.
// `on_error` also gets each warning ("PATH: warning: ..."), which is not a failure. In
// BatchReport, `lines` counts files.
BatchReport RunFileBatch(const Extractor& extractor, const std::vector<std::string>& paths,
                         int out_fd, const BatchOptions& options,
                         const std::function<void(std::string_view)>& on_error = {});

}  // namespace gleaner

#endif  // GLEANER_BATCH_H_

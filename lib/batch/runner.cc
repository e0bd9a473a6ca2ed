// The JSON Lines batch (gleaner/batch.h): a reader that never holds more than one line's limit
// of a line, a persistent pool of workers, and output written in input order as soon as it can
// be. Input and output are POSIX descriptors so that a read error is told from the end of the
// input, and a write error (a full disk, a closed pipe) from success.
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "gleaner/batch.h"
#include "gleaner/output.h"

namespace gleaner {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

// Lines of a descriptor, each at most `max_line` bytes held; longer ones are read through and
// reported as too long.
class LineReader {
 public:
  enum class Got { kLine, kTooLong, kEnd, kError };

  LineReader(int fd, std::size_t max_line) : fd_(fd), max_line_(max_line), buffer_(1 << 16) {}

  // The next line, without its "\n". A last line without one still counts. A line is known
  // to be too long as soon as it passes the limit: it is reported then (so that a line with no
  // end, /dev/zero, still gets its answer) and the rest of it is read and dropped next time.
  Got Next(std::string* line) {
    line->clear();
    bool any = false;
    while (true) {
      if (begin_ == end_ && !Fill()) {
        if (!error_.empty()) return Got::kError;
        if (!any || skipping_) return Got::kEnd;
        return Got::kLine;
      }
      const char* from = buffer_.data() + begin_;
      const char* newline = static_cast<const char*>(std::memchr(from, '\n', end_ - begin_));
      std::size_t take = newline ? static_cast<std::size_t>(newline - from) : end_ - begin_;
      begin_ += take + (newline ? 1 : 0);
      if (skipping_) {  // the rest of a line already answered as too long
        if (newline) skipping_ = false;
        continue;
      }
      any = true;
      bool fits = line->size() + take <= max_line_;
      if (fits) {
        try {
          line->append(from, take);
        } catch (const std::bad_alloc&) {
          fits = false;  // a line there is no memory for is answered as one over the limit
        }
      }
      if (!fits) {
        std::string().swap(*line);  // give the memory back now
        skipping_ = newline == nullptr;
        return Got::kTooLong;
      }
      if (newline) return Got::kLine;
    }
  }

  const std::string& error() const { return error_; }

 private:
  // Reads more input; false at its end or on an error (then error_ says what).
  bool Fill() {
    if (eof_) return false;
    ssize_t n;
    do {
      n = ::read(fd_, buffer_.data(), buffer_.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      error_ = "read error: " + ErrnoText(errno);
      eof_ = true;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    begin_ = 0;
    end_ = static_cast<std::size_t>(n);
    return true;
  }

  int fd_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  bool skipping_ = false;
  std::string error_;
};

// Writes `line` and a newline, in one call when the descriptor takes it all (so that a reader
// of a pipe gets whole lines) and without copying the line; false (errno set) on a refusal.
bool WriteLine(int fd, const std::string& line) {
  char newline = '\n';
  std::size_t done = 0, total = line.size() + 1;
  while (done < total) {
    iovec parts[2];
    int count = 0;
    if (done < line.size())
      parts[count++] = {const_cast<char*>(line.data()) + done, line.size() - done};
    parts[count++] = {&newline, 1};
    ssize_t n = ::writev(fd, parts, count);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string TooLongError(std::size_t line_number, std::size_t limit) {
  return "line " + std::to_string(line_number) + ": longer than " + std::to_string(limit) +
         " bytes, read through and dropped (BatchOptions::max_line_bytes, gleaner "
         "--max-line-bytes)";
}

std::string TooLongLine(std::size_t line_number, std::size_t limit) {
  std::string out = "{\"id\":null,\"records\":[],\"error\":";
  AppendJsonString(out, TooLongError(line_number, limit));
  out += '}';
  return out;
}

// One answered line, waiting for the lines before it.
struct Answered {
  std::string line;
  std::string error;
  std::size_t input_bytes = 0;
  bool ready = false;
};

class Batch {
 public:
  Batch(const Extractor& extractor, int in_fd, int out_fd, const BatchOptions& options,
        const std::function<void(std::string_view)>& on_line_error)
      : extractor_(extractor),
        reader_(in_fd, options.max_line_bytes),
        out_fd_(out_fd),
        options_(options),
        on_line_error_(on_line_error) {}

  BatchReport RunHere() {
    std::string line;
    for (std::size_t number = 1;; ++number) {
      LineReader::Got got = reader_.Next(&line);
      if (got == LineReader::Got::kEnd) break;
      if (got == LineReader::Got::kError) {
        report_.read_failed = true;
        report_.error = reader_.error();
        break;
      }
      Answered a;
      a.line = got == LineReader::Got::kTooLong
                   ? TooLong(number, &a.error)
                   : AnswerJsonLine(extractor_, line, number, options_, &a.error);
      ++report_.lines;
      if (!Write(a)) break;
    }
    return Finish();
  }

  BatchReport RunPool(unsigned threads) {
    std::vector<std::thread> workers;
    try {
      for (unsigned t = 0; t < threads; ++t) workers.emplace_back([this] { Work(); });
    } catch (const std::system_error&) {
      if (workers.empty()) return RunHere();  // no thread to be had: answer here
    }
    try {
      Read();
    } catch (const std::exception& e) {  // out of memory between lines: stop, and say so
      std::lock_guard lock(mu_);
      report_.read_failed = true;
      report_.error = std::string("reading input: ") + e.what();
      stop_ = true;
    }
    {
      std::lock_guard lock(mu_);
      input_done_ = true;
    }
    work_ready_.notify_all();
    for (auto& w : workers) w.join();
    return Finish();
  }

 private:
  struct Job {
    std::size_t seq = 0;
    std::string line;
    bool too_long = false;
  };

  // The calling thread reads, and waits while too much input is waiting for output.
  void Read() {
    std::size_t max_jobs = std::max<std::size_t>(16, 8 * options_.threads);
    std::string line;
    for (std::size_t seq = 0;; ++seq) {
      LineReader::Got got = reader_.Next(&line);
      if (got == LineReader::Got::kEnd) return;
      std::unique_lock lock(mu_);
      if (got == LineReader::Got::kError) {
        report_.read_failed = true;
        report_.error = reader_.error();
        return;
      }
      space_.wait(lock, [&] {
        return stop_ || in_flight_ == 0 ||
               (pending_bytes_ < options_.max_pending_bytes && in_flight_ < max_jobs);
      });
      if (stop_) return;
      ++report_.lines;
      ++in_flight_;
      pending_bytes_ += line.size() + 1;
      answers_.emplace_back();
      answers_.back().input_bytes = line.size() + 1;
      jobs_.push_back(Job{seq, std::move(line), got == LineReader::Got::kTooLong});
      line = std::string();
      lock.unlock();
      work_ready_.notify_one();
    }
  }

  void Work() {
    while (true) {
      Job job;
      {
        std::unique_lock lock(mu_);
        work_ready_.wait(lock, [&] { return stop_ || !jobs_.empty() || input_done_; });
        if (stop_ || jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      Answered a;
      a.line = job.too_long ? TooLong(job.seq + 1, &a.error)
                            : AnswerJsonLine(extractor_, job.line, job.seq + 1, options_, &a.error);
      std::string().swap(job.line);
      std::unique_lock lock(mu_);
      Answered& slot = answers_[job.seq - first_seq_];
      a.input_bytes = slot.input_bytes;
      slot = std::move(a);
      slot.ready = true;
      if (writing_) continue;  // the thread writing now takes this one too
      // Write every answer that is next in line, the lock released while writing.
      writing_ = true;
      while (!stop_ && !answers_.empty() && answers_.front().ready) {
        Answered next = std::move(answers_.front());
        answers_.pop_front();
        ++first_seq_;
        lock.unlock();
        bool ok = Write(next);
        lock.lock();
        --in_flight_;
        pending_bytes_ -= next.input_bytes;
        if (!ok) stop_ = true;
        space_.notify_one();
      }
      writing_ = false;
      if (stop_) {
        lock.unlock();
        work_ready_.notify_all();
        space_.notify_all();
      }
    }
  }

  std::string TooLong(std::size_t number, std::string* error) const {
    *error = TooLongError(number, options_.max_line_bytes);
    return TooLongLine(number, options_.max_line_bytes);
  }

  // Writes one answer and its newline; false once output has failed. Called by one thread at a
  // time.
  bool Write(Answered& a) {
    if (!a.error.empty()) {
      ++failed_;
      if (on_line_error_) on_line_error_(a.error);
    }
    if (WriteLine(out_fd_, a.line)) return true;
    write_error_ = "write error: " + ErrnoText(errno);
    return false;
  }

  // The report, once every thread has finished.
  BatchReport Finish() {
    report_.failed_lines = failed_;
    if (!write_error_.empty()) {
      report_.write_failed = true;
      if (report_.error.empty()) report_.error = write_error_;
    }
    return report_;
  }

  const Extractor& extractor_;
  LineReader reader_;
  int out_fd_;
  const BatchOptions& options_;
  const std::function<void(std::string_view)>& on_line_error_;

  std::mutex mu_;
  std::condition_variable work_ready_, space_;
  std::deque<Job> jobs_;
  std::deque<Answered> answers_;  // answers_[i] is line first_seq_ + i
  std::size_t first_seq_ = 0;
  std::size_t in_flight_ = 0, pending_bytes_ = 0;
  bool input_done_ = false, stop_ = false, writing_ = false;

  // The writing thread's: one at a time, handed over under mu_.
  std::size_t failed_ = 0;
  std::string write_error_;
  BatchReport report_;  // lines and read errors: the reading thread's
};

}  // namespace

BatchReport RunJsonlBatch(const Extractor& extractor, int in_fd, int out_fd,
                          const BatchOptions& options,
                          const std::function<void(std::string_view)>& on_line_error) {
  BatchOptions o = options;
  if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
  if (o.max_line_bytes == 0) o.max_line_bytes = 1;
  Batch batch(extractor, in_fd, out_fd, o, on_line_error);
  return o.threads == 1 ? batch.RunHere() : batch.RunPool(o.threads);
}

}  // namespace gleaner

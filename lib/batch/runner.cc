// The batches of gleaner/batch.h: a source of inputs (lines of a descriptor, never holding more
// than one line's limit of a line; or paths of text files), a persistent pool of workers, and
// output written in input order as soon as it can be. Input and output are POSIX descriptors
// so that a read error is told from the end of the input, and a write error (a full disk, a
// closed pipe) from success.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "batch/answer.h"
#include "gleaner/batch.h"

namespace gleaner {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

// Where a batch's inputs come from, one at a time, on the thread that reads.
class Source {
 public:
  enum class Got { kInput, kTooLong, kEnd, kError };
  virtual ~Source() = default;
  // The next input into *payload (a line, a path); kError with error() set when reading fails.
  virtual Got Next(std::string* payload) = 0;
  // Makes a Next waiting for input return kEnd once `fd` is readable: the batch writes to it
  // when output has failed, so that a reader blocked on a pipe that stays open (tail -f) does
  // not keep the process alive. -1: none.
  void set_stop_fd(int fd) { stop_fd_ = fd; }
  // The memory an input will hold while it waits, counted against max_pending_bytes.
  virtual std::size_t Weight(const std::string& payload) const { return payload.size() + 1; }
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
  int stop_fd_ = -1;
};

// Lines of a descriptor, each at most `max_line` bytes held; longer ones are read through and
// reported as too long.
class LineReader : public Source {
 public:
  LineReader(int fd, std::size_t max_line) : fd_(fd), max_line_(max_line), buffer_(1 << 16) {}

  // The next line, without its "\n". A last line without one still counts. A line is known
  // to be too long as soon as it passes the limit: it is reported then (so that a line with no
  // end, /dev/zero, still gets its answer) and the rest of it is read and dropped next time.
  Got Next(std::string* line) override {
    line->clear();
    bool any = false;
    while (true) {
      if (begin_ == end_ && !Fill()) {
        if (!error_.empty()) return Got::kError;
        if (!any || skipping_) return Got::kEnd;
        return Got::kInput;
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
      if (newline) return Got::kInput;
    }
  }

 private:
  // Reads more input; false at its end or on an error (then error_ says what).
  bool Fill() {
    if (eof_) return false;
    if (stop_fd_ >= 0) {
      pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      int ready;
      do {
        ready = ::poll(fds, 2, -1);
      } while (ready < 0 && errno == EINTR);
      if (ready > 0 && (fds[1].revents & POLLIN) != 0) {  // output failed: read no more
        eof_ = true;
        return false;
      }
    }
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
};

// Paths of text files, in order.
class PathList : public Source {
 public:
  explicit PathList(const std::vector<std::string>& paths) : paths_(paths) {}
  Got Next(std::string* path) override {
    if (next_ == paths_.size()) return Got::kEnd;
    *path = paths_[next_++];
    return Got::kInput;
  }
  // A file is held whole, with its answer: its size, when it can be known before reading.
  std::size_t Weight(const std::string& path) const override {
    struct stat st;
    if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
      return static_cast<std::size_t>(st.st_size) + path.size() + 1;
    return path.size() + 1;
  }

 private:
  const std::vector<std::string>& paths_;
  std::size_t next_ = 0;
};

// Writes all of `chunk`, in one call when the descriptor takes it all (so that a reader of a
// pipe gets whole lines); false (errno set) on a refusal.
bool WriteAll(int fd, std::string_view chunk) {
  std::size_t done = 0;
  while (done < chunk.size()) {
    ssize_t n = ::write(fd, chunk.data() + done, chunk.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// One answered input, waiting for the inputs before it.
struct Answered {
  std::string chunk;              // what is written for it
  std::string error;              // why it failed, or empty
  std::string warnings;           // lines to report that are not failures
  std::size_t pending_bytes = 0;  // input held for it, counted against max_pending_bytes
  std::uint64_t input_bytes = 0;  // its size, for progress
  bool ready = false;
};

// One input taken from the source.
struct Job {
  std::size_t seq = 0;
  std::string payload;
  bool too_long = false;
};

// Answers one job (on a worker thread); must not throw.
using AnswerFn = std::function<void(Job&, Answered&)>;

class Batch {
 public:
  Batch(Source& source, AnswerFn answer, int out_fd, const BatchOptions& options,
        const std::function<void(std::string_view)>& on_error)
      : source_(source),
        answer_(std::move(answer)),
        out_fd_(out_fd),
        options_(options),
        on_error_(on_error) {}

  BatchReport Run() {
    if (options_.write_begin_and_end && !WriteChunk(FormatBegin(options_.format))) return Finish();
    if (options_.threads == 1) {
      RunHere();
    } else {
      RunPool(options_.threads);
    }
    if (options_.write_begin_and_end && write_error_.empty())
      WriteChunk(FormatEnd(options_.format));
    return Finish();
  }

 private:
  void RunHere() {
    Job job;
    for (;; ++job.seq) {
      Source::Got got = source_.Next(&job.payload);
      if (got == Source::Got::kEnd) break;
      if (got == Source::Got::kError) {
        report_.read_failed = true;
        report_.error = source_.error();
        break;
      }
      job.too_long = got == Source::Got::kTooLong;
      Answered a;
      answer_(job, a);
      ++report_.lines;
      if (!Write(a)) break;
    }
  }

  void RunPool(unsigned threads) {
    if (::pipe2(stop_pipe_, O_CLOEXEC) == 0) {
      source_.set_stop_fd(stop_pipe_[0]);
    } else {
      stop_pipe_[0] = stop_pipe_[1] = -1;
    }
    struct ClosePipe {
      int* fds;
      ~ClosePipe() {
        for (int i = 0; i < 2; ++i)
          if (fds[i] >= 0) ::close(fds[i]);
      }
    } close_pipe{stop_pipe_};
    std::vector<std::thread> workers;
    try {
      for (unsigned t = 0; t < threads; ++t) workers.emplace_back([this] { Work(); });
    } catch (const std::system_error&) {
      if (workers.empty()) return RunHere();  // no thread to be had: answer here
    }
    try {
      Read();
    } catch (const std::exception& e) {  // out of memory between inputs: stop, and say so
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
  }

  // The calling thread reads, and waits while too much input is waiting for output.
  void Read() {
    std::size_t max_jobs = std::max<std::size_t>(16, 8 * options_.threads);
    std::string payload;
    for (std::size_t seq = 0;; ++seq) {
      Source::Got got = source_.Next(&payload);
      if (got == Source::Got::kEnd) return;
      std::unique_lock lock(mu_);
      if (got == Source::Got::kError) {
        report_.read_failed = true;
        report_.error = source_.error();
        return;
      }
      space_.wait(lock, [&] {
        return stop_ || in_flight_ == 0 ||
               (pending_bytes_ < options_.max_pending_bytes && in_flight_ < max_jobs);
      });
      if (stop_) return;
      ++report_.lines;
      ++in_flight_;
      std::size_t weight = source_.Weight(payload);
      pending_bytes_ += weight;
      answers_.emplace_back();
      answers_.back().pending_bytes = weight;
      jobs_.push_back(Job{seq, std::move(payload), got == Source::Got::kTooLong});
      payload = std::string();
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
      answer_(job, a);
      std::string().swap(job.payload);
      std::unique_lock lock(mu_);
      Answered& slot = answers_[job.seq - first_seq_];
      a.pending_bytes = slot.pending_bytes;
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
        pending_bytes_ -= next.pending_bytes;
        if (!ok) {
          stop_ = true;
          if (stop_pipe_[1] >= 0) (void)!::write(stop_pipe_[1], "x", 1);
        }
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

  bool WriteChunk(std::string_view chunk) {
    if (WriteAll(out_fd_, chunk)) return true;
    write_error_ = std::string("write error: ") + ErrnoText(errno);
    return false;
  }

  // Writes one answer; false once output has failed. Called by one thread at a time.
  bool Write(Answered& a) {
    ++progress_.documents;
    progress_.input_bytes += a.input_bytes;
    if (!a.error.empty()) {
      ++progress_.failed;
      if (on_error_) on_error_(a.error);
    }
    std::string_view rest = a.warnings, line;
    while (on_error_ && !rest.empty()) {
      std::size_t nl = rest.find('\n');
      line = rest.substr(0, nl);
      rest.remove_prefix(nl == rest.npos ? rest.size() : nl + 1);
      on_error_(line);
    }
    if (!WriteChunk(a.chunk)) return false;
    if (options_.on_progress) options_.on_progress(progress_);
    return true;
  }

  // The report, once every thread has finished.
  BatchReport Finish() {
    report_.failed_lines = progress_.failed;
    if (!write_error_.empty()) {
      report_.write_failed = true;
      if (report_.error.empty()) report_.error = write_error_;
    }
    return report_;
  }

  Source& source_;
  AnswerFn answer_;
  int out_fd_;
  const BatchOptions& options_;
  const std::function<void(std::string_view)>& on_error_;

  std::mutex mu_;
  std::condition_variable work_ready_, space_;
  std::deque<Job> jobs_;
  std::deque<Answered> answers_;  // answers_[i] is input first_seq_ + i
  std::size_t first_seq_ = 0;
  std::size_t in_flight_ = 0, pending_bytes_ = 0;
  bool input_done_ = false, stop_ = false, writing_ = false;
  int stop_pipe_[2] = {-1, -1};  // written when output fails, to wake a waiting reader

  // The writing thread's: one at a time, handed over under mu_.
  BatchProgress progress_;
  std::string write_error_;
  BatchReport report_;  // inputs and read errors: the reading thread's
};

BatchOptions Normalized(const BatchOptions& options) {
  BatchOptions o = options;
  if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
  if (o.max_line_bytes == 0) o.max_line_bytes = 1;
  return o;
}

}  // namespace

BatchReport RunJsonlBatch(const Extractor& extractor, int in_fd, int out_fd,
                          const BatchOptions& options,
                          const std::function<void(std::string_view)>& on_line_error) {
  BatchOptions o = Normalized(options);
  LineReader lines(in_fd, o.max_line_bytes);
  auto answer = [&](Job& job, Answered& a) {
    a.input_bytes = job.payload.size() + 1;
    a.chunk = job.too_long ? internal::AnswerTooLongLine(job.seq + 1, o, &a.error)
                           : internal::AnswerLine(extractor, job.payload, job.seq + 1, o, &a.error);
  };
  return Batch(lines, answer, out_fd, o, on_line_error).Run();
}

BatchReport RunFileBatch(const Extractor& extractor, const std::vector<std::string>& paths,
                         int out_fd, const BatchOptions& options,
                         const std::function<void(std::string_view)>& on_error) {
  BatchOptions o = Normalized(options);
  PathList list(paths);
  auto answer = [&](Job& job, Answered& a) {
    a.chunk =
        internal::AnswerFile(extractor, job.payload, o, &a.error, &a.input_bytes, &a.warnings);
  };
  return Batch(list, answer, out_fd, o, on_error).Run();
}

}  // namespace gleaner

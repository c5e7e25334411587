// The progress line on stderr while an input is read, for inputs that take over a second:
//
//   perfkit: parsing big.json: 412MiB of 1.05GiB (39%), 203MiB/s
//
// Shown only when stderr is a terminal (and TERM is not "dumb": the line needs "\r" and the
// erase escape), not after set_enabled(false) (--no-progress) nor when $PERFKIT_NO_PROGRESS is
// set and not empty, and only once reading has taken PERFKIT_PROGRESS_DELAY_MS (default 1000; a
// knob for tests). Redrawn in place at most 10 times a second by a thread of its own, cut to the
// terminal's width, and erased ("\r" + erase to end of line) when reading ends or fails, or the
// process is interrupted, so nothing of it is left on the terminal; it never goes to stdout.
//
// Readers report by position, through a ProgressTicker: one compare per block or line in the hot
// loop, a relaxed atomic store once per MiB, no lock.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace perfkit {

class ReadProgress {
 public:
  // Off for the rest of the process (--no-progress).
  static void set_enabled(bool on);
  // Starts the line for reading `path` ("-": standard input) when it is to be shown; one input
  // at a time: while one ReadProgress is active, another one (a second input read on another
  // thread) stays inactive.
  explicit ReadProgress(const std::string& path);
  ~ReadProgress();  // erases the line
  ReadProgress(const ReadProgress&) = delete;
  ReadProgress& operator=(const ReadProgress&) = delete;

  bool active() const { return state_ != nullptr; }
  // A step of reading ("reading", "inflating", "parsing", "decoding"), its size in bytes (0 =
  // unknown); counted: whether the step reports its position (else the line shows the size and
  // the time taken). Resets the position to 0.
  void phase(const char* name, uint64_t total_bytes, bool counted = true);
  // The position in the step (bytes done), from the thread reading.
  void at(uint64_t done_bytes);
  // Bytes done, added: for steps shared by several threads.
  void add(uint64_t bytes);

  struct State;

 private:
  State* state_ = nullptr;
};

// A reader loop's view of a ReadProgress (null or inactive: never reports). at(pos) costs one
// compare; every `step` bytes it reports the position (or, with add_mode, the bytes since the
// last report, for one thread's share of a step done by several).
class ProgressTicker {
 public:
  static constexpr uint64_t kStep = 1 << 20;
  explicit ProgressTicker(ReadProgress* p, bool add_mode = false)
      : p_(p && p->active() ? p : nullptr), add_mode_(add_mode), next_(p_ ? 0 : UINT64_MAX) {}
  void at(uint64_t pos) {
    if (pos >= next_) [[unlikely]]
      report(pos);
  }
  // Position relative to a start (for a thread's share that starts at `begin`).
  void set_origin(uint64_t begin) {
    last_ = begin;
    if (p_) next_ = begin + kStep;
  }
  // With add_mode: adds what is left up to pos (the end of the share).
  void flush(uint64_t pos) {
    if (p_ && add_mode_ && pos > last_) p_->add(pos - last_);
    last_ = pos;
  }

 private:
  void report(uint64_t pos) {
    if (add_mode_) {
      if (pos > last_) p_->add(pos - last_);
    } else {
      p_->at(pos);
    }
    last_ = pos;
    next_ = pos + kStep;
  }
  ReadProgress* p_;
  bool add_mode_;
  uint64_t next_;
  uint64_t last_ = 0;
};

// Erases the line if it is on the screen: async-signal-safe (one write), for signal handlers
// that print before the process dies (mapped_files' SIGBUS).
void erase_progress_line_for_signal();

}  // namespace perfkit

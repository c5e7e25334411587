#include "lib/progress.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "lib/terminal.h"
#include "lib/units.h"

namespace perfkit {

using Clock = std::chrono::steady_clock;

struct ReadProgress::State {
  std::string path;
  std::atomic<uint64_t> done{0}, total{0};
  std::atomic<const char*> phase{"reading"};
  std::atomic<bool> counted{true};
  std::atomic<int64_t> phase_start_ns{0};  // Clock, since its epoch
  std::chrono::milliseconds delay{1000};
  std::mutex m;
  std::condition_variable cv;
  bool stop = false;
  bool handlers = false;  // SIGINT/SIGTERM handlers installed by the first draw
  std::thread thread;
};

namespace {

constexpr char kErase[] = "\r\x1b[K";
constexpr auto kRedraw = std::chrono::milliseconds(100);  // at most 10 draws a second

std::atomic<bool> g_enabled{true};
std::atomic<bool> g_busy{false};   // a ReadProgress is active
std::atomic<bool> g_shown{false};  // the line is on the screen

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

void write_all(const char* s, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

std::chrono::milliseconds delay_from_env() {
  const char* v = std::getenv("PERFKIT_PROGRESS_DELAY_MS");
  if (!v || !*v) return std::chrono::milliseconds(1000);
  char* end = nullptr;
  long ms = std::strtol(v, &end, 10);
  if (*end != '\0' || ms < 0 || ms > 3600000) return std::chrono::milliseconds(1000);
  return std::chrono::milliseconds(ms);
}

void on_signal(int sig) {
  erase_progress_line_for_signal();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

// Installs on_signal for the signals whose action is the default (a program embedding perfkit's
// library keeps its own handlers); returns whether any was installed.
bool install_handlers() {
  bool any = false;
  for (int sig : kSignals) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL ||
        (old.sa_flags & SA_SIGINFO))
      continue;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(sig, &sa, nullptr);
    any = true;
  }
  return any;
}

void restore_handlers() {
  for (int sig : kSignals) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == on_signal) ::signal(sig, SIG_DFL);
  }
}

// `path` cut from the left with a marker to at most `width` columns.
std::string cut_left(const std::string& path, size_t width) {
  if (terminal::display_width(path) <= width) return path;
  if (width == 0) return "";
  const std::string marker = "\xE2\x80\xA6";
  size_t i = 0;
  while (i < path.size() && terminal::display_width(std::string_view(path).substr(i)) + 1 > width) {
    ++i;
    while (i < path.size() && (static_cast<unsigned char>(path[i]) & 0xC0) == 0x80) ++i;
  }
  return marker + path.substr(i);
}

std::string render(const ReadProgress::State& s, size_t width) {
  const uint64_t done = s.done.load(std::memory_order_relaxed);
  const uint64_t total = s.total.load(std::memory_order_relaxed);
  const int64_t elapsed_ns = now_ns() - s.phase_start_ns.load(std::memory_order_relaxed);
  const auto bytes = [](uint64_t b) { return units::human_bytes(static_cast<int64_t>(b)); };
  std::string tail;
  if (!s.counted.load(std::memory_order_relaxed)) {
    if (total) tail = " (" + bytes(total) + ")";
    tail += fmt::format(", {}s", elapsed_ns / 1000000000);
  } else {
    tail = ": " + bytes(total ? std::min(done, total) : done);
    if (total)
      tail += fmt::format(" of {} ({}%)", bytes(total), std::min(done, total) * 100 / total);
    if (elapsed_ns >= 50000000 && done > 0)
      tail += ", " + bytes(static_cast<uint64_t>(double(done) * 1e9 / double(elapsed_ns))) + "/s";
  }
  const std::string head = fmt::format("perfkit: {} ", s.phase.load(std::memory_order_relaxed));
  const size_t fixed = terminal::display_width(head) + terminal::display_width(tail);
  std::string line = head + cut_left(s.path, width > fixed + 8 ? width - fixed : 8) + tail;
  return terminal::truncate_to_width(line, width);
}

void draw_loop(ReadProgress::State& s) {
  std::unique_lock lk(s.m);
  if (s.cv.wait_for(lk, s.delay, [&] { return s.stop; })) return;
  do {
    if (!s.handlers) s.handlers = install_handlers();
    // One column short of the width: a line that fills the terminal would wrap the cursor.
    const size_t w = terminal::terminal_width(STDERR_FILENO);
    const std::string line = "\r" + render(s, w > 1 ? w - 1 : 1) + "\x1b[K";
    g_shown.store(true);
    write_all(line.data(), line.size());
  } while (!s.cv.wait_for(lk, kRedraw, [&] { return s.stop; }));
  if (g_shown.exchange(false)) write_all(kErase, sizeof kErase - 1);
}

}  // namespace

void ReadProgress::set_enabled(bool on) { g_enabled.store(on); }

ReadProgress::ReadProgress(const std::string& path) {
  if (!g_enabled.load() || env_set("PERFKIT_NO_PROGRESS") || !terminal::is_terminal(STDERR_FILENO))
    return;
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return;
  bool expected = false;
  if (!g_busy.compare_exchange_strong(expected, true)) return;
  state_ = new State;
  state_->path = path == "-" ? "standard input" : path;
  state_->delay = delay_from_env();
  state_->phase_start_ns = now_ns();
  try {
    state_->thread = std::thread(draw_loop, std::ref(*state_));
  } catch (...) {  // no thread (resource limits): no line, reading goes on
    delete state_;
    state_ = nullptr;
    g_busy.store(false);
  }
}

ReadProgress::~ReadProgress() {
  if (!state_) return;
  {
    std::lock_guard lk(state_->m);
    state_->stop = true;
  }
  state_->cv.notify_all();
  state_->thread.join();
  if (state_->handlers) restore_handlers();
  delete state_;
  g_busy.store(false);
}

void ReadProgress::phase(const char* name, uint64_t total_bytes, bool counted) {
  if (!state_) return;
  state_->done.store(0, std::memory_order_relaxed);
  state_->total.store(total_bytes, std::memory_order_relaxed);
  state_->counted.store(counted, std::memory_order_relaxed);
  state_->phase_start_ns.store(now_ns(), std::memory_order_relaxed);
  state_->phase.store(name, std::memory_order_relaxed);
}

void ReadProgress::at(uint64_t done_bytes) {
  if (state_) state_->done.store(done_bytes, std::memory_order_relaxed);
}

void ReadProgress::add(uint64_t bytes) {
  if (state_) state_->done.fetch_add(bytes, std::memory_order_relaxed);
}

void erase_progress_line_for_signal() {
  if (g_shown.exchange(false)) {
    ssize_t ignored = ::write(STDERR_FILENO, kErase, sizeof kErase - 1);
    (void)ignored;
  }
}

}  // namespace perfkit

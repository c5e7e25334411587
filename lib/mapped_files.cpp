#include "lib/mapped_files.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "lib/progress.h"

namespace perfkit {
namespace {

// Fixed storage: the handler must not allocate or lock. A slot is published by its `end` (written
// last, with release order) and retired by zeroing `end` first.
constexpr int kSlots = 64;
constexpr size_t kPathBytes = 512;
struct Slot {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
  char path[kPathBytes] = {};
};
Slot g_slots[kSlots];
std::mutex g_claim;  // registration and retirement only, never in the handler

void append(char* buf, size_t& n, size_t cap, const char* s) {
  while (*s && n + 1 < cap) buf[n++] = *s++;
}

void on_sigbus(int sig, siginfo_t* info, void*) {
  const auto addr = reinterpret_cast<uintptr_t>(info ? info->si_addr : nullptr);
  for (Slot& s : g_slots) {
    uintptr_t end = s.end.load(std::memory_order_acquire);
    if (end == 0 || addr < s.begin.load(std::memory_order_relaxed) || addr >= end) continue;
    char msg[kPathBytes + 200];
    size_t n = 0;
    append(msg, n, sizeof msg, "perfkit: error: ");
    append(msg, n, sizeof msg, s.path);
    append(msg, n, sizeof msg,
           ": the file shrank while it was being read (truncated by another process?)\n");
    erase_progress_line_for_signal();
    ssize_t ignored = ::write(STDERR_FILENO, msg, n);
    (void)ignored;
    ::_exit(3);
  }
  // Not one of ours: the default action.
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

void install_mapped_file_guard() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, nullptr);
  });
}

void register_mapped_file(const void* begin, size_t bytes, const std::string& path) {
  install_mapped_file_guard();
  std::lock_guard<std::mutex> lock(g_claim);
  for (Slot& s : g_slots) {
    if (s.end.load(std::memory_order_relaxed) != 0) continue;
    size_t n = std::min(path.size(), kPathBytes - 1);
    std::memcpy(s.path, path.data(), n);
    s.path[n] = '\0';
    s.begin.store(reinterpret_cast<uintptr_t>(begin), std::memory_order_relaxed);
    s.end.store(reinterpret_cast<uintptr_t>(begin) + bytes, std::memory_order_release);
    return;
  }
}

void unregister_mapped_file(const void* begin) {
  std::lock_guard<std::mutex> lock(g_claim);
  for (Slot& s : g_slots)
    if (s.end.load(std::memory_order_relaxed) != 0 &&
        s.begin.load(std::memory_order_relaxed) == reinterpret_cast<uintptr_t>(begin))
      s.end.store(0, std::memory_order_release);
}

}  // namespace perfkit

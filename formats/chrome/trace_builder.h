// Turns decoded Chrome events into the profile's spans, in file order: counts every event by
// phase, matches B/E per thread (LIFO) and b/e async pairs by (cat, id, scope, name), keeps
// X and instants, reads M metadata, and counts what it drops for the warnings.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "formats/chrome/chrome_event.h"
#include "formats/chrome/trace_cpu_profiles.h"
#include "lib/profile.h"

namespace perfkit {

class TraceBuilder {
 public:
  explicit TraceBuilder(Profile& p) : p_(p) {}
  void add(const ChromeEvent& ev);
  // Sizes the span vector once, from the first window's density (events per byte) and the input
  // size, so it never doubles past need.
  void size_spans(size_t events, size_t bytes, size_t total_bytes);
  // Closes what is still open, writes events_by_phase and the warnings.
  void finish();
  int64_t events() const { return events_; }
  // The V8 CPU profile events seen (Profile, ProfileChunk, CpuProfile).
  chrome::TraceCpuProfiles& cpu_profiles() { return cpu_profiles_; }

 private:
  struct Thread {
    int64_t pid = 0, tid = 0;
    int64_t last_ns = INT64_MIN;
    std::vector<uint32_t> open;  // indexes of spans opened by B, innermost last
  };
  struct AsyncKey {
    StrId cat, id, scope, name;
    int64_t pid;  // only for id2.local
    bool operator==(const AsyncKey&) const = default;
  };
  struct AsyncKeyHash {
    size_t operator()(const AsyncKey& k) const noexcept;
  };
  Thread& thread(int64_t pid, int64_t tid);
  Thread& touch(const ChromeEvent& ev, int64_t end_ns);
  void add_metadata(const ChromeEvent& ev);
  void add_span(const ChromeEvent& ev, SpanKind kind, int64_t dur_ns);
  bool time_ok(const ChromeEvent& ev, bool need_dur);
  void set_name(std::map<int64_t, std::string>& names, int64_t key, StrId value);
  // Kineto: which categories link CPU launches and GPU work (see Profile::correlations).
  enum class CatKind : uint8_t { kUnseen, kOther, kDevice, kLaunch, kFlow };
  CatKind cat_kind(StrId cat);
  void add_gpu_link(const ChromeEvent& ev, CatKind kind);

  Profile& p_;
  chrome::TraceCpuProfiles cpu_profiles_;
  int64_t events_ = 0;
  bool sized_ = false;
  std::vector<int64_t> by_ph_;  // indexed by the ph string's id
  std::vector<Thread> threads_;
  struct ThreadKeyHash {
    size_t operator()(const ThreadKey& k) const noexcept;
  };
  std::unordered_map<ThreadKey, uint32_t, ThreadKeyHash> thread_index_;
  uint32_t last_thread_ = UINT32_MAX;
  std::unordered_map<AsyncKey, std::vector<uint32_t>, AsyncKeyHash> open_async_;
  std::map<int64_t, StrId> string_pids_;      // synthetic pid -> its string
  std::map<ThreadKey, StrId> string_tids_;    // thread with a synthetic tid -> its string
  int64_t last_ns_ = INT64_MIN;
  std::vector<CatKind> cat_kinds_;  // by the cat string's id
  simdjson::ondemand::parser args_parser_;
  std::vector<ThreadKey> device_threads_;
  // counts for warnings
  int64_t no_ph_ = 0, bad_ts_ = 0, missing_ts_ = 0, bad_dur_ = 0, missing_dur_ = 0,
          negative_dur_ = 0, e_without_b_ = 0, e_name_mismatch_ = 0, e_before_b_ = 0,
          async_e_unmatched_ = 0, metadata_conflicts_ = 0;
};

}  // namespace perfkit

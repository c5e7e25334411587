// Where each thread of a trace spent its time: its busy time (the top-level spans' durations)
// split by span name on self time, heaviest names first, the rest as "other". A pure function of
// the Profile, for the HTML report's per-thread overview.
// Counted: complete spans (X, B/E pairs), including ones closed at the trace's end. Left out:
// producer summaries (clang `Total X`), instants and async spans (not thread work).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

struct ThreadSlice {
  std::string name;
  int64_t self_ns = 0;
};

struct ThreadTime {
  int64_t pid = 0;
  int64_t tid = 0;
  std::string label;      // "process / thread (pid/tid)", names where the trace has them
  int64_t busy_ns = 0;    // sum of the durations of top-level spans
  int64_t spans = 0;
  int64_t first_ns = 0;   // earliest start, latest end on the thread
  int64_t last_ns = 0;
  std::vector<ThreadSlice> top;  // by self time, largest first
  int64_t other_ns = 0;          // self time of the names not in `top`
};

struct ThreadOverview {
  std::vector<ThreadTime> threads;  // busiest first
  size_t thread_count = 0;          // threads before the max_threads cut
  int64_t start_ns = 0, end_ns = 0; // over all counted spans
};

ThreadOverview compute_thread_overview(const Profile& p, size_t top_names = 6,
                                       size_t max_threads = 64);

}  // namespace perfkit

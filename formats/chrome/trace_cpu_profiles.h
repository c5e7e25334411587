// V8 CPU profiles inside a Chrome trace (DevTools Performance recordings, `node --cpu-prof` with
// the disabled-by-default-v8.cpu_profiler trace category): a "Profile" event (ph P) opens a
// profile, keyed by (pid, id), or (pid, tid) when it has no id; "ProfileChunk" events with the
// same key carry its parts in args.data (cpuProfile.nodes, cpuProfile.samples, timeDeltas,
// endTime), concatenated in time order (ts, then file order), as speedscope reads them. An older
// "CpuProfile" event carries a whole profile in args.data.cpuProfile. The chunks come from V8's
// sampler thread; the samples belong to the thread of the Profile event, which they are labelled
// with (pid, tid) and the profile's id ("profile": "0x1"). Keys include the pid: Chrome numbers
// profiles per process, so two renderers both write id 0x1 (speedscope keys by id alone and mixes
// them).
//
// Samples weigh as in formats/v8/v8_cpu_profile.h, in the value types samples/count and
// cpu/nanoseconds after the trace's wall (span self time) column.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "formats/chrome/chrome_event.h"
#include "lib/profile.h"

namespace perfkit::chrome {

struct V8Samples {
  struct Row {
    StackId stack = kEmptyStack;
    uint32_t label_begin = 0;  // into labels: pid, tid and (when the events had an id) profile
    uint32_t label_count = 0;
    int64_t count = 0;
    int64_t time_ns = 0;
  };
  std::vector<Row> rows;
  std::vector<Label> labels;
  int64_t first_ns = INT64_MAX, last_ns = INT64_MIN;  // the profiles' start..end
  int64_t profiles = 0;
};

class TraceCpuProfiles {
 public:
  // Keeps the event (args copied) when it is a Profile, ProfileChunk or CpuProfile event.
  void add(const ChromeEvent& ev, std::string_view name);
  bool empty() const { return events_.empty(); }
  // Assembles the profiles and resolves their frames into p's stack trie; warnings go to p.
  V8Samples build(Profile& p);

 private:
  enum class Kind : uint8_t { kProfile, kChunk, kWhole };
  struct Event {
    Kind kind;
    int64_t pid, tid;
    StrId id;
    bool has_id;
    int64_t ts_ns;
    std::string args;
  };
  std::vector<Event> events_;
  int64_t last_ts_ns_ = INT64_MIN;
};

// Adds the samples once p's value types hold samples and cpu (nest_spans sets them), and widens
// meta.duration_ns to cover the profiles' time.
void add_v8_samples(Profile& p, const V8Samples& s);

}  // namespace perfkit::chrome

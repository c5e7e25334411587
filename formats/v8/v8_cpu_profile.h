// V8's CPU profile (the inspector protocol's Profiler.Profile), as `node --cpu-prof` writes it to a
// .cpuprofile file and as Chrome splits it into a trace's Profile/ProfileChunk events: "nodes"
// (id, callFrame {functionName, url, lineNumber, columnNumber}, children ids or a parent id),
// "samples" (one node id per sample, its leaf), "timeDeltas" (microseconds since the previous
// sample; the first one since "startTime"), "startTime" and "endTime" (microseconds).
//
// How samples weigh (speedscope's reading, src/import/chrome.ts): sample i lasts from its time to
// the next sample's, so it weighs t[i+1] - t[i]; the last sample weighs 0. A run of equal samples
// counts from the time of its first sample, and a time earlier than the previous run's start (a
// negative delta) is raised to that start, so no weight is negative. Each sample also counts 1.
//
// Frames: the function name, or "(anonymous FILE:LINE)" when V8 gave none (speedscope's name), the
// url as the file and lineNumber + 1 as the line (V8 counts from 0; 0 here = unknown); the column
// is not kept. The "(root)" node is the root of every stack, not a frame (a sample on it gets the
// frame "(root)"). "(program)", "(idle)" and "(garbage collector)" stay where V8 put them, under
// the root (speedscope drops "(idle)" and stacks the other two on the previous sample's stack).
#pragma once
#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/profile.h"

namespace perfkit::v8 {

// One profile's parts, gathered from one object (a .cpuprofile) or from several chunks in order:
// nodes, samples and deltas are appended, start and end times replaced.
class CpuProfileParts {
 public:
  explicit CpuProfileParts(Profile& p) : p_(&p) {}
  // Reads the members of a profile object: nodes, samples, timeDeltas, startTime, endTime, and a
  // nested "cpuProfile" object (a trace chunk's form) the same way. A member of the wrong type is
  // a simdjson error; `at` then points at it.
  simdjson::error_code add_members(simdjson::ondemand::object obj, const char*& at);
  bool empty() const { return nodes_.empty() && samples_.empty(); }
  int64_t start_ns() const { return start_ns_; }
  int64_t end_ns() const { return end_ns_; }
  bool has_times() const { return has_start_ && has_end_; }
  size_t sample_count() const { return samples_.size(); }

  struct Row {
    StackId stack = kEmptyStack;
    int64_t count = 0;    // samples
    int64_t time_ns = 0;  // their weight
  };
  // Resolves the nodes into p's stack trie and weighs the samples: one row per distinct stack, in
  // the order first sampled. What was odd is counted in p's warnings.
  std::vector<Row> finish();

 private:
  struct Node {
    int64_t id = 0;
    int64_t parent_id = 0;
    bool has_parent = false;
    StrId name = 0;
    StrId url = 0;
    int64_t line = 0;
    bool is_root = false;  // functionName "(root)"
  };
  simdjson::error_code add_nodes(simdjson::ondemand::array arr, const char*& at);
  simdjson::error_code add_node(simdjson::ondemand::object obj, const char*& at);
  simdjson::error_code add_call_frame(simdjson::ondemand::object obj, Node& n);
  simdjson::error_code add_ints(simdjson::ondemand::array arr, std::vector<int64_t>& out, int scale,
                                const char*& at);
  uint32_t index_of(int64_t id) const;
  std::vector<StackId> resolve_stacks();
  std::vector<int64_t> weigh() const;

  Profile* p_;
  std::vector<Node> nodes_;
  std::vector<std::pair<int64_t, int64_t>> child_links_;  // (parent id, child id) from "children"
  std::vector<int64_t> samples_;                          // node ids
  std::vector<int64_t> deltas_ns_;
  int64_t start_ns_ = 0, end_ns_ = 0;
  bool has_start_ = false, has_end_ = false;
  std::unordered_map<int64_t, uint32_t> index_;
  int64_t bad_values_ = 0, duplicate_ids_ = 0;
};

// The value types of V8 samples: samples/count and cpu/nanoseconds.
std::vector<ValueType> value_types(Profile& p);

}  // namespace perfkit::v8

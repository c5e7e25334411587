// The object form's sampled stacks: the "stackFrames" dictionary (id -> {"name", "category",
// "parent"}) and the "samples" array (OS-level profiler samples, each naming its leaf frame by
// "sf": {"cpu", "tid", "pid", "ts", "name", "sf", "weight"}).
//
// Where they go in the model. A Chrome trace's value types are always wall/nanoseconds first
// (span self time, lib/span_nesting.h), then, when the trace has samples, samples/count and (when
// any sample carries a "weight") weight/count. Span samples are zero in the sample columns and
// sampled stacks are zero in wall, so every sample has one value per type and each column's total
// is exactly what it measures. Spans and sampled stacks share the stack trie (a frame is its name;
// the category is not kept). The default value type stays wall when the trace has span time, and
// is the last sampled column otherwise (--sample-index samples|weight picks one).
//
// Frames are resolved only for the samples that use them, leaf to root with an explicit path (no
// recursion: a 1,000,000-deep parent chain is fine). Frame ids are strings or numbers, parents may
// come later in the file. A parent that names no frame makes its child a root, a loop of parents
// is cut where it closes, a frame that is not an object is absent; each is a counted warning, as
// are samples without a usable "sf" (skipped) and unreadable "ts" or "weight". Samples are summed
// per (stack, pid, tid, name), with pprof-style labels pid and tid (numbers, or strings when the
// trace gave strings) and event (the sample's name, e.g. "cycles"). "cpu" is not kept.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "lib/input.h"
#include "lib/profile.h"

namespace perfkit::chrome {

// The raw JSON values of the two members as the object-form reader found them: views into the
// input buffer, empty when absent.
struct SampledMembers {
  std::string_view stack_frames;
  std::string_view samples;
};

struct SampledStack {
  StackId stack = kEmptyStack;
  uint32_t label_begin = 0;  // into SampledStacks::labels
  uint32_t label_count = 0;
  int64_t count = 0;
  int64_t weight = 0;  // in units of 1/weight_scale
};

struct SampledStacks {
  std::vector<SampledStack> rows;
  std::vector<Label> labels;
  bool has_weight = false;     // some sample carried "weight"
  int64_t weight_scale = 1;    // 10^6 when some weight was fractional
  int64_t first_ns = INT64_MAX, last_ns = INT64_MIN;  // sample ts range (if any)

  // The columns these samples fill (empty when there are none): samples/count[, weight/count].
  std::vector<ValueType> value_types(Profile& p) const;
};

// Parses both members, resolving frames into p's stack trie and summing samples; warnings go to
// p. Throws InputError at the byte offset where a member is malformed JSON or of the wrong type.
SampledStacks read_sampled_stacks(const InputBuffer& in, const SampledMembers& members, Profile& p);

// Adds the samples once p's value types hold value_types(p) (nest_spans sets them after wall),
// and widens meta.duration_ns to cover the samples' timestamps.
void add_sampled_stacks(Profile& p, const SampledStacks& s);

}  // namespace perfkit::chrome

// Root causes of a regression: which functions' own change explains the growth of the others.
//
// Both sides' stacks are merged into one call tree keyed by the diff's rows (function, file or
// line), so a path is the same node on both sides. A node present on both sides owns
//  - the whole weight of calls that are new on its path (a child the base never had), minus
//    calls that are gone: "main.matchAll now calls regexp.MustCompile" is main.matchAll's own
//    change, and everything below that new call is explained by it;
//  - its growth as a whole, when its parts (self value and calls present on both sides) grew by
//    one common factor k beyond the factor s its caller passed down: (k - s) * base. A function
//    that got 3x slower with everything it calls, or is called 3x as often, owns that growth and
//    passes k down, so its callees own only what differs from it;
//  - the rest of its self value's change: self_new - k * self_base.
// A node present on one side only is explained by its nearest ancestor present on both (a new
// entry point explains itself). The own changes of all nodes add up to the change of the total;
// a function's own change is the sum over its nodes.
//
// Every function's change of cum is then split over the causes found in its subtree (and the
// ancestor that claims it when it is new on its path); the cause explaining the largest part is
// the one it is grouped under. Without stacks (function tables) nothing is computed.
//
// What cannot be told from two profiles: whether an existing callee got slower per call or was
// called more often; either way the callee (the deepest node that scaled as a whole) owns it.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "lib/aggregate.h"
#include "lib/diff.h"

namespace perfkit {

struct CauseCall {
  size_t row = 0;    // the callee's diff row
  double value = 0;  // stored units: the weight of the new calls (negative: calls gone)
};

struct Cause {
  size_t row = 0;                    // index into DiffTable::rows
  double own = 0;                    // stored units (the diff's scale), > 0
  double self_delta = 0;             // the part that is its own self growth
  double scale_delta = 0;            // the part where it grew as a whole (all it calls alike)
  std::vector<CauseCall> new_calls;  // the heaviest new calls on its paths (at most 3)
  double share = 0;                  // own / growth, 0..1
};

struct CauseAnalysis {
  bool computed = false;           // false: no stacks on some input (function tables)
  double growth = 0;               // sum of every function's positive own change (stored units)
  std::vector<Cause> causes;       // own > 0, largest first (at most kMaxCauses)
  std::vector<int> cause_of_row;   // per diff row: index into causes, or -1
  std::vector<double> own_of_row;  // per diff row: its own change; they add up to the total's
  static constexpr size_t kMaxCauses = 32;
};

// base and new_runs as given to diff_runs (the same filter and granularity), d its result.
// Builds the profiles' stack tries (deferred stacks) when they are not built yet.
CauseAnalysis analyze_causes(std::span<const RunTable> base, std::span<const RunTable> new_runs,
                             const DiffTable& d, Granularity by, const SampleFilter& filter);

}  // namespace perfkit

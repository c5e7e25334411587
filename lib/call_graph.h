// A call graph (functions with self costs, call edges with inclusive costs: callgrind, pstats)
// turned into sampled stacks, so every analysis built on stacks (top, peek, tree, flame, diff,
// convert) reads it.
//
// The stacks are a flow decomposition of the graph. Each function is a node that keeps its self
// cost and passes each call edge's inclusive cost on to the callee; a function whose callers
// bring in less than its self cost plus its calls' costs (a root, `main` or `(below main)`) gets
// the difference from a source. Cutting that flow into paths from a source to the function where
// the cost is spent gives stacks whose
//   flat (cost at the leaf) = the function's self cost, exactly, and
//   cum  (cost of stacks through it, once per stack) = self + its calls' inclusive costs,
// which is what callgrind_annotate (--inclusive=yes) and KCachegrind show for a function, and
// pprof's edge weight caller -> callee is the call edge's inclusive cost.
// The graph does not say which caller's call led to which callee's call, so the stacks deeper
// than one call are one consistent choice among many (the flat and cum of every function and
// the weight of every edge are what the file says; the depth-3 paths are a reconstruction).
//
// Recursion: a self call (f -> f) is left out (its cost is inside the outer call's; the graph's
// inclusive numbers count it twice, callgrind_annotate prints more than 100% for such functions).
// A call that closes a cycle (f -> g -> f) is kept: a stack may re-enter f, and cum counts it
// once per stack, as pprof does.
// Inconsistent input (a callee receiving more inclusive cost than it spends: yappi's lost
// generator callers, a producer's rounding) is counted in CallGraphStats, never made up: cost
// that reaches a function with nothing left to spend is dropped (its callers' cum is below the
// file's), and self cost no caller's flow reaches becomes a stack of its own, so flat stays exact.
#pragma once
#include <cstdint>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

struct CallGraph {
  static constexpr FrameId kNoFrame = ~FrameId(0);  // a node that is no frame of the stacks
  size_t value_count = 1;       // costs per node and per edge
  std::vector<FrameId> frames;  // node i is frames[i] (or kNoFrame: its callees start stacks)
  std::vector<int64_t> self;    // node i: self[i * value_count + v], >= 0
  struct Edge {
    uint32_t caller = 0, callee = 0;
  };
  std::vector<Edge> edges;      // callers and callees are node indexes; one edge per pair
  std::vector<int64_t> incl;    // edge j: incl[j * value_count + v], >= 0

  uint32_t add_node(FrameId f) {
    frames.push_back(f);
    self.resize(frames.size() * value_count, 0);
    return static_cast<uint32_t>(frames.size() - 1);
  }
};

struct CallGraphStats {
  int64_t self_calls = 0;   // edges f -> f left out
  int64_t cycle_calls = 0;  // edges that close a cycle (kept: stacks may re-enter a function)
  int64_t dropped = 0;      // cost units calls brought that their callees do not spend (all types)
  int64_t orphaned = 0;     // self cost no call reached, made its own stack root (all types)
  int64_t stacks = 0;       // distinct stacks made
};

// Adds the stacks as samples (one per distinct stack, values in the graph's value order; the
// profile's value_types must already have value_count entries). Throws InputError naming
// p.path when the reconstruction would pass `max_stack_nodes` stack-trie nodes (a hostile graph).
CallGraphStats add_call_graph_samples(Profile& p, const CallGraph& g,
                                      size_t max_stack_nodes = 20'000'000);

// A function table with a call graph (Profile::table_calls, pstats' callers) as stacks: value
// type time/nanoseconds, each row's self time at its function, each call's total time passed
// from caller to callee. The rows stay; true when the table had calls to turn into stacks.
bool add_table_call_stacks(Profile& p);

// Warnings for what add_call_graph_samples left out, in the profile's warning list.
void warn_call_graph(Profile& p, const CallGraphStats& s);

}  // namespace perfkit

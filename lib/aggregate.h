// Flat and cumulative weights per function (or file, or line), with pprof's semantics (the
// filters of lib/pprof_view.h, the nodes of lib/pprof_graph.h, untrimmed):
// - flat goes to the leaf-most frame of each sample (after --hide removed frames);
// - cum counts a node at most once per sample, so recursion is never double counted;
// - total is the sum of |value| over all samples, before --focus/--ignore (as pprof -top);
// - inlined frames are nodes of their own; a function is one node whatever its file (pprof's
//   default granularity; kFileFunction splits by file).
// Function tables (no stacks) map their rows directly: flat = self, cum = total.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/pprof_graph.h"
#include "lib/pprof_view.h"
#include "lib/profile.h"

namespace perfkit {

struct AggregateOptions {
  int value_index = -1;  // -1: the profile's default value type
  Granularity by = Granularity::kFunction;
  SampleFilter filter;
  unsigned jobs = 1;  // threads for a profile with deferred stacks (0 = all cores)
};

// Parses a --by value: function, filefunction, file or line; throws UsageError.
Granularity parse_granularity(const std::string& by);

struct FlatRow {
  StrId name = 0;        // function name (kFunction, kLine), or file name (kFile)
  StrId file = 0;        // kFunction: the file of the node's first frame (not part of its identity)
  int64_t line = 0;      // kLine only
  StrId objfile = 0;     // pprof: the mapping file, when the node has no function name
  int64_t start_line = 0;
  uint64_t address = 0;  // kAddress: the location's address
  bool unsymbolized = false;  // a location without a function: name is "[mapping]"/"<unknown>"
  int64_t flat = 0;
  int64_t cum = 0;
  int64_t calls = -1;    // tables: ncall; traces: number of spans; -1 = unknown
  int64_t primitive_calls = -1;
  // pprof's edge rule: a call into this node is inline when its frame was inlined into the caller
  // (not the location's last line); recursive self-edges and root occurrences do not count.
  bool inlined = false;         // every call into this node was inlined: "(inline)"
  bool partial_inline = false;  // some calls were inlined, some not: "(partial-inline)"
};

struct FlatTable {
  std::string type;      // the chosen column's type and unit (tables: "time", "seconds")
  std::string unit;
  int64_t scale = 1;     // stored units per unit (tables: ns per second = 1e9)
  int value_index = -1;
  // Sum of |value| over all samples. Function tables: the larger of the sum of |self| and the
  // largest |inclusive| time of a row (a table that leaves functions out, as yappi leaves out
  // builtins and a /stats endpoint its filtered rows, has self times that add up to less than
  // its root's ttot), so no share passes 100%. One total for top, report, diff and gate.
  int64_t total = 0;
  int64_t kept_total = 0;  // the same after focus/ignore (tables: sum of kept |self|)
  int64_t self_total = 0;  // tables: the sum of |self| over all rows
  StrId total_row = 0;     // tables: the row whose inclusive time is the total; 0 = self_total is
  bool total_is_row = false;
  std::vector<FlatRow> rows;  // unsorted
};

// Resolves a value type by name or index text ("cpu", "alloc_space", "1"); throws UsageError.
int resolve_value_index(const Profile& p, const std::string& name_or_index);

// Per distinct stack, the summed value of the chosen column (index = StackId). Samples whose
// stack is rejected by focus/ignore are left out; hide is not applied here.
std::vector<int64_t> stack_weights(const Profile& p, int value_index, const SampleFilter& filter);

FlatTable aggregate(const Profile& p, const AggregateOptions& opts);

// The row of a graph node (values divided by -mean's divisors).
FlatRow flat_row(const Profile& p, const GraphNode& n, Granularity by);

enum class SortKey { kFlat, kCum, kName };
// pprof order: by |flat| (or |cum|) descending, then name ascending, then the other column.
void sort_rows(const Profile& p, std::vector<FlatRow>& rows, SortKey key);

}  // namespace perfkit

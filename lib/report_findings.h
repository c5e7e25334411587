// `perfkit report`: the bottleneck findings a person reads, computed once as data (this struct)
// and rendered by reports/report_*.cpp (text, Markdown, JSON; the HTML report consumes the same).
//
// Sections, in order:
//  - kInclusive: top consumers by inclusive (cum) value; a chain of pass-through calls (a caller
//    whose time is >= 90% in one callee) is shown as one entry, root -> leaf.
//  - kSelf: most self (flat) value: expensive direct computation.
//  - kCaching: many calls with a non-trivial average (only when call counts are known).
//  - kCallees: high inclusive, low self: the time is in the callees, which are named.
//  - kHotPath: heaviest distinct stacks (leaf self value per exact path), root -> leaf.
// Traces with GPU work (Kineto) add `gpu`: per device how idle it was and what the CPU did then.
// Every finding carries `why`: one sentence with the numbers.
//
// The program's entry is not a finding: an inclusive chain that starts at a root of the call graph
// (no caller), holds at least half of the total and has little self time (<= 5% of its value in
// all its functions together) only says that the program runs there (main.main.func1 ->
// main.serve, clang's ExecuteCompiler). Function tables have no graph: there a row holding >= 90%
// of the total with <= 5% self is the entry. Such chains go to `entries`, and a note says so.
// `headline` is one sentence naming the biggest actionable cost: the first inclusive finding,
// and the function with the most self value when it is not on that chain.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/aggregate.h"
#include "lib/gpu.h"
#include "lib/profile.h"

namespace perfkit {

enum class FindingKind { kInclusive, kSelf, kCaching, kCallees, kHotPath };

struct Finding {
  std::vector<std::string> path;  // one function, or a chain / call path root -> leaf
  std::string file;
  int64_t line = 0;
  int64_t flat = 0;   // stored units
  int64_t cum = 0;    // stored units (hot paths: the path's weight)
  int64_t calls = -1;
  int64_t value = 0;  // what the section ranks by: cum, flat (self), or the path's weight
  double share = 0;   // value / total, 0..1
  std::string why;
};

struct FindingSection {
  FindingKind kind;
  std::string id;     // "inclusive", "self", "caching", "callees", "hot_paths"
  std::string title;
  std::string hint;   // what the section means, one line
  std::vector<Finding> items;
};

struct ReportFindings {
  std::string path;
  std::string format;
  std::string type;   // value type
  std::string unit;
  int64_t scale = 1;
  int64_t total = 0;
  int64_t duration_ns = 0;
  int64_t functions = 0;
  std::string headline;            // one sentence: the biggest actionable cost
  std::vector<FindingSection> sections;
  // Inclusive chains left out as the program's entry (flat: the self value of all the chain's
  // functions together).
  std::vector<Finding> entries;
  std::vector<std::string> notes;  // what could not be computed and why
  GpuSummary gpu;  // a Kineto trace's GPU activity (lib/gpu.h); no devices otherwise
};

struct ReportOptions {
  AggregateOptions agg;  // by is always function
  size_t per_section = 5;
};

ReportFindings compute_findings(const Profile& p, const ReportOptions& opts);

// A stored value in readable units ("1.2s", "3.5MiB"), for renderers.
std::string finding_value(const ReportFindings& f, int64_t stored);

}  // namespace perfkit

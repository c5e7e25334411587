// Per-thread nesting of a trace's complete spans and the stacks it implies.
//
// Per (pid, tid), complete spans (X, and B/E pairs) are ordered by start ascending, duration
// descending, then file order (Perfetto's rule), and walked with a stack of open spans: a span
// starting before the top ends is its child. A child that outlasts its parent does not nest; it
// is clipped to the parent's end for self-time purposes (and counted). Instants and async spans
// are not nested; producer summary events (clang's "Total X" pseudo-threads) are marked and left
// out. Each span's self time is its (clipped) duration minus its direct children's.
#pragma once
#include <cstdint>

#include "lib/profile.h"

namespace perfkit {

struct NestingStats {
  int64_t overlaps = 0;  // spans clipped to their parent's end
  int64_t summary = 0;   // spans marked summary and left out
};

// Sets Span::depth, Span::self_ns and Span::summary, and fills the sample model: value type
// wall/nanoseconds, one sample per distinct stack of span names (root first), valued at the sum
// of the self time of the spans with that stack. No thread or process frames are added.
// `more_types` follow wall (columns a reader fills afterwards, such as a Chrome trace's sampled
// stacks); span samples hold 0 in them. When the profile names device threads (GPU streams of a
// Kineto trace), their spans' self time goes to a gpu/nanoseconds column right after wall
// instead: kernels are GPU time, not CPU call stacks, and wall stays the CPU threads' time.
NestingStats nest_spans(Profile& p, const std::vector<ValueType>& more_types = {});

// clang -ftime-trace summary events: "Total <name>" or "Total: <name>".
bool is_summary_name(std::string_view name);

}  // namespace perfkit

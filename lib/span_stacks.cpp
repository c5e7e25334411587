#include "lib/span_stacks.h"

#include <algorithm>
#include <numeric>

namespace perfkit {

bool add_span_samples(Profile& p) {
  if (p.sample_count() != 0 || p.spans.empty() || !p.value_types.empty()) return false;
  std::vector<uint32_t> order;
  order.reserve(p.spans.size());
  for (uint32_t i = 0; i < p.spans.size(); ++i) {
    const Span& s = p.spans[i];
    if (s.kind == SpanKind::kComplete && !s.summary) order.push_back(i);
  }
  if (order.empty()) return false;
  // Per thread, by start; at equal starts the enclosing (shallower) span first.
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Span& x = p.spans[a];
    const Span& y = p.spans[b];
    if (x.pid != y.pid) return x.pid < y.pid;
    if (x.tid != y.tid) return x.tid < y.tid;
    if (x.start_ns != y.start_ns) return x.start_ns < y.start_ns;
    if (x.depth != y.depth) return x.depth < y.depth;
    return x.dur_ns > y.dur_ns;
  });
  p.value_types.push_back(ValueType{p.strings.intern("wall"), p.strings.intern("nanoseconds"), 1});
  std::vector<StackId> open;  // open[d] = stack id of the span at depth d on this thread
  int64_t pid = 0, tid = 0;
  bool first = true;
  for (uint32_t i : order) {
    const Span& s = p.spans[i];
    if (first || s.pid != pid || s.tid != tid) {
      open.clear();
      pid = s.pid;
      tid = s.tid;
      first = false;
    }
    size_t depth = std::min<size_t>(s.depth, open.size());
    open.resize(depth);
    StackId parent = depth == 0 ? kEmptyStack : open[depth - 1];
    StackId id = p.child(parent, p.intern_frame(Frame{s.name, 0, 0, false}));
    open.push_back(id);
    int64_t w = std::max<int64_t>(s.self_ns, 0);
    p.add_sample(id, &w);
  }
  return true;
}

}  // namespace perfkit

#include "lib/span_nesting.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace perfkit {
namespace {

struct Open {
  uint32_t span;
  int64_t end_ns;  // clipped end
  StackId stack;
};

struct SortKey {
  int64_t start_ns;
  int64_t neg_dur_ns;  // longer first at equal starts
  uint32_t index;      // then file order
};

struct KeyHash {
  size_t operator()(const ThreadKey& k) const noexcept {
    return std::hash<int64_t>()(k.pid) * 31 + std::hash<int64_t>()(k.tid);
  }
};

// Complete spans grouped by thread, in file order within each thread.
std::vector<std::vector<uint32_t>> group_by_thread(const Profile& p) {
  std::vector<std::vector<uint32_t>> groups;
  std::unordered_map<ThreadKey, uint32_t, KeyHash> index;
  ThreadKey last{0, 0};
  uint32_t last_group = UINT32_MAX;
  for (uint32_t i = 0; i < p.spans.size(); ++i) {
    const Span& s = p.spans[i];
    if (s.kind != SpanKind::kComplete) continue;
    ThreadKey k{s.pid, s.tid};
    if (last_group == UINT32_MAX || !(k == last)) {
      auto [it, inserted] = index.try_emplace(k, static_cast<uint32_t>(groups.size()));
      if (inserted) groups.emplace_back();
      last = k;
      last_group = it->second;
    }
    groups[last_group].push_back(i);
  }
  return groups;
}

// A thread made only of "Total ..." spans at ts 0 is clang's summary pseudo-thread.
bool is_summary_thread(const Profile& p, const std::vector<uint32_t>& group) {
  for (uint32_t i : group) {
    const Span& s = p.spans[i];
    if (s.start_ns != 0 || !is_summary_name(p.str(s.name))) return false;
  }
  return !group.empty();
}

}  // namespace

bool is_summary_name(std::string_view name) {
  return name.starts_with("Total ") || name.starts_with("Total: ");
}

NestingStats nest_spans(Profile& p, const std::vector<ValueType>& more_types) {
  NestingStats stats;
  p.value_types.clear();
  p.value_types.push_back({p.strings.intern("wall"), p.strings.intern("nanoseconds"), 1});
  const bool gpu = !p.device_threads.empty();
  if (gpu) p.value_types.push_back({p.strings.intern("gpu"), p.strings.intern("nanoseconds"), 1});
  p.value_types.insert(p.value_types.end(), more_types.begin(), more_types.end());
  std::vector<FrameId> frame_of(p.strings.size(), std::numeric_limits<FrameId>::max());
  std::vector<int64_t> self_by_stack, gpu_self_by_stack;
  std::vector<Open> stack;
  std::vector<SortKey> keys;

  for (std::vector<uint32_t>& group : group_by_thread(p)) {
    if (is_summary_thread(p, group)) {
      for (uint32_t i : group) p.spans[i].summary = true;
      stats.summary += static_cast<int64_t>(group.size());
      continue;
    }
    // Sort keys by value (not through the span index) so the sort streams through memory.
    keys.clear();
    for (uint32_t i : group) keys.push_back(SortKey{p.spans[i].start_ns, -p.spans[i].dur_ns, i});
    auto before = [](const SortKey& a, const SortKey& b) {
      if (a.start_ns != b.start_ns) return a.start_ns < b.start_ns;
      if (a.neg_dur_ns != b.neg_dur_ns) return a.neg_dur_ns < b.neg_dur_ns;
      return a.index < b.index;
    };
    if (!std::is_sorted(keys.begin(), keys.end(), before)) {
      std::sort(keys.begin(), keys.end(), before);
      for (size_t k = 0; k < keys.size(); ++k) group[k] = keys[k].index;
    }
    stack.clear();
    const Span& first = p.spans[group.front()];
    const bool on_device =
        gpu && std::binary_search(p.device_threads.begin(), p.device_threads.end(),
                                  ThreadKey{first.pid, first.tid});
    std::vector<int64_t>& self_of = on_device ? gpu_self_by_stack : self_by_stack;
    for (uint32_t i : group) {
      Span& s = p.spans[i];
      while (!stack.empty() && stack.back().end_ns <= s.start_ns) stack.pop_back();
      int64_t end = s.start_ns + s.dur_ns;
      StackId parent = kEmptyStack;
      if (!stack.empty()) {
        Open& top = stack.back();
        if (end > top.end_ns) {
          ++stats.overlaps;
          end = top.end_ns;
        }
        p.spans[top.span].self_ns -= end - s.start_ns;
        self_of[top.stack] -= end - s.start_ns;
        parent = top.stack;
      }
      if (frame_of[s.name] == std::numeric_limits<FrameId>::max())
        frame_of[s.name] = p.intern_frame(Frame{s.name, 0, 0, false});
      StackId id = p.child(parent, frame_of[s.name]);
      if (id >= self_of.size()) self_of.resize(id + 1, 0);
      s.depth = static_cast<uint32_t>(stack.size());
      s.self_ns = end - s.start_ns;
      self_of[id] += end - s.start_ns;
      stack.push_back(Open{i, end, id});
    }
  }
  std::vector<int64_t> row(p.value_types.size(), 0);
  const size_t stacks = std::max(self_by_stack.size(), gpu_self_by_stack.size());
  self_by_stack.resize(stacks, 0);
  gpu_self_by_stack.resize(stacks, 0);
  for (StackId id = 0; id < stacks; ++id) {
    if (self_by_stack[id] == 0 && gpu_self_by_stack[id] == 0) continue;
    row[0] = self_by_stack[id];
    if (gpu) row[1] = gpu_self_by_stack[id];
    p.add_sample(id, row.data());
  }

  int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
  for (const Span& s : p.spans) {
    if (s.summary) continue;
    first = std::min(first, s.start_ns);
    last = std::max(last, s.start_ns + s.dur_ns);
  }
  p.meta.duration_ns = first <= last ? last - first : 0;
  return stats;
}

}  // namespace perfkit

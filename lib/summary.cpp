#include "lib/summary.h"

#include "lib/hash_bytes.h"

#include <algorithm>
#include <limits>
#include <set>
#include <unordered_set>

namespace perfkit {

namespace {

// Distinct stacks of a profile still in stack lists (pprof), without building the trie: lists
// used by samples, equal ones counted once (two location lists can make the same frames), by a
// hash of their frames. Reads the lists in order; the trie's random walk grows faster than the
// input once it is past the caches.
void count_listed_stacks(const Profile& p, ProfileSummary& s, std::vector<int64_t>& totals) {
  const auto lists = p.stack_lists();
  const size_t n = lists.begin.size() - 1, nvt = totals.size();
  auto frames_of = [&](uint32_t l) {
    return std::pair{lists.frames.data() + lists.begin[l], lists.begin[l + 1] - lists.begin[l]};
  };
  std::vector<uint8_t> used(n, 0);
  for (size_t i = 0; i < lists.samples.size(); ++i) {
    for (size_t t = 0; t < nvt; ++t) totals[t] += p.value(i, t);
    used[lists.samples[i].stack] = 1;
  }
  // Open addressing over list ids; a slot holds id + 1 (0 = empty).
  size_t cap = 16;
  while (cap < 2 * n) cap <<= 1;
  std::vector<uint32_t> slots(cap, 0);
  std::vector<uint64_t> slot_hash(cap, 0);
  for (uint32_t l = 0; l < n; ++l) {
    if (!used[l]) continue;
    auto [f, len] = frames_of(l);
    const uint64_t h = hash_bytes(f, len * sizeof(FrameId));
    bool fresh = true;
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
      if (slots[i] == 0) {
        slots[i] = l + 1;
        slot_hash[i] = h;
        break;
      }
      if (slot_hash[i] != h) continue;
      auto [g, glen] = frames_of(slots[i] - 1);
      if (glen == len && std::equal(f, f + len, g)) {
        fresh = false;
        break;
      }
    }
    if (!fresh) continue;
    ++s.stacks;
    s.max_depth = std::max<int64_t>(s.max_depth, len);
  }
}

}  // namespace

ProfileSummary summarize(const Profile& p) {
  ProfileSummary s;
  s.path = p.path;
  s.format = p.format;
  s.flavor = p.flavor;
  const size_t nvt = p.value_types.size();
  std::vector<int64_t> totals(nvt, 0);
  if (p.has_deferred_stacks()) {
    count_listed_stacks(p, s, totals);
  } else {
    std::vector<bool> seen_stack(p.stacks().size(), false);
    for (size_t i = 0; i < p.samples().size(); ++i) {
      for (size_t t = 0; t < nvt; ++t) totals[t] += p.value(i, t);
      StackId st = p.samples()[i].stack;
      if (!seen_stack[st]) {
        seen_stack[st] = true;
        ++s.stacks;
        s.max_depth = std::max<int64_t>(s.max_depth, p.stacks()[st].depth);
      }
    }
  }
  for (size_t t = 0; t < nvt; ++t)
    s.value_types.push_back({std::string(p.str(p.value_types[t].type)),
                             std::string(p.str(p.value_types[t].unit)), totals[t],
                             p.value_types[t].scale});
  int def = p.default_value_index();
  if (def >= 0) s.default_value_type = s.value_types[def].type;
  s.samples = static_cast<int64_t>(p.sample_count());

  std::unordered_set<StrId> fn_names;
  for (const Frame& f : p.frames()) fn_names.insert(f.function);
  for (const TableRow& r : p.rows) fn_names.insert(r.name);
  s.functions = static_cast<int64_t>(fn_names.size());
  s.frames = static_cast<int64_t>(p.frames().size());

  s.spans = static_cast<int64_t>(p.spans.size());
  s.events_by_phase = p.events_by_phase;
  for (const auto& [ph, n] : p.events_by_phase) s.events += n;
  std::set<int64_t> pids;
  std::set<ThreadKey> threads;
  int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
  for (const Span& sp : p.spans) {
    pids.insert(sp.pid);
    if (sp.kind != SpanKind::kAsync) threads.insert({sp.pid, sp.tid});
    if (sp.summary) continue;
    first = std::min(first, sp.start_ns);
    last = std::max(last, sp.start_ns + sp.dur_ns);
  }
  for (const auto& [pid, name] : p.process_names) pids.insert(pid);
  for (const auto& [key, name] : p.thread_names) threads.insert(key), pids.insert(key.pid);
  s.processes = static_cast<int64_t>(pids.size());
  s.threads = static_cast<int64_t>(threads.size());
  if (first <= last) {
    s.first_ts_ns = first;
    s.last_ts_ns = last;
  }

  s.rows = static_cast<int64_t>(p.rows.size());
  s.time_ns = p.meta.time_ns;
  s.duration_ns = p.meta.duration_ns;
  if (s.duration_ns == 0 && first <= last) s.duration_ns = last - first;
  s.clock_type = p.clock_type;
  for (StrId c : p.meta.comments) s.comments.emplace_back(p.str(c));
  s.warnings = p.warnings;
  return s;
}

}  // namespace perfkit

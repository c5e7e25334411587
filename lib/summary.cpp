#include "lib/summary.h"

#include <algorithm>
#include <limits>
#include <set>
#include <unordered_set>

namespace perfkit {

ProfileSummary summarize(const Profile& p) {
  ProfileSummary s;
  s.path = p.path;
  s.format = p.format;
  s.flavor = p.flavor;
  const size_t nvt = p.value_types.size();
  std::vector<int64_t> totals(nvt, 0);
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
  for (size_t t = 0; t < nvt; ++t)
    s.value_types.push_back({std::string(p.str(p.value_types[t].type)),
                             std::string(p.str(p.value_types[t].unit)), totals[t],
                             p.value_types[t].scale});
  int def = p.default_value_index();
  if (def >= 0) s.default_value_type = s.value_types[def].type;
  s.samples = static_cast<int64_t>(p.samples().size());

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

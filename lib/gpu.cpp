#include "lib/gpu.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "lib/span_stats.h"

namespace perfkit {
namespace {

enum class Cat : uint8_t { kOther, kKernel, kMemcpy, kMemset, kLaunch };

Cat classify(std::string_view c) {
  if (c == "kernel" || c == "Kernel") return Cat::kKernel;
  if (c == "gpu_memcpy" || c == "Memcpy") return Cat::kMemcpy;
  if (c == "gpu_memset" || c == "Memset") return Cat::kMemset;
  if (c == "cuda_runtime" || c == "cuda_driver" || c == "Runtime" || c == "Driver")
    return Cat::kLaunch;
  return Cat::kOther;
}

// The Chrome reader's ids for string pids ("GPU 0" as a pid) start here; then the string names it.
constexpr int64_t kStringIdBase = int64_t{1} << 48;

bool is_sync_call(std::string_view n) {
  return n.find("Synchronize") != std::string_view::npos ||
         n.find("WaitEvent") != std::string_view::npos ||
         (n.starts_with("cudaMemcpy") && n.find("Async") == std::string_view::npos) ||
         (n.starts_with("cuMemcpy") && n.find("Async") == std::string_view::npos);
}

struct Work {
  uint32_t span;
  GpuWorkKind kind;
  int64_t device, stream, start, end, bytes;
  int64_t correlation;
  int64_t launch = -1;  // span index of its launch
};

struct Interval {
  int64_t start, end;
};

// Union of intervals sorted by start.
std::vector<Interval> merge(const std::vector<Interval>& sorted) {
  std::vector<Interval> out;
  for (const Interval& iv : sorted) {
    if (!out.empty() && iv.start <= out.back().end)
      out.back().end = std::max(out.back().end, iv.end);
    else
      out.push_back(iv);
  }
  return out;
}

int64_t total(const std::vector<Interval>& merged) {
  int64_t t = 0;
  for (const Interval& iv : merged) t += iv.end - iv.start;
  return t;
}

GpuDelay delay_stats(std::vector<int64_t>& v) {
  GpuDelay d;
  if (v.empty()) return d;
  std::sort(v.begin(), v.end());
  __int128 sum = 0;
  for (int64_t x : v) sum += x;
  d.count = static_cast<int64_t>(v.size());
  d.mean_ns = static_cast<int64_t>((sum + d.count / 2) / d.count);
  d.p50_ns = nearest_rank(v, 50);
  d.p90_ns = nearest_rank(v, 90);
  d.p99_ns = nearest_rank(v, 99);
  d.max_ns = v.back();
  return d;
}

// A CPU thread's timeline as segments labelled by the innermost span over them (-1: no span).
struct Segment {
  int64_t start, end;
  int64_t span;
};

class CpuTimelines {
 public:
  explicit CpuTimelines(const Profile& p) : p_(p) {
    for (uint32_t i = 0; i < p.spans.size(); ++i) {
      const Span& s = p.spans[i];
      if (s.kind != SpanKind::kComplete || s.summary) continue;
      by_thread_[ThreadKey{s.pid, s.tid}].push_back(i);
    }
  }
  // Adds the time of [x, y) on the thread to `add(span or -1, ns)`.
  template <typename F>
  void attribute(ThreadKey t, int64_t x, int64_t y, F&& add) {
    const std::vector<Segment>& segs = segments(t);
    auto it = std::lower_bound(segs.begin(), segs.end(), x,
                               [](const Segment& s, int64_t v) { return s.end <= v; });
    int64_t cursor = x;
    for (; it != segs.end() && it->start < y; ++it) {
      const int64_t a = std::max(x, it->start), b = std::min(y, it->end);
      if (a > cursor) add(-1, a - cursor);
      if (b > a) add(it->span, b - a);
      cursor = std::max(cursor, b);
    }
    if (y > cursor) add(-1, y - cursor);
  }

 private:
  const std::vector<Segment>& segments(ThreadKey t) {
    auto [it, inserted] = segments_.try_emplace(t);
    if (!inserted) return it->second;
    std::vector<uint32_t> spans = by_thread_[t];
    std::sort(spans.begin(), spans.end(), [&](uint32_t a, uint32_t b) {
      const Span &x = p_.spans[a], &y = p_.spans[b];
      if (x.start_ns != y.start_ns) return x.start_ns < y.start_ns;
      if (x.dur_ns != y.dur_ns) return x.dur_ns > y.dur_ns;
      return a < b;
    });
    std::vector<Segment>& out = it->second;
    struct Open {
      uint32_t span;
      int64_t end;
    };
    std::vector<Open> stack;
    int64_t t_ns = INT64_MIN;
    auto emit = [&](int64_t until) {
      if (until > t_ns && t_ns != INT64_MIN && !stack.empty())
        out.push_back(Segment{t_ns, until, stack.back().span});
      t_ns = std::max(t_ns, until);
    };
    for (uint32_t i : spans) {
      const Span& s = p_.spans[i];
      while (!stack.empty() && stack.back().end <= s.start_ns) {
        emit(stack.back().end);
        stack.pop_back();
      }
      emit(s.start_ns);
      t_ns = std::max(t_ns, s.start_ns);
      int64_t end = s.start_ns + s.dur_ns;
      if (!stack.empty()) end = std::min(end, stack.back().end);
      stack.push_back(Open{i, end});
    }
    while (!stack.empty()) {
      emit(stack.back().end);
      stack.pop_back();
    }
    return out;
  }

  const Profile& p_;
  std::map<ThreadKey, std::vector<uint32_t>> by_thread_;
  std::map<ThreadKey, std::vector<Segment>> segments_;
};

std::string trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

class Analysis {
 public:
  Analysis(const Profile& p, const GpuOptions& o) : p_(p), o_(o), cpu_(p) {}
  GpuSummary run();

 private:
  void collect();
  void link_by_flows(std::unordered_map<int64_t, uint32_t>& launches);
  void streams(GpuSummary& out);
  void devices(GpuSummary& out);
  void work_rows(GpuSummary& out);
  void delays(GpuSummary& out);
  void idle_causes(GpuDevice& d, const std::vector<Interval>& idle,
                   const std::vector<size_t>& next);

  const Profile& p_;
  const GpuOptions& o_;
  CpuTimelines cpu_;
  std::vector<Cat> cat_of_;  // by cat StrId
  std::vector<Work> work_;
  int64_t by_flow_ = 0;
};

void Analysis::collect() {
  cat_of_.assign(p_.strings.size(), Cat::kOther);
  std::vector<bool> seen(p_.strings.size(), false);
  auto cat = [&](StrId c) {
    if (!seen[c]) seen[c] = true, cat_of_[c] = classify(p_.str(c));
    return cat_of_[c];
  };
  std::unordered_map<uint32_t, const Profile::SpanCorrelation*> link_of;
  for (const auto& c : p_.correlations) link_of[c.span] = &c;
  std::unordered_map<int64_t, uint32_t> launches;  // correlation -> launch span
  for (uint32_t i = 0; i < p_.spans.size(); ++i) {
    const Span& s = p_.spans[i];
    if (s.kind != SpanKind::kComplete) continue;
    const Cat k = cat(s.cat);
    if (k == Cat::kOther) continue;
    auto l = link_of.find(i);
    const int64_t corr = l == link_of.end() ? -1 : l->second->correlation;
    if (k == Cat::kLaunch) {
      if (corr >= 0) launches.try_emplace(corr, i);
      continue;
    }
    if (!std::binary_search(p_.device_threads.begin(), p_.device_threads.end(),
                            ThreadKey{s.pid, s.tid}))
      continue;
    const GpuWorkKind kind = k == Cat::kKernel   ? GpuWorkKind::kKernel
                             : k == Cat::kMemcpy ? GpuWorkKind::kMemcpy
                                                 : GpuWorkKind::kMemset;
    const int64_t bytes = l == link_of.end() ? -1 : l->second->bytes;
    work_.push_back(Work{i, kind, s.pid, s.tid, s.start_ns, s.start_ns + s.dur_ns, bytes, corr});
  }
  for (Work& w : work_) {
    if (w.correlation < 0) continue;
    auto it = launches.find(w.correlation);
    if (it != launches.end()) w.launch = it->second;
  }
  link_by_flows(launches);
}

// Work without a correlation: the ac2g flow whose f point is at its start (on its thread) and
// whose s point is at the start of a launch (on the launching thread).
void Analysis::link_by_flows(std::unordered_map<int64_t, uint32_t>& launches) {
  if (p_.flows.empty()) return;
  bool any = false;
  for (const Work& w : work_) any = any || w.launch < 0;
  if (!any) return;
  struct Key {
    int64_t pid, tid, ts;
    auto operator<=>(const Key&) const = default;
  };
  std::map<Key, uint32_t> launch_at;
  for (const auto& [corr, span] : launches) {
    const Span& s = p_.spans[span];
    launch_at.try_emplace(Key{s.pid, s.tid, s.start_ns}, span);
  }
  // Launch spans without a correlation count too.
  for (uint32_t i = 0; i < p_.spans.size(); ++i) {
    const Span& s = p_.spans[i];
    if (s.kind == SpanKind::kComplete && cat_of_[s.cat] == Cat::kLaunch)
      launch_at.try_emplace(Key{s.pid, s.tid, s.start_ns}, i);
  }
  std::unordered_map<StrId, uint32_t> start_of;  // flow id -> launch span
  std::map<Key, StrId> finish_at;
  for (const auto& f : p_.flows) {
    const Key k{f.pid, f.tid, f.ts_ns};
    if (f.ph == 's') {
      auto it = launch_at.find(k);
      if (it != launch_at.end()) start_of.try_emplace(f.id, it->second);
    } else if (f.ph == 'f') {
      finish_at.try_emplace(k, f.id);
    }
  }
  for (Work& w : work_) {
    if (w.launch >= 0) continue;
    auto f = finish_at.find(Key{w.device, w.stream, w.start});
    if (f == finish_at.end()) continue;
    auto s = start_of.find(f->second);
    if (s == start_of.end()) continue;
    w.launch = s->second;
    ++by_flow_;
  }
}

void Analysis::streams(GpuSummary& out) {
  std::map<ThreadKey, std::vector<size_t>> by_stream;
  for (size_t i = 0; i < work_.size(); ++i)
    by_stream[ThreadKey{work_[i].device, work_[i].stream}].push_back(i);
  for (auto& [key, items] : by_stream) {
    std::stable_sort(items.begin(), items.end(),
                     [&](size_t a, size_t b) { return work_[a].start < work_[b].start; });
    GpuStream st;
    st.device = key.pid;
    st.stream = key.tid;
    auto name = p_.thread_names.find(key);
    st.name =
        name != p_.thread_names.end() ? trim(name->second) : fmt::format("stream {}", key.tid);
    std::vector<Interval> ivs;
    st.first_ns = work_[items.front()].start;
    st.last_ns = INT64_MIN;
    for (size_t k = 0; k < items.size(); ++k) {
      const Work& w = work_[items[k]];
      ivs.push_back({w.start, w.end});
      st.last_ns = std::max(st.last_ns, w.end);
      const int64_t dur = w.end - w.start;
      if (w.kind == GpuWorkKind::kKernel)
        st.kernel_ns += dur;
      else if (w.kind == GpuWorkKind::kMemcpy)
        st.memcpy_ns += dur, st.memcpy_bytes += std::max<int64_t>(0, w.bytes);
      else
        st.memset_ns += dur, st.memset_bytes += std::max<int64_t>(0, w.bytes);
      if (k == 0) continue;
      // HTA's idle time breakdown: the gap from the previous item's end.
      const Work& prev = work_[items[k - 1]];
      const int64_t gap = std::max<int64_t>(0, w.start - prev.end);
      const bool host = w.launch >= 0 && p_.spans[w.launch].start_ns > prev.end;
      if (host)
        st.host_wait_ns += gap, ++st.host_wait_gaps;
      else if (gap < o_.kernel_wait_ns)
        st.kernel_wait_ns += gap, ++st.kernel_wait_gaps;
      else
        st.other_wait_ns += gap, ++st.other_wait_gaps;
    }
    st.items = static_cast<int64_t>(items.size());
    st.busy_ns = total(merge(ivs));
    st.idle_ns = st.last_ns - st.first_ns - st.busy_ns;
    out.streams.push_back(std::move(st));
  }
}

void Analysis::devices(GpuSummary& out) {
  std::map<int64_t, std::vector<size_t>> by_device;
  for (size_t i = 0; i < work_.size(); ++i) by_device[work_[i].device].push_back(i);
  for (auto& [dev, items] : by_device) {
    std::stable_sort(items.begin(), items.end(),
                     [&](size_t a, size_t b) { return work_[a].start < work_[b].start; });
    GpuDevice d;
    d.device = dev;
    auto pname = p_.process_names.find(dev);
    d.name = dev >= kStringIdBase && pname != p_.process_names.end() ? pname->second
                                                                     : fmt::format("GPU {}", dev);
    std::vector<Interval> all, kernels;
    for (size_t i : items) {
      all.push_back({work_[i].start, work_[i].end});
      if (work_[i].kind == GpuWorkKind::kKernel) kernels.push_back({work_[i].start, work_[i].end});
    }
    const std::vector<Interval> busy = merge(all);
    d.first_ns = busy.front().start;
    d.last_ns = busy.back().end;
    d.busy_ns = total(busy);
    d.idle_ns = d.last_ns - d.first_ns - d.busy_ns;
    d.kernel_busy_ns = total(merge(kernels));
    // Idle intervals and, for each, the first work item starting where it ends.
    std::vector<Interval> idle;
    std::vector<size_t> next;
    size_t k = 0;
    for (size_t b = 1; b < busy.size(); ++b) {
      idle.push_back({busy[b - 1].end, busy[b].start});
      while (work_[items[k]].start < busy[b].start) ++k;
      next.push_back(items[k]);
    }
    d.idle_gaps = static_cast<int64_t>(idle.size());
    idle_causes(d, idle, next);
    for (size_t s = 0; s < out.streams.size(); ++s)
      if (out.streams[s].device == dev) d.streams.push_back(s);
    out.devices.push_back(std::move(d));
  }
}

void Analysis::idle_causes(GpuDevice& d, const std::vector<Interval>& idle,
                           const std::vector<size_t>& next) {
  using Kind = GpuIdleCause::Kind;
  struct Acc {
    int64_t ns = 0, gaps = 0, last_gap = -1;
  };
  std::map<std::tuple<Kind, StrId, StrId>, Acc> acc;
  auto add = [&](Kind k, StrId name, StrId cat, int64_t ns, int64_t gap) {
    if (ns <= 0) return;
    Acc& a = acc[{k, name, cat}];
    a.ns += ns;
    if (a.last_gap != gap) ++a.gaps, a.last_gap = gap;
  };
  for (size_t g = 0; g < idle.size(); ++g) {
    const auto gi = static_cast<int64_t>(g);
    const auto [a, b] = idle[g];
    const Work& w = work_[next[g]];
    if (w.launch < 0) {
      add(Kind::kUnlinked, 0, 0, b - a, gi);
      continue;
    }
    const Span& launch = p_.spans[w.launch];
    const int64_t launch_end = launch.start_ns + launch.dur_ns;
    if (launch_end <= a) {
      add(Kind::kQueued, 0, 0, b - a, gi);
      continue;
    }
    const int64_t cpu_end = std::min(launch_end, b);
    d.waited_on_cpu_ns += cpu_end - a;
    cpu_.attribute(ThreadKey{launch.pid, launch.tid}, a, cpu_end, [&](int64_t span, int64_t ns) {
      if (span < 0) return add(Kind::kCpuUntraced, 0, 0, ns, gi);
      const Span& s = p_.spans[span];
      add(Kind::kCpuSpan, s.name, s.cat, ns, gi);
    });
    add(Kind::kLaunchLatency, 0, 0, b - cpu_end, gi);
  }
  for (const auto& [key, a] : acc) {
    GpuIdleCause c;
    c.kind = std::get<0>(key);
    if (c.kind == Kind::kCpuSpan) {
      c.name = p_.str(std::get<1>(key));
      c.cat = p_.str(std::get<2>(key));
      c.sync = is_sync_call(c.name);
    }
    c.ns = a.ns;
    c.gaps = a.gaps;
    d.causes.push_back(std::move(c));
  }
  std::stable_sort(d.causes.begin(), d.causes.end(),
                   [](const GpuIdleCause& x, const GpuIdleCause& y) { return x.ns > y.ns; });
}

void Analysis::work_rows(GpuSummary& out) {
  std::map<std::pair<GpuWorkKind, StrId>, size_t> row_of;
  for (const Work& w : work_) {
    const Span& s = p_.spans[w.span];
    auto [it, inserted] = row_of.try_emplace({w.kind, s.name}, out.work.size());
    if (inserted) {
      GpuWorkRow r;
      r.kind = w.kind;
      r.name = p_.str(s.name);
      r.min_ns = INT64_MAX;
      out.work.push_back(std::move(r));
    }
    GpuWorkRow& r = out.work[it->second];
    const int64_t dur = w.end - w.start;
    ++r.count;
    r.total_ns += dur;
    r.min_ns = std::min(r.min_ns, dur);
    r.max_ns = std::max(r.max_ns, dur);
    r.bytes += std::max<int64_t>(0, w.bytes);
    ++(w.kind == GpuWorkKind::kKernel   ? out.kernels
       : w.kind == GpuWorkKind::kMemcpy ? out.memcpys
                                        : out.memsets);
  }
  for (GpuWorkRow& r : out.work) r.mean_ns = (r.total_ns + r.count / 2) / r.count;
  std::stable_sort(out.work.begin(), out.work.end(), [](const GpuWorkRow& a, const GpuWorkRow& b) {
    if (a.total_ns != b.total_ns) return a.total_ns > b.total_ns;
    return a.name < b.name;
  });
}

void Analysis::delays(GpuSummary& out) {
  std::vector<int64_t> launch, queue;
  for (const Work& w : work_) {
    if (w.launch < 0) continue;
    const Span& l = p_.spans[w.launch];
    launch.push_back(std::max<int64_t>(0, w.start - (l.start_ns + l.dur_ns)));
    queue.push_back(std::max<int64_t>(0, w.start - l.start_ns));
    out.cpu_launch_ns += l.dur_ns;
  }
  out.linked = static_cast<int64_t>(launch.size());
  out.launch_delay = delay_stats(launch);
  out.queue_delay = delay_stats(queue);
}

GpuSummary Analysis::run() {
  GpuSummary out;
  out.path = p_.path;
  out.kernel_wait_threshold_ns = o_.kernel_wait_ns;
  if (p_.device_threads.empty()) return out;
  collect();
  if (work_.empty()) return out;
  out.work_items = static_cast<int64_t>(work_.size());
  out.linked_by_flow = by_flow_;
  streams(out);
  devices(out);
  work_rows(out);
  delays(out);
  return out;
}

}  // namespace

const char* gpu_work_kind_name(GpuWorkKind k) {
  switch (k) {
    case GpuWorkKind::kKernel:
      return "kernel";
    case GpuWorkKind::kMemcpy:
      return "memcpy";
    case GpuWorkKind::kMemset:
      return "memset";
  }
  return "";
}

GpuSummary compute_gpu(const Profile& p, const GpuOptions& opts) { return Analysis(p, opts).run(); }

}  // namespace perfkit

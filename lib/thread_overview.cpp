#include "lib/thread_overview.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace perfkit {
namespace {

bool counted(const Span& s) { return s.kind == SpanKind::kComplete && !s.summary; }

std::string thread_label(const Profile& p, ThreadKey k) {
  std::string label;
  if (auto it = p.process_names.find(k.pid); it != p.process_names.end() && !it->second.empty())
    label = it->second + " / ";
  if (auto it = p.thread_names.find(k); it != p.thread_names.end() && !it->second.empty())
    label += it->second;
  else
    label += "thread " + std::to_string(k.tid);
  return label + " (" + std::to_string(k.pid) + "/" + std::to_string(k.tid) + ")";
}

struct Acc {
  ThreadTime t;
  std::unordered_map<StrId, int64_t> self_by_name;
};

void finish_thread(const Profile& p, Acc& a, size_t top_names) {
  std::vector<std::pair<StrId, int64_t>> names(a.self_by_name.begin(), a.self_by_name.end());
  std::sort(names.begin(), names.end(), [&](const auto& x, const auto& y) {
    if (x.second != y.second) return x.second > y.second;
    return p.str(x.first) < p.str(y.first);
  });
  for (size_t i = 0; i < names.size(); ++i) {
    if (i < top_names && names[i].second > 0)
      a.t.top.push_back({std::string(p.str(names[i].first)), names[i].second});
    else
      a.t.other_ns += names[i].second;
  }
}

}  // namespace

ThreadOverview compute_thread_overview(const Profile& p, size_t top_names, size_t max_threads) {
  std::map<ThreadKey, Acc> by_thread;
  ThreadOverview o;
  bool any = false;
  for (const Span& s : p.spans) {
    if (!counted(s)) continue;
    Acc& a = by_thread[ThreadKey{s.pid, s.tid}];
    int64_t end = s.start_ns + s.dur_ns;
    if (a.t.spans == 0) {
      a.t.first_ns = s.start_ns;
      a.t.last_ns = end;
    }
    a.t.first_ns = std::min(a.t.first_ns, s.start_ns);
    a.t.last_ns = std::max(a.t.last_ns, end);
    ++a.t.spans;
    if (s.depth == 0) a.t.busy_ns += s.dur_ns;
    a.self_by_name[s.name] += s.self_ns;
    o.start_ns = any ? std::min(o.start_ns, s.start_ns) : s.start_ns;
    o.end_ns = any ? std::max(o.end_ns, end) : end;
    any = true;
  }
  for (auto& [key, acc] : by_thread) {
    acc.t.pid = key.pid;
    acc.t.tid = key.tid;
    acc.t.label = thread_label(p, key);
    finish_thread(p, acc, top_names);
    o.threads.push_back(std::move(acc.t));
  }
  std::stable_sort(o.threads.begin(), o.threads.end(),
                   [](const ThreadTime& a, const ThreadTime& b) { return a.busy_ns > b.busy_ns; });
  o.thread_count = o.threads.size();
  if (max_threads && o.threads.size() > max_threads) o.threads.resize(max_threads);
  return o;
}

}  // namespace perfkit

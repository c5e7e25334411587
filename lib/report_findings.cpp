#include "lib/report_findings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/table_total.h"
#include "lib/units.h"

namespace perfkit {

namespace {

constexpr double kChainShare = 0.9;       // a callee taking >= 90% of its caller extends a chain
constexpr double kCalleesMinShare = 0.05;  // "high inclusive": >= 5% of the total
constexpr double kCalleesMaxSelf = 0.2;    // "low self": <= 20% of its own inclusive value
constexpr int64_t kCachingMinCalls = 20;
constexpr double kCachingMinShare = 0.01;
constexpr int64_t kCachingMinAvgNs = 1000;  // 1us: below that a call is too cheap to cache
// The program's entry (not a finding): a root chain with >= half of the total (tables: a row with
// >= 90%) whose functions together have <= 5% self.
constexpr double kEntryMinShare = 0.5;
constexpr double kEntryTableMinShare = 0.9;
constexpr double kEntryMaxSelf = 0.05;

// Caller -> callee weights between rows of the flat table, counted once per stack, plus the
// heaviest distinct (hidden-frame-free) stacks.
struct CallGraph {
  std::vector<std::vector<std::pair<uint32_t, int64_t>>> callees;  // per row, heaviest first
  std::vector<std::pair<StackId, int64_t>> paths;  // leaf stack ids, heaviest first
  std::vector<uint32_t> frame_row;                 // row per frame, UINT32_MAX when hidden
  std::vector<uint8_t> called;                     // per row: some other row calls it
};

// Caller -> callee row edges (caller << 32 | callee), each weighed once per stack that has it:
// the weight of the stacks at or under its root-most occurrences. Hidden frames (no row) are
// skipped, and a row calling itself is no edge. One walk of the trie, whatever its depth: a
// stack's edges are never listed per stack (N nested spans would be N^2/2 of them).
std::unordered_map<uint64_t, int64_t> stack_edges(const Profile& p,
                                                  const std::vector<uint32_t>& frame_row,
                                                  const std::vector<int64_t>& w) {
  std::unordered_map<uint64_t, int64_t> edges;
  const auto& nodes = p.stacks();
  const size_t n = nodes.size();
  constexpr uint64_t kNoEdge = UINT64_MAX;
  // Per node: the row of the nearest node at or above it that has one, its edge, the weight of
  // its subtree and whether any stack in it has a nonzero weight (parents precede children).
  std::vector<uint32_t> row_above(n, UINT32_MAX);
  std::vector<uint64_t> edge(n, kNoEdge);
  for (size_t i = 1; i < n; ++i) {
    const uint32_t r = frame_row[nodes[i].frame], up = row_above[nodes[i].parent];
    row_above[i] = r != UINT32_MAX ? r : up;
    if (r != UINT32_MAX && up != UINT32_MAX && up != r) edge[i] = uint64_t(up) << 32 | r;
  }
  std::vector<int64_t> sub(w.begin(), w.end());
  std::vector<uint8_t> nonzero(n);
  for (size_t i = 0; i < n; ++i) nonzero[i] = w[i] != 0;
  for (size_t i = n; i-- > 1;) {
    sub[nodes[i].parent] += sub[i];
    nonzero[nodes[i].parent] |= nonzero[i];
  }
  // Children of each node (CSR), then a depth-first walk that keeps, per edge, how many nodes on
  // the current path have it: a node whose edge is not yet on the path is a root-most one.
  std::vector<uint32_t> first(n + 1, 0), kids(n ? n - 1 : 0);
  for (size_t i = 1; i < n; ++i) ++first[nodes[i].parent + 1];
  for (size_t i = 0; i < n; ++i) first[i + 1] += first[i];
  {
    std::vector<uint32_t> fill(first.begin(), first.end() - 1);
    for (size_t i = 1; i < n; ++i) kids[fill[nodes[i].parent]++] = uint32_t(i);
  }
  std::unordered_map<uint64_t, uint32_t> on_path;
  std::vector<std::pair<uint32_t, uint32_t>> todo;  // (node, next child slot)
  todo.emplace_back(0, first[0]);
  while (!todo.empty()) {
    auto& [node, next] = todo.back();
    if (next == first[node + 1]) {  // leaving the node
      if (edge[node] != kNoEdge && --on_path[edge[node]] == 0) on_path.erase(edge[node]);
      todo.pop_back();
      continue;
    }
    const uint32_t c = kids[next++];
    if (!nonzero[c]) continue;  // no stack under it counts (as the per-stack walk skipped them)
    if (edge[c] != kNoEdge && on_path[edge[c]]++ == 0) edges[edge[c]] += sub[c];
    todo.emplace_back(c, first[c]);
  }
  return edges;
}

CallGraph build_graph(const Profile& p, const FlatTable& t, const SampleFilter& filter) {
  CallGraph g;
  g.callees.resize(t.rows.size());
  if (p.samples().empty()) return g;
  std::unordered_map<uint64_t, uint32_t> row_of;
  for (uint32_t i = 0; i < t.rows.size(); ++i)
    row_of[uint64_t(t.rows[i].name) << 32 | t.rows[i].file] = i;
  // Rows per frame; hidden frames (and frames no kept sample touched) map to none.
  const auto& frames = p.frames();
  std::vector<uint32_t>& frame_row = g.frame_row;
  frame_row.assign(frames.size(), UINT32_MAX);
  for (size_t i = 0; i < frames.size(); ++i) {
    auto it = row_of.find(uint64_t(frames[i].function) << 32 | frames[i].file);
    if (it != row_of.end()) frame_row[i] = it->second;
  }
  // Frames without a row were hidden (--hide): in a kept stack every other frame has one.
  std::vector<int64_t> w = stack_weights(p, t.value_index, filter);
  std::unordered_map<uint64_t, int64_t> edges = stack_edges(p, frame_row, w);
  const auto& nodes = p.stacks();
  for (size_t s = 1; s < nodes.size(); ++s)
    if (w[s] != 0) g.paths.emplace_back(StackId(s), w[s]);  // by id: no copies of deep stacks
  g.called.assign(t.rows.size(), 0);
  for (const auto& [key, v] : edges) {
    g.callees[key >> 32].emplace_back(uint32_t(key), v);
    if (v != 0) g.called[uint32_t(key)] = 1;
  }
  for (auto& c : g.callees)
    std::sort(c.begin(), c.end(), [](auto& a, auto& b) {
      return std::llabs(a.second) != std::llabs(b.second) ? std::llabs(a.second) > std::llabs(b.second)
                                                          : a.first < b.first;
    });
  std::stable_sort(g.paths.begin(), g.paths.end(), [](auto& a, auto& b) {
    return std::llabs(a.second) > std::llabs(b.second);
  });
  return g;
}

class Builder {
 public:
  Builder(const Profile& p, const FlatTable& t, const CallGraph& g, ReportFindings& out)
      : p_(p), t_(t), g_(g), out_(out) {}

  std::string name(uint32_t row) const { return std::string(p_.str(t_.rows[row].name)); }
  std::string val(int64_t v) const { return finding_value(out_, v); }
  double share(int64_t v) const { return out_.total == 0 ? 0 : double(v) / double(out_.total); }
  std::string pct(int64_t v) const { return units::human_percent(share(v) * 100); }

  Finding base(uint32_t row) const {
    const FlatRow& r = t_.rows[row];
    Finding f;
    f.path = {name(row)};
    f.file = p_.str(r.file);
    f.line = r.line;
    f.flat = r.flat;
    f.cum = r.cum;
    f.calls = r.calls;
    f.value = r.cum;
    f.share = share(r.cum);
    return f;
  }

  // The row's dominant callee when it takes >= kChainShare of the row's cum, else UINT32_MAX.
  uint32_t pass_through(uint32_t row) const {
    const auto& c = g_.callees[row];
    if (c.empty() || t_.rows[row].cum == 0) return UINT32_MAX;
    if (double(c[0].second) >= kChainShare * double(t_.rows[row].cum)) return c[0].first;
    return UINT32_MAX;
  }

  std::string callee_list(uint32_t row, size_t n) const {
    std::string s;
    const auto& c = g_.callees[row];
    for (size_t i = 0; i < c.size() && i < n; ++i)
      s += (i ? ", " : "") + name(c[i].first) + " (" + val(c[i].second) + ")";
    return s;
  }

  const Profile& p_;
  const FlatTable& t_;
  const CallGraph& g_;
  ReportFindings& out_;
};

std::vector<uint32_t> order_by(const Profile& p, const FlatTable& t, SortKey key) {
  std::vector<uint32_t> idx(t.rows.size());
  for (uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) {
    int64_t x = key == SortKey::kCum ? std::llabs(t.rows[a].cum) : std::llabs(t.rows[a].flat);
    int64_t y = key == SortKey::kCum ? std::llabs(t.rows[b].cum) : std::llabs(t.rows[b].flat);
    if (x != y) return x > y;
    return p.str(t.rows[a].name) < p.str(t.rows[b].name);
  });
  return idx;
}

// Whether an inclusive chain (rows root -> leaf, value of the first) is merely the program's
// entry: see the header.
bool is_entry(const Builder& b, const std::vector<uint32_t>& chain, bool has_graph) {
  const FlatRow& head = b.t_.rows[chain[0]];
  if (head.cum <= 0) return false;
  int64_t self = 0;
  for (uint32_t r : chain) self += std::llabs(b.t_.rows[r].flat);
  if (double(self) > kEntryMaxSelf * double(head.cum)) return false;
  if (!has_graph) return b.share(head.cum) >= kEntryTableMinShare;
  return !b.g_.called[chain[0]] && b.share(head.cum) >= kEntryMinShare;
}

FindingSection inclusive_section(const Builder& b, const std::vector<uint32_t>& by_cum, size_t n,
                                 bool has_graph, std::vector<Finding>& entries) {
  FindingSection s{FindingKind::kInclusive, "inclusive", "Top consumers by inclusive " + b.t_.type,
                   "the function and everything it calls; a chain of calls that pass nearly all "
                   "their time to one callee is one entry",
                   {}};
  std::vector<uint8_t> covered(b.t_.rows.size(), 0);
  for (uint32_t row : by_cum) {
    if (s.items.size() >= n) break;
    if (covered[row] || b.t_.rows[row].cum == 0) continue;
    Finding f = b.base(row);
    covered[row] = 1;
    std::vector<uint32_t> chain = {row};
    for (uint32_t next = b.pass_through(row); next != UINT32_MAX && !covered[next] &&
                                              chain.size() < 8;
         next = b.pass_through(next)) {
      chain.push_back(next);
      covered[next] = 1;
      f.path.push_back(b.name(next));
    }
    const FlatRow& r = b.t_.rows[row];
    f.why = fmt::format("{} of the total ({}) is spent in {} and the functions it calls", b.pct(r.cum),
                        b.val(r.cum), f.path[0]);
    if (chain.size() > 1) {
      const FlatRow& last = b.t_.rows[chain.back()];
      f.why += fmt::format("; {} of it ({}) runs through {}", units::human_percent(
                               r.cum == 0 ? 0 : 100.0 * double(last.cum) / double(r.cum)),
                           b.val(last.cum), f.path.back());
    }
    if (r.flat != 0) f.why += fmt::format("; {} is its own code", b.val(r.flat));
    f.why += ".";
    if (is_entry(b, chain, has_graph)) {
      f.flat = 0;  // entries: the self value of the chain's functions together
      for (uint32_t c : chain) f.flat += b.t_.rows[c].flat;
      entries.push_back(std::move(f));
      continue;
    }
    s.items.push_back(std::move(f));
  }
  return s;
}

// One sentence: the first inclusive finding, and the most self value when it is elsewhere.
std::string headline(const Builder& b, const std::vector<FindingSection>& sections) {
  const Finding* inc = nullptr;
  const Finding* self = nullptr;
  for (const auto& sec : sections) {
    if (sec.kind == FindingKind::kInclusive && !sec.items.empty()) inc = &sec.items[0];
    if (sec.kind == FindingKind::kSelf && !sec.items.empty()) self = &sec.items[0];
  }
  const std::string& type = b.t_.type;
  std::string s;
  if (inc) {
    s = fmt::format("The biggest cost is {}: {} ({} of the total {})", inc->path[0],
                    b.val(inc->cum), b.pct(inc->cum), type);
    if (inc->path.size() > 1) {
      std::string via;
      for (size_t i = 1; i < inc->path.size(); ++i) via += (i > 1 ? " -> " : "") + inc->path[i];
      s += ", through " + via;
    }
  }
  bool self_elsewhere = self && (!inc || std::find(inc->path.begin(), inc->path.end(),
                                                   self->path[0]) == inc->path.end());
  if (self_elsewhere && !inc)
    s = fmt::format("The biggest cost is the own code of {}: {} ({} of the total {})",
                    self->path[0], b.val(self->flat), b.pct(self->flat), type);
  else if (self_elsewhere)
    s += fmt::format("; the most self {} is in {} ({}, {})", type, self->path[0],
                     b.val(self->flat), b.pct(self->flat));
  else if (self && inc)
    s += fmt::format(", {} of it in the own code of {}", b.val(self->flat), self->path[0]);
  return s.empty() ? s : s + ".";
}

FindingSection self_section(const Builder& b, const std::vector<uint32_t>& by_flat, size_t n) {
  FindingSection s{FindingKind::kSelf, "self", "Most self " + b.t_.type,
                   "expensive direct computation: time in the function's own code, not in callees",
                   {}};
  for (uint32_t row : by_flat) {
    if (s.items.size() >= n) break;
    const FlatRow& r = b.t_.rows[row];
    if (r.flat == 0) break;
    Finding f = b.base(row);
    f.value = r.flat;
    f.share = b.share(r.flat);
    f.why = fmt::format("{} ({} of the total) is spent in its own code", b.val(r.flat),
                        b.pct(r.flat));
    if (r.calls > 0)
      f.why += fmt::format(", over {} calls ({} each)", r.calls, b.val(r.flat / r.calls));
    if (r.cum != r.flat) f.why += fmt::format("; {} including callees", b.val(r.cum));
    f.why += ".";
    s.items.push_back(std::move(f));
  }
  return s;
}

FindingSection caching_section(const Builder& b, const std::vector<uint32_t>& by_cum, size_t n) {
  FindingSection s{FindingKind::kCaching, "caching", "Caching candidates",
                   "called many times with a non-trivial average: if calls repeat with the same "
                   "inputs, a cache saves most of their time",
                   {}};
  for (uint32_t row : by_cum) {
    if (s.items.size() >= n) break;
    const FlatRow& r = b.t_.rows[row];
    if (r.calls < kCachingMinCalls || b.share(r.cum) < kCachingMinShare) continue;
    int64_t avg = r.cum / r.calls;
    std::string avg_text = b.val(avg);
    if (units::dimension_of(b.t_.unit) == units::Dimension::kTime) {
      double avg_ns = double(avg) / double(b.t_.scale) *
                      units::pprof_scale(1, b.t_.unit, "ns").value;
      if (avg_ns < kCachingMinAvgNs) continue;
    }
    Finding f = b.base(row);
    f.why = fmt::format("called {} times at {} each on average: {} in all ({} of the total).",
                        r.calls, avg_text, b.val(r.cum), b.pct(r.cum));
    s.items.push_back(std::move(f));
  }
  return s;
}

FindingSection callees_section(const Builder& b, const std::vector<uint32_t>& by_cum, size_t n,
                               bool has_graph) {
  FindingSection s{FindingKind::kCallees, "callees", "High inclusive, low self: look into callees",
                   "the function itself is cheap; its time is in what it calls", {}};
  for (uint32_t row : by_cum) {
    if (s.items.size() >= n) break;
    const FlatRow& r = b.t_.rows[row];
    if (b.share(r.cum) < kCalleesMinShare) break;
    if (double(std::llabs(r.flat)) > kCalleesMaxSelf * double(std::llabs(r.cum))) continue;
    if (has_graph && (b.pass_through(row) != UINT32_MAX || b.g_.callees[row].empty())) continue;
    Finding f = b.base(row);
    f.why = fmt::format("{} inclusive ({} of the total) but {}", b.val(r.cum), b.pct(r.cum),
                        r.flat == 0 ? std::string("no self time") : "only " + b.val(r.flat) + " self");
    if (has_graph) f.why += "; its callees: " + b.callee_list(row, 3);
    f.why += ".";
    s.items.push_back(std::move(f));
  }
  return s;
}

FindingSection paths_section(const Builder& b, size_t n) {
  FindingSection s{FindingKind::kHotPath, "hot_paths", "Hottest call paths",
                   "distinct stacks by the value spent at their leaf, root -> leaf", {}};
  std::vector<uint32_t> seq;
  for (const auto& [stack, weight] : b.g_.paths) {
    if (s.items.size() >= n || weight == 0) break;
    seq.clear();
    for (StackId id = stack; id != kEmptyStack; id = b.p_.stacks()[id].parent)
      if (uint32_t r = b.g_.frame_row[b.p_.stacks()[id].frame]; r != UINT32_MAX) seq.push_back(r);
    if (seq.empty()) continue;
    std::reverse(seq.begin(), seq.end());
    Finding f = b.base(seq.back());
    f.path.clear();
    for (uint32_t r : seq) f.path.push_back(b.name(r));
    f.flat = weight;
    f.cum = weight;
    f.value = weight;
    f.calls = -1;
    f.share = b.share(weight);
    f.why = fmt::format("{} ({} of the total) is spent in {} when called by this exact path "
                        "({} frames).",
                        b.val(weight), b.pct(weight), f.path.back(), f.path.size());
    s.items.push_back(std::move(f));
  }
  return s;
}

}  // namespace

std::string finding_value(const ReportFindings& f, int64_t stored) {
  return units::human_value(stored, f.unit, f.scale);
}

ReportFindings compute_findings(const Profile& p, const ReportOptions& opts) {
  ReportFindings out;
  out.path = p.path;
  out.format = p.format;
  out.duration_ns = p.meta.duration_ns;
  if (!p.device_threads.empty()) out.gpu = compute_gpu(p);
  AggregateOptions agg = opts.agg;
  agg.by = Granularity::kFunction;
  FlatTable t = aggregate(p, agg);
  out.type = t.type;
  out.unit = t.unit;
  out.scale = t.scale;
  out.total = t.total;
  out.functions = int64_t(t.rows.size());
  if (t.rows.empty()) {
    out.notes.push_back("no samples or rows to rank: nothing to report");
    return out;
  }
  // Function tables: the total may be the root's ttot (lib/table_total.h); say which.
  if (std::string note = table_total_note(p, t); !note.empty()) out.notes.push_back("shares are of the total: " + note);
  CallGraph g = build_graph(p, t, agg.filter);
  bool has_graph = !p.samples().empty();
  Builder b(p, t, g, out);
  std::vector<uint32_t> by_cum = order_by(p, t, SortKey::kCum);
  std::vector<uint32_t> by_flat = order_by(p, t, SortKey::kFlat);
  size_t n = opts.per_section == 0 ? t.rows.size() : opts.per_section;
  out.sections.push_back(inclusive_section(b, by_cum, n, has_graph, out.entries));
  out.sections.push_back(self_section(b, by_flat, n));
  bool has_calls = std::any_of(t.rows.begin(), t.rows.end(), [](auto& r) { return r.calls >= 0; });
  if (has_calls)
    out.sections.push_back(caching_section(b, by_cum, n));
  else
    out.notes.push_back("call counts are unknown (sampled " + p.format +
                        " profile): no caching candidates");
  out.sections.push_back(callees_section(b, by_cum, n, has_graph));
  if (has_graph)
    out.sections.push_back(paths_section(b, n));
  else
    out.notes.push_back("a function table has no call stacks: callees and hot paths are not known");
  out.headline = headline(b, out.sections);
  for (const Finding& e : out.entries) {
    std::string path;
    for (const auto& name : e.path) path += (path.empty() ? "" : " -> ") + name;
    out.notes.push_back(fmt::format(
        "left out of the top consumers as the program's entry: {} ({}, {} of the total, {} self): "
        "{}",
        path, b.val(e.cum), b.pct(e.cum), b.val(e.flat),
        has_graph ? "a chain from a root of the call graph holding most of the total with little "
                    "self time names no cost to act on"
                  : "a row holding nearly all of the total with little self time names no cost "
                    "to act on"));
  }
  return out;
}

}  // namespace perfkit

#include "lib/gate_causes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace perfkit {

namespace {

constexpr uint32_t kNone = UINT32_MAX;

std::string key_of(std::string_view name, std::string_view file, int64_t line, Granularity by) {
  if (by == Granularity::kFile) return std::string(name);
  if (by == Granularity::kLine) return fmt::format("{}\x1f{}\x1f{}", name, file, line);
  return fmt::format("{}\x1f{}", name, file);
}

// The call tree of both sides: node 0 is the (virtual) root, a child is (parent, row).
struct MergedTree {
  std::vector<uint32_t> parent{kNone}, row{kNone};
  std::vector<double> self_b{0}, self_n{0}, abs_b{0}, abs_n{0};
  std::unordered_map<uint64_t, uint32_t> index;

  uint32_t child(uint32_t p, uint32_t r) {
    auto [it, inserted] = index.try_emplace(uint64_t(p) << 32 | r, uint32_t(parent.size()));
    if (inserted) {
      parent.push_back(p);
      row.push_back(r);
      for (auto* v : {&self_b, &self_n, &abs_b, &abs_n}) v->push_back(0);
    }
    return it->second;
  }
  size_t size() const { return parent.size(); }
};

// Adds one run's weights (times factor) to its side of the tree. Frames whose key is no diff
// row were hidden (--hide) or carry no weight: their weight stays with the caller.
void add_run(MergedTree& t, const RunTable& run,
             const std::unordered_map<std::string, uint32_t>& rows, Granularity by,
             const SampleFilter& filter, double factor, bool is_base) {
  const Profile& p = *run.profile;
  const auto& frames = p.frames();
  std::vector<uint32_t> frame_row(frames.size(), kNone);
  for (size_t f = 0; f < frames.size(); ++f) {
    std::string_view name =
        by == Granularity::kFile ? p.str(frames[f].file) : p.str(frames[f].function);
    auto it = rows.find(key_of(name, p.str(frames[f].file), frames[f].line, by));
    if (it != rows.end()) frame_row[f] = it->second;
  }
  const auto& nodes = p.stacks();
  std::vector<int64_t> w = stack_weights(p, run.table.value_index, filter);
  std::vector<uint32_t> merged(nodes.size(), 0);
  std::vector<double>& self = is_base ? t.self_b : t.self_n;
  std::vector<double>& abs = is_base ? t.abs_b : t.abs_n;
  for (size_t s = 0; s < nodes.size(); ++s) {
    if (s > 0) {
      uint32_t pm = merged[nodes[s].parent], r = frame_row[nodes[s].frame];
      merged[s] = r == kNone ? pm : t.child(pm, r);
    }
    if (w[s] == 0) continue;
    self[merged[s]] += static_cast<double>(w[s]) * factor;
    abs[merged[s]] += std::fabs(static_cast<double>(w[s]) * factor);
  }
}

// Whether a node's subtree scaled as a whole, from its leaves up. A node's parts are its self
// value and its calls present on both sides; its ratio is theirs summed, new / base. It is
// uniform when the parts holding 80% of its base value changed by its ratio r (each within a
// quarter of r - 1 of it) and each such part of 5% or more is uniform itself; a node with only
// a self value is uniform. It may own the growth as a whole (claimable) when at least two such
// parts agree: one big call alone says the growth is in that call.
struct Uniformity {
  std::vector<double> ratio;
  std::vector<uint8_t> uniform, claimable;
};

template <class Existing>
Uniformity find_uniform(const MergedTree& t, const std::vector<double>& cum_b,
                        const std::vector<double>& cum_n, const std::vector<uint32_t>& kids,
                        const std::vector<uint32_t>& first_child, const Existing& existing) {
  const size_t n = t.size();
  Uniformity u{std::vector<double>(n, 1.0), std::vector<uint8_t>(n, 0), std::vector<uint8_t>(n, 0)};
  for (size_t i = n; i-- > 1;) {
    if (!existing(i) || t.self_b[i] < 0 || t.self_n[i] < 0) continue;
    double wb = t.self_b[i], wn = t.self_n[i];
    bool negative = false, has_calls = false;
    for (uint32_t j = first_child[i]; j < first_child[i + 1]; ++j) {
      uint32_t c = kids[j];
      if (!existing(c)) continue;
      negative = negative || cum_b[c] <= 0 || cum_n[c] < 0;
      wb += cum_b[c], wn += cum_n[c];
      has_calls = true;
    }
    if (negative || wb <= 0) continue;
    const double r = wn / wb, tol = 0.25 * std::fabs(r - 1);
    u.ratio[i] = r;
    if (!has_calls) {
      u.uniform[i] = 1;
      continue;
    }
    double agree = 0;
    int agreeing = 0;
    auto part = [&](double b, double now, bool uniform) {
      if (std::fabs(now / b - r) > tol) return;
      bool significant = b >= 0.05 * wb;
      if (significant && !uniform) return;
      agree += b;
      agreeing += significant;
    };
    if (t.self_b[i] > 0) part(t.self_b[i], t.self_n[i], true);
    for (uint32_t j = first_child[i]; j < first_child[i + 1]; ++j) {
      uint32_t c = kids[j];
      if (existing(c)) part(cum_b[c], cum_n[c], u.uniform[c]);
    }
    u.uniform[i] = agree >= 0.8 * wb;
    u.claimable[i] = u.uniform[i] && agreeing >= 2;
  }
  return u;
}

// Per run: the diff's unit conversion and normalization, averaged over the side's runs.
double run_factor(const RunTable& r, const DiffTable& d, size_t runs) {
  double u =
      r.table.scale > 0 ? static_cast<double>(d.scale) / static_cast<double>(r.table.scale) : 1;
  double total = static_cast<double>(r.table.total) * u;
  double norm = d.normalized && total != 0 ? static_cast<double>(d.new_total) / total : 1;
  return u * norm / static_cast<double>(std::max<size_t>(1, runs));
}

}  // namespace

CauseAnalysis analyze_causes(std::span<const RunTable> base, std::span<const RunTable> new_runs,
                             const DiffTable& d, Granularity by, const SampleFilter& filter) {
  CauseAnalysis a;
  a.cause_of_row.assign(d.rows.size(), -1);
  if (base.empty() || new_runs.empty()) return a;
  for (auto side : {base, new_runs})
    for (const RunTable& r : side)
      if (r.profile->sample_count() == 0) return a;  // a function table: no stacks
  std::unordered_map<std::string, uint32_t> base_rows, new_rows;
  for (uint32_t i = 0; i < d.rows.size(); ++i) {
    const DiffRow& r = d.rows[i];
    new_rows.emplace(key_of(r.name, r.file, r.line, by), i);
    base_rows.emplace(key_of(r.base_name.empty() ? r.name : r.base_name, r.file, r.line, by), i);
  }
  SampleFilter keep;  // focus and ignore only: the tree keeps hidden frames' callers intact
  keep.focus = filter.focus;
  keep.ignore = filter.ignore;
  MergedTree t;
  for (const RunTable& r : base)
    add_run(t, r, base_rows, by, keep, run_factor(r, d, base.size()), true);
  for (const RunTable& r : new_runs)
    add_run(t, r, new_rows, by, keep, run_factor(r, d, new_runs.size()), false);

  const size_t n = t.size();
  std::vector<double> cum_b(t.self_b), cum_n(t.self_n), abs_b(t.abs_b), abs_n(t.abs_n);
  for (size_t i = n; i-- > 1;) {  // a child's id is larger than its parent's
    uint32_t p = t.parent[i];
    cum_b[p] += cum_b[i], cum_n[p] += cum_n[i], abs_b[p] += abs_b[i], abs_n[p] += abs_n[i];
  }
  // Children lists (a child's id is larger than its parent's), for the scale of each node.
  std::vector<uint32_t> first_child(n + 1, 0), kids(n > 0 ? n - 1 : 0);
  for (size_t i = 1; i < n; ++i) ++first_child[t.parent[i] + 1];
  for (size_t i = 1; i <= n; ++i) first_child[i] += first_child[i - 1];
  {
    std::vector<uint32_t> fill(first_child.begin(), first_child.end() - 1);
    for (size_t i = 1; i < n; ++i) kids[fill[t.parent[i]]++] = uint32_t(i);
  }
  auto existing = [&](size_t i) { return i == 0 || (abs_b[i] > 0 && abs_n[i] > 0); };
  // k(n): a node that scaled as a whole, by at least 10% more or less than the scale s its
  // caller passes down, takes its own ratio; else it keeps s. Its children inherit k as their s.
  const Uniformity u = find_uniform(t, cum_b, cum_n, kids, first_child, existing);
  std::vector<double> scale(n, 1.0);
  for (size_t i = 1; i < n; ++i) {
    const double s = scale[t.parent[i]];
    scale[i] = u.claimable[i] && std::fabs(u.ratio[i] - s) >= 0.1 * s ? u.ratio[i] : s;
  }
  // Own change per node, and who explains a node that is on one side only.
  std::vector<double> own(n, 0);
  std::vector<uint32_t> claimer(n, 0);
  std::vector<double> self_row(d.rows.size(), 0), scale_row(d.rows.size(), 0),
      own_row(d.rows.size(), 0);
  std::unordered_map<uint64_t, double> calls;  // caller row << 32 | callee row -> new weight
  for (size_t i = 1; i < n; ++i) {
    uint32_t p = t.parent[i];
    if (existing(i)) {
      claimer[i] = uint32_t(i);
      double k = scale[i], s = scale[p];
      double whole = (k - s) * cum_b[i], self = t.self_n[i] - k * t.self_b[i];
      own[i] += whole + self;
      self_row[t.row[i]] += self;
      scale_row[t.row[i]] += whole;
    } else if (p == 0) {  // a new (or gone) entry point explains itself
      claimer[i] = uint32_t(i);
      own[i] += cum_n[i] - cum_b[i];
    } else if (existing(p)) {  // a call that is new (or gone) on an existing path
      claimer[i] = p;
      double v = cum_n[i] - scale[p] * cum_b[i];
      own[p] += v;
      calls[uint64_t(t.row[p]) << 32 | t.row[i]] += v;
    } else {
      claimer[i] = claimer[p];
    }
  }
  for (size_t i = 1; i < n; ++i) own_row[t.row[i]] += own[i];
  a.own_of_row = own_row;
  a.computed = true;
  std::vector<size_t> order;
  for (size_t r = 0; r < own_row.size(); ++r) {
    if (own_row[r] > 0) {
      a.growth += own_row[r];
      order.push_back(r);
    }
  }
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return own_row[x] != own_row[y] ? own_row[x] > own_row[y] : x < y;
  });
  if (order.size() > CauseAnalysis::kMaxCauses) order.resize(CauseAnalysis::kMaxCauses);
  std::vector<int> cause_index(d.rows.size(), -1);
  for (size_t k = 0; k < order.size(); ++k) {
    Cause c;
    c.row = order[k];
    c.own = own_row[c.row];
    c.self_delta = self_row[c.row];
    c.scale_delta = scale_row[c.row];
    c.share = a.growth > 0 ? c.own / a.growth : 0;
    a.causes.push_back(c);
    cause_index[c.row] = static_cast<int>(k);
  }
  for (const auto& [key, v] : calls) {
    int k = cause_index[key >> 32];
    if (k >= 0 && v > 0) a.causes[k].new_calls.push_back(CauseCall{size_t(key & 0xffffffffu), v});
  }
  for (Cause& c : a.causes) {
    std::sort(c.new_calls.begin(), c.new_calls.end(), [](const CauseCall& x, const CauseCall& y) {
      return x.value != y.value ? x.value > y.value : x.row < y.row;
    });
    if (c.new_calls.size() > 3) c.new_calls.resize(3);
  }

  const size_t K = a.causes.size();
  if (K == 0) return a;
  // contrib[row * K + k]: how much of the row's change of cum cause k explains. A row's change
  // is the sum over its topmost nodes (a function counts once per path, as cum does) of
  //   cum_new - s * cum_base   (the own changes in the node's subtree), plus
  //   (s - 1) * cum_base       (the scale passed down: each ancestor a that scaled as a whole
  //                             gives (k_a - s_a) * cum_base), or, for a node on one side only,
  //   its whole change, explained by the ancestor that claims it.
  std::vector<double> contrib(d.rows.size() * K, 0);
  std::vector<std::pair<uint32_t, uint32_t>> topmost;  // (row, node)
  std::vector<uint32_t> on_path(d.rows.size(), 0);
  std::vector<uint32_t> scalers;      // ancestors on the path that scaled as a whole
  constexpr size_t kMaxScalers = 64;  // the nearest ones; deeper stacks of them are rare
  std::vector<std::pair<uint32_t, uint32_t>> stack{{0, first_child[0]}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < first_child[node + 1]) {
      uint32_t c = kids[next++];
      uint32_t r = t.row[c];
      if (on_path[r]++ == 0) {
        topmost.emplace_back(r, c);
        if (claimer[c] != c) {
          int k = cause_index[t.row[claimer[c]]];
          if (k >= 0) contrib[r * K + k] += cum_n[c] - cum_b[c];
        } else {
          size_t from = scalers.size() > kMaxScalers ? scalers.size() - kMaxScalers : 0;
          for (size_t j = from; j < scalers.size(); ++j) {
            uint32_t sc = scalers[j];
            int k = cause_index[t.row[sc]];
            if (k >= 0) contrib[r * K + k] += (scale[sc] - scale[t.parent[sc]]) * cum_b[c];
          }
        }
      }
      if (existing(c) && scale[c] != scale[t.parent[c]]) scalers.push_back(c);
      stack.emplace_back(c, first_child[c]);
    } else {
      if (node != 0) {
        --on_path[t.row[node]];
        if (!scalers.empty() && scalers.back() == node) scalers.pop_back();
      }
      stack.pop_back();
    }
  }
  std::vector<double> sub(n);
  for (size_t k = 0; k < K; ++k) {
    const uint32_t cr = static_cast<uint32_t>(a.causes[k].row);
    for (size_t i = 0; i < n; ++i) sub[i] = t.row[i] == cr ? own[i] : 0;
    for (size_t i = n; i-- > 1;) sub[t.parent[i]] += sub[i];
    for (const auto& [r, node] : topmost)
      if (claimer[node] == node) contrib[r * K + k] += sub[node];
  }
  // A row is grouped under the cause explaining the largest part of its change of cum, if that
  // is at least a fifth of it.
  std::vector<double> delta(d.rows.size(), 0);
  for (const auto& [r, node] : topmost) delta[r] += cum_n[node] - cum_b[node];
  for (size_t r = 0; r < d.rows.size(); ++r) {
    double best = 0.2 * std::fabs(delta[r]);
    for (size_t k = 0; k < K; ++k) {
      if (contrib[r * K + k] > best) {
        best = contrib[r * K + k];
        a.cause_of_row[r] = static_cast<int>(k);
      }
    }
  }
  return a;
}

}  // namespace perfkit

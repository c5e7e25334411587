#include "lib/span_stats.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "lib/errors.h"

namespace perfkit {
namespace {

// The 1-based nearest rank of a percentile among n > 0 values.
size_t rank_of(size_t n, double percent) {
  double r = std::ceil(percent / 100.0 * double(n) - 1e-9);
  return static_cast<size_t>(std::clamp(r, 1.0, double(n)));
}

}  // namespace

int64_t nearest_rank(const std::vector<int64_t>& sorted, double percent) {
  if (sorted.empty()) return 0;
  return sorted[rank_of(sorted.size(), percent) - 1];
}

namespace {

// Nearest-rank percentiles of [first, last) by successive selection (no full sort): each
// nth_element works only on what lies above the previous rank. Ranks must ascend.
void select_percentiles(int64_t* first, int64_t* last, const double* percents, int64_t* out,
                        size_t k) {
  const size_t n = static_cast<size_t>(last - first);
  int64_t* from = first;
  for (size_t i = 0; i < k; ++i) {
    int64_t* at = first + (rank_of(n, percents[i]) - 1);
    if (at >= from) {
      std::nth_element(from, at, last);
      from = at + 1;
    }
    out[i] = *at;
  }
}

}  // namespace

SpanSortKey parse_span_sort(const std::string& s) {
  static const std::pair<const char*, SpanSortKey> kKeys[] = {
      {"count", SpanSortKey::kCount}, {"total", SpanSortKey::kTotal}, {"self", SpanSortKey::kSelf},
      {"mean", SpanSortKey::kMean},   {"min", SpanSortKey::kMin},     {"p50", SpanSortKey::kP50},
      {"p90", SpanSortKey::kP90},     {"p95", SpanSortKey::kP95},     {"p99", SpanSortKey::kP99},
      {"max", SpanSortKey::kMax},     {"name", SpanSortKey::kName}};
  for (const auto& [name, key] : kKeys)
    if (s == name) return key;
  throw UsageError("--sort " + s + ": expected count, total, self, mean, min, p50, p90, p95, "
                   "p99, max or name");
}

SpanGroupBy parse_span_group(const std::string& s) {
  if (s == "name") return SpanGroupBy::kName;
  if (s == "cat") return SpanGroupBy::kCat;
  if (s == "thread") return SpanGroupBy::kThread;
  if (s == "name+cat") return SpanGroupBy::kNameCat;
  throw UsageError("--by " + s + ": expected name, cat, thread or name+cat");
}

namespace {

std::string thread_label(const Profile& p, int64_t pid, int64_t tid) {
  std::string id = std::to_string(pid) + "/" + std::to_string(tid);
  auto it = p.thread_names.find(ThreadKey{pid, tid});
  if (it == p.thread_names.end() || it->second.empty()) return "thread " + id;
  return it->second + " (" + id + ")";
}

std::string group_label(const Profile& p, const Span& s, SpanGroupBy by) {
  switch (by) {
    case SpanGroupBy::kCat: return std::string(p.str(s.cat));
    case SpanGroupBy::kThread: return thread_label(p, s.pid, s.tid);
    case SpanGroupBy::kNameCat: {
      std::string cat(p.str(s.cat));
      return std::string(p.str(s.name)) + (cat.empty() ? "" : " [" + cat + "]");
    }
    default: return std::string(p.str(s.name));
  }
}

uint64_t group_hash_key(const Span& s, SpanGroupBy by) {
  uint64_t async_bit = s.kind == SpanKind::kAsync ? 1ULL << 63 : 0;
  switch (by) {
    case SpanGroupBy::kCat: return s.cat | async_bit;
    case SpanGroupBy::kThread:
      return (uint64_t(s.pid) * 0x9E3779B97F4A7C15ULL ^ uint64_t(s.tid)) ^ async_bit;
    case SpanGroupBy::kNameCat: return (uint64_t(s.name) << 32 | s.cat) ^ async_bit;
    default: return s.name | async_bit;
  }
}

int64_t sort_value(const SpanStat& r, SpanSortKey k) {
  switch (k) {
    case SpanSortKey::kCount: return r.count;
    case SpanSortKey::kSelf: return r.self_ns;
    case SpanSortKey::kMean: return r.mean_ns;
    case SpanSortKey::kMin: return r.min_ns;
    case SpanSortKey::kP50: return r.p50_ns;
    case SpanSortKey::kP90: return r.p90_ns;
    case SpanSortKey::kP95: return r.p95_ns;
    case SpanSortKey::kP99: return r.p99_ns;
    case SpanSortKey::kMax: return r.max_ns;
    default: return r.total_ns;
  }
}

}  // namespace

SpanStats compute_span_stats(const Profile& p, const SpanStatsOptions& opts) {
  SpanStats out;
  std::unordered_map<uint64_t, uint32_t> index;
  std::vector<uint32_t> first_span;  // per group: a span to label it by
  std::vector<uint32_t> group_of(p.spans.size(), UINT32_MAX);
  std::vector<int64_t> group_size;
  int64_t first_ns = INT64_MAX, last_ns = INT64_MIN;
  for (uint32_t i = 0; i < p.spans.size(); ++i) {
    const Span& s = p.spans[i];
    if (s.summary) { ++out.summary_skipped; continue; }
    if (s.kind == SpanKind::kInstant) { ++out.instant_skipped; continue; }
    if (s.unclosed) { ++out.unclosed_skipped; continue; }
    auto [it, inserted] = index.try_emplace(group_hash_key(s, opts.by), uint32_t(first_span.size()));
    if (inserted) {
      first_span.push_back(i);
      group_size.push_back(0);
    }
    group_of[i] = it->second;
    ++group_size[it->second];
    ++out.spans;
    first_ns = std::min(first_ns, s.start_ns);
    last_ns = std::max(last_ns, s.start_ns + s.dur_ns);
  }
  if (out.spans > 0) out.wall_ns = last_ns - first_ns;
  // Durations laid out group after group (one allocation), each group then sorted.
  std::vector<size_t> offset(first_span.size() + 1, 0);
  for (size_t g = 0; g < first_span.size(); ++g) offset[g + 1] = offset[g] + size_t(group_size[g]);
  std::vector<int64_t> durs(offset.back());
  std::vector<size_t> fill(offset.begin(), offset.end() - 1);
  out.rows.resize(first_span.size());
  for (uint32_t i = 0; i < p.spans.size(); ++i) {
    uint32_t g = group_of[i];
    if (g == UINT32_MAX) continue;
    const Span& s = p.spans[i];
    durs[fill[g]++] = s.dur_ns;
    out.rows[g].total_ns += s.dur_ns;
    out.rows[g].self_ns += s.kind == SpanKind::kAsync ? s.dur_ns : s.self_ns;
  }
  static constexpr double kPercents[4] = {50, 90, 95, 99};
  for (size_t g = 0; g < out.rows.size(); ++g) {
    SpanStat& r = out.rows[g];
    const Span& s = p.spans[first_span[g]];
    r.key = group_label(p, s, opts.by);
    r.async = s.kind == SpanKind::kAsync;
    int64_t* first = durs.data() + offset[g];
    int64_t* last = durs.data() + offset[g + 1];
    r.count = int64_t(last - first);
    r.mean_ns = std::llround(double(r.total_ns) / double(r.count));
    auto [lo, hi] = std::minmax_element(first, last);
    r.min_ns = *lo;
    r.max_ns = *hi;
    int64_t pct[4];
    select_percentiles(first, last, kPercents, pct, 4);
    r.p50_ns = pct[0];
    r.p90_ns = pct[1];
    r.p95_ns = pct[2];
    r.p99_ns = pct[3];
  }
  std::stable_sort(out.rows.begin(), out.rows.end(), [&](const SpanStat& a, const SpanStat& b) {
    if (opts.sort != SpanSortKey::kName) {
      int64_t x = sort_value(a, opts.sort), y = sort_value(b, opts.sort);
      if (x != y) return x > y;
    }
    if (a.key != b.key) return a.key < b.key;
    return a.async < b.async;
  });
  out.group_count = out.rows.size();
  if (opts.limit > 0 && out.rows.size() > opts.limit) out.rows.resize(opts.limit);
  return out;
}

}  // namespace perfkit

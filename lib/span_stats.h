// `perfkit spans`: latency statistics per span name (or category, thread, name+category) of a
// Chrome trace. A pure function of the Profile; reports/spans_*.cpp render it.
//
// Percentiles are exact nearest-rank: pXX is the smallest duration d such that at least XX% of
// the spans last <= d (rank ceil(XX/100 * count), 1-based, in ascending order). No interpolation,
// so every percentile is a duration some span really had.
// Which spans: complete spans (X, B/E pairs) and async spans (b/e), the latter in groups of their
// own (kind "async", self = duration: they do not nest in thread stacks). Left out and counted:
// producer summaries (clang `Total X`), instants (no duration), and B events never closed (their
// duration is an artifact of where the trace ended).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

enum class SpanGroupBy { kName, kCat, kThread, kNameCat };

struct SpanStat {
  std::string key;       // name, category, "thread name (pid/tid)" or "name [cat]"
  bool async = false;
  int64_t count = 0;
  int64_t total_ns = 0;
  int64_t self_ns = 0;
  int64_t mean_ns = 0;   // total / count, rounded to nearest
  int64_t min_ns = 0;
  int64_t p50_ns = 0;
  int64_t p90_ns = 0;
  int64_t p95_ns = 0;
  int64_t p99_ns = 0;
  int64_t max_ns = 0;
};

struct SpanStats {
  std::vector<SpanStat> rows;  // sorted
  size_t group_count = 0;      // rows before the -n cut
  int64_t spans = 0;           // spans counted in rows
  int64_t summary_skipped = 0;
  int64_t instant_skipped = 0;
  int64_t unclosed_skipped = 0;
  int64_t wall_ns = 0;         // last end - first start over the counted spans
};

enum class SpanSortKey { kCount, kTotal, kSelf, kMean, kMin, kP50, kP90, kP95, kP99, kMax, kName };

struct SpanStatsOptions {
  SpanGroupBy by = SpanGroupBy::kName;
  SpanSortKey sort = SpanSortKey::kTotal;
  size_t limit = 0;  // 0 = all
};

SpanStats compute_span_stats(const Profile& p, const SpanStatsOptions& opts);

// Nearest-rank percentile of an ascending vector (0 when empty).
int64_t nearest_rank(const std::vector<int64_t>& sorted, double percent);

// "count", "total", ..., "name" -> key; throws UsageError.
SpanSortKey parse_span_sort(const std::string& s);
SpanGroupBy parse_span_group(const std::string& s);

}  // namespace perfkit

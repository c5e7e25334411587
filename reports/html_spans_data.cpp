// Span percentiles for the HTML report (own file: lib/span_stats.h and lib/diff.h both declare a
// SpanStat).
#include <algorithm>

#include "lib/span_stats.h"
#include "reports/html_data.h"

namespace perfkit {

void write_spans_json(HtmlJson& j, const SpanStats& s, size_t max_rows) {
  j.begin_object();
  j.key("rows_total").num(static_cast<int64_t>(s.rows.size()));
  j.key("spans").num(s.spans).key("wall_ns").num(s.wall_ns);
  j.key("summary_skipped").num(s.summary_skipped).key("unclosed_skipped").num(s.unclosed_skipped);
  j.key("rows").begin_array();
  size_t shown = std::min(s.rows.size(), max_rows);
  for (size_t i = 0; i < shown; ++i) {
    const SpanStat& r = s.rows[i];
    j.begin_array().str(r.key).boolean(r.async).num(r.count).num(r.total_ns).num(r.self_ns);
    j.num(r.mean_ns).num(r.min_ns).num(r.p50_ns).num(r.p90_ns).num(r.p95_ns).num(r.p99_ns);
    j.num(r.max_ns).end_array();
  }
  j.end_array();
  j.end_object();
}

}  // namespace perfkit

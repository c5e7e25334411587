// The diff table for the HTML report (own file: lib/span_stats.h and lib/diff.h both declare a
// SpanStat).
#include <algorithm>

#include "lib/diff.h"
#include "reports/html_data.h"

namespace perfkit {

void write_diff_json(HtmlJson& j, const DiffTable& d, size_t max_rows) {
  j.begin_object();
  j.key("type").str(d.type).key("unit").str(d.unit).key("scale").num(d.scale);
  j.key("base_total").num(d.base_total).key("new_total").num(d.new_total);
  j.key("normalized").boolean(d.normalized);
  j.key("normalized_to_base").boolean(d.normalized_to_base);
  j.key("rows_total").num(static_cast<int64_t>(d.rows.size()));
  j.key("has_calls").boolean(d.has_calls);
  j.key("rows").begin_array();
  size_t shown = std::min(d.rows.size(), max_rows);
  for (size_t i = 0; i < shown; ++i) {
    const DiffRow& r = d.rows[i];
    j.begin_array().str(r.name).str(r.file).num(r.base_flat).num(r.new_flat);
    j.num(r.base_cum).num(r.new_cum).str(status_name(r.status)).str(r.base_name);
    j.num(r.base_calls).num(r.new_calls).end_array();  // [8], [9]: -1 = unknown
  }
  j.end_array();
  j.key("spans").begin_array();
  for (size_t i = 0; i < std::min(d.spans.size(), max_rows); ++i) {
    const SpanDiffRow& s = d.spans[i];
    j.begin_array().str(s.name);
    for (const SpanPercentiles* st : {&s.base, &s.new_})
      j.num(st->count).num(st->total_ns).num(st->p50_ns).num(st->p95_ns).num(st->p99_ns);
    j.end_array();
  }
  j.end_array();
  j.end_object();
}

}  // namespace perfkit

// Renderers of `perfkit spans`: text, JSON, CSV, Markdown.
#pragma once
#include <string>

#include "lib/span_stats.h"
#include "lib/terminal.h"

namespace perfkit {

// style.width > 0 (a terminal): columns dropped and names cut to fit.
std::string render_spans_text(const SpanStats& s, const terminal::TextStyle& style = {});
// {"spans", "groups", "skipped": {...}, "rows": [{"name","kind","count","total_ns","self_ns",
// "mean_ns","min_ns","p50_ns","p90_ns","p95_ns","p99_ns","max_ns"}]}
std::string render_spans_json(const SpanStats& s);
std::string render_spans_csv(const SpanStats& s);
std::string render_spans_md(const SpanStats& s);

// The statistic columns in order, shared by the renderers.
struct SpanColumn {
  const char* name;
  int64_t SpanStat::*field;
};
extern const SpanColumn kSpanTimeColumns[9];  // total self mean min p50 p90 p95 p99 max

}  // namespace perfkit

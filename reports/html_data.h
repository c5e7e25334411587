// The HTML report's embedded data, part by part (internal to reports/report_html*.cpp).
// Each writer appends one JSON value to `j`.
#pragma once
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reports/html_json.h"
#include "reports/report_html.h"

namespace perfkit {

// Frame names shared by every flame graph of the page (written once, with their colors).
struct HtmlNames {
  std::unordered_map<std::string_view, int> ids;  // views of `own`
  std::vector<std::string_view> names;
  int id(std::string_view name);

 private:
  std::deque<std::string> own;  // copies: a name may outlive the tree it came from
};
void write_names_json(HtmlJson& j, const HtmlNames& names);  // "names":[..],"colors":[..]

// {type, unit, scale, total, differential, base_total, nodes_total, pruned, p, n, v, s[, b, bs]}:
// columns of the pruned tree in pre-order (parents first, siblings in the tree's order, each
// parent's "(other)" frame after its kept children); n indexes the shared names.
void write_flame_json(HtmlJson& j, const FlameTree& t, const HtmlLimits& lim, HtmlNames& names);
// The same of a tree pruned beforehand (its names become ids of `names` in column order).
void write_flame_json(HtmlJson& j, const HtmlFlame& f, HtmlNames& names);

void write_summary_json(HtmlJson& j, const ProfileSummary& s);
void write_view_json(HtmlJson& j, const HtmlView& v, const HtmlLimits& lim, HtmlNames& names);
void write_threads_json(HtmlJson& j, const ThreadOverview& o);
void write_findings_json(HtmlJson& j, const ReportFindings& f);

// In their own files: lib/diff.h and lib/span_stats.h each declare a SpanStat.
void write_spans_json(HtmlJson& j, const SpanStats& s, size_t max_rows);  // html_spans_data.cpp
void write_diff_json(HtmlJson& j, const DiffTable& d, size_t max_rows);   // html_diff_data.cpp

}  // namespace perfkit

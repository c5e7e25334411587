// `perfkit report --format html`: one self-contained page (inline CSS and script, no network)
// with the summary, the bottleneck findings, a sortable/filterable top table, an interactive
// flame graph (zoom, breadcrumb, search with the matched share, tooltips, icicle, value-type
// selector), span percentiles and a per-thread overview for traces, and for a diff the diff
// table and a differential flame graph.
// The data rides in one <script type="application/json"> block (see html_json.h for why no name
// can escape it); the page's script builds everything from it. Big inputs stay small: flame
// frames narrower than a fraction of the total merge into one "(other)" frame per parent (their
// weight kept) and tables keep their first rows, saying how many are hidden.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/flame.h"
#include "lib/summary.h"
#include "lib/thread_overview.h"

namespace perfkit {

struct DiffTable;        // lib/diff.h
struct SpanStats;        // lib/span_stats.h
struct ReportFindings;   // lib/report_findings.h

struct HtmlLimits {
  size_t max_table_rows = 2000;       // per table
  size_t max_flame_nodes = 20000;     // per flame graph, "(other)" frames included
  double min_flame_fraction = 1e-4;   // of the total: narrower frames go into "(other)"
};

struct HtmlTopRow {
  std::string name;
  std::string file;
  int64_t flat = 0;
  int64_t cum = 0;
  int64_t calls = -1;  // -1 unknown
};

// A flame graph as the page embeds it: the pruned tree's columns in pre-order (see
// html_data.h), names local to it. Kept instead of the whole tree, which is often a million nodes.
struct HtmlFlame {
  bool null = true;  // no flame graph (an empty tree or a zero total)
  std::string type, unit;
  int64_t scale = 1, total = 0, base_total = 0, nodes_total = 0, pruned = 0;
  bool differential = false;
  std::vector<int64_t> parent, name, value, self, base, base_self;  // name: into names
  std::vector<std::string> names;
};

// One value type of the input: its top table and flame graph.
struct HtmlView {
  std::string type, unit;
  int64_t scale = 1;  // stored units per unit
  int64_t total = 0;
  bool has_calls = false;
  std::vector<HtmlTopRow> rows;  // sorted by flat; cut to max_table_rows by the renderer
  FlameTree flame;               // empty nodes: no flame graph (a function table)
  std::optional<HtmlFlame> page_flame;  // when set, drawn instead of `flame` (prune_flame_for_page)
};

struct HtmlReportData {
  std::string title;
  std::vector<ProfileSummary> inputs;   // one, or base then new
  std::vector<HtmlView> views;          // single input: one per value type with a table/flame
  int default_view = 0;
  const ReportFindings* findings = nullptr;  // the text report's bottleneck findings
  const SpanStats* spans = nullptr;     // traces: percentiles per span name
  ThreadOverview threads;               // traces: empty threads otherwise
  const DiffTable* diff = nullptr;      // a diff report: sorted rows
  FlameTree diff_flame;                 // a diff report: the differential tree
  std::string version;
  std::string command_line;
  HtmlLimits limits;
};

std::string render_html_report(const HtmlReportData& d);

// What the page draws of a flame tree (frames narrower than the limits merged into "(other)").
HtmlFlame prune_flame_for_page(const FlameTree& t, const HtmlLimits& lim);
// The same for build_flame_tree(p, {value_index}) (no filter), from the profile's stack lists
// when it has them (lib/flame_walk.h: no tree is built), else from the tree.
HtmlFlame prune_flame_for_page(const Profile& p, int value_index, const HtmlLimits& lim);

}  // namespace perfkit

// `perfkit top`: the ranked flat table (pure function of the Profile). Renderers in
// reports/top_*.cpp turn it into text, JSON, CSV or Markdown.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/aggregate.h"
#include "lib/profile.h"

namespace perfkit {

struct TopOptions {
  AggregateOptions agg;
  SortKey sort = SortKey::kFlat;
  size_t limit = 20;  // rows shown; 0 = all
  // pprof's -nodefraction: nodes whose |cum| is below this share of the total are dropped
  // (stack inputs only; function tables keep every row).
  double node_fraction = 0.005;
  bool mean = false;      // pprof's -mean: values divided by the first column (count)
  std::string unit;       // pprof's -unit: output unit ("" = pprof's minimum rule)
  std::vector<std::string> active_filters;  // "focus=RE", ... as pprof lists them
  bool all_edges = false;  // keep every edge between shown nodes (tree, peek)
  double edge_fraction = 0.001;  // pprof's -edgefraction
};

struct TopTable {
  FlatTable table;          // rows sorted; only the shown ones (see node_count for all)
  size_t node_count = 0;    // rows before the -n cut (after the node fraction)
  size_t dropped_nodes = 0;  // nodes below the node fraction
  double node_fraction = 0;
  std::string sample_type;  // pprof's Type: line ("mean_" + type with --mean; may be empty)
  std::string unit;         // forced output unit, "" = minimum
  std::string main_file, build_id;  // pprof's File: and Build ID: lines
  std::vector<GraphEdge> edges;     // between rows (indexes into table.rows), after trimming
  std::vector<FlatRow> ghost_rows;  // edge ends past table.rows: PprofGraph::ghosts
  bool mean = false;
  std::string format;       // the input's format: pprof, chrome, table, folded
  bool has_calls = false;   // some row knows its call count (tables, traces)
  std::string total_note;   // tables whose total is a row's ttot: which (lib/table_total.h)
  // pprof header facts
  int64_t time_ns = 0;
  int64_t duration_ns = 0;
  std::vector<std::string> comments;
  std::vector<std::string> active_filters;  // "focus=RE", ...
};

TopTable compute_top(const Profile& p, const TopOptions& opts);

// A value of the table as a number in its unit: integers for scale 1, else stored / scale
// (tables: seconds).
double value_in_unit(const FlatTable& t, int64_t stored);

// Unit name for the pprof formatter: tables store nanoseconds under unit "seconds" scale 1e9.
std::string pprof_sample_unit(const FlatTable& t);

// pprof's labels for a table: the output unit chosen over the shown rows and total, then each
// value formatted in it ("1.03s", "1304.05kB"). Values of non-unit scales (fractional folded
// counts) are printed as decimals.
class PprofFormatter {
 public:
  // unit: pprof's -unit ("" = the minimum rule over the shown rows).
  explicit PprofFormatter(const FlatTable& t, const std::string& unit = "");
  std::string operator()(int64_t stored) const;
  const std::string& output_unit() const { return output_unit_; }

 private:
  std::string sample_unit_;
  std::string output_unit_;
  int64_t scale_ = 1;
};

// The values and shares that top, tree, peek and traces print: pprof's labels (PprofFormatter,
// units::pprof_percent) for pprof input, so that they read as go tool pprof's; perfkit's one
// human style (units::human_value, units::human_share) for every other input, unless --unit
// asks for pprof's labels in a fixed unit.
class ValueLabels {
 public:
  // shown: the table whose rows pick pprof's output unit (usually t.table).
  ValueLabels(const TopTable& t, const FlatTable& shown);
  std::string operator()(int64_t stored) const;
  // pprof's "%5.2f%%"-style share, or the human one right-aligned in as many columns (6).
  std::string percent(int64_t value, int64_t total) const;
  bool human() const { return human_; }

 private:
  PprofFormatter pprof_;
  std::string unit_;
  int64_t scale_ = 1;
  bool human_ = false;
};

}  // namespace perfkit

namespace perfkit {

// pprof's printable node name: the function; "func file:line" by line; the file by file;
// "<unknown>" when nothing is known.
std::string row_display_name(const Profile& p, const FlatRow& r, Granularity by);

// pprof's suffix label: "(inline)", "(partial-inline)" or "" (never for files).
std::string_view inline_label(const FlatRow& r, Granularity by);

}  // namespace perfkit

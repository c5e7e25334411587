#include "lib/top_table.h"

#include <cstdio>
#include <map>
#include <tuple>
#include <unordered_map>

#include "lib/table_total.h"
#include "lib/units.h"

namespace perfkit {

namespace {

// Shown nodes of the pprof graph as table rows, with the "(inline)" label from their in-edges.
void rows_from_graph(const Profile& p, const PprofGraph& g, Granularity by, FlatTable& t) {
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    FlatRow row = flat_row(p, g.nodes[i], by);
    row.inlined = g.in_kinds[i] == 1;
    row.partial_inline = g.in_kinds[i] == 3;
    t.rows.push_back(row);
  }
}

// A function table with a call graph (pstats' callers): the calls between shown rows as edges,
// weighted by what the callee spent when called from the caller (its cumtime from there).
void table_edges(const Profile& p, const TopOptions& opts, TopTable& out) {
  if (p.table_calls.empty()) return;
  const Granularity by = opts.agg.by;
  auto key = [by](StrId name, StrId file, int64_t line) {
    return std::tuple<StrId, StrId, int64_t>(by == Granularity::kFile ? 0 : name, file,
                                             by == Granularity::kLine ? line : 0);
  };
  std::map<std::tuple<StrId, StrId, int64_t>, uint32_t> shown;
  for (uint32_t i = 0; i < out.table.rows.size(); ++i) {
    const FlatRow& r = out.table.rows[i];
    shown.emplace(key(by == Granularity::kFile ? 0 : r.name, r.file, r.line), i);
  }
  std::vector<int64_t> row_at(p.rows.size(), -1);
  for (size_t i = 0; i < p.rows.size(); ++i) {
    auto it = shown.find(key(p.rows[i].name, p.rows[i].file, p.rows[i].line));
    if (it != shown.end()) row_at[i] = it->second;
  }
  std::map<std::pair<uint32_t, uint32_t>, int64_t> weight;
  for (const TableCall& c : p.table_calls) {
    if (c.caller >= row_at.size() || c.callee >= row_at.size()) continue;
    const int64_t src = row_at[c.caller], dst = row_at[c.callee];
    if (src < 0 || dst < 0) continue;
    weight[{uint32_t(src), uint32_t(dst)}] += c.total_ns;
  }
  for (const auto& [ends, w] : weight) {
    GraphEdge e;
    e.src = ends.first;
    e.dst = ends.second;
    e.weight = w;
    e.inlined = false;
    out.edges.push_back(e);
  }
}

}  // namespace

TopTable compute_top(const Profile& p, const TopOptions& opts) {
  TopTable out;
  out.format = p.format;
  out.time_ns = p.meta.time_ns;
  out.duration_ns = p.meta.duration_ns;
  out.main_file = p.str(p.meta.main_file);
  out.build_id = p.str(p.meta.main_build_id);
  out.unit = opts.unit;
  out.mean = opts.mean;
  out.node_fraction = opts.node_fraction;
  out.active_filters = opts.active_filters;
  for (StrId c : p.meta.comments) out.comments.emplace_back(p.str(c));
  if (p.sample_count() == 0 && !p.rows.empty()) {  // a function table: every row, ranked
    out.table = aggregate(p, opts.agg);
    out.total_note = table_total_note(p, out.table);
    out.sample_type = out.table.type;
    sort_rows(p, out.table.rows, opts.sort);
    out.node_count = out.table.rows.size();
    if (opts.limit > 0 && out.table.rows.size() > opts.limit) out.table.rows.resize(opts.limit);
    if (opts.all_edges) table_edges(p, opts, out);
  } else {
    FlatTable& t = out.table;
    t.value_index = opts.agg.value_index >= 0 ? opts.agg.value_index : p.default_value_index();
    if (t.value_index >= 0) {
      const ValueType& vt = p.value_types[static_cast<size_t>(t.value_index)];
      t.type = p.str(vt.type);
      t.unit = p.str(vt.unit);
      t.scale = vt.scale;
      out.sample_type = (opts.mean ? "mean_" : "") + t.type;  // pprof: "mean_" even for an empty type
      t.total = pprof_total(p, t.value_index, opts.mean);
      ViewOptions vo;
      vo.value_index = t.value_index;
      vo.mean = opts.mean;
      vo.filter = opts.agg.filter;
      StackView view = build_view(p, vo);
      GraphOptions go;
      go.by = opts.agg.by;
      go.cum_sort = opts.sort == SortKey::kCum;
      go.node_fraction = opts.node_fraction;
      go.node_count = opts.limit;
      go.jobs = opts.agg.jobs;
      go.all_edges = opts.all_edges;
      go.edge_fraction = opts.edge_fraction;
      PprofGraph g = build_graph(p, view, go);
      out.edges = g.edges;
      for (const GraphNode& gn : g.ghosts) out.ghost_rows.push_back(flat_row(p, gn, opts.agg.by));
      rows_from_graph(p, g, opts.agg.by, t);
      out.node_count = g.orig_count;
      out.dropped_nodes = g.dropped_nodes;
    }
  }
  for (const FlatRow& r : out.table.rows)
    if (r.calls >= 0) out.has_calls = true;
  // Traces: calls = number of spans per name (function granularity).
  if (!p.spans.empty() && opts.agg.by == Granularity::kFunction) {
    std::unordered_map<StrId, int64_t> count;
    for (const Span& sp : p.spans)
      if (sp.kind == SpanKind::kComplete && !sp.summary) ++count[sp.name];
    for (FlatRow& r : out.table.rows) {
      auto it = count.find(r.name);
      r.calls = it == count.end() ? -1 : it->second;
      if (r.calls >= 0) out.has_calls = true;
    }
  }
  return out;
}

double value_in_unit(const FlatTable& t, int64_t stored) {
  if (t.scale == 1) return double(stored);
  return double(stored) / double(t.scale);
}

std::string pprof_sample_unit(const FlatTable& t) {
  if (t.scale == 1000000000 && units::dimension_of(t.unit) == units::Dimension::kTime &&
      units::pprof_scale(1, t.unit, "s").value == 1.0)
    return "nanoseconds";
  return t.unit;
}

PprofFormatter::PprofFormatter(const FlatTable& t, const std::string& unit)
    : sample_unit_(pprof_sample_unit(t)), scale_(t.scale) {
  if (sample_unit_ != t.unit) scale_ = 1;  // seconds stored as ns: the unit already says so
  if (!unit.empty()) {  // -unit: no choice to make
    output_unit_ = unit;
    return;
  }
  if (t.rows.empty()) {  // pprof leaves "minimum" when there is no node: each value its own unit
    output_unit_ = "minimum";
    return;
  }
  std::vector<int64_t> flats, cums;
  flats.reserve(t.rows.size());
  cums.reserve(t.rows.size());
  for (const FlatRow& r : t.rows) {
    flats.push_back(r.flat);
    cums.push_back(r.cum);
  }
  output_unit_ = units::pprof_output_unit(flats, cums, t.total, sample_unit_);
}

std::string PprofFormatter::operator()(int64_t stored) const {
  if (scale_ == 1) return units::pprof_label(stored, sample_unit_, output_unit_);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", double(stored) / double(scale_));
  std::string s = buf;
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ".00") == 0) s.resize(s.size() - 3);
  return s == "-0" ? "0" : s;
}

ValueLabels::ValueLabels(const TopTable& t, const FlatTable& shown)
    : pprof_(shown, t.unit),
      unit_(shown.unit),
      scale_(shown.scale),
      human_(t.format != "pprof" && t.unit.empty()) {}

std::string ValueLabels::operator()(int64_t stored) const {
  return human_ ? units::human_value(stored, unit_, scale_) : pprof_(stored);
}

std::string ValueLabels::percent(int64_t value, int64_t total) const {
  if (!human_) return units::pprof_percent(value, total);
  std::string s = units::human_share(double(value), double(total));
  return s.size() < 6 ? std::string(6 - s.size(), ' ') + s : s;
}

}  // namespace perfkit

namespace perfkit {

std::string row_display_name(const Profile& p, const FlatRow& r, Granularity by) {
  if (r.unsymbolized && r.address == 0) return std::string(p.str(r.name));
  NodeKey k;
  k.address = r.address;
  k.objfile = r.objfile;
  if (r.unsymbolized) return node_name(p, k);  // "0000000000401a2b [libc.so.6]"
  k.name = by == Granularity::kFile ? 0 : r.name;
  k.file = by == Granularity::kFunction ? 0 : r.file;
  k.line = by == Granularity::kLine || by == Granularity::kAddress ? r.line : 0;
  k.start_line = r.start_line;
  return node_name(p, k);
}

std::string_view inline_label(const FlatRow& r, Granularity) {
  return r.inlined ? "(inline)" : r.partial_inline ? "(partial-inline)" : "";
}

}  // namespace perfkit

// pprof's header lines (report.ProfileLabels and reportLabels), shared by top, tree, peek and
// traces.
#include "reports/pprof_header.h"

#include <cstdlib>

#include <fmt/format.h>

#include "lib/pprof_names.h"
#include "lib/units.h"
#include "reports/report_util.h"

namespace perfkit {
std::vector<std::string> pprof_profile_labels(const TopTable& t, const ValueLabels& fmt_value) {
  const FlatTable& ft = t.table;
  std::vector<std::string> lines;
  if (!t.main_file.empty()) lines.push_back("File: " + std::string(path_base(t.main_file)));
  if (!t.build_id.empty()) lines.push_back("Build ID: " + t.build_id);
  for (const auto& c : t.comments)
    if (c.empty() || c[0] != '#') lines.push_back(c);
  if (!t.sample_type.empty()) lines.push_back("Type: " + t.sample_type);
  if (!t.total_note.empty()) lines.push_back("Total: " + t.total_note);  // tables: which total
  if (t.format == "pprof" && t.time_ns != 0) lines.push_back("Time: " + pprof_time_label(t.time_ns));
  if (t.format == "pprof" && t.duration_ns != 0) {
    std::string ratio;
    std::string unit = pprof_sample_unit(ft);
    units::Scaled ns = units::pprof_scale(ft.total, unit, "nanoseconds");
    if (ns.unit == "ns" && ns.value != 0)
      ratio = "(" + units::pprof_percent(int64_t(ns.value), t.duration_ns) + ")";
    lines.push_back(fmt::format("Duration: {}, Total samples = {} {}",
                                units::pprof_label(t.duration_ns, "nanoseconds", "auto"),
                                fmt_value(ft.total), ratio));
  }
  return lines;
}

std::vector<std::string> pprof_filter_labels(const TopTable& t) {
  std::vector<std::string> lines;
  if (t.active_filters.empty()) return lines;
  lines.push_back("Active filters:");
  for (std::string f : t.active_filters) {
    if (f.size() > 80) f = f.substr(0, 80) + "\u2026";
    lines.push_back("   " + f);
  }
  return lines;
}

std::vector<std::string> pprof_report_labels(const TopTable& t, const ValueLabels& fmt_value) {
  const FlatTable& ft = t.table;
  std::vector<std::string> lines = pprof_profile_labels(t, fmt_value);
  for (auto& l : pprof_filter_labels(t)) lines.push_back(std::move(l));
  int64_t flat_sum = 0;
  for (const FlatRow& r : ft.rows) flat_sum += r.flat;
  std::string pct = fmt_value.percent(flat_sum, ft.total);
  pct.erase(0, pct.find_first_not_of(' '));
  lines.push_back(fmt::format("Showing nodes accounting for {}, {} of {} total", fmt_value(flat_sum),
                              pct, fmt_value(ft.total)));
  if (ft.total != 0) {
    if (t.dropped_nodes > 0)
      lines.push_back(fmt::format(
          "Dropped {} node{} (cum <= {})", t.dropped_nodes, t.dropped_nodes > 1 ? "s" : "",
          fmt_value(std::llabs(static_cast<int64_t>(double(ft.total) * t.node_fraction)))));
    if (!ft.rows.empty() && ft.rows.size() < t.node_count)
      lines.push_back(fmt::format("Showing top {} nodes out of {}", ft.rows.size(), t.node_count));
  }
  return lines;
}


}  // namespace perfkit

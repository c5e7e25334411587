// `perfkit top` as text: pprof's -top header and columns, plus ncall/tavg when calls are known.
#include <fmt/format.h>

#include "lib/units.h"
#include "reports/report_util.h"
#include "reports/top_report.h"

namespace perfkit {

namespace {

std::vector<std::string> header_lines(const TopTable& t, const PprofFormatter& fmt_value) {
  const FlatTable& ft = t.table;
  std::vector<std::string> lines;
  for (const auto& c : t.comments)
    if (!c.empty() && c[0] != '#') lines.push_back(c);
  lines.push_back("Type: " + ft.type);
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
  if (!t.active_filters.empty()) {
    lines.push_back("Active filters:");
    for (const auto& f : t.active_filters) lines.push_back("   " + f);
  }
  int64_t flat_sum = 0;
  for (const FlatRow& r : ft.rows) flat_sum += r.flat;
  std::string pct = units::pprof_percent(flat_sum, ft.total);
  pct.erase(0, pct.find_first_not_of(' '));
  lines.push_back(fmt::format("Showing nodes accounting for {}, {} of {} total", fmt_value(flat_sum),
                              pct, fmt_value(ft.total)));
  if (!ft.rows.empty() && ft.rows.size() < t.node_count)
    lines.push_back(fmt::format("Showing top {} nodes out of {}", ft.rows.size(), t.node_count));
  return lines;
}

}  // namespace

std::string render_top_text(const Profile& p, const TopTable& t, Granularity by) {
  const FlatTable& ft = t.table;
  PprofFormatter fv(ft);
  std::string out;
  for (const auto& l : header_lines(t, fv)) out += l + "\n";
  bool calls = t.has_calls;
  out += fmt::format("{:>10} {:>5}% {:>5}% {:>10} {:>5}%", "flat", "flat", "sum", "cum", "cum");
  if (calls) out += fmt::format(" {:>8} {:>10}", "ncall", "tavg");
  out += "\n";
  int64_t flat_sum = 0;
  for (const FlatRow& r : ft.rows) {
    flat_sum += r.flat;
    out += fmt::format("{:>10} {} {} {:>10} {}", fv(r.flat), units::pprof_percent(r.flat, ft.total),
                       units::pprof_percent(flat_sum, ft.total), fv(r.cum),
                       units::pprof_percent(r.cum, ft.total));
    if (calls) {
      std::string ncall = r.calls < 0 ? "?" : std::to_string(r.calls);
      if (r.primitive_calls >= 0 && r.primitive_calls != r.calls)
        ncall += "/" + std::to_string(r.primitive_calls);
      std::string tavg = r.calls > 0 ? units::human_value(r.cum / r.calls, ft.unit, ft.scale) : "-";
      out += fmt::format(" {:>8} {:>10}", ncall, tavg);
    }
    out += "  " + row_display_name(p, r, by);
    if (auto inl = inline_label(r, by); !inl.empty()) out += " " + std::string(inl);
    out += "\n";
  }
  return out;
}

}  // namespace perfkit

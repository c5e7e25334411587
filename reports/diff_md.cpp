// `perfkit diff --format md`: a Markdown table for a PR comment or a notebook.
#include <fmt/format.h>

#include "reports/diff_format.h"
#include "reports/diff_report.h"

namespace perfkit {

std::string render_diff_md(const DiffTable& d, const DiffReportInfo& info) {
  auto v = [&](int64_t x) { return report::value(x, d.unit, d.scale); };
  auto dv = [&](int64_t x) { return report::delta(x, d.unit, d.scale); };
  std::string out;
  out += fmt::format("**{}**: {} -> {} ({}, {}){}\n\n", report::md_cell(d.type), v(d.base_total),
                     v(d.new_total), dv(d.new_total - d.base_total),
                     report::percent(percent_change(d.base_total, d.new_total)),
                     d.normalized ? "; " + report::normalize_note(d) : "");
  out += fmt::format("Base `{}`, new `{}`; {} of {} rows, sorted by {}.\n\n",
                     report::md_cell(info.base_label), report::md_cell(info.new_label),
                     d.rows.size(), info.total_rows, info.sort_label);
  auto calls = [](int64_t c) { return c < 0 ? std::string("?") : std::to_string(c); };
  auto avg = [&](int64_t a) { return a < 0 ? std::string("-") : v(a); };
  out += fmt::format("| {} | status | base cum | new cum | cum delta | cum% | base flat | new flat "
                     "| flat delta |{}\n",
                     info.by == Granularity::kFile ? "file" : "function",
                     d.has_calls ? " base ncall | new ncall | base tavg | new tavg |" : "");
  out += std::string("|---|---|--:|--:|--:|--:|--:|--:|--:|") + (d.has_calls ? "--:|--:|--:|--:|" : "") + "\n";
  for (const DiffRow& r : d.rows) {
    std::string name = report::md_cell(r.name, true);
    if (info.by == Granularity::kLine) name += fmt::format(" {}:{}", report::md_cell(r.file), r.line);
    if (r.status == DiffStatus::kRenamed)
      name += " (renamed from " + report::md_cell(r.base_name, true) + ")";
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |", name,
                       status_name(r.status), v(r.base_cum), v(r.new_cum), dv(r.delta_cum()),
                       report::percent(percent_change(r.base_cum, r.new_cum)), v(r.base_flat),
                       v(r.new_flat), dv(r.delta_flat()));
    if (d.has_calls)
      out += fmt::format(" {} | {} | {} | {} |", calls(r.base_calls), calls(r.new_calls),
                         avg(r.base_avg()), avg(r.new_avg()));
    out += '\n';
  }
  if (!d.spans.empty()) {
    out += "\n| span | count | p50 | p95 | p99 |\n|---|--:|--:|--:|--:|\n";
    for (const SpanDiffRow& s : d.spans) {
      auto cell = [&](int pct) {
        if (!s.base.count || !s.new_.count)
          return std::string(s.base.count ? "removed" : "added");
        int64_t b = s.base.percentile_ns(pct), n = s.new_.percentile_ns(pct);
        return fmt::format("{} -> {} ({})", report::value(b, "nanoseconds", 1),
                           report::value(n, "nanoseconds", 1),
                           report::percent(percent_change(b, n)));
      };
      out += fmt::format("| {} | {} -> {} | {} | {} | {} |\n", report::md_cell(s.name, true),
                         s.base.count, s.new_.count, cell(50), cell(95), cell(99));
    }
  }
  return out;
}

}  // namespace perfkit

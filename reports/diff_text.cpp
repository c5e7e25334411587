// `perfkit diff` as a text table: largest changes first, name last (like pprof -top).
#include <fmt/format.h>

#include "reports/diff_format.h"
#include "reports/diff_report.h"

namespace perfkit {

namespace {

std::string row_label(const DiffRow& r, Granularity by) {
  std::string s = r.name;
  if (by == Granularity::kLine) s += fmt::format(" {}:{}", r.file, r.line);
  if (r.status == DiffStatus::kRenamed) s += fmt::format(" (renamed from {})", r.base_name);
  return s;
}

std::string counts_line(const DiffTable& d, const DiffReportInfo& info) {
  int64_t n[5] = {0, 0, 0, 0, 0};
  for (const DiffRow& r : d.rows) ++n[static_cast<int>(r.status)];
  const char* what = info.by == Granularity::kFile ? "files"
                     : info.by == Granularity::kLine ? "lines" : "functions";
  return fmt::format("{} {} shown of {}, sorted by {} ({} changed, {} unchanged, {} added, {} "
                     "removed, {} renamed among those shown)",
                     d.rows.size(), what, info.total_rows, info.sort_label, n[0], n[1], n[2], n[3],
                     n[4]);
}

void render_spans(const DiffTable& d, std::string& out) {
  if (d.spans.empty()) return;
  out += "\nSpans: duration percentiles (nearest rank), base -> new\n";
  out += fmt::format("{:>13} {:>21} {:>8} {:>21} {:>8} {:>21} {:>8}  {}\n", "count", "p50", "",
                     "p95", "", "p99", "", "span");
  auto cell = [](const SpanPercentiles& b, const SpanPercentiles& n, int pct) {
    std::string bs = b.count ? report::value(b.percentile_ns(pct), "nanoseconds", 1) : "-";
    std::string ns = n.count ? report::value(n.percentile_ns(pct), "nanoseconds", 1) : "-";
    std::string dp = b.count && n.count
                         ? report::percent(percent_change(static_cast<double>(b.percentile_ns(pct)),
                                                          static_cast<double>(n.percentile_ns(pct))))
                         : "";
    return fmt::format("{:>21} {:>8}", bs + " -> " + ns, dp);
  };
  for (const SpanDiffRow& s : d.spans) {
    out += fmt::format("{:>13} {} {} {}  {}\n", fmt::format("{}->{}", s.base.count, s.new_.count),
                       cell(s.base, s.new_, 50), cell(s.base, s.new_, 95), cell(s.base, s.new_, 99),
                       s.name);
  }
}

}  // namespace

std::string render_diff_text(const DiffTable& d, const DiffReportInfo& info) {
  auto v = [&](int64_t x) { return report::value(x, d.unit, d.scale); };
  auto dv = [&](int64_t x) { return report::delta(x, d.unit, d.scale); };
  std::string out;
  out += fmt::format("Type: {}\n", d.type);
  auto from = [](const std::string& f) { return f.empty() ? f : ", " + f; };
  if (!d.normalized) {
    out += fmt::format("Base: {} (total {}{})\n", info.base_label, v(d.base_total),
                       from(d.base_total_from));
    out += fmt::format("New:  {} (total {}{}, {} {})\n", info.new_label, v(d.new_total),
                       from(d.new_total_from), dv(d.new_total - d.base_total),
                       report::percent(percent_change(d.base_total, d.new_total)));
  } else {
    // The totals as read, and which side was scaled to the other's total before comparing.
    const std::string note = report::normalize_note(d);
    out += fmt::format("Base: {} (total {}{}{})\n", info.base_label, v(d.base_total_raw),
                       from(d.base_total_from), d.normalized_to_base ? "" : "; " + note);
    out += fmt::format("New:  {} (total {}{}, {} {}{})\n", info.new_label, v(d.new_total_raw),
                       from(d.new_total_from), dv(d.new_total_raw - d.base_total_raw),
                       report::percent(percent_change(d.base_total_raw, d.new_total_raw)),
                       d.normalized_to_base ? "; " + note : "");
  }
  out += counts_line(d, info) + "\n";
  // Inputs that know calls (tables, traces) add ncall and the average per call (cum / ncall):
  // a cache shows as fewer calls at the same average, a slower function as a larger average.
  auto calls = [](int64_t c) { return c < 0 ? std::string("?") : std::to_string(c); };
  auto avg = [&](int64_t a) { return a < 0 ? std::string("-") : v(a); };
  out += fmt::format("{:>10} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}", "cum delta", "cum%",
                     "base cum", "new cum", "flat delta", "base flat", "new flat");
  if (d.has_calls)
    out += fmt::format(" {:>10} {:>10} {:>9} {:>9}", "base ncall", "new ncall", "base tavg",
                       "new tavg");
  out += fmt::format("  {:<9}  {}\n", "status", info.by == Granularity::kFile ? "file" : "function");
  for (const DiffRow& r : d.rows) {
    out += fmt::format("{:>10} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}", dv(r.delta_cum()),
                       report::percent(percent_change(r.base_cum, r.new_cum)), v(r.base_cum),
                       v(r.new_cum), dv(r.delta_flat()), v(r.base_flat), v(r.new_flat));
    if (d.has_calls)
      out += fmt::format(" {:>10} {:>10} {:>9} {:>9}", calls(r.base_calls), calls(r.new_calls),
                         avg(r.base_avg()), avg(r.new_avg()));
    out += fmt::format("  {:<9}  {}\n", status_name(r.status), row_label(r, info.by));
  }
  render_spans(d, out);
  return out;
}

}  // namespace perfkit

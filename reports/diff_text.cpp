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

void render_spans(const DiffTable& d, std::string& out, const terminal::TextStyle& style) {
  if (d.spans.empty()) return;
  out += "\nSpans: duration percentiles (nearest rank), base -> new\n";
  // Narrowed: p95 goes first, then p99, then the count.
  terminal::TextTable table({{"", 13, false, 30},
                             {" ", 21, false, 90},
                             {" ", 8, false, 85},
                             {" ", 21, false, 20},
                             {" ", 8, false, 15},
                             {" ", 21, false, 60},
                             {" ", 8, false, 55},
                             {"  ", 0, true, 0, true}});
  table.add_row({"count", "p50", "", "p95", "", "p99", "", "span"});
  for (const SpanDiffRow& s : d.spans) {
    std::vector<std::string> row = {fmt::format("{}->{}", s.base.count, s.new_.count)};
    for (int pct : {50, 95, 99}) {
      const SpanPercentiles& b = s.base;
      const SpanPercentiles& n = s.new_;
      std::string bs = b.count ? report::value(b.percentile_ns(pct), "nanoseconds", 1) : "-";
      std::string ns = n.count ? report::value(n.percentile_ns(pct), "nanoseconds", 1) : "-";
      std::string dp =
          b.count && n.count
              ? report::percent(percent_change(static_cast<double>(b.percentile_ns(pct)),
                                               static_cast<double>(n.percentile_ns(pct))))
              : "";
      row.push_back(bs + " -> " + ns);
      row.push_back(terminal::paint_delta(dp, style.color));
    }
    row.push_back(s.name);
    table.add_row(std::move(row));
  }
  table.render(out, style.width);
}

}  // namespace

std::string render_diff_text(const DiffTable& d, const DiffReportInfo& info,
                             const terminal::TextStyle& style) {
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
  // Narrowed (a terminal): the base and new values go before the deltas, base before new.
  auto calls = [](int64_t c) { return c < 0 ? std::string("?") : std::to_string(c); };
  auto avg = [&](int64_t a) { return a < 0 ? std::string("-") : v(a); };
  std::vector<terminal::TableColumn> cols = {{"", 10, false, 100}, {" ", 8, false, 90},
                                             {" ", 10, false, 30}, {" ", 10, false, 40},
                                             {" ", 10, false, 80}, {" ", 10, false, 10},
                                             {" ", 10, false, 20}};
  if (d.has_calls)
    cols.insert(cols.end(), {{" ", 10, false, 35}, {" ", 10, false, 45}, {" ", 9, false, 15},
                             {" ", 9, false, 25}});
  cols.push_back({"  ", 9, true, 50});
  cols.push_back({"  ", 0, true, 0, true});
  terminal::TextTable table(std::move(cols));
  std::vector<std::string> header = {"cum delta", "cum%",      "base cum", "new cum",
                                     "flat delta", "base flat", "new flat"};
  if (d.has_calls) header.insert(header.end(), {"base ncall", "new ncall", "base tavg", "new tavg"});
  header.push_back("status");
  header.push_back(info.by == Granularity::kFile ? "file" : "function");
  table.add_row(std::move(header));
  const bool c = style.color;
  for (const DiffRow& r : d.rows) {
    std::vector<std::string> row = {
        terminal::paint_delta(dv(r.delta_cum()), c),
        terminal::paint_delta(report::percent(percent_change(r.base_cum, r.new_cum)), c),
        v(r.base_cum), v(r.new_cum), terminal::paint_delta(dv(r.delta_flat()), c),
        v(r.base_flat), v(r.new_flat)};
    if (d.has_calls)
      row.insert(row.end(), {calls(r.base_calls), calls(r.new_calls), avg(r.base_avg()),
                             avg(r.new_avg())});
    row.push_back(std::string(status_name(r.status)));
    row.push_back(row_label(r, info.by));
    table.add_row(std::move(row));
  }
  table.render(out, style.width);
  render_spans(d, out, style);
  return out;
}

}  // namespace perfkit

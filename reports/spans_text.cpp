// `perfkit spans` as text and Markdown: readable units, the group name last.
#include <fmt/format.h>

#include "lib/units.h"
#include "reports/report_util.h"
#include "reports/spans_report.h"

namespace perfkit {

const SpanColumn kSpanTimeColumns[9] = {
    {"total", &SpanStat::total_ns}, {"self", &SpanStat::self_ns}, {"mean", &SpanStat::mean_ns},
    {"min", &SpanStat::min_ns},     {"p50", &SpanStat::p50_ns},   {"p90", &SpanStat::p90_ns},
    {"p95", &SpanStat::p95_ns},     {"p99", &SpanStat::p99_ns},   {"max", &SpanStat::max_ns}};

namespace {

std::string summary_line(const SpanStats& s) {
  std::string out = fmt::format("{} spans in {} groups over {} of wall time", s.spans,
                                s.group_count, units::human_duration_ns(s.wall_ns));
  if (s.rows.size() < s.group_count) out += fmt::format(", showing {}", s.rows.size());
  std::vector<std::string> skipped;
  if (s.summary_skipped) skipped.push_back(fmt::format("{} summary events", s.summary_skipped));
  if (s.instant_skipped) skipped.push_back(fmt::format("{} instant events", s.instant_skipped));
  if (s.unclosed_skipped) skipped.push_back(fmt::format("{} spans never closed", s.unclosed_skipped));
  for (size_t i = 0; i < skipped.size(); ++i) out += (i == 0 ? "; not counted: " : ", ") + skipped[i];
  return out;
}

std::string display_name(const SpanStat& r) { return r.async ? r.key + " (async)" : r.key; }

}  // namespace

std::string render_spans_text(const SpanStats& s, const terminal::TextStyle& style) {
  std::string out = summary_line(s) + "\n";
  // Narrowed (a terminal): min goes first, then p90, p95, max, mean, p99, p50.
  static constexpr int kKeep[9] = {95, 85, 50, 20, 70, 30, 40, 45, 60};
  std::vector<terminal::TableColumn> cols = {{"", 8, false, 90}};
  for (int keep : kKeep) cols.push_back({" ", 8, false, keep});
  cols.push_back({"  ", 0, true, 0, true});
  terminal::TextTable table(std::move(cols));
  std::vector<std::string> header = {"count"};
  for (const auto& c : kSpanTimeColumns) header.push_back(c.name);
  header.push_back("name");
  table.add_row(std::move(header));
  for (const SpanStat& r : s.rows) {
    std::vector<std::string> row = {std::to_string(r.count)};
    for (const auto& c : kSpanTimeColumns) row.push_back(units::human_duration_ns(r.*c.field));
    row.push_back(display_name(r));
    table.add_row(std::move(row));
  }
  table.render(out, style.width);
  return out;
}

std::string render_spans_md(const SpanStats& s) {
  std::string out = summary_line(s) + "\n\n| name | count |";
  std::string rule = "|:--|--:|";
  for (const auto& c : kSpanTimeColumns) {
    out += fmt::format(" {} |", c.name);
    rule += "--:|";
  }
  out += "\n" + rule + "\n";
  for (const SpanStat& r : s.rows) {
    out += "| " + md_code(r.key) + (r.async ? " (async)" : "") + fmt::format(" | {} |", r.count);
    for (const auto& c : kSpanTimeColumns)
      out += " " + units::human_duration_ns(r.*c.field) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace perfkit

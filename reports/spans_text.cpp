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

std::string render_spans_text(const SpanStats& s) {
  std::string out = summary_line(s) + "\n";
  out += fmt::format("{:>8}", "count");
  for (const auto& c : kSpanTimeColumns) out += fmt::format(" {:>8}", c.name);
  out += "  name\n";
  for (const SpanStat& r : s.rows) {
    out += fmt::format("{:>8}", r.count);
    for (const auto& c : kSpanTimeColumns)
      out += fmt::format(" {:>8}", units::human_duration_ns(r.*c.field));
    out += "  " + display_name(r) + "\n";
  }
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

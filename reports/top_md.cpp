// `perfkit top --format md`: a Markdown table with readable units (for a PR comment).
#include <fmt/format.h>

#include "lib/units.h"
#include "reports/report_util.h"
#include "reports/top_report.h"

namespace perfkit {

std::string render_top_md(const Profile& p, const TopTable& t, Granularity by) {
  const FlatTable& ft = t.table;
  auto fv = [&](int64_t v) { return units::human_value(v, ft.unit, ft.scale); };
  std::string out = fmt::format("**{}** ({}), total **{}**", md_cell(ft.type), md_cell(ft.unit),
                                fv(ft.total));
  if (ft.rows.size() < t.node_count)
    out += fmt::format(", top {} of {}", ft.rows.size(), t.node_count);
  if (!t.total_note.empty()) out += "\n\nTotal: " + md_cell(t.total_note);
  out += "\n\n| # | flat | flat% | sum% | cum | cum% |";
  if (t.has_calls) out += " calls | avg |";
  out += " name |\n|--:|--:|--:|--:|--:|--:|";
  if (t.has_calls) out += "--:|--:|";
  out += ":--|\n";
  int64_t sum = 0;
  auto pct = [&](int64_t v) { return units::human_share(double(v), double(ft.total)); };
  size_t i = 0;
  for (const FlatRow& r : ft.rows) {
    sum += r.flat;
    out += fmt::format("| {} | {} | {} | {} | {} | {} |", ++i, fv(r.flat), pct(r.flat), pct(sum),
                       fv(r.cum), pct(r.cum));
    if (t.has_calls)
      out += fmt::format(" {} | {} |", r.calls >= 0 ? std::to_string(r.calls) : "?",
                         r.calls > 0 ? fv(r.cum / r.calls) : "-");
    std::string name = md_code(row_display_name(p, r, by));
    if (auto inl = inline_label(r, by); !inl.empty()) name += " " + std::string(inl);
    out += " " + name + " |\n";
  }
  return out;
}

}  // namespace perfkit

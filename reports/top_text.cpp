// `perfkit top` as text: pprof's -top header and columns, plus ncall/tavg when calls are known.
// pprof's value labels for pprof input, perfkit's human units for the others (ValueLabels).
#include <algorithm>

#include <fmt/format.h>

#include "lib/units.h"
#include "reports/report_util.h"
#include "reports/pprof_header.h"
#include "reports/top_report.h"

namespace perfkit {

std::string render_top_text(const Profile& p, const TopTable& t, Granularity by,
                            const terminal::TextStyle& style) {
  const FlatTable& ft = t.table;
  ValueLabels fv(t, ft);
  std::string out;
  for (const auto& l : pprof_report_labels(t, fv)) out += l + "\n";
  const bool calls = t.has_calls;
  // pprof's columns; on a narrow terminal sum% goes first, then tavg, cum%, ncall, flat%.
  std::vector<terminal::TableColumn> cols = {
      {"", 10, false, 90}, {" ", 6, false, 40}, {" ", 6, false, 10},
      {" ", 10, false, 80}, {" ", 6, false, 30}};
  if (calls) {
    cols.push_back({" ", 8, false, 25});
    cols.push_back({" ", 10, false, 20});
  }
  cols.push_back({"  ", 0, true, 0, true});
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"flat", "flat%", "sum%", "cum", "cum%"};
  if (calls) header.insert(header.end(), {"ncall", "tavg"});
  rows.push_back(std::move(header));
  int64_t flat_sum = 0;
  for (const FlatRow& r : ft.rows) {
    flat_sum += r.flat;
    std::vector<std::string> row = {fv(r.flat), fv.percent(r.flat, ft.total),
                                    fv.percent(flat_sum, ft.total), fv(r.cum),
                                    fv.percent(r.cum, ft.total)};
    if (calls) {
      std::string ncall = r.calls < 0 ? "?" : std::to_string(r.calls);
      if (r.primitive_calls >= 0 && r.primitive_calls != r.calls)
        ncall += "/" + std::to_string(r.primitive_calls);
      row.push_back(std::move(ncall));
      row.push_back(r.calls > 0 ? units::human_value(r.cum / r.calls, ft.unit, ft.scale) : "-");
    }
    std::string name = row_display_name(p, r, by);
    if (auto inl = inline_label(r, by); !inl.empty()) name += " " + std::string(inl);
    row.push_back(std::move(name));
    rows.push_back(std::move(row));
  }
  // pprof's widths are fixed; human cells ("0.0456%") may be wider: the column takes the widest.
  if (fv.human())
    for (const auto& row : rows)
      for (size_t c = 0; c + 1 < row.size() && c + 1 < cols.size(); ++c)
        cols[c].width = std::max(cols[c].width, row[c].size());
  terminal::TextTable table(std::move(cols));
  for (auto& row : rows) table.add_row(std::move(row));
  table.render(out, style.width);
  return out;
}

}  // namespace perfkit

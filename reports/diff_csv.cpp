// `perfkit diff --format csv`: one row per function, numbers as in JSON (stored units when the
// scale is 1, else in the unit: seconds for tables) but written shortest (10, not 10.0). Names
// go through csv_field: quoted, and a leading = + - @ made inert for spreadsheets.
#include <cmath>

#include <fmt/format.h>

#include "reports/diff_format.h"
#include "reports/diff_report.h"
#include "reports/report_util.h"

namespace perfkit {

std::string render_diff_csv(const DiffTable& d, const DiffReportInfo& info) {
  (void)info;
  auto num = [&](int64_t x) {
    if (d.scale == 1) return std::to_string(x);
    return fmt::format("{}", static_cast<double>(x) / static_cast<double>(d.scale));
  };
  std::string out =
      "name,file,line,base_flat,new_flat,base_cum,new_cum,delta_flat,delta_cum,delta_cum_pct,"
      "status,base_name\n";
  for (const DiffRow& r : d.rows) {
    double pct = percent_change(r.base_cum, r.new_cum);
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.name),
                       csv_field(r.file), r.line, num(r.base_flat), num(r.new_flat),
                       num(r.base_cum), num(r.new_cum), num(r.delta_flat()), num(r.delta_cum()),
                       std::isinf(pct) ? std::string("inf") : fmt::format("{:.2f}", pct),
                       status_name(r.status), csv_field(r.base_name));
  }
  return out;
}

}  // namespace perfkit

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
  // Inputs that know calls add base/new calls and average per call (empty where unknown).
  auto opt = [&](int64_t c, bool is_avg) {
    return c < 0 ? std::string() : is_avg ? num(c) : std::to_string(c);
  };
  std::string out =
      "name,file,line,base_flat,new_flat,base_cum,new_cum,delta_flat,delta_cum,delta_cum_pct,"
      "status,base_name";
  out += d.has_calls ? ",base_calls,new_calls,base_avg,new_avg\n" : "\n";
  for (const DiffRow& r : d.rows) {
    double pct = percent_change(r.base_cum, r.new_cum);
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}", csv_field(r.name),
                       csv_field(r.file), r.line, num(r.base_flat), num(r.new_flat),
                       num(r.base_cum), num(r.new_cum), num(r.delta_flat()), num(r.delta_cum()),
                       std::isinf(pct) ? std::string("inf") : fmt::format("{:.2f}", pct),
                       status_name(r.status), csv_field(r.base_name));
    if (d.has_calls)
      out += fmt::format(",{},{},{},{}", opt(r.base_calls, false), opt(r.new_calls, false),
                         opt(r.base_avg(), true), opt(r.new_avg(), true));
    out += '\n';
  }
  return out;
}

}  // namespace perfkit

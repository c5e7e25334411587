// `perfkit top --format csv`: one header row, values in the value type's unit.
#include <cmath>

#include "lib/units.h"
#include "reports/report_util.h"
#include "reports/top_report.h"

namespace perfkit {

std::string render_top_csv(const Profile& p, const TopTable& t, Granularity by) {
  const FlatTable& ft = t.table;
  std::string out = "name,file,line,flat,flat_pct,sum_pct,cum,cum_pct,calls,unit\n";
  auto pct = [&](int64_t v) {
    return csv_number(ft.total == 0 ? 0.0 : std::round(double(v) / double(ft.total) * 1e6) / 1e4);
  };
  int64_t sum = 0;
  for (const FlatRow& r : ft.rows) {
    sum += r.flat;
    out += csv_field(row_display_name(p, r, by)) + "," + csv_field(p.str(r.file)) + "," +
           std::to_string(r.line) + "," + csv_number(value_in_unit(ft, r.flat)) + "," +
           pct(r.flat) + "," + pct(sum) + "," + csv_number(value_in_unit(ft, r.cum)) + "," +
           pct(r.cum) + "," + (r.calls >= 0 ? std::to_string(r.calls) : "") + "," +
           csv_field(ft.unit) + "\n";
  }
  return out;
}

}  // namespace perfkit

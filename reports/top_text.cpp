// `perfkit top` as text: pprof's -top header and columns, plus ncall/tavg when calls are known.
#include <fmt/format.h>

#include "lib/units.h"
#include "reports/report_util.h"
#include "reports/pprof_header.h"
#include "reports/top_report.h"

namespace perfkit {

namespace {

}  // namespace

std::string render_top_text(const Profile& p, const TopTable& t, Granularity by) {
  const FlatTable& ft = t.table;
  PprofFormatter fv(ft, t.unit);
  std::string out;
  for (const auto& l : pprof_report_labels(t, fv)) out += l + "\n";
  bool calls = t.has_calls;
  out += fmt::format("{:>10} {:>5}% {:>5}% {:>10} {:>5}%", "flat", "flat", "sum", "cum", "cum");
  if (calls) out += fmt::format(" {:>8} {:>10}", "ncall", "tavg");
  out += "\n";
  int64_t flat_sum = 0;
  for (const FlatRow& r : ft.rows) {
    flat_sum += r.flat;
    out += fmt::format("{:>10} {} {} {:>10} {}", fv(r.flat), units::pprof_percent(r.flat, ft.total),
                       units::pprof_percent(flat_sum, ft.total), fv(r.cum),
                       units::pprof_percent(r.cum, ft.total));
    if (calls) {
      std::string ncall = r.calls < 0 ? "?" : std::to_string(r.calls);
      if (r.primitive_calls >= 0 && r.primitive_calls != r.calls)
        ncall += "/" + std::to_string(r.primitive_calls);
      std::string tavg = r.calls > 0 ? units::human_value(r.cum / r.calls, ft.unit, ft.scale) : "-";
      out += fmt::format(" {:>8} {:>10}", ncall, tavg);
    }
    out += "  " + row_display_name(p, r, by);
    if (auto inl = inline_label(r, by); !inl.empty()) out += " " + std::string(inl);
    out += "\n";
  }
  return out;
}

}  // namespace perfkit

#include "lib/table_total.h"

#include <fmt/format.h>

#include "lib/units.h"

namespace perfkit {

std::string table_total_source(const Profile& p, const FlatTable& t) {
  if (!t.total_is_row) return "";
  return fmt::format("the ttot of {}", p.str(t.total_row));
}

std::string table_total_note(const Profile& p, const FlatTable& t) {
  if (!t.total_is_row) return "";
  auto val = [&](int64_t v) { return units::human_value(v, t.unit, t.scale); };
  double share = t.total == 0 ? 0 : 100.0 * double(t.self_total) / double(t.total);
  return fmt::format(
      "{} is {}, the largest inclusive time; the self times of the {} rows add up to {} ({}), the "
      "rest is in functions the table does not list",
      val(t.total), table_total_source(p, t), p.rows.size(), val(t.self_total),
      units::human_percent(share));
}

}  // namespace perfkit

// `perfkit top --format json`.
#include <fmt/format.h>

#include "reports/report_util.h"
#include "reports/top_report.h"

namespace perfkit {

namespace {

nlohmann::ordered_json number(const FlatTable& t, int64_t stored) {
  if (t.scale == 1) return stored;
  return value_in_unit(t, stored);
}

}  // namespace

std::string render_top_json(const Profile& p, const TopTable& t, Granularity by) {
  const FlatTable& ft = t.table;
  nlohmann::ordered_json j;
  j["value_type"] = {{"type", ft.type}, {"unit", ft.unit}};
  j["total"] = number(ft, ft.total);
  if (p.sample_count() == 0 && !p.rows.empty()) {  // tables: which total (lib/table_total.h)
    j["self_total"] = number(ft, ft.self_total);
    j["total_from"] = ft.total_is_row ? nlohmann::ordered_json(std::string(p.str(ft.total_row)))
                                      : nlohmann::ordered_json("self");
  }
  auto rows = nlohmann::ordered_json::array();
  for (const FlatRow& r : ft.rows) {
    nlohmann::ordered_json row;
    row["name"] = row_display_name(p, r, by);
    row["file"] = std::string(p.str(r.file));
    row["line"] = r.line;
    if (by == Granularity::kAddress) row["address"] = fmt::format("0x{:x}", r.address);
    row["flat"] = number(ft, r.flat);
    row["cum"] = number(ft, r.cum);
    row["calls"] = r.calls >= 0 ? nlohmann::ordered_json(r.calls) : nlohmann::ordered_json();
    if (auto inl = inline_label(r, by); !inl.empty()) row["inline"] = inl;
    rows.push_back(std::move(row));
  }
  j["rows"] = std::move(rows);
  return dump_json(j);
}

}  // namespace perfkit

#include "reports/diff_format.h"

#include <cmath>

#include <fmt/format.h>

#include "lib/units.h"
#include "reports/escape.h"

namespace perfkit::report {

std::string value(int64_t stored, std::string_view unit, int64_t scale) {
  return units::human_value(stored, unit, scale);
}

std::string delta(int64_t stored, std::string_view unit, int64_t scale) {
  std::string v = units::human_value(stored, unit, scale);
  return stored > 0 ? "+" + v : v;
}

std::string normalize_note(const DiffTable& d) {
  const char* to = d.normalized_to_base ? "the base total" : "the new total";
  if (d.base_runs == 1 && d.new_runs == 1)
    return fmt::format("scaled by {:.4g} to {} before comparing", d.normalize_factor, to);
  return fmt::format("every run scaled to {} (median) before comparing", to);
}

std::string percent(double pct) {
  if (std::isinf(pct)) return pct > 0 ? "new" : "-inf";
  if (std::isnan(pct)) return "n/a";
  return (pct > 0 ? "+" : "") + units::human_percent(pct);
}

nlohmann::ordered_json json_number(int64_t stored, std::string_view unit, int64_t scale) {
  (void)unit;
  if (scale == 1) return stored;
  return static_cast<double>(stored) / static_cast<double>(scale);
}

nlohmann::ordered_json value_type(std::string_view type, std::string_view unit) {
  return {{"type", std::string(type)}, {"unit", std::string(unit)}};
}

std::string md_cell(std::string_view raw, bool code) {
  std::string out;
  for (char c : valid_utf8(raw)) {
    if (c == '|') out += "\\|";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += ' ';
    else if (c == '`' && code) out += '\'';
    else out += c;
  }
  return code ? "`" + out + "`" : out;
}

}  // namespace perfkit::report

// Helpers shared by the diff and gate reports: values in the profile's unit, signed deltas and
// percentages, JSON numbers in stored units, escaping for Markdown and CSV.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lib/diff.h"

namespace perfkit::report {

// A value of the compared type, human-readable: 4.78s, 1.5MiB, 1234.
std::string value(int64_t stored, std::string_view unit, int64_t scale);
// The same with an explicit sign for positive values: +380ms, -1.17s, 0.
std::string delta(int64_t stored, std::string_view unit, int64_t scale);
// Signed percent change in units::human_percent's style: +4.68%, -97.3%, +156%; "new" for
// growth from zero; "0%".
std::string percent(double pct);
// With --normalize: which side was scaled to the other's total, and by how much (single runs):
// "scaled by 0.812 to the base total before comparing".
std::string normalize_note(const DiffTable& d);
// JSON numbers, as `perfkit top` writes them: integers in stored units when scale is 1, else the
// value in the unit (tables: seconds as a decimal).
nlohmann::ordered_json json_number(int64_t stored, std::string_view unit, int64_t scale);
// {"type": ..., "unit": ...}: what json_number's numbers measure.
nlohmann::ordered_json value_type(std::string_view type, std::string_view unit);
// Markdown table cell: | escaped, control characters as spaces, invalid UTF-8 as U+FFFD, wrapped
// in backticks when code is true.
std::string md_cell(std::string_view s, bool code = false);

}  // namespace perfkit::report

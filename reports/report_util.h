// Small helpers shared by the top/spans/report renderers: cell escaping for CSV and Markdown,
// JSON dumping that survives invalid UTF-8, pprof's time label.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace perfkit {

// RFC 4180 field: quoted when it holds , " CR LF; a leading = + - @ tab CR (a spreadsheet
// formula) is quoted and prefixed with ' so a spreadsheet shows it as text; invalid UTF-8 becomes
// U+FFFD. Every CSV writer uses it.
std::string csv_field(std::string_view s);
// Markdown table cell: | and backslash escaped, control characters as spaces, < > & as entities,
// ` escaped, invalid UTF-8 as U+FFFD.
std::string md_cell(std::string_view s);
// A name as a Markdown code span (`name`, with | escaped); md_cell when it holds a backtick.
std::string md_code(std::string_view s);
// Pretty JSON (2 spaces) with invalid UTF-8 replaced, ending in a newline.
std::string dump_json(const nlohmann::ordered_json& j);
// pprof's "Jan 2, 2006 at 3:04pm (MST)" in UTC.
std::string pprof_time_label(int64_t time_ns);
// A number for CSV: integers as integers, others with up to 9 significant digits.
std::string csv_number(double v);

}  // namespace perfkit

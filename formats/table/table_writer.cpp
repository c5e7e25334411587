#include "formats/table/table_writer.h"

#include <algorithm>

#include <fmt/format.h>

#include "lib/aggregate.h"
#include "lib/units.h"
#include "reports/escape.h"

namespace perfkit {

namespace {

// A stored value in seconds (time units) or in its own unit, with 6 decimals, rounded half
// away from zero without going through a double.
std::string six_decimals(int64_t stored, int64_t per_unit) {
  bool neg = stored < 0;
  __int128 v = neg ? -static_cast<__int128>(stored) : stored;
  __int128 micro = (v * 1000000 + per_unit / 2) / per_unit;
  return fmt::format("{}{}.{:06}", neg ? "-" : "", static_cast<int64_t>(micro / 1000000),
                     static_cast<int64_t>(micro % 1000000));
}

std::string row_name(const Profile& p, const FlatRow& r, bool table_input, int64_t line) {
  std::string name = sanitize_utf8(p.str(r.name));
  if (name.empty()) name = "[unknown]";
  std::string_view file = p.str(r.file);
  if (file.empty()) return name;
  if (table_input) return fmt::format("{}:{} {}", sanitize_utf8(file), line, name);
  return name;
}

}  // namespace

std::string write_table(const Profile& p, int value_index, std::string* note) {
  bool table_input = p.samples().empty() && !p.rows.empty();
  AggregateOptions opts;
  opts.value_index = value_index;
  FlatTable t = aggregate(p, opts);
  sort_rows(p, t.rows, SortKey::kCum);
  // Stored units per second (time) or per unit (anything else).
  int64_t per_unit = t.scale;
  bool time = table_input || units::dimension_of(t.unit) == units::Dimension::kTime;
  if (time && !table_input) {
    units::Scaled one = units::pprof_scale(1000000000, t.unit, "ns");
    double ns_per_stored = one.value / 1e9;
    per_unit = std::max<int64_t>(1, static_cast<int64_t>(1e9 / ns_per_stored + 0.5)) * t.scale;
  }
  // Lines of a table input: rows keep theirs (FlatRow.line is set only by line granularity).
  std::vector<int64_t> lines;
  if (table_input)
    for (const FlatRow& r : t.rows) {
      int64_t line = 0;
      for (const TableRow& tr : p.rows)
        if (tr.name == r.name && tr.file == r.file) {
          line = tr.line;
          break;
        }
      lines.push_back(line);
    }
  std::vector<std::string> names;
  size_t width = 4;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    names.push_back(row_name(p, t.rows[i], table_input, table_input ? lines[i] : 0));
    width = std::max(width, names.back().size());
  }
  std::string out = "\n";
  out += fmt::format("Clock type: {}\n", p.clock_type.empty() ? (time ? "WALL" : t.type) : p.clock_type);
  out += "Ordered by: totaltime, desc\n\n";
  out += fmt::format("{:<{}}  {:<10}  {:<9} {:<9} {:<9}\n", "name", width, "ncall", "tsub", "ttot", "tavg");
  bool unknown_calls = false;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const FlatRow& r = t.rows[i];
    std::string calls = "0", avg = "0.000000";
    if (r.calls >= 0) {
      calls = r.primitive_calls >= 0 && r.primitive_calls != r.calls
                  ? fmt::format("{}/{}", r.calls, r.primitive_calls)
                  : fmt::format("{}", r.calls);
      if (r.calls > 0) avg = six_decimals(r.cum / r.calls, per_unit);
    } else {
      unknown_calls = true;
    }
    out += fmt::format("{:<{}}  {:<10}  {:<9} {:<9} {:<9}\n", names[i], width, calls,
                       six_decimals(r.flat, per_unit), six_decimals(r.cum, per_unit), avg);
  }
  if (note) {
    std::vector<std::string> lost;
    if (!table_input) lost.push_back("call stacks (only per-function self and total remain)");
    if (unknown_calls) lost.push_back("call counts are unknown in the input (written as 0)");
    if (!time) lost.push_back(fmt::format("values are {} written in the time columns", t.unit));
    if (!p.labels().empty()) lost.push_back("sample labels");
    for (size_t i = 0; i < lost.size(); ++i) *note += (i ? "; " : "") + lost[i];
  }
  return out;
}

}  // namespace perfkit

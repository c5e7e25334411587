// `perfkit spans --format json` and `--format csv`: integer nanoseconds.
#include <fmt/format.h>

#include "reports/report_util.h"
#include "reports/spans_report.h"

namespace perfkit {

std::string render_spans_json(const SpanStats& s) {
  nlohmann::ordered_json j;
  j["spans"] = s.spans;
  j["groups"] = s.group_count;
  j["wall_ns"] = s.wall_ns;
  j["skipped"] = {{"summary", s.summary_skipped},
                  {"instant", s.instant_skipped},
                  {"unclosed", s.unclosed_skipped}};
  j["percentile_method"] = "nearest-rank";
  auto rows = nlohmann::ordered_json::array();
  for (const SpanStat& r : s.rows) {
    nlohmann::ordered_json row;
    row["name"] = r.key;
    row["kind"] = r.async ? "async" : "complete";
    row["count"] = r.count;
    for (const auto& c : kSpanTimeColumns) row[std::string(c.name) + "_ns"] = r.*c.field;
    rows.push_back(std::move(row));
  }
  j["rows"] = std::move(rows);
  return dump_json(j);
}

std::string render_spans_csv(const SpanStats& s) {
  std::string out = "name,kind,count";
  for (const auto& c : kSpanTimeColumns) out += fmt::format(",{}_ns", c.name);
  out += "\n";
  for (const SpanStat& r : s.rows) {
    out += csv_field(r.key) + (r.async ? ",async," : ",complete,") + std::to_string(r.count);
    for (const auto& c : kSpanTimeColumns) out += "," + std::to_string(r.*c.field);
    out += "\n";
  }
  return out;
}

}  // namespace perfkit

// `perfkit diff --format json`.
#include "reports/diff_format.h"
#include "reports/diff_report.h"
#include "reports/report_util.h"

namespace perfkit {

std::string render_diff_json(const DiffTable& d, const DiffReportInfo& info) {
  (void)info;
  using J = nlohmann::ordered_json;
  auto num = [&](int64_t x) { return report::json_number(x, d.unit, d.scale); };
  J out;
  out["value_type"] = report::value_type(d.type, d.unit);
  out["base_total"] = num(d.base_total);
  out["new_total"] = num(d.new_total);
  if (d.normalized) {
    out["normalized"] = true;
    out["normalized_to"] = d.normalized_to_base ? "base" : "new";
    out["base_total_raw"] = num(d.base_total_raw);
    out["new_total_raw"] = num(d.new_total_raw);
    if (d.base_runs == 1 && d.new_runs == 1) out["normalize_factor"] = d.normalize_factor;
  }
  J rows = J::array();
  for (const DiffRow& r : d.rows) {
    J row;
    row["name"] = r.name;
    row["file"] = r.file;
    row["base_flat"] = num(r.base_flat);
    row["new_flat"] = num(r.new_flat);
    row["base_cum"] = num(r.base_cum);
    row["new_cum"] = num(r.new_cum);
    row["delta_flat"] = num(r.delta_flat());
    row["delta_cum"] = num(r.delta_cum());
    if (d.has_calls) {  // inputs that know calls (tables, traces); null where unknown
      auto opt = [&](int64_t c, bool is_avg) {
        return c < 0 ? J() : is_avg ? J(num(c)) : J(c);
      };
      row["base_calls"] = opt(r.base_calls, false);
      row["new_calls"] = opt(r.new_calls, false);
      row["base_avg"] = opt(r.base_avg(), true);
      row["new_avg"] = opt(r.new_avg(), true);
    }
    row["status"] = std::string(status_name(r.status));
    if (r.status == DiffStatus::kRenamed) row["base_name"] = r.base_name;
    rows.push_back(std::move(row));
  }
  out["rows"] = std::move(rows);
  if (!d.spans.empty()) {
    J spans = J::array();
    auto side = [](const SpanPercentiles& s) {
      if (s.count == 0) return J(nullptr);
      return J{{"count", s.count}, {"total_ns", s.total_ns}, {"p50_ns", s.p50_ns},
               {"p95_ns", s.p95_ns}, {"p99_ns", s.p99_ns}};
    };
    for (const SpanDiffRow& s : d.spans)
      spans.push_back(J{{"name", s.name}, {"base", side(s.base)}, {"new", side(s.new_)}});
    out["spans"] = std::move(spans);
  }
  return dump_json(out);  // invalid UTF-8 in a name -> U+FFFD, not an exception
}

}  // namespace perfkit

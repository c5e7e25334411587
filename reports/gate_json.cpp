// `perfkit gate --format json`: the verdict, every rule result, and the notes.
#include <cmath>

#include "reports/diff_format.h"
#include "reports/gate_report.h"
#include "reports/report_util.h"

namespace perfkit {

std::string render_gate_json(const GateVerdict& v, const GateReportInfo& info) {
  using J = nlohmann::ordered_json;
  auto num = [&](const RuleResult& r, double x) -> J {
    if (r.is_time) return std::llround(x);
    return report::json_number(std::llround(x), v.unit, v.scale);
  };
  auto finite = [](double x) -> J {
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    return x;
  };
  J out;
  out["verdict"] = v.pass ? "pass" : "fail";
  out["failed"] = v.failed;
  out["warnings"] = v.warned;
  out["passed"] = v.passed;
  out["value_type"] = report::value_type(v.type, v.unit);
  out["base"] = info.base_label;
  out["new"] = info.new_label;
  out["base_runs"] = v.base_runs;
  out["new_runs"] = v.new_runs;
  out["base_total"] = report::json_number(v.base_total, v.unit, v.scale);
  out["new_total"] = report::json_number(v.new_total, v.unit, v.scale);
  out["policy"] = info.policy_summary;
  J rules = J::array();
  for (const RuleResult& r : v.results) {
    J j;
    j["rule"] = r.rule;
    j["outcome"] = std::string(outcome_name(r.outcome));
    j["subject"] = r.subject;
    if (!r.base_subject.empty()) j["base_subject"] = r.base_subject;
    if (!r.file.empty()) j["file"] = r.file;
    if (r.line > 0) j["line"] = r.line;
    if (r.percentile) j["percentile"] = r.percentile;
    if (r.rule != "budget") j["base"] = num(r, r.base);
    j["new"] = num(r, r.now);
    if (r.rule != "budget" && r.rule != "added" && r.rule != "removed")
      j["delta_pct"] = finite(r.delta_pct);
    if (r.rule == "budget") j["limit"] = num(r, r.limit), j["budget"] = r.spec;
    else if (r.rule != "added" && r.rule != "removed") j["limit_pct"] = r.limit;
    if (r.rule == "function" || r.rule == "added" || r.rule == "removed" || r.rule == "span")
      j["share_pct"] = r.share_pct;
    if (r.p_value >= 0) j["p_value"] = r.p_value;
    if (r.q_value >= 0) j["q_value"] = r.q_value;
    if (r.cause >= 0) j["cause"] = r.cause;
    j["message"] = describe_rule(r, v);
    rules.push_back(std::move(j));
  }
  out["rules"] = std::move(rules);
  // Root causes (function rules name theirs by index): own change in the value's unit, share of
  // the growth (the sum of every function's positive own change).
  if (v.causes_computed) {
    J causes = J::array();
    for (const GateCause& c : v.causes) {
      J j;
      j["subject"] = c.subject;
      if (!c.file.empty()) j["file"] = c.file;
      if (c.line > 0) j["line"] = c.line;
      j["own"] = report::json_number(std::llround(c.own), v.unit, v.scale);
      j["self_delta"] = report::json_number(std::llround(c.self_delta), v.unit, v.scale);
      j["whole_delta"] = report::json_number(std::llround(c.scale_delta), v.unit, v.scale);
      J calls = J::array();
      for (const auto& [callee, w] : c.new_calls)
        calls.push_back(
            {{"callee", callee}, {"value", report::json_number(std::llround(w), v.unit, v.scale)}});
      j["new_calls"] = std::move(calls);
      j["share_of_growth"] = c.share;
      j["rules"] = c.members;
      j["message"] = describe_cause(c, v);
      causes.push_back(std::move(j));
    }
    out["growth"] = report::json_number(std::llround(v.growth), v.unit, v.scale);
    out["causes"] = std::move(causes);
  }
  out["notes"] = v.notes;
  return dump_json(out);  // invalid UTF-8 in a name -> U+FFFD, not an exception
}

}  // namespace perfkit

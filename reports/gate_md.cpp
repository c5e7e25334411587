// `perfkit gate --format md`: a PR comment. Failures and warnings in a table, passes folded.
#include <fmt/format.h>

#include "reports/diff_format.h"
#include "reports/gate_report.h"

namespace perfkit {

namespace {

std::string row(const RuleResult& r, const GateVerdict& v) {
  auto val = [&](double x) {
    return r.is_time ? report::value(std::llround(x), "nanoseconds", 1)
                     : report::value(std::llround(x), v.unit, v.scale);
  };
  std::string subject = report::md_cell(r.subject, true);
  if (r.percentile) subject += fmt::format(" p{}", r.percentile);
  if (!r.base_subject.empty()) subject += " (was " + report::md_cell(r.base_subject, true) + ")";
  std::string base = r.rule == "budget" || r.rule == "added" ? "" : val(r.base);
  std::string now = r.rule == "removed" ? "" : val(r.now);
  std::string change = r.rule == "budget" || r.rule == "added" || r.rule == "removed"
                           ? ""
                           : report::percent(r.delta_pct);
  std::string limit = r.rule == "budget" ? "<= " + val(r.limit)
                      : (r.rule == "added" || r.rule == "removed") ? ""
                                                                    : fmt::format("+{}%", r.limit);
  std::string outcome = r.outcome == Outcome::kFail ? "**FAIL**"
                        : r.outcome == Outcome::kWarn ? "warn" : "pass";
  std::string where = r.file.empty() ? ""
                      : r.line > 0 ? fmt::format("{}:{}", report::md_cell(r.file), r.line)
                                   : report::md_cell(r.file);
  std::string extra = r.q_value >= 0 ? fmt::format("q={:.3g}", r.q_value)
                      : r.p_value >= 0 ? fmt::format("p={:.3g}", r.p_value) : "";
  std::string cause = r.cause >= 0 ? fmt::format("{}", r.cause + 1) : "";
  return fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", outcome, r.rule,
                     subject, base, now, change, limit, extra, where, cause);
}

constexpr const char* kHeader =
    "| | rule | subject | base | new | change | limit | significance | where | cause |\n"
    "|---|---|---|--:|--:|--:|--:|--:|---|--:|\n";

}  // namespace

std::string render_gate_md(const GateVerdict& v, const GateReportInfo& info) {
  std::string out = fmt::format("### perfkit gate: {}\n\n", v.pass ? "PASS" : "FAIL");
  out += fmt::format("{} failed, {} warnings, {} passed. ", v.failed, v.warned, v.passed);
  if (!info.base_label.empty())
    out += fmt::format("Base `{}`, new `{}`.", report::md_cell(info.base_label),
                       report::md_cell(info.new_label));
  else
    out += fmt::format("Input `{}`.", report::md_cell(info.new_label));
  out += "\n\n";
  if (!info.policy_summary.empty()) out += "Policy: " + info.policy_summary + "\n\n";
  if (!v.causes.empty()) {
    out += "**Root causes** (the functions whose own change explains the failing rules):\n\n";
    for (size_t k = 0; k < v.causes.size(); ++k)
      out += fmt::format("{}. {}\n", k + 1, describe_cause(v.causes[k], v, [](std::string_view n) {
                           return report::md_cell(n, true);
                         }));
    out += "\n";
  }
  if (v.failed + v.warned > 0) {
    // The rules the text verdict shows, grouped by cause; the others folded.
    GatePlan plan = plan_gate_lines(v, info.max_lines);
    std::vector<bool> shown(v.results.size(), false);
    out += kHeader;
    for (const GateLine& l : plan.lines) {
      if (l.rule == SIZE_MAX) continue;
      shown[l.rule] = true;
      out += row(v.results[l.rule], v);
    }
    out += "\n";
    if (plan.hidden_rules > 0) {
      out += fmt::format("<details><summary>{} more failing or warning rules</summary>\n\n",
                         plan.hidden_rules);
      out += kHeader;
      for (size_t i = 0; i < v.results.size(); ++i)
        if (v.results[i].outcome != Outcome::kPass && !shown[i]) out += row(v.results[i], v);
      out += "\n</details>\n\n";
    }
  }
  for (const std::string& n : v.notes) out += "> **Note:** " + n + "\n\n";
  if (v.passed > 0) {
    out += fmt::format("<details><summary>{} rules passed</summary>\n\n", v.passed);
    out += kHeader;
    for (const RuleResult& r : v.results)
      if (r.outcome == Outcome::kPass) out += row(r, v);
    out += "\n</details>\n";
  }
  return out;
}

}  // namespace perfkit

// `perfkit gate` text verdict, and the one-line description every gate report shares.
#include <cmath>

#include <fmt/format.h>

#include "reports/diff_format.h"
#include "reports/gate_report.h"

namespace perfkit {

namespace {

std::string stat_suffix(const RuleResult& r) {
  std::string s;
  if (r.p_value >= 0) s += fmt::format(", p={:.3g}", r.p_value);
  if (r.q_value >= 0 && r.rule == "function") s += fmt::format(", q={:.3g}", r.q_value);
  if (!r.reason.empty()) s += "; " + r.reason;
  return s;
}

}  // namespace

std::string describe_rule(const RuleResult& r, const GateVerdict& v) {
  auto val = [&](double x) {
    return r.is_time ? report::value(std::llround(x), "nanoseconds", 1)
                     : report::value(std::llround(x), v.unit, v.scale);
  };
  auto dval = [&](double x) {
    return r.is_time ? report::delta(std::llround(x), "nanoseconds", 1)
                     : report::delta(std::llround(x), v.unit, v.scale);
  };
  std::string subject = r.subject;
  if (!r.base_subject.empty()) subject += fmt::format(" (renamed from {})", r.base_subject);
  if (r.rule == "total") {
    return fmt::format("total {} {} -> {} ({}, {}), limit +{}%{}", v.type, val(r.base), val(r.now),
                       dval(r.now - r.base), report::percent(r.delta_pct), r.limit, stat_suffix(r));
  }
  if (r.rule == "function") {
    return fmt::format("{}: {} {} -> {} ({}, {}), limit +{}%, share {:.1f}%{}", subject,
                       v.on_self ? "self" : "cum", val(r.base), val(r.now), dval(r.now - r.base),
                       report::percent(r.delta_pct), r.limit, r.share_pct, stat_suffix(r));
  }
  if (r.rule == "added")
    return fmt::format("{}: only in new, {} (share {:.1f}%)", subject, val(r.now), r.share_pct);
  if (r.rule == "removed")
    return fmt::format("{}: only in base, {} (share {:.1f}%)", subject, val(r.base),
                       r.share_pct);
  if (r.rule == "budget") {
    if (r.reason == "no span with this name in the input")
      return fmt::format("{}:p{}<={}: no span named '{}' in the input", r.subject, r.percentile,
                         val(r.limit), r.subject);
    return fmt::format("{}:p{}<={}: p{} is {} ({})", r.subject, r.percentile, val(r.limit),
                       r.percentile, val(r.now), r.reason);
  }
  if (r.rule == "span") {
    return fmt::format("span {} p{}: {} -> {} ({}, {}), limit +{}% ({})", r.subject, r.percentile,
                       val(r.base), val(r.now), dval(r.now - r.base), report::percent(r.delta_pct),
                       r.limit, r.reason);
  }
  return subject;
}

std::string render_gate_text(const GateVerdict& v, const GateReportInfo& info) {
  std::string out = fmt::format("perfkit gate: {} ({} failed, {} warnings, {} passed)\n",
                                v.pass ? "PASS" : "FAIL", v.failed, v.warned, v.passed);
  if (!info.base_label.empty())
    out += fmt::format("base: {}\nnew:  {}\n", info.base_label, info.new_label);
  else
    out += fmt::format("input: {}\n", info.new_label);
  if (!info.policy_summary.empty()) out += "policy: " + info.policy_summary + "\n";
  for (const RuleResult& r : v.results) {
    if (r.outcome == Outcome::kPass) continue;
    out += fmt::format("{} {}: {}\n", r.outcome == Outcome::kFail ? "FAIL" : "WARN", r.rule,
                       describe_rule(r, v));
  }
  for (const std::string& n : v.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace perfkit

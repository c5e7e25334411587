// `perfkit gate` text verdict, and the one-line description every gate report shares.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "lib/units.h"
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

std::string describe_rule(const RuleResult& r, const GateVerdict& v, bool color) {
  auto val = [&](double x) {
    return r.is_time ? report::value(std::llround(x), "nanoseconds", 1)
                     : report::value(std::llround(x), v.unit, v.scale);
  };
  auto dval = [&](double x) {
    return terminal::paint_delta(r.is_time ? report::delta(std::llround(x), "nanoseconds", 1)
                                           : report::delta(std::llround(x), v.unit, v.scale),
                                 color);
  };
  auto pct = [&](double x) { return terminal::paint_delta(report::percent(x), color); };
  std::string subject = r.subject;
  if (!r.base_subject.empty()) subject += fmt::format(" (renamed from {})", r.base_subject);
  if (r.rule == "total") {
    return fmt::format("total {} {} -> {} ({}, {}), limit {:+}%{}", v.type, val(r.base), val(r.now),
                       dval(r.now - r.base), pct(r.delta_pct), r.limit, stat_suffix(r));
  }
  if (r.rule == "function") {
    return fmt::format("{}: {} {} -> {} ({}, {}), limit {:+}%, share {}{}", subject,
                       v.on_self ? "self" : "cum", val(r.base), val(r.now), dval(r.now - r.base),
                       pct(r.delta_pct), r.limit, units::human_percent(r.share_pct),
                       stat_suffix(r));
  }
  if (r.rule == "added")
    return fmt::format("{}: only in new, {} (share {})", subject, val(r.now),
                       units::human_percent(r.share_pct));
  if (r.rule == "removed")
    return fmt::format("{}: only in base, {} (share {})", subject, val(r.base),
                       units::human_percent(r.share_pct));
  if (r.rule == "budget")  // as the user wrote it (operator and unit), then what was measured
    return fmt::format("{}: p{} is {} ({})", r.spec, r.percentile, val(r.now), r.reason);
  if (r.rule == "span") {
    return fmt::format("span {} p{}: {} -> {} ({}, {}), limit {:+}% ({})", r.subject, r.percentile,
                       val(r.base), val(r.now), dval(r.now - r.base), pct(r.delta_pct),
                       r.limit, r.reason);
  }
  return subject;
}

std::string describe_cause(const GateCause& c, const GateVerdict& v,
                           const std::function<std::string(std::string_view)>& name, bool color) {
  auto dval = [&](double x) {
    return terminal::paint_delta(report::delta(std::llround(x), v.unit, v.scale), color);
  };
  auto show = [&](std::string_view n) { return name ? name(n) : std::string(n); };
  std::string what, calls;
  if (std::llround(c.scale_delta) != 0)
    what += fmt::format("grew as a whole, with all it calls, {}", dval(c.scale_delta));
  for (const auto& [callee, w] : c.new_calls)
    calls += fmt::format("{}{} {}", calls.empty() ? "new calls to " : ", ", show(callee), dval(w));
  if (!calls.empty()) what += (what.empty() ? "" : "; ") + calls;
  if (std::llround(c.self_delta) != 0 || what.empty())
    what += fmt::format("{}self {}", what.empty() ? "" : "; ", dval(c.self_delta));
  std::string where = c.file.empty() ? ""
                      : c.line > 0   ? fmt::format(" ({}:{})", show(c.file), c.line)
                                     : fmt::format(" ({})", show(c.file));
  return fmt::format(
      "{}{}: own change {} ({}), {} of the growth; explains {} failing or warning rule{}",
      show(c.subject), where, dval(c.own), what, units::human_percent(c.share * 100), c.members,
      c.members == 1 ? "" : "s");
}

GatePlan plan_gate_lines(const GateVerdict& v, size_t limit) {
  // Groups: one per cause (its function's own rule first), then the rules under no cause.
  const size_t groups = v.causes.size() + 1;
  std::vector<std::vector<size_t>> members(groups);
  for (size_t i = 0; i < v.results.size(); ++i) {
    const RuleResult& r = v.results[i];
    if (r.outcome == Outcome::kPass) continue;
    size_t g = r.cause >= 0 ? static_cast<size_t>(r.cause) : groups - 1;
    members[g].push_back(i);
  }
  // Under a cause: its function's own rule first, then the functions it newly calls.
  for (size_t g = 0; g + 1 < groups; ++g) {
    const GateCause& c = v.causes[g];
    auto rank = [&](size_t i) {
      const std::string& s = v.results[i].subject;
      if (s == c.subject) return 0;
      for (const auto& call : c.new_calls)
        if (s == call.first) return 1;
      return 2;
    };
    std::stable_sort(members[g].begin(), members[g].end(),
                     [&](size_t a, size_t b) { return rank(a) < rank(b); });
  }
  // Chosen by priority (causes; failures under no cause that are not functions, such as the
  // total; then one rule of each group in turn), shown grouped.
  std::vector<std::vector<size_t>> chosen(groups);
  std::vector<bool> cause_shown(v.causes.size(), false);
  size_t budget = limit == 0 ? SIZE_MAX : limit, used = 0, total = 0;
  for (const auto& m : members) total += m.size();
  for (size_t k = 0; k < v.causes.size() && used < budget && k < 5; ++k, ++used)
    cause_shown[k] = true;
  std::vector<size_t> next(groups, 0);
  auto& loose = members.back();
  for (size_t j = 0; j < loose.size() && used < budget; ++j) {
    const RuleResult& r = v.results[loose[j]];
    if (r.outcome == Outcome::kFail && r.row == SIZE_MAX) {
      chosen.back().push_back(loose[j]);
      ++used;
    }
  }
  // One rule of each group first, then the rest of the budget to the groups in order (the
  // largest cause first).
  auto take = [&](size_t g) {
    if (next[g] >= members[g].size()) return false;
    chosen[g].push_back(members[g][next[g]++]);
    ++used;
    return true;
  };
  auto skip_chosen = [&](size_t g) {
    while (next[g] < members[g].size() &&
           std::find(chosen[g].begin(), chosen[g].end(), members[g][next[g]]) != chosen[g].end())
      ++next[g];
  };
  for (size_t g = 0; g < groups && used < budget; ++g) {
    if (g + 1 < groups && !cause_shown[g]) continue;
    skip_chosen(g);
    take(g);
  }
  for (size_t g = 0; g < groups && used < budget; ++g) {
    if (g + 1 < groups && !cause_shown[g]) continue;
    for (skip_chosen(g); used < budget && take(g); skip_chosen(g)) {
    }
  }
  GatePlan plan;
  size_t shown = 0;
  for (size_t g = 0; g < groups; ++g) {
    if (g + 1 < groups && !cause_shown[g]) continue;
    // Display order: the group's own order.
    std::vector<size_t> pick = chosen[g];
    std::sort(pick.begin(), pick.end(), [&](size_t a, size_t b) {
      auto pos = [&](size_t x) { return std::find(members[g].begin(), members[g].end(), x); };
      return pos(a) < pos(b);
    });
    if (g + 1 < groups) plan.lines.push_back(GateLine{static_cast<int>(g), SIZE_MAX});
    for (size_t i : pick)
      plan.lines.push_back(GateLine{g + 1 < groups ? static_cast<int>(g) : -1, i});
    shown += pick.size();
  }
  plan.hidden_rules = total - shown;
  for (size_t k = 0; k < v.causes.size(); ++k) plan.hidden_causes += !cause_shown[k];
  return plan;
}

std::string render_gate_text(const GateVerdict& v, const GateReportInfo& info,
                             const terminal::TextStyle& style) {
  const bool c = style.color;
  auto verdict = [&](bool fail) {
    return fail ? terminal::paint("FAIL", terminal::Paint::kRed, c)
                : terminal::paint("WARN", terminal::Paint::kYellow, c);
  };
  std::string out = fmt::format(
      "perfkit gate: {} ({} failed, {} warnings, {} passed)\n",
      v.pass ? terminal::paint("PASS", terminal::Paint::kGreen, c) : verdict(true), v.failed,
      v.warned, v.passed);
  if (!info.base_label.empty())
    out += fmt::format("base: {}\nnew:  {}\n", info.base_label, info.new_label);
  else
    out += fmt::format("input: {}\n", info.new_label);
  if (!info.policy_summary.empty()) out += "policy: " + info.policy_summary + "\n";
  GatePlan plan = plan_gate_lines(v, info.max_lines);
  for (const GateLine& l : plan.lines) {
    if (l.rule == SIZE_MAX) {
      const GateCause& cause = v.causes[l.cause];
      bool fails = false;
      for (const RuleResult& r : v.results)
        fails = fails || (r.cause == l.cause && r.outcome == Outcome::kFail);
      out += fmt::format("{} cause: {}\n", verdict(fails), describe_cause(cause, v, {}, style.color));
      continue;
    }
    const RuleResult& r = v.results[l.rule];
    out += fmt::format("{}{} {}: {}\n", l.cause >= 0 ? "  " : "",
                       verdict(r.outcome == Outcome::kFail), r.rule, describe_rule(r, v, c));
  }
  if (plan.hidden_rules > 0 || plan.hidden_causes > 0) {
    std::string causes = plan.hidden_causes == 0
                             ? ""
                             : fmt::format(" under {} more cause{}", plan.hidden_causes,
                                           plan.hidden_causes == 1 ? "" : "s");
    out += fmt::format(
        "... and {} more failing or warning rule{}{}, see --format json (or -n 0 "
        "to list all)\n",
        plan.hidden_rules, plan.hidden_rules == 1 ? "" : "s", causes);
  }
  for (const std::string& n : v.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace perfkit

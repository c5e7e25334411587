#include "lib/gate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "lib/errors.h"
#include "lib/gate_causes.h"
#include "lib/stats.h"
#include "lib/units.h"

namespace perfkit {

Presence parse_presence(const std::string& s) {
  if (s == "fail") return Presence::kFail;
  if (s == "warn") return Presence::kWarn;
  if (s == "ignore") return Presence::kIgnore;
  throw UsageError(fmt::format("expected fail, warn or ignore, got '{}'", s));
}

std::string_view presence_name(Presence p) {
  return p == Presence::kFail ? "fail" : p == Presence::kWarn ? "warn" : "ignore";
}

std::string_view outcome_name(Outcome o) {
  return o == Outcome::kFail ? "fail" : o == Outcome::kWarn ? "warn" : "pass";
}

SpanBudget parse_budget(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return UsageError(fmt::format("--budget '{}': {} (expected NAME:p50|p95|p99<=DURATION, e.g. "
                                  "'inference_step:p99<=100ms')",
                                  text, why));
  };
  SpanBudget b;
  b.text = text;
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) throw bad("no span name");
  b.span = text.substr(0, colon);
  std::string rest = text.substr(colon + 1);
  size_t op = rest.find_first_of("<>=!");
  if (op == std::string::npos) throw bad("no '<=' limit");
  size_t op_end = rest.find_first_not_of("<>=!", op);
  if (op_end == std::string::npos) op_end = rest.size();
  std::string stat = rest.substr(0, op), oper = rest.substr(op, op_end - op);
  std::string limit = rest.substr(op_end);
  if (oper != "<=")
    throw bad(fmt::format("operator '{}' is not supported: a budget is an upper bound, "
                          "written '<=' (the limit itself passes)",
                          oper));
  if (stat == "p50" || stat == "median") b.percentile = 50;
  else if (stat == "p95") b.percentile = 95;
  else if (stat == "p99") b.percentile = 99;
  else throw bad("unknown statistic '" + stat + "'");
  if (limit.empty()) throw bad("no limit");
  try {
    b.limit_ns = units::parse_quantity(limit, "nanoseconds");
  } catch (const UsageError& e) {
    throw bad(e.what());
  }
  return b;
}

namespace {

// The span names of the input, for a budget naming none of them: the first few by name.
std::string known_spans(const std::unordered_map<std::string, SpanPercentiles>& spans) {
  if (spans.empty()) return "the input has no spans (budgets need a Chrome trace)";
  std::vector<std::string> names;
  for (const auto& [name, s] : spans)
    if (s.count > 0) names.push_back(name);
  std::sort(names.begin(), names.end());
  std::string list;
  for (size_t i = 0; i < names.size() && i < 8; ++i) list += (i ? ", " : "") + names[i];
  if (names.size() > 8) list += fmt::format(", ... ({} more)", names.size() - 8);
  return fmt::format("its {} span names: {}", names.size(), list);
}

void judge_budgets(const std::unordered_map<std::string, SpanPercentiles>& spans,
                   const GatePolicy& policy, GateVerdict& v) {
  for (const SpanBudget& b : policy.budgets) {
    auto it = spans.find(b.span);
    if (it == spans.end()) it = spans.find(b.span + " (async)");  // async spans by their name
    if (it == spans.end() || it->second.count == 0) {
      // A budget on a span that never occurs cannot pass, and it is no regression either.
      v.unjudged.push_back(fmt::format("--budget '{}': no span named '{}' in the input ({})",
                                       b.text, b.span, known_spans(spans)));
      continue;
    }
    RuleResult r;
    r.rule = "budget";
    r.subject = b.span;
    r.spec = b.text;
    r.is_time = true;
    r.percentile = b.percentile;
    r.limit = static_cast<double>(b.limit_ns);
    r.now = static_cast<double>(it->second.percentile_ns(b.percentile));
    r.past_threshold = r.now > r.limit;
    r.outcome = r.past_threshold ? Outcome::kFail : Outcome::kPass;
    r.reason = fmt::format("{} spans", it->second.count);
    v.results.push_back(std::move(r));
  }
}

void tally(GateVerdict& v) {
  std::stable_sort(v.results.begin(), v.results.end(), [](const RuleResult& a, const RuleResult& b) {
    auto rank = [](Outcome o) { return o == Outcome::kFail ? 0 : o == Outcome::kWarn ? 1 : 2; };
    return rank(a.outcome) < rank(b.outcome);
  });
  v.failed = v.warned = v.passed = 0;
  for (const RuleResult& r : v.results) {
    if (r.outcome == Outcome::kFail) ++v.failed;
    else if (r.outcome == Outcome::kWarn) ++v.warned;
    else ++v.passed;
  }
  v.pass = v.failed == 0;
}

std::vector<double> as_doubles(const std::vector<int64_t>& v) {
  return std::vector<double>(v.begin(), v.end());
}

int runs_needed(double alpha) {
  for (int n = 2; n < 64; ++n)
    if (stats::min_two_sided_p(n, n) <= alpha) return n;
  return 64;
}

}  // namespace

GateVerdict evaluate_gate(const DiffTable& diff, const GatePolicy& policy) {
  GateVerdict v;
  v.type = diff.type;
  v.unit = diff.unit;
  v.scale = diff.scale;
  v.on_self = policy.on_self;
  v.base_total = diff.base_total;
  v.new_total = diff.new_total;
  v.base_runs = diff.base_runs;
  v.new_runs = diff.new_runs;
  const bool repeated = diff.base_runs > 1 || diff.new_runs > 1;
  const double min_p = stats::min_two_sided_p(diff.base_runs, diff.new_runs);
  if (repeated) {
    if (min_p > policy.alpha) {
      v.notes.push_back(fmt::format(
          "with {} run(s) of the base and {} of the new input, the smallest two-sided p-value a "
          "Mann-Whitney U test can reach is {:.3g}, above --alpha {:g}: no change can be shown to "
          "be significant, so nothing fails on repeated runs. Use at least {} runs per side (more "
          "when many functions are judged at once).",
          diff.base_runs, diff.new_runs, min_p, policy.alpha, runs_needed(policy.alpha)));
    }
  }

  // --- total ---
  if (diff.normalized) {
    v.notes.push_back("--normalize scales every run to the same total, so the total rule is not "
                      "judged");
  } else {
    RuleResult r;
    r.rule = "total";
    r.subject = "total";
    r.base = static_cast<double>(diff.base_total);
    r.now = static_cast<double>(diff.new_total);
    r.delta_pct = percent_change(r.base, r.now);
    r.limit = policy.max_total_regression_pct;
    r.share_pct = 100;
    r.past_threshold = r.delta_pct > r.limit;
    r.outcome = r.past_threshold ? Outcome::kFail : Outcome::kPass;
    if (repeated && r.past_threshold) {
      auto b = as_doubles(diff.base_totals), n = as_doubles(diff.new_totals);
      r.p_value = r.q_value = stats::mann_whitney_u(b, n).p;
      if (r.p_value > policy.alpha) {
        r.outcome = Outcome::kPass;
        r.reason = fmt::format("past the threshold but not significant (p={:.3g} > alpha {:g})",
                               r.p_value, policy.alpha);
      }
    }
    v.results.push_back(std::move(r));
  }

  // --- functions, added, removed ---
  const double bt = std::max<double>(1, std::llabs(diff.base_total));
  const double nt = std::max<double>(1, std::llabs(diff.new_total));
  std::vector<size_t> tested;  // indices into v.results that need the U test
  for (const DiffRow& row : diff.rows) {
    const bool self = policy.on_self;
    const double b = static_cast<double>(self ? row.base_flat : row.base_cum);
    const double n = static_cast<double>(self ? row.new_flat : row.new_cum);
    const double share = std::max(std::fabs(b) / bt, std::fabs(n) / nt) * 100.0;
    const bool eligible = share >= policy.min_share_pct ||
                          (policy.min_delta && std::fabs(n - b) >= static_cast<double>(*policy.min_delta));
    if (!eligible) continue;
    RuleResult r;
    r.row = static_cast<size_t>(&row - diff.rows.data());
    r.subject = row.name;
    r.base_subject = row.base_name;
    r.file = row.file;
    r.line = row.line;
    r.base = b;
    r.now = n;
    r.share_pct = share;
    r.delta_pct = percent_change(b, n);
    if (row.status == DiffStatus::kAdded || row.status == DiffStatus::kRemoved) {
      bool added = row.status == DiffStatus::kAdded;
      Presence p = added ? policy.added : policy.removed;
      if (p == Presence::kIgnore) continue;
      r.rule = added ? "added" : "removed";
      r.past_threshold = true;
      r.outcome = p == Presence::kFail ? Outcome::kFail : Outcome::kWarn;
      if (added && p == Presence::kWarn && share >= policy.added_fail_share_pct) {
        r.outcome = Outcome::kFail;
        r.reason = fmt::format("an added function with a share of {:g}% or more fails",
                               policy.added_fail_share_pct);
      }
      v.results.push_back(std::move(r));
      continue;
    }
    r.rule = "function";
    r.limit = policy.max_function_regression_pct;
    r.past_threshold = r.delta_pct > r.limit;
    r.outcome = r.past_threshold ? Outcome::kFail : Outcome::kPass;
    if (repeated && r.past_threshold) {
      auto bv = as_doubles(self ? row.base_flat_runs : row.base_cum_runs);
      auto nv = as_doubles(self ? row.new_flat_runs : row.new_cum_runs);
      r.p_value = stats::mann_whitney_u(bv, nv).p;
      tested.push_back(v.results.size());
    }
    v.results.push_back(std::move(r));
  }
  if (!tested.empty()) {
    std::vector<double> p;
    for (size_t i : tested) p.push_back(v.results[i].p_value);
    std::vector<double> q = stats::benjamini_hochberg(p);
    size_t not_significant = 0;
    for (size_t k = 0; k < tested.size(); ++k) {
      RuleResult& r = v.results[tested[k]];
      r.q_value = q[k];
      if (r.q_value > policy.alpha) {
        ++not_significant;
        r.outcome = Outcome::kPass;
        r.reason = fmt::format(
            "past the threshold but not significant (p={:.3g}, q={:.3g} > alpha {:g}, "
            "Benjamini-Hochberg over {} functions)",
            r.p_value, r.q_value, policy.alpha, tested.size());
      }
    }
    if (not_significant > 0)
      v.notes.push_back(fmt::format(
          "{} of {} functions past the threshold were not significant at alpha {:g} "
          "(Mann-Whitney U over the runs, Benjamini-Hochberg) and pass; their p and q values are "
          "in --format json",
          not_significant, tested.size(), policy.alpha));
  }

  // --- spans ---
  std::unordered_map<std::string, SpanPercentiles> new_spans;
  double base_span_total = 0, new_span_total = 0;
  for (const SpanDiffRow& s : diff.spans) {
    if (s.new_.count > 0) new_spans[s.name] = s.new_;
    base_span_total += static_cast<double>(s.base.total_ns);
    new_span_total += static_cast<double>(s.new_.total_ns);
  }
  judge_budgets(new_spans, policy, v);
  if (diff.base_runs > 0) {
    for (const SpanDiffRow& s : diff.spans) {
      if (s.base.count < policy.min_span_count || s.new_.count < policy.min_span_count) continue;
      double share = std::max(s.base.total_ns / std::max(1.0, base_span_total),
                              s.new_.total_ns / std::max(1.0, new_span_total)) * 100.0;
      if (share < policy.min_share_pct) continue;
      for (int pct : policy.span_percentiles) {
        RuleResult r;
        r.rule = "span";
        r.subject = s.name;
        r.is_time = true;
        r.percentile = pct;
        r.base = static_cast<double>(s.base.percentile_ns(pct));
        r.now = static_cast<double>(s.new_.percentile_ns(pct));
        r.delta_pct = percent_change(r.base, r.now);
        r.limit = policy.max_span_regression_pct;
        r.share_pct = share;
        r.past_threshold = r.delta_pct > r.limit;
        r.outcome = r.past_threshold ? Outcome::kFail : Outcome::kPass;
        r.reason = fmt::format("{} -> {} spans", s.base.count, s.new_.count);
        v.results.push_back(std::move(r));
      }
    }
  }
  tally(v);
  return v;
}

void attach_causes(GateVerdict& v, const CauseAnalysis& a, const DiffTable& diff) {
  if (!a.computed) return;
  v.causes_computed = true;
  v.growth = a.growth;
  std::vector<int> members(a.causes.size(), 0);
  for (RuleResult& r : v.results) {
    if (r.outcome == Outcome::kPass || r.row >= a.cause_of_row.size()) continue;
    r.cause = a.cause_of_row[r.row];
    if (r.cause >= 0) ++members[r.cause];
  }
  std::vector<int> renumber(a.causes.size(), -1);
  for (size_t k = 0; k < a.causes.size(); ++k) {
    if (members[k] == 0) continue;
    const Cause& c = a.causes[k];
    const DiffRow& row = diff.rows[c.row];
    GateCause g;
    g.subject = row.name;
    g.file = row.file;
    g.line = row.line;
    g.own = c.own;
    g.self_delta = c.self_delta;
    g.scale_delta = c.scale_delta;
    g.share = c.share;
    for (const CauseCall& call : c.new_calls)
      g.new_calls.emplace_back(diff.rows[call.row].name, call.value);
    g.members = members[k];
    renumber[k] = static_cast<int>(v.causes.size());
    v.causes.push_back(std::move(g));
  }
  for (RuleResult& r : v.results)
    if (r.cause >= 0) r.cause = renumber[r.cause];
}

GateVerdict evaluate_budgets(std::span<const Profile* const> profiles, const GatePolicy& policy) {
  GateVerdict v;
  v.type = "duration";
  v.unit = "nanoseconds";
  v.new_runs = static_cast<int>(profiles.size());
  std::unordered_map<std::string, SpanPercentiles> spans;
  for (auto& s : span_stats_by_name(profiles)) spans[s.name] = s.stat;
  judge_budgets(spans, policy, v);
  tally(v);
  return v;
}

}  // namespace perfkit

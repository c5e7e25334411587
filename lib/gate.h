// The CI gate: a policy and a diff (single runs or repeated runs per side) give a verdict made of
// rule results. Pure: reports render the verdict, the CLI turns it into an exit code.
//
// Rules, each one result per subject:
//   total     the total of the chosen value type grew more than max_total_regression_pct;
//   function  a function's cum (or flat with on_self) grew more than max_function_regression_pct,
//             judged only for functions with share >= min_share_pct or |delta| >= min_delta;
//   added / removed   a function present on one side only, past the same floor, under its policy;
//   budget    a span percentile in the new input is above a fixed limit ("step:p99<=100ms");
//   span      a span name's p50/p95/p99 grew more than max_span_regression_pct.
// With several runs per side (repeated measurements) a function fails only if it is past its
// threshold AND significant: Mann-Whitney U at alpha, Benjamini-Hochberg over the functions past
// the threshold (so by chance alone some of 250 functions do not fail a build).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/diff.h"

namespace perfkit {

enum class Presence { kFail, kWarn, kIgnore };
Presence parse_presence(const std::string& s);  // "fail"|"warn"|"ignore"; throws UsageError
std::string_view presence_name(Presence p);

struct SpanBudget {
  std::string text;  // as given: "inference_step:p99<=100ms"
  std::string span;
  int percentile = 99;     // 50, 95 or 99
  int64_t limit_ns = 0;
};
// Parses NAME:pNN<=QUANTITY (NAME may contain ':'; the last ':' splits). A budget is an upper
// bound: any operator but '<=' ('<', '>=', '=', ...) is refused. Throws UsageError.
SpanBudget parse_budget(const std::string& text);

struct GatePolicy {
  double max_total_regression_pct = 5;
  double max_function_regression_pct = 10;
  bool on_self = false;                   // judge flat (self) instead of cum
  double min_share_pct = 1;               // of the larger of the two totals' shares
  std::optional<int64_t> min_delta;       // in stored units; functions this far past also judged
  Presence added = Presence::kWarn;
  // With added = warn: an added function with at least this share of the new total fails (a new
  // call that big is a regression, not a refactor); 100 turns it off.
  double added_fail_share_pct = 5;
  Presence removed = Presence::kIgnore;
  double alpha = 0.05;
  std::vector<SpanBudget> budgets;
  double max_span_regression_pct = 10;
  std::vector<int> span_percentiles{50, 95, 99};
  int64_t min_span_count = 20;            // span names with fewer occurrences are not judged
};

enum class Outcome { kPass, kFail, kWarn };
std::string_view outcome_name(Outcome o);

struct RuleResult {
  std::string rule;     // "total", "function", "added", "removed", "budget", "span"
  std::string subject;  // function or span name; "total" for the total
  std::string base_subject;  // renamed functions: the base name
  std::string file;
  int64_t line = 0;
  Outcome outcome = Outcome::kPass;
  bool is_time = false;      // values are nanoseconds of a span (budget, span rules)
  int percentile = 0;        // budget/span rules
  double base = 0, now = 0;  // stored units (medians for repeated runs)
  double delta_pct = 0;      // percent change (inf for growth from 0)
  double limit = 0;          // the threshold: percent, or a stored-unit limit for budgets
  double share_pct = 0;      // share of the total (function rules)
  // Repeated runs: the U test and the Benjamini-Hochberg q-value; < 0 when not computed.
  double p_value = -1, q_value = -1;
  bool past_threshold = false;
  std::string reason;        // why it passed although past the threshold, or a note
  std::string spec;          // budget rules: the budget as the user wrote it
  size_t row = SIZE_MAX;     // function rules: the diff row judged
  int cause = -1;            // index into GateVerdict::causes: the cause it is grouped under
};

// A root cause (lib/gate_causes.h): a function whose own change explains failing rules.
struct GateCause {
  std::string subject, file;
  int64_t line = 0;
  double own = 0;          // stored units
  double self_delta = 0;   // the part that is self growth
  double scale_delta = 0;  // the part where it grew as a whole (with all it calls)
  double share = 0;        // of the growth (sum of positive own changes), 0..1
  std::vector<std::pair<std::string, double>> new_calls;  // callee, weight of the new calls
  int members = 0;  // failing or warning rules grouped under it
};

struct GateVerdict {
  bool pass = true;
  int failed = 0, warned = 0, passed = 0;
  std::string type, unit;  // the compared value type
  int64_t scale = 1;
  bool on_self = false;    // function rules judged flat (self) instead of cum
  int64_t base_total = 0, new_total = 0;
  int base_runs = 0, new_runs = 0;
  std::vector<RuleResult> results;  // failures first, then warnings, then passes
  std::vector<GateCause> causes;    // largest own change first; only those with members
  double growth = 0;                // stored units: what the causes' shares are of
  bool causes_computed = false;     // false: no stacks (tables) or nothing failed
  std::vector<std::string> notes;   // things the user must know (e.g. p < alpha unreachable)
  // Budgets that could not be judged (no span of that name in the input), one sentence each; the
  // CLI turns any into exit 3 ("could not judge"), never a pass or a regression.
  std::vector<std::string> unjudged;
};

// Judges a diff. `diff` may have no base (budgets only): pass base_runs == 0.
GateVerdict evaluate_gate(const DiffTable& diff, const GatePolicy& policy);

struct CauseAnalysis;
// Groups the failing and warning function rules under the causes of `a` (computed on the same
// diff): sets RuleResult::cause and GateVerdict::causes.
void attach_causes(GateVerdict& v, const CauseAnalysis& a, const DiffTable& diff);

// Budgets only (one input, no base): spans of the given profiles.
GateVerdict evaluate_budgets(std::span<const Profile* const> profiles, const GatePolicy& policy);

}  // namespace perfkit

// perfkit gate BASE NEW: exit 1 when something got slower than the policy allows. A CI step.
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/diff_inputs.h"
#include "cli/outputs.h"
#include "lib/cpp_names.h"
#include "lib/errors.h"
#include "lib/gate.h"
#include "lib/gate_causes.h"
#include "lib/source_files.h"
#include "lib/units.h"
#include "reports/gate_report.h"

namespace perfkit::cli {
namespace {

// Policy values as text, so flags can override a rules file only where they were given.
struct PolicyText {
  std::string max_total = "5%", max_function = "10%", on = "cum", min_share = "1%", min_delta;
  std::string added = "warn", removed = "ignore", max_span = "10%", span_percentiles = "50,95,99";
  std::string added_fail_share = "5%";
  double alpha = 0.05;
  std::vector<std::string> budgets;
};

struct GateCliOptions {
  std::vector<std::string> files, base, new_files;
  std::string rules;
  PolicyText policy;
  OutputsCli outputs;
  size_t max_lines = 10;
  std::string source_root = ".";
  CompareOptions compare;
  std::map<std::string, CLI::Option*> given;  // rules-file key -> flag
};

std::string json_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return fmt::format("{}", v.get<double>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  throw UsageError("");
}

// Applies a rules file: every key of PolicyText plus the compare options. Flags given on the
// command line win.
void apply_rules_file(GateCliOptions& o) {
  std::ifstream in(o.rules, std::ios::binary);
  if (!in) throw InputError::in_file(o.rules, "cannot read the rules file");
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError::at_byte(o.rules, e.byte > 0 ? e.byte - 1 : 0,
                              "not valid JSON: " + std::string(e.what()));
  }
  if (!j.is_object()) throw InputError::in_file(o.rules, "expected a JSON object of rules");
  PolicyText& p = o.policy;
  std::map<std::string, std::string*> text_keys = {
      {"max_total_regression", &p.max_total},     {"max_function_regression", &p.max_function},
      {"on", &p.on},                              {"min_share", &p.min_share},
      {"min_delta", &p.min_delta},                {"added", &p.added},
      {"added_fail_share", &p.added_fail_share},  {"removed", &p.removed},
      {"max_span_regression", &p.max_span},       {"span_percentiles", &p.span_percentiles},
      {"sample_index", &o.compare.sample_index},  {"by", &o.compare.by},
      {"focus", &o.compare.filters.filter.focus}, {"ignore", &o.compare.filters.filter.ignore},
      {"hide", &o.compare.filters.filter.hide},   {"show", &o.compare.filters.filter.show}};
  for (auto& [key, value] : j.items()) {
    auto flag = o.given.find(key);
    bool overridden = flag != o.given.end() && flag->second->count() > 0;
    try {
      if (auto it = text_keys.find(key); it != text_keys.end()) {
        if (key == "span_percentiles" && value.is_array()) {
          std::string s;
          for (auto& x : value) s += (s.empty() ? "" : ",") + json_text(x);
          if (!overridden) *it->second = s;
        } else if (!overridden) {
          *it->second = json_text(value);
        }
      } else if (key == "alpha") {
        if (!value.is_number()) throw UsageError("");
        if (!overridden) p.alpha = value.get<double>();
      } else if (key == "normalize") {
        if (!value.is_boolean()) throw UsageError("");
        if (!overridden) o.compare.normalize = value.get<bool>();
      } else if (key == "budgets") {
        if (!value.is_array()) throw UsageError("");
        if (!overridden)
          for (auto& b : value) p.budgets.push_back(b.get<std::string>());
      } else {
        std::string known;
        for (auto& [k, _] : text_keys) known += k + ", ";
        throw InputError::in_file(o.rules, fmt::format("unknown key '{}' (known: {}alpha, "
                                                       "normalize, budgets)",
                                                       key, known));
      }
    } catch (const InputError&) {
      throw;
    } catch (const std::exception&) {
      throw InputError::in_file(o.rules, fmt::format("key '{}': unexpected value {}", key,
                                                     value.dump()));
    }
  }
}

std::vector<int> parse_percentiles(const std::string& s) {
  std::vector<int> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty() && item[0] == 'p') item = item.substr(1);
    if (item == "50" || item == "95" || item == "99") out.push_back(std::stoi(item));
    else throw UsageError("--span-percentiles: expected a list of 50, 95, 99, got '" + s + "'");
  }
  return out;
}

GatePolicy build_policy(const PolicyText& t) {
  GatePolicy p;
  p.max_total_regression_pct = units::parse_percent(t.max_total);
  p.max_function_regression_pct = units::parse_percent(t.max_function);
  if (t.on != "cum" && t.on != "self" && t.on != "flat")
    throw UsageError("--on " + t.on + ": expected cum or self");
  p.on_self = t.on != "cum";
  p.min_share_pct = units::parse_percent(t.min_share);
  p.added = parse_presence(t.added);
  p.added_fail_share_pct = units::parse_percent(t.added_fail_share);
  p.removed = parse_presence(t.removed);
  p.max_span_regression_pct = units::parse_percent(t.max_span);
  p.span_percentiles = parse_percentiles(t.span_percentiles);
  if (!(t.alpha > 0 && t.alpha < 1)) throw UsageError("--alpha must be between 0 and 1");
  p.alpha = t.alpha;
  for (const auto& b : t.budgets) p.budgets.push_back(parse_budget(b));
  return p;
}

std::string policy_summary(const GatePolicy& p, const PolicyText& t, bool repeated,
                           bool budgets_only) {
  if (budgets_only) {
    std::string s;
    for (const auto& b : p.budgets) s += (s.empty() ? "budget " : ", budget ") + b.text;
    return s;
  }
  std::string added(presence_name(p.added));
  if (p.added == Presence::kWarn && p.added_fail_share_pct < 100)
    added += fmt::format(" (fail at share >= {}%)", p.added_fail_share_pct);
  std::string s = fmt::format(
      "total <= {:+}%, function {} <= {:+}% (share >= {}%{}), added={}, "
      "removed={}",
      p.max_total_regression_pct, p.on_self ? "self" : "cum", p.max_function_regression_pct,
      p.min_share_pct, t.min_delta.empty() ? "" : " or |delta| >= " + t.min_delta, added,
      presence_name(p.removed));
  if (repeated) s += fmt::format(", significant at alpha {} (Mann-Whitney U, Benjamini-Hochberg)", p.alpha);
  for (const auto& b : p.budgets) s += ", budget " + b.text;
  return s;
}

// --simplify-names in gate: the verdict is judged on the full names (a display option does not
// change it, nor merge rows); the text, md and github outputs print the simplified names.
GateVerdict with_simplified_names(GateVerdict v) {
  for (RuleResult& r : v.results) {
    if (r.rule != "function" && r.rule != "added" && r.rule != "removed") continue;
    r.subject = simplify_cpp_name(r.subject);
    if (!r.base_subject.empty()) r.base_subject = simplify_cpp_name(r.base_subject);
  }
  for (GateCause& c : v.causes) {
    c.subject = simplify_cpp_name(c.subject);
    for (auto& [callee, weight] : c.new_calls) callee = simplify_cpp_name(callee);
  }
  return v;
}

std::map<std::string, std::string> find_source_files(const GateVerdict& v,
                                                     const std::string& root) {
  std::map<std::string, std::string> out;
  auto note = [&](const std::string& f) {
    if (f.empty() || out.count(f)) return;
    std::string s = find_source_file(f, root);
    if (!s.empty()) out[f] = s;
  };
  for (const GateCause& c : v.causes) note(c.file);
  for (const RuleResult& r : v.results)
    if (r.outcome != Outcome::kPass && r.cause < 0) note(r.file);
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

RunFn setup(CLI::App& app) {
  auto o = std::make_shared<GateCliOptions>();
  PolicyText& t = o->policy;
  app.add_option("files", o->files, "BASE NEW, or one input with --budget only")
      ->expected(0, 2)
      ->type_name("BASE NEW");
  app.add_option("--base", o->base, "Baseline runs (repeated measurements: --base a b c)")
      ->expected(1, -1);
  app.add_option("--new", o->new_files, "New runs (--new d e f)")->expected(1, -1);
  app.add_option("--rules", o->rules,
                 "JSON rules file; keys as the flags with '_' (max_function_regression, min_share, "
                 "budgets: [...], ...); flags override it");
  o->given["max_total_regression"] = app.add_option(
      "--max-total-regression", t.max_total, "Fail when the total grows more than this (default 5%)");
  o->given["max_function_regression"] = app.add_option(
      "--max-function-regression", t.max_function,
      "Fail when a function's cum (or self, --on) grows more than this (default 10%)");
  o->given["on"] = app.add_option("--on", t.on, "Judge functions on cum (default) or self")
                       ->check(CLI::IsMember({"cum", "self", "flat"}));
  o->given["min_share"] = app.add_option(
      "--min-share", t.min_share,
      "Judge only functions with at least this share of the total (default 1%) ...");
  o->given["min_delta"] = app.add_option(
      "--min-delta", t.min_delta, "... or whose absolute change is at least this (5ms, 2MiB)");
  o->given["added"] = app.add_option("--added", t.added,
                                     "Functions only in NEW, past the same floor: fail, warn "
                                     "(default) or ignore")
                          ->check(CLI::IsMember({"fail", "warn", "ignore"}));
  o->given["added_fail_share"] = app.add_option(
      "--added-fail-share", t.added_fail_share,
      "With --added warn: an added function with at least this share of the new total fails "
      "(default 5%; 100% = never)");
  o->given["removed"] = app.add_option("--removed", t.removed,
                                       "Functions only in BASE: fail, warn or ignore (default)")
                            ->check(CLI::IsMember({"fail", "warn", "ignore"}));
  o->given["alpha"] = app.add_option(
      "--alpha", t.alpha,
      "Repeated runs: significance level of the Mann-Whitney U test, with Benjamini-Hochberg "
      "over the functions past the threshold (default 0.05)");
  o->given["budgets"] = app.add_option(
      "--budget", t.budgets,
      "Span budget on the new input, e.g. 'inference_step:p99<=100ms' (repeatable; works with "
      "one input)");
  o->given["max_span_regression"] = app.add_option(
      "--max-span-regression", t.max_span,
      "Traces: fail when a span's percentile grows more than this (default 10%)");
  o->given["span_percentiles"] = app.add_option(
      "--span-percentiles", t.span_percentiles, "Percentiles judged for spans (default 50,95,99)");
  o->outputs.add(app, {"gate", {"text", "md", "json", "junit", "github"}, "text", "--format",
                       "Output: text, md, json, junit, github (the exit code says pass or fail "
                       "whatever is written)"});
  add_terminal_options(app);
  add_nodecount_option(app, o->max_lines,
                       "text and md: show at most this many failing or warning lines, root causes "
                       "first");
  app.add_option("--source-root", o->source_root,
                 "github: annotate only files that exist under this directory, as paths relative "
                 "to it (default: the working directory)");
  add_compare_options(app, o->compare);
  for (const char* k : {"sample_index", "by", "focus", "ignore", "hide", "show", "normalize"}) {
    std::string flag = std::string("--") + k;
    for (auto& c : flag) if (c == '_') c = '-';
    o->given[k] = app.get_option(flag);
  }
  return [o]() {
    const std::vector<OutputTarget> targets = o->outputs.targets();
    if (!o->rules.empty()) apply_rules_file(*o);
    std::vector<std::string> base = o->base, news = o->new_files;
    if (!o->files.empty()) {
      if (!base.empty() || !news.empty())
        throw UsageError("give BASE NEW as arguments or with --base/--new, not both");
      if (o->files.size() == 2) base = {o->files[0]}, news = {o->files[1]};
      else news = {o->files[0]};
    }
    if (news.empty()) throw UsageError("gate needs BASE NEW (or --base ... --new ...)");
    GatePolicy policy = build_policy(o->policy);
    if (base.empty() && policy.budgets.empty())
      throw UsageError("a single input can only be gated on span budgets: add --budget "
                       "'NAME:p99<=100ms', or give BASE NEW");
    const bool simplify_names = o->compare.simplify_names;
    o->compare.simplify_names = false;  // judged on the full names
    LoadedRuns runs = load_runs(base, news, o->compare);
    GateVerdict verdict;
    if (base.empty()) {
      std::vector<const Profile*> ps;
      for (auto& r : runs.new_runs) ps.push_back(r.profile);
      verdict = evaluate_budgets(ps, policy);
    } else {
      const FlatTable& t = runs.new_runs.front().table;
      if (!o->policy.min_delta.empty())
        policy.min_delta = units::parse_quantity(o->policy.min_delta, t.unit, t.scale);
      DiffTable d = diff_runs(runs.base, runs.new_runs, diff_options(o->compare));
      sort_diff(d.rows, DiffSort::kDeltaCum);
      verdict = evaluate_gate(d, policy);
      if (verdict.failed + verdict.warned > 0)
        attach_causes(verdict,
                      analyze_causes(runs.base, runs.new_runs, d, parse_granularity(o->compare.by),
                                     o->compare.filters.filter),
                      d);
    }
    if (!verdict.unjudged.empty()) {  // exit 3: the gate could not judge, nothing is written
      std::string msg = join(news) + ": the gate cannot judge ";
      msg += verdict.unjudged.size() == 1 ? "a budget: " : "these budgets: ";
      for (size_t i = 0; i < verdict.unjudged.size(); ++i) msg += (i ? "; " : "") + verdict.unjudged[i];
      throw InputError(msg);
    }
    GateReportInfo info;
    info.base_label = join(base);
    info.new_label = join(news);
    info.policy_summary =
        policy_summary(policy, o->policy, base.size() > 1 || news.size() > 1, base.empty());
    info.max_lines = o->max_lines;
    for (const OutputTarget& t : targets)
      if (t.format == "github") info.source_files = find_source_files(verdict, o->source_root);
    const GateVerdict shown = simplify_names ? with_simplified_names(verdict) : GateVerdict{};
    const GateVerdict& human = simplify_names ? shown : verdict;  // text, md, github
    emit_outputs(targets, [&](const OutputTarget& t) {
      if (t.format == "md") return render_gate_md(human, info);
      if (t.format == "json") return render_gate_json(verdict, info);
      if (t.format == "junit") return render_gate_junit(verdict, info);
      if (t.format == "github") return render_gate_github(human, info);
      // Text to a terminal fits its width (lib/terminal); to a file or a pipe, full width.
      const terminal::TextStyle style = text_style(t.to_stdout() ? "" : t.path);
      std::string text = render_gate_text(human, info, style);
      return style.width == 0 ? text : terminal::wrap_lines(text, style.width);
    });
    return verdict.pass ? 0 : 1;
  };
}

RegisterCommand reg{
    {"gate",
     "CI gate: exit 1 when NEW regressed against BASE past the policy (total, per function, "
     "span budgets; repeated runs judged by Mann-Whitney U)",
     "  perfkit gate base.pb.gz new.pb.gz\n"
     "  perfkit gate base.txt new.txt --max-function-regression 20% --min-delta 5ms --format md\n"
     "  perfkit gate --base b1.pb.gz b2.pb.gz b3.pb.gz b4.pb.gz b5.pb.gz --new n1.pb.gz n2.pb.gz "
     "n3.pb.gz n4.pb.gz n5.pb.gz\n"
     "  perfkit gate trace.json --budget 'inference_step:p99<=100ms'\n"
     "Defaults: total +5%, function cum +10% for functions with share >= 1%, added=warn,\n"
     "removed=ignore, alpha 0.05. Exit 0 pass, 1 regression, 2 usage, 3 bad input.",
     setup}};

}  // namespace
}  // namespace perfkit::cli

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lib/errors.h"
#include "lib/gate.h"

using namespace perfkit;

namespace {

// A diff built by hand: one run per side unless per-run vectors are given.
DiffRow fn(const std::string& name, int64_t base_cum, int64_t new_cum,
           DiffStatus st = DiffStatus::kChanged) {
  DiffRow r;
  r.name = name;
  r.file = name + ".go";
  r.line = 3;
  r.base_cum = r.base_flat = base_cum;
  r.new_cum = r.new_flat = new_cum;
  r.base_cum_runs = r.base_flat_runs = {base_cum};
  r.new_cum_runs = r.new_flat_runs = {new_cum};
  r.status = st;
  return r;
}

DiffTable table(std::vector<DiffRow> rows, int64_t base_total, int64_t new_total) {
  DiffTable d;
  d.type = "cpu";
  d.unit = "nanoseconds";
  d.base_total = base_total;
  d.new_total = new_total;
  d.base_totals = {base_total};
  d.new_totals = {new_total};
  d.base_runs = d.new_runs = 1;
  d.rows = std::move(rows);
  return d;
}

const RuleResult* result(const GateVerdict& v, const std::string& rule, const std::string& subject) {
  for (const auto& r : v.results)
    if (r.rule == rule && r.subject == subject) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("function rule: past the threshold fails, under it passes, tiny functions not judged") {
  DiffTable d = table({fn("slow", 100, 120), fn("ok", 300, 320), fn("tiny", 1, 5)}, 1000, 1000);
  GatePolicy p;  // defaults: +10% on cum, share >= 1%
  GateVerdict v = evaluate_gate(d, p);
  CHECK_FALSE(v.pass);
  CHECK(result(v, "function", "slow")->outcome == Outcome::kFail);
  CHECK(result(v, "function", "slow")->delta_pct == doctest::Approx(20));
  CHECK(result(v, "function", "ok")->outcome == Outcome::kPass);
  CHECK(result(v, "function", "tiny") == nullptr);  // 0.5% share: noise, not judged
  CHECK(v.results.front().outcome == Outcome::kFail);  // failures first
  CHECK(v.failed == 1);

  p.min_delta = 4;  // ... unless its absolute change is large enough
  v = evaluate_gate(d, p);
  CHECK(result(v, "function", "tiny")->outcome == Outcome::kFail);

  p = {};
  p.max_function_regression_pct = 25;
  CHECK(evaluate_gate(d, p).pass);
}

TEST_CASE("total rule and improvements") {
  DiffTable d = table({fn("a", 500, 560)}, 1000, 1060);
  GatePolicy p;
  p.max_function_regression_pct = 50;
  GateVerdict v = evaluate_gate(d, p);
  CHECK(result(v, "total", "total")->outcome == Outcome::kFail);  // +6% > 5%
  DiffTable better = table({fn("a", 500, 100)}, 1000, 600);
  CHECK(evaluate_gate(better, GatePolicy{}).pass);  // improvements never fail
}

TEST_CASE("--on self judges flat") {
  DiffRow r = fn("f", 100, 100);
  r.new_flat = 150;
  DiffTable d = table({r}, 1000, 1000);
  GatePolicy p;
  CHECK(evaluate_gate(d, p).pass);
  p.on_self = true;
  CHECK_FALSE(evaluate_gate(d, p).pass);
}

TEST_CASE("added and removed functions follow their policy") {
  DiffTable d = table({fn("new_fn", 0, 200, DiffStatus::kAdded),
                       fn("old_fn", 200, 0, DiffStatus::kRemoved)},
                      1000, 1000);
  GatePolicy p;  // added=warn (but fail at a share of 5% or more), removed=ignore
  GateVerdict v = evaluate_gate(d, p);
  CHECK_FALSE(v.pass);  // new_fn has 20% of the new total
  CHECK(result(v, "added", "new_fn")->outcome == Outcome::kFail);
  p.added_fail_share_pct = 25;
  v = evaluate_gate(d, p);
  CHECK(v.pass);
  CHECK(result(v, "added", "new_fn")->outcome == Outcome::kWarn);
  CHECK(result(v, "removed", "old_fn") == nullptr);
  p.added = parse_presence("fail");
  p.removed = parse_presence("warn");
  v = evaluate_gate(d, p);
  CHECK_FALSE(v.pass);
  CHECK(result(v, "removed", "old_fn")->outcome == Outcome::kWarn);
  CHECK_THROWS_AS(parse_presence("maybe"), UsageError);
}

namespace {

// Several runs per side: cum of "hot" and of "noisy" per run; totals fixed.
DiffTable runs(const std::vector<int64_t>& hot_base, const std::vector<int64_t>& hot_new) {
  DiffRow r = fn("hot", 0, 0);
  r.base_cum_runs = r.base_flat_runs = hot_base;
  r.new_cum_runs = r.new_flat_runs = hot_new;
  std::vector<double> b(hot_base.begin(), hot_base.end()), n(hot_new.begin(), hot_new.end());
  std::sort(b.begin(), b.end());
  std::sort(n.begin(), n.end());
  r.base_cum = r.base_flat = static_cast<int64_t>(b[b.size() / 2]);
  r.new_cum = r.new_flat = static_cast<int64_t>(n[n.size() / 2]);
  DiffTable d = table({r}, 1000, 1000);
  d.base_runs = static_cast<int>(hot_base.size());
  d.new_runs = static_cast<int>(hot_new.size());
  d.base_totals.assign(hot_base.size(), 1000);
  d.new_totals.assign(hot_new.size(), 1000);
  return d;
}

}  // namespace

TEST_CASE("repeated runs: past the threshold AND significant") {
  // Five per side, fully separated, +50%: p = 2/252 < 0.05 -> fail.
  GateVerdict v = evaluate_gate(runs({100, 101, 99, 102, 98}, {150, 151, 149, 152, 148}), {});
  const RuleResult* r = result(v, "function", "hot");
  REQUIRE(r);
  CHECK(r->outcome == Outcome::kFail);
  CHECK(r->p_value == doctest::Approx(2.0 / 252));
  CHECK(v.notes.empty());

  // Past the threshold by the medians but overlapping runs: not significant -> pass, with why.
  v = evaluate_gate(runs({100, 160, 99, 150, 98}, {150, 101, 149, 97, 148}), {});
  r = result(v, "function", "hot");
  REQUIRE(r);
  CHECK(r->past_threshold);
  CHECK(r->outcome == Outcome::kPass);
  CHECK(r->reason.find("not significant") != std::string::npos);
  REQUIRE(v.notes.size() == 1);
  CHECK(v.notes[0].find("1 of 1 functions past the threshold were not significant") == 0);
}

TEST_CASE("three runs per side can never be significant at 0.05: the user is told") {
  GateVerdict v = evaluate_gate(runs({100, 101, 99}, {300, 301, 299}), {});
  CHECK(v.pass);
  REQUIRE(v.notes.size() == 2);  // this, and "1 of 1 functions past the threshold ..."
  CHECK(v.notes[0].find("smallest two-sided p-value") != std::string::npos);
  CHECK(v.notes[0].find("0.1") != std::string::npos);
  CHECK(v.notes[0].find("at least 4 runs") != std::string::npos);
}

TEST_CASE("Benjamini-Hochberg over the functions past the threshold") {
  // 20 functions past the threshold; one with p = 2/252, the rest overlapping (large p): the
  // lone small p is multiplied by 20 / 1 and no longer significant.
  DiffTable d = runs({100, 101, 99, 102, 98}, {150, 151, 149, 152, 148});
  for (int i = 0; i < 19; ++i) {
    DiffRow r = fn("noisy" + std::to_string(i), 0, 0);
    r.base_cum_runs = {100, 160, 99, 150, 98};
    r.new_cum_runs = {150, 101, 149, 97, 148};
    r.base_flat_runs = r.base_cum_runs;
    r.new_flat_runs = r.new_cum_runs;
    r.base_cum = r.base_flat = 100;
    r.new_cum = r.new_flat = 148;
    d.rows.push_back(r);
  }
  GateVerdict v = evaluate_gate(d, {});
  const RuleResult* hot = result(v, "function", "hot");
  REQUIRE(hot);
  CHECK(hot->q_value == doctest::Approx(20 * 2.0 / 252));
  CHECK(hot->outcome == Outcome::kPass);
  CHECK(v.pass);
}

TEST_CASE("span budgets: parse, judge, and a missing span cannot be judged") {
  SpanBudget b = parse_budget("inference_step:p99<=100ms");
  CHECK(b.span == "inference_step");
  CHECK(b.percentile == 99);
  CHECK(b.limit_ns == 100000000);
  CHECK(parse_budget("ns:name:p50<=1.5s").span == "ns:name");
  CHECK(parse_budget("ns:name:p50<=1.5s").limit_ns == 1500000000);
  CHECK(parse_budget("ns:name:p50<=1.5s").text == "ns:name:p50<=1.5s");
  // A budget is an upper bound written '<=': '<' (which would silently mean '<=') and the rest
  // are refused, saying which operator.
  for (const char* op : {"<", ">=", ">", "=", "==", "<<=", "=<", "!="}) {
    std::string text = std::string("step:p99") + op + "5ms";
    std::string want = std::string("operator '") + op + "' is not supported";
    CHECK_THROWS_WITH_AS(parse_budget(text), doctest::Contains(want.c_str()), UsageError);
  }
  CHECK_THROWS_AS(parse_budget("step:p42<=1ms"), UsageError);
  CHECK_THROWS_AS(parse_budget("step:p99<=1MiB"), UsageError);
  CHECK_THROWS_AS(parse_budget("p99<=1ms"), UsageError);

  Profile p;
  StrId step = p.strings.intern("step");
  for (int i = 1; i <= 100; ++i) {
    Span s;
    s.name = step;
    s.dur_ns = i * 1000000;  // 1..100 ms
    p.spans.push_back(s);
  }
  const Profile* ps[] = {&p};
  GatePolicy pol;
  pol.budgets = {parse_budget("step:p99<=100ms"), parse_budget("step:p50<=40ms"),
                 parse_budget("missing:p50<=1s")};
  GateVerdict v = evaluate_budgets(ps, pol);
  CHECK_FALSE(v.pass);
  CHECK(v.failed == 1);
  CHECK(v.results.size() == 2);  // the missing span is no result: it could not be judged
  REQUIRE(v.unjudged.size() == 1);
  CHECK(v.unjudged[0] ==
        "--budget 'missing:p50<=1s': no span named 'missing' in the input (its 1 span names: step)");
  for (const auto& r : v.results) {
    CHECK(r.subject == "step");
    if (r.percentile == 99) CHECK(r.outcome == Outcome::kPass);
    if (r.percentile == 50 && r.subject == "step") {
      CHECK(r.now == 50000000);
      CHECK(r.outcome == Outcome::kFail);
    }
  }
}

TEST_CASE("span regressions on p50/p95/p99") {
  DiffTable d = table({}, 1000, 1000);
  SpanDiffRow s;
  s.name = "step";
  s.base = {100, 100000, 1000, 1200, 1500};
  s.new_ = {100, 140000, 1000, 1300, 2500};
  d.spans.push_back(s);
  GateVerdict v = evaluate_gate(d, {});
  int fails = 0;
  for (const auto& r : v.results)
    if (r.rule == "span" && r.outcome == Outcome::kFail) {
      ++fails;
      CHECK(r.percentile == 99);
    }
  CHECK(fails == 1);  // p50 +0%, p95 +8.3%, p99 +67%
}

#include "lib/gate_causes.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "lib/gate.h"
#include "lib/source_files.h"
#include "tests/flame_test_util.h"

using namespace perfkit;
using perfkit::testing::make_stacks;

namespace {

using Stacks = std::vector<std::pair<std::vector<std::string>, int64_t>>;

struct Judged {
  Profile base, now;
  DiffTable diff;
  CauseAnalysis causes;
  GateVerdict verdict;
};

Judged judge(const Stacks& base, const Stacks& now) {
  Judged j{make_stacks(base), make_stacks(now), {}, {}, {}};
  AggregateOptions o;
  std::vector<RunTable> b{{&j.base, aggregate(j.base, o)}}, n{{&j.now, aggregate(j.now, o)}};
  j.diff = diff_runs(b, n, DiffOptions{});
  sort_diff(j.diff.rows, DiffSort::kDeltaCum);
  j.causes = analyze_causes(b, n, j.diff, Granularity::kFunction, {});
  j.verdict = evaluate_gate(j.diff, GatePolicy{});
  attach_causes(j.verdict, j.causes, j.diff);
  return j;
}

// The cause a judged function's rule is grouped under ("" for none).
std::string cause_of(const Judged& j, const std::string& subject) {
  for (const RuleResult& r : j.verdict.results)
    if (r.subject == subject) return r.cause >= 0 ? j.verdict.causes[r.cause].subject : "";
  FAIL("no rule for " << subject);
  return "";
}

// The own changes add up to the change of the total, whatever the causes are.
void check_telescopes(const Judged& j) {
  double sum = std::accumulate(j.causes.own_of_row.begin(), j.causes.own_of_row.end(), 0.0);
  CHECK(sum == doctest::Approx(double(j.diff.new_total - j.diff.base_total)));
}

}  // namespace

TEST_CASE("causes: a new call is its caller's change, and explains everything below it") {
  Judged j = judge({{{"main", "serve", "match", "scan"}, 100}, {{"main", "serve", "other"}, 900}},
                   {{{"main", "serve", "match", "scan"}, 100},
                    {{"main", "serve", "match", "compile", "parse"}, 300},
                    {{"main", "serve", "match", "compile", "alloc"}, 200},
                    {{"main", "serve", "other"}, 500}});
  check_telescopes(j);
  REQUIRE(j.causes.computed);
  REQUIRE_FALSE(j.verdict.causes.empty());
  const GateCause& c = j.verdict.causes.front();
  CHECK(c.subject == "match");
  CHECK(c.own == doctest::Approx(500));
  REQUIRE(c.new_calls.size() == 1);
  CHECK(c.new_calls[0].first == "compile");
  CHECK(c.share == doctest::Approx(1.0));  // other shrank: no other growth
  for (const char* f : {"match", "compile", "parse", "alloc"}) CHECK(cause_of(j, f) == "match");
  // An added function with a large share fails by default.
  for (const RuleResult& r : j.verdict.results)
    if (r.subject == "compile") CHECK(r.outcome == Outcome::kFail);
}

TEST_CASE("causes: a function that got 3x slower with all it calls owns that, not its callees") {
  Stacks base = {{{"main", "a", "f"}, 50},       {{"main", "a", "f", "x"}, 100},
                 {{"main", "a", "f", "y"}, 100}, {{"main", "a", "g"}, 400},
                 {{"main", "b", "x"}, 300},      {{"main", "b"}, 50}};
  Stacks now = {{{"main", "a", "f"}, 150},      {{"main", "a", "f", "x"}, 300},
                {{"main", "a", "f", "y"}, 300}, {{"main", "a", "g"}, 400},
                {{"main", "b", "x"}, 300},      {{"main", "b"}, 50}};
  Judged j = judge(base, now);
  check_telescopes(j);
  REQUIRE_FALSE(j.verdict.causes.empty());
  CHECK(j.verdict.causes.front().subject == "f");
  CHECK(j.verdict.causes.front().own == doctest::Approx(500));
  CHECK(j.verdict.causes.size() == 1);
  for (const char* fn : {"f", "x", "y", "a", "main"}) CHECK(cause_of(j, fn) == "f");
}

TEST_CASE("causes: a leaf that got slower everywhere owns its growth") {
  Judged j = judge({{{"main", "a", "leaf"}, 100},
                    {{"main", "a", "other"}, 300},
                    {{"main", "b", "leaf"}, 100},
                    {{"main", "b", "more"}, 300}},
                   {{{"main", "a", "leaf"}, 300},
                    {{"main", "a", "other"}, 300},
                    {{"main", "b", "leaf"}, 300},
                    {{"main", "b", "more"}, 300}});
  check_telescopes(j);
  REQUIRE(j.verdict.causes.size() == 1);
  CHECK(j.verdict.causes.front().subject == "leaf");
  CHECK(j.verdict.causes.front().self_delta == doctest::Approx(400));
  for (const char* fn : {"leaf", "a", "b", "main"}) CHECK(cause_of(j, fn) == "leaf");
}

TEST_CASE("causes: two independent regressions are two causes, each with its own functions") {
  Judged j = judge({{{"main", "a", "p"}, 100},
                    {{"main", "a", "q"}, 100},
                    {{"main", "b", "r"}, 100},
                    {{"main", "b", "s"}, 700}},
                   {{{"main", "a", "p"}, 400},
                    {{"main", "a", "q"}, 100},
                    {{"main", "b", "r"}, 100},
                    {{"main", "b", "s"}, 700},
                    {{"main", "b", "t"}, 200}});
  check_telescopes(j);
  REQUIRE(j.verdict.causes.size() == 2);
  CHECK(j.verdict.causes[0].subject == "p");
  CHECK(j.verdict.causes[1].subject == "b");  // b newly calls t
  CHECK(j.verdict.causes[0].share == doctest::Approx(0.6));
  CHECK(cause_of(j, "a") == "p");
  CHECK(cause_of(j, "t") == "b");
}

TEST_CASE("causes: function tables have no stacks, nothing is computed") {
  Profile base, now;
  for (Profile* p : {&base, &now}) {
    p->format = "table";
    TableRow r;
    r.name = p->strings.intern("f");
    r.self_ns = r.total_ns = p == &base ? 100 : 300;
    p->rows.push_back(r);
  }
  AggregateOptions o;
  std::vector<RunTable> b{{&base, aggregate(base, o)}}, n{{&now, aggregate(now, o)}};
  DiffTable d = diff_runs(b, n, DiffOptions{});
  CauseAnalysis a = analyze_causes(b, n, d, Granularity::kFunction, {});
  CHECK_FALSE(a.computed);
  CHECK(a.causes.empty());
}

TEST_CASE("annotation files: only files under the source root, as paths relative to it") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("perfkit-src-" + std::to_string(::getpid()));
  fs::create_directories(root / "pkg" / "sub");
  { std::ofstream(root / "pkg" / "sub" / "x.go") << "package sub\n"; }
  { std::ofstream(root / "main.go") << "package main\n"; }
  const std::string r = root.string();
  CHECK(find_source_file("pkg/sub/x.go", r) == "pkg/sub/x.go");
  CHECK(find_source_file("./pkg/sub/x.go", r) == "pkg/sub/x.go");
  CHECK(find_source_file((root / "pkg/sub/x.go").string(), r) == "pkg/sub/x.go");
  CHECK(find_source_file("/home/runner/work/app/app/pkg/sub/x.go", r) == "pkg/sub/x.go");
  CHECK(find_source_file("/build/other/sub/x.go", r) == "");    // sub/x.go is not under root
  CHECK(find_source_file("/usr/lib/go/src/main.go", r) == "");  // one component is not enough
  CHECK(find_source_file("main.go", r) == "main.go");
  CHECK(find_source_file("runtime/proc.go", r) == "");
  CHECK(find_source_file("../pkg/sub/x.go", r) == "pkg/sub/x.go");  // from a build directory
  CHECK(find_source_file("", r) == "");
  fs::remove_all(root);
}

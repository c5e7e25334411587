#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lib/aggregate.h"
#include "lib/errors.h"

using namespace perfkit;

namespace {

// Builds a profile from root-first stacks of function names with one value each.
Profile make(const std::vector<std::pair<std::vector<std::string>, int64_t>>& stacks) {
  Profile p;
  p.value_types.push_back({p.strings.intern("cpu"), p.strings.intern("nanoseconds")});
  for (const auto& [names, v] : stacks) {
    StackId s = kEmptyStack;
    for (const auto& n : names) s = p.child(s, p.intern_frame({p.strings.intern(n), 0, 0, false}));
    p.add_sample(s, &v);
  }
  return p;
}

const FlatRow& row(const Profile& p, const FlatTable& t, const std::string& name) {
  for (const auto& r : t.rows)
    if (p.str(r.name) == name) return r;
  FAIL("no row " << name);
  static FlatRow none;
  return none;
}

}  // namespace

TEST_CASE("flat goes to the leaf, cum counts recursion once per sample") {
  Profile p = make({{{"main", "fib", "fib", "fib"}, 10}, {{"main", "work"}, 5}, {{"main"}, 1}});
  FlatTable t = aggregate(p, {});
  CHECK(t.total == 16);
  CHECK(row(p, t, "fib").flat == 10);
  CHECK(row(p, t, "fib").cum == 10);  // not 30
  CHECK(row(p, t, "main").cum == 16);
  CHECK(row(p, t, "main").flat == 1);
  int64_t sum_flat = 0;
  for (const auto& r : t.rows) sum_flat += r.flat;
  CHECK(sum_flat == t.total);
}

TEST_CASE("hide moves flat to the nearest kept caller; focus and ignore select samples") {
  Profile p = make({{{"main", "sortWork", "sort.partition"}, 7}, {{"main", "hash"}, 3}});
  AggregateOptions o;
  o.filter.hide = "^sort\\.";
  FlatTable t = aggregate(p, o);
  CHECK(row(p, t, "sortWork").flat == 7);
  for (const auto& r : t.rows) CHECK(p.str(r.name) != "sort.partition");

  AggregateOptions f;
  f.filter.focus = "hash";
  t = aggregate(p, f);
  CHECK(t.total == 10);  // pprof: total before focus
  CHECK(t.kept_total == 3);
  CHECK(row(p, t, "main").cum == 3);

  AggregateOptions ig;
  ig.filter.ignore = "hash";
  t = aggregate(p, ig);
  CHECK(row(p, t, "main").cum == 7);
}

TEST_CASE("sort follows pprof: |flat| desc, then name") {
  Profile p = make({{{"b"}, 5}, {{"a"}, 5}, {{"c"}, 9}});
  FlatTable t = aggregate(p, {});
  sort_rows(p, t.rows, SortKey::kFlat);
  REQUIRE(t.rows.size() == 3);
  CHECK(p.str(t.rows[0].name) == "c");
  CHECK(p.str(t.rows[1].name) == "a");
  CHECK(p.str(t.rows[2].name) == "b");
}

TEST_CASE("value index by name, index, or a clear usage error") {
  Profile p = make({{{"a"}, 1}});
  CHECK(resolve_value_index(p, "") == 0);
  CHECK(resolve_value_index(p, "cpu") == 0);
  CHECK(resolve_value_index(p, "0") == 0);
  CHECK_THROWS_AS(resolve_value_index(p, "alloc_space"), UsageError);
}

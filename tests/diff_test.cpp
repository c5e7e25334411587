#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "formats/registry.h"
#include "lib/diff.h"
#include "lib/errors.h"
#include "lib/units.h"
#include "pprof_test_util.h"

using namespace perfkit;

namespace {

// A function table (no stacks): rows of name, file, line, self, total (ns).
struct Fn {
  std::string name, file;
  int64_t line, self_ns, total_ns;
};

Profile table(const std::vector<Fn>& fns, const std::string& clock = "CPU") {
  Profile p;
  p.format = "table";
  p.clock_type = clock;
  for (const Fn& f : fns) {
    TableRow r;
    r.name = p.strings.intern(f.name);
    r.file = p.strings.intern(f.file);
    r.line = f.line;
    r.self_ns = f.self_ns;
    r.total_ns = f.total_ns;
    p.rows.push_back(r);
  }
  return p;
}

// A sampled profile: root-first stacks of function names (file "f.go") with one value each.
Profile sampled(const std::vector<std::pair<std::vector<std::string>, int64_t>>& stacks,
                const std::string& type = "cpu", const std::string& unit = "nanoseconds") {
  Profile p;
  p.value_types.push_back({p.strings.intern(type), p.strings.intern(unit)});
  for (const auto& [names, v] : stacks) {
    StackId s = kEmptyStack;
    for (const auto& n : names)
      s = p.child(s, p.intern_frame({p.strings.intern(n), p.strings.intern("f.go"), 7, false}));
    p.add_sample(s, &v);
  }
  return p;
}

DiffTable diff2(const Profile& b, const Profile& n, DiffOptions o = {}) {
  std::vector<RunTable> bs{{&b, aggregate(b, {})}}, ns{{&n, aggregate(n, {})}};
  return diff_runs(bs, ns, o);
}

const DiffRow* find(const DiffTable& d, const std::string& name) {
  for (const auto& r : d.rows)
    if (r.name == name) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("functions match by name and file, not by line") {
  Profile b = table({{"main", "app.py", 10, 5, 100}, {"work", "app.py", 20, 95, 95}});
  Profile n = table({{"main", "app.py", 12, 5, 60}, {"work", "app.py", 22, 55, 55}});
  DiffTable d = diff2(b, n);
  REQUIRE(d.rows.size() == 2);
  const DiffRow* w = find(d, "work");
  REQUIRE(w);
  CHECK(w->status == DiffStatus::kChanged);
  CHECK(w->base_cum == 95);
  CHECK(w->new_cum == 55);
  CHECK(w->delta_cum() == -40);
  CHECK(w->line == 22);  // the new side's line, for annotations
  CHECK(d.base_total == 100);
  CHECK(d.new_total == 60);
  // Same name in another file is another function.
  Profile other = table({{"main", "app.py", 10, 5, 100}, {"work", "lib.py", 20, 95, 95}});
  DiffTable d2 = diff2(b, other);
  CHECK(d2.rows.size() == 3);
}

// A pprof profile of one sample in an unsymbolized binary mapped from `path`.
std::string unsymbolized_pprof(const std::string& path, int64_t v) {
  perftools::profiles::Profile pb;
  for (const char* s : {"", "samples", "count"}) pb.add_string_table(s);
  pb.add_string_table(path);
  auto* st = pb.add_sample_type();
  st->set_type(1);
  st->set_unit(2);
  auto* m = pb.add_mapping();
  m->set_id(1);
  m->set_memory_start(0x400000);
  m->set_memory_limit(0x500000);
  m->set_filename(3);
  auto* l = pb.add_location();
  l->set_id(1);
  l->set_mapping_id(1);
  l->set_address(0x401000);
  auto* s = pb.add_sample();
  s->add_location_id(1);
  s->add_value(v);
  return pb.SerializeAsString();
}

TEST_CASE("unsymbolized frames match by their mapping's whole path, as pprof keys them") {
  Profile b = testing::read_pprof_bytes(unsymbolized_pprof("/home/app", 100));
  Profile moved = testing::read_pprof_bytes(unsymbolized_pprof("app", 80));
  Profile same = testing::read_pprof_bytes(unsymbolized_pprof("/home/app", 80));
  DiffTable d = diff2(b, moved, {.detect_renames = false});
  REQUIRE(d.rows.size() == 2);  // one '[app]' removed, one added (pprof prints both)
  for (const DiffRow& r : d.rows) {
    CHECK(r.name == "[app]");
    CHECK((r.status == DiffStatus::kRemoved ? r.base_cum == 100 : r.new_cum == 80));
  }
  DiffTable d2 = diff2(b, same);
  REQUIRE(d2.rows.size() == 1);
  CHECK(d2.rows[0].delta_cum() == -20);
}

TEST_CASE("added, removed, unchanged, and every delta is new - base") {
  Profile b = sampled({{{"main", "a"}, 10}, {{"main", "gone"}, 5}});
  Profile n = sampled({{{"main", "a"}, 10}, {{"main", "fresh"}, 7}});
  DiffTable d = diff2(b, n, {.detect_renames = false});
  CHECK(find(d, "a")->status == DiffStatus::kUnchanged);
  CHECK(find(d, "gone")->status == DiffStatus::kRemoved);
  CHECK(find(d, "fresh")->status == DiffStatus::kAdded);
  CHECK(find(d, "main")->status == DiffStatus::kChanged);
  for (const auto& r : d.rows) {
    CHECK(r.delta_cum() == r.new_cum - r.base_cum);
    CHECK(r.delta_flat() == r.new_flat - r.base_flat);
  }
}

TEST_CASE("likely renames: same file, similar cost, reported instead of split") {
  Profile b = table({{"main", "app.py", 1, 10, 1000}, {"_score", "app.py", 5, 300, 300},
                     {"helper", "app.py", 9, 690, 690}});
  Profile n = table({{"main", "app.py", 1, 10, 1000}, {"_rank", "app.py", 5, 310, 310},
                     {"helper", "app.py", 9, 680, 680}});
  DiffTable d = diff2(b, n);
  const DiffRow* r = find(d, "_rank");
  REQUIRE(r);
  CHECK(r->status == DiffStatus::kRenamed);
  CHECK(r->base_name == "_score");
  CHECK(r->base_cum == 300);
  CHECK(r->new_cum == 310);
  CHECK(find(d, "_score") == nullptr);
  CHECK(status_name(r->status) == "renamed");

  // Different file, or very different cost: not a rename.
  Profile n2 = table({{"main", "app.py", 1, 10, 1000}, {"_rank", "other.py", 5, 310, 310},
                      {"helper", "app.py", 9, 680, 680}});
  CHECK(find(diff2(b, n2), "_rank")->status == DiffStatus::kAdded);
  Profile n3 = table({{"main", "app.py", 1, 10, 1000}, {"_rank", "app.py", 5, 30, 30},
                      {"helper", "app.py", 9, 960, 960}});
  CHECK(find(diff2(b, n3), "_rank")->status == DiffStatus::kAdded);
}

TEST_CASE("--normalize scales the new run to the base total, as pprof's -normalize") {
  Profile b = sampled({{{"main", "a"}, 50}, {{"main", "b"}, 50}});
  Profile n = sampled({{{"main", "a"}, 100}, {{"main", "b"}, 300}});
  DiffTable d = diff2(b, n, {.normalize = true});
  CHECK(d.normalized);
  CHECK(d.normalized_to_base);
  CHECK(d.normalize_factor == doctest::Approx(0.25));
  CHECK(d.base_total == 100);
  CHECK(d.new_total == 100);
  CHECK(d.base_total_raw == 100);
  CHECK(d.new_total_raw == 400);
  CHECK(find(d, "a")->base_cum == 50);
  CHECK(find(d, "a")->new_cum == 25);
  CHECK(find(d, "a")->delta_cum() == -25);
  CHECK(find(d, "b")->delta_cum() == 25);
}

TEST_CASE("--normalize-to-new scales the base to the new total") {
  Profile b = sampled({{{"main", "a"}, 50}, {{"main", "b"}, 50}});
  Profile n = sampled({{{"main", "a"}, 100}, {{"main", "b"}, 300}});
  DiffTable d = diff2(b, n, {.normalize = true, .normalize_to_new = true});
  CHECK(d.normalized);
  CHECK_FALSE(d.normalized_to_base);
  CHECK(d.normalize_factor == doctest::Approx(4.0));
  CHECK(d.base_total == 400);
  CHECK(d.new_total == 400);
  CHECK(find(d, "a")->base_cum == 200);
  CHECK(find(d, "a")->delta_cum() == -100);
  CHECK(find(d, "b")->delta_cum() == 100);
}

TEST_CASE("one type stored at different scales is converted to the finest") {
  Profile whole = sampled({{{"main", "a"}, 10}});
  Profile frac = sampled({{{"main", "a"}, 12500000}, {{"main", "b"}, 500000}});
  frac.value_types[0].scale = 1000000;  // folded with fractional counts: 12.5 and 0.5
  CHECK(resolve_comparable(whole, frac, "").new_index == 0);
  DiffTable d = diff2(whole, frac);
  CHECK(d.scale == 1000000);
  CHECK(d.base_total == 10000000);
  CHECK(find(d, "a")->delta_cum() == 2500000);
  CHECK(find(d, "b")->status == DiffStatus::kAdded);
}

TEST_CASE("incomparable inputs are refused with the reason") {
  Profile cpu = sampled({{{"a"}, 1}});
  Profile heap = sampled({{{"a"}, 1}}, "alloc_space", "bytes");
  cpu.path = "cpu.pb.gz";
  heap.path = "heap.pb.gz";
  CHECK_THROWS_WITH_AS(resolve_comparable(cpu, heap, ""),
                       doctest::Contains("cpu/nanoseconds, this measures alloc_space/bytes"),
                       InputError);
  Profile t = table({{"a", "x.py", 1, 1, 1}});
  t.path = "t.txt";
  CHECK_THROWS_WITH_AS(resolve_comparable(t, cpu, ""), doctest::Contains("function table"),
                       InputError);
  Profile wall = table({{"a", "x.py", 1, 1, 1}}, "WALL");
  CHECK_THROWS_WITH_AS(resolve_comparable(t, wall, ""), doctest::Contains("WALL clock"),
                       InputError);
  CHECK_THROWS_AS(resolve_comparable(cpu, cpu, "nope"), UsageError);
  ValuePair v = resolve_comparable(cpu, cpu, "");
  CHECK(v.base_index == 0);
}

TEST_CASE("repeated runs: medians, per-run vectors with zeros where absent") {
  Profile b1 = sampled({{{"a"}, 10}}), b2 = sampled({{{"a"}, 12}}), b3 = sampled({{{"b"}, 5}});
  Profile n1 = sampled({{{"a"}, 20}});
  std::vector<RunTable> bs{{&b1, aggregate(b1, {})}, {&b2, aggregate(b2, {})},
                           {&b3, aggregate(b3, {})}};
  std::vector<RunTable> ns{{&n1, aggregate(n1, {})}};
  DiffTable d = diff_runs(bs, ns, {});
  const DiffRow* a = find(d, "a");
  REQUIRE(a);
  CHECK(a->base_cum_runs == std::vector<int64_t>{10, 12, 0});
  CHECK(a->base_cum == 10);
  CHECK(a->new_cum == 20);
  CHECK(d.base_runs == 3);
  CHECK(d.base_totals == std::vector<int64_t>{10, 12, 5});
}

TEST_CASE("sort: largest |cum delta| first, ties by the larger flat delta") {
  Profile b = sampled({{{"main", "x"}, 10}, {{"main", "y"}, 100}});
  Profile n = sampled({{{"main", "x"}, 60}, {{"main", "y"}, 70}});
  DiffTable d = diff2(b, n);
  sort_diff(d.rows, DiffSort::kDeltaCum);
  REQUIRE(d.rows.size() == 3);
  CHECK(d.rows[0].name == "x");  // +50 cum and +50 flat beats main's +20
  CHECK(d.rows[1].name == "y");
  sort_diff(d.rows, DiffSort::kName);
  CHECK(d.rows[0].name == "main");
  CHECK_THROWS_AS(parse_diff_sort("size"), UsageError);
}

TEST_CASE("span percentiles by name, nearest rank") {
  Profile p;
  StrId step = p.strings.intern("step");
  for (int i = 1; i <= 100; ++i) {
    Span s;
    s.name = step;
    s.dur_ns = i * 1000;
    p.spans.push_back(s);
  }
  Span summary;
  summary.name = step;
  summary.dur_ns = 1;
  summary.summary = true;
  p.spans.push_back(summary);
  const Profile* ps[] = {&p};
  auto stats = span_stats_by_name(ps);
  REQUIRE(stats.size() == 1);
  CHECK(stats[0].stat.count == 100);
  CHECK(stats[0].stat.p50_ns == 50000);
  CHECK(stats[0].stat.p95_ns == 95000);
  CHECK(stats[0].stat.p99_ns == 99000);
}

// go tool pprof -top -diff_base base new: every function's flat and cum deltas, printed in the
// unit pprof chose (seconds), must be what perfkit computes.
TEST_CASE("pprof corpus: deltas agree with go tool pprof -diff_base") {
  std::string dir = std::string(PERFKIT_SOURCE_DIR) + "/testdata/pprof/";
  Profile b = read_profile(dir + "go_cpu_base.pb.gz", {});
  Profile n = read_profile(dir + "go_cpu_slow_regex.pb.gz", {});
  DiffTable d = diff2(b, n, {.detect_renames = false});
  std::map<std::string, const DiffRow*> by_name;
  for (const auto& r : d.rows) by_name[r.name] = &r;

  std::ifstream in(dir + "expected/diff_slow_regex.top.txt");
  REQUIRE(in);
  std::string line;
  int checked = 0;
  bool table = false;
  while (std::getline(in, line)) {
    if (line.find("flat  flat%") != std::string::npos) {
      table = true;
      continue;
    }
    if (!table) continue;
    std::istringstream ls(line);
    std::string flat, flat_pct, sum_pct, cum, cum_pct, name;
    ls >> flat >> flat_pct >> sum_pct >> cum >> cum_pct;
    std::getline(ls, name);
    name = name.substr(name.find_first_not_of(' '));
    for (const char* suffix : {" (inline)", " (partial-inline)"})
      if (name.size() > strlen(suffix) && name.ends_with(suffix))
        name.resize(name.size() - strlen(suffix));
    auto it = by_name.find(name);
    INFO(name);
    REQUIRE(it != by_name.end());
    CHECK(units::pprof_label(it->second->delta_flat(), "nanoseconds", "s") == flat);
    CHECK(units::pprof_label(it->second->delta_cum(), "nanoseconds", "s") == cum);
    ++checked;
  }
  CHECK(checked > 400);
  // The regexp compilation path leads the regressions of matched functions: main.matchAll.
  sort_diff(d.rows, DiffSort::kDeltaCum);
  const DiffRow* top_changed = nullptr;
  for (const auto& r : d.rows)
    if (r.status == DiffStatus::kChanged && r.delta_cum() > 0) {
      top_changed = &r;
      break;
    }
  REQUIRE(top_changed);
  CHECK(top_changed->name == "main.matchAll");
  CHECK(d.rows[0].name == "regexp.compile");  // added: compiled on every call
}

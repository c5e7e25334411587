#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "formats/chrome/chrome_merge.h"
#include "formats/pprof/pprof_writer.h"
#include "lib/errors.h"
#include "lib/merge.h"
#include "tests/flame_test_util.h"

using namespace perfkit;
using namespace perfkit::testing;

TEST_CASE("merge_profiles sums stacks and is associative") {
  Profile a = make_stacks({{{"main", "a"}, 1}, {{"main", "b"}, 2}});
  Profile b = make_stacks({{{"main", "b"}, 10}, {{"main", "c"}, 20}});
  Profile c = make_stacks({{{"x"}, 100}, {{"main", "a"}, 5}});
  Profile all = merge_profiles({&a, &b, &c});
  auto v = stack_values(all, "cpu");
  CHECK(v["main;a"] == 6);
  CHECK(v["main;b"] == 12);
  CHECK(v["main;c"] == 20);
  CHECK(v["x"] == 100);
  Profile ab = merge_profiles({&a, &b});
  Profile left = merge_profiles({&ab, &c});
  Profile bc = merge_profiles({&b, &c});
  Profile right = merge_profiles({&a, &bc});
  CHECK(stack_values(left, "cpu") == v);
  CHECK(stack_values(right, "cpu") == v);
  CHECK(write_pprof(left) == write_pprof(all));  // the same bytes, not only the same sums
}

TEST_CASE("merge_profiles refuses different sample types, naming the file") {
  Profile a = make_stacks({{{"main"}, 1}});
  a.path = "a.pb.gz";
  Profile b = make_stacks({{{"main"}, 1}}, "alloc", "bytes");
  b.path = "b.pb.gz";
  CHECK_THROWS_WITH_AS(merge_profiles({&a, &b}),
                       doctest::Contains("b.pb.gz: cannot merge it (alloc/bytes) with a.pb.gz"),
                       InputError);
  Profile c = make_stacks({{{"main"}, 1}}, "cpu", "count");  // a unit that does not convert
  c.path = "c.pb.gz";
  CHECK_THROWS_WITH_AS(merge_profiles({&a, &c}), doctest::Contains("c.pb.gz"), InputError);
  // pprof refuses another period type; nothing of the refused input is added.
  Profile d = make_stacks({{{"main"}, 1}});
  d.path = "d.pb.gz";
  d.meta.period_type = {d.strings.intern("space"), d.strings.intern("bytes"), 1};
  ProfileMerger m;
  m.add(a);
  CHECK_THROWS_WITH_AS(m.add(d), doctest::Contains("period types differ"), InputError);
  m.add(a);
  CHECK(stack_values(m.finish(), "cpu")["main"] == 2);
}

namespace {

Profile labelled(const std::vector<std::pair<std::string, std::string>>& labels, int64_t v,
                 const char* unit = "nanoseconds") {
  Profile p = make_stacks({}, "cpu", unit);
  StackId s = p.child(kEmptyStack, p.intern_frame({p.strings.intern("main"), 0, 0, false}));
  std::vector<Label> ls;
  for (const auto& [k, val] : labels) ls.push_back({p.strings.intern(k), p.strings.intern(val), 0, 0});
  p.add_sample(s, &v, ls.data(), static_cast<uint32_t>(ls.size()));
  return p;
}

}  // namespace

TEST_CASE("merge_profiles sums samples with the same labels in any order, as pprof does") {
  Profile a = labelled({{"thread", "1"}, {"route", "/a"}}, 1);
  Profile b = labelled({{"route", "/a"}, {"thread", "1"}}, 10);
  Profile c = labelled({{"route", "/b"}, {"thread", "1"}}, 100);
  Profile d = labelled({}, 1000);
  Profile m = merge_profiles({&a, &b, &c, &d});
  REQUIRE(m.samples().size() == 3);
  CHECK(m.value(0, 0) == 11);
  CHECK(m.samples()[0].label_count == 2);
  CHECK(m.str(m.labels()[m.samples()[0].label_begin].key) == "thread");  // first one's order
  CHECK(m.value(1, 0) == 100);
  CHECK(m.value(2, 0) == 1000);
}

TEST_CASE("merge_profiles converts units of one dimension to the finer, as pprof's ScaleProfiles") {
  Profile ms = make_stacks({{{"main", "a"}, 3}}, "cpu", "milliseconds");
  Profile ns = make_stacks({{{"main", "a"}, 5}, {{"main", "b"}, 7}}, "cpu", "nanoseconds");
  ms.meta.period_type = {ms.strings.intern("cpu"), ms.strings.intern("milliseconds"), 1};
  ms.meta.period = 10;
  ns.meta.period_type = {ns.strings.intern("cpu"), ns.strings.intern("nanoseconds"), 1};
  ns.meta.period = 1000;
  Profile m = merge_profiles({&ms, &ns});
  CHECK(m.str(m.value_types[0].unit) == "nanoseconds");
  auto v = stack_values(m, "cpu");
  CHECK(v["main;a"] == 3'000'005);
  CHECK(v["main;b"] == 7);
  CHECK(m.str(m.meta.period_type.unit) == "nanoseconds");
  CHECK(m.meta.period == 10'000'000);  // the largest, in the common unit
  Profile back = merge_profiles({&ns, &ms});  // the other order: the same sums
  CHECK(stack_values(back, "cpu") == v);
}

TEST_CASE("merge: samples that sum to zero are dropped at the end, not in partials") {
  Profile a = make_stacks({{{"main", "a"}, 5}, {{"main", "b"}, 1}});
  Profile b = make_stacks({{{"main", "a"}, -5}, {{"main", "c"}, 0}});
  ProfileMerger m;
  m.add(a);
  m.add(b);
  Profile part = m.take_partial();
  CHECK(part.samples().size() == 2);  // main;a at zero kept, main;c (an all-zero input) skipped
  ProfileMerger again;
  again.add(part);
  Profile done = again.finish();
  REQUIRE(done.samples().size() == 1);
  CHECK(stack_values(done, "cpu") == std::map<std::string, int64_t>{{"main;b", 1}});
}

TEST_CASE("merge: a tree of partial merges over contiguous runs gives the one-by-one bytes") {
  std::vector<Profile> in;
  for (int i = 0; i < 7; ++i) {
    std::vector<std::pair<std::vector<std::string>, int64_t>> st;
    for (int k = 0; k <= i; ++k) st.push_back({{"main", "f" + std::to_string((i * 3 + k) % 5), "g" + std::to_string(k)}, i + k + 1});
    in.push_back(make_stacks(st));
    if (i == 3) in.back().meta.comments.push_back(in.back().strings.intern("machine 3"));
  }
  std::vector<const Profile*> all;
  for (const Profile& p : in) all.push_back(&p);
  std::string one_by_one = write_pprof(merge_profiles(all));
  for (size_t cut : {1u, 3u, 6u}) {
    ProfileMerger left, right;
    for (size_t i = 0; i < in.size(); ++i) (i < cut ? left : right).add(in[i]);
    left.add(right.take_partial());
    CHECK(write_pprof(left.finish()) == one_by_one);
  }
}

TEST_CASE("merge_profiles of the corpus: totals add up") {
  Profile p = read_profile(source_path("testdata/pprof/go_cpu_base.pb.gz"), {});
  Profile q = read_profile(source_path("testdata/pprof/go_cpu_slow_regex.pb.gz"), {});
  Profile m = merge_profiles({&p, &q});
  auto total = [](const Profile& x, int k) {
    int64_t t = 0;
    for (size_t i = 0; i < x.samples().size(); ++i) t += x.value(i, k);
    return t;
  };
  for (int k = 0; k < 2; ++k) CHECK(total(m, k) == total(p, k) + total(q, k));
  CHECK(m.meta.duration_ns == p.meta.duration_ns + q.meta.duration_ns);
}

namespace {

std::vector<InputBuffer> fragments() {
  std::vector<InputBuffer> in;
  in.push_back(buffer_of(
      "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"a\"}}\n"
      "{\"ph\":\"X\",\"name\":\"late\",\"pid\":1,\"tid\":1,\"ts\":30,\"dur\":1}\n"
      "{\"ph\":\"X\",\"name\":\"early\",\"pid\":1,\"tid\":1,\"ts\":10.5,\"dur\":1}\n"
      "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"a\"}}\n",
      "a.jsonl"));
  in.push_back(buffer_of(
      "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"b\"}}\n"
      "{\"ph\":\"X\",\"name\":\"mid\",\"pid\" : 1,\"tid\":1,\"ts\":20,\"dur\":1}\n"
      "{\"ph\":\"X\",\"name\":\"other\",\"pid\":7,\"tid\":1,\"ts\":\"25\",\"dur\":1}\n"
      "{\"ph\":\"X\",\"name\":\"cut\",\"pid\":1,\"tid\":1,\"ts\":9",
      "b.jsonl"));
  in.push_back(buffer_of("[{\"ph\":\"X\",\"name\":\"arr\",\"pid\":7,\"tid\":2,\"ts\":15,\"dur\":2},\n"
                         "{\"ph\":\"X\",\"name\":\"half\",\"pid\":7,",
                         "c.json"));
  in.push_back(buffer_of("{\"otherData\":{\"x\":[1,{\"traceEvents\":2}]},\"traceEvents\":["
                         "{\"ph\":\"i\",\"name\":\"obj\",\"pid\":9,\"tid\":1,\"ts\":1,\"s\":\"t\"},{}]}",
                         "d.json"));
  return in;
}

}  // namespace

TEST_CASE("chrome fragments: time order, pids remapped, metadata deduplicated, cut events counted") {
  auto in = fragments();
  TraceMergeResult r = merge_chrome_fragments(in, {1, false});
  auto j = nlohmann::json::parse(r.json);
  auto& ev = j["traceEvents"];
  REQUIRE(ev.size() == 8);
  CHECK(r.events == 8);
  CHECK(r.duplicate_metadata == 1);
  CHECK(ev[0]["args"]["name"] == "a");
  CHECK(ev[0]["pid"] == 1);
  CHECK(ev[1]["args"]["name"] == "b");
  int64_t b_pid = ev[1]["pid"];
  CHECK(b_pid != 1);
  std::vector<std::string> names;
  for (size_t i = 2; i < ev.size(); ++i) names.push_back(ev[i]["name"]);
  CHECK(names == std::vector<std::string>{"obj", "early", "arr", "mid", "other", "late"});
  CHECK(ev[5]["pid"] == b_pid);  // "mid" followed its file's process
  CHECK(ev[6]["pid"] == 7);      // first file with pid 7 keeps it
  CHECK(ev[4]["pid"] != 7);      // c.json's pid 7 collides with b.jsonl's
  CHECK(r.remapped_pids == 2);
  int64_t cut = 0;
  for (const Warning& w : r.warnings)
    if (w.what.find("cut") != std::string::npos) cut += w.count;
  CHECK(cut == 2);
  // Same bytes with two threads; associative: merging the merge with nothing changes nothing.
  CHECK(merge_chrome_fragments(in, {2, false}).json == r.json);
  std::vector<InputBuffer> again;
  again.push_back(buffer_of(r.json, "merged.json"));
  TraceMergeResult r2 = merge_chrome_fragments(again, {1, false});
  CHECK(nlohmann::json::parse(r2.json)["traceEvents"] == ev);
}

TEST_CASE("chrome fragments: keep_pids treats one pid in several files as one process") {
  auto in = fragments();
  TraceMergeResult r = merge_chrome_fragments(in, {1, true});
  CHECK(r.remapped_pids == 0);
  auto j = nlohmann::json::parse(r.json);
  for (const auto& e : j["traceEvents"])
    if (e["name"] == "mid") CHECK(e["pid"] == 1);
}

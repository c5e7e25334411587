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

TEST_CASE("merge_profiles refuses different sample types") {
  Profile a = make_stacks({{{"main"}, 1}});
  Profile b = make_stacks({{{"main"}, 1}}, "alloc", "bytes");
  CHECK_THROWS_AS(merge_profiles({&a, &b}), InputError);
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

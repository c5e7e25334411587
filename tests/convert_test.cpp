#include <doctest/doctest.h>

#include <random>

#include <nlohmann/json.hpp>

#include "formats/chrome/chrome_writer.h"
#include "formats/folded/folded_writer.h"
#include "formats/pprof/pprof_writer.h"
#include "formats/speedscope/speedscope_writer.h"
#include "formats/table/table_writer.h"
#include "lib/aggregate.h"
#include "lib/errors.h"
#include "lib/span_stacks.h"
#include "tests/flame_test_util.h"

using namespace perfkit;
using namespace perfkit::testing;

namespace {

Profile corpus(const std::string& rel) {
  return read_profile(source_path(rel), ReadOptions{});
}

std::vector<std::string> type_names(const Profile& p) {
  std::vector<std::string> out;
  for (const auto& vt : p.value_types) out.push_back(std::string(p.str(vt.type)));
  return out;
}

}  // namespace

TEST_CASE("round trip pprof -> folded -> pprof keeps every stack's weight") {
  for (const char* rel : {"testdata/pprof/go_cpu_base.pb.gz", "testdata/pprof/go_heap.pb.gz"}) {
    CAPTURE(rel);
    Profile p = corpus(rel);
    int vi = p.default_value_index();
    std::string type(p.str(p.value_types[vi].type));
    Profile folded = read_text(write_folded(p, vi), "x.folded", "folded");
    Profile back = read_pprof_bytes(write_pprof(folded), "x.pb.gz");
    auto want = stack_values(p, type);
    auto got = stack_values(back, back.str(back.value_types[0].type));
    CHECK(want.size() > 5);
    CHECK(got == want);
  }
}

TEST_CASE("round trip pprof -> speedscope -> pprof keeps every stack's weight, all value types") {
  for (const char* rel : {"testdata/pprof/go_cpu_base.pb.gz", "testdata/pprof/go_heap.pb.gz"}) {
    CAPTURE(rel);
    Profile p = corpus(rel);
    std::string json = write_speedscope(p, {});
    Profile ss = read_text(json, "x.speedscope.json");
    CHECK(ss.format == "speedscope");
    Profile back = read_pprof_bytes(write_pprof(ss), "x.pb.gz");
    REQUIRE(type_names(back) == type_names(p));
    for (size_t k = 0; k < p.value_types.size(); ++k) {
      std::string type(p.str(p.value_types[k].type));
      CAPTURE(type);
      CHECK(stack_values(back, type) == stack_values(p, type));
      CHECK(back.str(back.value_types[k].unit) == p.str(p.value_types[k].unit));
    }
  }
}

TEST_CASE("speedscope: a foreign evented file, one column per unit, stacks rooted at the profile") {
  std::string json = R"({"$schema":"https://www.speedscope.app/file-format-schema.json",
    "shared":{"frames":[{"name":"main"},{"name":"work","file":"w.c","line":3}]},
    "profiles":[
      {"type":"evented","name":"T1","unit":"milliseconds","startValue":0,"endValue":10,
       "events":[{"type":"O","frame":0,"at":0},{"type":"O","frame":1,"at":2},
                 {"type":"C","frame":1,"at":7},{"type":"C","frame":0,"at":10}]},
      {"type":"sampled","name":"T2","unit":"milliseconds","startValue":0,"endValue":4,
       "samples":[[0,1],[0]],"weights":[1.5,2.5]}]})";
  Profile p = read_text(json, "t.speedscope.json");
  REQUIRE(p.value_types.size() == 1);
  CHECK(p.str(p.value_types[0].unit) == "milliseconds");
  auto v = stack_values(p, "wall");
  CHECK(v["T1;main"] == 5000000);  // one column: T2 made it fractional
  CHECK(v["T1;main;work"] == 5000000);
  CHECK(v["T2;main;work"] == 1500000);  // fractional weights: scale 10^6
  CHECK(p.value_types[0].scale == 1000000);
  CHECK_THROWS_AS(read_text(R"({"$schema":"https://www.speedscope.app/file-format-schema.json",
    "shared":{"frames":[]},"profiles":[{"type":"sampled","samples":[[4]],"weights":[1]}]})", "bad.json"),
                  InputError);
}

TEST_CASE("chrome writer: a stack profile becomes nested X events laid out by weight") {
  Profile p = make_stacks({{{"main", "a"}, 3000}, {{"main", "b"}, 5000}, {{"main"}, 2000}});
  std::string note;
  auto j = nlohmann::json::parse(write_chrome(p, -1, &note));
  std::map<std::string, std::pair<std::string, std::string>> x;  // name -> (ts, dur) text
  for (const auto& e : j["traceEvents"])
    if (e["ph"] == "X") x[e["name"]] = {e["ts"].dump(), e["dur"].dump()};
  CHECK(x["main"] == std::make_pair(std::string("0"), std::string("10")));
  CHECK(x["a"] == std::make_pair(std::string("0"), std::string("3")));
  CHECK(x["b"] == std::make_pair(std::string("3"), std::string("5")));
  CHECK(note.find("flame chart") != std::string::npos);
}

TEST_CASE("chrome writer: a trace keeps its spans, names and time") {
  Profile p = corpus("testdata/chrome/small_nested.json");
  std::string note;
  std::string out = write_chrome(p, -1, &note);
  Profile back = read_text(out, "back.json");
  REQUIRE(back.spans.size() == p.spans.size());
  for (size_t i = 0; i < p.spans.size(); ++i) {
    int64_t start = p.spans[i].start_ns, dur = p.spans[i].dur_ns;
    bool found = false;
    for (const Span& s : back.spans)
      found |= s.start_ns == start && s.dur_ns == dur && back.str(s.name) == p.str(p.spans[i].name);
    CHECK(found);
  }
  CHECK(back.process_names == p.process_names);
  CHECK(back.thread_names == p.thread_names);
  CHECK(note.find("1 counter/flow/other") != std::string::npos);
  check_golden("convert/small_nested.chrome.json", out);
}

TEST_CASE("table writer: a yappi table reads back with the same rows") {
  Profile p = corpus("testdata/tables/yappi_wide_baseline.txt");
  std::string text = write_table(p, -1);
  Profile back = read_text(text, "back.txt", "table");
  REQUIRE(back.rows.size() == p.rows.size());
  for (const TableRow& r : p.rows) {
    bool found = false;
    for (const TableRow& b : back.rows)
      if (back.str(b.name) == p.str(r.name) && back.str(b.file) == p.str(r.file)) {
        found = true;
        CHECK(b.calls == r.calls);
        CHECK(b.self_ns == r.self_ns);
        CHECK(b.total_ns == r.total_ns);
        CHECK(b.line == r.line);
      }
    CHECK(found);
  }
  check_golden("convert/yappi_wide_baseline.table.txt", text);
}

TEST_CASE("table writer: stacks become tsub = flat, ttot = cum per function") {
  Profile p = make_stacks({{{"main", "f", "f"}, 2000000000}, {{"main"}, 500000000}});
  std::string note;
  std::string text = write_table(p, -1, &note);
  CHECK(text.find("main  ") != std::string::npos);
  CHECK(text.find("0.500000  2.500000") != std::string::npos);
  CHECK(text.find("2.000000  2.000000") != std::string::npos);  // f: recursion counted once
  CHECK(note.find("call counts are unknown") != std::string::npos);
}

TEST_CASE("golden: every writer on go_heap.pb.gz and the small trace") {
  Profile heap = corpus("testdata/pprof/go_heap.pb.gz");
  int space = heap.find_value_type("alloc_space");
  check_golden("convert/go_heap.folded", write_folded(heap, space));
  check_golden("convert/go_heap.speedscope.json", write_speedscope(heap, {}));
  check_golden("convert/go_heap.chrome.json", write_chrome(heap, space));
  check_golden("convert/go_heap.table.txt", write_table(heap, space));
  Profile trace = corpus("testdata/chrome/small_nested.json");
  add_span_samples(trace);
  check_golden("convert/small_nested.speedscope.json", write_speedscope(trace, {}));
  check_golden("convert/small_nested.folded", write_folded(trace, -1));
}

TEST_CASE("chrome writer: microseconds in decimal at every digit count and sign") {
  // The writer formats its numbers in place; each must read as the exact decimal of ns / 1000.
  auto want = [](int64_t ns) {
    const uint64_t mag = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
    std::string s = (ns < 0 ? "-" : "") + std::to_string(mag / 1000);
    if (uint64_t frac = mag % 1000) {
      std::string f = std::to_string(1000 + frac).substr(1);
      while (f.back() == '0') f.pop_back();
      s += "." + f;
    }
    return s;
  };
  std::vector<int64_t> values = {0, 1, -1, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (uint64_t p = 1; p <= UINT64_C(1000000000000000000); p *= 10)
    for (int64_t d : {-1, 0, 1, 999, 1000, 1001})
      for (int64_t sign : {1, -1}) values.push_back(sign * (static_cast<int64_t>(p) + d));
  std::mt19937_64 rng(3);
  for (int i = 0; i < 2000; ++i) values.push_back(static_cast<int64_t>(rng() >> (rng() % 64)));
  for (int64_t v : values) {
    std::string got;
    append_us(got, v);
    CHECK_MESSAGE(got == want(v), v);
  }
}

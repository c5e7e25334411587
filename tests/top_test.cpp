// perfkit top: agreement with `go tool pprof -top` to the unit it prints, on the corpus files,
// and rankings on hand-made profiles.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/registry.h"
#include "lib/span_stacks.h"
#include "tests/profile_maker.h"
#include "lib/top_table.h"
#include "lib/units.h"
#include "reports/top_report.h"

using namespace perfkit;

namespace {

std::string src(const std::string& rel) { return std::string(PERFKIT_SOURCE_DIR) + "/" + rel; }

std::string run(const std::string& args) {
  std::string cmd = std::string(PERFKIT_BINARY) + " " + args + " 2>/dev/null";
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  REQUIRE(f != nullptr);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  CHECK(pclose(f) == 0);
  return out;
}

struct ExpectedRow {
  std::string flat, cum, name;
  std::string inl;  // "(inline)", "(partial-inline)" or ""
};

struct Expected {
  std::string unit;   // pprof's output unit, from the "Showing nodes ... of T total" line
  std::vector<ExpectedRow> rows;
};

// Parses go tool pprof -top output: the header, then "flat flat% sum% cum cum%  name [(inline)]".
Expected parse_expected(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  Expected e;
  std::string line;
  bool table = false;
  while (std::getline(in, line)) {
    if (!table) {
      auto pos = line.find(" of ");
      if (line.rfind("Showing nodes accounting for", 0) == 0 && pos != std::string::npos) {
        std::string total = line.substr(pos + 4, line.find(" total") - pos - 4);
        size_t i = total.find_first_not_of("0123456789.-");
        e.unit = i == std::string::npos ? "" : total.substr(i);
      }
      if (line.find("flat  flat%") != std::string::npos) table = true;
      continue;
    }
    std::istringstream ss(line);
    std::vector<std::string> tok;
    std::string t;
    while (ss >> t) tok.push_back(t);
    REQUIRE(tok.size() >= 6);
    ExpectedRow r{tok[0], tok[3], tok[5]};
    for (size_t k = 6; k < tok.size(); ++k) {
      if (k + 1 == tok.size() && (tok[k] == "(inline)" || tok[k] == "(partial-inline)"))
        r.inl = tok[k];
      else r.name += " " + tok[k];
    }
    e.rows.push_back(r);
  }
  return e;
}

void check_against_pprof(const std::string& file, const std::string& extra,
                         const std::string& expected) {
  CAPTURE(file);
  CAPTURE(extra);
  Expected e = parse_expected(src("testdata/pprof/expected/" + expected));
  REQUIRE(!e.rows.empty());
  auto j = nlohmann::json::parse(
      run("top --format json -n 1000000 --nodefraction 0 --edgefraction 0 " + extra + " " +
          src("testdata/pprof/" + file)));
  std::string unit = j["value_type"]["unit"];
  std::string out_unit = e.unit.empty() ? unit : e.unit;
  std::map<std::string, nlohmann::json> ours;
  for (const auto& r : j["rows"]) {
    std::string name = r["name"];
    CHECK_MESSAGE(ours.count(name) == 0, "duplicate row " << name);
    ours[name] = r;
  }
  CHECK(ours.size() == e.rows.size());
  for (const auto& want : e.rows) {
    CAPTURE(want.name);
    auto it = ours.find(want.name);
    if (it == ours.end()) {
      FAIL_CHECK("perfkit has no row " << want.name);
      continue;
    }
    const auto& r = it->second;
    CHECK(units::pprof_label(r["flat"].get<int64_t>(), unit, out_unit) == want.flat);
    CHECK(units::pprof_label(r["cum"].get<int64_t>(), unit, out_unit) == want.cum);
    CHECK(r.value("inline", std::string()) == want.inl);
  }
}

// Builds a profile from root-first stacks of function names with one value each.
Profile make(const std::vector<std::pair<std::vector<std::string>, int64_t>>& stacks) {
  return perfkit::testing::make_cpu_profile(stacks);
}

}  // namespace

TEST_CASE("top --format json agrees with go tool pprof -top on every corpus profile") {
  check_against_pprof("go_cpu_base.pb.gz", "", "go_cpu_base.top.txt");
  check_against_pprof("go_cpu_slow_regex.pb.gz", "", "go_cpu_slow_regex.top.txt");
  check_against_pprof("go_heap.pb.gz", "", "go_heap.top.txt");
  check_against_pprof("go_heap.pb.gz", "--sample-index alloc_space", "go_heap.alloc_space.top.txt");
}

TEST_CASE("top text output is pprof's table (golden)") {
  struct Case {
    std::string args, golden;
  };
  for (const Case& c : {Case{"testdata/pprof/go_heap.pb.gz -n 0", "go_heap.txt"},
                        Case{"testdata/pprof/go_cpu_slow_regex.pb.gz -n 25", "go_cpu_slow_regex.txt"},
                        Case{"testdata/pprof/go_cpu_base.pb.gz -n 15 --sort cum",
                             "go_cpu_base.cum.txt"}}) {
    CAPTURE(c.args);
    std::string got = run("top " + src(c.args));
    std::string path = src("testdata/golden/top/" + c.golden);
    if (std::getenv("PERFKIT_BLESS") != nullptr) {
      std::ofstream(path, std::ios::binary) << got;
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream want;
    want << in.rdbuf();
    if (got != want.str()) {
      std::ofstream(path + ".actual", std::ios::binary) << got;
      std::istringstream a(got), b(want.str());
      std::string la, lb;
      int line = 0;
      while (true) {
        ++line;
        bool ea = !std::getline(a, la), eb = !std::getline(b, lb);
        if (ea && eb) break;
        if (la != lb || ea != eb) {
          FAIL_CHECK(c.golden << ":" << line << ": got '" << la << "', golden '" << lb << "'");
          break;
        }
      }
    }
  }
}

TEST_CASE("top on the pprof corpus: header lines as pprof prints them") {
  std::string out = run("top " + src("testdata/pprof/go_cpu_slow_regex.pb.gz") + " -n 0");
  CHECK(out.find("Type: cpu\n") != std::string::npos);
  CHECK(out.find("Duration: 5.12s, Total samples = 8.50s (165.94%)") != std::string::npos);
  CHECK(out.find("Showing top") == std::string::npos);
  // pprof's default node fraction (0.005) drops the small nodes first, and says so.
  std::string top3 = run("top " + src("testdata/pprof/go_cpu_slow_regex.pb.gz") + " -n 3");
  CHECK(top3.find("Showing nodes accounting for 2150ms, 25.29% of 8500ms total\n"
                  "Dropped 180 nodes (cum <= 42.50ms)\n"
                  "Showing top 3 nodes out of 179\n") != std::string::npos);
}

TEST_CASE("compute_top: sort, limit, sum of flat equals total") {
  Profile p = make({{{"main", "a"}, 50}, {{"main", "b", "c"}, 30}, {{"main"}, 20}});
  TopOptions o;
  o.limit = 0;
  TopTable t = compute_top(p, o);
  REQUIRE(t.table.rows.size() == 4);
  CHECK(p.str(t.table.rows[0].name) == "a");
  int64_t sum = 0;
  for (const auto& r : t.table.rows) sum += r.flat;
  CHECK(sum == t.table.total);
  o.sort = SortKey::kCum;
  o.limit = 2;
  t = compute_top(p, o);
  REQUIRE(t.table.rows.size() == 2);
  CHECK(p.str(t.table.rows[0].name) == "main");
  CHECK(p.str(t.table.rows[1].name) == "a");
  CHECK(t.node_count == 4);
  std::string text = render_top_text(p, t, Granularity::kFunction);
  CHECK(text.find("Showing top 2 nodes out of 4") != std::string::npos);
}

TEST_CASE("top renders json, csv and md with escaping") {
  Profile p = make({{{"main", "=cmd|x,\"y\""}, 5}});
  TopOptions o;
  TopTable t = compute_top(p, o);
  auto j = nlohmann::json::parse(render_top_json(p, t, Granularity::kFunction));
  CHECK(j["total"] == 5);
  CHECK(j["rows"][0]["name"] == "=cmd|x,\"y\"");
  CHECK(j["rows"][0]["calls"].is_null());
  std::string csv = render_top_csv(p, t, Granularity::kFunction);
  CHECK(csv.rfind("name,file,line,flat", 0) == 0);
  CHECK(csv.find("\"'=cmd|x,\"\"y\"\"\"") != std::string::npos);
  std::string md = render_top_md(p, t, Granularity::kFunction);
  CHECK(md.find("`=cmd\\|x,\"y\"`") != std::string::npos);
}

TEST_CASE("spans become stacks weighted by self time; summaries are left out") {
  Profile p;
  p.format = "chrome";
  auto span = [&](const char* name, int64_t start, int64_t dur, int64_t self, uint32_t depth,
                  bool summary = false) {
    Span s;
    s.pid = 1;
    s.tid = 1;
    s.name = p.strings.intern(name);
    s.start_ns = start;
    s.dur_ns = dur;
    s.self_ns = self;
    s.depth = depth;
    s.summary = summary;
    p.spans.push_back(s);
  };
  span("child", 10, 30, 30, 1);
  span("root", 0, 100, 70, 0);
  span("Total root", 0, 500, 500, 0, true);
  REQUIRE(add_span_samples(p));
  TopOptions o;
  o.sort = SortKey::kCum;
  TopTable t = compute_top(p, o);
  REQUIRE(t.table.rows.size() == 2);
  CHECK(p.str(t.table.rows[0].name) == "root");
  CHECK(t.table.rows[0].cum == 100);
  CHECK(t.table.rows[0].flat == 70);
  CHECK(t.table.rows[1].cum == 30);
  CHECK(t.table.rows[0].calls == 1);
  CHECK(t.table.total == 100);
}

TEST_CASE("top -n 0 --nodefraction 0 --edgefraction 0 is go tool pprof -top byte for byte") {
  struct Case {
    std::string args, expected;
  };
  for (const Case& c : {Case{"go_cpu_base.pb.gz --sort cum", "go_cpu_base.cumtop.txt"},
                        Case{"go_cpu_base.pb.gz", "go_cpu_base.top.txt"},
                        Case{"go_cpu_slow_regex.pb.gz", "go_cpu_slow_regex.top.txt"},
                        Case{"go_heap.pb.gz", "go_heap.top.txt"},
                        Case{"go_heap.pb.gz --sample-index alloc_space",
                             "go_heap.alloc_space.top.txt"}}) {
    CAPTURE(c.args);
    std::ifstream in(src("testdata/pprof/expected/" + c.expected));
    std::string line, want;
    while (std::getline(in, line)) want += line + "\n";
    std::string got =
        run("top -n 0 --nodefraction 0 --edgefraction 0 " + src("testdata/pprof/") + c.args);
    CHECK(got == want);
  }
}

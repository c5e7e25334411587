// perfkit report: the findings on the corpus name the known bottlenecks, with reasons.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "formats/registry.h"
#include "lib/report_findings.h"
#include "lib/span_stacks.h"
#include "tests/profile_maker.h"
#include "reports/report_render.h"

using namespace perfkit;

namespace {

Profile load(const std::string& rel) {
  Profile p = read_profile(std::string(PERFKIT_SOURCE_DIR) + "/" + rel, {});
  add_span_samples(p);
  return p;
}

const FindingSection& section(const ReportFindings& f, const std::string& id) {
  for (const auto& s : f.sections)
    if (s.id == id) return s;
  FAIL("no section " << id);
  static FindingSection none{};
  return none;
}

bool has(const Finding& f, const std::string& name) {
  for (const auto& s : f.path)
    if (s == name) return true;
  return false;
}

Profile make(const std::vector<std::pair<std::vector<std::string>, int64_t>>& stacks) {
  return perfkit::testing::make_cpu_profile(stacks);
}

}  // namespace

TEST_CASE("report on go_cpu_slow_regex names regexp compilation under main.matchAll first") {
  Profile p = load("testdata/pprof/go_cpu_slow_regex.pb.gz");
  ReportFindings f = compute_findings(p, {});
  REQUIRE(!f.sections.empty());
  const FindingSection& inc = f.sections[0];
  CHECK(inc.id == "inclusive");
  bool found = false;
  for (size_t i = 0; i < 3 && i < inc.items.size(); ++i) {
    const Finding& it = inc.items[i];
    if (it.path[0] == "main.matchAll" && (has(it, "regexp.MustCompile") || has(it, "regexp.compile"))) {
      found = true;
      CHECK(it.why.find("58.2%") != std::string::npos);
      CHECK(it.why.find("regexp.compile") != std::string::npos);
    }
  }
  CHECK_MESSAGE(found, render_report_text(f));
  // Looking into callees names what regexp.compile spends its time on.
  bool compile_callees = false;
  for (const auto& it : section(f, "callees").items)
    if (it.path[0] == "regexp.compile") compile_callees = it.why.find("regexp/syntax.") != std::string::npos;
  CHECK(compile_callees);
  // The base run has no such chain among its first findings.
  Profile base = load("testdata/pprof/go_cpu_base.pb.gz");
  ReportFindings fb = compute_findings(base, {});
  for (size_t i = 0; i < 3 && i < fb.sections[0].items.size(); ++i)
    CHECK_FALSE(has(fb.sections[0].items[i], "regexp.MustCompile"));
}

TEST_CASE("report on yappi tables: main/verify by ttot, <genexpr> by tsub, caching candidates") {
  for (const char* file : {"testdata/tables/yappi_wide_baseline.txt",
                           "testdata/tables/yappi_default_columns.txt"}) {
    CAPTURE(file);
    ReportFindings f = compute_findings(load(file), {});
    // main (100%) and verify (90%, 3% self) are the program's entry, not findings.
    REQUIRE(f.entries.size() == 2);
    CHECK(f.entries[0].path[0].find("main") != std::string::npos);
    CHECK(f.entries[1].path[0].find("DemoVerifierServer.verify") != std::string::npos);
    const Finding& top = section(f, "inclusive").items.at(0);
    CHECK(top.path[0].find("DemoVerifierServer._score") != std::string::npos);
    CHECK(section(f, "self").items.at(0).path[0].find("<genexpr>") != std::string::npos);
    const FindingSection& cache = section(f, "caching");
    REQUIRE(!cache.items.empty());
    CHECK(cache.items[0].why.find("called ") == 0);
    CHECK(cache.items[0].calls >= 20);
    CHECK(f.notes.size() >= 1);  // no stacks in a table
  }
}

TEST_CASE("report on the clang trace: real work, not the Total summaries") {
  ReportFindings f = compute_findings(load("testdata/chrome/clang_ftime_trace.json"), {});
  for (const auto& sec : f.sections)
    for (const auto& it : sec.items)
      for (const auto& name : it.path) CHECK(name.rfind("Total ", 0) != 0);
  REQUIRE(f.entries.size() == 1);  // the compiler's entry, 100%: not a finding
  CHECK(f.entries[0].path[0] == "ExecuteCompiler");
  CHECK(section(f, "inclusive").items.at(0).path[0] == "Backend");
}

TEST_CASE("findings on a hand-made profile: chains, self, callees, hot paths, reasons") {
  Profile p = make({{{"main", "run", "parse", "lex"}, 60},
                    {{"main", "run", "parse"}, 10},
                    {{"main", "run", "eval"}, 25},
                    {{"main", "run"}, 5}});
  ReportFindings f = compute_findings(p, {});
  const auto& inc = section(f, "inclusive").items;
  REQUIRE(inc.size() >= 2);
  // main -> run (run takes 100% of main) is the program's entry: a root with 100% of the total
  // and 5% self in its two functions. It is left out of the findings, with a note.
  REQUIRE(f.entries.size() == 1);
  CHECK(f.entries[0].path == std::vector<std::string>{"main", "run"});
  CHECK(f.entries[0].flat == 5);
  CHECK(f.entries[0].why == "100% of the total (100ns) is spent in main and the functions it calls; "
                            "100% of it (100ns) runs through run.");
  CHECK(inc[0].path == std::vector<std::string>{"parse"});  // lex has 60/70 < 90%: no chain
  CHECK(inc[1].path == std::vector<std::string>{"lex"});
  CHECK(f.headline == "The biggest cost is parse: 70ns (70% of the total cpu); the most self cpu "
                      "is in lex (60ns, 60%).");
  const auto& self = section(f, "self").items;
  CHECK(self[0].path[0] == "lex");
  CHECK(self[0].value == 60);
  CHECK(self[0].why == "60ns (60% of the total) is spent in its own code.");
  const auto& callees = section(f, "callees").items;
  REQUIRE(!callees.empty());
  CHECK(callees[0].path[0] == "run");
  CHECK(callees[0].why.find("its callees: parse (70ns), eval (25ns)") != std::string::npos);
  const auto& paths = section(f, "hot_paths").items;
  REQUIRE(paths.size() == 4);
  CHECK(paths[0].path == std::vector<std::string>{"main", "run", "parse", "lex"});
  CHECK(paths[0].value == 60);
  REQUIRE(f.notes.size() == 2);  // no call counts; the entry
  CHECK(f.notes[1].find("left out of the top consumers as the program's entry: main -> run (100ns, "
                        "100% of the total, 5ns self)") == 0);

  std::string md = render_report_md(f);
  CHECK(md.find("### Bottleneck report") == 0);
  CHECK(md.find("| 1 | 70ns | 70% | `parse` |") != std::string::npos);
  auto j = nlohmann::json::parse(render_report_json(f));
  CHECK(j["sections"][0]["id"] == "inclusive");
  CHECK(j["sections"][0]["items"][0]["path"][0] == "parse");
  CHECK(j["entries"][0]["path"][1] == "run");
  CHECK(j["headline"] == f.headline);
  CHECK(render_report_csv(f).rfind("section,rank,path,value", 0) == 0);
  CHECK(abbreviate_path({"a", "b", "c", "d", "e", "f", "g", "h"}) ==
        "a → b → …(2 more)… → e → f → g → h");
}

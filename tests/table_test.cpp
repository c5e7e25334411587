// Function tables: yappi print_all (default and wide columns) and cProfile print_stats text.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "formats/registry.h"
#include "formats/table/decimal_text.h"
#include "formats/table/table_row.h"
#include "lib/errors.h"

using namespace perfkit;

namespace {

Profile read_table_file(const std::string& name) {
  return read_profile(std::string(PERFKIT_SOURCE_DIR) + "/testdata/tables/" + name, ReadOptions{});
}

InputBuffer buffer_of(const std::string& path, std::string_view text) {
  InputBuffer b(text.size());
  memcpy(b.data(), text.data(), text.size());
  b.path = path;
  return b;
}

Profile read_text(std::string_view text) {
  return read_profile(buffer_of("t.txt", text), ReadOptions{});
}

const TableRow* find_row(const Profile& p, std::string_view name, int64_t line = -1) {
  for (const TableRow& r : p.rows)
    if (p.str(r.name) == name && (line < 0 || r.line == line)) return &r;
  return nullptr;
}

bool has_warning(const Profile& p, std::string_view part) {
  for (const auto& w : p.warnings)
    if (w.what.find(part) != std::string::npos) return true;
  return false;
}

const char* const kYappiHeader =
    "\nClock type: WALL\nOrdered by: totaltime, desc\n\n"
    "name                                  ncall  tsub      ttot      tavg      \n";

}  // namespace

TEST_CASE("decimal text parses exactly into scaled integers") {
  int64_t v = 0;
  CHECK(parse_decimal("0.013355", 9, &v) == DecimalStatus::kOk);
  CHECK(v == 13355000);
  CHECK(parse_decimal("17.98387", 9, &v) == DecimalStatus::kOk);
  CHECK(v == 17983870000);
  CHECK(parse_decimal("12", 9, &v) == DecimalStatus::kOk);
  CHECK(v == 12000000000);
  CHECK(parse_decimal("12.", 6, &v) == DecimalStatus::kOk);
  CHECK(v == 12000000);
  CHECK(parse_decimal("2.5", 6, &v) == DecimalStatus::kOk);
  CHECK(v == 2500000);
  CHECK(parse_decimal("1.0000005", 6, &v) == DecimalStatus::kRounded);
  CHECK(v == 1000001);
  CHECK(parse_decimal("1.00000049", 6, &v) == DecimalStatus::kRounded);
  CHECK(v == 1000000);
  CHECK(parse_decimal("0.9999999", 6, &v) == DecimalStatus::kRounded);
  CHECK(v == 1000000);
  CHECK(parse_decimal("1.2000000", 6, &v) == DecimalStatus::kOk);
  CHECK(v == 1200000);
  CHECK(parse_decimal("abc", 6, &v) == DecimalStatus::kBad);
  CHECK(parse_decimal(".5", 6, &v) == DecimalStatus::kBad);
  CHECK(parse_decimal("-1", 0, &v) == DecimalStatus::kBad);
  CHECK(parse_decimal("1e3", 0, &v) == DecimalStatus::kBad);
  CHECK(parse_decimal("1.2.3", 6, &v) == DecimalStatus::kBad);
  CHECK(parse_decimal("", 6, &v) == DecimalStatus::kBad);
  CHECK(parse_decimal("99999999999999999999", 0, &v) == DecimalStatus::kOverflow);
  CHECK(parse_decimal("9300000000", 9, &v) == DecimalStatus::kOverflow);
  CHECK(parse_decimal("9223372036854775807", 0, &v) == DecimalStatus::kOk);
  CHECK(v == INT64_MAX);
}

TEST_CASE("yappi default columns: cut names, cut counts, exact times") {
  Profile p = read_table_file("yappi_default_columns.txt");
  CHECK(p.format == "table");
  CHECK(p.flavor == "yappi");
  CHECK(p.clock_type == "CPU");
  CHECK(p.value_types.empty());
  CHECK(p.samples().empty());
  REQUIRE(p.rows.size() == 16);

  const TableRow* verify = find_row(p, "DemoVerifierServer.verify");
  REQUIRE(verify);
  CHECK(p.str(verify->file) == "..pp.py");
  CHECK(verify->line == 34);
  CHECK(verify->calls == 1024);
  CHECK(!verify->calls_truncated);
  CHECK(verify->self_ns == 13355000);
  CHECK(verify->total_ns == 477332000);

  const TableRow* fib = find_row(p, "fib");
  REQUIRE(fib);
  CHECK(fib->calls == 836);
  CHECK(fib->calls_truncated);
  CHECK(p.str(fib->file) == "..sources_servers/demo/app.py");
  CHECK(fib->line == 40);
  CHECK(fib->self_ns == 22981000);

  const TableRow* genexpr = find_row(p, "<genexpr>");
  REQUIRE(genexpr);
  CHECK(genexpr->line == 26);
  CHECK(p.str(p.rows[0].name) == "main");
  CHECK(p.rows[0].total_ns == 525616000);
  CHECK(has_warning(p, "836.."));
  CHECK(has_warning(p, "names cut from the left"));
  int cut_warnings = 0;
  for (const auto& w : p.warnings) cut_warnings += w.what.find("call counts cut") != std::string::npos;
  CHECK(cut_warnings == 1);  // once per file, not once per row
}

TEST_CASE("yappi wide columns: full names and recursive counts") {
  Profile base = read_table_file("yappi_wide_baseline.txt");
  Profile opt = read_table_file("yappi_wide_optimized.txt");
  CHECK(base.flavor == "yappi-wide");
  CHECK(opt.flavor == "yappi-wide");
  CHECK(base.rows.size() == 16);
  CHECK(opt.rows.size() == 16);
  CHECK(base.warnings.empty());

  const TableRow* fib = find_row(base, "fib");
  REQUIRE(fib);
  CHECK(fib->calls == 8361);
  CHECK(fib->primitive_calls == 1);
  CHECK(!fib->calls_truncated);
  CHECK(base.str(fib->file) == "/srv/ng/app/resources_servers/demo/app.py");
  const TableRow* verify = find_row(base, "DemoVerifierServer.verify");
  REQUIRE(verify);
  CHECK(verify->self_ns == 13875000);
  CHECK(verify->total_ns == 497852000);

  // Identity for diffing is (name, file): every function has it in both files, even the one whose
  // line moved (<genexpr> 26 -> 25).
  int common = 0;
  for (const TableRow& r : base.rows) {
    const TableRow* o = find_row(opt, base.str(r.name));
    REQUIRE(o);
    ++common;
    CHECK(opt.str(o->file) == base.str(r.file));
    CHECK(!opt.str(o->file).empty());
  }
  CHECK(common == 16);
  CHECK(find_row(base, "<genexpr>")->line == 26);
  CHECK(find_row(opt, "<genexpr>")->line == 25);
}

TEST_CASE("cProfile print_stats: builtins, recursion, totals line") {
  Profile p = read_table_file("cprofile_cumulative.txt");
  CHECK(p.flavor == "cprofile");
  CHECK(p.rows.size() == 32);
  CHECK(p.meta.duration_ns == 341000000);

  const TableRow* sum = find_row(p, "{built-in method builtins.sum}");
  REQUIRE(sum);
  CHECK(sum->file == 0);
  CHECK(sum->line == 0);
  CHECK(sum->calls == 1024);
  CHECK(sum->self_ns == 2000000);
  CHECK(sum->total_ns == 242000000);

  const TableRow* digest = find_row(p, "{method 'digest' of '_hashlib.HASH' objects}");
  REQUIRE(digest);
  CHECK(digest->calls == 20480);

  const TableRow* fib = find_row(p, "fib");
  REQUIRE(fib);
  CHECK(fib->calls == 8361);
  CHECK(fib->primitive_calls == 1);
  CHECK(fib->line == 40);
  CHECK(p.str(fib->file) == "/srv/ng/app/resources_servers/demo/app.py");
  const TableRow* verify = find_row(p, "verify");
  REQUIRE(verify);
  CHECK(verify->self_ns == 7000000);   // tottime
  CHECK(verify->total_ns == 326000000);  // cumtime
  CHECK(verify->primitive_calls == 1024);
}

TEST_CASE("pstats text of yappi's swapped pstat export is swapped back") {
  Profile p = read_text(
      "         1412 function calls (9853 primitive calls) in 0.043 seconds\n\n"
      "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n"
      "   1/8361    0.016    0.016    0.016    0.000 /x/recursion.py:5(fib)\n"
      "     2/17    0.000    0.000    0.001    0.000 /x/recursion.py:22(Walker.walk)\n"
      "        1    0.000    0.000    0.001    0.000 /x/recursion.py:35(main)\n");
  REQUIRE(p.rows.size() == 3);
  CHECK(p.rows[0].calls == 8361);
  CHECK(p.rows[0].primitive_calls == 1);
  CHECK(p.str(p.rows[1].name) == "Walker.walk");
  CHECK(p.rows[1].calls == 17);
  CHECK(p.rows[2].calls == 1);
  CHECK(has_warning(p, "swapped back"));
  CHECK(!has_warning(read_table_file("cprofile_cumulative.txt"), "swapped"));
}

TEST_CASE("yappi names: spaces in modules and functions, builtins, cut counts with a slash") {
  std::string text = std::string(kYappiHeader) +
                     "<frozen codecs>:94 __new__               3      0.000010  0.000020  0.000007\n"
                     "builtins.sum                          17/2   0.000063  0.001037  0.000061\n"
                     "..ket.py:391 Handler.handle_request   102..  1.5       2.25      0.001\n"
                     "..ket.py:392 Handler.handle_other     1027/..  1.5     2.25      0.001\n";
  Profile p = read_text(text);
  CHECK(p.clock_type == "WALL");
  REQUIRE(p.rows.size() == 4);
  CHECK(p.str(p.rows[0].file) == "<frozen codecs>");
  CHECK(p.rows[0].line == 94);
  CHECK(p.str(p.rows[0].name) == "__new__");
  CHECK(p.str(p.rows[1].name) == "builtins.sum");
  CHECK(p.rows[1].file == 0);
  CHECK(p.rows[1].calls == 17);
  CHECK(p.rows[1].primitive_calls == 2);
  CHECK(p.rows[2].calls == 102);
  CHECK(p.rows[2].calls_truncated);
  CHECK(p.rows[2].self_ns == 1500000000);
  CHECK(p.rows[3].calls == 1027);
  CHECK(!p.rows[3].calls_truncated);  // the total survived the cut, the primitive count did not
  CHECK(p.rows[3].primitive_calls == -1);
}

TEST_CASE("genprofiles-style table: names with spaces and a wide name column") {
  std::string text =
      "name                                                                     ncall    tsub      "
      "ttot      tavg     \n"
      "src/sched/buffer.cc:3588 sched::Buffer::score_122(Buffer const&)         4782     0.598000  "
      "16.389000 0.003427 \n";
  Profile p = read_text(text);
  CHECK(p.flavor == "yappi-wide");
  REQUIRE(p.rows.size() == 1);
  CHECK(p.str(p.rows[0].name) == "sched::Buffer::score_122(Buffer const&)");
  CHECK(p.str(p.rows[0].file) == "src/sched/buffer.cc");
  CHECK(p.rows[0].total_ns == 16389000000);
}

TEST_CASE("malformed rows name the line and column") {
  std::string good = std::string(kYappiHeader) +
                     "..ources_servers/demo/app.py:43 main  1      0.005494  0.525616  0.525616\n";
  CHECK_THROWS_WITH_AS(
      read_text(good + "..p.py:28 DemoVerifierServer._digest  1024   abc       0.134651  0.000131\n"),
      "t.txt:7:46: expected a number in column tsub, got 'abc'", InputError);
  CHECK_THROWS_WITH_AS(read_text(good + "..p.py:28 DemoVerifierServer._digest  1024   0.1\n"),
                       doctest::Contains("t.txt:7:"), InputError);
  CHECK_THROWS_WITH_AS(read_text(good + "..p.py:28 DemoVerifierServer._digest  1024   0.1\n"),
                       doctest::Contains("missing column"), InputError);
  CHECK_THROWS_WITH_AS(
      read_text("   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n"
                "        1    0.004    0.004    x.341    0.341 app.py:43(main)\n"),
      "t.txt:2:32: expected a number in column cumtime, got 'x.341'", InputError);
  CHECK_THROWS_WITH_AS(read_table_file("bad/malformed_row.txt"),
                       doctest::Contains("bad/malformed_row.txt:10:46: expected a number in column "
                                         "tsub, got 'abc'"),
                       InputError);
}

TEST_CASE("blank lines, trailing text and other yappi tables") {
  std::string text = std::string(kYappiHeader) +
                     "..ources_servers/demo/app.py:43 main  1      0.005494  0.525616  0.525616\n"
                     "\n"
                     "name           id     tid              ttot      scnt        \n"
                     "_MainThread    0      140214689673280  0.252651  7         \n"
                     "Thread         3      140214667531968  0.234747  6         \n"
                     "\n"
                     "some trailing remark\n";
  Profile p = read_text(text);
  CHECK(p.rows.size() == 1);
  CHECK(has_warning(p, "thread stats were left out"));
  // Alone, the thread stats are the table: one row per thread, ttot as self and total.
  Profile t = read_text(text.substr(text.find("name           id")));
  CHECK(t.flavor == "yappi-threads");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.str(t.rows[1].name) == "Thread 3 (tid 140214667531968)");
  CHECK(t.rows[1].self_ns == 234747000);
  CHECK(t.rows[1].total_ns == 234747000);
  CHECK(t.rows[1].calls == 6);
  // A yappi table of neither kind is still skipped.
  Profile o = read_text(std::string(kYappiHeader) + "x.py:1 f  1  0.1  0.1  0.1\n\n"
                        "name  foo  bar\nx  1  2\n");
  CHECK(has_warning(o, "not a function table"));
}

TEST_CASE("table probe claims tables only") {
  std::string yappi = std::string(kYappiHeader) + "x.py:1 f  1  0.1  0.1  0.1\n";
  CHECK(probe_table(yappi) == Probe::kYes);
  CHECK(probe_table("   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n") ==
        Probe::kYes);
  CHECK(probe_table("main;a;b 12\n") == Probe::kNo);
  CHECK(probe_table("{\"traceEvents\": []}") == Probe::kNo);
  CHECK(probe_table("name is not a header\n") == Probe::kNo);
  CHECK(probe_folded(yappi) == Probe::kNo);
  CHECK(probe_folded("         87213 function calls (78853 primitive calls) in 0.341 seconds\n") ==
        Probe::kNo);
}

TEST_CASE("a table without a header is an error when forced") {
  ReadOptions o;
  o.input_format = "table";
  CHECK_THROWS_WITH_AS(read_profile(buffer_of("t.txt", "main;a 1\n"), o),
                       doctest::Contains("no function-table header"), InputError);
}

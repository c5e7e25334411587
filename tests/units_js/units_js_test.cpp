// The HTML report's number formatting (reports/html/units_js.h) against lib/units: the same
// text for every value. Runs the page's script under node on edge values (0 and signs, the
// 999.5 / 1023.5 / 59.95 unit steps, exact halfway values, the tiny and the huge, INT64_MIN/MAX,
// odd unit names and scales) and random ones, and checks that `perfkit report --format html`
// and `perfkit flame` embed that very script. Exit 77 (ctest SKIP_RETURN_CODE) when node is not
// installed.
//   units_js_test PERFKIT_BINARY SOURCE_DIR
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "lib/diff.h"
#include "lib/units.h"
#include "reports/diff_format.h"
#include "reports/html/units_js.h"

namespace {

using perfkit::units::human_bytes;
using perfkit::units::human_count;
using perfkit::units::human_duration_ns;
using perfkit::units::human_percent;
using perfkit::units::human_share;
using perfkit::units::human_value;

// A double as text that node reads back to the same double.
std::string exact(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

struct Case {
  std::string line;  // what node reads: kind TAB arguments
  std::string want;  // lib/units' text
};

constexpr const char* kDriver = R"JS(
const U = PerfkitUnits;
const num = (s) => s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
const out = [];
for (const line of require('fs').readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line) continue;
  const a = line.split('\t');
  switch (a[0]) {
    case 'sig3': out.push(U.sig3(num(a[1]))); break;
    case 'dur': out.push(U.duration(num(a[1]))); break;
    case 'bytes': out.push(U.bytes(num(a[1]))); break;
    case 'count': out.push(U.count(num(a[1]))); break;
    case 'pct': out.push(U.percent(num(a[1]))); break;
    case 'share': out.push(U.share(num(a[1]), num(a[2]))); break;
    case 'change': out.push(U.change(num(a[1]), num(a[2]))); break;
    // as the page passes them: JSON numbers for the stored value and the scale
    case 'value': out.push(U.formatter(a[3], JSON.parse(a[2]))(JSON.parse(a[1]))); break;
    default: out.push('unknown case ' + a[0]);
  }
}
process.stdout.write(out.join('\n') + '\n');
)JS";

class Cases {
 public:
  void num(const char* kind, double x, std::string want) {
    add(std::string(kind) + "\t" + exact(x), std::move(want));
  }
  void sig3_family(double x) {
    num("pct", x, human_percent(x));
    num("count", x, human_count(x));
    num("dur", x, human_duration_ns(x));
    num("bytes", x, human_bytes(x));
  }
  void share(int64_t part, int64_t total) {
    add("share\t" + std::to_string(part) + "\t" + std::to_string(total),
        human_share(double(part), double(total)));
  }
  void change(double base, double now) {
    add("change\t" + exact(base) + "\t" + exact(now),
        perfkit::report::percent(perfkit::percent_change(base, now)));
  }
  void value(int64_t stored, int64_t scale, const std::string& unit) {
    add("value\t" + std::to_string(stored) + "\t" + std::to_string(scale) + "\t" + unit,
        human_value(stored, unit, scale));
  }
  const std::vector<Case>& all() const { return cases_; }

 private:
  void add(std::string line, std::string want) {
    cases_.push_back({std::move(line), std::move(want)});
  }
  std::vector<Case> cases_;
};

Cases make_cases() {
  Cases c;
  const double kInf = std::numeric_limits<double>::infinity();
  const double kMax = double(INT64_MAX), kMin = double(INT64_MIN);
  std::vector<double> edges = {
      0.0,       -0.0,       1,       -1,      0.5,       -0.5,    1.5,     2.5,       -2.5,
      0.125,     0.375,      -0.625,  0.25,    0.75,      10.25,   10.75,   -10.25,    100.5,
      101.5,     999.5,      -999.5,  1000.5,  9.995,     99.95,   999.45,  9.9949999, 9.9950001,
      99.949999, 99.950001,  0.9995,  0.99949, 0.09995,   1.005,   1.015,   1.125,     8.125,
      59.95,     59.949,     59.96,   1023.5,  1023.4999, 1024,    1048064, 1048063,   999999,
      999999.4,  999999.5,   1e6,     999500,  999499,    999.5e6, 999.5e9, 1e12,      1e15,
      1e18,      1e20,       9.99e20, 1e21,    -1e21,     1.5e22,  1e300,   5e-16,     4e-16,
      6e-16,     1e-15,      1e-300,  5e-324,  kMax,      kMin,    kInf,    -kInf,     std::nan(""),
      0x1p53,    0x1p53 + 2, 0x1p63,  12.34,   12.35,     12.345,  0.0456,  0.01234,   0.001235,
      3.22,      8.12,       8.125,   4.51,    6.47};
  for (double x : edges) {
    c.sig3_family(x);
    c.sig3_family(-x);
  }
  // Around every power of ten and the decade steps, a few ulps either side, and each halfway
  // point of 3 significant digits there.
  for (int e = -18; e <= 22; ++e) {
    double p = std::pow(10.0, e);
    for (double m : {1.0, 0.9995, 0.99949999, 0.99950001, 9.995, 1.005, 1.0005}) {
      double x = p * m;
      for (int k = -2; k <= 2; ++k) {
        double y = x;
        for (int j = 0; j < std::abs(k); ++j) y = std::nextafter(y, k < 0 ? 0.0 : kInf);
        c.sig3_family(y);
        c.sig3_family(-y);
      }
    }
  }
  // Exact halfway values at 2, 1 and 0 decimals (odd multiples of 1/8, 1/4, 1/2): ties.
  for (int i = 1; i < 80; i += 2) {
    c.sig3_family(i / 8.0);
    c.sig3_family(-i / 8.0);
    c.sig3_family(i / 4.0 + 10);
    c.sig3_family(i / 2.0 + 100);
    c.sig3_family(i / 2.0 + 960);
  }
  // Unit steps of durations (1000, 60, 60), bytes (1024) and counts: rounding edges.
  for (double step : {1e3, 1e6, 1e9, 60e9, 3600e9, 3600e12, 1024.0, 1048576.0, 0x1p30, 0x1p40,
                      0x1p50, 0x1p60, 1e6, 1e9, 1e12, 1e15}) {
    for (double f : {0.9994, 0.99949, 0.9995, 0.99951, 0.9996, 0.99995, 1.0, 59.9 / 60, 59.94 / 60,
                     59.95 / 60, 59.96 / 60, 1023.4 / 1024, 1023.5 / 1024, 1023.6 / 1024}) {
      double x = std::round(step * f);
      for (double d : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
        c.sig3_family(x + d);
        c.sig3_family(-(x + d));
      }
    }
  }
  // Random values: log-uniform over 40 decades, random signs; random integers; half-integers.
  std::mt19937_64 rng(20261204);
  std::uniform_real_distribution<double> exp10(-16, 24);
  for (int i = 0; i < 1500; ++i) {
    double x = std::pow(10.0, exp10(rng)) * (rng() & 1 ? -1 : 1);
    c.sig3_family(x);
  }
  for (int i = 0; i < 500; ++i) {
    int64_t n = int64_t(rng() >> (rng() % 63));
    c.sig3_family(double(n));
    c.sig3_family(double(n) + 0.5);
  }
  // Percent shares of integer parts and totals.
  for (int64_t total :
       {int64_t(0), int64_t(1), int64_t(3), int64_t(7), int64_t(1000), int64_t(10000),
        int64_t(999999937), int64_t(8120000000), INT64_MAX, INT64_MIN}) {
    for (int64_t part : {int64_t(0), int64_t(1), int64_t(-1), int64_t(2), int64_t(5), int64_t(999),
                         int64_t(9995), int64_t(1000001), INT64_MAX, INT64_MIN})
      c.share(part, total);
    for (int i = 0; i < 20; ++i)
      c.share(total == 0
                  ? int64_t(rng() >> 20)
                  : int64_t(rng() % uint64_t(std::llabs(total == INT64_MIN ? INT64_MAX : total))),
              total);
  }
  // Signed changes (diff, gate): base -> new, zero and negative bases, growth from nothing.
  {
    std::vector<double> sides = {0,    1,   -1,         3,          7,   8,    10,    100,  1000,
                                 1001, 999, 8120000000, 8500000000, 0.5, -250, 1e300, kMax, kMin};
    for (double b : sides)
      for (double n : sides) c.change(b, n);
    for (int i = 0; i < 1000; ++i) {
      double b = double(int64_t(rng() >> (rng() % 63))) * (i % 10 == 0 ? -1 : 1);
      double n = b + double(int64_t(rng() >> (rng() % 63))) * (rng() & 1 ? -1 : 1);
      c.change(b, n);
      c.change(b, std::round(b * (1 + std::ldexp(double(rng() % 2001) - 1000, -10))));
    }
  }
  // Stored values of value types: unit names as the readers leave them, scales, extremes.
  const std::vector<std::string> units = {
      "nanoseconds",  "NANOSECONDS", "nanosecond", "ns",        "us",
      "microseconds", "\xce\xbcs",   "\xce\xbcss", "ms",        "milliseconds",
      "seconds",      "second",      "s",          "sec",       "secs",
      "hours",        "hrs",         "hr",         "minutes",   "bytes",
      "byte",         "B",           "b",          "kB",        "KB",
      "kilobytes",    "KiB",         "MB",         "megabytes", "GB",
      "gigabytes",    "TB",          "terabytes",  "PB",        "petabytes",
      "count",        "samples",     "",           "objects",   "ss",
      "bs",           "Seconds"};
  const std::vector<int64_t> scales = {1, 3,  1000,      1000000,          1000000000,
                                       0, -5, INT64_MAX, int64_t(1) << 53, (int64_t(1) << 53) + 1};
  const std::vector<int64_t> stored = {0,
                                       1,
                                       -1,
                                       7,
                                       999,
                                       1000,
                                       999499,
                                       999500,
                                       1023,
                                       1024,
                                       1048063,
                                       1048064,
                                       59950000000,
                                       3599999999,
                                       123456789,
                                       -987654321,
                                       INT64_MAX,
                                       INT64_MIN,
                                       INT64_MAX - 1,
                                       INT64_MIN + 1,
                                       int64_t(1) << 53,
                                       (int64_t(1) << 53) + 1};
  for (const std::string& u : units)
    for (int64_t sc : scales) {
      for (int64_t v : stored) c.value(v, sc, u);
      for (int i = 0; i < 4; ++i)
        c.value(int64_t(rng() >> (rng() % 63)) * (rng() & 1 ? -1 : 1), sc, u);
    }
  return c;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: units_js_test PERFKIT_BINARY SOURCE_DIR\n");
    return 2;
  }
  if (std::system("command -v node >/dev/null 2>&1") != 0) {
    std::printf("SKIP: node is not installed; the HTML report's units are not checked\n");
    return 77;
  }
  char dir_template[] = "/tmp/perfkit-units-js-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    std::perror("mkdtemp");
    return 2;
  }
  const std::string d = dir;
  int failures = 0;

  // The script under test is the one the page carries.
  const std::string page = d + "/report.html";
  std::string cmd = std::string("'") + argv[1] + "' report '" + argv[2] +
                    "/testdata/pprof/go_cpu_slow_regex.pb.gz' --format html -o '" + page + "'";
  if (std::system(cmd.c_str()) != 0 ||
      read_file(page).find(perfkit::html::kUnitsJs) == std::string::npos) {
    std::printf("FAIL: the HTML report does not embed reports/html/units_js.h (%s)\n", cmd.c_str());
    ++failures;
  }

  const std::string svg = d + "/flame.svg";
  cmd = std::string("'") + argv[1] + "' flame '" + argv[2] + "/testdata/folded/small.folded' -o '" +
        svg + "'";
  if (std::system(cmd.c_str()) != 0 ||
      read_file(svg).find(perfkit::html::kUnitsJs) == std::string::npos) {
    std::printf("FAIL: the flame SVG does not embed reports/html/units_js.h (%s)\n", cmd.c_str());
    ++failures;
  }

  Cases cases = make_cases();
  {
    std::ofstream js(d + "/units.js");
    js << perfkit::html::kUnitsJs << kDriver;
    std::ofstream in(d + "/cases.tsv");
    for (const Case& k : cases.all()) in << k.line << "\n";
  }
  cmd = "node '" + d + "/units.js' '" + d + "/cases.tsv' > '" + d + "/got.txt'";
  if (std::system(cmd.c_str()) != 0) {
    std::printf("FAIL: %s\n", cmd.c_str());
    return 1;
  }
  std::istringstream got(read_file(d + "/got.txt"));
  std::string line;
  size_t i = 0, shown = 0;
  for (; i < cases.all().size() && std::getline(got, line); ++i) {
    const Case& k = cases.all()[i];
    if (line == k.want) continue;
    ++failures;
    if (shown++ < 30)
      std::printf("FAIL: %s: C++ '%s', JavaScript '%s'\n", k.line.c_str(), k.want.c_str(),
                  line.c_str());
  }
  if (i != cases.all().size()) {
    std::printf("FAIL: node answered %zu of %zu cases\n", i, cases.all().size());
    ++failures;
  }
  std::printf("%zu values compared, %d differ\n", cases.all().size(), failures);
  if (failures == 0) std::system(("rm -rf '" + d + "'").c_str());
  return failures == 0 ? 0 : 1;
}

#include <doctest/doctest.h>

#include <vector>

#include "lib/errors.h"
#include "lib/units.h"

using namespace perfkit;
using namespace perfkit::units;

TEST_CASE("pprof labels match go tool pprof -top") {
  CHECK(pprof_label(1030000000, "nanoseconds", "s") == "1.03s");
  CHECK(pprof_label(700000000, "nanoseconds", "s") == "0.70s");
  CHECK(pprof_label(0, "nanoseconds", "s") == "0");
  CHECK(pprof_label(8500000000, "nanoseconds", "s") == "8.50s");
  CHECK(pprof_label(1048576, "bytes", "kB") == "1024kB");
  CHECK(pprof_label(28283, "bytes", "kB") == "27.62kB");
  CHECK(pprof_label(42, "count", "count") == "42");
  CHECK(pprof_label(-1030000000, "nanoseconds", "s") == "-1.03s");
  CHECK(pprof_label(5120000000, "nanoseconds", "auto") == "5.12s");
}

TEST_CASE("pprof percentages") {
  CHECK(pprof_percent(1, 1) == "  100%");
  CHECK(pprof_percent(1294, 10000) == "12.94%");
  CHECK(pprof_percent(90, 10000) == "  0.9%");
  CHECK(pprof_percent(0, 10000) == "    0%");
  CHECK(pprof_percent(78, 10000) == " 0.78%");
}

TEST_CASE("pprof output unit selection") {
  std::vector<int64_t> flat = {1100000000, 10000000, 0};
  std::vector<int64_t> cum = {1100000000, 10000000, 20000000};
  CHECK(pprof_output_unit(flat, cum, 8500000000, "nanoseconds") == "s");
  std::vector<int64_t> f2 = {8192, 1335348};
  CHECK(pprof_output_unit(f2, f2, 3155231, "bytes") == "kB");
  std::vector<int64_t> f3 = {3, 4};
  CHECK(pprof_output_unit(f3, f3, 7, "count") == "count");
  // min and max in the same unit: that unit
  std::vector<int64_t> f4 = {2000000, 5000000};
  CHECK(pprof_output_unit(f4, f4, 7000000, "nanoseconds") == "ms");
}

TEST_CASE("human formatting") {
  CHECK(human_duration_ns(12345678) == "12.3ms");
  CHECK(human_duration_ns(1500) == "1.5us");
  CHECK(human_duration_ns(0) == "0");
  CHECK(human_duration_ns(999960) == "1ms");
  CHECK(human_duration_ns(100000000) == "100ms");
  CHECK(human_bytes(1572864) == "1.5MiB");
  CHECK(human_bytes(512) == "512B");
  CHECK(human_value(1572864, "bytes") == "1.5MiB");
  CHECK(human_value(13355000, "seconds", 1000000000) == "13.4ms");
  CHECK(human_value(42, "count") == "42");
  CHECK(human_seconds(0.013355) == "13.4ms");
  CHECK(human_percent(12.34) == "12.3%");
  CHECK(human_percent(100) == "100%");
}

TEST_CASE("parse_quantity converts to the profile's stored unit") {
  CHECK(parse_quantity("5ms", "nanoseconds") == 5000000);
  CHECK(parse_quantity("1.5s", "nanoseconds") == 1500000000);
  CHECK(parse_quantity("100us", "nanoseconds") == 100000);
  CHECK(parse_quantity("2MiB", "bytes") == 2097152);
  CHECK(parse_quantity("3", "count") == 3);
  CHECK(parse_quantity("5ms", "seconds", 1000000000) == 5000000);  // tables store ns
  CHECK(parse_quantity("250", "nanoseconds") == 250);
  CHECK(parse_quantity("2", "microseconds") == 2);
  CHECK(parse_quantity("2ms", "microseconds") == 2000);
  CHECK_THROWS_AS(parse_quantity("2MiB", "nanoseconds"), UsageError);
  CHECK_THROWS_AS(parse_quantity("10%", "nanoseconds"), UsageError);
  CHECK_THROWS_AS(parse_quantity("fast", "nanoseconds"), UsageError);
  CHECK_THROWS_AS(parse_quantity("5 parsecs", "nanoseconds"), UsageError);
  Threshold t = parse_threshold("10%", "nanoseconds");
  CHECK(t.is_percent);
  CHECK(t.percent == 10);
  CHECK(parse_threshold("5ms", "nanoseconds").value == 5000000);
  CHECK(parse_percent("2.5%") == 2.5);
  CHECK_THROWS_AS(parse_percent("2ms"), UsageError);
}

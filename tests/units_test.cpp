#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
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
  CHECK(human_duration_ns(8120000000) == "8.12s");
  CHECK(human_bytes(1572864) == "1.5MiB");
  CHECK(human_bytes(512) == "512B");
  CHECK(human_bytes(3457448673) == "3.22GiB");
  CHECK(human_value(1572864, "bytes") == "1.5MiB");
  CHECK(human_value(13355000, "seconds", 1000000000) == "13.4ms");
  CHECK(human_value(42, "count") == "42");
  CHECK(human_seconds(0.013355) == "13.4ms");
  CHECK(human_percent(12.34) == "12.3%");
  CHECK(human_percent(100) == "100%");
}

TEST_CASE("human numbers keep 3 significant digits") {
  CHECK(human_percent(1.234) == "1.23%");
  CHECK(human_percent(0.1234) == "0.123%");
  CHECK(human_percent(0.0456) == "0.0456%");
  CHECK(human_percent(0.00123456) == "0.00123%");
  CHECK(human_percent(0.0009996) == "0.001%");
  CHECK(human_percent(0.0009994) == "0.001%");  // 0.00100 at 5 decimals
  CHECK(human_percent(0.00099) == "<0.001%");
  CHECK(human_percent(-0.000001) == "-<0.001%");
  CHECK(human_percent(1e-300) == "<0.001%");
  CHECK(human_percent(155.4) == "155%");
  CHECK(human_percent(1234.4) == "1234%");  // every integer digit from 1000 on
  CHECK(human_percent(0) == "0%");
  CHECK(human_percent(-0.0) == "0%");
  CHECK(human_percent(-12.34) == "-12.3%");
  // The decimals follow the rounded text: 9.996 is "10", not "10.0" or "9.996".
  CHECK(human_percent(9.996) == "10%");
  CHECK(human_percent(99.96) == "100%");
  CHECK(human_percent(0.09996) == "0.1%");
  CHECK(human_percent(9.994) == "9.99%");
  // Exactly halfway (values a double holds exactly) rounds away from zero, as JavaScript's
  // toFixed does; printf would round these to even.
  CHECK(human_percent(0.125) == "0.125%");
  CHECK(human_percent(8.125) == "8.13%");
  CHECK(human_percent(-97.25) == "-97.3%");
  CHECK(human_percent(100.5) == "101%");
  CHECK(human_percent(1234.5) == "1235%");
  // Not halfway in binary: 1.005 is 1.00499999999999989...
  CHECK(human_percent(1.005) == "1%");
  CHECK(human_share(1, 3) == "33.3%");
  CHECK(human_share(2, 3) == "66.7%");
  CHECK(human_share(-1, 8) == "-12.5%");
  CHECK(human_share(5, 0) == "");
  CHECK(human_percent(std::nan("")) == "nan%");
  CHECK(human_count(0.5) == "0.5");
  CHECK(human_count(999999) == "999999");
  CHECK(human_count(-999999) == "-999999");
  CHECK(human_count(999999.5) == "1M");
  CHECK(human_count(1234567) == "1.23M");
  CHECK(human_count(999.5e6) == "1G");
  CHECK(human_count(2.5e13) == "25T");
  CHECK(human_count(123456.7) == "123457");
}

TEST_CASE("human units step up when the rounded value reaches the next unit") {
  CHECK(human_duration_ns(999) == "999ns");
  CHECK(human_duration_ns(999.5) == "1us");  // whole nanoseconds first, half away from zero
  CHECK(human_duration_ns(2.5) == "3ns");
  CHECK(human_duration_ns(-2.5) == "-3ns");
  CHECK(human_duration_ns(0.4) == "0");
  CHECK(human_duration_ns(999499) == "999us");
  CHECK(human_duration_ns(999500) == "1ms");
  CHECK(human_duration_ns(-999500) == "-1ms");
  CHECK(human_duration_ns(999499999) == "999ms");
  CHECK(human_duration_ns(999500000) == "1s");
  CHECK(human_duration_ns(59949999999) == "59.9s");
  CHECK(human_duration_ns(59950000000) == "1min");  // not "60s"
  CHECK(human_duration_ns(90e9) == "1.5min");
  CHECK(human_duration_ns(3594e9) == "59.9min");
  CHECK(human_duration_ns(3597e9) == "1h");  // 59.95min rounds to 60
  CHECK(human_duration_ns(3597.5e9) == "1h");
  CHECK(human_duration_ns(7200e9 * 1000) == "2000h");
  CHECK(human_bytes(0) == "0B");
  CHECK(human_bytes(-1) == "-1B");
  CHECK(human_bytes(1023) == "1023B");
  CHECK(human_bytes(1023.4) == "1023B");
  CHECK(human_bytes(1023.5) == "1KiB");
  CHECK(human_bytes(1024) == "1KiB");
  CHECK(human_bytes(1536) == "1.5KiB");
  CHECK(human_bytes(1048063) == "1023KiB");  // 1023.499 KiB
  CHECK(human_bytes(1048064) == "1MiB");     // 1023.5 KiB: not "1024KiB"
  CHECK(human_bytes(double(int64_t(1) << 40)) == "1TiB");
  CHECK(human_bytes(1.5 * double(int64_t(1) << 50)) == "1.5PiB");
}

TEST_CASE("human_value at the extremes of int64 and of the scale") {
  // Once these were converted to int64 nanoseconds (llround: overflow) or took llabs(INT64_MIN).
  CHECK(human_duration_ns(double(INT64_MAX)) == "2562048h");
  CHECK(human_duration_ns(double(INT64_MIN)) == "-2562048h");
  CHECK(human_bytes(double(INT64_MAX)) == "8EiB");
  CHECK(human_bytes(double(INT64_MIN)) == "-8EiB");
  CHECK(human_count(double(INT64_MIN)) == "-9223372T");
  CHECK(human_value(INT64_MIN, "count") == "-9223372T");
  CHECK(human_value(INT64_MAX, "count") == "9223372T");
  CHECK(human_value(INT64_MAX, "hours") == "9223372036854775808h");
  CHECK(human_value(INT64_MIN, "hours") == "-9223372036854775808h");
  CHECK(human_value(INT64_MIN, "petabytes") == "-9007199254740992EiB");
  CHECK(human_value(INT64_MAX, "nanoseconds") == "2562048h");
  CHECK(human_value(INT64_MAX, "seconds", INT64_MAX) == "1s");
  CHECK(human_value(INT64_MIN, "seconds", INT64_MAX) == "-1s");
  CHECK(human_value(1, "seconds", INT64_MAX) == "0");
  CHECK(human_value(1, "count", INT64_MAX) == "0");  // 1.08e-19: below 15 decimals
  CHECK(human_value(1, "count", 1000000000000) == "0.000000000001");
  CHECK(human_value(7, "count", 0) == "7");  // a scale <= 0 means 1
  CHECK(human_value(7, "count", -5) == "7");
  CHECK(human_value(1500, "count", 1000) == "1.5");
  CHECK(human_value(3, "milliseconds", 1) == "3ms");
  CHECK(human_value(3, "kilobytes", 1) == "3KiB");  // pprof's kB is 1024 bytes
  CHECK(human_value(3, "KiB", 1) == "3");           // not a unit pprof knows: a count
  CHECK(human_seconds(1e300) == "inf");
  CHECK(human_seconds(-std::numeric_limits<double>::infinity()) == "-inf");
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

// Units: pprof-exact value labels (so `perfkit top` prints what `go tool pprof -top` prints),
// human-readable values for our own reports, and parsing of quantities with units ("5ms",
// "2MiB", "10%") for thresholds.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace perfkit::units {

// What a unit measures. Recognized from unit names the way pprof sniffs them
// ("nanoseconds", "ns", "seconds", "bytes", "kB", ...); anything else is kCount.
enum class Dimension { kTime, kMemory, kCount };
Dimension dimension_of(std::string_view unit);

// ---- pprof's measurement package, rule for rule ----

struct Scaled {
  double value = 0;
  std::string unit;  // canonical pprof unit name: "ns","us","ms","s","hrs" / "B","kB","MB",...
};

// measurement.Scale: converts `value` in `from_unit` to `to_unit`. to_unit "auto" or "minimum"
// picks the largest unit in which |value| >= 1. Unknown units: the value unchanged, unit
// `to_unit` (or "" for to_unit count/sample/unit/minimum/auto).
Scaled pprof_scale(int64_t value, std::string_view from_unit, std::string_view to_unit);

// measurement.ScaledLabel: Sprintf("%.2f") with ".00" trimmed, "0"/"-0" -> "0", then the unit.
// e.g. 1030000000 ns -> "1.03s" in "s", 700000000 -> "0.70s", 1335348 B -> "1304.05kB" in "kB".
std::string pprof_label(int64_t value, std::string_view from_unit, std::string_view to_unit);

// measurement.Percentage: "  100%" within 99.95..100.05, "%5.2f%%" when >= 1, else "%5.2g%%".
std::string pprof_percent(int64_t value, int64_t total);

// report.selectOutputUnit ("minimum"): the smallest nonzero |flat| (|cum| when flat is 0) over
// the shown nodes, and the total, each scaled to its natural unit; if they differ and
// min*100 < total, the unit of 100*min. Returns a unit for pprof_label (the sample unit when
// the unit is not a known time/memory unit).
std::string pprof_output_unit(std::span<const int64_t> flats, std::span<const int64_t> cums,
                              int64_t total, std::string_view sample_unit);

// ---- human formatting for perfkit's own reports ----
// One style everywhere a person reads a value (info, top and tree of non-pprof inputs, report,
// diff, gate, HTML): 3 significant digits (every integer digit from 1000 on), trailing zeros
// trimmed, a value exactly halfway rounded away from zero: "8.12s", "3.22GiB", "12.3%",
// "0.0456%". The HTML report's script (reports/html/units_js.h) reproduces these functions
// digit for digit (tests/units_js checks it under node). Non-finite values print as "nan",
// "inf", "-inf"; no function overflows, whatever the value or scale.

// Rounded to whole nanoseconds first, then in the largest of ns, us, ms, s, min, h whose
// rounded value is at least 1: 12345678 -> "12.3ms", 1500 -> "1.5us", 999960 -> "1ms",
// 59960000000 -> "1min" (not "60s"), 0 -> "0".
std::string human_duration_ns(double ns);
// Rounded to whole bytes; 1024-based with IEC names; a step up when the rounded value reaches
// 1024: 512 -> "512B", 1572864 -> "1.5MiB", 1048064 -> "1MiB" (not "1024KiB").
std::string human_bytes(double bytes);
// Counts: whole numbers below 10^6 in full, others with 3 digits and M, G, T: 42 -> "42",
// 0.5 -> "0.5", 1234567 -> "1.23M".
std::string human_count(double n);
// The stored value of a value type: `unit` is the type's unit name (recognized as pprof does,
// units::dimension_of), `scale` the stored units per unit (ValueType::scale; <= 0 means 1).
// Times and sizes go through human_duration_ns / human_bytes, anything else human_count.
std::string human_value(int64_t stored, std::string_view unit, int64_t scale = 1);
// A double number of seconds (tables) as a duration: 0.013355 -> "13.4ms".
std::string human_seconds(double seconds);
// A percentage: 12.34 -> "12.3%", 0.0456 -> "0.0456%", 100 -> "100%", -97.25 -> "-97.3%";
// nonzero values that round below 0.001 as "<0.001%" ("-<0.001%").
std::string human_percent(double ratio_times_100);
// part as a percentage of total (100 * part / total); "" when total is 0.
std::string human_share(double part, double total);

// ---- parsing ----

// Parses "5ms", "1.5s", "100us", "2MiB", "512kB", "3", "1e3ns" into the profile's stored unit:
// the result is the quantity expressed in `profile_unit` times `scale` (rounded to nearest).
// A bare number is already in profile_unit. Units of another dimension (a size for a time
// profile), percentages, garbage, or overflow throw UsageError naming the text.
int64_t parse_quantity(std::string_view text, std::string_view profile_unit, int64_t scale = 1);

// A threshold that is either a percentage ("10%", "2.5%") or a quantity.
struct Threshold {
  bool is_percent = false;
  double percent = 0;  // when is_percent: 10 for "10%"
  int64_t value = 0;   // otherwise: in the profile's stored unit
};
Threshold parse_threshold(std::string_view text, std::string_view profile_unit, int64_t scale = 1);

// "10%" or "10" -> 10.0; throws UsageError otherwise.
double parse_percent(std::string_view text);

}  // namespace perfkit::units

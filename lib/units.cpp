#include "lib/units.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "lib/errors.h"

namespace perfkit::units {
namespace {

struct UnitDef {
  const char* canonical;
  const char* aliases[4];
  double factor;
};

struct UnitTypeDef {
  Dimension dim;
  const UnitDef* units;
  size_t count;
  UnitDef default_unit;
};

// pprof's internal/measurement tables (time unit factors in nanoseconds).
constexpr UnitDef kMemoryUnits[] = {
    {"B", {"b", "byte"}, 1},
    {"kB", {"kb", "kbyte", "kilobyte"}, double(1LL << 10)},
    {"MB", {"mb", "mbyte", "megabyte"}, double(1LL << 20)},
    {"GB", {"gb", "gbyte", "gigabyte"}, double(1LL << 30)},
    {"TB", {"tb", "tbyte", "terabyte"}, double(1LL << 40)},
    {"PB", {"pb", "pbyte", "petabyte"}, double(1LL << 50)},
};
constexpr UnitDef kTimeUnits[] = {
    {"ns", {"ns", "nanosecond"}, 1},
    {"us", {"μs", "us", "microsecond"}, 1e3},
    {"ms", {"ms", "millisecond"}, 1e6},
    {"s", {"s", "sec", "second"}, 1e9},
    {"hrs", {"hour", "hr"}, 3600e9},
};
const UnitTypeDef kUnitTypes[] = {
    {Dimension::kMemory, kMemoryUnits, std::size(kMemoryUnits), {"B", {"b", "byte"}, 1}},
    {Dimension::kTime, kTimeUnits, std::size(kTimeUnits), {"s", {}, 1e9}},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// pprof sniffUnit: lower-case, drop a plural "s" when longer than 2, match an alias.
const UnitDef* sniff(const UnitTypeDef& ut, std::string_view unit) {
  std::string u = lower(unit);
  if (u.size() > 2 && u.back() == 's') u.pop_back();
  for (size_t i = 0; i < ut.count; ++i)
    for (const char* a : ut.units[i].aliases)
      if (a != nullptr && u == a) return &ut.units[i];
  return nullptr;
}

bool convert(const UnitTypeDef& ut, int64_t value, std::string_view from, std::string_view to,
             Scaled& out) {
  const UnitDef* from_unit = sniff(ut, from);
  if (from_unit == nullptr) return false;
  double v = double(value) * from_unit->factor;
  if (to == "minimum" || to == "auto") {
    double f = 0;
    const char* name = nullptr;
    for (size_t i = 0; i < ut.count; ++i) {
      const UnitDef& u = ut.units[i];
      if (u.factor >= f && v / u.factor >= 1.0) {
        f = u.factor;
        name = u.canonical;
      }
    }
    if (f != 0) {
      out = {v / f, name};
    } else {
      out = {v / ut.default_unit.factor, ut.default_unit.canonical};
    }
    return true;
  }
  const UnitDef* to_unit = sniff(ut, to);
  if (to_unit == nullptr) to_unit = &ut.default_unit;
  out = {v / to_unit->factor, to_unit->canonical};
  return true;
}

std::string fmt_double(const char* spec, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

// Trims trailing zeros after a decimal point, and the point itself; "-0" becomes "0".
std::string trim_zeros(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

// x with `decimals` digits after the point, correctly rounded; a value exactly halfway rounds
// away from zero, as JavaScript's Number.prototype.toFixed does (printf rounds it to even).
// x is exactly halfway iff |x| * 2^(decimals+1) is an odd integer: the halfway points
// (k + 1/2) / 10^d that a double can hold are the odd multiples of 2^-(d+1).
std::string fixed(double x, int decimals) {
  double twice = std::ldexp(std::fabs(x), decimals + 1);
  if (twice < 0x1p53 && twice == std::floor(twice) && std::fmod(twice, 2.0) == 1.0)
    x = std::nextafter(x, x < 0 ? -HUGE_VAL : HUGE_VAL);
  char buf[64];  // |x| < 1e21 here: at most 22 digits, the point and kMaxDecimals decimals
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, decimals);
  return std::string(buf, r.ptr);
}

// The number a text of fixed() or sig3() stands for.
double number_of(const std::string& s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Digits of a fixed-point text from its first nonzero digit on: "0.0120" -> 3, "12.30" -> 4.
int significant_digits(const std::string& s) {
  int n = 0;
  bool started = false;
  for (char c : s) {
    if (c < '0' || c > '9') continue;
    started = started || c != '0';
    n += started;
  }
  return n;
}

constexpr int kMaxDecimals = 15;            // below 5e-16 a number shows as 0
constexpr double kSmallestPercent = 0.001;  // smaller shares show as "<0.001%"

// The one number style of perfkit's own reports (and of the HTML report's script, which
// reproduces this function: tests/units_js): 3 significant digits (all the integer digits
// from 1000 on), trailing zeros trimmed. 8.123 -> "8.12", 0.0123456 -> "0.0123", 99.96 -> "100",
// 1234.5 -> "1235". The decimals are chosen on the rounded text, so 9.996 -> "10", not "10.0".
std::string sig3(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0) return "0";
  if (std::fabs(x) >= 1e21) return fmt::format("{}", x);  // JavaScript's String(x) there
  int d = 2;
  std::string s = fixed(x, d);
  int n = significant_digits(s);
  while (n > 3 && d > 0) n = significant_digits(s = fixed(x, --d));
  while (n < 3 && d < kMaxDecimals) n = significant_digits(s = fixed(x, ++d));
  return trim_zeros(s);
}

// Rounds half away from zero (as llround, without its overflow): whole nanoseconds and bytes.
double round_half_away(double x) { return std::isfinite(x) ? std::round(x) : x; }

// A unit step of a human scale: the value in `factor` units shows while its rounded text stays
// below `next` (1000us shows as 1ms).
struct Step {
  double factor;
  const char* name;
  double next;
};

std::string on_scale(double v, const Step* steps, size_t count) {
  if (!std::isfinite(v)) return sig3(v);
  // A value at or past `next` before rounding stays there after it: skip those units unformatted.
  size_t i = 0;
  while (i + 1 < count && std::fabs(v) / steps[i].factor >= steps[i].next) ++i;
  for (;; ++i) {
    std::string s = sig3(v / steps[i].factor);
    if (i + 1 == count || std::fabs(number_of(s)) < steps[i].next)
      return s + steps[i].name;
  }
}

}  // namespace

Dimension dimension_of(std::string_view unit) {
  for (const auto& ut : kUnitTypes)
    if (sniff(ut, unit) != nullptr) return ut.dim;
  return Dimension::kCount;
}

Scaled pprof_scale(int64_t value, std::string_view from_unit, std::string_view to_unit) {
  if (value < 0 && value != INT64_MIN) {
    Scaled s = pprof_scale(-value, from_unit, to_unit);
    s.value = -s.value;
    return s;
  }
  Scaled out;
  for (const auto& ut : kUnitTypes)
    if (convert(ut, value, from_unit, to_unit, out)) return out;
  if (to_unit == "count" || to_unit == "sample" || to_unit == "unit" || to_unit == "minimum" ||
      to_unit == "auto")
    return {double(value), ""};
  return {double(value), std::string(to_unit)};
}

std::string pprof_label(int64_t value, std::string_view from_unit, std::string_view to_unit) {
  Scaled s = pprof_scale(value, lower(from_unit), to_unit);
  std::string sv = fmt_double("%.2f", s.value);
  if (sv.size() >= 3 && sv.compare(sv.size() - 3, 3, ".00") == 0) sv.resize(sv.size() - 3);
  if (sv == "0" || sv == "-0") return "0";
  return sv + s.unit;
}

std::string pprof_percent(int64_t value, int64_t total) {
  double ratio = 0;
  if (total != 0) ratio = std::fabs(double(value) / double(total)) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return "  100%";
  if (ratio >= 1.0) return fmt_double("%5.2f%%", ratio);
  return fmt_double("%5.2g%%", ratio);
}

std::string pprof_output_unit(std::span<const int64_t> flats, std::span<const int64_t> cums,
                              int64_t total, std::string_view sample_unit) {
  std::string unit_l = lower(sample_unit);
  int64_t min_value = 0;
  for (size_t i = 0; i < flats.size(); ++i) {
    int64_t m = std::llabs(flats[i]);
    if (m == 0 && i < cums.size()) m = std::llabs(cums[i]);
    if (m > 0 && (min_value == 0 || m < min_value)) min_value = m;
  }
  int64_t max_value = total;
  if (min_value == 0) min_value = max_value;
  std::string min_unit = pprof_scale(min_value, unit_l, "minimum").unit;
  std::string max_unit = pprof_scale(max_value, unit_l, "minimum").unit;
  std::string unit = min_unit;
  if (min_unit != max_unit && min_value * 100 < max_value)
    unit = pprof_scale(100 * min_value, unit_l, "minimum").unit;
  return unit.empty() ? std::string(sample_unit) : unit;
}

std::string human_duration_ns(double ns) {
  static constexpr Step kSteps[] = {{1, "ns", 1000}, {1e3, "us", 1000}, {1e6, "ms", 1000},
                                    {1e9, "s", 60},  {60e9, "min", 60}, {3600e9, "h", 0}};
  ns = round_half_away(ns);
  if (ns == 0) return "0";
  return on_scale(ns, kSteps, std::size(kSteps));
}

std::string human_bytes(double bytes) {
  static constexpr Step kSteps[] = {{0x1p10, "KiB", 1024}, {0x1p20, "MiB", 1024},
                                    {0x1p30, "GiB", 1024}, {0x1p40, "TiB", 1024},
                                    {0x1p50, "PiB", 1024}, {0x1p60, "EiB", 0}};
  bytes = round_half_away(bytes);
  if (std::fabs(bytes) < 1024) return fmt::format("{:.0f}B", bytes == 0 ? 0.0 : bytes);
  return on_scale(bytes, kSteps, std::size(kSteps));
}

std::string human_count(double n) {
  static constexpr Step kSteps[] = {
      {1, "", 1e6}, {1e6, "M", 1000}, {1e9, "G", 1000}, {1e12, "T", 0}};
  if (n == std::floor(n) && std::fabs(n) < 1e6) return fmt::format("{:.0f}", n == 0 ? 0.0 : n);
  return on_scale(n, kSteps, std::size(kSteps));
}

std::string human_value(int64_t stored, std::string_view unit, int64_t scale) {
  double v = double(stored) / double(scale > 0 ? scale : 1);
  for (const auto& ut : kUnitTypes) {
    const UnitDef* u = sniff(ut, unit);
    if (u == nullptr) continue;  // nanoseconds or bytes per unit: the factor (the base's is 1)
    return ut.dim == Dimension::kTime ? human_duration_ns(v * u->factor) : human_bytes(v * u->factor);
  }
  return human_count(v);
}

std::string human_seconds(double seconds) { return human_duration_ns(seconds * 1e9); }

std::string human_percent(double ratio_times_100) {
  std::string s = sig3(ratio_times_100);
  if (ratio_times_100 != 0 && std::fabs(number_of(s)) < kSmallestPercent)
    return ratio_times_100 < 0 ? "-<0.001%" : "<0.001%";
  return s + "%";
}

std::string human_share(double part, double total) {
  if (total == 0) return "";
  return human_percent(100 * part / total);
}

namespace {

// Splits "1.5ms" into the number and the unit suffix; throws on a missing number.
double split_number(std::string_view text, std::string& suffix) {
  std::string t(text);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  size_t start = 0;
  while (start < t.size() && std::isspace(static_cast<unsigned char>(t[start]))) ++start;
  t = t.substr(start);
  const char* begin = t.c_str();
  char* end = nullptr;
  // Reject hex and inf/nan which strtod would accept.
  for (char c : t)
    if (c == 'x' || c == 'X') throw UsageError("not a quantity: '" + std::string(text) + "'");
  double v = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(v))
    throw UsageError("not a quantity: '" + std::string(text) + "' (expected e.g. 5ms, 2MiB, 10%)");
  suffix.assign(end);
  while (!suffix.empty() && suffix.front() == ' ') suffix.erase(suffix.begin());
  return v;
}

// Factor of a unit suffix in ns (time) or bytes (memory); 0 when unknown.
double suffix_factor(const std::string& s, Dimension& dim) {
  struct S {
    const char* name;
    Dimension dim;
    double factor;
  };
  static const S kSuffixes[] = {
      {"ns", Dimension::kTime, 1},          {"us", Dimension::kTime, 1e3},
      {"µs", Dimension::kTime, 1e3},        {"μs", Dimension::kTime, 1e3},
      {"ms", Dimension::kTime, 1e6},        {"s", Dimension::kTime, 1e9},
      {"sec", Dimension::kTime, 1e9},       {"min", Dimension::kTime, 60e9},
      {"m", Dimension::kTime, 60e9},        {"h", Dimension::kTime, 3600e9},
      {"hr", Dimension::kTime, 3600e9},     {"hrs", Dimension::kTime, 3600e9},
      {"B", Dimension::kMemory, 1},         {"b", Dimension::kMemory, 1},
      {"kB", Dimension::kMemory, 1024.0},   {"KB", Dimension::kMemory, 1024.0},
      {"KiB", Dimension::kMemory, 1024.0},  {"k", Dimension::kCount, 1e3},
      {"MB", Dimension::kMemory, 1048576.0}, {"MiB", Dimension::kMemory, 1048576.0},
      {"GB", Dimension::kMemory, 1073741824.0}, {"GiB", Dimension::kMemory, 1073741824.0},
      {"TB", Dimension::kMemory, 1099511627776.0}, {"TiB", Dimension::kMemory, 1099511627776.0},
      {"M", Dimension::kCount, 1e6},        {"G", Dimension::kCount, 1e9},
  };
  for (const auto& x : kSuffixes)
    if (s == x.name) {
      dim = x.dim;
      return x.factor;
    }
  return 0;
}

}  // namespace

int64_t parse_quantity(std::string_view text, std::string_view profile_unit, int64_t scale) {
  std::string suffix;
  double v = split_number(text, suffix);
  if (scale <= 0) scale = 1;
  if (!suffix.empty() && suffix == "%")
    throw UsageError("expected an absolute quantity, not a percentage: '" + std::string(text) +
                     "'");
  Dimension want = dimension_of(profile_unit);
  double in_profile_unit = v;
  if (!suffix.empty()) {
    Dimension got = Dimension::kCount;
    double f = suffix_factor(suffix, got);
    if (f == 0)
      throw UsageError("unknown unit '" + suffix + "' in '" + std::string(text) +
                       "' (time: ns us ms s min h; size: B KiB MiB GiB; counts: k M G)");
    if (got != want) {
      static constexpr const char* kNames[] = {"a time", "a size", "a count"};
      throw UsageError("'" + std::string(text) + "' is " + kNames[int(got)] +
                       " but the profile's values are " + kNames[int(want)] + " (" +
                       std::string(profile_unit) + ")");
    }
    if (got == Dimension::kCount) {
      in_profile_unit = v * f;
    } else {
      // One profile unit in ns or bytes.
      double unit_factor = pprof_scale(1, profile_unit, got == Dimension::kTime ? "ns" : "B").value;
      in_profile_unit = v * f / unit_factor;
    }
  }
  double stored = in_profile_unit * double(scale);
  if (!std::isfinite(stored) || std::fabs(stored) > 9.2e18)
    throw UsageError("quantity out of range: '" + std::string(text) + "'");
  return std::llround(stored);
}

Threshold parse_threshold(std::string_view text, std::string_view profile_unit, int64_t scale) {
  std::string suffix;
  double v = split_number(text, suffix);
  if (suffix == "%") return Threshold{true, v, 0};
  return Threshold{false, 0, parse_quantity(text, profile_unit, scale)};
}

double parse_percent(std::string_view text) {
  std::string suffix;
  double v = split_number(text, suffix);
  if (!suffix.empty() && suffix != "%")
    throw UsageError("expected a percentage like 10% or 2.5, got '" + std::string(text) + "'");
  return v;
}

}  // namespace perfkit::units

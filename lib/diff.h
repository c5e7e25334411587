// Diff of two inputs (or two sets of repeated runs): per function (or file, or line) base and new
// flat and cum, matched by identity (name and file, never line number, so a whole-file line shift
// still matches), with added/removed status and likely renames (a removed and an added function
// in the same file with similar cost) reported as such. For traces, per-span-name percentiles side
// by side. Pure: no printing, no argv.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lib/aggregate.h"
#include "lib/profile.h"

namespace perfkit {

enum class DiffStatus { kChanged, kUnchanged, kAdded, kRemoved, kRenamed };
std::string_view status_name(DiffStatus s);

// One aggregated input: the profile it came from (for names and spans) and its flat table.
struct RunTable {
  const Profile* profile = nullptr;
  FlatTable table;
  // --normalize in pprof's direction scales a profile's samples one by one before aggregating
  // (as pprof's ScaleN): then `prescaled` is the factor used, and `raw_total` the total before.
  double prescaled = 0;  // 0: not scaled beforehand
  int64_t raw_total = 0;
};

struct DiffRow {
  std::string name;       // function (file for --by file); renamed rows: the new name
  std::string file;
  std::string base_name;  // renamed rows: the base side's name; else empty
  int64_t line = 0;       // --by line: the line; else the function's first known line (0 = none)
  // Single runs: the values; repeated runs: the medians over runs (0 where absent). Normalized
  // values when DiffOptions::normalize.
  int64_t base_flat = 0, new_flat = 0, base_cum = 0, new_cum = 0;
  DiffStatus status = DiffStatus::kChanged;
  // Call counts (tables: ncall; traces: spans), never normalized; -1 = unknown on that side
  // (sampled profiles). Repeated runs: the median, unknown when a run does not know it.
  int64_t base_calls = -1, new_calls = -1;
  // Per run (normalized when asked), one entry per input of that side; 0 where absent.
  std::vector<int64_t> base_flat_runs, new_flat_runs, base_cum_runs, new_cum_runs;
  std::vector<int64_t> base_calls_runs, new_calls_runs;  // 0 where absent, -1 where unknown

  int64_t delta_flat() const { return new_flat - base_flat; }
  int64_t delta_cum() const { return new_cum - base_cum; }
  // Average inclusive value per call (cum / calls), -1 when the calls are unknown or zero.
  int64_t base_avg() const { return base_calls > 0 ? base_cum / base_calls : -1; }
  int64_t new_avg() const { return new_calls > 0 ? new_cum / new_calls : -1; }
};

// Percentiles of span durations for one span name (traces), nearest-rank as lib/span_stats.
struct SpanPercentiles {
  int64_t count = 0;
  int64_t total_ns = 0;
  int64_t p50_ns = 0, p95_ns = 0, p99_ns = 0;
  int64_t percentile_ns(int pct) const { return pct >= 99 ? p99_ns : pct >= 95 ? p95_ns : p50_ns; }
};

struct SpanDiffRow {
  std::string name;
  SpanPercentiles base, new_;  // count 0 = absent on that side
};

struct DiffOptions {
  Granularity by = Granularity::kFunction;
  // Scale every run to one total before comparing: the (median) total of the base side, as
  // pprof's -normalize scales the new profile to the base (default), or of the new side
  // (normalize_to_new: the base is scaled up or down to the new run's length).
  bool normalize = false;
  bool normalize_to_new = false;
  bool detect_renames = true;
  double rename_min_cost_ratio = 0.8;  // min(cum)/max(cum) of a removed/added pair
  double rename_min_share_pct = 1.0;   // both sides at least this share of their total: a
                                       // function seen in 1 sample out of 800 is noise
};

struct DiffTable {
  std::string type, unit;  // of the compared value
  int64_t scale = 1;       // stored units per unit: the finest scale of the inputs
  int64_t base_total = 0, new_total = 0;  // medians over runs (after normalization)
  std::vector<int64_t> base_totals, new_totals;  // per run, before normalization
  int64_t base_total_raw = 0, new_total_raw = 0;  // medians of those
  // Single runs with --normalize: the factor applied to the scaled side (base_total / new_total
  // applied to the new run by default; new_total / base_total applied to the base with
  // normalize_to_new).
  double normalize_factor = 1;
  bool normalized = false;
  bool normalized_to_base = false;  // which side's total the runs were scaled to
  std::vector<DiffRow> rows;          // unsorted
  std::vector<SpanDiffRow> spans;     // traces: by total duration, largest first
  int base_runs = 0, new_runs = 0;
  bool has_calls = false;  // some row knows its calls on some side: reports add ncall and tavg
  // Function tables whose total is a row's ttot, not the sum of self (lib/table_total.h): "the
  // ttot of main", from the first run of each side; "" otherwise.
  std::string base_total_from, new_total_from;
};

// Chooses the value type to compare in both inputs: `sample_index` (name or index) if given,
// else each input's default; if those differ, the new input's type when it names a default
// sample type and the base has it, else the base's type (pprof's merge of [new, base] keeps the
// first default_sample_type set).
// Throws InputError naming both sides when the inputs cannot be compared (different formats of
// value, e.g. cpu/nanoseconds vs alloc_space/bytes, or yappi CPU vs WALL clocks).
struct ValuePair {
  int base_index = -1;
  int new_index = -1;
};
ValuePair resolve_comparable(const Profile& base, const Profile& new_profile,
                             const std::string& sample_index);

// Matches rows across sides. Every table must have the same type and unit (see
// resolve_comparable).
DiffTable diff_runs(std::span<const RunTable> base, std::span<const RunTable> new_runs,
                    const DiffOptions& opts);

// Per span name: count, total and p50/p95/p99 of durations, pooled over the given profiles, with
// the same selection and nearest-rank rule as `perfkit spans` (lib/span_stats.h): complete and
// async spans (async ones keyed "NAME (async)", as `perfkit spans` shows them), not producer summaries or unclosed B events.
struct NamedSpanStat {
  std::string name;
  SpanPercentiles stat;
};
std::vector<NamedSpanStat> span_stats_by_name(std::span<const Profile* const> profiles);

enum class DiffSort { kDeltaCum, kDeltaFlat, kCum, kFlat, kPercent, kName };
DiffSort parse_diff_sort(const std::string& s);  // throws UsageError
// Largest |delta| first (or |new| for kCum/kFlat, |delta%| for kPercent), then name.
void sort_diff(std::vector<DiffRow>& rows, DiffSort key);

// Percent change of v relative to base: +inf for growth from 0, 0 when both are 0.
double percent_change(double base, double now);

}  // namespace perfkit

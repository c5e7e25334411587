#include "lib/diff.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/errors.h"
#include "lib/span_stats.h"
#include "lib/stats.h"
#include "lib/table_total.h"

namespace perfkit {

std::string_view status_name(DiffStatus s) {
  switch (s) {
    case DiffStatus::kChanged: return "changed";
    case DiffStatus::kUnchanged: return "unchanged";
    case DiffStatus::kAdded: return "added";
    case DiffStatus::kRemoved: return "removed";
    case DiffStatus::kRenamed: return "renamed";
  }
  return "changed";
}

double percent_change(double base, double now) {
  if (base == 0) return now == 0 ? 0 : (now > 0 ? std::numeric_limits<double>::infinity()
                                                : -std::numeric_limits<double>::infinity());
  return (now - base) / std::fabs(base) * 100.0;
}

namespace {

bool is_table(const Profile& p) { return p.sample_count() == 0 && !p.rows.empty(); }

std::string describe(const Profile& p, int index) {
  if (is_table(p))
    return p.clock_type.empty() ? "a function table (time/seconds)"
                                : fmt::format("a function table (time/seconds, {} clock)",
                                              p.clock_type);
  if (index < 0 || index >= static_cast<int>(p.value_types.size())) return "no value types";
  const ValueType& vt = p.value_types[index];
  return fmt::format("{}/{}", p.str(vt.type), p.str(vt.unit));
}

}  // namespace

ValuePair resolve_comparable(const Profile& base, const Profile& np,
                             const std::string& sample_index) {
  auto refuse = [&](const std::string& why) {
    throw InputError::in_file(np.path, fmt::format("cannot compare with {}: {}", base.path, why));
  };
  bool bt = is_table(base), nt = is_table(np);
  if (bt || nt) {
    if (bt != nt)
      refuse(fmt::format("the base is {}, this is {}; compare like with like", describe(base, -1),
                         describe(np, np.default_value_index())));
    if (!base.clock_type.empty() && !np.clock_type.empty() && base.clock_type != np.clock_type)
      refuse(fmt::format("the base was measured with the {} clock, this with the {} clock",
                         base.clock_type, np.clock_type));
    return {};
  }
  if (base.value_types.empty() || np.value_types.empty())
    refuse(fmt::format("{} has no values to compare", base.value_types.empty() ? base.path : np.path));
  ValuePair v;
  if (!sample_index.empty()) {
    v.base_index = resolve_value_index(base, sample_index);
    v.new_index = resolve_value_index(np, sample_index);
  } else {
    // pprof's merge of [new, base] keeps the first default_sample_type set: the new profile's
    // when it names one (and the base has that type), else the base's type.
    v.base_index = base.default_value_index();
    v.new_index = np.default_value_index();
    std::string_view bt_name = base.str(base.value_types[v.base_index].type);
    std::string_view nt_name = np.str(np.value_types[v.new_index].type);
    const bool new_named = np.meta.default_sample_type != 0 && !np.str(np.meta.default_sample_type).empty();
    if (bt_name != nt_name) {
      const int b = new_named ? base.find_value_type(nt_name) : -1;
      if (b >= 0) {
        v.base_index = b;
      } else {
        const int n = np.find_value_type(bt_name);
        if (n >= 0) v.new_index = n;
      }
    }
  }
  const ValueType& a = base.value_types[v.base_index];
  const ValueType& b = np.value_types[v.new_index];
  if (base.str(a.type) != np.str(b.type) || base.str(a.unit) != np.str(b.unit))
    refuse(fmt::format("the base measures {}, this measures {}; pick a type both have with "
                       "--sample-index",
                       describe(base, v.base_index), describe(np, v.new_index)));
  // pprof refuses to combine profiles of different period types (profile.compatible), and so
  // does `top --base` and `merge`: different periods measure different things.
  const ValueType& bp = base.meta.period_type;
  const ValueType& npt = np.meta.period_type;
  if (base.format == "pprof" && np.format == "pprof" &&
      (base.str(bp.type) != np.str(npt.type) || base.str(bp.unit) != np.str(npt.unit)))
    refuse(fmt::format("the period types differ: {}/{} there, {}/{} here", base.str(bp.type),
                       base.str(bp.unit), np.str(npt.type), np.str(npt.unit)));
  return v;
}

namespace {

// The first (smallest nonzero) line each (function, file) has: for annotations.
std::unordered_map<std::string, int64_t> first_lines(const Profile& p) {
  std::unordered_map<std::string, int64_t> out;
  auto note = [&](StrId name, StrId file, int64_t line) {
    if (line <= 0) return;
    std::string key = fmt::format("{}\x1f{}", p.str(name), p.str(file));
    auto [it, inserted] = out.try_emplace(std::move(key), line);
    if (!inserted && line < it->second) it->second = line;
  };
  for (const Frame& f : p.frames()) note(f.function, f.file, f.line);
  for (const TableRow& r : p.rows) note(r.name, r.file, r.line);
  return out;
}

std::string row_key(std::string_view name, std::string_view file, int64_t line, Granularity by) {
  if (by == Granularity::kLine) return fmt::format("{}\x1f{}\x1f{}", name, file, line);
  return fmt::format("{}\x1f{}", name, file);
}

int64_t scaled(int64_t v, double factor) {
  return factor == 1.0 ? v : static_cast<int64_t>(std::llround(static_cast<double>(v) * factor));
}

int64_t median_of(const std::vector<int64_t>& v) {
  std::vector<double> d(v.begin(), v.end());
  return static_cast<int64_t>(std::llround(stats::median(d)));
}

// The median call count over runs; -1 (unknown) when any run does not know it.
int64_t median_calls(const std::vector<int64_t>& v) {
  if (v.empty() || std::any_of(v.begin(), v.end(), [](int64_t c) { return c < 0; })) return -1;
  return median_of(v);
}

// Dice coefficient over character bigrams: 1 for equal names, 0 for nothing in common.
double name_similarity(std::string_view a, std::string_view b) {
  if (a == b) return 1;
  if (a.size() < 2 || b.size() < 2) return 0;
  std::unordered_map<uint32_t, int> grams;
  for (size_t i = 0; i + 1 < a.size(); ++i) ++grams[uint8_t(a[i]) << 8 | uint8_t(a[i + 1])];
  int common = 0;
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    auto it = grams.find(uint8_t(b[i]) << 8 | uint8_t(b[i + 1]));
    if (it != grams.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  return 2.0 * common / static_cast<double>(a.size() + b.size() - 2);
}

double cost_ratio(int64_t a, int64_t b) {
  a = std::llabs(a), b = std::llabs(b);
  if (a == 0 && b == 0) return 1;
  return static_cast<double>(std::min(a, b)) / static_cast<double>(std::max(a, b));
}

double share(int64_t v, int64_t total) {
  return total == 0 ? 0 : 100.0 * std::fabs(static_cast<double>(v)) / std::fabs(static_cast<double>(total));
}

// Pairs removed and added rows of one file with similar cost. A pair is accepted when its names
// are alike, or when neither side has another candidate (so a file with many small added and
// removed functions does not produce guesses).
void detect_renames(std::vector<DiffRow>& rows, const DiffOptions& opts, int64_t base_total,
                    int64_t new_total) {
  std::unordered_map<std::string, std::vector<size_t>> removed, added;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].file.empty()) continue;
    if (rows[i].status == DiffStatus::kRemoved) removed[rows[i].file].push_back(i);
    if (rows[i].status == DiffStatus::kAdded) added[rows[i].file].push_back(i);
  }
  struct Pair {
    size_t r, a;
    double score, name_sim;
  };
  std::vector<size_t> drop;
  for (auto& [file, rem] : removed) {
    auto it = added.find(file);
    if (it == added.end()) continue;
    std::vector<Pair> pairs;
    std::unordered_map<size_t, int> candidates;
    for (size_t r : rem)
      for (size_t a : it->second) {
        double ratio = cost_ratio(rows[r].base_cum, rows[a].new_cum);
        if (ratio < opts.rename_min_cost_ratio || rows[r].base_cum == 0) continue;
        if (share(rows[r].base_cum, base_total) < opts.rename_min_share_pct ||
            share(rows[a].new_cum, new_total) < opts.rename_min_share_pct)
          continue;
        double sim = name_similarity(rows[r].name, rows[a].name);
        pairs.push_back({r, a, ratio + sim, sim});
        ++candidates[r];
        ++candidates[a];
      }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const Pair& x, const Pair& y) { return x.score > y.score; });
    std::unordered_map<size_t, bool> used;
    for (const Pair& pr : pairs) {
      if (used[pr.r] || used[pr.a]) continue;
      bool unique = candidates[pr.r] == 1 && candidates[pr.a] == 1;
      if (pr.name_sim < 0.5 && !unique) continue;
      used[pr.r] = used[pr.a] = true;
      DiffRow& a = rows[pr.a];
      const DiffRow& r = rows[pr.r];
      a.base_name = r.name;
      a.base_flat = r.base_flat;
      a.base_cum = r.base_cum;
      a.base_flat_runs = r.base_flat_runs;
      a.base_cum_runs = r.base_cum_runs;
      a.base_calls = r.base_calls;
      a.base_calls_runs = r.base_calls_runs;
      a.status = DiffStatus::kRenamed;
      drop.push_back(pr.r);
    }
  }
  if (drop.empty()) return;
  std::sort(drop.begin(), drop.end());
  std::vector<DiffRow> kept;
  kept.reserve(rows.size() - drop.size());
  size_t d = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (d < drop.size() && drop[d] == i) {
      ++d;
      continue;
    }
    kept.push_back(std::move(rows[i]));
  }
  rows = std::move(kept);
}

}  // namespace

std::vector<NamedSpanStat> span_stats_by_name(std::span<const Profile* const> profiles) {
  std::unordered_map<std::string, std::vector<int64_t>> durs;
  for (const Profile* p : profiles)
    for (const Span& s : p->spans)
      if ((s.kind == SpanKind::kComplete || s.kind == SpanKind::kAsync) && !s.summary &&
          !s.unclosed) {
        std::string key(p->str(s.name));
        if (s.kind == SpanKind::kAsync) key += " (async)";
        durs[key].push_back(s.dur_ns);
      }
  std::vector<NamedSpanStat> out;
  out.reserve(durs.size());
  for (auto& [name, d] : durs) {
    std::sort(d.begin(), d.end());
    NamedSpanStat s;
    s.name = name;
    s.stat.count = static_cast<int64_t>(d.size());
    for (int64_t v : d) s.stat.total_ns += v;
    s.stat.p50_ns = nearest_rank(d, 50);
    s.stat.p95_ns = nearest_rank(d, 95);
    s.stat.p99_ns = nearest_rank(d, 99);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const NamedSpanStat& a, const NamedSpanStat& b) {
    return a.stat.total_ns != b.stat.total_ns ? a.stat.total_ns > b.stat.total_ns : a.name < b.name;
  });
  return out;
}

DiffTable diff_runs(std::span<const RunTable> base, std::span<const RunTable> new_runs,
                    const DiffOptions& opts) {
  DiffTable d;
  if (base.empty() || new_runs.empty()) return d;
  const FlatTable& first = new_runs.front().table;
  d.type = first.type;
  d.unit = first.unit;
  // Inputs of one type may store it at different scales (folded files with and without
  // fractional counts): everything is converted to the finest one.
  d.scale = first.scale;
  for (const RunTable& r : base) d.scale = std::max(d.scale, r.table.scale);
  for (const RunTable& r : new_runs) d.scale = std::max(d.scale, r.table.scale);
  auto unit_factor = [&](const FlatTable& t) {
    return t.scale > 0 ? static_cast<double>(d.scale) / static_cast<double>(t.scale) : 1.0;
  };
  d.base_runs = static_cast<int>(base.size());
  d.new_runs = static_cast<int>(new_runs.size());
  auto raw_total = [](const RunTable& r) { return r.prescaled != 0 ? r.raw_total : r.table.total; };
  for (const RunTable& r : base) d.base_totals.push_back(scaled(raw_total(r), unit_factor(r.table)));
  for (const RunTable& r : new_runs)
    d.new_totals.push_back(scaled(raw_total(r), unit_factor(r.table)));
  const int64_t target = median_of(opts.normalize_to_new ? d.new_totals : d.base_totals);
  auto factor_for = [&](int64_t total) {
    return opts.normalize && total != 0 ? static_cast<double>(target) / static_cast<double>(total)
                                        : 1.0;
  };
  // Per run: unit conversion times normalization (none left to do for a prescaled run).
  auto run_factor = [&](const RunTable& r) {
    double u = unit_factor(r.table);
    return r.prescaled != 0 ? u : u * factor_for(scaled(r.table.total, u));
  };
  d.base_total_raw = median_of(d.base_totals);
  d.new_total_raw = median_of(d.new_totals);
  d.normalized = opts.normalize;
  d.normalized_to_base = opts.normalize && !opts.normalize_to_new;
  if (opts.normalize && base.size() == 1 && new_runs.size() == 1)
    d.normalize_factor = opts.normalize_to_new   ? factor_for(d.base_totals[0])
                         : new_runs[0].prescaled ? new_runs[0].prescaled
                                                 : factor_for(d.new_totals[0]);

  // Runs whose table knows call counts (tables, traces): absent rows there were called 0 times.
  auto knows_calls = [](std::span<const RunTable> runs) {
    std::vector<int64_t> init;
    for (const RunTable& r : runs)
      init.push_back(std::any_of(r.table.rows.begin(), r.table.rows.end(),
                                 [](const FlatRow& fr) { return fr.calls >= 0; })
                         ? 0
                         : -1);
    return init;
  };
  const std::vector<int64_t> base_calls_init = knows_calls(base), new_calls_init = knows_calls(new_runs);
  d.has_calls = std::count(base_calls_init.begin(), base_calls_init.end(), 0) +
                    std::count(new_calls_init.begin(), new_calls_init.end(), 0) > 0;

  std::unordered_map<std::string, size_t> index;
  std::vector<bool> in_base, in_new;
  auto add_side = [&](std::span<const RunTable> runs, bool is_base) {
    const size_t nruns = runs.size();
    for (size_t k = 0; k < nruns; ++k) {
      const Profile& p = *runs[k].profile;
      const FlatTable& t = runs[k].table;
      const double f = run_factor(runs[k]);
      for (const FlatRow& fr : t.rows) {
        std::string_view name = p.str(fr.name), file = p.str(fr.file);
        // pprof's identity: a function is its name (the file is informative), except in function
        // tables, whose names repeat across files (cProfile's __init__).
        const bool by_name = opts.by == Granularity::kFunction && p.rows.empty();
        // A frame without a function is its mapping's whole path (pprof's NodeInfo{Objfile}):
        // one binary at two paths is two rows with one '[basename]', as pprof prints them.
        std::string key = row_key(name, by_name ? "" : file, fr.line, opts.by);
        if (fr.unsymbolized) key.append("\x1f").append(p.str(fr.objfile));
        auto [it, inserted] = index.try_emplace(std::move(key), d.rows.size());
        if (inserted) {
          DiffRow row;
          row.name = name;
          row.file = opts.by == Granularity::kFile ? std::string(name) : std::string(file);
          row.line = fr.line;
          row.base_flat_runs.assign(base.size(), 0);
          row.base_cum_runs.assign(base.size(), 0);
          row.new_flat_runs.assign(new_runs.size(), 0);
          row.new_cum_runs.assign(new_runs.size(), 0);
          row.base_calls_runs = base_calls_init;
          row.new_calls_runs = new_calls_init;
          d.rows.push_back(std::move(row));
          in_base.push_back(false);
          in_new.push_back(false);
        }
        DiffRow& row = d.rows[it->second];
        (is_base ? in_base : in_new)[it->second] = true;
        (is_base ? row.base_flat_runs : row.new_flat_runs)[k] += scaled(fr.flat, f);
        (is_base ? row.base_cum_runs : row.new_cum_runs)[k] += scaled(fr.cum, f);
        int64_t& calls = (is_base ? row.base_calls_runs : row.new_calls_runs)[k];
        calls = calls < 0 || fr.calls < 0 ? -1 : calls + fr.calls;
      }
    }
  };
  add_side(base, true);
  add_side(new_runs, false);

  for (size_t i = 0; i < d.rows.size(); ++i) {
    DiffRow& r = d.rows[i];
    r.base_flat = median_of(r.base_flat_runs);
    r.base_cum = median_of(r.base_cum_runs);
    r.new_flat = median_of(r.new_flat_runs);
    r.new_cum = median_of(r.new_cum_runs);
    r.base_calls = median_calls(r.base_calls_runs);
    r.new_calls = median_calls(r.new_calls_runs);
    r.status = !in_base[i] ? DiffStatus::kAdded
               : !in_new[i] ? DiffStatus::kRemoved
               : (r.delta_flat() == 0 && r.delta_cum() == 0) ? DiffStatus::kUnchanged
                                                              : DiffStatus::kChanged;
  }
  std::vector<int64_t> bt, nt;
  for (const RunTable& r : base) bt.push_back(scaled(r.table.total, run_factor(r)));
  for (const RunTable& r : new_runs) nt.push_back(scaled(r.table.total, run_factor(r)));
  d.base_total = median_of(bt);
  d.new_total = median_of(nt);
  d.base_total_from = table_total_source(*base.front().profile, base.front().table);
  d.new_total_from = table_total_source(*new_runs.front().profile, new_runs.front().table);
  if (opts.detect_renames && opts.by == Granularity::kFunction)
    detect_renames(d.rows, opts, d.base_total, d.new_total);

  // A line to point at (annotations): the function's first line, new side first.
  if (opts.by != Granularity::kLine) {
    auto lines_new = first_lines(*new_runs.front().profile);
    auto lines_base = first_lines(*base.front().profile);
    for (DiffRow& r : d.rows) {
      if (opts.by == Granularity::kFile) {
        r.line = 0;
        continue;
      }
      auto it = lines_new.find(row_key(r.name, r.file, 0, Granularity::kFunction));
      if (it != lines_new.end()) {
        r.line = it->second;
      } else {
        auto jt = lines_base.find(row_key(r.base_name.empty() ? r.name : r.base_name, r.file, 0,
                                          Granularity::kFunction));
        r.line = jt != lines_base.end() ? jt->second : 0;
      }
    }
  }


  // Traces: span percentiles side by side.
  std::vector<const Profile*> bp, np;
  for (const RunTable& r : base) bp.push_back(r.profile);
  for (const RunTable& r : new_runs) np.push_back(r.profile);
  bool traces = std::any_of(bp.begin(), bp.end(), [](auto* p) { return !p->spans.empty(); }) ||
                std::any_of(np.begin(), np.end(), [](auto* p) { return !p->spans.empty(); });
  if (traces) {
    std::unordered_map<std::string, size_t> at;
    for (auto& s : span_stats_by_name(bp)) {
      at[s.name] = d.spans.size();
      d.spans.push_back({s.name, s.stat, {}});
    }
    for (auto& s : span_stats_by_name(np)) {
      auto [it, inserted] = at.try_emplace(s.name, d.spans.size());
      if (inserted) d.spans.push_back({s.name, {}, s.stat});
      else d.spans[it->second].new_ = s.stat;
    }
    std::stable_sort(d.spans.begin(), d.spans.end(), [](const SpanDiffRow& a, const SpanDiffRow& b) {
      int64_t ta = std::max(a.base.total_ns, a.new_.total_ns);
      int64_t tb = std::max(b.base.total_ns, b.new_.total_ns);
      return ta != tb ? ta > tb : a.name < b.name;
    });
  }
  return d;
}

DiffSort parse_diff_sort(const std::string& s) {
  if (s == "delta" || s == "delta-cum" || s == "cum-delta") return DiffSort::kDeltaCum;
  if (s == "delta-flat" || s == "flat-delta") return DiffSort::kDeltaFlat;
  if (s == "cum") return DiffSort::kCum;
  if (s == "flat") return DiffSort::kFlat;
  if (s == "pct" || s == "percent" || s == "delta-pct") return DiffSort::kPercent;
  if (s == "name") return DiffSort::kName;
  throw UsageError(fmt::format(
      "--sort {}: expected delta-cum, delta-flat, cum, flat, pct or name", s));
}

void sort_diff(std::vector<DiffRow>& rows, DiffSort key) {
  auto metric = [key](const DiffRow& r) -> double {
    switch (key) {
      case DiffSort::kDeltaCum: return std::fabs(static_cast<double>(r.delta_cum()));
      case DiffSort::kDeltaFlat: return std::fabs(static_cast<double>(r.delta_flat()));
      case DiffSort::kCum: return std::fabs(static_cast<double>(r.new_cum));
      case DiffSort::kFlat: return std::fabs(static_cast<double>(r.new_flat));
      case DiffSort::kPercent: return std::fabs(percent_change(r.base_cum, r.new_cum));
      case DiffSort::kName: return 0;
    }
    return 0;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const DiffRow& a, const DiffRow& b) {
    double ma = metric(a), mb = metric(b);
    if (ma != mb) return ma > mb;
    // Equal cum deltas: the callee where the change happened (larger flat delta) first.
    int64_t fa = std::llabs(a.delta_flat()), fb = std::llabs(b.delta_flat());
    if (key != DiffSort::kName && fa != fb) return fa > fb;
    if (a.name != b.name) return a.name < b.name;
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
}

}  // namespace perfkit

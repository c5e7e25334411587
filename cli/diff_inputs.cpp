#include "cli/diff_inputs.h"

#include <algorithm>
#include <cmath>

#include "cli/command.h"
#include "cli/profile_base.h"
#include "formats/registry.h"
#include "lib/display_names.h"
#include "lib/errors.h"
#include "lib/parallel.h"
#include "lib/stats.h"

namespace perfkit::cli {

void add_compare_options(CLI::App& app, CompareOptions& o) {
  app.add_option("--sample-index", o.sample_index,
                 "Value type to compare, by name or index (default: each input's default; both "
                 "inputs must have it)");
  app.add_option("--by", o.by,
                 "Granularity: function (by name, as pprof), filefunction (name and file), file or "
                 "line (default function)")
      ->check(CLI::IsMember({"function", "filefunction", "file", "line"}));
  add_filter_options(app, o.filters, false);
  add_simplify_names_option(app, o.simplify_names);
  app.add_flag("--normalize", o.normalize,
               "Scale the new input to the base's total first, as pprof's -normalize (runs of "
               "different length)");
  app.add_flag("--normalize-to-new", o.normalize_to_new,
               "Scale the base to the new input's total instead (values in the new run's terms)");
  add_read_options(app, o.read);
}

DiffOptions diff_options(const CompareOptions& opts) {
  DiffOptions d;
  d.by = parse_granularity(opts.by);
  d.normalize = opts.normalize || opts.normalize_to_new;
  d.normalize_to_new = opts.normalize_to_new;
  return d;
}

LoadedRuns load_runs(const std::vector<std::string>& base, const std::vector<std::string>& new_files,
                     const CompareOptions& opts) {
  LoadedRuns out;
  // Every file is read on its own thread (-j), then aggregated likewise; results land by index,
  // so the output and the warnings' order do not depend on which thread finished first.
  std::vector<std::string> paths(base);
  paths.insert(paths.end(), new_files.begin(), new_files.end());
  out.profiles.resize(paths.size());
  // Threads left over when there are fewer files than threads go to each file's own reader.
  ReadOptions each = opts.read;
  each.jobs = std::max<unsigned>(1, thread_count(opts.read.jobs) / static_cast<unsigned>(paths.size()));
  parallel_for(paths.size(), opts.read.jobs, [&](size_t i) {
    out.profiles[i] = std::make_unique<Profile>(read_profile(paths[i], each));
  });
  // pprof prunes both sides with the new profile's drop_frames/keep_frames (the first profile
  // of its merge); a base that carries other ones is read again with those.
  if (!new_files.empty() && out.profiles[base.size()]->format == "pprof") {
    const Profile& first = *out.profiles[base.size()];
    ReadOptions pruned = each;
    pruned.prune_override = true;
    pruned.drop_frames = first.str(first.meta.drop_frames);
    pruned.keep_frames = first.str(first.meta.keep_frames);
    for (size_t i = 0; i < base.size(); ++i) {
      const Profile& b = *out.profiles[i];
      if (b.format == "pprof" && (b.str(b.meta.drop_frames) != pruned.drop_frames ||
                                  b.str(b.meta.keep_frames) != pruned.keep_frames))
        out.profiles[i] = std::make_unique<Profile>(read_profile(paths[i], pruned));
    }
  }
  if (!opts.quiet)
    for (const auto& p : out.profiles) print_warnings(p->warnings);
  if (opts.simplify_names)
    for (auto& p : out.profiles) simplify_frame_names(*p);
  std::vector<const Profile*> bp, np;
  for (size_t i = 0; i < paths.size(); ++i)
    (i < base.size() ? bp : np).push_back(out.profiles[i].get());
  if (np.empty() || bp.empty()) {  // one side only (gate budgets): nothing to compare
    for (const Profile* p : np) out.new_runs.push_back(RunTable{p, {}});
    return out;
  }
  AggregateOptions agg;
  agg.by = parse_granularity(opts.by);
  agg.filter = opts.filters.filter;
  const Profile* anchor = bp.front();
  std::vector<const Profile*> all(bp);
  all.insert(all.end(), np.begin(), np.end());
  // The value type is chosen once, between the first base and the first new input (pprof's
  // rule, lib/diff.h), then looked up by name in every input.
  std::string chosen = opts.sample_index;
  if (chosen.empty()) {
    const ValuePair first = resolve_comparable(*anchor, *np.front(), opts.sample_index);
    if (first.base_index >= 0) chosen = anchor->str(anchor->value_types[first.base_index].type);
  }
  std::vector<int> value_index(all.size());
  for (size_t i = 0; i < all.size(); ++i)  // checks comparability in file order, on this thread
    value_index[i] = resolve_comparable(*anchor, *all[i], chosen).new_index;
  // pprof's -normalize scales the new profile's samples one by one (rounded each) to the base's
  // total before anything is aggregated; to agree with it to the unit, so does perfkit, for
  // inputs with samples at one scale. Other inputs (function tables) are scaled as tables.
  std::vector<double> prescale(all.size(), 0);
  std::vector<int64_t> raw_sums(all.size(), 0);
  bool sampled = opts.normalize && !opts.normalize_to_new;
  for (size_t i = 0; sampled && i < all.size(); ++i)
    sampled = all[i]->sample_count() > 0 && all[i]->rows.empty() && value_index[i] >= 0 &&
              all[i]->value_types[value_index[i]].scale == all[0]->value_types[value_index[0]].scale;
  if (sampled) {
    for (size_t i = 0; i < all.size(); ++i) raw_sums[i] = column_sums(*all[i])[value_index[i]];
    std::vector<double> bs(raw_sums.begin(), raw_sums.begin() + static_cast<long>(bp.size()));
    const double target = std::round(stats::median(bs));
    for (size_t i = 0; i < all.size(); ++i) {
      if (raw_sums[i] == 0 || static_cast<double>(raw_sums[i]) == target) continue;
      std::vector<double> ratio(all[i]->value_types.size(), 1.0);
      ratio[value_index[i]] = target / static_cast<double>(raw_sums[i]);
      scale_values(*out.profiles[i], ratio);
      prescale[i] = ratio[value_index[i]];
    }
  }
  std::vector<RunTable> tables(all.size());
  parallel_for(all.size(), opts.read.jobs, [&](size_t i) {
    AggregateOptions mine = agg;
    mine.value_index = value_index[i];
    tables[i] = RunTable{all[i], aggregate(*all[i], mine)};
    tables[i].prescaled = prescale[i];
    tables[i].raw_total = raw_sums[i];
  });
  for (size_t i = 0; i < all.size(); ++i)
    (i < bp.size() ? out.base : out.new_runs).push_back(std::move(tables[i]));
  return out;
}

}  // namespace perfkit::cli

#include "cli/diff_inputs.h"

#include "cli/command.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/parallel.h"

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
  app.add_flag("--normalize", o.normalize,
               "Scale the base to the new input's total (runs of different length)");
  add_read_options(app, o.read);
}

DiffOptions diff_options(const CompareOptions& opts) {
  DiffOptions d;
  d.by = parse_granularity(opts.by);
  d.normalize = opts.normalize;
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
  for (const auto& p : out.profiles) print_warnings(p->warnings);
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
  std::vector<int> value_index(all.size());
  for (size_t i = 0; i < all.size(); ++i)  // checks comparability in file order, on this thread
    value_index[i] = resolve_comparable(*anchor, *all[i], opts.sample_index).new_index;
  std::vector<RunTable> tables(all.size());
  parallel_for(all.size(), opts.read.jobs, [&](size_t i) {
    AggregateOptions mine = agg;
    mine.value_index = value_index[i];
    tables[i] = RunTable{all[i], aggregate(*all[i], mine)};
  });
  for (size_t i = 0; i < all.size(); ++i)
    (i < bp.size() ? out.base : out.new_runs).push_back(std::move(tables[i]));
  return out;
}

}  // namespace perfkit::cli

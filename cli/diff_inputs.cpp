#include "cli/diff_inputs.h"

#include "cli/command.h"
#include "formats/registry.h"
#include "lib/errors.h"

namespace perfkit::cli {

void add_compare_options(CLI::App& app, CompareOptions& o) {
  app.add_option("--sample-index", o.sample_index,
                 "Value type to compare, by name or index (default: each input's default; both "
                 "inputs must have it)");
  app.add_option("--by", o.by, "Granularity: function, file or line (default function)")
      ->check(CLI::IsMember({"function", "file", "line"}));
  app.add_option("--focus", o.focus, "Keep only samples with a frame matching this regex");
  app.add_option("--ignore", o.ignore, "Drop samples with a frame matching this regex");
  app.add_option("--hide", o.hide, "Remove frames matching this regex from stacks");
  app.add_flag("--normalize", o.normalize,
               "Scale the base to the new input's total (runs of different length)");
  add_read_options(app, o.read);
}

Granularity parse_granularity(const std::string& by) {
  if (by == "function") return Granularity::kFunction;
  if (by == "file") return Granularity::kFile;
  if (by == "line") return Granularity::kLine;
  throw UsageError("--by " + by + ": expected function, file or line");
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
  auto read = [&](const std::string& path) {
    out.profiles.push_back(std::make_unique<Profile>(read_profile(path, opts.read)));
    print_warnings(out.profiles.back()->warnings);
    return out.profiles.back().get();
  };
  std::vector<const Profile*> bp, np;
  for (const auto& f : base) bp.push_back(read(f));
  for (const auto& f : new_files) np.push_back(read(f));
  if (np.empty() || bp.empty()) {  // one side only (gate budgets): nothing to compare
    for (const Profile* p : np) out.new_runs.push_back(RunTable{p, {}});
    return out;
  }
  AggregateOptions agg;
  agg.by = parse_granularity(opts.by);
  agg.filter = {opts.focus, opts.ignore, opts.hide};
  const Profile* anchor = bp.front();
  auto add = [&](const Profile* p, std::vector<RunTable>& side) {
    agg.value_index = resolve_comparable(*anchor, *p, opts.sample_index).new_index;
    side.push_back(RunTable{p, aggregate(*p, agg)});
  };
  for (const Profile* p : bp) add(p, out.base);
  for (const Profile* p : np) add(p, out.new_runs);
  return out;
}

}  // namespace perfkit::cli

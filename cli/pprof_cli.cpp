#include "cli/pprof_cli.h"

#include "formats/registry.h"
#include "lib/display_names.h"
#include "lib/span_stacks.h"

namespace perfkit::cli {

void add_pprof_options(CLI::App& app, PprofCli& o, const PprofCliDefaults& d) {
  o.limit = d.limit;
  if (d.file_required)
    app.add_option("file", o.file, "Input profile ('-' for standard input)")->required();
  else
    add_input_option(app, o.file, "Input profile");
  app.add_option("--by", o.by,
                 "Granularity: function (pprof's default: one node per function name), "
                 "filefunction (name and file), file, line or address (each location's address "
                 "too, as pprof's -addresses) (default function)")
      ->check(CLI::IsMember({"function", "filefunction", "file", "line", "address"}));
  app.add_option("--sample-index", o.sample_index,
                 "Value type, by name or index (default: the profile's default sample type, else "
                 "the last)");
  if (d.sort) {
    app.add_option("--sort", o.sort, "Sort by flat (self) or cum (inclusive) (default flat)")
        ->check(CLI::IsMember({"flat", "cum"}));
    app.add_flag_callback("--cum", [&o] { o.sort = "cum"; }, "Sort by cum: pprof's -cum, --sort cum");
  }
  if (d.trimming) {
    add_nodecount_option(app, o.limit, "Nodes to show, as pprof's -nodecount");
    app.add_option("--nodefraction", o.node_fraction,
                   "Drop nodes whose cum is below this fraction of the total, as pprof's "
                   "-nodefraction (default 0.005; 0 keeps every node)")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--edgefraction", o.edge_fraction,
                   "Ignore calls below this fraction of the total when marking (inline) nodes and "
                   "listing callers, as pprof's -edgefraction (default 0.001)")
        ->check(CLI::Range(0.0, 1.0));
  }
  add_filter_options(app, o.filters);
  add_simplify_names_option(app, o.simplify_names);
  app.add_option("--unit", o.unit,
                 "Show values in this unit (ns, us, ms, s, hrs, B, kB, MB, GB...), as pprof's -unit "
                 "(default: chosen from the values shown)");
  app.add_flag("--mean", o.mean,
               "Divide each value by the sample count (the first value type), pprof's -mean");
  add_base_options(app, o.base);
  if (!d.formats.empty())
    o.outputs.add(app, {app.get_name(), d.formats, d.formats[0], "--format", d.format_help});
  else
    app.add_option("-o,--output", o.output, "Write to this file (atomically) instead of stdout");
  add_read_options(app, o.read);
}

Profile load_pprof_input(const PprofCli& o, bool simplify, bool warn) {
  ReadOptions read = o.read;
  read.keep_addresses = o.by == "address";
  Profile p = read_with_base(o.file, o.base, o.sample_index, read);
  add_span_samples(p);
  if (warn) print_warnings(p.warnings);
  if (simplify) simplify_frame_names(p);
  apply_label_frames(p, o.filters, o.unit);
  return p;
}

TopOptions pprof_top_options(const Profile& p, const PprofCli& o) {
  TopOptions t;
  t.agg.by = parse_granularity(o.by);
  t.agg.value_index = resolve_value_index(p, o.sample_index);
  t.agg.filter = o.filters.filter;
  t.agg.jobs = o.read.jobs;
  t.sort = o.sort == "cum" ? SortKey::kCum : SortKey::kFlat;
  t.limit = o.limit;
  t.node_fraction = o.node_fraction;
  t.edge_fraction = o.edge_fraction;
  t.mean = o.mean;
  t.unit = o.unit;
  t.active_filters = o.filters.active();
  return t;
}

}  // namespace perfkit::cli

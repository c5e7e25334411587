// perfkit diff BASE NEW: per function base and new flat and cum, delta, status; largest change
// first.
#include "cli/command.h"
#include "cli/diff_inputs.h"
#include "cli/outputs.h"
#include "lib/errors.h"
#include "reports/diff_report.h"

namespace perfkit::cli {
namespace {

struct DiffCliOptions {
  std::string base, new_file;
  std::string sort = "delta-cum";
  size_t limit = 0;
  OutputsCli outputs;
  CompareOptions compare;
};

std::string sort_label(DiffSort s) {
  switch (s) {
    case DiffSort::kDeltaCum: return "|cum delta|";
    case DiffSort::kDeltaFlat: return "|flat delta|";
    case DiffSort::kCum: return "new cum";
    case DiffSort::kFlat: return "new flat";
    case DiffSort::kPercent: return "|cum delta %|";
    case DiffSort::kName: return "name";
  }
  return "";
}

RunFn setup(CLI::App& app) {
  auto o = std::make_shared<DiffCliOptions>();
  app.add_option("base", o->base, "The baseline input ('-' for standard input)")->required();
  app.add_option("new", o->new_file, "The input to compare with the baseline")->required();
  app.add_option("--sort", o->sort,
                 "Order: delta-cum (default: largest |cum delta| first), delta-flat, cum, flat, "
                 "pct, name")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            try {
              parse_diff_sort(s);
            } catch (const UsageError& e) {
              return e.what();
            }
            return "";
          },
          "{delta-cum,delta-flat,cum,flat,pct,name}"));
  add_nodecount_option(app, o->limit, "Show at most this many rows, and span names for traces");
  o->outputs.add(app, {"diff", {"text", "json", "csv", "md"}, "text", "--format",
                       "Output format: text, json, csv, md"});
  add_compare_options(app, o->compare);
  add_terminal_options(app);
  return [o]() {
    const std::vector<OutputTarget> targets = o->outputs.targets();
    DiffSort sort = parse_diff_sort(o->sort);
    // --simplify-names: text and md get the short names; json and csv the full ones, from a
    // second read when the run writes both kinds.
    const bool simplify = o->compare.simplify_names && has_human_format(targets);
    const bool two_reads = simplify && has_machine_format(targets);
    CompareOptions compare = o->compare;
    compare.simplify_names = simplify;
    LoadedRuns runs = load_runs({o->base}, {o->new_file}, compare);
    DiffTable d = diff_runs(runs.base, runs.new_runs, diff_options(compare));
    sort_diff(d.rows, sort);
    LoadedRuns full_runs;
    DiffTable full;
    if (two_reads) {
      compare.simplify_names = false;
      compare.quiet = true;  // its warnings were printed by the first read
      full_runs = load_runs({o->base}, {o->new_file}, compare);
      full = diff_runs(full_runs.base, full_runs.new_runs, diff_options(compare));
      sort_diff(full.rows, sort);
    }
    DiffReportInfo info;
    info.base_label = o->base;
    info.new_label = o->new_file;
    info.total_rows = d.rows.size();
    info.sort_label = sort_label(sort);
    info.by = parse_granularity(o->compare.by);
    DiffReportInfo full_info = info;
    full_info.total_rows = full.rows.size();
    for (DiffTable* table : {&d, &full}) {
      if (o->limit > 0 && table->rows.size() > o->limit) table->rows.resize(o->limit);
      if (o->limit > 0 && table->spans.size() > o->limit) table->spans.resize(o->limit);
    }
    const DiffTable& md = two_reads ? full : d;  // json, csv
    const DiffReportInfo& mi = two_reads ? full_info : info;
    emit_outputs(targets, [&](const OutputTarget& t) {
      if (t.format == "json") return render_diff_json(md, mi);
      if (t.format == "csv") return render_diff_csv(md, mi);
      if (t.format == "md") return render_diff_md(d, info);
      const terminal::TextStyle style = target_style(t);
      return fit_text(render_diff_text(d, info, style), style);
    });
    return 0;
  };
}

RegisterCommand reg{
    {"diff",
     "Compare two inputs function by function: base and new flat and cum, delta, added, removed "
     "and renamed functions (and span percentiles for traces)",
     "  perfkit diff base.pb.gz new.pb.gz -n 20\n"
     "  perfkit diff yappi_baseline.txt yappi_optimized.txt --format md\n"
     "  perfkit diff base.pb.gz new.pb.gz --normalize --by file --format json -o diff.json",
     setup}};

}  // namespace
}  // namespace perfkit::cli

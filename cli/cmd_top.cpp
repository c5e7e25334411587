// perfkit top FILE: the ranked table of functions (or files, or lines) with flat and cum values.
#include "cli/command.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/span_stacks.h"
#include "lib/top_table.h"
#include "reports/top_report.h"

namespace perfkit::cli {
namespace {

struct TopCliOptions {
  std::string file;
  std::string by = "function";
  std::string sample_index;
  std::string sort = "flat";
  size_t limit = 20;
  std::string focus, ignore, hide;
  std::string format = "text";
  std::string output;
  ReadOptions read;
};

Granularity parse_by(const std::string& s) {
  return s == "file" ? Granularity::kFile : s == "line" ? Granularity::kLine : Granularity::kFunction;
}

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<TopCliOptions>();
  app.add_option("file", opt->file, "Input profile ('-' for standard input)")->required();
  app.add_option("--by", opt->by, "Rank functions, files or lines (default function)")
      ->check(CLI::IsMember({"function", "file", "line"}));
  app.add_option("--sample-index", opt->sample_index,
                 "Value type to rank by, name or index (default: the profile's default sample "
                 "type, else the last)");
  app.add_option("--sort", opt->sort, "Sort by flat (self) or cum (inclusive) (default flat)")
      ->check(CLI::IsMember({"flat", "cum"}));
  app.add_option("-n,--nodes", opt->limit, "Rows to show (default 20; 0 = all)");
  app.add_option("--focus", opt->focus, "Keep only samples with a frame matching this regex");
  app.add_option("--ignore", opt->ignore, "Drop samples with a frame matching this regex");
  app.add_option("--hide", opt->hide, "Remove frames matching this regex from stacks");
  app.add_option("--format", opt->format, "Output format: text, json, csv, md (default text)")
      ->check(CLI::IsMember({"text", "json", "csv", "md"}));
  app.add_option("-o,--output", opt->output, "Write to this file (atomically) instead of stdout");
  add_read_options(app, opt->read);
  app.footer(
      "Columns as `go tool pprof -top`: flat = self (leaf) value, cum = inclusive value (a\n"
      "function counts once per sample, so recursion is not double counted), sum% = running\n"
      "total of flat%. Function tables add ncall and tavg (ttot/ncall); a trace's spans become\n"
      "stacks weighted by self time, and ncall counts spans. pprof's interactive top shows 10\n"
      "rows; perfkit shows 20 by default.");
  return [opt]() {
    Profile p = read_profile(opt->file, opt->read);
    add_span_samples(p);
    print_warnings(p.warnings);
    TopOptions o;
    o.agg.by = parse_by(opt->by);
    o.agg.value_index = resolve_value_index(p, opt->sample_index);
    o.agg.filter = {opt->focus, opt->ignore, opt->hide};
    o.agg.jobs = opt->read.jobs;
    o.sort = opt->sort == "cum" ? SortKey::kCum : SortKey::kFlat;
    o.limit = opt->limit;
    TopTable t = compute_top(p, o);
    std::string out;
    if (opt->format == "json") out = render_top_json(p, t, o.agg.by);
    else if (opt->format == "csv") out = render_top_csv(p, t, o.agg.by);
    else if (opt->format == "md") out = render_top_md(p, t, o.agg.by);
    else out = render_top_text(p, t, o.agg.by);
    emit(opt->output, out);
    return 0;
  };
}

RegisterCommand reg{{"top", "Rank functions (or files, lines) by flat and cum, as go tool pprof -top",
                     "  perfkit top cpu.pb.gz -n 30 --sort cum --focus 'main\\.'", setup}};

}  // namespace
}  // namespace perfkit::cli

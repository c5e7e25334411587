// perfkit spans TRACE: per span name (or category, thread) count, total, self and percentiles.
#include "cli/command.h"
#include "cli/outputs.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/span_stats.h"
#include "reports/spans_report.h"

namespace perfkit::cli {
namespace {

struct SpansCliOptions {
  std::string file;
  std::string by = "name";
  std::string sort = "total";
  size_t limit = 0;
  OutputsCli outputs;
  ReadOptions read;
};

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<SpansCliOptions>();
  add_input_option(app, opt->file, "Chrome trace JSON");
  app.add_option("--by", opt->by, "Group spans by name, cat, thread or name+cat (default name)")
      ->check(CLI::IsMember({"name", "cat", "thread", "name+cat"}));
  app.add_option("--sort", opt->sort,
                 "Sort by count, total, self, mean, min, p50, p90, p95, p99, max or name "
                 "(default total)")
      ->check(CLI::IsMember(
          {"count", "total", "self", "mean", "min", "p50", "p90", "p95", "p99", "max", "name"}));
  add_nodecount_option(app, opt->limit, "Rows to show");
  opt->outputs.add(app, {"spans", {"text", "json", "csv", "md"}, "text", "--format",
                         "Output format: text, json, csv, md (default text)"});
  add_read_options(app, opt->read);
  add_terminal_options(app);
  app.footer(
      "Percentiles are exact nearest-rank: pXX is the smallest duration such that XX% of the\n"
      "spans last no longer (rank ceil(XX/100*count)); no interpolation. total = sum of\n"
      "durations, self = total minus children nested on the same thread. Counted: complete\n"
      "spans (X, B/E) and async spans (b/e, shown as '(async)', self = duration). Not counted\n"
      "(reported in the summary line): producer summaries such as clang's 'Total X', instants,\n"
      "and B events never closed.");
  return [opt]() {
    const std::vector<OutputTarget> targets = opt->outputs.targets();
    Profile p = read_profile(opt->file, opt->read);
    print_warnings(p.warnings);
    if (p.format != "chrome")
      throw InputError::in_file(opt->file, "perfkit spans needs a Chrome trace (this is " +
                                               p.format + "); try perfkit top");
    SpanStatsOptions o;
    o.by = parse_span_group(opt->by);
    o.sort = parse_span_sort(opt->sort);
    o.limit = opt->limit;
    SpanStats s = compute_span_stats(p, o);
    emit_outputs(targets, [&](const OutputTarget& out) {
      if (out.format == "json") return render_spans_json(s);
      if (out.format == "csv") return render_spans_csv(s);
      if (out.format == "md") return render_spans_md(s);
      const terminal::TextStyle style = target_style(out);
      return fit_text(render_spans_text(s, style), style);
    });
    return 0;
  };
}

RegisterCommand reg{{"spans", "Span latency per name: count, total, self, mean, p50/p90/p95/p99, max",
                     "  perfkit spans trace.json --sort p99 -n 20", setup}};

}  // namespace
}  // namespace perfkit::cli

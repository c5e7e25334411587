// perfkit spans TRACE: per span name (or category, thread) count, total, self and percentiles.
#include "cli/command.h"
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
  std::string format = "text";
  std::string output;
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
  app.add_option("--format", opt->format, "Output format: text, json, csv, md (default text)")
      ->check(CLI::IsMember({"text", "json", "csv", "md"}));
  app.add_option("-o,--output", opt->output, "Write to this file (atomically) instead of stdout");
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
    const terminal::TextStyle style =
        opt->format == "text" ? text_style(opt->output) : terminal::TextStyle{};
    std::string out;
    if (opt->format == "json") out = render_spans_json(s);
    else if (opt->format == "csv") out = render_spans_csv(s);
    else if (opt->format == "md") out = render_spans_md(s);
    else out = render_spans_text(s, style);
    emit_text(opt->output, out, style);
    return 0;
  };
}

RegisterCommand reg{{"spans", "Span latency per name: count, total, self, mean, p50/p90/p95/p99, max",
                     "  perfkit spans trace.json --sort p99 -n 20", setup}};

}  // namespace
}  // namespace perfkit::cli

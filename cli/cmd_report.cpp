// perfkit report FILE: the bottleneck report a person reads, each finding with its reason.
#include "cli/command.h"
#include "cli/report_html_run.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/report_findings.h"
#include "lib/span_stacks.h"
#include "reports/report_render.h"

namespace perfkit::cli {
namespace {

struct ReportCliOptions {
  std::string file;
  std::string sample_index;
  size_t per_section = 5;
  FilterCli filters;
  std::string format = "text";
  std::string base;        // html: a diff report against this baseline
  bool normalize = false;  // html diff: scale the new input to the base total (pprof)
  std::string output;
  ReadOptions read;
};

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<ReportCliOptions>();
  add_input_option(app, opt->file, "Input profile");
  app.add_option("--sample-index", opt->sample_index,
                 "Value type to analyze, name or index (default: the profile's default)");
  add_nodecount_option(app, opt->per_section, "Findings per section");
  add_filter_options(app, opt->filters, false);
  app.add_option("--format", opt->format,
                 "Output format: text, md (a PR comment), json, csv, html (a self-contained page; "
                 "default text)")
      ->check(CLI::IsMember({"text", "md", "json", "csv", "html"}));
  app.add_option("--base", opt->base,
                 "With --format html: a diff page of FILE against this baseline");
  app.add_flag("--normalize", opt->normalize, "With --base: scale FILE to the base's total first (pprof's -normalize)");
  app.add_option("-o,--output", opt->output, "Write to this file (atomically) instead of stdout");
  add_read_options(app, opt->read);
  add_terminal_options(app);
  app.footer(
      "Sections: top consumers by inclusive value (pass-through call chains as one entry), most\n"
      "self value, caching candidates (many calls, non-trivial average; when calls are known),\n"
      "high inclusive but low self (look into the named callees), hottest call paths. Each\n"
      "finding says why it is listed.");
  return [opt]() {
    if (opt->format == "html") {
      HtmlReportRequest r;
      r.file = opt->file;
      r.base = opt->base;
      r.sample_index = opt->sample_index;
      r.filter = opt->filters.filter;
      r.per_section = opt->per_section;
      r.normalize = opt->normalize;
      r.output = opt->output;
      r.read = opt->read;
      return run_html_report(r);
    }
    if (!opt->base.empty())
      throw UsageError("--base makes a diff page with --format html; for text use perfkit diff");
    Profile p = read_profile(opt->file, opt->read);
    add_span_samples(p);
    print_warnings(p.warnings);
    ReportOptions o;
    o.agg.value_index = resolve_value_index(p, opt->sample_index);
    o.agg.filter = opt->filters.filter;
    o.per_section = opt->per_section;
    ReportFindings f = compute_findings(p, o);
    std::string out;
    if (opt->format == "json") out = render_report_json(f);
    else if (opt->format == "md") out = render_report_md(f);
    else if (opt->format == "csv") out = render_report_csv(f);
    else out = render_report_text(f);
    emit_text(opt->output, out,
              opt->format == "text" ? text_style(opt->output) : terminal::TextStyle{});
    return 0;
  };
}

RegisterCommand reg{{"report", "Bottleneck report: where the time goes and why, with reasons",
                     "  perfkit report cpu.pb.gz --format md -o report.md", setup}};

}  // namespace
}  // namespace perfkit::cli

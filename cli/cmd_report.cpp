// perfkit report FILE: the bottleneck report a person reads, each finding with its reason.
#include "cli/command.h"
#include "cli/outputs.h"
#include "cli/report_html_run.h"
#include "formats/registry.h"
#include "lib/display_names.h"
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
  OutputsCli outputs;
  std::string base;        // html: a diff report against this baseline
  bool normalize = false;  // html diff: scale the new input to the base total (pprof)
  ReadOptions read;
  bool simplify_names = false;  // text, md, html; json and csv keep the full names
};

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<ReportCliOptions>();
  add_input_option(app, opt->file, "Input profile");
  app.add_option("--sample-index", opt->sample_index,
                 "Value type to analyze, name or index (default: the profile's default)");
  add_nodecount_option(app, opt->per_section, "Findings per section");
  add_filter_options(app, opt->filters, false);
  add_simplify_names_option(app, opt->simplify_names);
  opt->outputs.add(app, {"report", {"text", "md", "json", "csv", "html"}, "text", "--format",
                         "Output format: text, md (a PR comment), json, csv, html (a "
                         "self-contained page; default text)"});
  app.add_option("--base", opt->base,
                 "With --format html: a diff page of FILE against this baseline");
  app.add_flag("--normalize", opt->normalize, "With --base: scale FILE to the base's total first (pprof's -normalize)");
  add_read_options(app, opt->read);
  add_terminal_options(app);
  app.footer(
      "Sections: top consumers by inclusive value (pass-through call chains as one entry), most\n"
      "self value, caching candidates (many calls, non-trivial average; when calls are known),\n"
      "high inclusive but low self (look into the named callees), hottest call paths. Each\n"
      "finding says why it is listed.");
  return [opt]() {
    const std::vector<OutputTarget> targets = opt->outputs.targets();
    HtmlReportRequest r;
    r.file = opt->file;
    r.base = opt->base;
    r.sample_index = opt->sample_index;
    r.filter = opt->filters.filter;
    r.per_section = opt->per_section;
    r.normalize = opt->normalize;
    r.read = opt->read;
    r.simplify_names = opt->simplify_names;
    HtmlPage page;
    const bool html = has_format(targets, "html");
    if (!opt->base.empty()) {
      for (const OutputTarget& t : targets)
        if (t.format != "html")
          throw UsageError("--base makes a diff page with --format html; for text use perfkit diff");
      page.prepare_diff(r);
      emit_outputs(targets, [&](const OutputTarget& t) { return page.render(t.path); });
      return 0;
    }
    Profile p = read_profile(opt->file, opt->read);
    add_span_samples(p);
    print_warnings(p.warnings);
    ReportOptions o;
    o.agg.value_index = resolve_value_index(p, opt->sample_index);
    o.agg.filter = opt->filters.filter;
    o.per_section = opt->per_section;
    // --simplify-names: text, md and html from the short names; json and csv keep the full
    // ones, from a second read of the input when the run writes both kinds.
    const bool machine = has_format(targets, "json") || has_format(targets, "csv");
    const bool human = html || has_format(targets, "text") || has_format(targets, "md");
    ReportFindings full;
    const bool two_reads = opt->simplify_names && machine && human;
    if (two_reads) {
      Profile again = read_profile(opt->file, opt->read);
      add_span_samples(again);
      full = compute_findings(again, o);
    }
    if (opt->simplify_names && human) simplify_frame_names(p);
    ReportFindings computed;
    if (html) page.prepare_single(r, p);
    else computed = compute_findings(p, o);
    const ReportFindings& f = html ? page.findings() : computed;  // the same options
    const ReportFindings& fm = two_reads ? full : f;               // json, csv
    emit_outputs(targets, [&](const OutputTarget& t) {
      if (t.format == "html") return page.render(t.path);
      if (t.format == "json") return render_report_json(fm);
      if (t.format == "md") return render_report_md(f);
      if (t.format == "csv") return render_report_csv(fm);
      return fit_text(render_report_text(f), target_style(t));
    });
    return 0;
  };
}

RegisterCommand reg{{"report", "Bottleneck report: where the time goes and why, with reasons",
                     "  perfkit report cpu.pb.gz --format md -o report.md", setup}};

}  // namespace
}  // namespace perfkit::cli

// perfkit info FILE...: what a file holds (format, value types and totals, counts, warnings).
#include "cli/command.h"
#include "cli/outputs.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/summary.h"
#include "reports/info_report.h"

namespace perfkit::cli {
namespace {

struct InfoOptions {
  std::vector<std::string> files;
  OutputsCli outputs;
  ReadOptions read;
};

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<InfoOptions>();
  app.add_option("files", opt->files, "Input files (default, or '-': standard input)");
  opt->outputs.add(app, {"info", {"text", "json"}, "text", "--format",
                         "Output format: text (the reader's warnings in it), json (warnings also "
                         "on stderr)"});
  add_read_options(app, opt->read);
  add_terminal_options(app);
  return [opt]() {
    const std::vector<OutputTarget> targets = opt->outputs.targets();
    bool only_text = true;  // text lists the warnings itself; the other formats say them on stderr
    for (const OutputTarget& t : targets) only_text = only_text && t.format == "text";
    if (opt->files.empty()) opt->files = {"-"};
    std::vector<ProfileSummary> items;
    for (const auto& f : opt->files) {
      Profile p = read_profile(f, opt->read);
      items.push_back(summarize(p));
      if (!only_text) print_warnings(p.warnings);
    }
    emit_outputs(targets, [&](const OutputTarget& out) {
      if (out.format == "json") return render_info_json(items);
      return fit_text(render_info_text(items), target_style(out));
    });
    return 0;
  };
}

RegisterCommand reg{{"info", "Show what a profile holds: format, value types, totals, counts, warnings",
                     "  perfkit info cpu.pb.gz trace.json --format json", setup}};

}  // namespace
}  // namespace perfkit::cli

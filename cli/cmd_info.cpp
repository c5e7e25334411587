// perfkit info FILE...: what a file holds (format, value types and totals, counts, warnings).
#include "cli/command.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/summary.h"
#include "reports/info_report.h"

namespace perfkit::cli {
namespace {

struct InfoOptions {
  std::vector<std::string> files;
  std::string format = "text";
  std::string output;
  ReadOptions read;
};

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<InfoOptions>();
  app.add_option("files", opt->files, "Input files (default, or '-': standard input)");
  app.add_option("--format", opt->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("-o,--output", opt->output, "Write to this file instead of standard output");
  add_read_options(app, opt->read);
  add_terminal_options(app);
  return [opt]() {
    if (opt->files.empty()) opt->files = {"-"};
    std::vector<ProfileSummary> items;
    for (const auto& f : opt->files) {
      Profile p = read_profile(f, opt->read);
      items.push_back(summarize(p));
      if (opt->format != "text") print_warnings(p.warnings);
    }
    if (opt->format == "json") emit(opt->output, render_info_json(items));
    else emit_text(opt->output, render_info_text(items), text_style(opt->output));
    return 0;
  };
}

RegisterCommand reg{{"info", "Show what a profile holds: format, value types, totals, counts, warnings",
                     "  perfkit info cpu.pb.gz trace.json --format json", setup}};

}  // namespace
}  // namespace perfkit::cli

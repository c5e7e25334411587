// perfkit tree FILE / perfkit peek FILE REGEX: pprof's -tree and -peek call graphs as text.
#include "cli/command.h"
#include "cli/pprof_cli.h"
#include "lib/errors.h"
#include "lib/regex.h"
#include "reports/tree_report.h"

namespace perfkit::cli {
namespace {

RunFn setup_tree(CLI::App& app) {
  auto opt = std::make_shared<PprofCli>();
  PprofCliDefaults d;
  d.limit = 80;  // pprof's -nodecount for graph reports
  d.formats = false;
  add_pprof_options(app, *opt, d);
  app.footer(
      "As `go tool pprof -tree`: for each node, its callers (above) and callees (below) with the\n"
      "value that flows along each call and its share of the node's cum. Trimmed as pprof's\n"
      "graph reports: -n 80, --nodefraction 0.005, edges under 0.1% of the total dropped.");
  return [opt]() {
    Profile p = load_pprof_input(*opt);
    TopOptions o = pprof_top_options(p, *opt);
    o.all_edges = true;
    TopTable t = compute_top(p, o);
    emit(opt->output, render_tree(p, t, o.agg.by, nullptr));
    return 0;
  };
}

RunFn setup_peek(CLI::App& app) {
  auto opt = std::make_shared<PprofCli>();
  auto pattern = std::make_shared<std::string>();
  PprofCliDefaults d;
  d.trimming = false;
  d.formats = false;
  d.file_required = true;
  add_pprof_options(app, *opt, d);
  app.add_option("regex", *pattern, "Show the nodes whose name matches this regex (RE2)")->required();
  app.footer(
      "As `go tool pprof -peek REGEX`: the callers and callees of every matching node, nothing\n"
      "trimmed.");
  return [opt, pattern]() {
    Regex rx = compile_option_regex("peek", *pattern);
    Profile p = load_pprof_input(*opt);
    TopOptions o = pprof_top_options(p, *opt);
    o.all_edges = true;
    o.limit = 0;
    o.node_fraction = 0;
    o.edge_fraction = 0;
    TopTable t = compute_top(p, o);
    try {
      emit(opt->output, render_tree(p, t, o.agg.by, &rx));
    } catch (const NoMatch&) {
      throw InputError::in_file(p.path, "no node matches the regular expression " + *pattern);
    }
    return 0;
  };
}

RegisterCommand tree_reg{{"tree", "Callers and callees of the top nodes, as go tool pprof -tree",
                          "  perfkit tree cpu.pb.gz -n 20", setup_tree}};
RegisterCommand peek_reg{{"peek", "Callers and callees of matching functions, as go tool pprof -peek",
                          "  perfkit peek cpu.pb.gz 'regexp\\.'", setup_peek}};

}  // namespace
}  // namespace perfkit::cli

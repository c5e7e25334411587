// perfkit tree FILE / perfkit peek FILE REGEX: pprof's -tree and -peek call graphs as text.
#include <optional>

#include "cli/command.h"
#include "cli/pprof_cli.h"
#include "lib/errors.h"
#include "lib/regex.h"
#include "reports/tree_report.h"

namespace perfkit::cli {
namespace {

struct ReverseCli {
  bool reverse = false;
  size_t depth = 0;
};

// tree --reverse: the leaf-first call tree of the filtered samples.
ReverseTree reverse_tree(const Profile& p, const TopTable& t, const TopOptions& o,
                         const ReverseCli& r) {
  if (p.sample_count() == 0 && !p.rows.empty())
    throw InputError::in_file(p.path, "a function table has no stacks to reverse (tree without "
                                      "--reverse shows its callers and callees)");
  ViewOptions vo;
  vo.value_index = t.table.value_index;
  vo.mean = o.mean;
  vo.filter = o.agg.filter;
  StackView v = build_view(p, vo);
  ReverseOptions ro;
  ro.by = o.agg.by;
  ro.depth = r.depth;
  return build_reverse_tree(p, v, ro);
}

RunFn setup_tree(CLI::App& app) {
  auto opt = std::make_shared<PprofCli>();
  auto rev = std::make_shared<ReverseCli>();
  PprofCliDefaults d;
  d.limit = 80;  // pprof's -nodecount for graph reports
  d.formats = {"text", "json"};
  d.format_help = "Output format: text (default), or json with --reverse";
  add_pprof_options(app, *opt, d);
  add_terminal_options(app);
  app.add_flag("--reverse,--inverted", rev->reverse,
               "The leaf-first tree: the functions with self value at the top (as top ranks them by "
               "flat), each with its callers beneath, as speedscope's inverted view; -n counts leaf "
               "functions, --nodefraction drops nodes (0 keeps every one)");
  app.add_option("--depth", rev->depth,
                 "With --reverse: levels shown under each leaf function, itself included (default 0: "
                 "all)");
  app.footer(
      "As `go tool pprof -tree`: for each node, its callers (above) and callees (below) with the\n"
      "value that flows along each call and its share of the node's cum. Trimmed as pprof's\n"
      "graph reports: -n 80, --nodefraction 0.005, edges under 0.1% of the total dropped.\n"
      "--reverse: the tree upside down, leaf functions first; each line is the self value of\n"
      "its leaf function that was reached through that chain of callers.");
  return [opt, rev]() {
    const std::vector<OutputTarget> targets = opt->outputs.targets();
    if (!rev->reverse && (has_format(targets, "json") || rev->depth != 0))
      throw UsageError("--format json and --depth are for the reversed tree (--reverse); "
                       "pprof's -tree view is text");
    // --simplify-names: text gets the short names, json the full ones (a second read when the
    // run writes both).
    const bool simplify = opt->simplify_names && has_human_format(targets);
    const bool two_reads = simplify && has_machine_format(targets);
    Profile p = load_pprof_input(*opt, simplify);
    TopOptions o = pprof_top_options(p, *opt);
    o.all_edges = !rev->reverse;
    TopTable t = compute_top(p, o);
    if (!rev->reverse) {
      const std::string text = render_tree(p, t, o.agg.by, nullptr);
      // pprof's fixed layout: lines wider than a terminal are cut, not wrapped.
      emit_outputs(targets, [&](const OutputTarget& out) {
        return fit_text(text, target_style(out), Fit::kCut);
      });
      return 0;
    }
    const ReverseTree rt = reverse_tree(p, t, o, *rev);  // built once; text and json render it
    std::optional<Profile> full;
    TopTable full_table;
    ReverseTree full_tree;
    if (two_reads) {
      full.emplace(load_pprof_input(*opt, false, false));
      full_table = compute_top(*full, o);
      full_tree = reverse_tree(*full, full_table, o, *rev);
    }
    emit_outputs(targets, [&](const OutputTarget& out) {
      ReverseRender rr;
      rr.roots = o.limit;
      rr.node_fraction = o.node_fraction;
      rr.json = out.format == "json";
      const bool machine = two_reads && rr.json;
      return fit_text(render_reverse_tree(machine ? full_table : t, machine ? full_tree : rt, rr),
                      rr.json ? terminal::TextStyle{} : target_style(out), Fit::kCut);
    });
    return 0;
  };
}

RunFn setup_peek(CLI::App& app) {
  auto opt = std::make_shared<PprofCli>();
  auto pattern = std::make_shared<std::string>();
  PprofCliDefaults d;
  d.trimming = false;
  d.formats = {};
  d.file_required = true;
  add_pprof_options(app, *opt, d);
  add_terminal_options(app);
  app.add_option("regex", *pattern, "Show the nodes whose name matches this regex (RE2)")->required();
  app.footer(
      "As `go tool pprof -peek REGEX`: the callers and callees of every matching node, nothing\n"
      "trimmed.");
  return [opt, pattern]() {
    Regex rx = compile_option_regex("peek", *pattern);
    Profile p = load_pprof_input(*opt, opt->simplify_names);
    TopOptions o = pprof_top_options(p, *opt);
    o.all_edges = true;
    o.limit = 0;
    o.node_fraction = 0;
    o.edge_fraction = 0;
    TopTable t = compute_top(p, o);
    try {
      emit_text(opt->output, render_tree(p, t, o.agg.by, &rx), text_style(opt->output), Fit::kCut);
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

// perfkit flame IN -o OUT.svg: an interactive SVG flame graph; --base BASE for a differential one;
// --format folded for folded stacks (the two-count form for a differential).
#include <optional>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/outputs.h"
#include "formats/folded/folded_writer.h"
#include "formats/registry.h"
#include "lib/aggregate.h"
#include "lib/call_graph.h"
#include "lib/display_names.h"
#include "lib/errors.h"
#include "lib/flame.h"
#include "lib/span_stacks.h"
#include "reports/flame_colors.h"
#include "reports/flame_svg.h"

namespace perfkit::cli {
namespace {

struct FlameCliOptions {
  std::string input;
  std::string base;
  OutputsCli outputs;
  std::string sample_index;
  std::string diff_by = "total";
  bool normalize = false;
  bool reverse = false;
  FilterCli filters;
  FlameSvgOptions svg;
  ReadOptions read;
  bool simplify_names = false;  // svg only
};

void require_stacks(Profile& p) {
  if (!p.spans.empty() && p.samples().empty()) add_span_samples(p);
  const size_t warned = p.warnings.size();
  if (p.samples().empty() && add_table_call_stacks(p)) {  // pstats: the callers are a call graph
    fmt::print(stderr,
               "perfkit: note: {}: stacks reconstructed from the table's call graph (each "
               "function's self and cum are the table's; deeper paths are one consistent "
               "choice)\n",
               p.path);
    print_warnings({p.warnings.begin() + warned, p.warnings.end()});
  }
  if (p.samples().empty() && !p.rows.empty())
    throw InputError::in_file(
        p.path,
        "a function table has no call stacks (nor callers to make them from), so it cannot make "
        "a flame graph (use a pprof profile, a Chrome trace or folded stacks; `perfkit top` "
        "ranks a table)");
}

// The value index in `base` matching the chosen type of `cur` by name.
int matching_index(const Profile& base, const Profile& cur, int cur_index) {
  if (cur_index < 0) return base.default_value_index();
  std::string_view type = cur.str(cur.value_types[cur_index].type);
  int i = base.find_value_type(type);
  if (i < 0 && base.value_types.size() == 1 && cur.value_types.size() == 1) i = 0;
  if (i < 0)
    throw InputError::in_file(base.path, fmt::format("(--base) has no value type '{}' to compare "
                                                     "with {}", type, cur.path));
  return i;
}

int run(const FlameCliOptions& o) {
  const std::vector<OutputTarget> targets = o.outputs.targets();
  const bool svg_out = has_format(targets, "svg");
  if (has_format(targets, "folded") &&
      (!o.filters.filter.empty() || o.reverse || o.simplify_names))
    throw UsageError("--format folded writes the stacks as they are: the filters, --reverse and "
                     "--simplify-names apply only to the SVG");
  Profile cur = read_profile(o.input, o.read);
  print_warnings(cur.warnings);
  require_stacks(cur);
  if (o.simplify_names) simplify_frame_names(cur);
  int ci = resolve_value_index(cur, o.sample_index);
  FlameSvgOptions svg = o.svg;
  svg.diff_by = o.diff_by == "total" ? DiffBy::kTotal : DiffBy::kSelf;
  svg.normalize = o.normalize;
  std::optional<Profile> base;
  int bi = -1;
  if (!o.base.empty()) {
    base.emplace(read_profile(o.base, o.read));
    print_warnings(base->warnings);
    require_stacks(*base);
    if (o.simplify_names) simplify_frame_names(*base);
    bi = matching_index(*base, cur, ci);
  }
  FlameTree t;  // built once for every svg output
  if (svg_out && !base) {
    t = build_flame_tree(cur, FlameOptions{ci, o.filters.filter, o.reverse});
    if (t.dropped_negative)
      fmt::print(stderr, "perfkit: note: {} stacks with a negative weight left out\n",
                 t.dropped_negative);
  } else if (svg_out) {
    t = build_diff_flame_tree(*base, cur, FlameOptions{bi, o.filters.filter, o.reverse},
                              FlameOptions{ci, o.filters.filter, o.reverse});
  }
  // Folded stacks stream from the profile (a folded file is often ten times its input).
  emit_outputs_streamed(targets, [&](const OutputTarget& out, ByteSink& sink) {
    if (out.format == "svg") return sink.write(render_flame_svg(t, svg));
    std::string note;
    if (base)
      write_folded_diff(*base, cur, bi, o.normalize, sink, &note);
    else
      write_folded(cur, ci, sink, &note);
    if (!note.empty()) fmt::print(stderr, "perfkit: note: {}\n", note);
  });
  return 0;
}

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<FlameCliOptions>();
  add_input_option(app, opt->input, "Profile with stacks: pprof, Chrome trace, folded");
  app.add_option("--base", opt->base, "Differential: the baseline profile (widths come from IN)");
  opt->outputs.add(app, {"flame", {"svg", "folded"}, "svg", "--format,--to",
                         "Output: svg (default) or folded stacks"});
  app.add_option("--title", opt->svg.title, "Title (default: Flame Graph)");
  app.add_option("--subtitle", opt->svg.subtitle, "Second line (default: value type and total)");
  app.add_option("--width", opt->svg.width, "Image width in pixels (default 1200)")
      ->check(CLI::Range(100.0, 100000.0));
  app.add_option("--min-width,--minwidth", opt->svg.min_width_px,
                 "Prune frames narrower than this many pixels; their weight stays in the parent "
                 "(default 0.1)")
      ->check(CLI::Range(0.0, 100000.0));
  app.add_flag("--icicle,--inverted", opt->svg.icicle,
               "Draw top-down, root at the top (flamegraph.pl's --inverted)");
  app.add_flag("--reverse", opt->reverse,
               "Reverse the stacks: leaf functions at the root, their callers above "
               "(flamegraph.pl's --reverse)");
  app.add_option("--colors", opt->svg.colors, "Palette: hot (default), by-package, mem, io, red, ...")
      ->check(CLI::IsMember(flame_palettes()));
  app.add_option("--sample-index", opt->sample_index,
                 "Value type to draw (name or index; default: the profile's default)");
  app.add_option("--diff-by", opt->diff_by, "Differential color from the change in total (default, as the HTML diff page) or in self "
                 "(flamegraph.pl's difffolded coloring)")
      ->check(CLI::IsMember({"self", "total"}));
  app.add_flag("--normalize", opt->normalize, "Differential: scale the base to the new total first");
  add_filter_options(app, opt->filters, false);
  add_simplify_names_option(app, opt->simplify_names);
  add_read_options(app, opt->read);
  return [opt]() { return run(*opt); };
}

RegisterCommand reg{{"flame", "Draw an interactive SVG flame graph (or a differential one with --base)",
                     "  perfkit flame cpu.pb.gz -o cpu.svg\n"
                     "  perfkit flame --base before.pb.gz after.pb.gz -o diff.svg --normalize\n"
                     "  perfkit flame trace.json --to folded -o trace.folded",
                     setup}};

}  // namespace
}  // namespace perfkit::cli

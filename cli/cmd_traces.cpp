// perfkit traces FILE: every sample's stack with its labels and value, as go tool pprof -traces.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/pprof_cli.h"
#include "lib/errors.h"
#include "lib/regex.h"
#include "reports/tree_report.h"

namespace perfkit::cli {
namespace {

// A block per sample with its whole stack. A view of lists (pprof, perf script) holds those
// stacks as the input spelled them out, so what is printed is linear in the input; stacks from
// a trie (a trace's spans, folded stacks, a table's call graph) are not: N nested spans print
// N(N+1)/2 lines. Those are refused past this many lines (18 bytes or more each: 150 MB of
// text and more), before any is made.
constexpr uint64_t kMaxTraceLines = uint64_t{1} << 23;

void check_trace_lines(const Profile& p, const StackView& v) {
  if (v.lists) return;
  const uint64_t lines = view_entries(v, true);
  if (lines <= kMaxTraceLines) return;
  throw InputError::in_file(
      p.path, fmt::format("its samples' stacks add up to {} frames, more than the {} lines traces "
                          "prints of stacks kept as a trie (a trace's N nested spans are "
                          "N(N+1)/2 of them); narrow it with --focus or --prune-from, "
                          "or read it with top, tree or flame",
                          lines, kMaxTraceLines));
}

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<PprofCli>();
  PprofCliDefaults d;
  d.sort = false;
  d.trimming = false;
  d.formats = {};
  add_pprof_options(app, *opt, d);
  add_terminal_options(app);
  app.footer(
      "As `go tool pprof -traces`: one block per sample, in the file's order: its labels, its\n"
      "value and its stack, leaf first; lines inlined into their caller are marked (inline).");
  return [opt]() {
    Profile p = load_pprof_input(*opt, opt->simplify_names);
    TopOptions o = pprof_top_options(p, *opt);
    TopTable t = compute_top(p, o);
    t.table.rows.clear();  // pprof picks no output unit for traces: each value its own
    ViewOptions vo;
    vo.value_index = t.table.value_index;
    vo.mean = o.mean;
    vo.filter = o.agg.filter;
    vo.per_sample = true;
    StackView v = build_view(p, vo);
    check_trace_lines(p, v);
    Regex show, hide;
    if (!opt->filters.tagshow.empty()) show = compile_option_regex("--tagshow", opt->filters.tagshow);
    if (!opt->filters.taghide.empty()) hide = compile_option_regex("--taghide", opt->filters.taghide);
    emit_text(opt->output,
              render_traces(p, t, v, o.agg.by, show.ok() ? &show : nullptr,
                            hide.ok() ? &hide : nullptr),
              text_style(opt->output), Fit::kCut);
    return 0;
  };
}

RegisterCommand reg{{"traces", "Every sample's stack, labels and value, as go tool pprof -traces",
                     "  perfkit traces heap.pb.gz --sample-index inuse_space", setup}};

}  // namespace
}  // namespace perfkit::cli

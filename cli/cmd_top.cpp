// perfkit top FILE: the ranked table of functions (or files, or lines) with flat and cum values.
#include <optional>

#include "cli/command.h"
#include "cli/pprof_cli.h"
#include "lib/top_table.h"
#include "reports/top_report.h"

namespace perfkit::cli {
namespace {

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<PprofCli>();
  add_pprof_options(app, *opt, PprofCliDefaults{});
  add_terminal_options(app);
  app.footer(
      "Columns as `go tool pprof -top`: flat = self (leaf) value, cum = inclusive value (a\n"
      "function counts once per sample, so recursion is not double counted), sum% = running\n"
      "total of flat%. Nodes below --nodefraction of the total are dropped and counted in a\n"
      "'Dropped N nodes' line, as pprof does. Function tables add ncall and tavg (ttot/ncall);\n"
      "a trace's spans become stacks weighted by self time, and ncall counts spans. pprof's\n"
      "-top shows every node; perfkit shows 20 by default (-n 0 for all).");
  return [opt]() {
    const std::vector<OutputTarget> targets = opt->outputs.targets();
    // --simplify-names: text and md get the short names; json and csv the full ones, from a
    // second read when the run writes both kinds.
    const bool simplify = opt->simplify_names && has_human_format(targets);
    const bool two_reads = simplify && has_machine_format(targets);
    Profile p = load_pprof_input(*opt, simplify);
    TopOptions o = pprof_top_options(p, *opt);
    TopTable t = compute_top(p, o);
    std::optional<Profile> full;
    TopTable full_table;
    if (two_reads) {
      full.emplace(load_pprof_input(*opt, false, false));
      full_table = compute_top(*full, o);
    }
    const Profile& mp = two_reads ? *full : p;  // json, csv
    const TopTable& mt = two_reads ? full_table : t;
    emit_outputs(targets, [&](const OutputTarget& out) {
      if (out.format == "json") return render_top_json(mp, mt, o.agg.by);
      if (out.format == "csv") return render_top_csv(mp, mt, o.agg.by);
      if (out.format == "md") return render_top_md(p, t, o.agg.by);
      const terminal::TextStyle style = target_style(out);
      return fit_text(render_top_text(p, t, o.agg.by, style), style);
    });
    return 0;
  };
}

RegisterCommand reg{{"top", "Rank functions (or files, lines) by flat and cum, as go tool pprof -top",
                     "  perfkit top cpu.pb.gz -n 30 --sort cum --focus 'main\\.'", setup}};

}  // namespace
}  // namespace perfkit::cli

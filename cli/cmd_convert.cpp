// perfkit convert IN --to FORMAT -o OUT: between pprof, folded, Chrome trace, speedscope,
// function tables and flat JSON/CSV. What a conversion loses is said on stderr.
#include <optional>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/outputs.h"
#include "formats/callgrind/callgrind_writer.h"
#include "formats/chrome/chrome_writer.h"
#include "formats/folded/folded_writer.h"
#include "formats/pprof/pprof_writer.h"
#include "formats/registry.h"
#include "formats/speedscope/speedscope_writer.h"
#include "formats/table/table_writer.h"
#include "lib/aggregate.h"
#include "lib/call_graph.h"
#include "lib/errors.h"
#include "lib/output.h"
#include "lib/span_stacks.h"
#include "lib/text_out.h"
#include "lib/top_table.h"
#include "reports/top_report.h"

namespace perfkit::cli {
namespace {

const std::vector<std::string> kTargets = {"pprof",  "folded", "chrome", "speedscope",
                                           "callgrind", "table", "json", "csv"};

struct ConvertOptions {
  std::string input;
  OutputsCli outputs;
  std::string sample_index;
  ReadOptions read;
};

bool to_stacks(const std::string& to) {
  return to == "pprof" || to == "folded" || to == "chrome" || to == "speedscope";
}

void note(const std::string& text) {
  if (!text.empty()) fmt::print(stderr, "perfkit: note: {}\n", text);
}

// What every stack target loses from a trace: time order (spans become self-time stacks).
void note_trace_to_stacks(const Profile& p, const std::string& to) {
  if (!p.spans.empty() && to != "chrome")
    note(fmt::format("{} -> {}: spans become wall/nanoseconds self-time stacks per thread; "
                     "timestamps, threads, args and counters are not kept", p.path, to));
}

// Writes the conversion to `sink`; every check that can refuse the input comes before the first
// byte, so a refused conversion leaves no output.
// A function table with a call graph gets its stacks here (add_table_call_stacks), for the first
// stack target; the table targets of the same run are rendered before (see run).
void convert(Profile& p, const std::string& to, const std::string& sample_index, ByteSink& sink) {
  bool table_only = p.sample_count() == 0 && !p.rows.empty();
  const size_t warned = p.warnings.size();
  if (table_only && to_stacks(to) && add_table_call_stacks(p)) {  // pstats: its callers are a graph
    note(fmt::format("{} -> {}: the table's call graph becomes stacks (flat and cum per function "
                     "are the table's; paths deeper than one call are reconstructed)",
                     p.path, to));
    print_warnings({p.warnings.begin() + warned, p.warnings.end()});
    table_only = false;
  }
  if (table_only && to != "table" && to != "json" && to != "csv" && to != "callgrind")
    throw InputError::in_file(
        p.path, fmt::format("a function table: it has no call stacks (nor callers to make them "
                            "from), so it converts only to table, callgrind, json or csv (not {})",
                            to));
  if (!p.spans.empty() && p.samples().empty()) add_span_samples(p);
  int vi = sample_index.empty() ? -1 : resolve_value_index(p, sample_index);
  note_trace_to_stacks(p, to);
  std::string lost;
  if (to == "pprof") {
    if (p.value_types.empty()) throw InputError::in_file(p.path, "nothing to convert (no samples)");
    if (vi >= 0 && p.value_types.size() > 1)
      note(fmt::format("pprof: only the value type {} is written (--sample-index)",
                       p.str(p.value_types[vi].type)));
    sink.write(vi >= 0 ? write_pprof(p, std::vector<int>{vi}) : write_pprof(p));
    return;
  }
  std::string out;
  if (to == "folded") {
    write_folded(p, vi, sink, &lost);
    int used = vi >= 0 ? vi : p.default_value_index();
    std::vector<std::string> gone;
    if (used >= 0 && p.value_types.size() > 1)
      gone.push_back(fmt::format("only {} of {} value types ({}) written", 1, p.value_types.size(),
                                 p.str(p.value_types[used].type)));
    if (used >= 0) gone.push_back(fmt::format("the unit ({}) is not in the file", p.str(p.value_types[used].unit)));
    if (!p.labels().empty()) gone.push_back("sample labels are not kept");
    gone.push_back("file and line are not kept");
    for (const auto& g : gone) lost += (lost.empty() ? "" : "; ") + g;
  } else if (to == "chrome") {
    write_chrome(p, vi, sink, &lost);
  } else if (to == "speedscope") {
    out = write_speedscope(p, vi >= 0 ? std::vector<int>{vi} : std::vector<int>{}, &lost);
  } else if (to == "callgrind") {
    if (vi >= 0) note("callgrind: every value type is written (one event each); --sample-index ignored");
    out = write_callgrind(p, &lost);
  } else if (to == "table") {
    out = write_table(p, vi, &lost);
  } else {  // json, csv: the flat table of `perfkit top`, every row
    TopOptions t;
    t.agg.value_index = vi;
    t.limit = 0;
    TopTable table = compute_top(p, t);
    out = to == "json" ? render_top_json(p, table, Granularity::kFunction)
                         : render_top_csv(p, table, Granularity::kFunction);
    if (!table_only) lost = "call stacks (only per-function flat and cum remain)";
  }
  sink.write(out);
  if (!lost.empty()) note(fmt::format("{} -> {}: {}", p.path, to, lost));
}

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<ConvertOptions>();
  add_input_option(app, opt->input, "Input file");
  OutputSpec spec{"convert", kTargets, "", "--to,--format",
                  "Output format: pprof, folded, chrome, speedscope, callgrind, table, json, csv"};
  spec.format_required = true;
  opt->outputs.add(app, spec);
  app.add_option("--sample-index", opt->sample_index,
                 "Value type for single-value targets (name or index; default: the profile's default)");
  add_read_options(app, opt->read);
  return [opt]() {
    const std::vector<OutputTarget> targets = opt->outputs.targets();
    refuse_binary_to_terminal(targets, "pprof");
    Profile p = read_profile(opt->input, opt->read);
    print_warnings(p.warnings);
    // A function table converted to stack formats too: its table outputs (small, as the table
    // is) are rendered first, from the table as it was read.
    std::vector<std::optional<std::string>> early(targets.size());
    bool stacks = false;
    for (const OutputTarget& t : targets) stacks = stacks || to_stacks(t.format);
    if (stacks && targets.size() > 1 && p.sample_count() == 0 && !p.rows.empty()) {
      for (size_t i = 0; i < targets.size(); ++i) {
        if (to_stacks(targets[i].format)) continue;
        StringSink sink(early[i].emplace());
        convert(p, targets[i].format, opt->sample_index, sink);
      }
    }
    emit_outputs_streamed(targets, [&](const OutputTarget& t, ByteSink& sink) {
      const size_t i = static_cast<size_t>(&t - targets.data());
      if (early[i]) return sink.write(*early[i]);
      convert(p, t.format, opt->sample_index, sink);
    });
    return 0;
  };
}

RegisterCommand reg{{"convert", "Convert between pprof, folded, Chrome trace, speedscope, callgrind, table, JSON, CSV",
                     "  perfkit convert cpu.pb.gz --to folded -o cpu.folded\n"
                     "  perfkit convert trace.json --to pprof -o trace.pb.gz\n"
                     "  perfkit convert heap.pb.gz --to speedscope --sample-index alloc_space -o heap.speedscope.json",
                     setup}};

}  // namespace
}  // namespace perfkit::cli

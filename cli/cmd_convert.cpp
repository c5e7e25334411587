// perfkit convert IN --to FORMAT -o OUT: between pprof, folded, Chrome trace, speedscope,
// function tables and flat JSON/CSV. What a conversion loses is said on stderr.
#include <fmt/format.h>

#include "cli/command.h"
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
  std::string to;
  std::string output;
  std::string sample_index;
  ReadOptions read;
};

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
void convert(Profile& p, const ConvertOptions& o, ByteSink& sink) {
  bool table_only = p.sample_count() == 0 && !p.rows.empty();
  const bool to_stacks = o.to == "pprof" || o.to == "folded" || o.to == "chrome" ||
                         o.to == "speedscope";
  const size_t warned = p.warnings.size();
  if (table_only && to_stacks && add_table_call_stacks(p)) {  // pstats: its callers are a graph
    note(fmt::format("{} -> {}: the table's call graph becomes stacks (flat and cum per function "
                     "are the table's; paths deeper than one call are reconstructed)",
                     p.path, o.to));
    print_warnings({p.warnings.begin() + warned, p.warnings.end()});
    table_only = false;
  }
  if (table_only && o.to != "table" && o.to != "json" && o.to != "csv" && o.to != "callgrind")
    throw InputError::in_file(
        p.path, fmt::format("a function table: it has no call stacks (nor callers to make them "
                            "from), so it converts only to table, callgrind, json or csv (not {})",
                            o.to));
  if (!p.spans.empty() && p.samples().empty()) add_span_samples(p);
  int vi = o.sample_index.empty() ? -1 : resolve_value_index(p, o.sample_index);
  note_trace_to_stacks(p, o.to);
  std::string lost;
  if (o.to == "pprof") {
    if (p.value_types.empty()) throw InputError::in_file(p.path, "nothing to convert (no samples)");
    if (vi >= 0 && p.value_types.size() > 1)
      note(fmt::format("pprof: only the value type {} is written (--sample-index)",
                       p.str(p.value_types[vi].type)));
    sink.write(vi >= 0 ? write_pprof(p, std::vector<int>{vi}) : write_pprof(p));
    return;
  }
  std::string out;
  if (o.to == "folded") {
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
  } else if (o.to == "chrome") {
    write_chrome(p, vi, sink, &lost);
  } else if (o.to == "speedscope") {
    out = write_speedscope(p, vi >= 0 ? std::vector<int>{vi} : std::vector<int>{}, &lost);
  } else if (o.to == "callgrind") {
    if (vi >= 0) note("callgrind: every value type is written (one event each); --sample-index ignored");
    out = write_callgrind(p, &lost);
  } else if (o.to == "table") {
    out = write_table(p, vi, &lost);
  } else {  // json, csv: the flat table of `perfkit top`, every row
    TopOptions t;
    t.agg.value_index = vi;
    t.limit = 0;
    TopTable table = compute_top(p, t);
    out = o.to == "json" ? render_top_json(p, table, Granularity::kFunction)
                         : render_top_csv(p, table, Granularity::kFunction);
    if (!table_only) lost = "call stacks (only per-function flat and cum remain)";
  }
  sink.write(out);
  if (!lost.empty()) note(fmt::format("{} -> {}: {}", p.path, o.to, lost));
}

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<ConvertOptions>();
  add_input_option(app, opt->input, "Input file");
  app.add_option("--to,--format", opt->to, "Output format: pprof, folded, chrome, speedscope, callgrind, table, json, csv")
      ->required()
      ->check(CLI::IsMember(kTargets));
  app.add_option("-o,--output", opt->output, "Write to this file (default: standard output)");
  app.add_option("--sample-index", opt->sample_index,
                 "Value type for single-value targets (name or index; default: the profile's default)");
  add_read_options(app, opt->read);
  return [opt]() {
    if (opt->to == "pprof") refuse_binary_to_terminal(opt->output, "pprof");
    Profile p = read_profile(opt->input, opt->read);
    print_warnings(p.warnings);
    OutputFile out(opt->output);
    FileSink sink(out);
    convert(p, *opt, sink);
    out.commit();
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

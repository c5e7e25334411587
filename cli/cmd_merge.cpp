// perfkit merge IN... -o OUT: Chrome fragments into one trace; pprof or folded profiles summed.
#include <algorithm>
#include <exception>
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/outputs.h"
#include "formats/chrome/chrome_merge.h"
#include "formats/folded/folded_writer.h"
#include "formats/pprof/pprof_writer.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/progress.h"
#include "lib/merge.h"
#include "lib/output.h"
#include "lib/parallel.h"
#include "lib/span_stacks.h"

namespace perfkit::cli {
namespace {

namespace fs = std::filesystem;

struct MergeOptions {
  std::vector<std::string> inputs;
  OutputsCli outputs;
  std::vector<OutputTarget> targets;  // format "": pprof, or folded when the inputs are folded
  bool keep_pids = false;
  ReadOptions read;
};

bool fragment_name(const std::string& name) {
  for (const char* ext : {".jsonl", ".json", ".jsonl.gz", ".json.gz"})
    if (name.size() > std::strlen(ext) && name.compare(name.size() - std::strlen(ext), std::string::npos, ext) == 0)
      return true;
  return false;
}

// Files as given; a directory contributes its *.jsonl / *.json files, sorted by name.
std::vector<std::string> expand(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    std::error_code ec;
    if (a != "-" && fs::is_directory(a, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::directory_iterator(a, ec))
        if (e.is_regular_file() && fragment_name(e.path().filename().string()))
          found.push_back(e.path().string());
      if (found.empty())
        throw InputError::in_file(a, "the directory has no *.jsonl or *.json files to merge");
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(a);
    }
  }
  return out;
}

std::string detect(const InputBuffer& in, const ReadOptions& opts) {
  if (!opts.input_format.empty()) return opts.input_format;
  const char* maybe = nullptr;
  for (const auto& f : input_formats()) {
    Probe p = f.probe(in.view());
    if (p == Probe::kYes) return f.name;
    if (p == Probe::kMaybe && !maybe) maybe = f.name;
  }
  return maybe ? maybe : "";
}

int merge_traces(const MergeOptions& o, const std::vector<InputBuffer>& bufs, unsigned jobs) {
  for (const OutputTarget& t : o.targets)
    if (!t.format.empty() && t.format != "chrome")
      throw InputError("Chrome trace fragments merge into a Chrome trace (--format chrome); "
                       "convert the merged trace with `perfkit convert` for other formats");
  if (o.targets.size() > 1)
    throw InputError("Chrome trace fragments merge into one Chrome trace: give one output (-o "
                     "FILE); `perfkit convert` makes the other formats from it");
  TraceMergeResult r;
  emit_outputs_streamed(o.targets, [&](const OutputTarget&, ByteSink& sink) {
    r = merge_chrome_fragments(bufs, TraceMergeOptions{jobs, o.keep_pids},
                               [&](std::string_view piece) { sink.write(piece); });
  });
  print_warnings(r.warnings);
  fmt::print(stderr, "perfkit: note: merged {} events from {} files ({} duplicate metadata events "
             "dropped, {} pids remapped)\n", r.events, bufs.size(), r.duplicate_metadata, r.remapped_pids);
  return 0;
}

// Contiguous runs of inputs, one per worker, of about equal bytes on disk (at least one input
// each). Folding runs into partial results and the partials in order gives the bytes of a
// one-by-one merge (lib/merge.h), whatever the split.
std::vector<size_t> split_runs(const std::vector<std::string>& files, size_t workers) {
  std::vector<uint64_t> size(files.size());
  uint64_t total = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    uint64_t n = files[i] == "-" ? 0 : fs::file_size(files[i], ec);
    size[i] = (ec ? 0 : n) + 1;
    total += size[i];
  }
  std::vector<size_t> begin{0};
  uint64_t seen = 0;
  for (size_t i = 0; i < files.size() && begin.size() < workers; ++i) {
    seen += size[i];
    size_t left = files.size() - (i + 1);  // inputs for the runs still to start
    if (i + 1 > begin.back() && left >= workers - begin.size() &&
        (seen * workers >= total * begin.size() || left == workers - begin.size()))
      begin.push_back(i + 1);
  }
  begin.push_back(files.size());
  return begin;
}

Profile read_stack_input(const InputBuffer& buf, const MergeOptions& o, unsigned jobs) {
  if (detect(buf, o.read) == "chrome")
    throw InputError(fmt::format("cannot merge Chrome traces with stack profiles ({} is a trace): "
                                 "give only fragments of one trace, or only pprof/folded profiles",
                                 buf.path));
  ReadOptions r = o.read;
  r.jobs = jobs;
  Profile p = read_profile(buf, r);
  if (p.sample_count() == 0 && !p.rows.empty())
    throw InputError::in_file(p.path, "a function table cannot be merged: merge sums stack "
                                      "profiles (pprof, folded) and Chrome fragments");
  return p;
}

// Streams: each worker folds its run of inputs into a ProfileMerger, reading one input at a
// time and freeing it once added; then partials are folded pairwise (a tree), in order.
int merge_stacks(const MergeOptions& o, const std::vector<std::string>& files, InputBuffer first,
                 unsigned jobs) {
  const size_t workers = std::max<size_t>(1, std::min<size_t>(jobs, files.size()));
  const unsigned read_jobs = std::max(1u, jobs / static_cast<unsigned>(workers));
  std::vector<size_t> begin = split_runs(files, workers);
  std::vector<ProfileMerger> partial(workers);
  // The input at which each worker stopped (its end when it did not), and what it threw.
  std::vector<size_t> failed_at(workers);
  std::vector<std::exception_ptr> error(workers);
  parallel_for(workers, jobs, [&](size_t w) {
    failed_at[w] = begin[w + 1];
    for (size_t i = begin[w]; i < begin[w + 1]; ++i) {
      try {
        ReadProgress progress(files[i]);  // one worker's input at a time shows a line
        InputBuffer buf = i == 0 ? std::move(first) : load_input(files[i], o.read, &progress);
        buf.progress = &progress;
        Profile p = read_stack_input(buf, o, read_jobs);
        buf = InputBuffer();
        partial[w].add(p);
      } catch (...) {
        failed_at[w] = i;
        error[w] = std::current_exception();
        return;
      }
    }
  });
  // An error: report the one a one-by-one merge meets first. The partials before the failing
  // worker are folded in order, so a type mismatch between runs (found at a run's first input)
  // comes before a failure later in the input list.
  for (size_t w = 0; w < workers; ++w) {
    if (!error[w]) continue;
    for (size_t v = 1; v <= w; ++v)
      if (partial[v].inputs()) partial[0].add(partial[v].take_partial());
    std::rethrow_exception(error[w]);
  }
  for (size_t step = 1; step < workers; step *= 2) {
    std::vector<size_t> pairs;
    for (size_t a = 0; a + step < workers; a += 2 * step) pairs.push_back(a);
    parallel_for(pairs.size(), jobs, [&](size_t q) {
      size_t a = pairs[q];
      partial[a].add(partial[a + step].take_partial());
    });
  }
  Profile merged = partial[0].finish();
  print_warnings(merged.warnings);
  std::vector<OutputTarget> targets = o.targets;
  for (OutputTarget& t : targets) {
    if (t.format.empty()) t.format = merged.format == "folded" ? "folded" : "pprof";
    if (t.format == "chrome")
      throw InputError("stack profiles merge into pprof or folded (--format pprof|folded), not chrome");
  }
  refuse_binary_to_terminal(targets, "pprof");
  emit_outputs_streamed(targets, [&](const OutputTarget& t, ByteSink& sink) {
    if (t.format == "pprof") return sink.write(write_pprof(merged));
    std::string note;
    write_folded(merged, -1, sink, &note);
    if (!note.empty()) fmt::print(stderr, "perfkit: note: {}\n", note);
  });
  fmt::print(stderr, "perfkit: note: merged {} profiles: {} samples, {} distinct stacks\n",
             files.size(), merged.sample_count(), merged.stacks().size() - 1);
  return 0;
}

// The first input decides: Chrome fragments are merged on their events (all loaded, as the
// events are interleaved by time); stack profiles stream.
int run(MergeOptions& o) {
  o.targets = o.outputs.targets();
  // An explicit --format pprof to a terminal is refused before reading (the default is refused
  // once the inputs say it is pprof).
  refuse_binary_to_terminal(o.targets, "pprof");
  std::vector<std::string> files = expand(o.inputs);
  unsigned jobs = thread_count(o.read.jobs);
  InputBuffer first = load_input(files[0], o.read);
  if (detect(first, o.read) != "chrome") return merge_stacks(o, files, std::move(first), jobs);
  std::vector<InputBuffer> bufs(files.size());
  bufs[0] = std::move(first);
  parallel_for(files.size() - 1, jobs, [&](size_t i) { bufs[i + 1] = load_input(files[i + 1], o.read); });
  for (const InputBuffer& b : bufs)
    if (detect(b, o.read) != "chrome")
      throw InputError(fmt::format("cannot merge Chrome traces with stack profiles ({} is not a "
                                   "trace): give only fragments of one trace, or only pprof/folded "
                                   "profiles", b.path));
  return merge_traces(o, bufs, jobs);
}

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<MergeOptions>();
  app.add_option("inputs", opt->inputs, "Files, or directories of *.jsonl / *.json fragments")->required();
  opt->outputs.add(app, {"merge", {"chrome", "pprof", "folded"}, "", "--to,--format",
                         "Output format: chrome for traces (one output); pprof (the default; "
                         "folded when the inputs are) or folded for profiles"});
  app.add_flag("--keep-pids", opt->keep_pids,
               "Traces: a pid in several files is one process (rotated files); default: remap it");
  add_read_options(app, opt->read);
  return [opt]() { return run(*opt); };
}

RegisterCommand reg{{"merge", "Merge Chrome trace fragments into one trace, or sum pprof/folded profiles",
                     "  perfkit merge fragments/ -o trace.json\n"
                     "  perfkit merge host1.pb.gz host2.pb.gz -o fleet.pb.gz",
                     setup}};

}  // namespace
}  // namespace perfkit::cli

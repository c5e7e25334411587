// perfkit merge IN... -o OUT: Chrome fragments into one trace; pprof or folded profiles summed.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "cli/command.h"
#include "formats/chrome/chrome_merge.h"
#include "formats/folded/folded_writer.h"
#include "formats/pprof/pprof_writer.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/merge.h"
#include "lib/output.h"
#include "lib/parallel.h"
#include "lib/span_stacks.h"

namespace perfkit::cli {
namespace {

namespace fs = std::filesystem;

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::string to;
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
  if (!o.to.empty() && o.to != "chrome")
    throw InputError("Chrome trace fragments merge into a Chrome trace (--format chrome); convert "
                     "the merged trace with `perfkit convert` for other formats");
  OutputFile out(o.output);
  TraceMergeResult r = merge_chrome_fragments(bufs, TraceMergeOptions{jobs, o.keep_pids},
                                              [&](std::string_view piece) { out.write(piece); });
  out.commit();
  print_warnings(r.warnings);
  fmt::print(stderr, "perfkit: note: merged {} events from {} files ({} duplicate metadata events "
             "dropped, {} pids remapped)\n", r.events, bufs.size(), r.duplicate_metadata, r.remapped_pids);
  return 0;
}

int merge_stacks(const MergeOptions& o, const std::vector<InputBuffer>& bufs, unsigned jobs) {
  std::vector<Profile> profiles(bufs.size());
  parallel_for(bufs.size(), jobs, [&](size_t i) { profiles[i] = read_profile(bufs[i], o.read); });
  std::vector<const Profile*> ptrs;
  for (Profile& p : profiles) {
    if (p.samples().empty() && !p.rows.empty())
      throw InputError::in_file(p.path, "a function table: merge sums stack profiles (pprof, "
                                        "folded) and Chrome fragments");
    ptrs.push_back(&p);
  }
  Profile merged = merge_profiles(ptrs);
  print_warnings(merged.warnings);
  std::string to = o.to.empty() ? (profiles[0].format == "folded" ? "folded" : "pprof") : o.to;
  if (to == "chrome")
    throw InputError("stack profiles merge into pprof or folded (--format pprof|folded), not chrome");
  if (to == "folded") {
    std::string note;
    emit(o.output, write_folded(merged, -1, &note));
    if (!note.empty()) fmt::print(stderr, "perfkit: note: {}\n", note);
  } else {
    refuse_binary_to_terminal(o.output, "pprof");
    emit(o.output, write_pprof(merged));
  }
  fmt::print(stderr, "perfkit: note: merged {} profiles: {} samples, {} distinct stacks\n",
             profiles.size(), merged.samples().size(), merged.stacks().size() - 1);
  return 0;
}

int run(const MergeOptions& o) {
  std::vector<std::string> files = expand(o.inputs);
  unsigned jobs = thread_count(o.read.jobs);
  std::vector<InputBuffer> bufs(files.size());
  parallel_for(files.size(), jobs, [&](size_t i) { bufs[i] = load_input(files[i], o.read); });
  size_t traces = 0;
  for (const InputBuffer& b : bufs) traces += detect(b, o.read) == "chrome";
  if (traces == bufs.size()) return merge_traces(o, bufs, jobs);
  if (traces != 0)
    throw InputError("cannot merge Chrome traces with stack profiles: give only fragments of one "
                     "trace, or only pprof/folded profiles");
  return merge_stacks(o, bufs, jobs);
}

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<MergeOptions>();
  app.add_option("inputs", opt->inputs, "Files, or directories of *.jsonl / *.json fragments")->required();
  app.add_option("-o,--output", opt->output, "Write to this file (default: standard output)");
  app.add_option("--to,--format", opt->to,
                 "Output format: chrome for traces; pprof (default) or folded for profiles")
      ->check(CLI::IsMember({"chrome", "pprof", "folded"}));
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

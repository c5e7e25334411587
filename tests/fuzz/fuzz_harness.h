// One fuzz input through one reader, shared by the libFuzzer targets (tests/fuzz/fuzz_*.cpp) and
// the corpus replay test (tests/fuzz_replay_test.cpp), so a crasher kept in the corpus is re-run
// by every ordinary build. The contract under test: on any bytes a reader either fills a Profile
// or throws InputError/UsageError; anything else escaping (another exception, a crash, a sanitizer
// report, a hang, unbounded memory) is a finding. After a successful read the cheap analyses that
// every command runs (info's summary, top's aggregate, the flame tree, the folded writer) run too,
// since a reader that accepts a malformed model passes the crash downstream.
//
// Two targets go further, after any reader (the input's first byte picks it, the rest is the
// file): `analyses` runs what every command computes (aggregate at each granularity and with
// filters, report findings, the flame tree, a diff of the input against itself), `writers` runs
// every convert writer and reads the pprof it wrote back. Downstream code may refuse a profile
// only with InputError/UsageError, as a command would (exit 3 or 2).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "formats/perf/perf_script.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/input.h"
#include "lib/profile.h"
#ifndef PERFKIT_FUZZ_READER_ONLY
#include "formats/chrome/chrome_writer.h"
#include "formats/folded/folded_writer.h"
#include "formats/pprof/pprof_writer.h"
#include "formats/speedscope/speedscope_writer.h"
#include "formats/table/table_writer.h"
#include "lib/aggregate.h"
#include "lib/diff.h"
#include "lib/flame.h"
#include "lib/report_findings.h"
#include "lib/span_stacks.h"
#include "lib/summary.h"
#include "lib/top_table.h"
#include "reports/top_report.h"
#endif

namespace perfkit::fuzz {

enum class Target {
  kPprof, kChrome, kTable, kFolded, kSpeedscope, kGunzip, kDetect, kCpuprofile, kPerf, kCallgrind,
  kPstats, kAnalyses, kWriters
};

struct TargetSpec {
  Target target;
  const char* name;  // corpus directory under tests/fuzz/corpus/
};

inline constexpr TargetSpec kTargets[] = {
    {Target::kPprof, "pprof"},   {Target::kChrome, "chrome"},         {Target::kTable, "table"},
    {Target::kFolded, "folded"}, {Target::kSpeedscope, "speedscope"}, {Target::kGunzip, "gunzip"},
    {Target::kDetect, "detect"}, {Target::kCpuprofile, "cpuprofile"},
    {Target::kPerf, "perf"},           {Target::kCallgrind, "callgrind"},
    {Target::kPstats, "pstats"},
    {Target::kAnalyses, "analyses"}, {Target::kWriters, "writers"},
};

// The readers the post-read targets choose from by the input's first byte (modulo the count);
// "" is content detection, as the CLI does without --input-format.
inline constexpr const char* kPostReadFormats[] = {
    "pprof", "chrome", "table", "folded", "speedscope", "cpuprofile", "", "perf", "callgrind",
    "pstats"};

// Small bounds keep a fuzz run's memory flat: past them a reader must say so, not allocate.
constexpr uint64_t kFuzzMaxInputBytes = 1 << 20;

// PERFKIT_FUZZ_READER_ONLY (tests/fuzz/build_direct.sh): the readers alone, a much smaller build.
inline void run_downstream(const Profile& p) {
#ifdef PERFKIT_FUZZ_READER_ONLY
  (void)p;
  return;
#else
  (void)summarize(p);
  try {
    (void)aggregate(p, AggregateOptions{});
  } catch (const UsageError&) {
  }
  if (p.value_types.empty()) return;
  try {
    (void)build_flame_tree(p, FlameOptions{});
    (void)write_folded(p, -1);
  } catch (const UsageError&) {
  }
#endif
}

#ifndef PERFKIT_FUZZ_READER_ONLY
// Runs fn; a refusal (what a command turns into exit 2 or 3) is an allowed outcome.
template <class Fn>
void refusable(Fn&& fn) {
  try {
    fn();
  } catch (const InputError&) {
  } catch (const UsageError&) {
  }
}

// What the analysis commands compute: top at every granularity, with filters, report, flame,
// diff of the profile against itself (every delta zero: anything else is a finding).
inline void run_analyses(const Profile& p) {
  (void)summarize(p);
  for (Granularity by : {Granularity::kFunction, Granularity::kFileFunction, Granularity::kFile,
                         Granularity::kLine})
    refusable([&] {
      AggregateOptions o;
      o.by = by;
      TopOptions t;
      t.agg = o;
      (void)compute_top(p, t);
    });
  refusable([&] {
    AggregateOptions o;
    o.filter.focus = "a";
    o.filter.hide = "b";
    o.filter.show_from = "[cm]";
    (void)aggregate(p, o);
  });
  refusable([&] { (void)compute_findings(p, ReportOptions{}); });
  refusable([&] {
    ReportOptions r;
    r.per_section = 0;
    r.agg.filter.ignore = "^x";
    (void)compute_findings(p, r);
  });
  if (!p.value_types.empty()) refusable([&] { (void)build_flame_tree(p, FlameOptions{}); });
  refusable([&] {
    ValuePair vp = resolve_comparable(p, p, "");
    AggregateOptions o;
    o.value_index = vp.base_index;
    RunTable base{&p, aggregate(p, o)};
    o.value_index = vp.new_index;
    RunTable cur{&p, aggregate(p, o)};
    DiffTable d = diff_runs(std::span<const RunTable>(&base, 1), std::span<const RunTable>(&cur, 1),
                            DiffOptions{});
    for (const DiffRow& r : d.rows)
      if (r.delta_flat() != 0 || r.delta_cum() != 0) __builtin_trap();
    const Profile* both[] = {&p};
    (void)span_stats_by_name(both);
  });
}

// Every writer of `perfkit convert` (a trace's spans become samples first, as convert does),
// then the pprof it wrote read back: a writer's output must be readable by our own reader.
inline void run_writers(Profile& p) {
  refusable([&] { (void)write_chrome(p, -1); });
  if (!p.spans.empty() && p.samples().empty()) add_span_samples(p);
  const bool table_only = p.sample_count() == 0 && !p.rows.empty();
  refusable([&] { (void)write_table(p, -1); });
  refusable([&] {
    TopOptions t;
    t.limit = 0;
    TopTable table = compute_top(p, t);
    (void)render_top_json(p, table, Granularity::kFunction);
    (void)render_top_csv(p, table, Granularity::kFunction);
  });
  if (table_only || p.value_types.empty()) return;
  refusable([&] { (void)write_folded(p, -1); });
  refusable([&] { (void)write_speedscope(p, {}); });
  std::string pb;
  refusable([&] { pb = write_pprof(p, false); });
  if (pb.empty()) return;
  InputBuffer in(pb.size());
  std::memcpy(in.data(), pb.data(), pb.size());
  in.path = "fuzz-written.pb";
  in.file_bytes = pb.size();
  ReadOptions ro;
  ro.input_format = "pprof";
  ro.jobs = 1;
  try {
    Profile back = read_profile(in, ro);
    (void)summarize(back);
  } catch (const UsageError&) {
  }  // an InputError here escapes: our reader refused our own writer's file
}
#endif

inline const char* target_name(Target t) {
  for (const auto& spec : kTargets)
    if (spec.target == t) return spec.name;
  return "";
}

inline void read_with(Target t, const InputBuffer& in, const ReadOptions& opts) {
#ifndef PERFKIT_FUZZ_READER_ONLY
  // The way the CLI reads with --input-format NAME: the reader, then read_profile's own checks
  // (sample values whose sum passes int64 are refused there, before any analysis adds them up).
  if (t == Target::kAnalyses || t == Target::kWriters) {
    if (in.size() == 0) return;
    ReadOptions named = opts;
    named.input_format = kPostReadFormats[static_cast<uint8_t>(in.data()[0]) %
                                          std::size(kPostReadFormats)];
    InputBuffer rest(in.size() - 1);
    if (rest.size()) std::memcpy(rest.data(), in.data() + 1, rest.size());
    rest.path = in.path;
    rest.file_bytes = rest.size();
    Profile p = read_profile(rest, named);
    if (t == Target::kAnalyses) run_analyses(p);
    else run_writers(p);
    return;
  }
  if (t != Target::kGunzip && t != Target::kDetect) {
    ReadOptions named = opts;
    named.input_format = target_name(t);
    run_downstream(read_profile(in, named));
    return;
  }
#endif
  Profile p;
  p.path = in.path;
  switch (t) {
    case Target::kPprof: p.format = "pprof"; read_pprof(in, p, opts); break;
    case Target::kChrome: p.format = "chrome"; read_chrome(in, p, opts); break;
    case Target::kTable: p.format = "table"; read_table(in, p, opts); break;
    case Target::kFolded: p.format = "folded"; read_folded(in, p, opts); break;
    case Target::kSpeedscope: p.format = "speedscope"; read_speedscope(in, p, opts); break;
    case Target::kCpuprofile:
      p.format = "cpuprofile";
      read_cpuprofile(in, p, opts);
      break;
    case Target::kPerf: p.format = "perf"; read_perf_script(in, p, opts); break;
    case Target::kCallgrind: p.format = "callgrind"; read_callgrind(in, p, opts); break;
    case Target::kPstats: p.format = "pstats"; read_pstats(in, p, opts); break;
    case Target::kAnalyses:
    case Target::kWriters:
    case Target::kGunzip:
    case Target::kDetect:
#ifdef PERFKIT_FUZZ_READER_ONLY
      return;
#else
      p = read_profile(in, opts);
      break;
#endif
  }
  run_downstream(p);
}

// Returns true when the reader accepted the input, false when it refused it with an InputError or
// UsageError. Every other outcome escapes to the caller.
inline bool run_one(Target t, const uint8_t* data, size_t size) {
  ReadOptions opts;
  opts.max_input_bytes = kFuzzMaxInputBytes;
  opts.jobs = 1;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    if (t == Target::kGunzip) {
      // The gzip layer alone, then whatever it inflated to through content detection.
      InputBuffer in = gunzip("fuzz", bytes, kFuzzMaxInputBytes);
      in.path = "fuzz";
      in.was_gzip = true;
      read_with(t, in, opts);
      return true;
    }
    InputBuffer in(size);
    if (size) std::memcpy(in.data(), data, size);
    in.path = "fuzz";
    in.file_bytes = size;
    read_with(t, in, opts);
    return true;
  } catch (const InputError&) {
    return false;
  } catch (const UsageError&) {
    return false;
  }
}

}  // namespace perfkit::fuzz

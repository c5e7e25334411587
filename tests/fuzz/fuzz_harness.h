// One fuzz input through one reader, shared by the libFuzzer targets (tests/fuzz/fuzz_*.cpp) and
// the corpus replay test (tests/fuzz_replay_test.cpp), so a crasher kept in the corpus is re-run
// by every ordinary build. The contract under test: on any bytes a reader either fills a Profile
// or throws InputError/UsageError; anything else escaping (another exception, a crash, a sanitizer
// report, a hang, unbounded memory) is a finding. After a successful read the cheap analyses that
// every command runs (info's summary, top's aggregate, the flame tree, the folded writer) run too,
// since a reader that accepts a malformed model passes the crash downstream.
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
#include "formats/folded/folded_writer.h"
#include "lib/aggregate.h"
#include "lib/flame.h"
#include "lib/summary.h"
#endif

namespace perfkit::fuzz {

enum class Target {
  kPprof, kChrome, kTable, kFolded, kSpeedscope, kGunzip, kDetect, kCpuprofile, kPerf, kCallgrind,
  kPstats
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
};

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

inline const char* target_name(Target t) {
  for (const auto& spec : kTargets)
    if (spec.target == t) return spec.name;
  return "";
}

inline void read_with(Target t, const InputBuffer& in, const ReadOptions& opts) {
#ifndef PERFKIT_FUZZ_READER_ONLY
  // The way the CLI reads with --input-format NAME: the reader, then read_profile's own checks
  // (sample values whose sum passes int64 are refused there, before any analysis adds them up).
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

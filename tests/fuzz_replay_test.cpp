// Replays every file of every fuzz corpus (tests/fuzz/corpus/<target>/: seeds from testdata and
// the crashers the fuzzers found) through every reader, in every build: the fuzz harness's
// contract (a Profile or an InputError/UsageError, nothing else) checked without clang or
// libFuzzer. Under build-asan it is also a sanitizer run over all of them.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_harness.h"

namespace fs = std::filesystem;
using namespace perfkit::fuzz;

namespace {

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  fs::path root = fs::path(PERFKIT_SOURCE_DIR) / "tests" / "fuzz" / "corpus";
  if (!fs::exists(root)) return files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("fuzz corpora replay through every reader without escaping errors") {
  auto files = corpus_files();
  REQUIRE(files.size() >= 20);  // the seeds are committed; an empty corpus would test nothing
  size_t accepted = 0, refused = 0;
  for (const auto& f : files) {
    std::string bytes = slurp(f);
    for (const auto& t : kTargets) {
      INFO("target " << std::string(t.name) << " on " << f.string());
      bool ok = false;
      CHECK_NOTHROW(ok = run_one(t.target, reinterpret_cast<const uint8_t*>(bytes.data()),
                                 bytes.size()));
      ok ? ++accepted : ++refused;
    }
  }
  // Both outcomes occur: the seeds include good files (read) and damaged ones (refused).
  CHECK(accepted > 0);
  CHECK(refused > 0);
}

TEST_CASE("each target's own good seeds are read by it") {
  // A harness that refused everything would pass the replay above; these must be accepted.
  struct Case {
    Target t;
    const char* file;
  };
  const Case cases[] = {
      {Target::kPprof, "pprof/seed-go_heap.pb"},
      {Target::kChrome, "chrome/seed-array.json"},
      {Target::kTable, "table/seed-yappi_wide_baseline.txt"},
      {Target::kFolded, "folded/seed-small.folded"},
      {Target::kSpeedscope, "speedscope/seed-evented.json"},
      {Target::kGunzip, "gunzip/seed-folded.gz"},
      {Target::kDetect, "chrome/seed-jsonl.json"},
      {Target::kCpuprofile, "cpuprofile/seed-node_cpu.cpuprofile"},
      {Target::kCallgrind, "callgrind/seed-yappi.callgrind"},
      {Target::kCallgrind, "callgrind/seed-valgrind_cache.callgrind.out"},
      {Target::kPstats, "pstats/seed-cprofile.prof"},
      {Target::kPstats, "pstats/seed-yappi.pstat"},
      {Target::kChrome, "chrome/seed-profile-chunks.json"},
      {Target::kPerf, "perf/seed-cpp_srcline.perf.txt"},
      {Target::kPerf, "perf/seed-odd-headers.perf.txt"},
      {Target::kAnalyses, "analyses/seed-pprof-go_cpu_base.pb"},
      {Target::kAnalyses, "analyses/seed-hostile-deep-x.json"},
      {Target::kWriters, "writers/seed-folded-diff.folded"},
      {Target::kWriters, "writers/seed-hostile-inline-bomb.pb"},
  };
  fs::path root = fs::path(PERFKIT_SOURCE_DIR) / "tests" / "fuzz" / "corpus";
  const bool have_chrome = perfkit::probe_chrome("[{\"ph\":\"X\",\"ts\":0}]") != perfkit::Probe::kNo;
  for (const auto& c : cases) {
    INFO(std::string(c.file));
    if (!have_chrome && std::string(c.file).find("chrome/") == 0) continue;  // not landed yet
    std::string bytes = slurp(root / c.file);
    REQUIRE(!bytes.empty());
    CHECK(run_one(c.t, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  }
}

TEST_CASE("the crashers the fuzzers found are refused by their target, with an InputError") {
  // Each was a sanitizer report or an escaping exception before its fix; now a clean exit 3.
  struct Case {
    Target t;
    const char* file;
  };
  const Case cases[] = {
      {Target::kSpeedscope, "speedscope/crash-wrong-type-field.json"},   // 6759d78
      {Target::kFolded, "folded/crash-value-sum-past-int64.folded"},     // summarize overflow
      {Target::kTable, "table/crash-calls-sum-past-int64.txt"},          // aggregate overflow
      {Target::kCallgrind, "callgrind/crash-fn-before-events.callgrind"},  // empty cost slots
      {Target::kPstats, "pstats/crash-long-zero-digits-shift.prof"},       // shift past 63
  };
  fs::path root = fs::path(PERFKIT_SOURCE_DIR) / "tests" / "fuzz" / "corpus";
  for (const auto& c : cases) {
    INFO(std::string(c.file));
    std::string bytes = slurp(root / c.file);
    REQUIRE(!bytes.empty());
    bool ok = true;
    CHECK_NOTHROW(ok = run_one(c.t, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    CHECK_FALSE(ok);
  }
}

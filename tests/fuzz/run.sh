#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and runs each one, one at
# a time, for SECONDS (default 60) on a scratch copy of its seed corpus. A crash, a leak, a timeout
# (a single input over 10 s) or an out-of-memory (over 2 GiB RSS) stops that target; the input is
# saved as build-fuzz/findings/<target>/crash-* (or timeout-*, oom-*). Copy a finding into
# tests/fuzz/corpus/<target>/ as crash-<what> once fixed: the replay test keeps it fixed.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (SECONDS 0: build only)  targets: pprof chrome table folded speedscope gunzip detect cpuprofile perf callgrind pstats analyses writers
# Prints one summary line per target: executions per second and coverage (libFuzzer's cov:/ft:).
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(pprof chrome table folded speedscope gunzip detect cpuprofile perf callgrind pstats analyses writers)

if ! command -v clang++ >/dev/null; then
  echo "run.sh: clang++ not found (apt-get install clang libclang-rt-dev, or libclang-rt-14-dev)" >&2
  exit 2
fi
# FUZZ_BIN_DIR=build-fuzz-direct: use binaries from tests/fuzz/build_direct.sh instead of building.
bin=${FUZZ_BIN_DIR:-build-fuzz/tests/fuzz}
mkdir -p build-fuzz
if [[ -z "${FUZZ_BIN_DIR:-}" ]]; then
cmake -S . -B build-fuzz -DPERFKIT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >build-fuzz/build.log 2>&1 \
  || { tail -30 build-fuzz/build.log; exit 2; }
fi
((secs > 0)) || { echo "built: $(printf "$bin/fuzz_%s " "${targets[@]}")"; exit 0; }

status=0
for t in "${targets[@]}"; do
  work=build-fuzz/work/$t findings=build-fuzz/findings/$t
  rm -rf "$work"; mkdir -p "$work" "$findings"
  cp tests/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
  stamp=build-fuzz/work/.$t.start; touch "$stamp"
  log=build-fuzz/fuzz_$t.log
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin"/fuzz_"$t" "$work" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -malloc_limit_mb=1536 -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 \
      >"$log" 2>&1
  rc=$?
  # Findings of this run only (older ones stay in the directory until copied to the corpus).
  new_findings=$(find "$findings" -maxdepth 1 -type f -newer "$stamp" -printf '%f ' | head -c 300)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  rate=$(grep -E 'stat::average_exec_per_sec' "$log" | awk '{print $2}')
  cov=$(sed -nE 's/.*cov: ([0-9]+) ft: ([0-9]+).*/cov \1 ft \2/p' <<<"$last")
  corp=$(sed -nE 's/.*corp: ([0-9]+\/[0-9a-zA-Z]+).*/corpus \1/p' <<<"$last")
  if [[ ! -x "$bin/fuzz_$t" ]]; then
    status=2
    echo "fuzz_$t: not run: $bin/fuzz_$t is missing"
  elif ((rc == 0)); then
    echo "fuzz_$t: ok  ${secs}s  ${execs:-?} runs  ${rate:-?} exec/s  ${cov:-?}  ${corp:-}"
  else
    status=1
    echo "fuzz_$t: FINDING (exit $rc) after ${execs:-?} runs: ${new_findings:-(no file saved)}"
    grep -m3 -E 'ERROR: |runtime error|terminate called|Deadly|Timeout|out-of-memory' "$log" | sed 's/^/  /'
    echo "  log: $log"
  fi
done
exit $status

#!/usr/bin/env bash
# Regenerates testdata/perf/: real `perf record` + `perf script` output of the programs kept
# there (work.cpp, work.py), and the goldens in testdata/perf/expected/, which are what
# stackcollapse-perf.pl (brendangregg/FlameGraph) prints for each of those files.
#
#   tests/perf/make_perf_testdata.sh STACKCOLLAPSE_PERF_PL
#
# Needs linux-perf, g++ and Debian's /usr/bin/python3; runs in /tmp/perfkit-perf so that the
# paths in the files are the same on every run. perf_event_open must be allowed for the user
# (kernel.perf_event_paranoid <= 2 suffices: the software event cpu-clock and page-faults are
# used, since hardware counters are often not available in a VM or container).
# Not part of the test suite: the recorded samples differ on every run, so rerun the goldens
# whenever the inputs are regenerated.
set -euo pipefail
SCRIPT=${1:?usage: $0 PATH/TO/stackcollapse-perf.pl}
SCRIPT=$(readlink -f "$SCRIPT")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$SRC/testdata/perf
W=/tmp/perfkit-perf
rm -rf "$W" && mkdir -p "$W" "$OUT/expected"
cp "$OUT/work.cpp" "$OUT/work.py" "$W/"
cd "$W"
g++ -O1 -g -fno-omit-frame-pointer -pthread work.cpp -o work

rec() { perf record -q "$@" 2>&1 | grep -v '^\[ perf record' >&2 || true; }

# Two threads ("work" and "hasher thread"), call graphs from frame pointers.
rec -g --sample-cpu -e cpu-clock -F 499 -o cpp.data ./work 400
perf script -i cpp.data >"$OUT/cpp_threads.perf.txt"
# The same samples with pid/tid, cpu and period fields chosen (what the script's --pid/--tid need).
perf script -i cpp.data -F comm,pid,tid,cpu,time,period,event,ip,sym,dso \
  >"$OUT/cpp_threads_pidtid.perf.txt"
# Two events in one file, with perf's --header comment block.
rec -g -e cpu-clock -e page-faults -F 499 -o two.data ./work 150
perf script --header -i two.data >"$OUT/cpp_two_events.perf.txt"
# Without -g: one line per sample, the sampled frame on the header line.
rec -e cpu-clock -F 499 -o flat.data ./work 100
perf script -i flat.data >"$OUT/cpp_no_callchain.perf.txt"
# With source lines under each frame (-F+srcline).
rec -g -e cpu-clock -F 199 -o src.data ./work 60
perf script -i src.data -F +srcline >"$OUT/cpp_srcline.perf.txt"
# The Python interpreter (Debian's python3) running work.py: its C frames, libc, the kernel.
rec -g -e cpu-clock -F 199 -o py.data /usr/bin/python3 work.py
perf script -i py.data >"$OUT/python3.perf.txt"

for f in "$OUT"/*.perf.txt; do
  b=$(basename "$f" .perf.txt)
  perl "$SCRIPT" "$f" >"$OUT/expected/$b.folded" 2>/dev/null
done
perl "$SCRIPT" --pid "$OUT/cpp_threads_pidtid.perf.txt" >"$OUT/expected/cpp_threads_pidtid.pid.folded"
perl "$SCRIPT" --tid "$OUT/cpp_threads_pidtid.perf.txt" >"$OUT/expected/cpp_threads_pidtid.tid.folded"
perl "$SCRIPT" --tid "$OUT/cpp_threads.perf.txt" >"$OUT/expected/cpp_threads.tid.folded"
ls -l "$OUT" "$OUT/expected"

#!/usr/bin/env bash
# One unit style (lib/units: 3 significant digits, trailing zeros dropped) wherever perfkit prints
# a value for a person: info, top/tree of non-pprof inputs, top --format md, report, diff, gate.
# pprof input keeps go tool pprof's labels in top/tree (cli.pprof_sweep compares them whole).
# The HTML report's script is checked against the same functions by the units_js test.
. "$(dirname "$0")/lib.bash"
T=testdata/chrome/clang_ftime_trace.json  # wall total 11825320000 ns
CPU=testdata/pprof/go_cpu_slow_regex.pb.gz
HEAP=testdata/pprof/go_heap.pb.gz

# The trace's total reads 11.8s in every human output.
expect_exit 0 "$PK" info "$T"
expect_grep "$TMP/out" '^  value type:  wall/nanoseconds  total 11825320000 \(11\.8s\)  \[default\]$'
expect_grep "$TMP/out" '^  duration:    11\.8s$'
expect_exit 0 "$PK" top "$T" -n 2
expect_grep "$TMP/out" '^Showing nodes accounting for 3\.42s, 28\.9% of 11\.8s total$'
expect_grep "$TMP/out" '^ +2\.37s +20\.1% +20\.1% +2\.57s +21\.7% +3216 +800us  RunPass$'
expect_exit 0 "$PK" tree "$T" -n 1
expect_grep "$TMP/out" '^ +2\.37s +20\.1% +20\.1% +2\.57s +21\.7% +\| RunPass$'
expect_exit 0 "$PK" top "$T" -n 1 --format md
expect_grep "$TMP/out" '^\*\*wall\*\* \(nanoseconds\), total \*\*11\.8s\*\*'
expect_grep "$TMP/out" '^\| 1 \| 2\.37s \| 20\.1% \| 20\.1% \| 2\.57s \| 21\.7% \|'
expect_exit 0 "$PK" report "$T" -n 1
expect_grep "$TMP/out" 'wall total 11\.8s over 11\.8s'
expect_grep "$TMP/out" 'the most self wall is in RunPass \(2\.37s, 20\.1%\)'
expect_exit 0 "$PK" diff "$T" "$T" -n 1
expect_grep "$TMP/out" '^New:  .* \(total 11\.8s, 0 0%\)$'
# --unit asks for pprof's labels in that unit.
expect_exit 0 "$PK" top "$T" -n 1 --unit ms
expect_grep "$TMP/out" '^ +2371\.71ms 20\.06% 20\.06% +2571\.39ms 21\.74%'

# Sizes and counts: 1024-based with IEC names; millions as M.
expect_exit 0 "$PK" info "$HEAP"
expect_grep "$TMP/out" 'alloc_space/bytes  total 3456061203 \(3\.22GiB\)$'
expect_grep "$TMP/out" 'inuse_space/bytes  total 3155229 \(3\.01MiB\)  \[default\]$'
expect_grep "$TMP/out" 'alloc_objects/count  total 13200004 \(13\.2M\)$'
expect_grep "$TMP/out" 'inuse_objects/count  total 3923$'

# pprof input: pprof's labels in top, perfkit's in top --format md, report, diff and gate.
expect_exit 0 "$PK" top "$CPU" -n 1
expect_grep "$TMP/out" '^Duration: 5\.12s, Total samples = 8\.50s \(165\.94%\)$'
expect_grep "$TMP/out" '^ +1\.10s 12\.94% 12\.94% +1\.10s 12\.94%  runtime\.memclrNoHeapPointers$'
expect_exit 0 "$PK" top "$CPU" -n 1 --format md
expect_grep "$TMP/out" '^\| 1 \| 1\.1s \| 12\.9% \| 12\.9% \| 1\.1s \| 12\.9% \|'
expect_exit 1 "$PK" gate testdata/pprof/go_cpu_base.pb.gz "$CPU" -n 4
expect_grep "$TMP/out" 'own change \+70ms \(self \+70ms\), 1\.36% of the growth'
expect_grep "$TMP/out" 'cum 110ms -> 190ms \(\+80ms, \+72\.7%\), limit \+10%, share 2\.24%$'
expect_exit 0 "$PK" diff testdata/pprof/go_cpu_base.pb.gz "$CPU" -n 1
expect_grep "$TMP/out" '^New:  .* \(total 8\.5s, \+380ms \+4\.68%\)$'

# Below 0.001% a share says so; a column widens to its widest cell.
expect_exit 0 "$PK" top testdata/callgrind/cpp_work.callgrind.out -n 0 --nodefraction 0
expect_grep "$TMP/out" '^ +1 +<0\.001% +100% '
python3 - "$TMP/out" <<'PY' || fail "top columns not aligned"
import sys
rows = [l for l in open(sys.argv[1]) if "%" in l and not l.startswith(("Showing", "Dropped"))]
ends = {tuple(i for i, c in enumerate(l) if c == "%") for l in rows}
assert len(ends) == 1, sorted(ends)[:4]
PY
finish

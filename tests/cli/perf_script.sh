#!/usr/bin/env bash
# perf script text (testdata/perf/, recorded here by tests/perf/make_perf_testdata.sh): the folded
# stacks `convert --to folded` prints must equal stackcollapse-perf.pl's output on the same file
# (testdata/perf/expected/*.folded, made by that script), with its --pid/--tid as --perf-root;
# info/top on each file, labels, two events, output without -g, round trips, bad input.
. "$(dirname "$0")/lib.bash"
D=testdata/perf

same_as_script() {  # same_as_script INPUT GOLDEN [OPTIONS...]
  local in=$1 golden=$2; shift 2
  expect_exit 0 "$PK" convert "$D/$in" --to folded "$@"
  if ! diff -u "$D/expected/$golden" "$TMP/out" >"$TMP/diff"; then
    fail "convert $in --to folded $* differs from stackcollapse-perf.pl ($golden):"
    head -20 "$TMP/diff" | sed 's/^/  /'
  fi
}
for f in cpp_threads cpp_threads_pidtid cpp_two_events cpp_srcline python3; do
  same_as_script "$f.perf.txt" "$f.folded"
done
same_as_script cpp_threads_pidtid.perf.txt cpp_threads_pidtid.pid.folded --perf-root pid
same_as_script cpp_threads_pidtid.perf.txt cpp_threads_pidtid.tid.folded --perf-root tid
# perf's default fields print no pid: the script writes '?' for it
same_as_script cpp_threads.perf.txt cpp_threads.tid.folded --perf-root tid
expect_grep "$D/expected/cpp_threads.tid.folded" '^work-\?/[0-9]+;'

# detection by content, info, top
for f in "$D"/*.perf.txt; do
  expect_exit 0 "$PK" info --format json "$f"
  expect_grep "$TMP/out" '"format": "perf"'
done
n=$(grep -c '^$' "$D/cpp_threads.perf.txt")
expect_exit 0 "$PK" info --format json "$D/cpp_threads.perf.txt"
expect_grep "$TMP/out" "\"samples\": $n,"
expect_exit 0 "$PK" top -n 5 "$D/cpp_threads.perf.txt"
expect_grep "$TMP/out" 'work::fib'
expect_grep "$TMP/out" 'Type: cpu-clock'

# labels: the comm of each thread ("hasher thread" has a space; the folded root frame has '_')
expect_exit 0 "$PK" top -n 0 --tagfocus 'comm=hasher thread' "$D/cpp_threads.perf.txt"
expect_grep "$TMP/out" 'work::Hasher::hash'
grep -q 'work::fib' "$TMP/out" && fail "--tagfocus comm kept the main thread's work::fib"

# two events: both kept as value types; the default is the first, as the script's filter
expect_exit 0 "$PK" info --format json "$D/cpp_two_events.perf.txt"
expect_grep "$TMP/out" 'page-faults'
expect_grep "$TMP/err" '2 events \((page-faults, cpu-clock|cpu-clock, page-faults)\)'
pf=$(grep -v '^#' "$D/cpp_two_events.perf.txt" | grep -c ' page-faults: *$')
expect_exit 0 "$PK" convert "$D/cpp_two_events.perf.txt" --to folded --sample-index page-faults_samples
got=$(awk '{s += $NF} END {print s}' "$TMP/out")
[[ "$got" == "$pf" ]] || fail "page-faults samples: $got folded, $pf headers in the file"

# without -g the script prints nothing; every line is one sample with its own frame
lines=$(grep -vc '^$' "$D/cpp_no_callchain.perf.txt")
expect_exit 0 "$PK" convert "$D/cpp_no_callchain.perf.txt" --to folded --sample-index samples
got=$(awk '{s += $NF} END {print s}' "$TMP/out")
[[ "$got" == "$lines" ]] || fail "no callchain: $got samples folded, $lines lines in the file"
expect_grep "$TMP/out" '^work;work::fib [0-9]+$'

# round trip through pprof keeps the stacks and weights
expect_exit 0 "$PK" convert "$D/cpp_threads.perf.txt" --to pprof -o "$TMP/t.pb.gz"
expect_exit 0 "$PK" convert "$TMP/t.pb.gz" --to folded
diff -q "$D/expected/cpp_threads.folded" "$TMP/out" >/dev/null || fail "perf -> pprof -> folded differs"

# stdin, gzip
gzip -c "$D/python3.perf.txt" >"$TMP/py.perf.gz"
expect_exit 0 "$PK" convert "$TMP/py.perf.gz" --to folded
diff -q "$D/expected/python3.folded" "$TMP/out" >/dev/null || fail "gzipped perf script differs"
"$PK" convert - --to folded <"$D/python3.perf.txt" >"$TMP/out" 2>"$TMP/err" || fail "stdin failed"
diff -q "$D/expected/python3.folded" "$TMP/out" >/dev/null || fail "perf script on stdin differs"

# bad input: exit 3 with PATH:LINE:COL; no output file left behind; skipped lines counted
expect_exit 3 "$PK" info "$D/bad/period_overflow.perf.txt"
expect_grep "$TMP/err" "^perfkit: error: $D/bad/period_overflow.perf.txt:4:26: period [0-9]+ does not fit in 64 bits$"
expect_exit 3 "$PK" convert "$D/bad/period_overflow.perf.txt" --to folded -o "$TMP/bad.folded"
[[ -e "$TMP/bad.folded" ]] && fail "an output file was left after a failed read"
expect_exit 0 "$PK" info "$D/bad/stray_lines.perf.txt"
expect_grep "$TMP/out" 'warning: .*neither a sample header nor a stack frame were skipped \(the first at line 3\) \(2x\)'
expect_grep "$TMP/out" 'samples: +2 '
expect_exit 3 "$PK" info --input-format perf testdata/folded/small.folded
expect_grep "$TMP/err" 'no perf script samples found'
finish

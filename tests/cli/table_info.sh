#!/usr/bin/env bash
# Function tables through `perfkit info`: row counts, flavors, the malformed-row error (exit 3,
# PATH:LINE:COL), stdin, and no output file left behind after a failure.
. "$(dirname "$0")/lib.bash"

check_rows() {  # check_rows FILE ROWS FLAVOR
  expect_exit 0 "$PK" info --format json "testdata/tables/$1"
  expect_grep "$TMP/out" "\"rows\": $2,"
  expect_grep "$TMP/out" "\"format\": \"table\""
  expect_grep "$TMP/out" "\"flavor\": \"$3\""
}
check_rows yappi_default_columns.txt 16 yappi
check_rows yappi_wide_baseline.txt 16 yappi-wide
check_rows yappi_wide_optimized.txt 16 yappi-wide
check_rows cprofile_cumulative.txt 32 cprofile
check_rows yappi_threads.txt 4 yappi-threads

# yappi thread stats: each thread's ttot and scnt as the YThreadStat objects of the same run gave
# them (expected/yappi_threads.tsv: name id tid ttot scnt)
expect_exit 0 "$PK" top --format json testdata/tables/yappi_threads.txt
python3 - "$TMP/out" testdata/tables/expected/yappi_threads.tsv <<'PY' || fail "thread rows differ from yappi's stats"
import json, sys
rows = {r["name"]: r for r in json.load(open(sys.argv[1]))["rows"]}
want = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert len(rows) == len(want), (len(rows), len(want))
for name, id_, tid, ttot, scnt in want:
    r = rows["%s %s (tid %s)" % (name, id_, tid)]
    assert abs(r["flat"] - float(ttot)) < 1e-9 and r["cum"] == r["flat"], (r, ttot)
    assert r["calls"] == int(scnt), (r, scnt)
PY
# next to a function table, thread stats are counted and left out
{ cat testdata/tables/yappi_default_columns.txt; echo; cat testdata/tables/yappi_threads.txt; } >"$TMP/both.txt"
expect_exit 0 "$PK" info --format json "$TMP/both.txt"
expect_grep "$TMP/out" '"rows": 16,'
expect_grep "$TMP/err" "rows of yappi's thread stats were left out"

# the cut count is said once, on stderr and in the JSON
expect_exit 0 "$PK" info --format json testdata/tables/yappi_default_columns.txt
expect_grep "$TMP/out" "call counts cut short"
expect_grep "$TMP/err" "warning: testdata/tables/yappi_default_columns.txt: call counts cut short"
expect_exit 0 "$PK" info testdata/tables/yappi_default_columns.txt
expect_grep "$TMP/out" "clock type: +CPU"

# stdin
"$PK" info --format json - <testdata/tables/cprofile_cumulative.txt >"$TMP/out" 2>"$TMP/err" ||
  fail "stdin read failed"
expect_grep "$TMP/out" '"rows": 32,'

# bad tables: exit 3 with PATH:LINE:COL
expect_exit 3 "$PK" info testdata/tables/bad/malformed_row.txt
expect_grep "$TMP/err" "^perfkit: error: testdata/tables/bad/malformed_row.txt:10:46: expected a number in column tsub, got 'abc'$"
expect_exit 3 "$PK" info testdata/tables/bad/missing_column.txt
expect_grep "$TMP/err" "testdata/tables/bad/missing_column.txt:8:[0-9]+: missing column tavg"
expect_exit 3 "$PK" info testdata/tables/bad/cprofile_bad_ncalls.txt
expect_grep "$TMP/err" "testdata/tables/bad/cprofile_bad_ncalls.txt:8:6: expected a call count"
expect_exit 3 "$PK" info testdata/tables/bad/yappi_threads_bad_tid.txt
expect_grep "$TMP/err" "^perfkit: error: testdata/tables/bad/yappi_threads_bad_tid.txt:4:23: expected a number in column tid, got '13963111487x512'$"
expect_exit 3 "$PK" info --format json -o "$TMP/info.json" testdata/tables/bad/malformed_row.txt
[[ -e "$TMP/info.json" ]] && fail "an output file was left after a failed read"
finish

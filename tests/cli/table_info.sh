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
expect_exit 3 "$PK" info --format json -o "$TMP/info.json" testdata/tables/bad/malformed_row.txt
[[ -e "$TMP/info.json" ]] && fail "an output file was left after a failed read"
finish

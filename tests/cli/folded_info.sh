#!/usr/bin/env bash
# Folded stacks through `perfkit info`: totals, distinct stacks, decimal and differential forms,
# bad lines (exit 3, PATH:LINE:COL), stdin, and gzip.
. "$(dirname "$0")/lib.bash"

expect_exit 0 "$PK" info --format json testdata/folded/small.folded
expect_grep "$TMP/out" '"format": "folded"'
expect_grep "$TMP/out" '"total": 21'
expect_grep "$TMP/out" '"samples": 4,'
expect_grep "$TMP/out" '"stacks": 3,'

expect_exit 0 "$PK" info --format json testdata/folded/fractional.folded
expect_grep "$TMP/out" '"total": 3.75$'

expect_exit 0 "$PK" info --format json testdata/folded/diff.folded
expect_grep "$TMP/out" '"flavor": "folded-diff"'
expect_grep "$TMP/out" '"type": "base"'
expect_grep "$TMP/out" '"type": "new"'

gzip -c testdata/folded/small.folded >"$TMP/small.folded.gz"
expect_exit 0 "$PK" info --format json "$TMP/small.folded.gz"
expect_grep "$TMP/out" '"total": 21'
"$PK" info --format json - <testdata/folded/small.folded >"$TMP/out" 2>"$TMP/err" || fail "stdin"
expect_grep "$TMP/out" '"total": 21'

expect_exit 3 "$PK" info testdata/folded/bad_empty_frame.folded
expect_grep "$TMP/err" "^perfkit: error: testdata/folded/bad_empty_frame.folded:2:6: empty frame name"
expect_exit 3 "$PK" info testdata/folded/bad_no_count.folded
expect_grep "$TMP/err" "^perfkit: error: testdata/folded/bad_no_count.folded:2:7: expected"
printf 'a;b 1\na;b 2x\n' >"$TMP/bad.folded"
expect_exit 3 "$PK" info --input-format folded "$TMP/bad.folded"
expect_grep "$TMP/err" "bad.folded:2:5: expected a count"
finish

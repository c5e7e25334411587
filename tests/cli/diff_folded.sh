#!/usr/bin/env bash
# perfkit diff on folded stacks: whole and fractional counts compare (converted to one scale).
. "$(dirname "$0")/lib.bash"
printf 'main;a;b 10\nmain;c 5\n' >"$TMP/base.folded"
printf 'main;a;b 14\nmain;c 5\nmain;d 0.5\n' >"$TMP/new.folded"
expect_exit 0 "$PK" diff "$TMP/base.folded" "$TMP/new.folded" --format csv
expect_grep "$TMP/out" '^b,,0,10,14,10,14,4,4,40.00,changed,$'
expect_grep "$TMP/out" '^d,,0,0,0.5,0,0.5,0.5,0.5,inf,added,$'
expect_grep "$TMP/out" '^c,,0,5,5,5,5,0,0,0.00,unchanged,$'
expect_exit 1 "$PK" gate "$TMP/base.folded" "$TMP/new.folded"
expect_grep "$TMP/out" "^FAIL total: total samples 15 -> 19.5 \(\+4.5, \+30%\), limit \+5%"
finish

#!/usr/bin/env bash
# perfkit info and the shared CLI behaviour: help, version, usage errors, unreadable inputs.
. "$(dirname "$0")/lib.bash"

expect_exit 0 "$PK" --help
expect_grep "$TMP/out" "info"
expect_exit 0 "$PK" --version
expect_grep "$TMP/out" "^perfkit [0-9]+\.[0-9]+"
expect_exit 0 "$PK" info --help
expect_grep "$TMP/out" "Example"

expect_exit 2 "$PK"
expect_exit 3 "$PK" info </dev/null  # no file: standard input, here empty
expect_exit 2 "$PK" info --no-such-flag x
expect_exit 2 "$PK" info --format yaml testdata/pprof/go_heap.pb.gz
expect_exit 2 "$PK" info --input-format nope testdata/pprof/go_heap.pb.gz

expect_exit 3 "$PK" info "$TMP/missing.pb.gz"
expect_grep "$TMP/err" "^perfkit: error: .*missing.pb.gz: cannot open"
expect_exit 3 "$PK" info "$TMP"
expect_grep "$TMP/err" "is a directory"
: >"$TMP/empty"
expect_exit 3 "$PK" info "$TMP/empty"
expect_grep "$TMP/err" "empty.*empty input"
printf '\x00\x01\x02garbage' >"$TMP/junk"
expect_exit 3 "$PK" info "$TMP/junk"
expect_grep "$TMP/err" "junk: byte"

# A truncated gzip names the file and the byte offset.
head -c 3000 testdata/pprof/go_cpu_base.pb.gz >"$TMP/cut.pb.gz"
expect_exit 3 "$PK" info "$TMP/cut.pb.gz"
expect_grep "$TMP/err" "cut.pb.gz: byte [0-9]+: gzip"

# A gzip bomb is bounded: 50 MB of zeros refused under a 1 MiB limit.
head -c 50000000 /dev/zero | gzip -c >"$TMP/bomb.gz"
expect_exit 3 "$PK" info --max-input-size 1MiB "$TMP/bomb.gz"
expect_grep "$TMP/err" "limit"

# Output to a full device is an error exit, not silent truncation.
if [[ -w /dev/full ]]; then
  expect_exit 4 "$PK" info testdata/tables/yappi_wide_baseline.txt -o /dev/full
fi
# An output file is never left half-written; an existing one is untouched on failure.
echo keep >"$TMP/out.txt"
expect_exit 3 "$PK" info "$TMP/empty" -o "$TMP/out.txt"
[[ "$(cat "$TMP/out.txt")" == keep ]] || fail "existing output was modified on failure"
ls "$TMP"/out.txt.tmp-* >/dev/null 2>&1 && fail "temporary output left behind"

finish

#!/usr/bin/env bash
# Bad pprof inputs in testdata/bad: exit 3, "perfkit: error: PATH: byte N: what", and the text in
# PATH.expected. How they were made: pprof_bad_string_index.pb is a hand-encoded 5-string profile
# whose function name is string 99; pprof_concatenated.pb is a valid small profile (with
# time_nanos) written twice; pprof_truncated.pb.gz is the first 2500 bytes of go_heap.pb.gz.
. "$(dirname "$0")/lib.bash"

n=0
for expected in testdata/bad/pprof_*.expected; do
  input=${expected%.expected}
  n=$((n + 1))
  expect_exit 3 "$PK" info "$input"
  expect_grep "$TMP/err" "^perfkit: error: $input: byte [0-9]+: "
  grep -qF -- "$(cat "$expected")" "$TMP/err" || fail "$input: stderr lacks '$(cat "$expected")'"
  [[ -s "$TMP/out" ]] && fail "$input: something was written to stdout"
  expect_exit 3 "$PK" info --format json "$input" -o "$TMP/info.json"
  [[ -e "$TMP/info.json" ]] && fail "$input: an output file was left after the error"
done
((n >= 3)) || fail "expected at least 3 bad pprof inputs, found $n"

# The byte offsets are the exact places: the name field of the bad function, the second
# time_nanos field, the end of the cut gzip stream.
expect_exit 3 "$PK" info testdata/bad/pprof_bad_string_index.pb
expect_grep "$TMP/err" ": byte 28: function.name"
expect_exit 3 "$PK" info testdata/bad/pprof_concatenated.pb
expect_grep "$TMP/err" ": byte 140: concatenated"
expect_exit 3 "$PK" info testdata/bad/pprof_truncated.pb.gz
expect_grep "$TMP/err" ": byte 2500: gzip"

finish

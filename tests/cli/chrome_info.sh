#!/usr/bin/env bash
# Chrome traces through `perfkit info`: corpus phase counts, a cut-short trace (exit 0 and a
# warning naming the file), and syntax errors in the middle (exit 3 with the byte offset).
. "$(dirname "$0")/lib.bash"

expect_exit 0 "$PK" info --format json testdata/chrome/clang_ftime_trace.json
python3 - "$TMP/out" <<'PY' || fail "clang events_by_phase is not {M: 2, X: 30820}"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["events_by_phase"] == {"M": 2, "X": 30820}, d["events_by_phase"]
assert d["format"] == "chrome" and d["flavor"] == "object"
PY

expect_exit 0 "$PK" info --format json testdata/chrome/node_trace_events.json
python3 - "$TMP/out" <<'PY' || fail "node events_by_phase differ from the corpus README"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["events_by_phase"] == {"B": 11, "E": 11, "I": 6, "M": 18, "X": 130, "b": 362, "e": 353}, d
PY
expect_grep "$TMP/err" "warning: testdata/chrome/node_trace_events.json: async b events never ended.*\(9x\)"

# Cut in the middle of an event: complete events kept, one skipped, exit 0.
head -c 50960 testdata/chrome/node_trace_events.json > "$TMP/cut.json"
expect_exit 0 "$PK" info --format json "$TMP/cut.json"
expect_grep "$TMP/err" "warning: $TMP/cut.json: trace cut short at byte [0-9]+: 1 incomplete event skipped, 299 complete events kept"

# JSON-lines with a cut last line.
expect_exit 0 "$PK" info testdata/chrome/fragments/worker-1-head.jsonl
expect_grep "$TMP/out" "chrome \(jsonl\)"
expect_grep "$TMP/out" "1 line cut short at line 1501 \(byte [0-9]+\) skipped"

# Syntax errors in the middle are errors, not cuts.
expect_exit 3 "$PK" info testdata/bad/chrome_syntax_error.json
expect_grep "$TMP/err" "^perfkit: error: testdata/bad/chrome_syntax_error.json: byte 99: expected ',' or '\}'"
[[ -s "$TMP/out" ]] && fail "chrome_syntax_error.json: something was written to stdout"
expect_exit 3 "$PK" info testdata/chrome/bad/broken_middle_line.jsonl
expect_grep "$TMP/err" "^perfkit: error: testdata/chrome/bad/broken_middle_line.jsonl: byte 104: line 2: "

# Standard input works too.
expect_exit 0 "$PK" info - < testdata/chrome/nesting_array.json
expect_grep "$TMP/out" "chrome \(array\)"

finish

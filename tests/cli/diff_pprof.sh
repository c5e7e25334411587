#!/usr/bin/env bash
# perfkit diff on the Go corpus: the regexp compilation path leads, formats match their goldens,
# exit codes 0/2/3.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/diff_golden.bash"
BASE=testdata/pprof/go_cpu_base.pb.gz
NEW=testdata/pprof/go_cpu_slow_regex.pb.gz

expect_exit 0 "$PK" diff --help
expect_grep "$TMP/out" "perfkit diff"
expect_grep "$TMP/out" "--normalize"

for fmt in text json csv md; do
  expect_exit 0 "$PK" diff "$BASE" "$NEW" -n 25 --format $fmt
  golden diff/slow_regex.$fmt "$TMP/out"
done

# The top matched regression is main.matchAll (its callees regexp.* are new in NEW), with the
# deltas go tool pprof -diff_base prints: flat -0.02s, cum +4.46s.
expect_exit 0 "$PK" diff "$BASE" "$NEW" --format json
python3 - "$TMP/out" <<'PY' || fail "json: main.matchAll is not the top matched regression"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["value_type"] == {"type": "cpu", "unit": "nanoseconds"}, d["value_type"]
assert d["base_total"] == 8120000000 and d["new_total"] == 8500000000
rows = d["rows"]
assert set(rows[0]) >= {"name", "file", "base_flat", "new_flat", "base_cum", "new_cum",
                        "delta_flat", "delta_cum", "status"}
top = [r for r in rows if r["status"] == "changed" and r["delta_cum"] > 0][0]
assert top["name"] == "main.matchAll", top
assert top["delta_cum"] == 4460000000 and top["delta_flat"] == -20000000, top
assert rows[0]["name"] == "regexp.compile" and rows[0]["status"] == "added"
for r in rows:
    assert r["delta_cum"] == r["new_cum"] - r["base_cum"]
    assert r["delta_flat"] == r["new_flat"] - r["base_flat"]
PY

# Identical inputs: nothing changed.
expect_exit 0 "$PK" diff "$BASE" "$BASE" --format csv
[[ $(grep -vc ',unchanged,' "$TMP/out") == 1 ]] || fail "a file against itself: every row unchanged"

# Options: normalize, by file, sort, -o, focus.
expect_exit 0 "$PK" diff "$BASE" "$NEW" --normalize --format json -n 3
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["normalized"] and d["normalized_to"] == "base" and d["base_total"]==d["base_total_raw"] and abs(d["new_total"]-d["base_total"]) < 1e-4*d["base_total"] and d["new_total_raw"]==8500000000, d' "$TMP/out" || fail "normalize (pprof direction: the new run scaled to the base total, each sample rounded)"
expect_exit 0 "$PK" diff "$BASE" "$NEW" --normalize-to-new --format json -n 3
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["normalized_to"] == "new" and d["base_total"]==d["new_total"]==8500000000, d' "$TMP/out" || fail "--normalize-to-new"
expect_exit 0 "$PK" diff "$BASE" "$NEW" --by file -n 3
expect_grep "$TMP/out" "regexp/regexp.go|regexp/syntax/"
expect_exit 0 "$PK" diff "$BASE" "$NEW" --focus 'main\.matchAll' --sort name -n 0 -o "$TMP/d.txt"
[[ -s "$TMP/d.txt" && ! -s "$TMP/out" ]] || fail "-o writes the file, not stdout"
grep -q 'compress' "$TMP/d.txt" && fail "--focus main.matchAll kept compress"

# Exit 2: usage. Exit 3: unreadable or incomparable input, with the reason.
expect_exit 2 "$PK" diff "$BASE"
expect_exit 2 "$PK" diff "$BASE" "$NEW" --sort size
expect_grep "$TMP/err" "expected delta-cum"
expect_exit 2 "$PK" diff "$BASE" "$NEW" --format yaml
expect_exit 2 "$PK" diff "$BASE" "$NEW" --sample-index nope
expect_exit 3 "$PK" diff "$BASE" "$TMP/missing.pb.gz"
expect_exit 3 "$PK" diff "$BASE" testdata/pprof/go_heap.pb.gz
expect_grep "$TMP/err" "cannot compare with .*go_cpu_base.pb.gz: the base measures cpu/nanoseconds, this measures inuse_space/bytes"
finish

#!/usr/bin/env bash
# perfkit diff on two yappi /stats tables: every function of both matched (even <genexpr>, whose
# line moved), the _score and _normalize improvements shown; CPU vs WALL refused.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/diff_golden.bash"
BASE=testdata/tables/yappi_wide_baseline.txt
NEW=testdata/tables/yappi_wide_optimized.txt

expect_exit 0 "$PK" diff "$BASE" "$NEW"
golden diff/yappi_wide.text "$TMP/out"
expect_exit 0 "$PK" diff "$BASE" "$NEW" --format json
golden diff/yappi_wide.json "$TMP/out"
python3 - "$TMP/out" "$BASE" "$NEW" <<'PY' || fail "tables: matching or improvements"
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["value_type"] == {"type": "time", "unit": "seconds"}, d["value_type"]
def names(path):
    out = set()
    for line in open(path):
        m = re.match(r"^(\S+):(\d+) (.+?)\s{2,}", line)
        if m: out.add(m.group(3))
    return out
both = names(sys.argv[2]) & names(sys.argv[3])
assert len(both) >= 15, both
rows = {r["name"]: r for r in d["rows"]}
for n in both:
    assert rows[n]["status"] in ("changed", "unchanged"), (n, rows[n]["status"])
assert not [r for r in d["rows"] if r["status"] in ("added", "removed", "renamed")], d["rows"]
score, norm = rows["DemoVerifierServer._score"], rows["DemoVerifierServer._normalize"]
assert abs(score["base_cum"] - 0.274626) < 1e-9 and abs(score["new_cum"] - 0.007549) < 1e-9, score
assert score["delta_cum"] < 0 and norm["delta_cum"] < 0, (score, norm)
assert abs(norm["delta_cum"] - (0.016282 - 0.018632)) < 1e-9, norm
genexpr = rows["<genexpr>"]
assert genexpr["status"] == "changed" and genexpr["base_cum"] > 0 and genexpr["new_cum"] > 0
PY
expect_exit 0 "$PK" diff "$BASE" "$NEW" --format md
expect_grep "$TMP/out" '^\| `DemoVerifierServer._score` \| changed \| 275ms \| 7.55ms \| -267ms \| -97.3% \|'

sed 's/Clock type: CPU/Clock type: WALL/' "$NEW" >"$TMP/wall.txt"
expect_exit 3 "$PK" diff "$BASE" "$TMP/wall.txt"
expect_grep "$TMP/err" "measured with the CPU clock, this with the WALL clock"
expect_exit 3 "$PK" diff "$BASE" testdata/pprof/go_cpu_base.pb.gz
expect_grep "$TMP/err" "the base is a function table"
finish

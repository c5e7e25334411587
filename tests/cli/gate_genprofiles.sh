#!/usr/bin/env bash
# perfkit diff/gate on genprofiles.py's synthetic workload (small, pprof only, under /tmp):
# the printed regressed function is the top cum regression and fails the gate, the improved one
# shows as an improvement; 5 base runs against 5 other base runs pass (noise is not a regression),
# 5 base against 5 new fail; 3 per side cannot reach p < 0.05 and the output says so.
. "$(dirname "$0")/lib.bash"
GEN="$SRC/../shared/tools/genprofiles.py"
if ! command -v python3 >/dev/null || [[ ! -f "$GEN" ]]; then
  echo "SKIP: needs python3 and $GEN (the shared tools next to the checkout)"; exit 0
fi
gen() {  # gen VARIANT SEED
  python3 "$GEN" "$TMP/$1$2" --scale small --variant "$1" --sample-seed "$2" --only pprof
}
# Ten base runs and five new ones, two at a time.
for s in 1 2 3 4 5 6 7 8 9 10; do echo "base $s"; done >"$TMP/jobs"
for s in 1 2 3 4 5; do echo "new $s"; done >>"$TMP/jobs"
export GEN TMP
xargs -P2 -L1 sh -c 'python3 "$GEN" "$TMP/$0$1" --scale small --variant $0 --sample-seed $1 --only pprof >"$TMP/gen-$0$1.log"' <"$TMP/jobs" ||
  { echo "FAIL: genprofiles.py failed"; exit 1; }
REGRESSED=$(sed -n 's/^regressed (3x slower): //p' "$TMP/gen-new1.log")
IMPROVED=$(sed -n 's/^improved (4x faster): //p' "$TMP/gen-new1.log")
[[ -n "$REGRESSED" && -n "$IMPROVED" ]] || { echo "FAIL: no names printed"; cat "$TMP/gen-new1.log"; exit 1; }
B=$TMP/base1/profile.pb.gz
N=$TMP/new1/profile.pb.gz

expect_exit 0 "$PK" diff "$B" "$N" --format json
python3 - "$TMP/out" "$REGRESSED" "$IMPROVED" <<'PY' || fail "diff: regressed on top, improved negative"
import json, sys
d = json.load(open(sys.argv[1]))
rows, regressed, improved = d["rows"], sys.argv[2], sys.argv[3]
top = max(rows, key=lambda r: r["delta_cum"])
assert rows[0]["name"] == regressed, (rows[0]["name"], regressed)
assert top["name"] == regressed, top
imp = [r for r in rows if r["name"] == improved][0]
assert imp["delta_cum"] < 0 and imp["status"] == "changed", imp
PY

expect_exit 1 "$PK" gate "$B" "$N"
[[ $(grep -m1 '^FAIL' "$TMP/out") == "FAIL cause: $REGRESSED ("*"grew as a whole"* ]] ||
  fail "gate: the first cause is not $REGRESSED growing as a whole: $(grep -m1 '^FAIL' "$TMP/out")"
[[ $(grep -m1 '^  FAIL function' "$TMP/out") == "  FAIL function: $REGRESSED: cum "* ]] ||
  fail "gate: the first failing function is not $REGRESSED"

expect_exit 0 "$PK" gate --base "$TMP"/base{1,2,3,4,5}/profile.pb.gz --new "$TMP"/base{6,7,8,9,10}/profile.pb.gz
expect_grep "$TMP/out" "^perfkit gate: PASS \(0 failed"

expect_exit 1 "$PK" gate --base "$TMP"/base{1,2,3,4,5}/profile.pb.gz --new "$TMP"/new{1,2,3,4,5}/profile.pb.gz --format json
python3 - "$TMP/out" "$REGRESSED" <<'PY' || fail "5 vs 5: the regressed function fails with p < 0.05"
import json, sys
d = json.load(open(sys.argv[1]))
f = [r for r in d["rules"] if r["rule"] == "function" and r["subject"] == sys.argv[2]][0]
assert f["outcome"] == "fail" and f["p_value"] < 0.05 and f["q_value"] <= 0.05, f
assert d["base_runs"] == 5 and d["new_runs"] == 5
c = d["causes"][0]
assert c["subject"] == sys.argv[2] and c["share_of_growth"] > 0.9, c
failed = [r for r in d["rules"] if r["outcome"] == "fail" and r["rule"] == "function"]
assert sum(r.get("cause") == 0 for r in failed) >= 0.9 * len(failed), "most failures under the regressed function"
PY

expect_exit 0 "$PK" gate --base "$TMP"/base{1,2,3}/profile.pb.gz --new "$TMP"/new{1,2,3}/profile.pb.gz
expect_grep "$TMP/out" "^note: with 3 run\(s\) of the base and 3 of the new input, the smallest two-sided p-value a Mann-Whitney U test can reach is 0.1, above --alpha 0.05"
finish

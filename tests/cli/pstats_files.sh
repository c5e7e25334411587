#!/usr/bin/env bash
# pstats binary files (testdata/pstats/, made by tests/make_callgrind_pstats.sh): cProfile's
# `-o out.prof` and yappi's save(type="pstat"). Every function's ncalls, tottime and cumtime, and
# every caller edge, equal Python's own pstats.Stats on the same file (tests/cli/pstats_compare.py);
# `info` on each; the table and its callers survive convert to pprof and folded (stacks made
# from the call graph: flat and cum per function equal the table's) and to table; damaged and
# hostile marshal data is exit 3 with the byte offset.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
D=testdata/pstats

if python3 -c 'import pstats' 2>/dev/null; then
  python3 tests/cli/pstats_compare.py "$PK" $D/cprofile.prof >"$TMP/cmp" 2>&1 ||
    { fail "cprofile.prof differs from pstats"; head -20 "$TMP/cmp"; }
  python3 tests/cli/pstats_compare.py "$PK" $D/yappi.pstat --yappi >"$TMP/cmp" 2>&1 ||
    { fail "yappi.pstat differs from pstats"; head -20 "$TMP/cmp"; }
else
  echo "SKIP: python3 without pstats"
fi

# info: format, flavor, rows, the yappi swap said.
expect_exit 0 "$PK" info --format json $D/cprofile.prof
python3 - "$TMP/out" <<'PY' || fail "info on cprofile.prof"
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["format"], d["flavor"]) == ("pstats", "cprofile"), (d["format"], d["flavor"])
assert d["rows"] > 10, d["rows"]
assert d["warnings"] == [], d["warnings"]
PY
expect_exit 0 "$PK" info --format json $D/yappi.pstat
python3 - "$TMP/out" <<'PY' || fail "info on yappi.pstat"
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["format"], d["flavor"]) == ("pstats", "yappi"), (d["format"], d["flavor"])
assert any("swap" in w["message"] for w in d["warnings"]), d["warnings"]
PY
expect_exit 0 "$PK" info $D/cprofile.prof
expect_grep "$TMP/out" "format: +pstats"

# To stacks and back: pprof and folded keep each function's flat (tottime) and cum (cumtime).
flat_cum() {  # flat_cum FILE: name flat-ns cum-ns, from top json
  "$PK" top "$1" -n 0 --nodefraction 0 --format json 2>/dev/null | python3 -c '
import json, sys
t = json.load(sys.stdin)
s = 1e9 if t["value_type"]["unit"] == "seconds" else 1
for r in t["rows"]:
    print(r["name"], round(r["flat"] * s), round(r["cum"] * s))' | sort
}
flat_cum $D/cprofile.prof >"$TMP/table"
expect_exit 0 "$PK" convert $D/cprofile.prof --to pprof -o "$TMP/p.pb.gz"
expect_grep "$TMP/err" "call graph becomes stacks"
flat_cum "$TMP/p.pb.gz" >"$TMP/stacks"
cmp -s "$TMP/table" "$TMP/stacks" || { fail "pstats -> pprof changes flat/cum"; diff "$TMP/table" "$TMP/stacks" | head -5; }
expect_exit 0 "$PK" convert $D/cprofile.prof --to folded -o "$TMP/p.folded"
python3 - "$TMP/p.folded" $D/cprofile.prof <<'PY' || fail "pstats -> folded: self times"
import collections, pstats, sys
self = collections.Counter()
for line in open(sys.argv[1]):
    stack, v = line.rsplit(" ", 1)
    self[stack.split(";")[-1]] += int(v)
st = pstats.Stats(sys.argv[2])
for (f, l, fn), (cc, nc, tt, ct, callers) in st.stats.items():
    name = ("{%s}" % fn[1:-1]) if (f, l) == ("~", 0) and fn.startswith("<") else fn
    assert self[name] >= 0
total = sum(round(v[2] * 1e9) for v in st.stats.values())
assert sum(self.values()) == total, (sum(self.values()), total)
PY
expect_exit 0 "$PK" flame $D/cprofile.prof -o "$TMP/p.svg"
[[ -s "$TMP/p.svg" ]] || fail "flame of a pstats file wrote nothing"
# table round trip: the rows, to the microsecond the table layout keeps.
expect_exit 0 "$PK" convert $D/cprofile.prof --to table -o "$TMP/p.txt"
expect_exit 0 "$PK" diff $D/cprofile.prof "$TMP/p.txt" --format json
python3 - "$TMP/out" <<'PY' || fail "pstats -> table -> diff is not all equal"
import json, sys
d = json.load(open(sys.argv[1]))
bad = [r for r in d["rows"] if abs(r["delta_flat"]) > 1e-6 or r["status"] not in ("unchanged", "changed")]
assert not bad, bad[:3]
PY
# peek shows pstats' callers of fib (main, and fib itself) and its callees.
expect_exit 0 "$PK" peek $D/cprofile.prof '^fib$'
expect_grep "$TMP/out" "\| +main$"

# Damaged and hostile: exit 3 with the byte offset.
head -c 300 $D/cprofile.prof >"$TMP/cut.prof"
expect_exit 3 "$PK" top "$TMP/cut.prof"
expect_grep "$TMP/err" "cut.prof: byte [0-9]+: pstats: marshal: .* cut short"
printf '\xfb)\x03r\x00\x00\x00\x00i\x01\x00\x00\x00N0' >"$TMP/cycle.prof"
expect_exit 3 "$PK" top "$TMP/cycle.prof"
expect_grep "$TMP/err" "byte 3: pstats: marshal: reference 0 to an object that contains it"
printf '\xfb)\x03r\x05\x00\x00\x00' >"$TMP/ref.prof"
expect_exit 3 "$PK" top "$TMP/ref.prof"
expect_grep "$TMP/err" "byte 3: pstats: marshal: reference 5 to an object not read yet"
printf '{)\x03z\x01ai\x01\x00\x00\x00z\x01f)\x02i\x01\x00\x00\x00N0' >"$TMP/short.prof"
expect_exit 3 "$PK" top --input-format pstats "$TMP/short.prof"
expect_grep "$TMP/err" "stats have 2 items, not 5"
python3 -c 'import marshal,sys; sys.stdout.buffer.write(marshal.dumps({("a",1,"f"): (1, 1, float("nan"), 0.0, {})}))' >"$TMP/nan.prof"
expect_exit 3 "$PK" top "$TMP/nan.prof"
expect_grep "$TMP/err" "tottime nan is not a time"
python3 -c 'import sys; sys.stdout.buffer.write(b"{" + b")" * 3 + b"(\xff\xff\xff\x7f")' >"$TMP/huge.prof"
expect_exit 3 "$PK" top --input-format pstats "$TMP/huge.prof"
expect_grep "$TMP/err" "items claimed"
finish

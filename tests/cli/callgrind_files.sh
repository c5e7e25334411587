#!/usr/bin/env bash
# callgrind files of four producers (testdata/callgrind/, made by tests/make_callgrind_pstats.sh):
# perfkit top's flat equals callgrind_annotate's exclusive cost and its cum callgrind_annotate
# --inclusive=yes, for every event (tests/cli/callgrind_compare.py, when callgrind_annotate is
# installed: valgrind, in .ci/test-packages); go tool pprof -callgrind's file equals go tool pprof
# -top on the profile it came from; `info` on each; callgrind -> pprof -> top and
# callgrind -> callgrind keep every number; our callgrind output read by callgrind_annotate gives
# perfkit top's numbers; damaged files are exit 3 with the line.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
D=testdata/callgrind
FILES=($D/valgrind.callgrind.out $D/valgrind_cache.callgrind.out $D/valgrind_jumps.callgrind.out
       $D/yappi.callgrind
       $D/pprofile.callgrind $D/go_cpu.callgrind)

# info: format, flavor, events as value types in order.
info() {  # info FILE FLAVOR EVENT... : checks info --format json
  local f=$1 flavor=$2; shift 2
  expect_exit 0 "$PK" info --format json "$f"
  python3 - "$TMP/out" "$flavor" "$@" <<'PY' || fail "info on $f"
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["format"], d["flavor"]) == ("callgrind", sys.argv[2]), (d["format"], d["flavor"])
types = [v["type"] for v in d["value_types"]]
assert types == sys.argv[3:], types
assert d["default_value_type"] == types[0], d["default_value_type"]
assert all(v["total"] > 0 for v in d["value_types"]), d["value_types"]
PY
}
info $D/valgrind.callgrind.out callgrind Ir
info $D/valgrind_cache.callgrind.out callgrind Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
info $D/valgrind_jumps.callgrind.out callgrind Ir
info $D/yappi.callgrind yappi Ticks
info $D/pprofile.callgrind pprofile hits microseconds usphit
info $D/go_cpu.callgrind "" cpu
expect_exit 0 "$PK" info $D/valgrind.callgrind.out
expect_grep "$TMP/out" "format: +callgrind"

# Against callgrind_annotate, every event of every file.
if command -v callgrind_annotate >/dev/null; then
  for f in "${FILES[@]}"; do
    lenient=()
    case $f in
      *go_cpu*) continue ;;  # go's calls=0 lines: callgrind_annotate adds them to self (below)
      *yappi*) lenient=(--lenient Ticks) ;;            # yappi 1.4 loses <genexpr>'s caller
      *pprofile*) lenient=(--lenient microseconds) ;;  # hits, usphit: not additive over calls
    esac
    python3 tests/cli/callgrind_compare.py "$PK" "$f" "${lenient[@]}" >"$TMP/cmp" 2>&1 ||
      { fail "$f differs from callgrind_annotate"; head -20 "$TMP/cmp"; }
  done
else
  echo "SKIP: callgrind_annotate not installed (Debian package valgrind)"
fi

# go tool pprof -callgrind of a Go CPU profile: the same flat and cum per function as pprof's top
# of the profile itself (pprof writes callgrind at address granularity with calls=0 call lines).
# go tool pprof -callgrind of a Go CPU profile: every function's flat equals go tool pprof -top of
# the profile itself, and its cum too except above recursion (pprof counts a call edge once per
# sample, so a recursive stack's edges do not add up; perfkit's cum is then lower, never higher).
if command -v go >/dev/null; then
  go tool pprof -top -nodecount=100000 -nodefraction=0 -edgefraction=0 -unit=ms \
    testdata/pprof/go_cpu_base.pb.gz 2>/dev/null >"$TMP/a"
  expect_exit 0 "$PK" top $D/go_cpu.callgrind -n 0 --nodefraction 0 --format json
  python3 - "$TMP/a" "$TMP/out" <<'PY' || fail "go_cpu.callgrind against go tool pprof -top of its profile"
import json, re, sys
theirs, on = {}, False
for line in open(sys.argv[1]):
    if "flat%" in line:
        on = True
        continue
    f = line.split()
    if on and len(f) >= 6:
        ms = lambda t: round(float(t.rstrip("ms")) if t.endswith("ms") else float(t.rstrip("s")) * 1000)
        name = re.sub(r" \((partial-)?inline\)$", "", " ".join(f[5:]))
        a, b = theirs.get(name, (0, 0))
        theirs[name] = (a + ms(f[0]), max(b, ms(f[3])))
ours = {r["name"]: (r["flat"], r["cum"]) for r in json.load(open(sys.argv[2]))["rows"]}
assert set(ours) == set(theirs), set(ours) ^ set(theirs)
flat = [k for k in theirs if ours[k][0] != theirs[k][0]]
assert not flat, [(k, ours[k], theirs[k]) for k in flat[:5]]
higher = [k for k in theirs if ours[k][1] > theirs[k][1]]
assert not higher, [(k, ours[k], theirs[k]) for k in higher[:5]]
lower = [k for k in theirs if ours[k][1] < theirs[k][1]]
assert len(lower) * 20 <= len(theirs), (len(lower), len(theirs), lower[:10])
print(f"{len(theirs)} functions: flat equal, cum equal for {len(theirs) - len(lower)}")
PY
fi

# Round trips: callgrind -> pprof -> top equals the file's top; callgrind -> callgrind -> top too,
# but where the stacks re-enter a function (go's runtime and encoding/json recursion) the written
# graph cannot say it, and cum may come out lower, never higher, flat always equal.
top_rows() {  # top_rows FILE EVENT: name flat cum per function
  "$PK" top "$1" --sample-index "$2" -n 0 --nodefraction 0 --format json 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin)["rows"]:
    print(r["name"], r["flat"], r["cum"])' | sort
}
same_top() {  # same_top A B WHAT: flat equal, cum never higher, and equal for 95% of rows
  python3 - "$1" "$2" <<'PY' || { fail "$3"; diff "$1" "$2" | head -5; }
import sys
def rows(p):
    return {l.rsplit(" ", 2)[0]: tuple(map(int, l.rsplit(" ", 2)[1:])) for l in open(p)}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert set(a) == set(b), set(a) ^ set(b)
assert all(a[k][0] == b[k][0] for k in a), [k for k in a if a[k][0] != b[k][0]][:5]
assert all(b[k][1] <= a[k][1] for k in a), [k for k in a if b[k][1] > a[k][1]][:5]
assert sum(a[k][1] != b[k][1] for k in a) * 20 <= len(a)
PY
}
for f in "${FILES[@]}"; do
  event=$("$PK" info --format json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value_types"][-1]["type"])')
  top_rows "$f" "$event" >"$TMP/orig"
  [[ -s "$TMP/orig" ]] || fail "$f: no rows"
  expect_exit 0 "$PK" convert "$f" --to pprof -o "$TMP/rt.pb.gz"
  top_rows "$TMP/rt.pb.gz" "$event" >"$TMP/via_pprof"
  cmp -s "$TMP/orig" "$TMP/via_pprof" || { fail "$f -> pprof changes top"; diff "$TMP/orig" "$TMP/via_pprof" | head -5; }
  expect_exit 0 "$PK" convert "$f" --to callgrind -o "$TMP/rt.callgrind"
  top_rows "$TMP/rt.callgrind" "$event" >"$TMP/via_cg"
  if [[ $f == *go_cpu* ]]; then
    same_top "$TMP/orig" "$TMP/via_cg" "$f -> callgrind: flat differs or cum rises"
  else
    cmp -s "$TMP/orig" "$TMP/via_cg" || { fail "$f -> callgrind changes top"; diff "$TMP/orig" "$TMP/via_cg" | head -5; }
  fi
  # What we write, callgrind_annotate reads with perfkit's numbers (of the profile we wrote).
  if command -v callgrind_annotate >/dev/null; then
    expect_exit 0 "$PK" convert "$f" --to pprof -o "$TMP/rt.pb.gz"
    python3 tests/cli/callgrind_compare.py "$PK" "$TMP/rt.callgrind" --against "$TMP/rt.pb.gz" >"$TMP/cmp" 2>&1 ||
      { fail "callgrind_annotate reads our callgrind of $f differently"; head -10 "$TMP/cmp"; }
  fi
done
# The writer is deterministic.
"$PK" convert $D/valgrind.callgrind.out --to callgrind -o "$TMP/a.cg" 2>/dev/null
"$PK" convert $D/valgrind.callgrind.out --to callgrind -o "$TMP/b.cg" 2>/dev/null
cmp -s "$TMP/a.cg" "$TMP/b.cg" || fail "convert --to callgrind differs between two runs"

# pprof -> callgrind: callgrind_annotate on our output equals perfkit top of the pprof.
if command -v callgrind_annotate >/dev/null; then
  expect_exit 0 "$PK" convert testdata/pprof/go_cpu_base.pb.gz --to callgrind -o "$TMP/go.cg"
  python3 tests/cli/callgrind_compare.py "$PK" "$TMP/go.cg" --against testdata/pprof/go_cpu_base.pb.gz >"$TMP/cmp" 2>&1 ||
    { fail "callgrind_annotate reads our callgrind of go_cpu_base differently"; head -10 "$TMP/cmp"; }
fi

# Damaged files: exit 3 with the file and line, no crash.
printf 'events: Ir\nfn=(1) main\n0 5\ncfn=(2) f\ncalls=1 0\n0 x\n' >"$TMP/bad1"
expect_exit 3 "$PK" top "$TMP/bad1"
expect_grep "$TMP/err" "bad1:6:3: cost 'x' is not a non-negative integer"
printf 'events: Ir\nfn=(1) main\n0 5 6\n' >"$TMP/bad2"
expect_exit 3 "$PK" top "$TMP/bad2"
expect_grep "$TMP/err" "bad2:3:5: 2 costs on a line, but events: names 1"
printf 'events: Ir\nfn=(1) main\ncalls=1 0\n0 5\n' >"$TMP/bad3"
expect_exit 3 "$PK" top "$TMP/bad3"
expect_grep "$TMP/err" "bad3:3:1: calls= without a cfn= before it"
printf 'positions: line\nfn=(1) main\n0 5\n' >"$TMP/bad4"
expect_exit 3 "$PK" top --input-format callgrind "$TMP/bad4"
expect_grep "$TMP/err" "bad4:3:1: a cost line before the events: line"
head -c 30000 $D/valgrind.callgrind.out >"$TMP/cut"  # cut short: reads, with what it has
expect_exit 0 "$PK" top "$TMP/cut"
# yappi before 1.7.5 refers to callees it never defines: named by their id, with a warning.
printf 'version: 1\ncreator: yappi\nevents: Ticks\nfl=(1) a.py\nfn=(1) main a.py:1\n1 10\ncfl=(1)\ncfn=(7)\ncalls=3 0\n0 25\n' >"$TMP/undef"
expect_exit 0 "$PK" top "$TMP/undef" --format json
python3 - "$TMP/out" <<'PY' || fail "undefined callee id"
import json, sys
rows = {r["name"]: (r["flat"], r["cum"]) for r in json.load(open(sys.argv[1]))["rows"]}
assert rows == {"main a.py:1": (10, 35), "(7)": (25, 25)}, rows
PY
expect_grep "$TMP/err" "never defined"
finish

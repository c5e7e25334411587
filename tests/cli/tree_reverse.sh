# tree --reverse: the leaf-first call tree. Every node of perfkit's tree equals the one built from
# go tool pprof's own -raw text of the same profile (Go, C++, Node and jemalloc producers, several
# sample types); then -n, --depth, --nodefraction, the filters, text guides, refusals and the
# budget on a deep chain.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
C=../shared/corpus/pprof
P=testdata/pprof/producers
checked=0
if command -v go >/dev/null; then
  for spec in "testdata/pprof/go_cpu_slow_regex.pb.gz" "testdata/pprof/go_heap.pb.gz alloc_space" \
    "testdata/pprof/go_heap.pb.gz inuse_objects" "$P/cpp_cpu.pb.gz" "$P/cpp_heap.pb.gz" \
    "$P/go_cpu_labels.pb.gz" "$P/go_mutex.pb.gz contentions" "$P/go_goroutine.pb.gz" \
    "$P/node_wall_lines.pb.gz" "$P/jemalloc_heap.pb.gz" "$P/cpp_cpu_unsymbolized.pb.gz" "$P/go_allocs.pb.gz alloc_space"; do
    read -r f idx <<<"$spec"
    [[ -f $f ]] || { fail "missing $f"; continue; }
    args=(--nodefraction 0 -n 0 --format json)
    [[ -n $idx ]] && args+=(--sample-index "$idx")
    "$PK" tree --reverse "$f" "${args[@]}" >"$TMP/ours.json" 2>"$TMP/err" || { fail "tree --reverse $f failed"; continue; }
    go tool pprof -raw "$f" >"$TMP/raw" 2>/dev/null || { fail "go tool pprof -raw $f failed"; continue; }
    python3 tests/cli/reverse_tree_ref.py "$TMP/raw" "$TMP/ours.json" >"$TMP/cmp" ||
      { fail "$f ${idx:-default}: the reversed tree differs from pprof's samples"; sed 's/^/  /' "$TMP/cmp"; }
    checked=$((checked + 1))
  done
  # A focus filter keeps only matching samples, in the reference too (pprof's -proto of the focus).
  f=testdata/pprof/go_cpu_slow_regex.pb.gz
  go tool pprof -proto -focus 'regexp' "$f" >"$TMP/focus.pb.gz" 2>/dev/null
  go tool pprof -raw "$TMP/focus.pb.gz" >"$TMP/raw" 2>/dev/null
  "$PK" tree --reverse "$f" --focus regexp --nodefraction 0 -n 0 --format json >"$TMP/ours.json"
  python3 tests/cli/reverse_tree_ref.py "$TMP/raw" "$TMP/ours.json" >"$TMP/cmp" ||
    { fail "--focus: differs from pprof's focused samples"; sed 's/^/  /' "$TMP/cmp"; }
  echo "compared with go tool pprof -raw on $((checked + 1)) profiles"
fi

f=testdata/pprof/go_cpu_slow_regex.pb.gz
# Text: the first root is top's first row, with its flat value; -n counts leaf functions.
expect_exit 0 "$PK" tree --reverse "$f" -n 3
cp "$TMP/out" "$TMP/rev"
"$PK" top "$f" -n 1 --format json >"$TMP/top.json"
"$PK" tree --reverse "$f" -n 1 --format json >"$TMP/rev.json"
python3 - "$TMP/top.json" "$TMP/rev.json" <<'PY' || fail "the first leaf function is not top's first row"
import json, sys
top, rev = (json.load(open(a)) for a in sys.argv[1:3])
row, root = top["rows"][0], rev["roots"][0]
assert (row["name"], row["flat"]) == (root["name"], root["value"]), (row, root)
assert len(rev["roots"]) == 1
PY
expect_grep "$TMP/rev" "^Showing top 3 leaf functions out of [0-9]+$"
expect_grep "$TMP/rev" "^Dropped [0-9]+ nodes \(value <= "
expect_grep "$TMP/rev" "└─ runtime.mallocgc$"
roots=$(awk '/self%/ {on=1; next} on && $3 !~ /^[│├└\[]/' "$TMP/rev" | wc -l)
((roots == 3)) || fail "-n 3 printed $roots leaf functions"
# --depth 2: a leaf and one caller level, nothing deeper.
"$PK" tree --reverse "$f" --depth 2 -n 0 --nodefraction 0 --format json >"$TMP/d2.json"
python3 - "$TMP/d2.json" <<'PY' || fail "--depth 2 kept deeper nodes"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["roots"], "no roots"
for r in j["roots"]:
    for c in r["callers"]:
        assert not c["callers"], c["name"]
PY
# --nodefraction: every node shown is above the cut, the dropped ones are counted.
"$PK" tree --reverse "$f" --nodefraction 0.05 -n 0 --format json >"$TMP/nf.json"
python3 - "$TMP/nf.json" <<'PY' || fail "--nodefraction 0.05 kept a node at or below 5% of the total"
import json, sys
j = json.load(open(sys.argv[1]))
cut = j["total"] * 0.05
def walk(ns):
    for n in ns:
        assert abs(n["value"]) > cut, n
        walk(n["callers"])
walk(j["roots"])
assert j["dropped_nodes"] > 0
PY
# Each node's callers add up to at most its own value (the rest is where the chain starts).
"$PK" tree --reverse "$f" --nodefraction 0 -n 0 --format json >"$TMP/all.json"
python3 - "$TMP/all.json" <<'PY' || fail "callers add up to more than their node"
import json, sys
j = json.load(open(sys.argv[1]))
def walk(ns):
    for n in ns:
        assert sum(c["value"] for c in n["callers"]) <= n["value"], n["name"]
        walk(n["callers"])
walk(j["roots"])
assert sum(r["value"] for r in j["roots"]) == j["shown"] == j["total"]
PY
# --hide moves a hidden leaf's value to its caller, as top's flat does.
"$PK" tree --reverse "$f" --hide 'runtime\.' -n 1 >"$TMP/hide"
expect_grep "$TMP/hide" "Active filters:"
grep -q "runtime\." <(sed -n '/self%/,$p' "$TMP/hide") && fail "--hide left runtime frames"
# Traces: span stacks reverse as well.
expect_exit 0 "$PK" tree --reverse testdata/chrome/$(ls testdata/chrome | grep -m1 "\.json$") -n 2
# Refusals: json or --depth without --reverse (usage, 2); a function table (3).
expect_exit 2 "$PK" tree "$f" --format json
expect_exit 2 "$PK" tree "$f" --depth 3
expect_exit 3 "$PK" tree --reverse testdata/tables/yappi_wide_baseline.txt
expect_grep "$TMP/err" "yappi_wide_baseline.txt: a function table has no stacks"
# A chain of 9,000 nested spans, each with self time, walks 40 million entries: refused before
# the walk (it took 17 s and 4 GB when refused at the budget), naming the file; --depth 4 reads it.
python3 - "$TMP/deep.json" <<'PY'
import json, sys
n = 9000
ev = [{"name": f"f{i}", "ph": "X", "ts": i, "dur": 2 * (n - i), "pid": 1, "tid": 1} for i in range(n)]
json.dump(ev, open(sys.argv[1], "w"))
PY
expect_exit 3 timeout 10 "$PK" tree --reverse "$TMP/deep.json"
expect_grep "$TMP/err" "deep.json: the reversed tree would walk more than"
expect_exit 0 timeout 60 "$PK" tree --reverse "$TMP/deep.json" --depth 4 -n 2
finish

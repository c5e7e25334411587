# convert: every pprof perfkit writes is read by `go tool pprof -top`; chrome -> pprof gives the
# numbers of `perfkit top` on the trace; table inputs refuse stack targets with a reason.
. "$(dirname "$0")/lib.bash"
cd "$SRC"

# -top rows as "flat cum name" lines, whatever the header says.
rows() { awk '/flat%/ {on=1; next} on && NF >= 6 {name=$6; for (i=7;i<=NF;i++) name=name" "$i; print $1, $4, name}' | sort; }

# Each target writes, exit 0, with a note on stderr for the lossy ones.
for to in pprof folded chrome speedscope table json csv; do
  expect_exit 0 "$PK" convert testdata/pprof/go_heap.pb.gz --to $to -o "$TMP/heap.$to"
  [[ -s "$TMP/heap.$to" ]] || fail "convert --to $to wrote nothing"
done
expect_grep "$TMP/err" "perfkit: note: .*call stacks"
"$PK" convert testdata/pprof/go_heap.pb.gz --to folded -o "$TMP/x" 2>"$TMP/err"
expect_grep "$TMP/err" "note: .*only 1 of 4 value types"
python3 -c "import json,sys; json.load(open(sys.argv[1])); json.load(open(sys.argv[2])); json.load(open(sys.argv[3]))" \
  "$TMP/heap.chrome" "$TMP/heap.speedscope" "$TMP/heap.json" || fail "JSON outputs do not parse"

# Table input: only table/json/csv.
expect_exit 3 "$PK" convert testdata/tables/yappi_wide_baseline.txt --to pprof -o "$TMP/t.pb.gz"
expect_grep "$TMP/err" "function table: it has no call stacks"
[[ -e "$TMP/t.pb.gz" ]] && fail "an output was left after a refused conversion"
expect_exit 0 "$PK" convert testdata/tables/yappi_wide_baseline.txt --to csv -o "$TMP/t.csv"
expect_grep "$TMP/t.csv" "DemoVerifierServer._score"

# --sample-index picks the column of single-value targets.
expect_exit 0 "$PK" convert testdata/pprof/go_heap.pb.gz --to folded --sample-index alloc_objects -o "$TMP/objs.folded"
expect_exit 2 "$PK" convert testdata/pprof/go_heap.pb.gz --to folded --sample-index nope -o "$TMP/x"

if ! command -v go >/dev/null; then
  echo "SKIP: go not on PATH (apt-get install golang-go): go tool pprof checks not run"
  finish; exit
fi
export HOME="${HOME:-/tmp}" GOFLAGS=-mod=mod GOTOOLCHAIN=local

# go tool pprof reads every pprof we write: converted, round-tripped, merged.
"$PK" convert testdata/pprof/go_cpu_base.pb.gz --to folded -o "$TMP/cpu.folded" 2>/dev/null
"$PK" convert "$TMP/cpu.folded" --to pprof -o "$TMP/cpu_from_folded.pb.gz" 2>/dev/null
"$PK" convert testdata/pprof/go_heap.pb.gz --to speedscope -o "$TMP/heap.ss.json" 2>/dev/null
"$PK" convert "$TMP/heap.ss.json" --to pprof -o "$TMP/heap_from_ss.pb.gz" 2>/dev/null
"$PK" convert testdata/chrome/small_nested.json --to pprof -o "$TMP/trace.pb.gz" 2>/dev/null
"$PK" convert testdata/chrome/node_trace_events.json --to pprof -o "$TMP/node.pb.gz" 2>/dev/null
"$PK" merge testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz -o "$TMP/merged.pb.gz" 2>/dev/null
for f in "$TMP/heap.pprof" "$TMP/cpu_from_folded.pb.gz" "$TMP/heap_from_ss.pb.gz" "$TMP/trace.pb.gz" \
         "$TMP/node.pb.gz" "$TMP/merged.pb.gz"; do
  go tool pprof -top "$f" >"$TMP/top.txt" 2>"$TMP/top.err" || { fail "go tool pprof cannot read $f"; head -3 "$TMP/top.err"; }
done

# Round trips seen by pprof: the same -top as the original (folded and speedscope keep no
# "(inline)" marks, so names are compared without them).
rows() { awk '/flat%/ {on=1; next} on && NF >= 6 {name=$6; for (i=7;i<=NF;i++) name=name" "$i; sub(/ \((partial-)?inline\)$/, "", name); f=$1; c=$4; sub(/[a-zA-Z]+$/, "", f); sub(/[a-zA-Z]+$/, "", c); print f, c, name}' | sort; }
for pair in "testdata/pprof/go_cpu_base.pb.gz $TMP/cpu_from_folded.pb.gz ns" \
            "testdata/pprof/go_heap.pb.gz $TMP/heap_from_ss.pb.gz B"; do
  set -- $pair
  for idx in "" "-sample_index=alloc_space"; do
    [[ "$1" == *cpu* && -n "$idx" ]] && continue
    go tool pprof -top -nodefraction=0 -edgefraction=0 -nodecount=100000 -unit=$3 $idx "$1" 2>/dev/null | rows >"$TMP/a"
    go tool pprof -top -nodefraction=0 -edgefraction=0 -nodecount=100000 -unit=$3 $idx "$2" 2>/dev/null | rows >"$TMP/b"
    [[ -s "$TMP/a" ]] || fail "no rows from go tool pprof on $1"
    cmp -s "$TMP/a" "$TMP/b" || { fail "go tool pprof -top $idx differs: $1 vs $2"; diff "$TMP/a" "$TMP/b" | head -5; }
  done
done

# Chrome -> pprof: go tool pprof -top (in ns, no node dropped) equals perfkit top on the trace.
for trace in testdata/chrome/small_nested.json testdata/chrome/node_trace_events.json; do  # (clang names: pprof shortens C++ templates in -top)
  "$PK" convert "$trace" --to pprof -o "$TMP/t.pb.gz" 2>/dev/null
  go tool pprof -top -unit=ns -nodefraction=0 -edgefraction=0 -nodecount=1000000 "$TMP/t.pb.gz" >"$TMP/go" 2>/dev/null
  "$PK" top "$trace" -n 0 --nodefraction 0 --edgefraction 0 --format json -o "$TMP/pk.json" 2>/dev/null
  python3 - "$TMP/go" "$TMP/pk.json" "$trace" <<'PY' || fail "chrome -> pprof: go tool pprof -top differs from perfkit top on $trace"
import json, re, sys
go = open(sys.argv[1]).read().splitlines()
pk = json.load(open(sys.argv[2]))
total = int(re.search(r"of (\d+)ns total", "\n".join(go)).group(1))
rows, on = {}, False
for line in go:
    if "flat%" in line:
        on = True
        continue
    f = line.split()
    if on and len(f) >= 6:
        rows[" ".join(f[5:])] = (int(f[0].rstrip("ns") or 0), int(f[3].rstrip("ns") or 0))
want = {r["name"]: (r["flat"], r["cum"]) for r in pk["rows"]}
bad = [(n, rows.get(n), want[n]) for n in want if rows.get(n) != want[n]]
if total != pk["total"] or bad or len(rows) != len(want):
    print("total", total, pk["total"], "rows", len(rows), len(want), "first differences", bad[:3])
    sys.exit(1)
print(sys.argv[3], ": go tool pprof and perfkit top agree on", len(rows), "functions, total", total, "ns")
PY
done
finish

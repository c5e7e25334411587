# merge: genprofiles.py fragments (one with a cut last line) -> one valid trace with every
# complete event, the cut reported; -j 1 and -j 2 give the same bytes; pprof and folded sums.
. "$(dirname "$0")/lib.bash"
cd "$SRC"

python3 /work/shared/tools/genprofiles.py "$TMP/gen" --scale small --only fragments >/dev/null ||
  { fail "genprofiles.py failed"; finish; }
expect_exit 0 "$PK" merge "$TMP/gen/fragments" -o "$TMP/merged.json" -j 2
expect_grep "$TMP/err" "warning: .*worker-1.jsonl: dropped a cut event"
expect_grep "$TMP/err" "note: merged [0-9]+ events from 2 files"
python3 - "$TMP/merged.json" "$TMP/gen/fragments" <<'PY' || fail "merged trace: wrong JSON, count or order"
import glob, json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
complete = 0
for f in glob.glob(sys.argv[2] + "/*.jsonl"):
    for line in open(f):
        try:
            json.loads(line)
            complete += 1
        except ValueError:
            pass
ts = [e["ts"] for e in ev if e["ph"] != "M"]
assert len(ev) == complete, (len(ev), complete)
assert ts == sorted(ts), "not in time order"
assert all(e["ph"] == "M" for e in ev[:10]), "metadata first"
print("merged", len(ev), "events = the complete lines of the fragments")
PY
expect_exit 0 "$PK" merge "$TMP/gen/fragments" -o "$TMP/merged1.json" -j 1
cmp -s "$TMP/merged.json" "$TMP/merged1.json" || fail "-j 1 and -j 2 differ"
# The merge reads as a trace; merging it again with a fragment remaps the colliding pid.
expect_exit 0 "$PK" info "$TMP/merged.json"
expect_exit 0 "$PK" merge "$TMP/merged.json" "$TMP/gen/fragments/worker-2.jsonl" -o "$TMP/again.json"
expect_grep "$TMP/err" "pid 2 is also in .*merged.json: remapped to 3"

# pprof: sums, and associativity (the same bytes).
A=testdata/pprof/go_cpu_base.pb.gz B=testdata/pprof/go_cpu_slow_regex.pb.gz
expect_exit 0 "$PK" merge $A $B $A -o "$TMP/abc.pb.gz"
"$PK" merge $A $B -o "$TMP/ab.pb.gz" 2>/dev/null
"$PK" merge "$TMP/ab.pb.gz" $A -o "$TMP/ab_c.pb.gz" 2>/dev/null
cmp -s "$TMP/abc.pb.gz" "$TMP/ab_c.pb.gz" || fail "merge(merge(a,b),a) != merge(a,b,a)"
"$PK" info --format json "$TMP/abc.pb.gz" $A $B >"$TMP/info.json"
python3 - "$TMP/info.json" <<'PY' || fail "merged pprof totals are not the sum"
import json, sys
m, a, b = json.load(open(sys.argv[1]))
for k in range(2):
    assert m["value_types"][k]["total"] == 2 * a["value_types"][k]["total"] + b["value_types"][k]["total"]
PY
expect_exit 3 "$PK" merge $A testdata/pprof/go_heap.pb.gz -o "$TMP/bad.pb.gz"
expect_grep "$TMP/err" "sample types differ"
[[ -e "$TMP/bad.pb.gz" ]] && fail "output left after a refused merge"

# folded: summed lines.
printf 'a;b 1\nc 2\n' >"$TMP/1.folded"
printf 'a;b 10\nd 5\n' >"$TMP/2.folded"
expect_exit 0 "$PK" merge "$TMP/1.folded" "$TMP/2.folded" -o "$TMP/sum.folded"
printf 'a;b 11\nc 2\nd 5\n' | cmp -s - "$TMP/sum.folded" || { fail "folded sum"; cat "$TMP/sum.folded"; }
finish

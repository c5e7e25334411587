#!/usr/bin/env bash
# V8 CPU profiles: node's .cpuprofile, node's trace events with Profile/ProfileChunk, and a
# headless Chromium DevTools trace (testdata/v8/, made as testdata/CORPUS.md says). Each reads
# with the samples' time as speedscope weighs it (testdata/v8/expected/*.speedscope.tsv: every
# function's self time equal to speedscope's, and the total equal to speedscope's non-idle weight
# plus "(idle)", which speedscope leaves out); `info` on each; the trace's profile 0x1 is the
# .cpuprofile of the same run; round trips through pprof, folded and speedscope keep every stack.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
D=testdata/v8

# compare FILE GOLDEN: perfkit top --sample-index cpu against speedscope's reading.
compare() {
  expect_exit 0 "$PK" top --sample-index cpu --by filefunction -n 0 --nodefraction 0 --format json "$1"
  python3 - "$TMP/out" "$2" <<'PY' || fail "$1: perfkit's cpu column differs from speedscope's reading ($2)"
import collections, json, sys
top = json.load(open(sys.argv[1]))
assert top["value_type"] == {"type": "cpu", "unit": "nanoseconds"}, top["value_type"]
ours = collections.Counter()
for r in top["rows"]:
    # --by filefunction prints pprof's "name file"; the golden has the two apart.
    name = r["name"]
    if r["file"] and name.endswith(" " + r["file"]):
        name = name[:-len(r["file"]) - 1]
    ours[(name, r["file"])] += r["flat"]
theirs, nonidle = collections.Counter(), 0
for line in open(sys.argv[2]):
    if line.startswith("# profile"):
        nonidle += int(line.split()[-1])
        continue
    if line.startswith("#"):
        continue
    self_us, total_us, name, file, _ = line.rstrip("\n").split("\t")
    # speedscope names a function without a line "(anonymous FILE:undefined)"; perfkit leaves
    # the line out.
    theirs[(name.replace(":undefined)", ")"), file)] += int(self_us) * 1000
assert theirs, "empty golden"
bad = [(k, ours.get(k), v) for k, v in theirs.items() if ours.get(k, 0) != v]
assert not bad, bad[:5]
extra = {k: v for k, v in ours.items() if v and k not in theirs}
assert set(extra) <= {("(idle)", "")}, extra
assert top["total"] == nonidle * 1000 + extra.get(("(idle)", ""), 0), (top["total"], nonidle)
PY
}
compare $D/node_cpu.cpuprofile $D/expected/node_cpu.speedscope.tsv
compare $D/node_trace_cpu.json $D/expected/node_trace_cpu.speedscope.tsv
compare $D/chromium_trace.json.gz $D/expected/chromium_trace.speedscope.tsv

# info: the format, both columns, the sample count of the file, no warnings.
expect_exit 0 "$PK" info --format json $D/node_cpu.cpuprofile
python3 - "$TMP/out" $D/node_cpu.cpuprofile <<'PY' || fail "info on node_cpu.cpuprofile"
import json, sys
d, raw = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert (d["format"], d["flavor"]) == ("cpuprofile", "v8"), (d["format"], d["flavor"])
vt = {v["type"]: v["total"] for v in d["value_types"]}
assert vt["samples"] == len(raw["samples"]), vt
assert d["default_value_type"] == "cpu", d["default_value_type"]
assert d["duration_ns"] == (raw["endTime"] - raw["startTime"]) * 1000, d["duration_ns"]
assert d["warnings"] == [], d["warnings"]
PY
expect_exit 0 "$PK" info $D/node_cpu.cpuprofile
expect_grep "$TMP/out" "format: +cpuprofile \(v8\)"
# The traces keep their spans (wall, the default) and add samples and cpu.
for t in $D/node_trace_cpu.json $D/chromium_trace.json.gz; do
  expect_exit 0 "$PK" info --format json "$t"
  python3 - "$TMP/out" <<'PY' || fail "info on $t"
import json, sys
d = json.load(open(sys.argv[1]))
assert [v["type"] for v in d["value_types"]] == ["wall", "samples", "cpu"], d["value_types"]
assert d["default_value_type"] == "wall" and d["spans"] > 0, (d["default_value_type"], d["spans"])
assert all(v["total"] > 0 for v in d["value_types"]), d["value_types"]
assert not any("Profile" in w["message"] for w in d["warnings"]), d["warnings"]
PY
done

# The trace's profile 0x1 and the .cpuprofile are one profiler's output (node --cpu-prof with the
# v8.cpu_profiler trace category): go tool pprof prints the same rows for both.
rows() { awk '/flat%/ {on=1; next} on && NF >= 6 {print $1, $4, $6}' | sort; }
expect_exit 0 "$PK" convert $D/node_trace_cpu.json --sample-index cpu --to pprof -o "$TMP/trace.pb.gz"
expect_exit 0 "$PK" convert $D/node_cpu.cpuprofile --sample-index cpu --to pprof -o "$TMP/cpu.pb.gz"
go tool pprof -top -nodecount=100000 -nodefraction=0 -tagfocus=profile=0x1 "$TMP/trace.pb.gz" 2>/dev/null | rows >"$TMP/a"
go tool pprof -top -nodecount=100000 -nodefraction=0 "$TMP/cpu.pb.gz" 2>/dev/null | rows >"$TMP/b"
[[ -s "$TMP/b" ]] || fail "go tool pprof printed no rows for the converted .cpuprofile"
cmp -s "$TMP/a" "$TMP/b" || { fail "profile 0x1 of the trace differs from the .cpuprofile"; diff "$TMP/a" "$TMP/b" | head -5; }

# Round trips keep every stack's weight: pprof, folded and speedscope back to folded.
expect_exit 0 "$PK" convert $D/node_cpu.cpuprofile --sample-index cpu --to folded -o "$TMP/cpu.folded"
for to in pprof speedscope; do
  expect_exit 0 "$PK" convert $D/node_cpu.cpuprofile --to $to -o "$TMP/rt.$to"
  expect_exit 0 "$PK" convert "$TMP/rt.$to" --sample-index cpu --to folded -o "$TMP/rt.$to.folded"
  cmp -s "$TMP/cpu.folded" "$TMP/rt.$to.folded" || fail "cpuprofile -> $to -> folded changed the stacks"
done
expect_exit 0 "$PK" convert "$TMP/cpu.folded" --to folded -o "$TMP/rt.folded"
cmp -s "$TMP/cpu.folded" "$TMP/rt.folded" || fail "cpuprofile -> folded -> folded changed the stacks"
expect_grep "$TMP/cpu.folded" "^\(anonymous run_main_module:1\);.*;parseAll [0-9]+$"

# Trace events: profiles keyed by (pid, id) (two renderers both use 0x1), chunks from the sampler
# thread joined in ts order (not file order), a chunk without its Profile counted and skipped,
# an older whole "CpuProfile" event read too; samples labelled with the Profile event's thread.
cat >"$TMP/chunks.json" <<'EOF'
{"traceEvents": [
 {"ph": "X", "name": "Task", "pid": 1, "tid": 1, "ts": 0, "dur": 50},
 {"ph": "P", "name": "ProfileChunk", "id": "0x1", "pid": 1, "tid": 9, "ts": 30, "args": {"data": {
   "cpuProfile": {"samples": [3, 3]}, "timeDeltas": [10, 10]}}},
 {"ph": "P", "name": "Profile", "id": "0x1", "pid": 1, "tid": 1, "ts": 10, "args": {"data": {"startTime": 10}}},
 {"ph": "P", "name": "ProfileChunk", "id": "0x1", "pid": 1, "tid": 9, "ts": 20, "args": {"data": {
   "cpuProfile": {"nodes": [{"id": 1, "callFrame": {"functionName": "(root)"}},
                            {"id": 2, "callFrame": {"functionName": "main", "url": "a.js"}, "parent": 1},
                            {"id": 3, "callFrame": {"functionName": "work", "url": "a.js"}, "parent": 2}],
                  "samples": [2, 3]}, "timeDeltas": [5, 5]}}},
 {"ph": "P", "name": "Profile", "id": "0x1", "pid": 2, "tid": 2, "ts": 10, "args": {"data": {"startTime": 0}}},
 {"ph": "P", "name": "ProfileChunk", "id": "0x1", "pid": 2, "tid": 7, "ts": 40, "args": {"data": {
   "cpuProfile": {"nodes": [{"id": 1, "callFrame": {"functionName": "(root)"}, "children": [5]},
                            {"id": 5, "callFrame": {"functionName": "other"}}],
                  "samples": [5, 5, 5]}, "timeDeltas": [1, 2, 3], "endTime": 9}}},
 {"ph": "P", "name": "ProfileChunk", "id": "0x9", "pid": 1, "tid": 9, "ts": 45, "args": {"data": {}}},
 {"ph": "I", "name": "CpuProfile", "pid": 3, "tid": 3, "ts": 1, "args": {"data": {"cpuProfile": {
   "nodes": [{"id": 1, "callFrame": {"functionName": "(root)"}, "children": [2]},
             {"id": 2, "callFrame": {"functionName": "old"}}],
   "samples": [2, 2, 2], "timeDeltas": [0, 4, 4], "startTime": 0, "endTime": 8}}}}
]}
EOF
expect_exit 0 "$PK" convert --sample-index cpu --to pprof -o "$TMP/chunks.pb.gz" "$TMP/chunks.json"
go tool pprof -raw "$TMP/chunks.pb.gz" >"$TMP/raw" 2>/dev/null
python3 - "$TMP/raw" "$TMP/err" <<'PY' || fail "chunks.json: profiles per (pid, id), ts order, labels"
import re, sys
raw, err = open(sys.argv[1]).read(), open(sys.argv[2]).read()
# pid 1: samples 2, 3 (deltas 5, 5), then 3, 3 (10, 10), at 5, 10, 20, 30: main 5, work 20 (the
# last sample weighs 0); pid 2: other 2 + 3 = 5; pid 3 (CpuProfile): old 4 + 4 = 8.
got = {}
for m in re.finditer(r"\n +(\d+): [\d ]+\n(?: +profile:\[\w+\]\n)? +pid:\[(\d+)\] tid:\[(\d+)\]", raw):
    got.setdefault((m.group(2), m.group(3)), []).append(int(m.group(1)))
want = {("1", "1"): [5000, 20000], ("2", "2"): [5000], ("3", "3"): [8000]}
assert {k: sorted(v) for k, v in got.items()} == want, (got, raw)
assert "ProfileChunk events without a Profile event before them skipped" in err, err
PY

# Bad input: exit 3 with a byte offset; odd nodes and samples are counted warnings.
printf '{"nodes": 5, "timeDeltas": []}' >"$TMP/bad.cpuprofile"
expect_exit 3 "$PK" info "$TMP/bad.cpuprofile"
expect_grep "$TMP/err" "bad.cpuprofile: byte 10: V8 CPU profile"
printf '{"nodes": [{"id": 1, "callFrame": {"functionName": "(root)"}, "children": [2]}, {"id": 2, "callFrame": {"functionName": "a"' >"$TMP/cut.cpuprofile"
expect_exit 3 "$PK" info "$TMP/cut.cpuprofile"
expect_grep "$TMP/err" "cut.cpuprofile: byte [0-9]+: V8 CPU profile"
cat >"$TMP/odd.cpuprofile" <<'EOF'
{"nodes": [{"id": 1, "callFrame": {"functionName": "(root)"}, "children": [2, 9]},
           {"id": 2, "callFrame": {"functionName": "a", "url": "x.js", "lineNumber": 4}, "children": [3]},
           {"id": 3, "callFrame": {"functionName": "", "url": "/p/y.js", "lineNumber": 0}, "parent": 3}],
 "startTime": 0, "endTime": 100, "samples": [2, 3, 7, 2, 2], "timeDeltas": [10, 20, 5, -15, 30]}
EOF
expect_exit 0 "$PK" top --format json -n 0 "$TMP/odd.cpuprofile"
python3 - "$TMP/out" "$TMP/err" <<'PY' || fail "odd.cpuprofile: weights or warnings"
import json, sys
d, err = json.load(open(sys.argv[1])), open(sys.argv[2]).read()
flat = {r["name"]: r["flat"] for r in d["rows"]}
# times 10, 30, 35, 20 -> raised to 35, 50; runs a@10, (anon)@30, ?@35, a@35: a 20 + 15, anon 5
assert flat == {"a": 35000, "(anonymous y.js:1)": 5000}, flat
for w in ("naming no node", "parent or child names no node"):
    assert w in err, (w, err)
PY
finish

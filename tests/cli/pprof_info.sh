#!/usr/bin/env bash
# perfkit info on pprof inputs: totals equal go tool pprof's, raw and gzipped, files and stdin.
. "$(dirname "$0")/lib.bash"

expect_exit 0 "$PK" info --format json testdata/pprof/go_cpu_base.pb.gz
python3 - "$TMP/out" <<'PY' || fail "go_cpu_base json: value types and totals"
import json, sys
d = json.load(open(sys.argv[1]))
items = d if isinstance(d, list) else [d]
d = items[0]
assert d["format"] == "pprof" and d["flavor"] == "pprof", (d["format"], d["flavor"])
vt = {(v["type"], v["unit"]): v["total"] for v in d["value_types"]}
assert vt == {("samples", "count"): 812, ("cpu", "nanoseconds"): 8120000000}, vt  # Total samples = 8.12s
assert d["samples"] == 544, d["samples"]
assert d["warnings"] == [], d["warnings"]
PY

# The heap profile: four value types; inuse_space is go tool pprof's 3081.28kB (3155229 bytes).
expect_exit 0 "$PK" info --format json testdata/pprof/go_heap.pb.gz
python3 - "$TMP/out" <<'PY' || fail "go_heap json totals"
import json, sys
d = json.load(open(sys.argv[1]))
d = d[0] if isinstance(d, list) else d
vt = [(v["type"], v["total"]) for v in d["value_types"]]
assert vt == [("alloc_objects", 13200004), ("alloc_space", 3456061203), ("inuse_objects", 3923),
              ("inuse_space", 3155229)], vt
assert d["default_value_type"] == "inuse_space", d["default_value_type"]
PY

# Raw (ungzipped) protobuf, from standard input: detected by content, flavor pprof-raw.
gzip -dc testdata/pprof/go_cpu_slow_regex.pb.gz >"$TMP/raw.pb"
expect_exit 0 "$PK" info --format json - <"$TMP/raw.pb"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d[0] if isinstance(d,list) else d; assert d["flavor"]=="pprof-raw", d["flavor"]; assert [v["total"] for v in d["value_types"]]==[850,8500000000]' "$TMP/out" || fail "raw pprof from stdin"

# Forcing the format on a text file gives a pprof error with a byte offset, not a crash.
printf 'main;foo 1\n' >"$TMP/folded.txt"
expect_exit 3 "$PK" info --input-format pprof "$TMP/folded.txt"
expect_grep "$TMP/err" "folded.txt: byte [0-9]+: "

finish

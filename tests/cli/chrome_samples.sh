#!/usr/bin/env bash
# Chrome object form with stackFrames + samples: `info --format json` totals per value type (wall
# from the spans, samples and weight from the sampled stacks), `top` rows on the sampled columns,
# no "ignored" warning, bad frames/samples counted in warnings, a malformed member is exit 3 with
# a byte offset, and a 1,000,000-deep parent chain reads.
. "$(dirname "$0")/lib.bash"
T=testdata/chrome/stack_samples.json

expect_exit 0 "$PK" info --format json "$T"
python3 - "$TMP/out" <<'PY' || fail "info --format json totals of $T"
import json, sys
d = json.load(open(sys.argv[1]))
vt = [(v["type"], v["unit"], v["total"]) for v in d["value_types"]]
assert vt == [("wall", "nanoseconds", 900500), ("samples", "count", 7), ("weight", "count", 19)], vt
assert d["default_value_type"] == "wall", d["default_value_type"]
assert d["samples"] == 8 and d["spans"] == 3, (d["samples"], d["spans"])
assert d["duration_ns"] == 1000500, d["duration_ns"]
assert d["warnings"] == [], d["warnings"]
PY
grep -q "ignored" "$TMP/err" && fail "info still warns that something was ignored: $(cat "$TMP/err")"

# top on the sampled columns: the flat/cum rows of go tool pprof -top (in perfkit's units).
expect_exit 0 "$PK" top --sample-index weight --format csv "$T"
python3 - "$TMP/out" <<'PY' || fail "top --sample-index weight rows"
import csv, sys
rows = {r["name"]: (int(float(r["flat"])), int(float(r["cum"]))) for r in csv.DictReader(open(sys.argv[1]))}
want = {"__memmove_avx_unaligned_erms": (6, 6), "blink::HTMLDocumentParser::PumpTokenizer": (5, 11),
        "v8::internal::Execution::Call": (5, 5), "base::RunLoop::Run": (2, 19),
        "cc::ProxyImpl::ScheduledActionDraw": (1, 1), "__libc_start_main": (0, 19),
        "base::TaskAnnotator::RunTask": (0, 16)}
for name, fc in want.items():
    assert rows.get(name) == fc, (name, rows.get(name), fc)
PY
expect_exit 0 "$PK" top --sample-index samples "$T"
expect_grep "$TMP/out" "^Type: samples"
expect_grep "$TMP/out" "^ +2 +28\.6% +[0-9.]+% +2 +28\.6%  __memmove_avx_unaligned_erms$"
expect_grep "$TMP/out" "^ +1 +14\.3% +[0-9.]+% +7 +100%  base::RunLoop::Run$"
# The default stays the spans' wall time.
expect_exit 0 "$PK" top "$T"
expect_grep "$TMP/out" "^Type: wall"
expect_grep "$TMP/out" "300us .*ParseHTML$"

# Sampled stacks convert like any profile.
expect_exit 0 "$PK" convert "$T" --to folded --sample-index samples
expect_grep "$TMP/out" "^__libc_start_main;ChromeMain;base::RunLoop::Run;cc::ProxyImpl::ScheduledActionDraw 1$"

# Back to a Chrome trace: the spans are written, the loss of the sampled stacks is said.
expect_exit 0 "$PK" convert "$T" --to chrome
expect_grep "$TMP/err" "sampled stacks \(stackFrames/samples\) are not kept"

# Bad frames and samples: counted warnings, exit 0.
cat > "$TMP/bad.json" <<'EOF'
{"traceEvents": [], "stackFrames": {"1": {"name": "main"}, "2": {"name": "loop", "parent": "2"},
 "3": {"name": "lost", "parent": "404"}, "4": []},
 "samples": [{"sf": "1", "ts": 1}, {"sf": "2", "ts": 2}, {"sf": "3", "ts": 3}, {"sf": "4", "ts": 4},
             {"sf": "nope", "ts": 5}, {"ts": 6}]}
EOF
expect_exit 0 "$PK" info --format json "$TMP/bad.json"
python3 - "$TMP/out" <<'PY' || fail "warnings of bad.json"
import json, sys
d = json.load(open(sys.argv[1]))
w = {x["message"]: x["count"] for x in d["warnings"]}
def count(text):
    return sum(c for k, c in w.items() if text in k)
assert count("sf names no stack frame") == 2, w
assert count("without an sf") == 1, w
assert count("loops in stack frame parents") == 1, w
assert count("parent names no frame") == 1, w
assert count("not objects") == 1, w
totals = {v["type"]: v["total"] for v in d["value_types"]}
assert totals["samples"] == 3 and totals["wall"] == 0, totals
assert d["default_value_type"] == "samples", d["default_value_type"]
PY

# A member of the wrong shape is bad input, with the byte offset of its value.
printf '{"traceEvents": [], "samples": {"sf": 1}}' > "$TMP/shape.json"
expect_exit 3 "$PK" info "$TMP/shape.json"
expect_grep "$TMP/err" "^perfkit: error: $TMP/shape.json: byte 31: samples is not an array"

# A 1,000,000-deep chain of parents (frames listed leaf first): no recursion, depth reported.
python3 - "$TMP/deep.json" <<'PY'
import sys
n = 1_000_000
with open(sys.argv[1], "w") as f:
    f.write('{"traceEvents": [], "stackFrames": {')
    f.write(", ".join('"%d": {"name": "f%d"%s}' % (i, i % 5, ', "parent": "%d"' % (i - 1) if i else "")
                      for i in range(n - 1, -1, -1)))
    f.write('}, "samples": [{"sf": "%d", "ts": 1, "weight": 2}]}' % (n - 1))
PY
expect_exit 0 "$PK" info --format json "$TMP/deep.json"
python3 - "$TMP/out" <<'PY' || fail "deep chain"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["max_depth"] == 1_000_000, d["max_depth"]
assert {v["type"]: v["total"] for v in d["value_types"]} == {"wall": 0, "samples": 1, "weight": 2}, d
PY

finish

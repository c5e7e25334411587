#!/usr/bin/env bash
# perfkit diff/gate on Chrome traces: span percentiles side by side, span regressions, budgets
# with one input (exit 0/1), a budget on a span that never occurs fails loudly.
. "$(dirname "$0")/lib.bash"
NODE=testdata/chrome/node_trace_events.json
if ! "$PK" info "$NODE" >/dev/null 2>&1; then
  echo "SKIP: this build cannot read Chrome traces yet (the chrome reader has not landed)"; exit 0
fi
# Hand-made traces: 40 'step' spans of 1.00-1.39 ms (p50 1.19ms, p99 1.39ms by nearest rank),
# each around a 100us 'io' span; in NEW the steps take 50% longer.
python3 - "$TMP" <<'PY'
import json, sys
for name, k in (("base", 1.0), ("new", 1.5)):
    ev, ts = [], 0
    for i in range(40):
        d = round((1000 + 10 * i) * k)
        ev.append({"ph": "X", "name": "step", "pid": 1, "tid": 1, "ts": ts, "dur": d})
        ev.append({"ph": "X", "name": "io", "pid": 1, "tid": 1, "ts": ts + 10, "dur": 100})
        ts += d + 50
    json.dump(ev, open(f"{sys.argv[1]}/{name}.json", "w"))
PY
B=$TMP/base.json
N=$TMP/new.json

expect_exit 0 "$PK" diff "$B" "$N"
expect_grep "$TMP/out" "^Spans: duration percentiles"
expect_grep "$TMP/out" "40->40 +1.19ms -> 1.7[89]ms +\\+50% .* step$"
expect_exit 0 "$PK" diff "$B" "$N" --format json
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in d["spans"]}
assert s["step"]["base"]["p50_ns"] == 1190000 and s["step"]["new"]["p50_ns"] == 1785000, s["step"]
assert s["io"]["base"]["count"] == 40 and s["io"]["new"]["p99_ns"] == 100000, s["io"]
' "$TMP/out" || fail "diff json spans"

expect_exit 1 "$PK" gate "$B" "$N"
expect_grep "$TMP/out" "^FAIL span: span step p50: 1.19ms -> 1.7[89]ms \(\+59[05]us, \+50%\), limit \+10%"
expect_exit 0 "$PK" gate "$B" "$N" --max-span-regression 60% --max-function-regression 60% --max-total-regression 60%
expect_exit 0 "$PK" gate "$B" "$B"

# Budgets on one input.
expect_exit 0 "$PK" gate "$N" --budget 'step:p99<=2.1ms' --budget 'io:p50<=100us'
expect_grep "$TMP/out" "^perfkit gate: PASS \(0 failed, 0 warnings, 2 passed\)"
expect_exit 1 "$PK" gate "$N" --budget 'step:p99<=2ms'
expect_grep "$TMP/out" "^FAIL budget: step:p99<=2ms: p99 is 2.0[89]ms \(40 spans\)"
# A budget on a span the input does not have cannot be judged: exit 3 with the reason and the
# span names there are, nothing on stdout and no -o file, also when other budgets fail.
expect_exit 3 "$PK" gate "$N" --budget 'stpe:p99<=1s'
expect_grep "$TMP/err" "^perfkit: error: .*: the gate cannot judge a budget: --budget 'stpe:p99<=1s': no span named 'stpe' in the input \\(its [0-9]+ span names: .*step"
[[ -s "$TMP/out" ]] && fail "output written although the gate could not judge"
expect_exit 3 "$PK" gate "$N" --budget 'step:p99<=2ms' --budget 'Nope:p99<=5ms' -o "$TMP/g.txt"
expect_grep "$TMP/err" "no span named 'Nope'"
[[ -e "$TMP/g.txt" ]] && fail "-o file left although the gate could not judge"
expect_exit 3 "$PK" gate "$B" "$N" --budget 'Nope:p99<=5ms' --format json
expect_exit 3 "$PK" gate testdata/pprof/go_cpu_base.pb.gz --budget 'main.serve:p99<=5ms'
expect_grep "$TMP/err" "the input has no spans \\(budgets need a Chrome trace\\)"
# Operators are echoed as given and only '<=' is taken: '<' would silently have meant '<='.
for op in '<' '>=' '>' '=' '=='; do
  expect_exit 2 "$PK" gate "$N" --budget "step:p99${op}2ms"
  expect_grep "$TMP/err" "operator '${op}' is not supported: a budget is an upper bound, written '<='"
done
expect_exit 0 "$PK" gate "$N" --budget 'step:p50<=1.8ms' --format json
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["rules"][0]
assert r["budget"] == "step:p50<=1.8ms" and r["outcome"] == "pass", r
' "$TMP/out" || fail "budget json"
expect_exit 1 "$PK" gate "$NODE" --budget 'RunTimers:p99<=5ms' --format github
expect_grep "$TMP/out" "^::error title=perfkit gate%3A budget regression::RunTimers:p99<=5ms: p99 is 9.26ms \(40 spans\)"
expect_exit 0 "$PK" gate "$NODE" --budget 'PROMISE:p50<=50ms' --budget 'RunTimers:p99<=10ms'
expect_exit 2 "$PK" gate "$NODE" --budget 'RunTimers:p99<=10MiB'
finish

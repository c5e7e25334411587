# diff on inputs that know calls (function tables: ncall; traces: span counts) shows ncall base and
# new and the average per call (tavg = cum / ncall) in text, JSON, CSV and Markdown; the numbers
# are checked against the tables' own ncall and tavg columns (read here from the yappi text), and
# against span counts made here. A sampled pprof knows no calls: no such columns.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
BASE=testdata/tables/yappi_wide_baseline.txt
NEW=testdata/tables/yappi_wide_optimized.txt

expect_exit 0 "$PK" diff "$BASE" "$NEW" --format json
cp "$TMP/out" "$TMP/d.json"
python3 - "$TMP/d.json" "$BASE" "$NEW" <<'PY' || fail "tables: calls and tavg against the yappi columns"
import json, re, sys
d = json.load(open(sys.argv[1]))
def table(path):  # name -> (ncall, ttot, tavg) as yappi printed them
    out = {}
    for line in open(path):
        m = re.match(r"^\S+:\d+ (.+?)\s{2,}(\d+)(?:/\d+)?\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", line)
        if m: out[m.group(1)] = (int(m.group(2)), float(m.group(4)), float(m.group(5)))
    return out
b, n = table(sys.argv[2]), table(sys.argv[3])
assert len(b) == 16 and len(n) == 16, (len(b), len(n))
rows = {r["name"]: r for r in d["rows"]}
for name, (calls, ttot, tavg) in b.items():
    r = rows[name]
    assert r["base_calls"] == calls, (name, r["base_calls"], calls)
    assert abs(r["base_avg"] - ttot / calls) < 1e-9, (name, r["base_avg"], ttot / calls)
    assert abs(r["base_avg"] - tavg) <= 1e-6, (name, r["base_avg"], tavg)  # yappi's 6 decimals
for name, (calls, ttot, tavg) in n.items():
    r = rows[name]
    assert r["new_calls"] == calls and abs(r["new_avg"] - tavg) <= 1e-6, (name, r, calls, tavg)
print(len(rows), "rows: calls and averages as in both tables")
PY
expect_exit 0 "$PK" diff "$BASE" "$NEW" -n 3
expect_grep "$TMP/out" '^ cum delta .* base ncall  new ncall base tavg  new tavg  status +function$'
expect_grep "$TMP/out" ' 1024 +1024 +268us +7.37us  changed +DemoVerifierServer._score$'
expect_exit 0 "$PK" diff "$BASE" "$NEW" --format md
expect_grep "$TMP/out" '^\| function \| status \| .* \| base ncall \| new ncall \| base tavg \| new tavg \|$'
expect_grep "$TMP/out" '^\| `fib` \| changed \| .* \| 8361 \| 8361 \| 3.25us \| 2.09us \|$'
expect_exit 0 "$PK" diff "$BASE" "$NEW" --format csv
python3 - "$TMP/out" "$TMP/d.json" <<'PY' || fail "csv calls equal the json"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
js = {r["name"]: r for r in json.load(open(sys.argv[2]))["rows"]}
assert len(rows) == len(js)
for r in rows:
    j = js[r["name"]]
    assert int(r["base_calls"]) == j["base_calls"] and int(r["new_calls"]) == j["new_calls"], r
    assert abs(float(r["new_avg"]) - j["new_avg"]) < 1e-12, r
PY

# Traces: ncall counts spans. Made here: 40 'step' spans of 1ms in BASE, 10 of 4ms in NEW (same
# time in fewer, slower calls: tavg tells it, cum does not).
python3 - "$TMP" <<'PY'
import json, sys
for name, n, d in (("base", 40, 1000), ("new", 10, 4000)):
    ev, ts = [], 0
    for i in range(n):
        ev.append({"ph": "X", "name": "step", "pid": 1, "tid": 1, "ts": ts, "dur": d})
        ts += d + 10
    json.dump(ev, open(f"{sys.argv[1]}/{name}.json", "w"))
PY
expect_exit 0 "$PK" diff "$TMP/base.json" "$TMP/new.json"
expect_grep "$TMP/out" ' +40 +10 +1ms +4ms  unchanged +step$'
expect_exit 0 "$PK" diff "$TMP/base.json" "$TMP/new.json" --format json
python3 -c '
import json, sys
r = [r for r in json.load(open(sys.argv[1]))["rows"] if r["name"] == "step"][0]
assert (r["base_calls"], r["new_calls"], r["base_avg"], r["new_avg"]) == (40, 10, 1000000, 4000000), r
' "$TMP/out" || fail "trace calls in json"

# A function only on one side was called 0 times on the other; pprof knows no calls at all.
expect_exit 0 "$PK" diff testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz -n 3
grep -q 'ncall' "$TMP/out" && fail "ncall columns on a pprof diff"
expect_exit 0 "$PK" diff testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz --format json
grep -q '"base_calls"' "$TMP/out" && fail "calls in a pprof diff's json"
sed '/ fib  /d' "$NEW" >"$TMP/nofib.txt"
expect_exit 0 "$PK" diff "$BASE" "$TMP/nofib.txt" --format json
python3 -c '
import json, sys
r = [r for r in json.load(open(sys.argv[1]))["rows"] if r["name"] == "fib"][0]
assert r["status"] == "removed" and r["base_calls"] == 8361 and r["new_calls"] == 0 and r["new_avg"] is None, r
' "$TMP/out" || fail "removed function: 0 calls, no average"
finish

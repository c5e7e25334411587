# One total per function table, the same in top, report, diff and gate (and the HTML report, which
# embeds report's JSON): the larger of the sum of self times and the largest ttot, so no share
# passes 100%. Expected totals are computed here from the tables' own text. A /stats table
# filtered to the service's own functions (the json rows dropped) has self times adding up to less
# than main's ttot: the total is main's ttot, and top says so.
. "$(dirname "$0")/lib.bash"
cd "$SRC"

grep -v 'python3.11/json' testdata/tables/yappi_wide_baseline.txt >"$TMP/stats_filtered.txt"
TABLES="testdata/tables/yappi_wide_baseline.txt testdata/tables/yappi_wide_optimized.txt
  testdata/tables/yappi_default_columns.txt testdata/tables/cprofile_cumulative.txt
  testdata/tables/yappi_threads.txt $TMP/stats_filtered.txt"

for t in $TABLES; do
  expect_exit 0 "$PK" top "$t" -n 0 --format json -o "$TMP/top.json"
  expect_exit 0 "$PK" report "$t" -n 0 --format json -o "$TMP/report.json"
  expect_exit 0 "$PK" diff "$t" "$t" --format json -o "$TMP/diff.json"
  expect_exit 0 "$PK" gate "$t" "$t" --format json -o "$TMP/gate.json"
  python3 - "$t" "$TMP" <<'PY' || fail "$t: one total everywhere, shares <= 100%"
import json, re, sys
path, tmp = sys.argv[1], sys.argv[2]
selfs, tots = [], []
text = open(path).read()
if "function calls" in text:  # cProfile: ncalls tottime percall cumtime percall filename:lineno(function)
    rx = re.compile(r"^\s*\d+(?:/\d+)?\s+([\d.]+)\s+[\d.]+\s+([\d.]+)\s+[\d.]+\s+\S")
elif re.search(r"^name\s+id\s+tid\s+ttot\s+scnt", text, re.M):  # yappi threads: ttot is self
    rx = re.compile(r"^\S+\s+\d+\s+\d+\s+(([\d.]+))\s+\d+\s*$")
else:  # yappi functions: ... ncall tsub ttot tavg
    rx = re.compile(r"^\S.*\s(?:\d+\.?\.?|\d+/\d+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+\s*$")
for line in text.splitlines():
    m = rx.match(line)
    if m and not line.startswith("name"):
        selfs.append(float(m.group(1))); tots.append(float(m.group(2)))
assert selfs, "no rows parsed"
want = max(sum(selfs), max(tots))
top = json.load(open(f"{tmp}/top.json"))
rep = json.load(open(f"{tmp}/report.json"))
dif = json.load(open(f"{tmp}/diff.json"))
gate = json.load(open(f"{tmp}/gate.json"))
totals = {"top": top["total"], "report": rep["total"] / 1e9, "diff base": dif["base_total"],
          "diff new": dif["new_total"], "gate base": gate["base_total"], "gate new": gate["new_total"]}
for k, v in totals.items():
    assert abs(v - want) < 1e-6, (k, v, want, totals)
assert abs(top["self_total"] - sum(selfs)) < 1e-6, (top["self_total"], sum(selfs))
assert top["total_from"] == ("self" if sum(selfs) >= max(tots) else top["total_from"]), top["total_from"]
for r in top["rows"]:
    assert abs(r["flat"]) <= top["total"] + 1e-9 and abs(r["cum"]) <= top["total"] + 1e-9, r
for s in rep["sections"]:
    for it in s["items"]:
        assert it["share"] <= 1 + 1e-9, (s["id"], it)
for r in gate["rules"]:
    assert r.get("share_pct", 0) <= 100 + 1e-9, r
print(path, "total", want, "everywhere", "(ttot)" if max(tots) > sum(selfs) else "(sum of self)")
PY
done

# The /stats case: the shown rows' self times add up to less than main's ttot; top says which total.
expect_exit 0 "$PK" top "$TMP/stats_filtered.txt" -n 3 --sort cum
expect_grep "$TMP/out" '^Total: 551ms is the ttot of main, the largest inclusive time; the self times of the 10 rows add up to 397ms \(71\.9%\), the rest is in functions the table does not list$'
expect_grep "$TMP/out" '^Showing nodes accounting for .* of 551ms total$'
expect_grep "$TMP/out" ' 551ms +100% +1 +551ms  main$'
expect_exit 0 "$PK" report "$TMP/stats_filtered.txt"
expect_grep "$TMP/out" 'shares are of the total: 551ms is the ttot of main'
expect_exit 0 "$PK" diff testdata/tables/yappi_wide_baseline.txt testdata/tables/yappi_wide_optimized.txt -n 1
expect_grep "$TMP/out" '^Base: testdata/tables/yappi_wide_baseline.txt \(total 551ms, the ttot of main\)$'
expect_grep "$TMP/out" '^New:  testdata/tables/yappi_wide_optimized.txt \(total 235ms, the ttot of main, -316ms -57.4%\)$'
# The gate's shares were of the sum of self (main at 155% of the optimized table).
expect_exit 0 "$PK" gate testdata/tables/yappi_wide_baseline.txt testdata/tables/yappi_wide_optimized.txt --format json
python3 -c '
import json, sys
rules = [r for r in json.load(open(sys.argv[1]))["rules"] if r["rule"] == "function"]
main = [r for r in rules if r["subject"] == "main"][0]
assert abs(main["share_pct"] - 100) < 1e-9, main
assert max(r["share_pct"] for r in rules) <= 100, rules
' "$TMP/out" || fail "gate shares of the one total"
# A complete table (cProfile: its self times add up to the run) keeps the sum of self.
expect_exit 0 "$PK" top testdata/tables/cprofile_cumulative.txt -n 1
grep -q '^Total:' "$TMP/out" && fail "cProfile: a Total: line although the sum of self is the total"
finish

# perfkit report leads with one headline sentence naming the biggest actionable cost, and leaves
# chains that are merely the program's entry (a root of the call graph holding most of the total
# with little self time: main.main.func1 -> main.serve, clang's ExecuteCompiler, a table's main)
# out of the top consumers, saying so in a note; the same in text, md, csv, json and the HTML page.
# Where go is installed, go tool pprof -traces confirms the left-out chain starts at a root frame
# and the headline's function does not.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
SLOW=testdata/pprof/go_cpu_slow_regex.pb.gz

expect_exit 0 "$PK" report "$SLOW" -n 3
cp "$TMP/out" "$TMP/slow.txt"
[[ $(sed -n 3p "$TMP/slow.txt") == "The biggest cost is main.matchAll: 4.95s (58.2% of the total cpu), through regexp.MustCompile -> regexp.Compile -> regexp.compile; the most self cpu is in "* ]] ||
  fail "headline: $(sed -n 3p "$TMP/slow.txt")"
first=$(grep -m1 -E '^ +1\) ' "$TMP/slow.txt")
[[ $first == *"main.matchAll → regexp.MustCompile → regexp.Compile → regexp.compile" ]] || fail "first top consumer: $first"
grep -qE '^ +[0-9]\) .*main\.main\.func1 → main\.serve$' "$TMP/slow.txt" && fail "the entry chain is still a finding"
expect_grep "$TMP/slow.txt" "^  - left out of the top consumers as the program's entry: main.main.func1 -> main.serve \(7.09s, 83.4% of the total, 0 self\)"

expect_exit 0 "$PK" report "$SLOW" -n 3 --format json
cp "$TMP/out" "$TMP/slow.json"
expect_exit 0 "$PK" report "$SLOW" -n 3 --format md
cp "$TMP/out" "$TMP/slow.md"
expect_exit 0 "$PK" report "$SLOW" -n 3 --format csv
cp "$TMP/out" "$TMP/slow.csv"
expect_exit 0 "$PK" report "$SLOW" -n 3 --format html -o "$TMP/slow.html"
python3 - "$TMP" <<'PY' || fail "one headline and the same findings in every format"
import csv, html, json, re, sys
t = sys.argv[1]
j = json.load(open(f"{t}/slow.json"))
head = j["headline"]
assert head == open(f"{t}/slow.txt").read().splitlines()[2], head
assert f"**{head}**" in html.unescape(open(f"{t}/slow.md").read()), "md headline"
rows = list(csv.reader(open(f"{t}/slow.csv")))
assert rows[1][0] == "headline" and rows[1][-1] == head, rows[1]
page = open(f"{t}/slow.html").read()
m = re.search(r'"headline":"((?:[^"\\]|\\.)*)"', page)
assert m and json.loads('"' + m.group(1) + '"') == head, m and m.group(1)
assert [e["path"] for e in j["entries"]] == [["main.main.func1", "main.serve"]], j["entries"]
e = j["entries"][0]
assert e["self"] == 0 and abs(e["share"] - 7.09 / 8.5) < 1e-3, e
inc = [s for s in j["sections"] if s["id"] == "inclusive"][0]["items"]
assert len(inc) == 3 and all(i["path"][0] != "main.main.func1" for i in inc), inc
assert inc[0]["path"][0] == "main.matchAll", inc[0]
PY

if command -v go >/dev/null; then
  go tool pprof -traces "$SLOW" >"$TMP/traces.txt" 2>/dev/null || fail "go tool pprof -traces"
  python3 - "$TMP/traces.txt" <<'PY' || fail "go tool pprof -traces: main.main.func1 is a root, main.matchAll is not"
import re, sys
roots, inner = set(), set()
for block in open(sys.argv[1]).read().split("-----------+-------------------------------------------------------")[1:]:
    frames = []
    for i, line in enumerate(l for l in block.splitlines() if l.strip()):
        name = line.strip()
        if i == 0:
            name = name.split(None, 1)[1]  # the sample's value comes first
        frames.append(re.sub(r" \((partial-)?inline\)$", "", name))
    if frames:
        roots.add(frames[-1])
        inner.update(frames[:-1])
assert "main.main.func1" in roots and "main.main.func1" not in inner, "main.main.func1 is called"
assert "main.matchAll" in inner and "main.matchAll" not in roots, "main.matchAll is a root"
PY
else
  echo "SKIP: go not on PATH: the root check against go tool pprof -traces not run"
fi

# clang -ftime-trace: ExecuteCompiler (100%) is the entry; the headline names real work.
expect_exit 0 "$PK" report testdata/chrome/clang_ftime_trace.json --format json
python3 - "$TMP/out" <<'PY' || fail "clang trace: ExecuteCompiler left out as the entry"
import json, sys
j = json.load(open(sys.argv[1]))
assert [e["path"][0] for e in j["entries"]] == ["ExecuteCompiler"], j["entries"]
inc = [s for s in j["sections"] if s["id"] == "inclusive"][0]["items"]
assert all(i["path"][0] != "ExecuteCompiler" for i in inc), inc
assert j["headline"].startswith("The biggest cost is " + inc[0]["path"][0] + ": "), j["headline"]
assert inc[0]["share"] < 0.9, inc[0]
PY

# A /stats table: main (100%) and verify (90%, 3% self) are the entry; the headline and the first
# finding are _score, whose <genexpr> holds the most self time.
expect_exit 0 "$PK" report testdata/tables/yappi_wide_baseline.txt -n 2
expect_grep "$TMP/out" "^The biggest cost is DemoVerifierServer._score: 275ms \(49.8% of the total time\); the most self time is in <genexpr> \(267ms, 48.4%\)\.$"
expect_grep "$TMP/out" "^   1\) +275ms +49.8%  DemoVerifierServer._score$"
expect_grep "$TMP/out" "left out of the top consumers as the program's entry: main \(551ms, 100% of the total, 5.6ms self\): a row holding nearly all"
expect_grep "$TMP/out" "left out of the top consumers as the program's entry: DemoVerifierServer.verify \(498ms, 90.3% of the total"

# A profile whose heaviest root does real work of its own keeps it as a finding.
printf '%s\n' 'main;work 90' 'main 10' >"$TMP/self.folded"
expect_exit 0 "$PK" report "$TMP/self.folded" --format json
python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
inc = [s for s in j["sections"] if s["id"] == "inclusive"][0]["items"]
assert j["entries"] == [] and inc[0]["path"] == ["main", "work"], (j["entries"], inc)
' "$TMP/out" || fail "main with 10% self is not an entry"
finish

#!/usr/bin/env bash
# --simplify-names on real C++ profiles: gperftools' cpu.prof symbolized by pprof twice
# (cpp_cpu.pb.gz with pprof's default simplified names, cpp_cpu_fullnames.pb.gz with
# -symbolize=demangle=full), perf script, valgrind's callgrind. The simplified full names give
# what pprof's own symbolization gives, rows merge by the short name, JSON/CSV/folded keep the
# full names, gate's verdict does not change.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
P=testdata/pprof/producers
SHORT=$P/cpp_cpu.pb.gz
FULL=$P/cpp_cpu_fullnames.pb.gz
CG=testdata/callgrind/cpp_work.callgrind.out
PERF=testdata/perf/cpp_threads.perf.txt

# pprof's simplified symbolization and --simplify-names on the full names: the same report,
# byte for byte, for every view and granularity (the overloads of work::area merge; the two
# static mix functions stay apart by file with --by filefunction).
same() {  # same ARGS...: `top ARGS FULL --simplify-names` == `top ARGS SHORT`
  # cpp_cpu.pb.gz was converted with -buildid: a Build ID line the other has not
  "$PK" "$@" "$SHORT" 2>&1 | grep -v '^Build ID: ' >"$TMP/short" || fail "$* on $SHORT"
  "$PK" "$@" "$FULL" --simplify-names >"$TMP/simple" 2>&1 || fail "$* --simplify-names on $FULL"
  cmp -s "$TMP/short" "$TMP/simple" || { fail "$* --simplify-names differs from pprof's names";
    diff "$TMP/short" "$TMP/simple" | head -6; }
}
same top -n 0 --nodefraction 0
same top -n 0 --nodefraction 0 --by filefunction
same top -n 0 --nodefraction 0 --by line
same top -n 10 --sort cum
same top -n 0 --format md
same tree -n 0 --nodefraction 0
same tree --reverse -n 5
same traces
same top -n 0 --focus 'work::area$'
expect_exit 0 "$PK" peek "$SHORT" 'work::area'
grep -v '^Build ID: ' "$TMP/out" >"$TMP/peek_short"
expect_exit 0 "$PK" peek "$FULL" 'work::area' --simplify-names
cmp -s "$TMP/out" "$TMP/peek_short" || fail "peek --simplify-names differs from pprof's names"

# Without the option nothing changes: the full names, overloads apart (pprof's -symbolize=full).
expect_exit 0 "$PK" top "$FULL" -n 0 --nodefraction 0
expect_grep "$TMP/out" ' work::area\(long, long\)$'
grep -q ' work::area$' "$TMP/out" && fail "full names simplified without --simplify-names"
# The short names are a fixed point.
expect_exit 0 "$PK" top "$SHORT" -n 0 --nodefraction 0
cp "$TMP/out" "$TMP/short_plain"
expect_exit 0 "$PK" top "$SHORT" -n 0 --nodefraction 0 --simplify-names
cmp -s "$TMP/out" "$TMP/short_plain" || fail "--simplify-names changed pprof's simplified names"

# JSON and CSV keep the full names: the same bytes with and without the option.
for fmt in json csv; do
  "$PK" top "$FULL" -n 0 --format $fmt >"$TMP/a" && "$PK" top "$FULL" -n 0 --format $fmt \
    --simplify-names >"$TMP/b" || fail "top --format $fmt"
  cmp -s "$TMP/a" "$TMP/b" || fail "top --format $fmt --simplify-names changed the output"
  grep -q 'work::area(long, long)' "$TMP/b" || fail "top --format $fmt: no full name"
done
"$PK" tree --reverse "$FULL" --format json >"$TMP/a" &&
  "$PK" tree --reverse "$FULL" --format json --simplify-names >"$TMP/b" || fail "tree json"
cmp -s "$TMP/a" "$TMP/b" || fail "tree --reverse --format json --simplify-names changed the output"

# Several outputs from one run: each is the bytes of its single-format run (json and csv with the
# full names, text and md with the short ones).
multi() {  # multi SUB ARGS...: SUB ARGS --simplify-names with text, md, json, csv
  local sub=$1; shift
  "$PK" $sub "$@" --simplify-names --output-dir "$TMP/multi_$sub" --format text --format md \
    --format json --format csv || fail "$sub: several outputs"
  for fmt in text md json csv; do
    "$PK" $sub "$@" --simplify-names --format $fmt -o "$TMP/one.$fmt" || fail "$sub --format $fmt"
    local ext=$fmt; [[ $fmt == text ]] && ext=txt
    cmp -s "$TMP/one.$fmt" "$TMP/multi_$sub/$sub.$ext" || fail "$sub: $fmt among several outputs differs"
  done
  grep -qF '::mix(unsigned long)' "$TMP/multi_$sub/$sub.json" || fail "$sub json: no full name"
  grep -qF '::mix(unsigned long)' "$TMP/multi_$sub/$sub.txt" && fail "$sub text: full name left"
}
multi top "$FULL" -n 0
multi report "$FULL" -n 20
multi diff "$SHORT" "$FULL" -n 0
"$PK" tree --reverse "$FULL" --simplify-names --format text -o "$TMP/rt.txt" --format json \
  -o "$TMP/rt.json" || fail "tree --reverse: two outputs"
cmp -s "$TMP/rt.json" "$TMP/a" || fail "tree --reverse: json beside text is not the full names' json"

# valgrind's callgrind (C++ names with parameters): the two overloads of work::Hasher::hash
# become one row whose flat is the sum of theirs and whose cum counts each sample once; the
# recursion level stays (work::fib'2); operator new keeps its name.
expect_exit 0 "$PK" top "$CG" -n 0 --nodefraction 0 --format json
cp "$TMP/out" "$TMP/cg.json"
expect_exit 0 "$PK" top "$CG" -n 0 --nodefraction 0 --simplify-names --unit count  # whole counts
cp "$TMP/out" "$TMP/cg.txt"
python3 - "$TMP/cg.json" "$TMP/cg.txt" <<'PY' || fail "callgrind rows merged by the simplified name"
import json, re, sys
rows = json.load(open(sys.argv[1]))["rows"]
full = {r["name"]: r for r in rows}
a, b = full["work::Hasher::hash(unsigned long, int) const"], full["work::Hasher::hash(char const*) const"]
text = {}
for line in open(sys.argv[2]):
    m = re.match(r"^\s*(\d+)\s+\S+%\s+\S+%\s+(\d+)\s+\S+%\s+(.*)$", line)
    if m: text[m.group(3)] = (int(m.group(1)), int(m.group(2)))
assert text["work::Hasher::hash"] == (a["flat"] + b["flat"], a["cum"] + b["cum"]), text["work::Hasher::hash"]
assert not any("(" in n and not n.startswith("(") for n in text), [n for n in text if "(" in n]
assert "work::fib'2" in text and "work::sum_squares" in text and "operator new" in text, sorted(text)
assert "(anonymous namespace)::mix" in text, sorted(text)
assert len(text) < len(rows), (len(text), len(rows))
flat = sum(v[0] for v in text.values())
assert flat == sum(r["flat"] for r in rows), "flat sum changed by merging"
PY

# perf script: perf prints no parameters; templates and clone suffixes go.
expect_exit 0 "$PK" top "$PERF" -n 0 --nodefraction 0 --simplify-names
expect_grep "$TMP/out" ' work::sum_squares$'
grep -q 'sum_squares<double>' "$TMP/out" && fail "perf: template arguments left"
expect_exit 0 "$PK" top testdata/perf/cpp_two_events.perf.txt -n 0 --nodefraction 0 --simplify-names
expect_grep "$TMP/out" ' do_execveat_common$'
grep -q 'isra' "$TMP/out" && fail "perf: clone suffix left"

# flame: the SVG shows the short names; folded output refuses the option (it keeps the stacks).
expect_exit 0 "$PK" flame "$CG" -o "$TMP/f.svg" --simplify-names
grep -q 'work::Hasher::hash' "$TMP/f.svg" || fail "flame: no simplified name"
grep -q 'hash(char const' "$TMP/f.svg" && fail "flame: full name left"
expect_exit 0 "$PK" flame "$FULL" --base "$SHORT" -o "$TMP/d.svg" --simplify-names
expect_exit 2 "$PK" flame "$CG" --format folded --simplify-names -o "$TMP/x.folded"
expect_grep "$TMP/err" "simplify-names"
[[ -e $TMP/x.folded ]] && fail "flame folded: output written after a usage error"

# report: text and md simplified, JSON full; html shows the short names and says the option.
MIX='work::(anonymous namespace)::mix'
expect_exit 0 "$PK" report "$FULL"
grep -qF "$MIX(unsigned long)" "$TMP/out" || fail "report text without the option: no full name"
expect_exit 0 "$PK" report "$FULL" --simplify-names
grep -qF "$MIX" "$TMP/out" || fail "report text: no simplified name"
grep -qF "$MIX(unsigned long)" "$TMP/out" && fail "report text: full name left"
expect_exit 0 "$PK" report "$FULL" --simplify-names --format md
grep -qF "$MIX(unsigned long)" "$TMP/out" && fail "report md: full name left"
expect_exit 0 "$PK" report "$FULL" --simplify-names --format json
grep -qF "$MIX(unsigned long)" "$TMP/out" || fail "report json: no full name"
expect_exit 0 "$PK" report "$FULL" --simplify-names --format html -o "$TMP/r.html"
grep -qF "$MIX(unsigned long)" "$TMP/r.html" && fail "report html: full name left"
grep -qF "$MIX" "$TMP/r.html" || fail "report html: no simplified name"
grep -q -- '--simplify-names' "$TMP/r.html" || fail "report html: command line without the option"

# diff: pprof's names against the full ones are the same profile once simplified (no change).
expect_exit 0 "$PK" diff "$SHORT" "$FULL" --simplify-names --format md
grep -q 'work::area(long' "$TMP/out" && fail "diff md: full name left"
expect_exit 0 "$PK" diff "$SHORT" "$FULL" --simplify-names -n 0
cp "$TMP/out" "$TMP/diff_simple"
expect_exit 0 "$PK" diff "$SHORT" "$SHORT" -n 0
grep -v '^New: ' "$TMP/diff_simple" >"$TMP/a"; grep -v '^New: ' "$TMP/out" >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || { fail "diff SHORT FULL --simplify-names is not diff SHORT SHORT";
  diff "$TMP/a" "$TMP/b" | head -6; }
"$PK" diff "$SHORT" "$FULL" --format json >"$TMP/a" &&
  "$PK" diff "$SHORT" "$FULL" --format json --simplify-names >"$TMP/b" || fail "diff json"
cmp -s "$TMP/a" "$TMP/b" || fail "diff --format json --simplify-names changed the output"

# gate: the verdict (exit code, JSON, JUnit) is judged on the full names either way; the text,
# md and github outputs print the short names.
"$PK" gate "$SHORT" "$FULL" --format json -o "$TMP/g1.json" --format text -o "$TMP/g1.txt"
e1=$?
"$PK" gate "$SHORT" "$FULL" --simplify-names --format json -o "$TMP/g2.json" --format text \
  -o "$TMP/g2.txt" --format junit -o "$TMP/g2.xml" --format md -o "$TMP/g2.md"
e2=$?
[[ $e1 == "$e2" && ($e1 == 0 || $e1 == 1) ]] || fail "gate exit $e1 without, $e2 with --simplify-names"
cmp -s "$TMP/g1.json" "$TMP/g2.json" || fail "gate json changed by --simplify-names"
FILL='std::__fill_a1<double*, double>(double*'
grep -qF 'std::__fill_a1&lt;double*, double&gt;(double*' "$TMP/g2.xml" || fail "gate junit: no full name"
grep -qF "$FILL" "$TMP/g1.txt" || fail "gate text without the option: no full name"
grep -qF "$FILL" "$TMP/g2.txt" && fail "gate text: full name left"
grep -qF "$FILL" "$TMP/g2.md" && fail "gate md: full name left"
grep -q 'added: std::__fill_a1: ' "$TMP/g2.txt" || fail "gate text: no simplified name"

# Every subcommand that prints names for people offers it.
for sub in top tree peek traces report flame diff gate; do
  "$PK" $sub --help | grep -q -- '--simplify-names' || fail "$sub --help: no --simplify-names"
done
finish

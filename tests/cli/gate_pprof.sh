#!/usr/bin/env bash
# perfkit gate on the Go corpus: exit 1 naming main.matchAll with the default policy, exit 0 for a
# file against itself, every output format against its golden, rules files, exit codes 2 and 3.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/diff_golden.bash"
BASE=testdata/pprof/go_cpu_base.pb.gz
NEW=testdata/pprof/go_cpu_slow_regex.pb.gz

expect_exit 0 "$PK" gate --help
expect_grep "$TMP/out" "default 10%"
expect_grep "$TMP/out" "Exit 0 pass, 1 regression"

expect_exit 1 "$PK" gate "$BASE" "$NEW"
expect_grep "$TMP/out" "^perfkit gate: FAIL"
# The verdict starts with the cause: main.matchAll newly calls regexp.MustCompile; the runtime
# functions that grew with it are grouped under it and capped at 10 lines.
first=$(grep -m1 -E '^ *(FAIL|WARN)' "$TMP/out")
[[ $first == "FAIL cause: main.matchAll (svc/main.go:54): own change +4.76s (new calls to regexp.MustCompile +4.78s"*"of the growth; explains "* ]] ||
  fail "the first failing line is not main.matchAll's new calls to regexp.MustCompile: $first"
[[ $(grep -cE '^ *(FAIL|WARN)' "$TMP/out") -le 10 ]] || fail "more than 10 failing lines by default"
expect_grep "$TMP/out" '^  FAIL function: main.matchAll: cum 490ms -> 4.95s'
expect_grep "$TMP/out" '^  FAIL added: regexp.MustCompile: only in new, 4.78s \(share 56.2%\)'
expect_grep "$TMP/out" '^\.\.\. and [0-9]+ more failing or warning rules.*see --format json'
expect_exit 1 "$PK" gate "$BASE" "$NEW" -n 0
[[ $(grep -cE '^ *(FAIL|WARN) [a-z]+:' "$TMP/out") == $(( $(sed -n 's/^perfkit gate: FAIL (\([0-9]*\) failed, \([0-9]*\) warnings.*/\1 + \2/p' "$TMP/out") + $(grep -c '^FAIL cause' "$TMP/out") )) ]] ||
  fail "-n 0: every failing and warning rule, plus the causes"
grep -q '^\.\.\. and' "$TMP/out" && fail "-n 0 still cuts the list"
expect_exit 1 "$PK" gate "$BASE" "$NEW" -n 3
[[ $(grep -cE '^ *(FAIL|WARN)' "$TMP/out") == 3 ]] || fail "-n 3: not 3 lines"
expect_exit 1 "$PK" gate "$BASE" "$NEW" --format json
python3 - "$TMP/out" <<'PY' || fail "json: causes with shares of the growth, every failing function under one"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["causes"][0]
assert c["subject"] == "main.matchAll" and c["new_calls"][0]["callee"] == "regexp.MustCompile", c
assert 0.9 < c["share_of_growth"] <= 1 and sum(x["share_of_growth"] for x in d["causes"]) <= 1.0000001
mc = [r for r in d["rules"] if r["subject"] == "regexp.MustCompile"][0]
assert mc["outcome"] == "fail" and mc["cause"] == 0, mc
assert sum(x["rules"] for x in d["causes"]) == sum(1 for r in d["rules"] if "cause" in r)
PY

expect_exit 0 "$PK" gate "$BASE" "$BASE"
expect_grep "$TMP/out" "^perfkit gate: PASS \(0 failed"

for fmt in text md json junit github; do
  expect_exit 1 "$PK" gate "$BASE" "$NEW" --min-share 5% --format $fmt
  golden gate/slow_regex.$fmt "$TMP/out"
done
expect_exit 0 "$PK" gate "$BASE" "$BASE" --min-share 5% --format junit
golden gate/self.junit "$TMP/out"
# GitHub: one annotation per cause, never one per runtime function; a file only when it exists
# under the source root (svc/main.go is not in this repository).
expect_exit 1 "$PK" gate "$BASE" "$NEW" --format github
[[ $(grep -c '^::error' "$TMP/out") == $(grep -c 'regression cause::' "$TMP/out") ]] || fail "github: an annotation that is not a cause"
expect_grep "$TMP/out" '^::error title=perfkit gate%3A regression cause::main.matchAll \(svc/main.go:54\): own change'
grep -q 'file=' "$TMP/out" && fail "github: annotation on a file that is not under the working directory"
mkdir -p "$TMP/src/svc" && echo 'package main' >"$TMP/src/svc/main.go"
expect_exit 1 "$PK" gate "$BASE" "$NEW" --format github --source-root "$TMP/src"
expect_grep "$TMP/out" '^::error file=svc/main.go,line=54,title=perfkit gate%3A regression cause::main.matchAll'
[[ $(grep -c 'file=' "$TMP/out") == 1 ]] || fail "github --source-root: only the file that exists is named"
(cd "$TMP/src" && "$PK" gate "$SRC/$BASE" "$SRC/$NEW" --format github >"$TMP/out")
expect_grep "$TMP/out" '^::error file=svc/main.go,line=54,'
expect_exit 1 "$PK" gate "$BASE" "$NEW" --format junit -o "$TMP/junit.xml"
python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); s=r.find("testsuite"); f=[c for c in s.iter("testcase") if c.find("failure") is not None]; assert int(s.get("failures"))==len(f)>0; assert any(c.get("name")=="main.matchAll" for c in f)' "$TMP/junit.xml" || fail "junit: one failing testcase per failed rule, main.matchAll among them"

# Policy from flags and from rules files; flags override the file.
expect_exit 0 "$PK" gate "$BASE" "$NEW" --rules testdata/gate/lenient.json
expect_exit 1 "$PK" gate "$BASE" "$NEW" --rules testdata/gate/lenient.json --max-function-regression 500%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --rules testdata/gate/strict.json
expect_exit 1 "$PK" gate "$BASE" "$NEW" --rules testdata/gate/strict.json -n 0
expect_grep "$TMP/out" "^  FAIL added: regexp.compile: only in new, 4.78s"
# Added functions warn, but one with a share of 5% or more fails (regexp.MustCompile: 56%).
expect_exit 1 "$PK" gate "$BASE" "$NEW" --max-function-regression 2000% --min-share 5%
expect_grep "$TMP/out" "FAIL added: regexp.MustCompile: only in new, 4.78s \(share 56.2%\)"
expect_grep "$TMP/out" "added=warn \(fail at share >= 5%\)"
expect_exit 0 "$PK" gate "$BASE" "$NEW" --max-function-regression 2000% --min-share 5% --added-fail-share 100%
expect_exit 0 "$PK" gate "$BASE" "$NEW" --max-function-regression 2000% --min-share 5% --added-fail-share 60%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --max-function-regression 2000% --min-share 5% --added-fail-share 50%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --max-function-regression 2000% --min-share 5% --added fail --added-fail-share 100%
expect_exit 0 "$PK" gate "$BASE" "$NEW" --focus 'compress' --max-total-regression 50%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --on self --max-function-regression 100% --min-share 5%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --on self --max-function-regression 100% --min-share 5% -n 0
expect_grep "$TMP/out" "FAIL function: runtime.mallocgc: self 250ms -> 550ms"

# Exit 2: usage.
expect_exit 2 "$PK" gate "$BASE"
expect_grep "$TMP/err" "span budgets"
expect_exit 2 "$PK" gate "$BASE" "$NEW" --added sometimes
expect_exit 2 "$PK" gate "$BASE" "$NEW" --max-function-regression lots
expect_exit 2 "$PK" gate "$BASE" "$NEW" --min-delta 5MiB
expect_exit 2 "$PK" gate "$BASE" "$NEW" --budget 'step:p42<=1ms'
expect_exit 2 "$PK" gate "$BASE" "$NEW" --base "$BASE" --new "$NEW"
expect_exit 2 "$PK" gate "$BASE" "$NEW" --format xml
# Exit 3: bad input or rules file.
expect_exit 3 "$PK" gate "$BASE" "$TMP/missing.pb.gz"
echo '{"max_function_regression": 10,' >"$TMP/bad.json"
expect_exit 3 "$PK" gate "$BASE" "$NEW" --rules "$TMP/bad.json"
expect_grep "$TMP/err" "bad.json: byte [0-9]+: not valid JSON"
echo '{"max_fn_regression": 10}' >"$TMP/unknown.json"
expect_exit 3 "$PK" gate "$BASE" "$NEW" --rules "$TMP/unknown.json"
expect_grep "$TMP/err" "unknown key 'max_fn_regression'"
expect_exit 3 "$PK" gate "$BASE" testdata/pprof/go_heap.pb.gz
finish

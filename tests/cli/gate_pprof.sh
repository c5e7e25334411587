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
[[ $(grep -m1 '^FAIL function' "$TMP/out") == "FAIL function: main.matchAll: cum 490ms -> 4.95s"* ]] ||
  fail "the first failing function is not main.matchAll: $(grep -m1 '^FAIL function' "$TMP/out")"

expect_exit 0 "$PK" gate "$BASE" "$BASE"
expect_grep "$TMP/out" "^perfkit gate: PASS \(0 failed"

for fmt in text md json junit github; do
  expect_exit 1 "$PK" gate "$BASE" "$NEW" --min-share 5% --format $fmt
  golden gate/slow_regex.$fmt "$TMP/out"
done
expect_exit 0 "$PK" gate "$BASE" "$BASE" --min-share 5% --format junit
golden gate/self.junit "$TMP/out"
expect_exit 1 "$PK" gate "$BASE" "$NEW" --format github
expect_grep "$TMP/out" '^::error file=svc/main.go,line=[0-9]+,title=perfkit gate%3A function regression::main.matchAll: cum '
expect_exit 1 "$PK" gate "$BASE" "$NEW" --format junit -o "$TMP/junit.xml"
python3 -c 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); s=r.find("testsuite"); f=[c for c in s.iter("testcase") if c.find("failure") is not None]; assert int(s.get("failures"))==len(f)>0; assert any(c.get("name")=="main.matchAll" for c in f)' "$TMP/junit.xml" || fail "junit: one failing testcase per failed rule, main.matchAll among them"

# Policy from flags and from rules files; flags override the file.
expect_exit 0 "$PK" gate "$BASE" "$NEW" --rules testdata/gate/lenient.json
expect_exit 1 "$PK" gate "$BASE" "$NEW" --rules testdata/gate/lenient.json --max-function-regression 500%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --rules testdata/gate/strict.json
expect_grep "$TMP/out" "^FAIL added: regexp.compile: only in new, 4.78s"
expect_exit 0 "$PK" gate "$BASE" "$NEW" --max-function-regression 2000% --min-share 5%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --max-function-regression 2000% --min-share 5% --added fail
expect_exit 0 "$PK" gate "$BASE" "$NEW" --focus 'compress' --max-total-regression 50%
expect_exit 1 "$PK" gate "$BASE" "$NEW" --on self --max-function-regression 100% --min-share 5%
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

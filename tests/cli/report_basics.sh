#!/usr/bin/env bash
# perfkit report: formats, -o, exit codes, the regexp regression named first.
. "$(dirname "$0")/lib.bash"
SLOW=testdata/pprof/go_cpu_slow_regex.pb.gz

expect_exit 0 "$PK" report --help
expect_grep "$TMP/out" "caching candidates"
expect_exit 0 "$PK" report "$SLOW"
expect_grep "$TMP/out" "^Bottleneck report: "
# Within the first findings: the main.matchAll -> regexp compile chain, with its reason.
head -12 "$TMP/out" | grep -qE "main\.matchAll → regexp\.MustCompile → .*regexp\.compile" ||
  fail "regexp compilation under main.matchAll not among the first findings"
expect_grep "$TMP/out" "why: 58.2% of the total \(4.95s\) is spent in main.matchAll"

expect_exit 0 "$PK" report "$SLOW" --format md -o "$TMP/r.md"
expect_grep "$TMP/r.md" "^### Bottleneck report"
# (rank 1: main.main.func1 -> main.serve is the program's entry, left out; tests/cli/report_headline.sh)
expect_grep "$TMP/r.md" '^\| 1 \| 4.95s \| 58.2% \| `main.matchAll` → `regexp.MustCompile`'
expect_exit 0 "$PK" report "$SLOW" --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=[x["id"] for x in d["sections"]]; assert s==["inclusive","self","callees","hot_paths"], s; assert d["total"]==8500000000' "$TMP/out" || fail "report json"
expect_exit 0 "$PK" report "$SLOW" --format csv
expect_grep "$TMP/out" "^section,rank,path,value,"
expect_exit 0 "$PK" report "$SLOW" --ignore 'regexp' -n 3
grep -q "regexp\." "$TMP/out" && fail "--ignore regexp still lists regexp"

expect_exit 0 "$PK" report testdata/tables/cprofile_cumulative.txt -n 3
expect_grep "$TMP/out" "Caching candidates"
expect_exit 0 "$PK" report testdata/chrome/node_trace_events.json -n 3

expect_exit 2 "$PK" report "$SLOW" --format html5
expect_exit 2 "$PK" report "$SLOW" --sample-index nope
expect_exit 3 "$PK" report "$TMP/none"
expect_exit 4 "$PK" report "$SLOW" -o /dev/full
finish

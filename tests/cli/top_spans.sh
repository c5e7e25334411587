#!/usr/bin/env bash
# perfkit spans and top on traces and tables: exit codes, formats, known heaviest entries.
. "$(dirname "$0")/lib.bash"
K=testdata/chrome/spans_known.json

expect_exit 0 "$PK" spans --help
expect_grep "$TMP/out" "nearest-rank"
expect_exit 0 "$PK" spans "$K"
expect_grep "$TMP/out" "^ +100 +5.05s +2.52s +50.5ms +1ms +50ms +90ms +95ms +99ms +100ms  step$"
expect_exit 0 "$PK" spans "$K" --format json --sort p99 -n 1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["rows"][0]; assert r["name"]=="step" and r["p50_ns"]==50000000 and r["p99_ns"]==99000000, r' "$TMP/out" || fail "spans json"
expect_exit 0 "$PK" spans "$K" --format csv --by thread
expect_grep "$TMP/out" "^main \(1/1\),complete,200,"
expect_exit 0 "$PK" spans "$K" --format md -o "$TMP/spans.md"
expect_grep "$TMP/spans.md" '^\| `step` \| 100 \|'
expect_exit 2 "$PK" spans "$K" --sort p42
expect_exit 3 "$PK" spans testdata/pprof/go_heap.pb.gz
expect_grep "$TMP/err" "needs a Chrome trace"

# clang: the Total summaries never outrank real work, in spans and in top.
expect_exit 0 "$PK" spans testdata/chrome/clang_ftime_trace.json -n 5
grep -q "Total " "$TMP/out" && fail "clang Total summary listed by spans"
expect_exit 0 "$PK" top testdata/chrome/clang_ftime_trace.json --sort cum -n 5 --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=[r["name"] for r in d["rows"]]; assert not any(x.startswith("Total ") for x in n), n; assert n[0]=="ExecuteCompiler", n' "$TMP/out" || fail "clang top by cum"

# tables: yappi ranks by ttot and tsub, with ncall and tavg.
for f in testdata/tables/yappi_wide_baseline.txt testdata/tables/yappi_default_columns.txt; do
  expect_exit 0 "$PK" top "$f" --sort cum -n 3 --format json
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=[r["name"] for r in d["rows"]]; assert d["value_type"]["unit"]=="seconds"; assert any("DemoVerifierServer.verify" in x or x.endswith("main") for x in n[:2]), n; assert all(isinstance(r["calls"], int) for r in d["rows"]), d["rows"]' "$TMP/out" || fail "yappi by ttot: $f"
  expect_exit 0 "$PK" top "$f" -n 1 --format json
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "<genexpr>" in d["rows"][0]["name"], d["rows"]' "$TMP/out" || fail "yappi by tsub: $f"
done
expect_exit 0 "$PK" top testdata/tables/yappi_wide_baseline.txt -n 3
expect_grep "$TMP/out" "ncall +tavg"
finish

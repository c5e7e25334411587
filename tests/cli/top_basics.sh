#!/usr/bin/env bash
# perfkit top: formats, -o, options, exit codes.
. "$(dirname "$0")/lib.bash"
CPU=testdata/pprof/go_cpu_slow_regex.pb.gz

expect_exit 0 "$PK" top --help
expect_grep "$TMP/out" "perfkit top"
expect_grep "$TMP/out" "default 20"

expect_exit 0 "$PK" top "$CPU"
expect_grep "$TMP/out" "^      flat  flat%   sum%        cum   cum%$"
[[ $(grep -c '%  [^ ]' "$TMP/out") == 20 ]] || fail "default -n is not 20 rows"

expect_exit 0 "$PK" top "$CPU" --format json -n 5
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["value_type"]=={"type":"cpu","unit":"nanoseconds"}, d["value_type"]; assert d["total"]==8500000000; assert len(d["rows"])==5; r=d["rows"][0]; assert set(r)>={"name","file","line","flat","cum","calls"}; assert r["calls"] is None' "$TMP/out" || fail "json shape"

expect_exit 0 "$PK" top "$CPU" --format csv -n 3
[[ $(wc -l <"$TMP/out") == 4 ]] || fail "csv: header + 3 rows"
expect_grep "$TMP/out" "^name,file,line,flat,flat_pct,sum_pct,cum,cum_pct,calls,unit$"

expect_exit 0 "$PK" top "$CPU" --format md -n 3
expect_grep "$TMP/out" '^\| 1 \| 1.1s \| 12.9% \|'

expect_exit 0 "$PK" top "$CPU" --sort cum --focus 'main\.matchAll' -n 5 --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=[r["name"] for r in d["rows"]]; assert "main.matchAll" in n, n' "$TMP/out" || fail "focus keeps main.matchAll"
expect_exit 0 "$PK" top "$CPU" --hide '^runtime\.' -n 0 --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert not any(r["name"].startswith("runtime.") for r in d["rows"])' "$TMP/out" || fail "hide runtime"
expect_exit 0 "$PK" top "$CPU" --by file -n 3
expect_exit 0 "$PK" top "$CPU" --by line -n 3
expect_grep "$TMP/out" "\.(go|s):[0-9]+"

expect_exit 0 "$PK" top "$CPU" -o "$TMP/top.txt"
[[ -s "$TMP/top.txt" && ! -s "$TMP/out" ]] || fail "-o writes the file, not stdout"

expect_exit 2 "$PK" top "$CPU" --sample-index nope
expect_grep "$TMP/err" "no such value type"
expect_exit 2 "$PK" top "$CPU" --focus '('
expect_exit 2 "$PK" top "$CPU" --sort name
expect_exit 2 "$PK" top "$CPU" --format yaml
expect_exit 3 "$PK" top "$TMP/missing.pb.gz"
expect_exit 4 "$PK" top "$CPU" -o /dev/full
finish

#!/usr/bin/env bash
# -j 1 and -j 2 give the same output bytes for every subcommand whose work splits (several input
# files, JSON-lines fragments, gunzip + parse), on a small genprofiles workload; and stdin (a pipe,
# read by growing the buffer) gives the same bytes as the file (read in one fstat-sized piece).
. "$(dirname "$0")/lib.bash"
GEN="$SRC/../shared/tools/genprofiles.py"
[[ -f $GEN ]] || { echo "skip: no $GEN"; exit 0; }
python3 "$GEN" "$TMP/base" --scale small >/dev/null 2>&1 || fail "genprofiles base"
python3 "$GEN" "$TMP/new" --scale small --variant new >/dev/null 2>&1 || fail "genprofiles new"
B=$TMP/base; N=$TMP/new
same() {  # same NAME CMD... (with -j inserted after the subcommand)
  local name=$1 sub=$2; shift 2
  "$PK" "$sub" -j 1 "$@" >"$TMP/$name.j1" 2>"$TMP/$name.e1"; local r1=$?
  "$PK" "$sub" -j 2 "$@" >"$TMP/$name.j2" 2>"$TMP/$name.e2"; local r2=$?
  [[ $r1 == 0 && $r2 == 0 ]] || { fail "$name: exit $r1 / $r2"; head -3 "$TMP/$name.e1"; return; }
  [[ -s $TMP/$name.j1 ]] || fail "$name: empty output"
  cmp -s "$TMP/$name.j1" "$TMP/$name.j2" || fail "$name: -j 1 and -j 2 differ"
}
same merge_frag merge "$B"/fragments/*.jsonl
same merge_pprof merge "$B/profile.pb.gz" "$N/profile.pb.gz"
same top_gz top "$B/profile.pb.gz" -n 0
same diff_gz diff "$B/profile.pb.gz" "$N/profile.pb.gz"
same spans spans "$B/trace.json"
same top_trace top "$B/trace.json" -n 0
same info_folded info "$B/stacks.folded"
same flame flame "$B/stacks.folded"
same frag_info info "$B/fragments/worker-1.jsonl"
# stdin vs file: the same bytes
"$PK" top - -n 0 <"$B/profile.pb.gz" >"$TMP/stdin.out" 2>/dev/null || fail "top from stdin"
cmp -s "$TMP/stdin.out" "$TMP/top_gz.j1" || fail "top from stdin differs from the file"
cat "$B/trace.json" | "$PK" spans - >"$TMP/stdin2.out" 2>/dev/null || fail "spans from a pipe"
cmp -s "$TMP/stdin2.out" "$TMP/spans.j1" || fail "spans from a pipe differs from the file"
finish

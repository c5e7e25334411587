#!/usr/bin/env bash
# Deep inputs never recurse: a folded stack 1,000,000 frames deep and Chrome B events nested
# 1,000,000 deep go through info, top, flame and convert --to pprof without overflowing the C++
# stack (a signal), without hanging (timeout), and with the right numbers where they are small.
# Inputs are generated here, in a temp dir (tens of MB, never committed).
. "$(dirname "$0")/lib.bash"
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
# Generous limits: a sanitizer build runs these several times slower than a release build.
LIMIT=${PERFKIT_DEEP_LIMIT:-240}
run() {  # run CODES... -- CMD...: like expect_exit, but any of CODES passes, with a time limit
  local want=()
  while [[ $1 != -- ]]; do want+=("$1"); shift; done; shift
  local t0=$SECONDS
  timeout "$LIMIT" "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  local w
  for w in "${want[@]}"; do [[ $got == "$w" ]] && { echo "  ok ($((SECONDS - t0))s, exit $got): ${*:2:3}"; return 0; }; done
  if ((got == 124)); then fail "timed out after ${LIMIT}s: $*"
  elif ((got > 128)); then fail "killed by signal $((got - 128)): $*"
  else fail "exit $got, wanted ${want[*]}: $*"; fi
  sed 's/^/  stderr: /' "$TMP/err" | head -5
  return 1
}

# Sanitizer builds (.ci/sanitize) use 200,000: still far past any C++ stack, in a quarter the time.
N=${PERFKIT_DEEP_N:-1000000}
python3 - "$TMP" "$N" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
# One stack of n distinct functions (root f0 ... leaf f999999), weight 7.
with open(f"{d}/deep.folded", "w") as f:
    f.write(";".join(f"f{i}" for i in range(n)) + " 7\n")
# The same function n times (deep recursion): cum must count it once.
with open(f"{d}/recursive.folded", "w") as f:
    f.write(";".join(["rec"] * n) + " 3\nrec;other 2\n")
# B events nested n deep on one thread, each closed by its E: B at ts=i, E at ts=2n-i (microseconds).
with open(f"{d}/deep.json", "w") as f:
    f.write("[")
    f.write("".join('{"ph":"B","pid":1,"tid":1,"ts":%d,"name":"s%d"},' % (i, i % 1000) for i in range(n)))
    f.write(",".join('{"ph":"E","pid":1,"tid":1,"ts":%d}' % (n + i + 1) for i in range(n)))
    f.write("]\n")
PY

# --- folded, 1,000,000 distinct frames ---
# (A 7.9 MB line is past what the folded probe looks at, so the format is named.)
FOLD=(--input-format folded)
run 0 -- "$PK" info "${FOLD[@]}" "$TMP/deep.folded" --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d[0] if isinstance(d,list) else d; s=json.dumps(d); assert sys.argv[2] in s, s[:400]' "$TMP/out" "$N" \
  || fail "info does not report depth/frames $N"
run 0 -- "$PK" top "${FOLD[@]}" "$TMP/deep.folded" -n 3 --format json
python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); r=d["rows"]
assert r[0]["name"]=="f%d" % (int(sys.argv[2]) - 1) and r[0]["flat"]==7, r[0]
assert d["total"]==7, d["total"]' "$TMP/out" "$N" || fail "top on the deep stack: leaf flat 7"
run 0 -- "$PK" top "${FOLD[@]}" "$TMP/deep.folded" --sort cum -n 0 --format csv
[[ $(wc -l <"$TMP/out") == $((N + 1)) ]] || fail "top -n 0: wanted $N rows, got $(($(wc -l <"$TMP/out") - 1))"
run 0 -- "$PK" flame "${FOLD[@]}" "$TMP/deep.folded" -o "$TMP/deep.svg"
[[ -s "$TMP/deep.svg" ]] || fail "flame wrote no SVG"
tail -c 100 "$TMP/deep.svg" | grep -q "</svg>" || fail "flame SVG is not closed"
run 0 -- "$PK" convert --to pprof "${FOLD[@]}" "$TMP/deep.folded" -o "$TMP/deep.pb.gz"
run 0 -- "$PK" top "$TMP/deep.pb.gz" -n 1 --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["rows"][0]["name"]=="f%d" % (int(sys.argv[2]) - 1), d["rows"][0]' "$TMP/out" "$N" \
  || fail "pprof round trip of the deep stack"
run 0 -- "$PK" convert --to folded "$TMP/deep.pb.gz" -o "$TMP/back.folded"
cmp -s "$TMP/deep.folded" "$TMP/back.folded" || fail "deep stack folded -> pprof -> folded is not the same"

# --- folded, one function recursing 1,000,000 deep: cum counted once per sample ---
run 0 -- "$PK" top "${FOLD[@]}" "$TMP/recursive.folded" --format json
python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); rows={r["name"]: r for r in d["rows"]}
assert rows["rec"]["cum"]==5 and rows["rec"]["flat"]==3, rows["rec"]
assert rows["other"]["flat"]==2, rows' "$TMP/out" || fail "recursion: rec cum 5 flat 3"
run 0 -- "$PK" flame "${FOLD[@]}" "$TMP/recursive.folded" -o "$TMP/rec.svg"
run 0 -- "$PK" convert --to pprof "${FOLD[@]}" "$TMP/recursive.folded" -o "$TMP/rec.pb.gz"

# --- Chrome trace, B events nested 1,000,000 deep ---
if ! printf '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":1}]' >"$TMP/probe.json" ||
   "$PK" info "$TMP/probe.json" 2>&1 | grep -q "not built yet"; then
  echo "SKIP: the chrome reader is not built yet"
else
  run 0 -- "$PK" info "$TMP/deep.json" --format json
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d[0] if isinstance(d,list) else d; assert d.get("spans")==int(sys.argv[2]), {k: d[k] for k in d if k!="warnings"}' "$TMP/out" "$N" \
    || fail "info: $N spans"
  run 0 -- "$PK" spans "$TMP/deep.json" -n 2 --format json
  # Stacks from spans: every span is a sample whose stack is all the spans around it, so N nested
  # spans are N samples of depth 1..N. flame builds its tree from the stack trie (linear).
  run 0 3 -- "$PK" flame "$TMP/deep.json" -o "$TMP/deep_trace.svg"
  # top, report: cum and caller->callee edges once per stack, over the trie (linear).
  run 0 -- "$PK" top "$TMP/deep.json" -n 3
  run 0 -- "$PK" report "$TMP/deep.json" -n 3
  # pprof lists every sample's whole stack: N(N+1)/2 location ids here. Refused before the first
  # byte (tests/cli/hostile_bounds.sh checks the message), no output file left.
  run 3 -- "$PK" convert --to pprof "$TMP/deep.json" -o "$TMP/deep_trace.pb.gz"
  grep -q "its stacks add up to $((N * (N + 1) / 2)) frames" "$TMP/err" || fail "convert --to pprof: no frame count in: $(head -c 300 "$TMP/err")"
  [[ -e "$TMP/deep_trace.pb.gz" ]] && fail "convert --to pprof left an output after refusing"
fi

finish

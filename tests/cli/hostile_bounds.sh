#!/usr/bin/env bash
# Small hostile files that once took every command past 20 s or gigabytes (issue 14), each run
# through the commands that broke, with bounded time and memory: a pprof whose drop_frames regex
# nests 50,000 groups (a std::regex stack overflow) or is (a|a)*b against 40 a's (exponential
# backtracking); one location of 100,000 inlined lines under 1,000 samples (each expanded per
# sample); 62,500 nested X events and 200,000 B events never closed (N(N+1)/2 frames of stacks),
# also reversed (flame --reverse, tree --reverse) and printed per sample (traces).
# Each command must exit 0 or 3 within the time limit and stay under 1 GiB of peak RSS; an
# address-space limit makes a blow-up fail at once rather than swap. Inputs are generated here.
. "$(dirname "$0")/lib.bash"
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
GEN="$SRC/tests/cli/hostile_gen.py"
LIMIT=${PERFKIT_HOSTILE_LIMIT:-30}
RSS_MB=1024
# Sanitizer builds reserve terabytes of shadow address space and double the heap: no address
# limit there, and a looser RSS bound.
AS=(prlimit --as=$((3 << 30)))
if [[ -n "${PERFKIT_SANITIZED:-}" ]] || ! command -v prlimit >/dev/null; then AS=(); RSS_MB=3072; fi

# bounded CODES -- CMD...: exit in CODES, no signal, within LIMIT seconds and RSS_MB of memory.
bounded() {
  local want=()
  while [[ $1 != -- ]]; do want+=("$1"); shift; done; shift
  /usr/bin/time -f "%e %M" -o "$TMP/time" timeout "$LIMIT" "${AS[@]}" "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$? secs kb
  read -r secs kb <"$TMP/time" 2>/dev/null || { secs=?; kb=0; }
  [[ $secs =~ ^[0-9] ]] || read -r secs kb < <(tail -1 "$TMP/time")
  local what="${*:2:3} ${*: -1}"
  what=${what//$TMP\//}
  if ((got == 124)); then fail "timed out after ${LIMIT}s: $what"; return 1; fi
  if ((got > 128)); then fail "killed by signal $((got - 128)): $what"; return 1; fi
  if [[ " ${want[*]} " != *" $got "* ]]; then
    fail "exit $got, wanted ${want[*]}: $what"; sed 's/^/  stderr: /' "$TMP/err" | head -3; return 1
  fi
  if ((kb / 1024 >= RSS_MB)); then fail "peak RSS $((kb / 1024)) MB >= $RSS_MB MB: $what"; return 1; fi
  echo "  ok ${secs}s $((kb / 1024)) MB exit $got: $what"
}

# --- drop_frames regexes: a warning naming the file, the profile read unpruned ---
python3 "$GEN" nested-groups "$TMP/nested.pb"
python3 "$GEN" nested-groups "$TMP/nested30k.pb" 30000
python3 "$GEN" backtrack "$TMP/backtrack.pb"
for cmd in info top flame report; do
  bounded 0 -- "$PK" $cmd "$TMP/nested.pb" -o "$TMP/o"
  if [[ $cmd == info ]]; then  # info lists the warnings in its output
    expect_grep "$TMP/o" "warning: +drop_frames regex .* does not compile \(pattern of 100005 bytes is longer than the 65536"
  else
    expect_grep "$TMP/err" "warning: .*nested.pb: drop_frames regex .* does not compile \(pattern of 100005 bytes is longer than the 65536"
  fi
  # Under the size cap the same shape compiles (RE2 parses without recursion) and drops 'a'.
  bounded 0 -- "$PK" $cmd "$TMP/nested30k.pb" -o "$TMP/o"
  bounded 0 -- "$PK" $cmd "$TMP/backtrack.pb" -o "$TMP/o"
done
bounded 0 -- "$PK" top --format json "$TMP/nested30k.pb"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rows"]; assert [x["name"] for x in r]==["main"] and r[0]["flat"]==5, r' "$TMP/out" \
  || fail "30,000 nested groups: drop_frames should drop 'a' (main flat 5)"
# (a|a)*b never matches a's alone: nothing is dropped, the 40-a function keeps its 5.
bounded 0 -- "$PK" top --format json "$TMP/backtrack.pb"
python3 -c 'import json,sys; r={x["name"]: x for x in json.load(open(sys.argv[1]))["rows"]}; assert r["a"*40]["flat"]==5 and r["main"]["cum"]==7, r' "$TMP/out" \
  || fail "(a|a)*b: nothing dropped"

# --- one location of 100,000 inlined lines, used by 1,000 samples from 1,000 callers ---
python3 "$GEN" inline-bomb "$TMP/inline.pb"
for cmd in info top flame report "report --format html"; do
  bounded 0 3 -- "$PK" $cmd "$TMP/inline.pb" -o "$TMP/o"
done
expect_grep "$TMP/err" "inline.pb: 1 location\\(s\\) with more than 256 inlined lines \\(the most: 100000 lines\\)"
bounded 0 -- "$PK" top --format json -n 0 --nodefraction 0 "$TMP/inline.pb"
# Whatever was cut, the callers and the total are whole: 1,000 samples of 1..7 (sum 3,997).
python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); r={x["name"]: x for x in d["rows"]}
assert d["total"]==3997, d["total"]
assert all(r["caller_%d" % i]["cum"]==1 + i % 7 for i in range(1000)), "callers"
assert r["inl_0"]["cum"]==3997, r["inl_0"]' "$TMP/out" || fail "inline bomb: totals of top"

# --- deep traces: 62,500 nested X events, 200,000 B never closed ---
python3 "$GEN" deep-x "$TMP/deep_x.json"
python3 "$GEN" unclosed-b "$TMP/unclosed_b.json"
for f in deep_x unclosed_b; do
  for cmd in info top flame report "convert --to chrome"; do
    bounded 0 -- "$PK" $cmd "$TMP/$f.json" -o "$TMP/o"
  done
  # Formats that list each stack in full would hold N(N+1)/2 frames: refused, nothing written.
  for to in pprof folded speedscope; do
    rm -f "$TMP/o.$to"
    bounded 3 -- "$PK" convert --to $to "$TMP/$f.json" -o "$TMP/o.$to"
    expect_grep "$TMP/err" "^perfkit: error: .*$f.json: its stacks add up to [0-9]+ frames, more than the 134217728 a $to file"
    [[ -e "$TMP/o.$to" ]] && fail "convert --to $to left an output file after refusing"
  done
done
# Reversed (leaf-first) stacks are not bounded by the input as the forward tree is: 62,500
# nested spans reverse to 1.95 billion frames walked; 50,000 once made an 8.3 GB SVG at 7 GB.
# flame --reverse (also with --base) and traces are refused before building, naming the file,
# nothing written; tree --reverse as well. Each within seconds (15 s allowed: a shared machine;
# the sanitizer run's PERFKIT_HOSTILE_LIMIT is longer).
LIMIT=${PERFKIT_HOSTILE_LIMIT:-15}
for f in deep_x unclosed_b; do
  rm -f "$TMP/o.svg"
  bounded 3 -- "$PK" flame --reverse "$TMP/$f.json" -o "$TMP/o.svg"
  expect_grep "$TMP/err" "^perfkit: error: .*$f.json: its stacks reversed \(leaf first\) walk [0-9]+ frames, more than the 134217728 a reversed flame graph"
  bounded 3 -- "$PK" flame --reverse --base "$TMP/$f.json" "$TMP/$f.json" -o "$TMP/o.svg"
  expect_grep "$TMP/err" "$f.json: its stacks reversed \(leaf first\) walk"
  [[ -e "$TMP/o.svg" ]] && fail "flame --reverse left an output file after refusing"
  bounded 3 -- "$PK" traces "$TMP/$f.json" -o "$TMP/o.txt"
  expect_grep "$TMP/err" "^perfkit: error: .*$f.json: its samples' stacks add up to [0-9]+ frames, more than the 8388608 lines traces"
  [[ -e "$TMP/o.txt" ]] && fail "traces left an output file after refusing"
  bounded 3 -- "$PK" tree --reverse "$TMP/$f.json" -o "$TMP/o.txt"
done
# Under the walk cap (16,000 nested spans: 128 million frames walked), the reversed tree of 1,000
# names still grows as N^2 / 2: refused at 2^20 nodes (8 per stack node past that), after ~0.5 s.
python3 "$GEN" deep-x "$TMP/deep_16k.json" 16000
bounded 3 -- "$PK" flame --reverse "$TMP/deep_16k.json" -o "$TMP/o.svg"
expect_grep "$TMP/err" "^perfkit: error: .*deep_16k.json: its reversed flame graph would have more than 1048576 frames"
[[ -e "$TMP/o.svg" ]] && fail "flame --reverse left an output file after refusing"
# 1,000 nested spans of 1,000 names, each with 2 us of self time, reverse to 1,000 columns of
# 1..1,000 frames (500,500): drawn. One name nested 16,000 deep reverses to one chain: drawn.
python3 "$GEN" deep-x "$TMP/deep_1k.json" 1000
bounded 0 -- "$PK" flame --reverse "$TMP/deep_1k.json" -o "$TMP/o.svg"
n=$(grep -o '<g class="f"' "$TMP/o.svg" | wc -l)
((n == 500500 + 1)) || fail "flame --reverse of 1,000 nested spans: $n frames drawn, wanted 500,501 (the root too)"
grep -q 'data-d="1000"' "$TMP/o.svg" || fail "flame --reverse of 1,000 nested spans: no column 1,000 frames tall"
python3 - "$TMP/rec_16k.json" <<'PY'
import json, sys
n = 16000
json.dump([{"name": "rec", "ph": "X", "ts": i, "dur": 2 * (n - i), "pid": 1, "tid": 1} for i in range(n)], open(sys.argv[1], "w"))
PY
bounded 0 -- "$PK" flame --reverse "$TMP/rec_16k.json" -o "$TMP/o.svg"
tail -c 100 "$TMP/o.svg" | grep -q "</svg>" || fail "flame --reverse of one name 16,000 deep: SVG not closed"

LIMIT=${PERFKIT_HOSTILE_LIMIT:-30}

# The report's numbers on the nested X events: x0 (depth 0, 1000 spans apart) is the whole
# 125 ms; the innermost span's path is a hot path 62,500 frames long.
bounded 0 -- "$PK" report --format json "$TMP/deep_x.json"
python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
inc=[s for s in d["sections"] if s["id"]=="inclusive"][0]["items"]
assert inc[0]["path"][0]=="x0" and inc[0]["cum"]==d["total"]==125000000, inc[0]
' "$TMP/out" || fail "report on 62,500 nested X events"

finish

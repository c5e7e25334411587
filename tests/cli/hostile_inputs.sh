#!/usr/bin/env bash
# Hostile and damaged inputs, each with its expected outcome: protobuf lengths past the end, a gzip
# bomb (bounded memory, a clear error past --max-input-size, read when the flag raises it), NaN /
# Infinity / 1e400 / negative durations / timestamps past int64, invalid UTF-8 and control
# characters in names (outputs stay valid JSON and XML), a 100 MB JSON string (bounded time), an
# empty file and a directory given to every command. Inputs are generated here, never committed.
. "$(dirname "$0")/lib.bash"
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
LIMIT=${PERFKIT_HOSTILE_LIMIT:-60}

# expect_one_of "CODES" CMD...: exit code in the list, never a signal or a timeout; stdout -> out.
expect_one_of() {
  local want=$1; shift
  timeout "$LIMIT" "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  [[ " $want " == *" $got "* ]] && return 0
  if ((got == 124)); then fail "timed out after ${LIMIT}s: $*"
  elif ((got > 128)); then fail "killed by signal $((got - 128)): $*"
  else fail "exit $got, wanted one of $want: $*"; fi
  sed 's/^/  stderr: /' "$TMP/err" | head -3
}
# A clear error: exit 3, one "perfkit: error: PATH..." line naming the input.
expect_input_error() {  # expect_input_error REGEX CMD...
  local re=$1; shift
  expect_exit 3 timeout "$LIMIT" "$@"
  expect_grep "$TMP/err" "^perfkit: error: .*$re"
}
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1" 2>"$TMP/pyerr" \
  || { fail "not valid JSON ($2): $(tail -1 "$TMP/pyerr")"; head -c 300 "$1" | sed 's/^/  /'; echo; }; }
xml_ok() { python3 -c 'import sys,xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1" 2>"$TMP/pyerr" \
  || fail "not well-formed XML ($2): $(tail -1 "$TMP/pyerr")"; }
has() { "$PK" --help | grep -qE "^  $1 "; }
have_chrome=1
printf '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":1}]' >"$TMP/probe.json"
"$PK" info "$TMP/probe.json" >/dev/null 2>&1 || { have_chrome=0; echo "note: chrome reader not built yet, trace cases skipped"; }

# --- protobuf: lengths and varints past the end, each an error at a byte offset ---
printf '\x12\xe8\x07abc' >"$TMP/len_past_end.pb"                # sample: 1000 bytes declared, 3 there
printf '\x32\xff\xff\xff\xff\xff\xff\xff\xff\x7f' >"$TMP/huge_len.pb"  # string_table of 2^63 bytes
printf '\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01' >"$TMP/long_varint.pb"  # an 11-byte varint
printf '\x12\x04\x08\x01\x10' >"$TMP/inner_cut.pb"               # a sample whose inner varint is cut
for f in len_past_end huge_len long_varint inner_cut; do
  expect_input_error "$f.pb: byte [0-9]+: " "$PK" info --input-format pprof "$TMP/$f.pb"
  expect_input_error "$f.pb: byte [0-9]+: " "$PK" top --input-format pprof "$TMP/$f.pb"
done
# The same inside gzip: the offset is into the inflated bytes, still an error not a crash.
gzip -c "$TMP/len_past_end.pb" >"$TMP/len_past_end.pb.gz"
expect_input_error "byte [0-9]+: " "$PK" info --input-format pprof "$TMP/len_past_end.pb.gz"

# --- a gzip bomb: 120 MB of folded lines in ~120 KB of gzip ---
python3 - "$TMP/bomb.gz" <<'PY'
import sys, zlib
c = zlib.compressobj(9, zlib.DEFLATED, 31)
line = b"main;work;leaf 1\n" * 4096
with open(sys.argv[1], "wb") as f:
    for _ in range(1800):            # 1800 * 4096 lines = 7,372,800 samples, 125 MB inflated
        f.write(c.compress(line))
    f.write(c.flush())
PY
rss_run() {  # rss_run CMD...: runs it, prints "EXIT MAXRSS_MB" to $TMP/rss
  python3 - "$@" >"$TMP/rss" <<'PY'
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
sys.stderr.write(r.stderr.decode(errors="replace"))
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
}
rss_run "$PK" info --max-input-size 16MiB "$TMP/bomb.gz" 2>"$TMP/err"
read -r code mb <"$TMP/rss"
[[ $code == 3 ]] || fail "bomb under 16MiB: exit $code, wanted 3"
expect_grep "$TMP/err" "bomb.gz: gzip inflates past the limit of 16777216 bytes.*--max-input-size"
# Bounded memory: the inflate stops at the limit (sanitizer builds carry their own overhead).
((mb < 200)) || fail "bomb under a 16MiB limit used ${mb} MB of memory"
echo "  bomb refused at 16MiB using ${mb} MB"
# The default limit (8 GiB) reads it; so does an explicit raise.
expect_exit 0 timeout "$LIMIT" "$PK" info --max-input-size 256MiB --format json "$TMP/bomb.gz"
expect_grep "$TMP/out" "7372800"
# Plain (not gzipped) input over the limit is refused the same way.
head -c 3000000 /dev/zero | tr '\0' 'x' >"$TMP/big.txt"
expect_input_error "big.txt: input larger than the limit of 1048576 bytes" "$PK" info --max-input-size 1MiB "$TMP/big.txt"

# --- folded: odd counts are errors at LINE:COL or warnings, never crashes or garbage totals ---
i=0
for count in nan NaN inf Infinity -inf 1e400 -5 99999999999999999999 0x10 '' 1.5e308 -0; do
  i=$((i + 1))
  printf 'a;b %s\nc;d 2\n' "$count" >"$TMP/odd$i.folded"
  expect_one_of "0 3" "$PK" top --input-format folded --format json "$TMP/odd$i.folded"
  if [[ -s "$TMP/out" ]]; then json_ok "$TMP/out" "top json, folded count '$count'"; fi
  if grep -q "^perfkit: error" "$TMP/err"; then
    expect_grep "$TMP/err" "odd$i.folded:[0-9]+:[0-9]+: "
  fi
done
# A count that is far too big never wraps into a negative or tiny total.
printf 'a 9223372036854775807\nb 9223372036854775807\n' >"$TMP/overflow.folded"
expect_one_of "0 3" "$PK" top --format json "$TMP/overflow.folded"
if [[ -s "$TMP/out" ]]; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["total"] is None or d["total"] >= 0, d["total"]' "$TMP/out" \
    || fail "two int64-max counts summed to a negative total"
else
  expect_grep "$TMP/err" "overflow.folded: .*64-bit"
fi

# A function table whose call counts (or times) add up past int64: refused, not wrapped (fuzz_table).
{ head -5 testdata/tables/cprofile_cumulative.txt
  echo '9223372036854775807    0.004    0.004    0.341    0.341 /a.py:1(main)'
  echo '     2048    0.002    0.000    0.021    0.000 /a.py:2(dumps)'; } >"$TMP/calls_overflow.txt"
expect_input_error "calls_overflow.txt: the table's times or call counts add up past the 64-bit" \
  "$PK" top "$TMP/calls_overflow.txt"

# --- Chrome: NaN, Infinity, 1e400, negative durations, ts past int64 ---
if ((have_chrome)); then
  i=0
  for ev in '"ts":NaN,"dur":1' '"ts":Infinity,"dur":1' '"ts":1e400,"dur":1' '"ts":0,"dur":-5' \
            '"ts":-1e400,"dur":1' '"ts":9.3e18,"dur":1' '"ts":-9.3e18,"dur":1' '"ts":0,"dur":1e300' \
            '"ts":"12","dur":"x"' '"ts":null,"dur":{}' '"ts":9223372036854775807,"dur":9223372036854775807'; do
    i=$((i + 1))
    printf '{"traceEvents":[{"ph":"X","name":"ok","pid":1,"tid":1,"ts":1,"dur":1},{"ph":"X","name":"odd","pid":1,"tid":1,%s}]}' "$ev" >"$TMP/odd$i.json"
    for cmd in info top spans; do
      expect_one_of "0 3" "$PK" $cmd --format json "$TMP/odd$i.json"
      if [[ -s "$TMP/out" ]]; then json_ok "$TMP/out" "$cmd json on $ev"; fi
      if grep -q "^perfkit: error" "$TMP/err"; then expect_grep "$TMP/err" "odd$i.json: byte [0-9]+: "; fi
    done
  done
  # B/E out of order: an E before any B, an E going back in time.
  printf '[{"ph":"E","pid":1,"tid":1,"ts":5},{"ph":"B","name":"a","pid":1,"tid":1,"ts":10},{"ph":"E","pid":1,"tid":1,"ts":2}]' >"$TMP/backwards.json"
  for cmd in info top spans; do expect_one_of "0 3" "$PK" $cmd "$TMP/backwards.json"; done
  # Deeply nested JSON arrays and objects inside args: an error or ignored, never a stack overflow.
  python3 -c 'import sys; n=1000000; open(sys.argv[1],"w").write("[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":1,\"args\":" + "["*n + "]"*n + "}]")' "$TMP/nested_args.json"
  expect_one_of "0 3" "$PK" info "$TMP/nested_args.json"
  python3 -c 'import sys; n=1000000; open(sys.argv[1],"w").write("["*n)' "$TMP/open_brackets.json"
  expect_one_of "3" "$PK" info --input-format chrome "$TMP/open_brackets.json"
fi
python3 -c 'import sys; n=1000000; open(sys.argv[1],"w").write("{\"shared\":{\"frames\":" + "["*n + "]"*n + "},\"profiles\":[]}")' "$TMP/nested.speedscope.json"
expect_one_of "0 3" "$PK" info --input-format speedscope "$TMP/nested.speedscope.json"

# --- invalid UTF-8 and control characters in names: outputs stay valid JSON and XML ---
printf 'ma\xffin;\xc3\x28bad;ctl\x01\x1b[31mred\x7f;tab\there;nul\xed\xa0\x80surrogate 5\nmain;\xf0\x9f\x94\xa5ok 3\n' >"$TMP/names.folded"
# (Control characters make the probe call it binary, so the format is named.)
NF=(--input-format folded)
expect_exit 0 "$PK" top "${NF[@]}" --format json -n 0 "$TMP/names.folded"; json_ok "$TMP/out" "top json"
expect_exit 0 "$PK" info "${NF[@]}" --format json "$TMP/names.folded"; json_ok "$TMP/out" "info json"
expect_exit 0 "$PK" flame "${NF[@]}" "$TMP/names.folded" -o "$TMP/names.svg"; xml_ok "$TMP/names.svg" "flame svg"
for to in chrome speedscope json; do
  expect_exit 0 "$PK" convert "${NF[@]}" --to $to "$TMP/names.folded" -o "$TMP/names.$to"; json_ok "$TMP/names.$to" "convert --to $to"
done
# CSV and Markdown are valid UTF-8 too (a spreadsheet would show mojibake or refuse the file), and
# Markdown has no control characters (an ESC in a PR comment or a terminal).
for cmd in "top --format csv -n 0" "diff --format csv" "top --format md -n 0" "diff --format md" \
           "report --format md -n 0"; do
  extra=(); [[ $cmd == diff* ]] && extra=("$TMP/names.folded")
  [[ $cmd == report* ]] && ! has report && continue
  kind=csv; [[ $cmd == *"--format md"* ]] && kind=md
  expect_exit 0 "$PK" $cmd "${NF[@]}" "$TMP/names.folded" "${extra[@]}"
  python3 -c 'import csv,re,sys; t=open(sys.argv[1], encoding="utf-8").read(); list(csv.reader(t.splitlines()))
sys.exit(1 if sys.argv[2] == "md" and re.search("[\x00-\x08\x0b-\x1f\x7f]", t) else 0)' "$TMP/out" "$kind" 2>/dev/null \
    || fail "$cmd: not valid UTF-8 (or a control character in Markdown)"
done
# pprof strings are proto `string`s: invalid UTF-8 goes out as U+FFFD, libprotobuf logs nothing,
# and go tool pprof reads the names back.
expect_exit 0 "$PK" convert "${NF[@]}" --to pprof "$TMP/names.folded" -o "$TMP/names.pb.gz"
grep -q libprotobuf "$TMP/err" && fail "libprotobuf complained writing pprof: $(head -1 "$TMP/err")"
expect_exit 0 "$PK" top --format json -n 0 "$TMP/names.pb.gz"; json_ok "$TMP/out" "top json of the pprof"
grep -q 'ma\\ufffdin\|ma�in' "$TMP/out" || fail "pprof: 'ma\\xffin' did not come back as 'ma\\ufffdin'"
if command -v go >/dev/null; then
  HOME="${HOME:-/tmp}" GOTOOLCHAIN=local go tool pprof -top "$TMP/names.pb.gz" >"$TMP/gotop" 2>&1 \
    || fail "go tool pprof cannot read a pprof with replaced names: $(tail -1 "$TMP/gotop")"
  grep -q 'ma�in' "$TMP/gotop" || fail "go tool pprof -top does not show ma�in"
fi
# diff and gate dump JSON with nlohmann: invalid UTF-8 is replaced (U+FFFD), not an exit 70.
expect_exit 0 "$PK" diff "${NF[@]}" --format json "$TMP/names.folded" testdata/folded/small.folded
json_ok "$TMP/out" "diff json"
sed 's/ 5$/ 1/' "$TMP/names.folded" >"$TMP/names_base.folded"  # the same names, 5 -> 1: a regression
expect_exit 1 "$PK" gate "${NF[@]}" --format json --max-function-regression 1% "$TMP/names_base.folded" "$TMP/names.folded"
json_ok "$TMP/out" "gate json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); sys.exit(0 if "\ufffd" in json.dumps(d, ensure_ascii=False) else 1)' "$TMP/out" \
  || fail "gate json: no U+FFFD where a name had invalid UTF-8"
if has report; then
  expect_exit 0 "$PK" report "${NF[@]}" --format json "$TMP/names.folded"; json_ok "$TMP/out" "report json"
fi
if ((have_chrome)); then
  # Escaped controls and NUL are valid JSON: read, and written back valid.
  printf '[{"ph":"X","name":"ma\\u0001in\\u0000x\\u001b[31m","cat":"c\\u007f","pid":1,"tid":1,"ts":0,"dur":5},{"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"t\\u001b[0m"}}]' >"$TMP/names.json"
  # A lone surrogate escape (JSON.stringify writes them for broken JS strings): read or refused.
  printf '[{"ph":"X","name":"a\\ud800b","pid":1,"tid":1,"ts":0,"dur":5}]' >"$TMP/surrogate.json"
  expect_one_of "0 3" "$PK" top --format json "$TMP/surrogate.json"
  if [[ -s "$TMP/out" ]]; then json_ok "$TMP/out" "top json on a lone surrogate"; fi
  for cmd in info top spans; do
    expect_exit 0 "$PK" $cmd --format json "$TMP/names.json"; json_ok "$TMP/out" "$cmd json on a trace"
  done
  # Raw invalid UTF-8 inside a JSON string: read (replaced) or refused at a byte, never a crash.
  printf '[{"ph":"X","name":"ma\xffin\xc3\x28","pid":1,"tid":1,"ts":0,"dur":5}]' >"$TMP/raw_utf8.json"
  expect_one_of "0 3" "$PK" top --format json "$TMP/raw_utf8.json"
  if [[ -s "$TMP/out" ]]; then json_ok "$TMP/out" "top json on raw invalid UTF-8"; else expect_grep "$TMP/err" "raw_utf8.json: byte [0-9]+: "; fi
  expect_exit 0 "$PK" convert --to chrome "$TMP/names.json" -o "$TMP/names2.json"; json_ok "$TMP/names2.json" "trace -> chrome"
  expect_exit 0 "$PK" flame "$TMP/names.json" -o "$TMP/names2.svg"; xml_ok "$TMP/names2.svg" "trace flame svg"
fi

# --- a single 100 MB JSON string: bounded time, no quadratic copy ---
if ((have_chrome)); then
  python3 -c 'import sys; open(sys.argv[1],"w").write("{\"traceEvents\":[{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":1,\"name\":\"" + "a"*100_000_000 + "\"}]}")' "$TMP/bigstring.json"
  t0=$SECONDS
  expect_one_of "0 3" "$PK" info "$TMP/bigstring.json"
  echo "  100 MB string: $((SECONDS - t0))s"
  rm -f "$TMP/bigstring.json"
fi
python3 -c 'import sys; open(sys.argv[1],"w").write("a"*100_000_000 + ";b 1\n")' "$TMP/bigname.folded"
expect_one_of "0 3" "$PK" top --format csv "$TMP/bigname.folded"
rm -f "$TMP/bigname.folded"

# --- an empty file and a directory, for every reading command ---
: >"$TMP/empty"
mkdir -p "$TMP/adir"
for cmd in info top spans flame report "convert --to folded"; do
  has "${cmd%% *}" || continue
  expect_input_error "empty: empty input" "$PK" $cmd "$TMP/empty"
  expect_input_error "adir: is a directory" "$PK" $cmd "$TMP/adir"
done
expect_input_error "empty: empty input" "$PK" diff "$TMP/empty" testdata/folded/small.folded
expect_input_error "adir: is a directory" "$PK" diff testdata/folded/small.folded "$TMP/adir"
# Empty standard input.
expect_input_error "standard input: empty input" "$PK" info - </dev/null

finish

#!/usr/bin/env bash
# Several outputs from one run (cli/outputs.h) for the writers (convert, flame, merge): each
# output of a --to X -o A ... run and of an --output-dir run is the bytes of its single-format
# run; a function table's table outputs beside its stack outputs are as alone; a failed write or
# a refused input leaves none of them; usage errors (exit 2) come before any input is read.
. "$(dirname "$0")/lib.bash"
BASE=testdata/pprof/go_cpu_base.pb.gz
SLOW=testdata/pprof/go_cpu_slow_regex.pb.gz
TRACE=testdata/chrome/node_trace_events.json
PSTATS=testdata/pstats/cprofile.prof
TABLE=testdata/tables/cprofile_cumulative.txt
FOLDED=testdata/folded/small.folded

# same_as_single FLAG FORMAT FILE CMD...: FILE holds what `CMD FLAG FORMAT` writes alone (exit 0).
same_as_single() {
  local flag=$1 format=$2 file=$3; shift 3
  "$@" "$flag" "$format" -o "$TMP/single" 2>/dev/null
  local got=$?
  [[ $got == 0 ]] || fail "single $format: exit $got: $*"
  cmp -s "$TMP/single" "$file" || fail "$file differs from the single $flag $format run: $*"
  rm -f "$TMP/single"
}
runs=0
# all_formats SUB FLAG "FORMAT:EXT ..." ARGS...: one run pairing each format with its -o, one with
# --output-dir; each file equals its single run; the directory holds nothing else.
all_formats() {
  local sub=$1 flag=$2 pairs=$3; shift 3
  runs=$((runs + 1))
  local d="$TMP/$sub$runs" args=() dirargs=()
  mkdir -p "$d/pairs"
  for pair in $pairs; do
    args+=("$flag" "${pair%%:*}" -o "$d/pairs/$sub.${pair#*:}")
    dirargs+=("$flag" "${pair%%:*}")
  done
  expect_exit 0 "$PK" "$sub" "$@" "${args[@]}"
  expect_exit 0 "$PK" "$sub" "$@" --output-dir "$d/dir" "${dirargs[@]}"
  for pair in $pairs; do
    same_as_single "$flag" "${pair%%:*}" "$d/pairs/$sub.${pair#*:}" "$PK" "$sub" "$@"
    cmp -s "$d/pairs/$sub.${pair#*:}" "$d/dir/$sub.${pair#*:}" || fail "$sub --output-dir: $sub.${pair#*:} differs"
  done
  local want; want=$(wc -w <<<"$pairs")
  [[ $(ls -A "$d/dir" | wc -l) == "$want" ]] || fail "$sub --output-dir left: $(ls -A "$d/dir")"
}

ALL="pprof:pb.gz folded:folded chrome:trace.json speedscope:speedscope.json callgrind:callgrind table:table.txt json:json csv:csv"
all_formats convert --to "$ALL" "$SLOW"
all_formats convert --to "pprof:pb.gz chrome:trace.json folded:folded json:json" "$TRACE"
all_formats convert --to "pprof:pb.gz folded:folded" "$FOLDED" --sample-index 0
# A table with callers: its table outputs are the table's, its stack outputs the call graph's,
# in any order.
all_formats convert --to "json:json pprof:pb.gz table:table.txt folded:folded callgrind:callgrind csv:csv" "$PSTATS"
all_formats convert --to "table:table.txt json:json" "$TABLE"
all_formats flame --format "svg:svg folded:folded" "$SLOW" --title multi
all_formats flame --format "folded:folded svg:svg" "$SLOW" --base "$BASE" --normalize
all_formats flame --to "svg:svg folded:folded" "$TRACE"
all_formats merge --to "pprof:pb.gz folded:folded" "$BASE" "$SLOW"
all_formats merge --to "folded:folded pprof:pb.gz" "$FOLDED" "$FOLDED"
# The default format of a merge of folded stacks is folded (one output, as before).
expect_exit 0 "$PK" merge "$FOLDED" "$FOLDED" -o "$TMP/m.out"
cmp -s "$TMP/m.out" "$TMP/merge10/pairs/merge.folded" || fail "merge of folded: default is not folded"

# Binary to a terminal is refused in multi-output too (a pty as standard output).
if python3 -c 'import pty' 2>/dev/null && [[ -f tests/cli/pty_run.py ]]; then
  python3 tests/cli/pty_run.py -- "$PK" convert "$SLOW" --to folded -o "$TMP/t.folded" --to pprof -o - >"$TMP/pty" 2>&1
  grep -q "pprof is binary and standard output is a terminal" "$TMP/pty" || fail "convert --to pprof -o - beside a file on a terminal: not refused: $(head -3 "$TMP/pty")"
  [[ -e $TMP/t.folded ]] && fail "a refused binary output left t.folded"
fi

# Standard output beside a file: held until the file is renamed, past 8 MiB in a temporary file
# (cli/outputs.cpp StdoutSpool), and then the single run's bytes.
python3 - "$TMP/big.folded" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        f.write(";".join(f"frame_{i % 97}_{d}_{i // 97}" for d in range(6)) + f" {i % 7 + 1}\n")
PY
expect_exit 0 "$PK" convert "$TMP/big.folded" --to pprof -o "$TMP/big.pb.gz" --to folded -o -
mv "$TMP/out" "$TMP/big.out"
(($(stat -c %s "$TMP/big.out") > 8 << 20)) || fail "the folded output is under 8 MiB: the spool's file is not used"
same_as_single --to folded "$TMP/big.out" "$PK" convert "$TMP/big.folded"
same_as_single --to pprof "$TMP/big.pb.gz" "$PK" convert "$TMP/big.folded"
rm -f "$TMP/big.out" "$TMP/big.pb.gz"
# The spool's temporary cannot be made: exit 4, and the file beside it is not written.
TMPDIR=$TMP/no/such/dir expect_exit 4 "$PK" convert "$TMP/big.folded" --to pprof -o "$TMP/big.pb.gz" --to folded -o -
expect_grep "$TMP/err" "standard output's temporary file: cannot create"
[[ -e $TMP/big.pb.gz ]] && fail "big.pb.gz written though standard output's spool failed"
rm -f "$TMP/big.folded"

# Usage errors (exit 2) before reading: the input does not exist (reading it would be exit 3).
mkdir -p "$TMP/u"
expect_exit 2 "$PK" convert "$TMP/none" --to pprof -o "$TMP/u/a.pb.gz" --to folded
expect_grep "$TMP/err" "2 --to and 1 -o: .*one -o FILE after each --to"
expect_exit 2 "$PK" convert "$TMP/none" --output-dir "$TMP/u"
expect_grep "$TMP/err" "--to is required"
expect_exit 2 "$PK" merge "$TMP/none" "$TMP/none" --output-dir "$TMP/u"
expect_grep "$TMP/err" "--output-dir needs --to"
expect_exit 2 "$PK" flame "$TMP/none" --focus x --format svg -o "$TMP/u/a.svg" --format folded -o "$TMP/u/a.folded"
expect_grep "$TMP/err" "--format folded writes the stacks as they are"
expect_exit 2 "$PK" flame "$TMP/none" --format svg -o "$TMP/u/a.svg" --format svg -o "$TMP/u/./a.svg"
expect_grep "$TMP/err" "the file is named twice"
[[ -z $(ls -A "$TMP/u") ]] || fail "usage errors left files: $(ls -A "$TMP/u")"

# Refused inputs and failed writes leave none of the outputs (exit 3 and 4, as alone).
mkdir -p "$TMP/f"
echo old >"$TMP/f/a.folded"
expect_exit 3 "$PK" convert "$TABLE" --to table -o "$TMP/f/a.txt" --to folded -o "$TMP/f/a.folded"
expect_grep "$TMP/err" "a function table: it has no call stacks"
[[ $(cat "$TMP/f/a.folded") == old && ! -e $TMP/f/a.txt ]] || fail "a refused convert wrote: $(ls "$TMP/f")"
expect_exit 4 "$PK" convert "$SLOW" --to chrome -o "$TMP/f/a.json" --to folded -o /dev/full
[[ -e $TMP/f/a.json ]] && fail "convert left a.json beside a failed /dev/full"
expect_exit 4 "$PK" flame "$SLOW" --format folded -o "$TMP/f/a.folded" --format svg -o "$TMP/f/no/dir/a.svg"
[[ $(cat "$TMP/f/a.folded") == old ]] || fail "a failed flame run replaced a.folded"
expect_exit 3 "$PK" merge "$BASE" "$SLOW" --to pprof -o "$TMP/f/m.pb.gz" --to chrome -o "$TMP/f/m.json"
expect_grep "$TMP/err" "stack profiles merge into pprof or folded"
expect_exit 3 "$PK" merge "$TRACE" "$TRACE" --to chrome -o "$TMP/f/t1.json" --to chrome -o "$TMP/f/t2.json"
expect_grep "$TMP/err" "merge into one Chrome trace: give one output"
[[ $(ls -A "$TMP/f") == a.folded ]] || fail "left in $TMP/f: $(ls -A "$TMP/f")"

finish

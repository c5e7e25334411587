#!/usr/bin/env bash
# Text output on a terminal (tests/cli/pty_run.py runs perfkit on a pseudo-terminal): every line
# fits $COLUMNS (or the terminal's own width) with the key columns kept, names cut with a marker;
# piped output and --wide on a terminal are full width; colour only on a terminal, never with
# NO_COLOR or --color never.
. "$(dirname "$0")/lib.bash"
PTY="$SRC/tests/cli/pty_run.py"
CPU=testdata/pprof/go_cpu_slow_regex.pb.gz
BASE=testdata/pprof/go_cpu_base.pb.gz
TRACE=testdata/chrome/clang_ftime_trace.json
TAB=testdata/tables
unset NO_COLOR COLUMNS
export TERM=xterm

# widest WIDTH FILE: fails when a line of FILE takes more than WIDTH columns on a terminal
# (UTF-8 code points; East Asian wide as two, combining marks and escape sequences as none,
# tabs to the next multiple of 8).
widest() {
  python3 - "$1" "$2" <<'EOF' || fail "lines wider than $1 in $3"
import re, sys, unicodedata
width, path = int(sys.argv[1]), sys.argv[2]
bad = 0
for n, line in enumerate(open(path, encoding="utf-8", errors="replace").read().split("\n"), 1):
    line = re.sub(r"\x1b\[[0-9;?]*[@-~]", "", line).replace("\r", "")
    col = 0
    for ch in line:
        if ch == "\t": col += 8 - col % 8
        elif unicodedata.combining(ch) or ord(ch) < 32: pass
        elif unicodedata.east_asian_width(ch) in "WF": col += 2
        else: col += 1
    if col > width:
        bad += 1
        if bad <= 3: print(f"  line {n}: {col} columns > {width}: {line[:100]}")
sys.exit(1 if bad else 0)
EOF
}
# on_tty COLS CMD...: perfkit on a terminal of COLS columns, output in $TMP/tty
on_tty() {
  local cols=$1; shift
  python3 "$PTY" --cols "$cols" -- "$PK" "$@" >"$TMP/tty"
  local rc=$?
  ((rc <= 1)) || fail "exit $rc on a terminal: $*"  # gate says 1 for a regression
}

# Each text-printing subcommand, at $COLUMNS 80 and 120 and at the terminal's own width (100,
# $COLUMNS unset), without colour: every line fits; the output differs from the piped one exactly
# when that is wider than the terminal (each is wider than 80, so the fitting is exercised).
maxw() { python3 -c 'import sys; print(max(len(l) for l in open(sys.argv[1], encoding="utf-8").read().split("\n")))' "$1"; }
cmds=(
  "top $CPU -n 0"
  "top $TAB/yappi_wide_baseline.txt -n 0"
  "diff $BASE $CPU -n 30"
  "diff $TAB/yappi_wide_baseline.txt $TAB/yappi_wide_optimized.txt -n 0"
  "gate $BASE $CPU"
  "spans $TRACE"
  "tree $CPU"
  "peek $CPU regexp"
  "traces $CPU"
  "report $CPU"
  "info $TRACE $CPU"
)
export NO_COLOR=1
wider=0
for c in "${cmds[@]}"; do
  read -ra args <<<"$c"
  "$PK" "${args[@]}" >"$TMP/pipe" 2>/dev/null
  [[ $? == 0 || ${args[0]} == gate ]] || fail "piped run failed: $c"
  full=$(maxw "$TMP/pipe")
  ((full > 80)) && wider=$((wider + 1))
  for cols in 80 120; do
    COLUMNS=$cols on_tty 200 "${args[@]}"
    widest "$cols" "$TMP/tty" "$c at COLUMNS=$cols"
    if ((full > cols)); then
      cmp -s "$TMP/tty" "$TMP/pipe" && fail "'$c' at COLUMNS=$cols is the piped output"
    else
      cmp -s "$TMP/tty" "$TMP/pipe" || fail "'$c' fits $cols columns but was changed"
    fi
  done
  on_tty 100 "${args[@]}"
  widest 100 "$TMP/tty" "$c on a 100-column terminal"
  # --wide on a terminal is the piped output, byte for byte.
  COLUMNS=80 on_tty 80 "${args[@]}" --wide
  cmp -s "$TMP/tty" "$TMP/pipe" || fail "'$c --wide' on a terminal differs from the piped output"
done
((wider >= 9)) || fail "only $wider of ${#cmds[@]} piped outputs are wider than 80: little is fitted"
unset NO_COLOR

# The key columns stay at 80; the name is cut with the marker, and what is left is its start.
COLUMNS=80 on_tty 200 top "$CPU" -n 0
expect_grep "$TMP/tty" "^ +flat +flat% +sum% +cum +cum%$"
expect_grep "$TMP/tty" "runtime\.mallocgc$"
"$PK" top "$CPU" -n 0 >"$TMP/pipe"
python3 - "$TMP/tty" "$TMP/pipe" <<'EOF' || fail "top at 80: a cut name is not the start of a full one"
import sys
tty = open(sys.argv[1], encoding="utf-8").read().split("\n")
full = open(sys.argv[2], encoding="utf-8").read()
cut = [l for l in tty if l.endswith("\u2026")]
assert cut, "no name was cut"
for l in cut:
    name = l[:-1].split("  ")[-1].strip()
    assert name and name in full, l
EOF
COLUMNS=80 on_tty 200 top "$TAB/yappi_wide_baseline.txt" -n 0
expect_grep "$TMP/tty" "^ +flat +flat% +cum +cum%"
expect_grep "$TMP/tty" "DemoVerifierServer\.verify"
COLUMNS=120 on_tty 200 top "$TAB/yappi_wide_baseline.txt" -n 0
expect_grep "$TMP/tty" "ncall"
COLUMNS=80 on_tty 200 diff "$TAB/yappi_wide_baseline.txt" "$TAB/yappi_wide_optimized.txt" -n 0
expect_grep "$TMP/tty" "cum delta +cum%.*status +function"
expect_grep "$TMP/tty" "changed +DemoVerifierServer\._digest"
COLUMNS=80 on_tty 200 spans "$TRACE"
expect_grep "$TMP/tty" "^ +count +total +self.*  name$"
COLUMNS=80 on_tty 200 gate "$BASE" "$CPU"
expect_grep "$TMP/tty" "^perfkit gate: .*FAIL"
expect_grep "$TMP/tty" "regexp"

# Colour: on a terminal the deltas are painted; NO_COLOR (set and non-empty), --color never and a
# pipe leave them plain; NO_COLOR= (empty) does not count; --color always paints a pipe.
has_esc() { grep -q $'\x1b\\[' "$1"; }
COLUMNS=120 on_tty 200 diff "$BASE" "$CPU"
has_esc "$TMP/tty" || fail "diff on a terminal has no colour"
grep -q $'\x1b\\[31m+' "$TMP/tty" || fail "diff on a terminal: growth is not red"
grep -q $'\x1b\\[32m-' "$TMP/tty" || fail "diff on a terminal: shrinkage is not green"
NO_COLOR=1 COLUMNS=120 on_tty 200 diff "$BASE" "$CPU"
has_esc "$TMP/tty" && fail "NO_COLOR=1: diff still has escapes"
NO_COLOR= COLUMNS=120 on_tty 200 diff "$BASE" "$CPU"
has_esc "$TMP/tty" || fail "NO_COLOR set but empty turned colour off"
COLUMNS=120 on_tty 200 diff "$BASE" "$CPU" --color never
has_esc "$TMP/tty" && fail "--color never: diff still has escapes"
COLUMNS=120 on_tty 200 gate "$BASE" "$CPU"
grep -q $'\x1b\\[31mFAIL' "$TMP/tty" || fail "gate on a terminal: FAIL is not red"
NO_COLOR=1 COLUMNS=120 on_tty 200 gate "$BASE" "$CPU"
has_esc "$TMP/tty" && fail "NO_COLOR=1: gate still has escapes"
"$PK" diff "$BASE" "$CPU" >"$TMP/pipe"
has_esc "$TMP/pipe" && fail "piped diff has escapes"
"$PK" diff "$BASE" "$CPU" --color always >"$TMP/pipe"
has_esc "$TMP/pipe" || fail "--color always: a piped diff has no colour"
COLUMNS=120 on_tty 200 diff "$BASE" "$CPU" -o "$TMP/d.txt"
has_esc "$TMP/d.txt" && fail "diff -o FILE from a terminal has escapes"
"$PK" diff "$BASE" "$CPU" >"$TMP/pipe"
cmp -s "$TMP/d.txt" "$TMP/pipe" || fail "diff -o FILE from a terminal is not the full-width output"
expect_exit 2 "$PK" diff "$BASE" "$CPU" --color sometimes

finish

#!/usr/bin/env bash
# The progress line on stderr while a slow input is read (lib/progress.h): on a terminal only
# (tests/cli/pty_run.py), after the delay (1 s; PERFKIT_PROGRESS_DELAY_MS=0 shows it at once, for
# tests), redrawn in place at most 10 times a second, cut to the width, erased before anything
# else is written and when reading ends or fails; never with --no-progress, PERFKIT_NO_PROGRESS,
# TERM=dumb or stderr not a terminal; standard output the same bytes in every case.
. "$(dirname "$0")/lib.bash"
PTY="$SRC/tests/cli/pty_run.py"
unset NO_COLOR COLUMNS PERFKIT_NO_PROGRESS PERFKIT_PROGRESS_DELAY_MS
export TERM=xterm

# A folded file of ~11 MB (and the same with a bad line at its end): parsing it takes long enough
# for a few draws when the delay is 0.
python3 - "$TMP" <<'EOF'
import random, sys
rnd = random.Random(7)
names = [f"pkg{i % 97}.func_{i}" for i in range(5000)]
with open(f"{sys.argv[1]}/big.folded", "w") as f:
    for i in range(100000):
        depth = 3 + i % 9
        f.write(";".join(rnd.choice(names) for _ in range(depth)) + f" {1 + i % 13}\n")
EOF
BIG=$TMP/big.folded
cp "$BIG" "$TMP/bad.folded"
echo "main;;broken 1" >>"$TMP/bad.folded"

# screen FILE: what a terminal shows after these bytes ("\n" as CR LF, "\r", ESC[K; other escapes
# dropped), the lines without trailing blanks.
screen() {
  python3 - "$1" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
lines, row, col = [[]], 0, 0
for tok in re.findall(r"\x1b\[[0-9;?]*[@-~]|.", data, re.S):
    if tok == "\n":
        row, col = row + 1, 0
        if row == len(lines): lines.append([])
    elif tok == "\r": col = 0
    elif tok == "\x1b[K": del lines[row][col:]
    elif tok.startswith("\x1b"): pass
    else:
        line = lines[row]
        line.extend(" " * (col - len(line)))
        if col < len(line): line[col] = tok
        else: line.append(tok)
        col += 1
out = "\n".join("".join(l).rstrip() for l in lines).rstrip("\n")
sys.stdout.write(out + ("\n" if out else ""))
EOF
}
# draws FILE: the progress lines drawn, one per line (each "\r...ESC[K" with text).
draws() { python3 -c 'import re,sys; d=open(sys.argv[1],"rb").read().decode("utf-8","replace"); [print(m) for m in re.findall(r"\r(perfkit: [^\r\x1b]*)\x1b\[K", d)]' "$1"; }

# The reference: stdout and stderr of a plain run (pipes).
"$PK" top "$BIG" -n 5 >"$TMP/ref.out" 2>"$TMP/ref.err" || fail "top on the big file: exit $?"
[[ -s "$TMP/ref.out" ]] || fail "no output from top"

# 1. stderr on a terminal, delay 0: the line is drawn (file name, bytes of the total, percent) and
# erased; nothing of it stays on the screen; stdout is the same bytes as the plain run.
# (200 columns: the checks below want the whole path, which a line cut to 79 columns may shorten)
PERFKIT_PROGRESS_DELAY_MS=0 python3 "$PTY" --cols 200 --stdout-file "$TMP/tty.out" -- "$PK" top "$BIG" -n 5 \
  >"$TMP/tty.err" || fail "exit $? with stderr on a terminal"
cmp -s "$TMP/tty.out" "$TMP/ref.out" || fail "stdout differs when stderr is a terminal"
draws "$TMP/tty.err" >"$TMP/draws"
expect_grep "$TMP/draws" "^perfkit: (parsing|reading) $BIG: [0-9.]+(B|KiB|MiB) of [0-9.]+MiB \([0-9]+%\)"
[[ -z "$(screen "$TMP/tty.err")" ]] || { fail "the progress line is left on the terminal:"; screen "$TMP/tty.err" | head -3; }
# Every draw is erased: the last bytes written to the terminal are the erase sequence.
python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(0 if d.endswith(b"\r\x1b[K") else 1)' \
  "$TMP/tty.err" || fail "the terminal's last bytes are not the erase (\\r ESC[K)"
# Percent never goes back within a step and never passes 100.
python3 - "$TMP/draws" <<'EOF' || fail "percentages out of order or past 100"
import re, sys
last = {}
for line in open(sys.argv[1]):
    m = re.match(r"perfkit: (\w+) .*\((\d+)%\)", line)
    if not m: continue
    step, pct = m.group(1), int(m.group(2))
    if pct > 100 or pct < last.get(step, 0): sys.exit(1)
    last[step] = pct
EOF

# 2. stdout and stderr on one terminal (the usual case): the screen shows top's output alone.
PERFKIT_PROGRESS_DELAY_MS=0 python3 "$PTY" -- "$PK" top "$BIG" -n 5 >"$TMP/both" ||
  fail "exit $? on a terminal"
draws "$TMP/both" >"$TMP/both.draws"
grep -q . "$TMP/both.draws" || fail "no progress line drawn with stdout on the terminal too"
screen "$TMP/both" >"$TMP/both.screen"
COLUMNS=80 "$PK" top "$BIG" -n 5 --wide >"$TMP/ref.wide" 2>/dev/null
PERFKIT_NO_PROGRESS=1 python3 "$PTY" -- "$PK" top "$BIG" -n 5 >"$TMP/quiet"
screen "$TMP/quiet" >"$TMP/quiet.screen"
cmp -s "$TMP/both.screen" "$TMP/quiet.screen" ||
  { fail "the screen differs from a run without progress:"; diff "$TMP/both.screen" "$TMP/quiet.screen" | head -5; }
grep -q "flat%" "$TMP/both.screen" || fail "top's table is not on the screen"

# 3. stderr not a terminal: nothing but the usual on stderr, stdout the same.
PERFKIT_PROGRESS_DELAY_MS=0 "$PK" top "$BIG" -n 5 >"$TMP/pipe.out" 2>"$TMP/pipe.err"
cmp -s "$TMP/pipe.out" "$TMP/ref.out" || fail "stdout differs with the delay at 0"
cmp -s "$TMP/pipe.err" "$TMP/ref.err" || fail "stderr (not a terminal) got more than the usual"
grep -q $'\r' "$TMP/pipe.err" && fail "a carriage return on stderr that is not a terminal"

# 4. Not wanted: --no-progress, PERFKIT_NO_PROGRESS, TERM=dumb: no line on the terminal.
for how in "--no-progress" "env PERFKIT_NO_PROGRESS=1" "env TERM=dumb"; do
  if [[ $how == --no-progress ]]; then args=("$PK" top "$BIG" -n 5 --no-progress); else
    read -ra pre <<<"$how"; args=("${pre[@]}" "$PK" top "$BIG" -n 5); fi
  PERFKIT_PROGRESS_DELAY_MS=0 python3 "$PTY" --stdout-file "$TMP/n.out" -- "${args[@]}" >"$TMP/n.err"
  [[ -s "$TMP/n.err" ]] && { fail "$how: wrote to the terminal:"; head -c 200 "$TMP/n.err" | cat -v; echo; }
  cmp -s "$TMP/n.out" "$TMP/ref.out" || fail "$how: stdout differs"
done

# 5. The default delay: a small input read in well under a second shows nothing.
python3 "$PTY" --stdout-file "$TMP/s.out" -- "$PK" info testdata/pprof/go_cpu_base.pb.gz >"$TMP/s.err"
[[ -s "$TMP/s.err" ]] && { fail "a fast input drew a progress line:"; cat -v "$TMP/s.err" | head -3; }

# 6. The real threshold: standard input that stalls for 2.5 s (half of the file, then the rest)
# shows the line after ~1 s, says how much has come (no total: a pipe), and is erased.
t0=$(date +%s.%N)
python3 "$PTY" --stdout-file "$TMP/slow.out" --slow-stdin "$BIG" 2.5 -- "$PK" top -n 5 >"$TMP/slow.err" ||
  fail "exit $? reading a slow pipe"
t1=$(date +%s.%N)
cmp -s "$TMP/slow.out" "$TMP/ref.out" || fail "stdout differs when reading a slow pipe"
draws "$TMP/slow.err" >"$TMP/slow.draws"
expect_grep "$TMP/slow.draws" "^perfkit: reading standard input: [0-9.]+MiB, [0-9.]+(B|KiB|MiB)/s$"
[[ -z "$(screen "$TMP/slow.err")" ]] || fail "the line is left on the terminal after a slow pipe"
# At most 10 draws a second after the 1 s delay (and a few while the stall lasts, 1.5 s past it).
n=$(wc -l <"$TMP/slow.draws")
most=$(python3 -c "import sys; print(int(10 * (float(sys.argv[2]) - float(sys.argv[1]) - 1) + 2))" "$t0" "$t1")
((n >= 3 && n <= most)) || fail "$n draws in $t0..$t1 (at most $most at 10 a second after the delay)"

# 7. Reading fails: the line is erased before the error, which is all the screen shows.
PERFKIT_PROGRESS_DELAY_MS=0 python3 "$PTY" -- "$PK" top "$TMP/bad.folded" >"$TMP/bad"
rc=$?
((rc == 3)) || fail "exit $rc on a bad input, wanted 3"
draws "$TMP/bad" >"$TMP/bad.draws"
grep -q . "$TMP/bad.draws" || fail "no line drawn before the error"
screen "$TMP/bad" >"$TMP/bad.screen"
expect_grep "$TMP/bad.screen" "^perfkit: error: $TMP/bad.folded:100001:"
(($(wc -l <"$TMP/bad.screen") == 1)) || { fail "more than the error on the screen:"; head -3 "$TMP/bad.screen"; }

# 8. A narrow terminal: every draw fits in COLUMNS-1 columns; a long path is cut from the left.
mkdir -p "$TMP/a_directory_with_a_rather_long_name/and_another_one_below_it"
LONG="$TMP/a_directory_with_a_rather_long_name/and_another_one_below_it/big.folded"
cp "$BIG" "$LONG"
COLUMNS=70 PERFKIT_PROGRESS_DELAY_MS=0 python3 "$PTY" --stdout-file /dev/null -- "$PK" top "$LONG" >"$TMP/narrow"
draws "$TMP/narrow" >"$TMP/narrow.draws"
grep -q . "$TMP/narrow.draws" || fail "no draw on a narrow terminal"
python3 - "$TMP/narrow.draws" <<'EOF' || fail "a draw wider than 69 columns, or the path not cut from the left"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
ok = all(len(l) <= 69 for l in lines) and all("\u2026" in l and "big.folded: " in l for l in lines)
sys.exit(0 if ok else 1)
EOF

# 9. A gzip that inflates by streaming (two members: zlib, with a position) says "inflating".
gzip -c "$BIG" >"$TMP/two.gz"
gzip -c "$BIG" >>"$TMP/two.gz"
PERFKIT_PROGRESS_DELAY_MS=0 python3 "$PTY" --cols 200 --stdout-file /dev/null -- "$PK" info "$TMP/two.gz" >"$TMP/gz"
draws "$TMP/gz" >"$TMP/gz.draws"
expect_grep "$TMP/gz.draws" "^perfkit: (inflating|parsing) $TMP/two.gz: "
[[ -z "$(screen "$TMP/gz")" ]] || fail "the line is left on the terminal after a gzip"

finish

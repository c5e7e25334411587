# One CLI: help, unknown subcommands and options, the row count, standard input, exit codes.
. "$(dirname "$0")/lib.bash"
CPU=testdata/pprof/go_cpu_slow_regex.pb.gz
TABLE=testdata/tables/yappi_wide_baseline.txt

# perfkit help / help SUB: exit 0, on stdout.
expect_exit 0 "$PK" help
expect_grep "$TMP/out" "^Subcommands:"
expect_grep "$TMP/out" "^  top "
expect_grep "$TMP/out" "^  help "
[[ -s "$TMP/err" ]] && fail "perfkit help wrote to stderr"
expect_exit 0 "$PK" help top
expect_grep "$TMP/out" "^Usage: perfkit top"
expect_grep "$TMP/out" "--nodecount"
"$PK" top --help >"$TMP/top_help" 2>&1
cmp -s "$TMP/out" "$TMP/top_help" || fail "perfkit help top differs from perfkit top --help"
# Unknown subcommand: its own message with the nearest name, exit 2.
expect_exit 2 "$PK" help tpo
expect_grep "$TMP/err" "unknown subcommand 'tpo'; did you mean 'top'\?"
expect_exit 2 "$PK" tpo "$CPU"
expect_grep "$TMP/err" "^perfkit: usage error: unknown subcommand 'tpo'; did you mean 'top'\?"
expect_grep "$TMP/err" "^Subcommands: .*convert.*top"
expect_exit 2 "$PK" conv "$CPU"
expect_grep "$TMP/err" "did you mean 'convert'\?"
expect_exit 2 "$PK" zzzzzz
expect_grep "$TMP/err" "unknown subcommand 'zzzzzz'$"
grep -q "did you mean" "$TMP/err" && fail "a suggestion for a word near nothing"
# No subcommand at all.
expect_exit 2 "$PK"
expect_grep "$TMP/err" "no subcommand given"
# Unknown option: named, with the nearest spelling, before any complaint about what is missing.
expect_exit 2 "$PK" top --fcus main "$CPU"
expect_grep "$TMP/err" "^perfkit top: usage error: unknown option '--fcus'; did you mean '--focus'\?"
expect_grep "$TMP/err" "Run 'perfkit help top'"
expect_exit 2 "$PK" peek --sortt cum
expect_grep "$TMP/err" "unknown option '--sortt'; did you mean '--sort'\?"
expect_exit 2 "$PK" top "$CPU" --no-such-thing=3
expect_grep "$TMP/err" "unknown option '--no-such-thing'$"
expect_exit 2 "$PK" top "$CPU" "$CPU"
expect_grep "$TMP/err" "unexpected argument"
expect_exit 2 "$PK" --bogus
expect_grep "$TMP/err" "^perfkit: usage error: unknown option '--bogus'"

# One row count: -n/--nodecount everywhere, a count >= 0; -n -1 is refused, not wrapped.
for sub in top tree report spans gpu; do
  "$PK" help $sub | grep -q -- "-n,--nodecount" || fail "$sub has no -n,--nodecount"
done
"$PK" help diff | grep -q -- "-n,--nodecount" || fail "diff has no -n,--nodecount"
"$PK" help gate | grep -q -- "-n,--nodecount" || fail "gate has no -n,--nodecount"
expect_exit 2 "$PK" top "$CPU" -n -1
expect_grep "$TMP/err" "expected a count of rows \(0 = all\), got '-1'"
expect_exit 2 "$PK" report "$CPU" --nodecount -3
expect_exit 2 "$PK" diff "$CPU" "$CPU" -n x
expect_exit 0 "$PK" top "$CPU" --nodecount 3
[[ $(sed '1,/flat%/d' "$TMP/out" | wc -l) == 3 ]] || fail "top --nodecount 3 did not show 3 rows"
"$PK" top "$CPU" --nodes 3 >"$TMP/nodes" 2>/dev/null
cmp -s "$TMP/out" "$TMP/nodes" || fail "--nodes (old spelling) differs from --nodecount"

# No file: standard input, detected by content (gzip pprof, folded text, a table).
expect_exit 0 "$PK" top -n 5 <"$CPU"
"$PK" top -n 5 "$CPU" >"$TMP/named" 2>/dev/null
cmp -s "$TMP/out" "$TMP/named" || fail "top from standard input differs from top FILE"
printf 'main;a;b 5\nmain;c 3\n' | "$PK" info >"$TMP/out" 2>"$TMP/err" || fail "info from a pipe"
expect_grep "$TMP/out" "folded"
expect_exit 0 "$PK" report --format json <"$TABLE"
expect_exit 3 "$PK" info </dev/null
expect_grep "$TMP/err" "^perfkit: error: standard input: empty input"
# A terminal as standard input is refused, not waited on.
if command -v script >/dev/null; then
  script -qec "$PK top" /dev/null </dev/null >"$TMP/tty" 2>&1
  grep -q "standard input is a terminal" "$TMP/tty" || { fail "top with a terminal as stdin"; head -3 "$TMP/tty"; }
fi

# The filters on flame (pprof's view), and flamegraph.pl's spellings.
expect_exit 0 "$PK" flame "$CPU" --hide 'regexp\.' -o "$TMP/hide.svg"
grep -q "regexp.MustCompile" "$TMP/hide.svg" && fail "flame --hide left the hidden frames"
expect_grep "$TMP/hide.svg" "main.matchAll"
expect_exit 0 "$PK" flame "$CPU" --show 'main\.' --inverted --minwidth 0 -o "$TMP/show.svg"
grep -q "runtime\." "$TMP/show.svg" && fail "flame --show kept other frames"
expect_grep "$TMP/show.svg" "Icicle"
# --reverse: the frames under the root are the leaves, each as wide as its flat in top.
expect_exit 0 "$PK" flame "$CPU" --reverse -o "$TMP/rev.svg"
"$PK" top "$CPU" -n 3 --format json >"$TMP/top.json"
python3 - "$TMP/rev.svg" "$TMP/top.json" <<'PY' || fail "flame --reverse: first frames are not top's flat"
import json, re, sys
svg = open(sys.argv[1]).read()
d1 = sorted(((int(v), n) for v, n in re.findall(r'data-v="(\d+)"[^>]*data-d="1"><title>([^\n]*)', svg)), reverse=True)
rows = json.load(open(sys.argv[2]))["rows"][:3]
assert [(r["flat"], r["name"]) for r in rows] == d1[:3], (rows, d1[:3])
PY
expect_exit 2 "$PK" flame "$CPU" --format folded --focus main
expect_exit 0 "$PK" flame "$CPU" --to folded -o "$TMP/a.folded"
expect_exit 0 "$PK" flame "$CPU" --format folded -o "$TMP/b.folded"
cmp -s "$TMP/a.folded" "$TMP/b.folded" || fail "flame --to and --format differ"
# The same filters on report, diff and gate.
for sub in report flame diff gate top; do
  for f in --focus --ignore --hide --show --show-from --prune-from --tagfocus --tagignore; do
    "$PK" help $sub | grep -q -- "^  $f " || fail "$sub has no $f"
  done
done
expect_exit 0 "$PK" diff testdata/pprof/go_cpu_base.pb.gz "$CPU" --show 'main\.' --format csv
grep -q "runtime\." "$TMP/out" && fail "diff --show kept runtime frames"
"$PK" top "$CPU" --cum -n 5 >"$TMP/cum1"; "$PK" top "$CPU" --sort cum -n 5 >"$TMP/cum2"
cmp -s "$TMP/cum1" "$TMP/cum2" || fail "top --cum differs from --sort cum"
# Binary output to a terminal is refused, with a hint for -o.
if command -v script >/dev/null; then
  script -qec "$PK convert $CPU --to pprof" /dev/null </dev/null >"$TMP/tty" 2>&1
  grep -q "pprof is binary and standard output is a terminal: write it to a file with -o FILE" "$TMP/tty" \
    || { fail "convert --to pprof to a terminal"; head -3 "$TMP/tty"; }
fi
expect_exit 0 "$PK" convert "$CPU" --to pprof
[[ -s "$TMP/out" ]] || fail "convert --to pprof into a file (not a terminal) wrote nothing"

# Exit 3: the input cannot do what was asked, in every subcommand.
expect_exit 3 "$PK" flame "$TABLE" -o "$TMP/x.svg"
expect_exit 3 "$PK" convert "$TABLE" --to folded -o "$TMP/x"
expect_exit 3 "$PK" spans "$CPU"
expect_exit 3 "$PK" gpu "$CPU"
expect_exit 3 "$PK" merge "$CPU" testdata/pprof/go_heap.pb.gz -o "$TMP/m.pb.gz"
expect_exit 3 "$PK" merge "$TABLE" "$TABLE" -o "$TMP/m.pb.gz"
expect_exit 3 "$PK" flame --base testdata/pprof/go_heap.pb.gz "$CPU" -o "$TMP/x.svg"
for f in x x.svg x.pb.gz m.pb.gz; do [[ -e "$TMP/$f" ]] && fail "output $f left after a refusal"; done
finish

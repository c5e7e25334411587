#!/usr/bin/env bash
# Several outputs from one run (cli/outputs.h) for the report subcommands (report, diff, top,
# spans, info, gpu, tree): every output of a --format X -o A ... run and of an --output-dir run is
# the bytes of the single-format run, with the same exit code; a failed write leaves none of them;
# unpaired counts and format-specific refusals are usage errors (exit 2) before any input is read.
. "$(dirname "$0")/lib.bash"
BASE=testdata/pprof/go_cpu_base.pb.gz
SLOW=testdata/pprof/go_cpu_slow_regex.pb.gz
TRACE=testdata/chrome/node_trace_events.json
GPU=testdata/kineto/synthetic_gpu.json
TABLE=testdata/tables/cprofile_cumulative.txt

# same_as_single FORMAT FILE CMD...: FILE holds what `CMD --format FORMAT` prints alone (exit 0).
same_as_single() {
  local format=$1 file=$2; shift 2
  "$@" --format "$format" >"$TMP/single" 2>/dev/null
  local got=$?
  [[ $got == 0 ]] || fail "single $format: exit $got: $*"
  cmp -s "$TMP/single" "$file" || fail "$file differs from the single --format $format run: $*"
}
# all_formats SUB "FORMAT:EXT ..." ARGS...: one run with every format paired with its -o, one with
# --output-dir; each file equals its single-format run; the directory holds nothing else.
all_formats() {
  local sub=$1 pairs=$2; shift 2
  runs=$((runs + 1))
  local d="$TMP/$sub$runs" args=() dirargs=()
  mkdir -p "$d/pairs"
  for pair in $pairs; do
    args+=(--format "${pair%%:*}" -o "$d/pairs/$sub.${pair#*:}")
    dirargs+=(--format "${pair%%:*}")
  done
  expect_exit 0 "$PK" "$sub" "$@" "${args[@]}"
  expect_exit 0 "$PK" "$sub" "$@" --output-dir "$d/dir" "${dirargs[@]}"
  for pair in $pairs; do
    same_as_single "${pair%%:*}" "$d/pairs/$sub.${pair#*:}" "$PK" "$sub" "$@"
    cmp -s "$d/pairs/$sub.${pair#*:}" "$d/dir/$sub.${pair#*:}" || fail "$sub --output-dir: $sub.${pair#*:} differs"
  done
  local want; want=$(wc -w <<<"$pairs")
  [[ $(ls -A "$d/dir" | wc -l) == "$want" ]] || fail "$sub --output-dir left: $(ls -A "$d/dir")"
}

runs=0
all_formats report "text:txt md:md json:json csv:csv" "$SLOW" -n 3
all_formats diff "text:txt json:json csv:csv md:md" "$BASE" "$SLOW" -n 10
all_formats top "text:txt json:json csv:csv md:md" "$SLOW" -n 8 --sort cum
all_formats top "text:txt md:md" "$TABLE"
all_formats spans "text:txt json:json csv:csv md:md" "$TRACE" --sort p99 -n 5
all_formats info "text:txt json:json" "$SLOW" "$TRACE"
all_formats gpu "text:txt json:json md:md" "$GPU" -n 3
all_formats tree "text:txt json:json" "$SLOW" --reverse -n 3 --depth 4

# report html: the page's footer names its own output (the single-output command that writes
# this page), so it is compared with a single run writing to the same path.
mkdir -p "$TMP/h"
expect_exit 0 "$PK" report "$SLOW" -n 3 --format html -o "$TMP/h/r.html" --format md -o "$TMP/h/r.md"
cp "$TMP/h/r.html" "$TMP/h/multi.html"
same_as_single md "$TMP/h/r.md" "$PK" report "$SLOW" -n 3
expect_exit 0 "$PK" report "$SLOW" -n 3 --format html -o "$TMP/h/r.html"
cmp -s "$TMP/h/r.html" "$TMP/h/multi.html" || fail "report html beside md differs from its single run"
expect_grep "$TMP/h/r.html" "--format html -o $TMP/h/r.html"
# Two pages of a diff, read and diffed once; each footer names its own file.
expect_exit 0 "$PK" report --base "$BASE" "$SLOW" --format html -o "$TMP/h/d1.html" --format html -o "$TMP/h/d2.html"
cp "$TMP/h/d1.html" "$TMP/h/d1.multi"
expect_exit 0 "$PK" report --base "$BASE" "$SLOW" --format html -o "$TMP/h/d1.html"
cmp -s "$TMP/h/d1.html" "$TMP/h/d1.multi" || fail "report --base html (two pages) differs from its single run"
expect_grep "$TMP/h/d2.html" "--format html -o $TMP/h/d2.html"
# A trace: text and html from one read.
expect_exit 0 "$PK" report "$TRACE" --output-dir "$TMP/h/t" --format text --format html
same_as_single text "$TMP/h/t/report.txt" "$PK" report "$TRACE"
expect_exit 0 "$PK" report "$TRACE" --format html -o "$TMP/h/t/report.html.single"
sed "s#-o $TMP/h/t/report.html.single#-o $TMP/h/t/report.html#" "$TMP/h/t/report.html.single" >"$TMP/h/t/want.html"
cmp -s "$TMP/h/t/want.html" "$TMP/h/t/report.html" || fail "report --output-dir html differs (beyond its -o)"

# Standard output as one of the outputs: the text run's bytes (a pipe: full width, no colour).
expect_exit 0 "$PK" diff "$BASE" "$SLOW" -n 10 --format md -o "$TMP/x.md" --format text -o -
same_as_single text "$TMP/out" "$PK" diff "$BASE" "$SLOW" -n 10
cmp -s "$TMP/x.md" "$TMP/diff2/pairs/diff.md" || fail "diff md beside stdout differs"

# Usage errors (exit 2) before reading: the input here does not exist, so reading would be exit 3.
mkdir -p "$TMP/u"
expect_exit 2 "$PK" top "$TMP/none.pb.gz" --format md -o "$TMP/u/a.md" --format csv
expect_grep "$TMP/err" "2 --format and 1 -o"
expect_exit 2 "$PK" spans "$TMP/none.json" --format md -o - --format csv -o -
expect_grep "$TMP/err" "standard output .* only one of the outputs"
expect_exit 2 "$PK" info "$TMP/none" --format text --format text --output-dir "$TMP/u"
expect_grep "$TMP/err" "--format text is given twice"
expect_exit 2 "$PK" report "$TMP/none" --base "$BASE" --format html -o "$TMP/u/a.html" --format md -o "$TMP/u/a.md"
expect_grep "$TMP/err" "--base makes a diff page with --format html"
expect_exit 2 "$PK" tree "$TMP/none" --format text -o "$TMP/u/a.txt" --format json -o "$TMP/u/a.json"
expect_grep "$TMP/err" "--format json and --depth are for the reversed tree"
expect_exit 2 "$PK" gpu "$TMP/none" -o "$TMP/u/a" --output-dir "$TMP/u"
expect_grep "$TMP/err" "not both"
expect_exit 2 "$PK" diff "$TMP/none" "$TMP/none" --format md -o "$TMP/u/a.md" --format html -o "$TMP/u/a.html"
[[ -z $(ls -A "$TMP/u") ]] || fail "usage errors left files: $(ls -A "$TMP/u")"

# A failed write leaves none of the outputs, and an existing file as it was (exit 4).
mkdir -p "$TMP/f"
echo old >"$TMP/f/r.md"
expect_exit 4 "$PK" report "$SLOW" --format md -o "$TMP/f/r.md" --format html -o "$TMP/f/r.html" --format json -o /dev/full
[[ $(cat "$TMP/f/r.md") == old ]] || fail "a failed report run replaced r.md"
expect_exit 4 "$PK" top "$SLOW" --format csv -o "$TMP/f/t.csv" --format md -o "$TMP/f/no/such/t.md"
expect_grep "$TMP/err" "no/such/t.md: cannot create"
mkdir -p "$TMP/f/out/gpu.md"  # a directory where gpu.md should go
expect_exit 4 "$PK" gpu "$GPU" --output-dir "$TMP/f/out" --format text --format json --format md
[[ $(ls -A "$TMP/f/out") == gpu.md ]] || fail "a failed --output-dir run left: $(ls -A "$TMP/f/out")"
[[ $(ls -A "$TMP/f" | tr '\n' ' ') == "out r.md " ]] || fail "left in $TMP/f: $(ls -A "$TMP/f")"
# Bad input: exit 3 as alone, no output.
expect_exit 3 "$PK" spans "$SLOW" --format md -o "$TMP/f/s.md" --format json -o "$TMP/f/s.json"
expect_grep "$TMP/err" "perfkit spans needs a Chrome trace"
[[ -e $TMP/f/s.md || -e $TMP/f/s.json ]] && fail "spans left an output after bad input"

finish

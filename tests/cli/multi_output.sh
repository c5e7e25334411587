#!/usr/bin/env bash
# Several outputs from one run (cli/outputs.h): --format X -o A pairs and --output-dir DIR give
# the bytes the single-output runs give, with the same exit code; a failed run leaves no output
# file (and an existing file as it was); unpaired counts, stdout twice, a file twice: exit 2.
. "$(dirname "$0")/lib.bash"
BASE=testdata/pprof/go_cpu_base.pb.gz
SLOW=testdata/pprof/go_cpu_slow_regex.pb.gz

# same_as_single FORMAT FILE EXIT CMD...: FILE equals what `CMD --format FORMAT` prints alone.
same_as_single() {
  local format=$1 file=$2 want=$3; shift 3
  "$@" --format "$format" >"$TMP/single" 2>/dev/null
  local got=$?
  [[ $got == "$want" ]] || fail "single $format: exit $got, wanted $want: $*"
  cmp -s "$TMP/single" "$file" || fail "$file differs from the single --format $format run: $*"
}
no_files() {  # no_files DIR: DIR has no entry left (no output, no temporary)
  local left; left=$(ls -A "$1" 2>/dev/null)
  [[ -z $left ]] || fail "files left in $1: $left"
}

# gate: markdown for the PR comment and junit for the test tab, one run; exit 1 as alone.
mkdir -p "$TMP/g"
expect_exit 1 "$PK" gate "$BASE" "$SLOW" --format md -o "$TMP/g/gate.md" --format junit -o "$TMP/g/gate.xml"
same_as_single md "$TMP/g/gate.md" 1 "$PK" gate "$BASE" "$SLOW"
same_as_single junit "$TMP/g/gate.xml" 1 "$PK" gate "$BASE" "$SLOW"
expect_grep "$TMP/g/gate.xml" "<testsuite"
# A pass keeps exit 0.
expect_exit 0 "$PK" gate "$BASE" "$BASE" --format md -o "$TMP/g/pass.md" --format json -o "$TMP/g/pass.json"
same_as_single json "$TMP/g/pass.json" 0 "$PK" gate "$BASE" "$BASE"
# --output-dir (made when missing): one file per format, named gate.EXT.
expect_exit 1 "$PK" gate "$BASE" "$SLOW" --output-dir "$TMP/gd/sub" --format text --format md \
  --format json --format junit --format github -n 4
for pair in text:txt md:md json:json junit:xml github:github.txt; do
  same_as_single "${pair%%:*}" "$TMP/gd/sub/gate.${pair#*:}" 1 "$PK" gate "$BASE" "$SLOW" -n 4
done
[[ $(ls "$TMP/gd/sub" | wc -l) == 5 ]] || fail "--output-dir: $(ls "$TMP/gd/sub")"
# --output-dir without --format: the default format.
expect_exit 1 "$PK" gate "$BASE" "$SLOW" --output-dir "$TMP/gd1"
same_as_single text "$TMP/gd1/gate.txt" 1 "$PK" gate "$BASE" "$SLOW"
# Standard output as one of the outputs.
expect_exit 1 "$PK" gate "$BASE" "$SLOW" --format md -o - --format junit -o "$TMP/g/b.xml"
same_as_single md "$TMP/out" 1 "$PK" gate "$BASE" "$SLOW"
cmp -s "$TMP/g/b.xml" "$TMP/g/gate.xml" || fail "gate junit beside stdout differs"

# Usage errors: exit 2, a message naming the rule, nothing written.
mkdir -p "$TMP/u"
expect_exit 2 "$PK" gate "$BASE" "$SLOW" --format md -o "$TMP/u/a.md" --format junit
expect_grep "$TMP/err" "2 --format and 1 -o: .*one -o FILE after each --format"
expect_exit 2 "$PK" gate "$BASE" "$SLOW" -o "$TMP/u/a.md" -o "$TMP/u/b.md"
expect_grep "$TMP/err" "0 --format and 2 -o"
expect_exit 2 "$PK" gate "$BASE" "$SLOW" --format md -o - --format junit -o -
expect_grep "$TMP/err" "standard output .* only one of the outputs"
expect_exit 2 "$PK" gate "$BASE" "$SLOW" --format md -o "$TMP/u/a.md" --format junit -o "$TMP/u/../u/a.md"
expect_grep "$TMP/err" "the file is named twice"
expect_exit 2 "$PK" gate "$BASE" "$SLOW" --format md -o "$TMP/u/a.md" --output-dir "$TMP/u"
expect_grep "$TMP/err" "not both"
expect_exit 2 "$PK" gate "$BASE" "$SLOW" --format md --format md --output-dir "$TMP/u"
expect_grep "$TMP/err" "--format md is given twice"
expect_exit 2 "$PK" gate "$BASE" "$SLOW" --format md -o "$TMP/u/a.md" --format xml -o "$TMP/u/b.xml"
no_files "$TMP/u"

# A failed write leaves none of the outputs, and an existing file untouched: exit 4 as alone.
mkdir -p "$TMP/f"
echo old >"$TMP/f/gate.md"
expect_exit 4 "$PK" gate "$BASE" "$SLOW" --format md -o "$TMP/f/gate.md" --format junit -o /dev/full
[[ $(cat "$TMP/f/gate.md") == old ]] || fail "a failed run replaced gate.md"
expect_exit 4 "$PK" gate "$BASE" "$SLOW" --format junit -o "$TMP/f/b.xml" --format md -o "$TMP/f/no/such/dir/a.md"
expect_grep "$TMP/err" "no/such/dir/a.md: cannot create"
[[ -e $TMP/f/b.xml ]] && fail "b.xml left by a failed run"
"$PK" gate "$BASE" "$SLOW" --format junit -o "$TMP/f/c.xml" --format md -o - >/dev/full 2>"$TMP/err"
[[ $? == 4 ]] || fail "standard output on /dev/full: exit 4 wanted"
[[ -e $TMP/f/c.xml ]] || fail "c.xml: files are committed before standard output is written"
rm -f "$TMP/f/c.xml"
[[ $(ls -A "$TMP/f") == gate.md ]] || fail "left in $TMP/f: $(ls -A "$TMP/f")"
# --output-dir: a file that cannot be made takes the others and the new directory with it.
mkdir -p "$TMP/fd/out/gate.xml"
expect_exit 4 "$PK" gate "$BASE" "$SLOW" --output-dir "$TMP/fd/out" --format md --format junit
[[ -e $TMP/fd/out/gate.md ]] && fail "gate.md left beside a failed gate.xml"
expect_exit 4 "$PK" gate "$BASE" "$SLOW" --output-dir /dev/full/x --format md --format junit
expect_grep "$TMP/err" "/dev/full/x: cannot make the directory"

finish

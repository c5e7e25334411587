#!/usr/bin/env bash
# Outputs are atomic for every command that takes -o: written beside the target and renamed on
# success; on a failure (bad input, unwritable place, full disk) exit 3 or 4, no output file and no
# temporary file left, and an existing file untouched; `-o /dev/full` is exit 4, not a silent
# truncation. Also a static check: nothing outside lib/output.cpp opens files for writing.
. "$(dirname "$0")/lib.bash"
F=testdata/folded/small.folded
: >"$TMP/empty"
# A second profile of the same kind as $F, 50% heavier, for diff and gate.
printf 'main;parse;lex 30\nmain;parse 3\nworker;my f(int, char);x y 1\n' >"$TMP/heavier.folded"
G=$TMP/heavier.folded
# Each line: a command (its inputs) that succeeds; the same with an empty input must fail with 3.
cmds=(
  "info $F"
  "top $F"
  "flame $F"
  "report $F"
  "convert --to pprof $F"
  "convert --to json $F"
  "diff $F $G"
  "merge --to folded $F $F"
)
for c in "${cmds[@]}"; do
  read -r -a argv <<<"$c"
  verb=${argv[0]}
  "$PK" --help | grep -qE "^  $verb " || { echo "note: no '$verb' command in this build, skipped"; continue; }
  # 1. success writes the file, leaves no temporary.
  rm -f "$TMP/o.out"
  expect_exit 0 "$PK" "${argv[@]}" -o "$TMP/o.out"
  [[ -s "$TMP/o.out" ]] || fail "$c: -o wrote nothing"
  # 2. a bad input: exit 3, the existing file untouched, nothing new.
  echo keep >"$TMP/o.out"
  bad=("${argv[@]}"); bad[${#bad[@]}-1]="$TMP/empty"
  expect_exit 3 "$PK" "${bad[@]}" -o "$TMP/o.out"
  [[ "$(cat "$TMP/o.out")" == keep ]] || fail "$c: an existing output was modified by a failed run"
  rm -f "$TMP/o.out"
  expect_exit 3 "$PK" "${bad[@]}" -o "$TMP/o.out"
  [[ -e "$TMP/o.out" ]] && fail "$c: a failed run left an output file"
  # 3. an output that cannot be written: exit 4 with a message naming it.
  if [[ -w /dev/full ]]; then
    expect_exit 4 "$PK" "${argv[@]}" -o /dev/full
    expect_grep "$TMP/err" "^perfkit: error: /dev/full: "
  fi
  expect_exit 4 "$PK" "${argv[@]}" -o "$TMP/no/such/dir/o.out"
  expect_grep "$TMP/err" "^perfkit: error: .*no/such/dir/o.out"
  expect_exit 4 "$PK" "${argv[@]}" -o "$TMP"
  ls "$TMP"/*.tmp-* >/dev/null 2>&1 && { fail "$c: temporary file left: $(ls "$TMP"/*.tmp-*)"; rm -f "$TMP"/*.tmp-*; }
done

# gate writes its report with -o and still exits 1 on a regression.
expect_exit 1 "$PK" gate --max-total-regression 1% "$F" "$G" -o "$TMP/gate.txt"
[[ -s "$TMP/gate.txt" ]] || fail "gate -o wrote nothing"
if [[ -w /dev/full ]]; then
  expect_exit 4 "$PK" gate --max-total-regression 1% "$F" "$G" -o /dev/full
fi
# Standard output to a full device is an error too.
if [[ -w /dev/full ]]; then

  "$PK" top "$F" >/dev/full 2>"$TMP/err"; rc=$?
  [[ $rc == 4 ]] || fail "top >/dev/full: exit $rc, wanted 4"
fi

# Static check: every file write goes through lib/output.h write_output.
if grep -rnE 'std::ofstream|fopen\(|FILE\s*\*|creat\(|O_WRONLY' cli lib reports formats \
     --include=*.cpp --include=*.h | grep -v '^lib/output\.cpp:' >"$TMP/writers"; then
  fail "files written outside lib/output.cpp:"; sed 's/^/  /' "$TMP/writers"
fi

finish

# Shared helpers for CLI tests: source it as `. "$(dirname "$0")/lib.bash"` (not a test itself).
PK="$1"
SRC="$2"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_exit CODE CMD...: runs CMD, stdout -> $TMP/out, stderr -> $TMP/err
expect_exit() {
  local want=$1; shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [[ $got != "$want" ]]; then
    fail "exit $got, wanted $want: $*"; sed 's/^/  stderr: /' "$TMP/err" | head -5
  fi
}
expect_grep() {  # expect_grep FILE PATTERN
  grep -qE -- "$2" "$1" || { fail "no /$2/ in $1:"; head -5 "$1" | sed 's/^/  /'; }
}
finish() {
  if ((fails)); then echo "$fails check(s) failed"; exit 1; fi
  echo "all checks passed"
}

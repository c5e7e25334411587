# Golden comparison for diff/gate CLI tests (sourced after lib.bash; not a test itself).
# golden NAME FILE: compares FILE with testdata/golden/<area>/NAME; PERFKIT_BLESS=1 rewrites it.
golden() {
  local want="$SRC/testdata/golden/$1"
  if [[ -n "$PERFKIT_BLESS" ]]; then
    mkdir -p "$(dirname "$want")"; cp "$2" "$want"; return
  fi
  if [[ ! -f "$want" ]]; then fail "missing golden $want (PERFKIT_BLESS=1 creates it)"; return; fi
  if ! cmp -s "$want" "$2"; then
    cp "$2" "$want.actual"
    fail "golden $1 differs (see $want.actual); first difference:"
    diff "$want" "$2" | head -4 | sed 's/^/  /'
  fi
}

# merge of a fleet's pprof files streams: 200 generated machines' profiles merge in the memory of
# a few (peak RSS of 200 inputs within a few MiB of 10 inputs'; the old merge held every decoded
# input: +0.5 MiB per input here), with the same bytes at -j 1, 2 and 4 and from a tree of merge
# jobs (xargs), and the numbers of go tool pprof's own merge (-top, -traces, -tags). Units of one
# dimension are converted as pprof does; a period type pprof refuses is refused naming the file.
. "$(dirname "$0")/lib.bash"
cd "$SRC"
GEN=tests/fleet_profiles.py
SMALL=(--functions 300 --samples 400 --pool 800)
python3 $GEN "$TMP/fleet" --count 200 "${SMALL[@]}" || { fail "fleet_profiles.py failed"; finish; }
FLEET=("$TMP"/fleet/m*.pb.gz)
((${#FLEET[@]} == 200)) || fail "generated ${#FLEET[@]} profiles, wanted 200"

# peak RSS in KiB of a merge: rss OUT ARGS...
rss() {
  local out=$1; shift
  /usr/bin/time -f "%M" -o "$TMP/time" "$PK" merge "$@" -o "$out" 2>"$TMP/err" ||
    { fail "merge $* failed"; sed 's/^/  /' "$TMP/err" | head -3; }
  tail -1 "$TMP/time"
}
r10=$(rss "$TMP/m10.pb.gz" -j 1 "${FLEET[@]:0:10}")
r200=$(rss "$TMP/m1.pb.gz" -j 1 "${FLEET[@]}")
expect_grep "$TMP/err" "note: merged 200 profiles"
r200j2=$(rss "$TMP/m2.pb.gz" -j 2 "${FLEET[@]}")
rss "$TMP/m4.pb.gz" -j 4 "${FLEET[@]}" >/dev/null
echo "peak RSS: 10 inputs ${r10} KiB, 200 inputs ${r200} KiB (-j 2: ${r200j2} KiB)"
# Under AddressSanitizer freed blocks sit in its quarantine (256 MiB by default), so peak RSS
# grows with what was ever allocated; the bound is checked by the normal build only.
if [[ -z "${PERFKIT_SANITIZED:-}" ]]; then
  ((r200 <= r10 + 6 * 1024)) || fail "200 inputs took ${r200} KiB, 10 took ${r10} KiB: memory grows with the count"
  ((r200j2 <= r10 + 12 * 1024)) || fail "-j 2: 200 inputs took ${r200j2} KiB (10 at -j 1: ${r10} KiB)"
fi
cmp -s "$TMP/m1.pb.gz" "$TMP/m2.pb.gz" || fail "-j 1 and -j 2 outputs differ"
cmp -s "$TMP/m1.pb.gz" "$TMP/m4.pb.gz" || fail "-j 1 and -j 4 outputs differ"

# A tree of merge jobs, as the README shows: groups of 50 in parallel, then the groups.
mkdir "$TMP/parts"
printf '%s\n' "${FLEET[@]}" | xargs -P 2 -n 50 sh -c \
  'exec "$0" merge -j 1 "$@" -o "$1.part" 2>/dev/null' "$PK" || fail "xargs merge jobs failed"
mv "$TMP"/fleet/*.part "$TMP/parts/"
expect_exit 0 "$PK" merge "$TMP"/parts/*.part -o "$TMP/tree.pb.gz"
cmp -s "$TMP/m1.pb.gz" "$TMP/tree.pb.gz" || fail "a tree of merge jobs differs from one merge"

# The reference: go tool pprof's merge of the same inputs reports the same.
if command -v go >/dev/null; then
  go tool pprof -symbolize=none -proto -output "$TMP/go.pb.gz" "${FLEET[@]}" 2>"$TMP/goerr" ||
    fail "go tool pprof -proto failed: $(head -2 "$TMP/goerr")"
  for view in -top -traces -tags; do
    go tool pprof $view -nodecount=1000000 "$TMP/go.pb.gz" >"$TMP/go$view" 2>/dev/null
    go tool pprof $view -nodecount=1000000 "$TMP/m1.pb.gz" >"$TMP/pk$view" 2>/dev/null
    [[ -s "$TMP/go$view" ]] || fail "go tool pprof $view printed nothing"
    cmp -s "$TMP/go$view" "$TMP/pk$view" ||
      { fail "go tool pprof $view: our merge differs from pprof's"; diff "$TMP/go$view" "$TMP/pk$view" | head -5; }
  done
  # Units: milliseconds and microseconds profiles merge with nanoseconds ones into nanoseconds.
  python3 $GEN "$TMP/ms" --count 3 --first 301 --cpu-unit milliseconds "${SMALL[@]}"
  python3 $GEN "$TMP/us" --count 2 --first 401 --cpu-unit microseconds "${SMALL[@]}"
  MIX=("$TMP"/ms/*.pb.gz "${FLEET[@]:0:3}" "$TMP"/us/*.pb.gz)
  expect_exit 0 "$PK" merge "${MIX[@]}" -o "$TMP/mix.pb.gz"
  go tool pprof -symbolize=none -proto -output "$TMP/gomix.pb.gz" "${MIX[@]}" 2>/dev/null
  go tool pprof -raw "$TMP/gomix.pb.gz" >"$TMP/gomix" 2>/dev/null
  go tool pprof -raw "$TMP/mix.pb.gz" >"$TMP/pkmix" 2>/dev/null
  grep -q "cpu/nanoseconds" "$TMP/pkmix" || fail "mixed units: the merge is not in nanoseconds"
  go tool pprof -top "$TMP/gomix.pb.gz" >"$TMP/gomix" 2>/dev/null
  go tool pprof -top "$TMP/mix.pb.gz" >"$TMP/pkmix" 2>/dev/null
  cmp -s "$TMP/gomix" "$TMP/pkmix" || { fail "mixed units: -top differs from pprof's merge"; diff "$TMP/gomix" "$TMP/pkmix" | head -5; }
fi

# Refusals (exit 3, the file named, no output left): another period type; other sample types.
python3 $GEN "$TMP/wall" --count 1 --first 501 --period-type wall/nanoseconds "${SMALL[@]}"
expect_exit 3 "$PK" merge "${FLEET[@]:0:5}" "$TMP"/wall/m0501.pb.gz "${FLEET[@]:5:5}" -o "$TMP/bad.pb.gz" -j 2
expect_grep "$TMP/err" "error: .*wall/m0501.pb.gz: cannot merge it .* the period types differ: period type wall/nanoseconds here, period type cpu/nanoseconds there"
[[ -e "$TMP/bad.pb.gz" ]] && fail "output left after a refused merge"
expect_exit 3 "$PK" merge "${FLEET[@]:0:3}" testdata/pprof/go_heap.pb.gz -o "$TMP/bad.pb.gz" -j 2
expect_grep "$TMP/err" "go_heap.pb.gz: cannot merge it .* the sample types differ"
[[ -e "$TMP/bad.pb.gz" ]] && fail "output left after a refused merge"
# A cut input is an error at its byte offset, whichever thread reads it.
head -c 3000 "${FLEET[7]}" >"$TMP/cut.pb.gz"
expect_exit 3 "$PK" merge "${FLEET[@]:0:7}" "$TMP/cut.pb.gz" "${FLEET[@]:8:4}" -o "$TMP/bad.pb.gz" -j 4
expect_grep "$TMP/err" "cut.pb.gz: byte [0-9]+"
[[ -e "$TMP/bad.pb.gz" ]] && fail "output left after a failed merge"
finish

#!/usr/bin/env bash
# The pprof sweep (tests/sweep/sweep.py): perfkit beside `go tool pprof` on every pprof file of
# testdata/pprof/producers, ../shared/corpus/pprof and testdata/pprof, every sample type,
# granularity and filter, whole texts compared. Passes iff the differing checks are exactly
# those in tests/sweep/known_differences.txt (the list may only shrink). Without Go the test
# is skipped, except under CI (CI=true), where a missing `go` fails it.
PK="$1"
SRC="$2"
if ! command -v go >/dev/null 2>&1 || [[ ! -x "$(go env GOTOOLDIR 2>/dev/null)/pprof" ]]; then
  if [[ "${CI:-}" == true ]]; then
    echo "FAIL: go tool pprof is missing (golang-go); CI must run the pprof sweep"
    exit 1
  fi
  echo "SKIP: go tool pprof is missing (apt-get install golang-go); pprof sweep not run"
  exit 0
fi
mkdir -p "$(dirname "$PK")/sweep"
exec python3 "$SRC/tests/sweep/sweep.py" --perfkit "$PK" --jobs 2 --max-list 20 \
  --known "$SRC/tests/sweep/known_differences.txt" --details "$(dirname "$PK")/sweep/details.txt"

#!/usr/bin/env bash
# Damaged inputs: a bounded run of tests/mutate.py (a few hundred mutants of every testdata file,
# `perfkit info` and `perfkit top` on each; only exit 0 or 3, never a signal or a hang).
# The long run: python3 tests/mutate.py build/perfkit --full
set -euo pipefail
PK="$1"; SRC="$2"
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 0; }
# Sanitizer builds run several times slower: fewer mutants, a longer per-run limit.
per=9 limit=10
if [[ "${PERFKIT_SANITIZED:-}" == 1 ]]; then per=3 limit=30; fi
exec python3 "$SRC/tests/mutate.py" "$PK" "$SRC" --mutants "$per" --timeout "$limit" --budget 50

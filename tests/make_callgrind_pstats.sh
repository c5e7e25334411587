#!/usr/bin/env bash
# Regenerates testdata/callgrind/ and testdata/pstats/ with the real producers (Debian bookworm:
# valgrind 3.19, python3 3.11 with python3-yappi 1.4.0 and python3-pprofile 2.1.0, golang-go's
# go tool pprof, g++). The programs are testdata/callgrind/prog.c, testdata/perf/work.cpp and
# testdata/pstats/work.py; they run in /tmp/perfkit-cg so the paths inside the files do not
# depend on the checkout.
#   bash tests/make_callgrind_pstats.sh      (from the repository root)
set -euo pipefail
SRC=$(pwd)
W=/tmp/perfkit-cg
PY=/usr/bin/python3  # Debian's python3, where python3-yappi and python3-pprofile live
rm -rf "$W" && mkdir -p "$W"
cp testdata/callgrind/prog.c testdata/pstats/work.py "$W"/
cd "$W"
CG=$SRC/testdata/callgrind
PS=$SRC/testdata/pstats

gcc -g -O1 -fno-inline -o prog prog.c
# The whole run (ld.so, libc, main): one event, positions line, compressed names.
valgrind -q --tool=callgrind --callgrind-out-file=valgrind.callgrind.out ./prog >/dev/null
# Only main and below, with the cache and branch simulators (11 events) and instruction
# addresses (positions: instr line, hex and relative subpositions).
valgrind -q --tool=callgrind --cache-sim=yes --branch-sim=yes --dump-instr=yes \
  --toggle-collect=main --callgrind-out-file=valgrind_cache.callgrind.out ./prog >/dev/null
# Jumps (jump=/jcnd= lines followed by a position-only line).
valgrind -q --tool=callgrind --collect-jumps=yes --toggle-collect=main \
  --callgrind-out-file=valgrind_jumps.callgrind.out ./prog >/dev/null
# C++ (testdata/perf/work.cpp, 3 rounds): valgrind's demangled names with their parameters,
# two overloads of work::Hasher::hash, a template, an anonymous namespace, operator new/delete,
# recursion levels (fib(int)'2): what --simplify-names is tested on.
cp "$SRC/testdata/perf/work.cpp" .
g++ -O1 -g -fno-omit-frame-pointer -pthread -o work work.cpp
valgrind -q --tool=callgrind --callgrind-out-file=cpp_work.callgrind.out ./work 3 >/dev/null
cp valgrind.callgrind.out valgrind_cache.callgrind.out valgrind_jumps.callgrind.out \
  cpp_work.callgrind.out "$CG"/ && chmod 644 "$CG"/*.out

cat >run_yappi.py <<'PY'
import sys, yappi
import work
yappi.set_clock_type("cpu")
yappi.start()
work.main()
yappi.stop()
stats = yappi.get_func_stats()
stats.save("yappi.callgrind", type="callgrind")
stats.save("yappi.pstat", type="pstat")
PY
$PY run_yappi.py
$PY -m cProfile -o cprofile.prof work.py >/dev/null
$PY -m pprofile --format callgrind --out pprofile.callgrind work.py >/dev/null
cp yappi.callgrind pprofile.callgrind "$CG"/
cp yappi.pstat cprofile.prof "$PS"/

# go tool pprof's callgrind output of a Go CPU profile of the pprof corpus.
go tool pprof -callgrind -output="$CG/go_cpu.callgrind" "$SRC/testdata/pprof/go_cpu_base.pb.gz" 2>/dev/null
echo "written to $CG and $PS"

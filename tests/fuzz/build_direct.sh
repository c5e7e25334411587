#!/usr/bin/env bash
# A small fuzz build without CMake: only the readers and what they use, compiled with clang at -O1
# into build-fuzz-direct/ (PERFKIT_FUZZ_READER_ONLY: no downstream analyses, no content
# detection). For a loaded machine where the full -DPERFKIT_FUZZ=ON build takes too long.
#   tests/fuzz/build_direct.sh [OUT_DIR]      then: OUT_DIR/fuzz_pprof CORPUS -max_total_time=60
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-build-fuzz-direct}
mkdir -p "$out/obj"
flags=(-std=c++20 -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -DPERFKIT_FUZZ_READER_ONLY -DPERFKIT_VERSION=\"fuzz\" -I.)
srcs=(lib/profile.cpp lib/string_table.cpp lib/errors.cpp lib/input.cpp lib/mapped_files.cpp lib/decimal_time.cpp
      lib/span_nesting.cpp lib/units.cpp formats/pprof/pprof_reader.cpp formats/pprof/pprof_prune.cpp
      formats/folded/folded_reader.cpp formats/table/table_reader.cpp formats/table/table_row.cpp
      formats/speedscope/speedscope_reader.cpp formats/v8/v8_cpu_profile.cpp formats/v8/cpuprofile_reader.cpp
      formats/perf/perf_script_line.cpp formats/perf/perf_script_reader.cpp
      formats/callgrind/callgrind_reader.cpp lib/call_graph.cpp formats/pstats/marshal.cpp
      formats/pstats/pstats_reader.cpp)
for f in formats/chrome/*.cpp; do [[ $f == *writer* ]] || srcs+=("$f"); done
objs=()
for f in "${srcs[@]}"; do objs+=("$out/obj/$(echo "$f" | tr / _).o"); done
export out
printf '%s\n' "${srcs[@]}" | xargs -P "$(nproc)" -I{} bash -c \
  'o="$out/obj/$(echo "{}" | tr / _).o"; [[ -f $o && $o -nt {} ]] || clang++ '"${flags[*]@Q}"' -c {} -o "$o"' 
rm -f "$out/libreaders.a"; ar rcs "$out/libreaders.a" "${objs[@]}"
for t in pprof chrome table folded speedscope gunzip cpuprofile perf callgrind pstats; do
  clang++ "${flags[@]}" -fsanitize=fuzzer tests/fuzz/fuzz_$t.cpp "$out/libreaders.a" \
    -lsimdjson -lfmt -lz -ldeflate -lre2 -lpthread -o "$out/fuzz_$t"
done
echo "built: $(ls "$out"/fuzz_* | tr '\n' ' ')"

#!/usr/bin/env bash
# A fuzz build without CMake, compiled with clang at -O1 into build-fuzz-direct/, for a loaded
# machine where the full -DPERFKIT_FUZZ=ON build takes too long. The reader targets link only
# the readers and what they use (their harness built with PERFKIT_FUZZ_READER_ONLY: no
# downstream analyses); the post-read targets (analyses, writers) and detect link the whole
# library (lib/, formats/, reports/, the protoc-generated profile.pb.cc).
#   tests/fuzz/build_direct.sh [OUT_DIR] [TARGET...]   then: OUT_DIR/fuzz_pprof CORPUS -max_total_time=60
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-build-fuzz-direct}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(pprof chrome table folded speedscope gunzip cpuprofile perf callgrind pstats detect analyses writers)
mkdir -p "$out/obj" "$out/gen"
flags=(-std=c++20 -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -DPERFKIT_VERSION=\"fuzz\" -I. -I"$out/gen")
readers=(lib/profile.cpp lib/string_table.cpp lib/errors.cpp lib/input.cpp lib/mapped_files.cpp lib/decimal_time.cpp
      lib/span_nesting.cpp lib/units.cpp lib/regex.cpp lib/pprof_names.cpp formats/pprof/pprof_reader.cpp formats/pprof/pprof_prune.cpp
      formats/folded/folded_reader.cpp formats/table/table_reader.cpp formats/table/table_row.cpp
      formats/speedscope/speedscope_reader.cpp formats/v8/v8_cpu_profile.cpp formats/v8/cpuprofile_reader.cpp
      formats/perf/perf_script_line.cpp formats/perf/perf_script_reader.cpp
      formats/callgrind/callgrind_reader.cpp lib/call_graph.cpp formats/pstats/marshal.cpp
      formats/pstats/pstats_reader.cpp)
for f in formats/chrome/*.cpp; do [[ $f == *writer* ]] || readers+=("$f"); done
whole=0
for t in "${targets[@]}"; do [[ $t == detect || $t == analyses || $t == writers ]] && whole=1; done
srcs=("${readers[@]}")
if ((whole)); then
  [[ -f $out/gen/profile.pb.cc && $out/gen/profile.pb.cc -nt formats/pprof/profile.proto ]] ||
    protoc --cpp_out="$out/gen" --proto_path=formats/pprof formats/pprof/profile.proto
  srcs=($(ls lib/*.cpp formats/*/*.cpp formats/*.cpp reports/*.cpp) "$out/gen/profile.pb.cc")
fi
export out
printf '%s\n' "${srcs[@]}" | xargs -P "$(nproc)" -I{} bash -c \
  'o="$out/obj/$(echo "{}" | tr / _).o"; [[ -f $o && $o -nt {} ]] || clang++ '"${flags[*]@Q}"' -c {} -o "$o"'
objs() { for f in "$@"; do echo "$out/obj/$(echo "$f" | tr / _).o"; done; }
rm -f "$out/libreaders.a" "$out/libwhole.a"
ar rcs "$out/libreaders.a" $(objs "${readers[@]}")
((whole)) && ar rcs "$out/libwhole.a" $(objs "${srcs[@]}")
libs=(-lsimdjson -lfmt -lz -ldeflate -lre2 -lpthread)
for t in "${targets[@]}"; do
  if [[ $t == detect || $t == analyses || $t == writers ]]; then
    clang++ "${flags[@]}" -fsanitize=fuzzer tests/fuzz/fuzz_$t.cpp "$out/libwhole.a" "${libs[@]}" \
      -lprotobuf -o "$out/fuzz_$t"
  else
    clang++ "${flags[@]}" -DPERFKIT_FUZZ_READER_ONLY -fsanitize=fuzzer tests/fuzz/fuzz_$t.cpp \
      "$out/libreaders.a" "${libs[@]}" -o "$out/fuzz_$t"
  fi
done
echo "built: $(ls "$out"/fuzz_* | tr '\n' ' ')"

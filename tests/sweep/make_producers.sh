#!/usr/bin/env bash
# Regenerates testdata/pprof/producers/*.pb.gz with the real producers, from the programs in
# testdata/pprof/producers/src/ (see testdata/pprof/producers/README.md for what each file is).
#
# Needs (Debian bookworm): golang-go (Go 1.19: runtime/pprof and `go tool pprof`), g++,
# libgoogle-perftools-dev (gperftools CPU and heap profilers), libjemalloc-dev (jemalloc prof),
# golang-github-google-pprof-dev (the standalone pprof's source: built here, it symbolizes C++
# through binutils, which `go tool pprof` cannot: Go's own build reads only Go line tables),
# binutils, nodejs + npm (@datadog/pprof and pprof-format from the npm registry).
#   apt-get install -y golang-go g++ libgoogle-perftools-dev libjemalloc-dev \
#       golang-github-google-pprof-dev binutils nodejs npm
# Usage: tests/sweep/make_producers.sh [OUTDIR]   (default: testdata/pprof/producers)
# Profiles hold timings, so a rerun gives other numbers (same shapes); run the sweep after it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/testdata/pprof/producers}
SRC_IN=$ROOT/testdata/pprof/producers/src
# A fixed scratch path: it is recorded in the profiles (mapping file names, untrimmed Go paths,
# Node script paths), so a rerun writes the same names.
W=/tmp/perfkit-producers
rm -rf "$W" && mkdir -p "$W"/{go1,go2,cpp,je,node,tools} && cp -r "$SRC_IN" "$W/src"
GOPPROF=(go tool pprof)
export GOFLAGS=-mod=mod GOCACHE=$W/gocache GOPATH=$W/gopath

# The standalone pprof from Debian's source package (symbolizes C++ with addr2line).
GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$W/tools/pprof" github.com/google/pprof
PPROF=("$W/tools/pprof")

# --- Go 1.19 runtime/pprof -----------------------------------------------------------------
# Run 1: -trimpath (module paths as file names). Run 2: the same code built without -trimpath
# (absolute file names) and with a GNU build-id note, as a second build of one service.
(cd "$W/src/go" && go build -trimpath -o "$W/go1/app" ./cmd/app &&
  go build -ldflags=-B=0x5eedc0de0123456789abcdef -o "$W/go2/app" ./cmd/app)
"$W/go1/app" -out "$W/go1" -seconds 3
"$W/go2/app" -out "$W/go2" -seconds 2
for p in cpu_labels goroutine mutex block allocs heap_labels threadcreate; do
  cp "$W/go1/go_$p.pb.gz" "$OUT/go_$p.pb.gz"
done
cp "$W/go2/go_cpu_labels.pb.gz" "$OUT/go_cpu_buildid.pb.gz"
# Merged by pprof: the same function names with two file names each (two builds).
"${GOPPROF[@]}" -proto -output="$OUT/go_cpu_two_builds.pb.gz" \
  "$W/go1/go_cpu_labels.pb.gz" "$W/go2/go_cpu_labels.pb.gz"

# --- gperftools ------------------------------------------------------------------------------
CXXFLAGS=(-std=c++17 -O2 -g -fno-omit-frame-pointer "-ffile-prefix-map=$W/src/=")
(cd "$W/src/cpp" && g++ "${CXXFLAGS[@]}" main.cpp a.cpp b.cpp -o "$W/cpp/app" -lprofiler -ltcmalloc)
(cd "$W/cpp" && CPUPROFILE_FREQUENCY=500 ./app cpu "$W/cpp/cpu.prof" >/dev/null)
(cd "$W/cpp" && HEAP_PROFILE_ALLOCATION_INTERVAL=100000000000 \
  HEAP_PROFILE_INUSE_INTERVAL=100000000000 ./app heap "$W/cpp/heap" >/dev/null 2>&1)
BUILD_ID=$(readelf -n "$W/cpp/app" | sed -n 's/.*Build ID: //p')
"${PPROF[@]}" -proto -buildid="$BUILD_ID" -output="$OUT/cpp_cpu.pb.gz" "$W/cpp/app" "$W/cpp/cpu.prof"
"${PPROF[@]}" -proto -symbolize=demangle=full -output="$OUT/cpp_cpu_fullnames.pb.gz" \
  "$W/cpp/app" "$W/cpp/cpu.prof"
"${GOPPROF[@]}" -proto -symbolize=none -output="$OUT/cpp_cpu_unsymbolized.pb.gz" "$W/cpp/cpu.prof"
"${PPROF[@]}" -proto -output="$OUT/cpp_heap.pb.gz" "$W/cpp/app" "$W/cpp/heap.0002.heap"
"${PPROF[@]}" -proto -output="$OUT/cpp_heap_half.pb.gz" "$W/cpp/app" "$W/cpp/heap.0001.heap"
"${GOPPROF[@]}" -proto -symbolize=none -output="$OUT/cpp_heap_unsymbolized.pb.gz" \
  "$W/cpp/heap.0002.heap"

# --- jemalloc (heap_v2 rewritten in the legacy layout pprof reads, then symbolized) ----------
(cd "$W/src/cpp" && g++ "${CXXFLAGS[@]}" je_main.cpp a.cpp b.cpp -o "$W/je/je_app" -ljemalloc)
(cd "$W/je" && MALLOC_CONF=prof:true,prof_accum:true,lg_prof_sample:14,prof_prefix:$W/je/je \
  ./je_app >/dev/null)
for dump in 0.m0 1.m1; do
  python3 "$ROOT/tests/sweep/jemalloc_to_legacy.py" "$W"/je/je.*."$dump".heap >"$W/je/$dump.heap"
done
"${PPROF[@]}" -proto -output="$OUT/jemalloc_heap_half.pb.gz" "$W/je/je_app" "$W/je/0.m0.heap"
"${PPROF[@]}" -proto -output="$OUT/jemalloc_heap.pb.gz" "$W/je/je_app" "$W/je/1.m1.heap"

# --- Node.js ---------------------------------------------------------------------------------
(cd "$W/node" && npm init -y >/dev/null && npm install --no-audit --no-fund \
  @datadog/pprof@5.20.0 >/dev/null)
(cd "$W/src/node" && node main.js "$W/node" "$W/node/node_modules" &&
  node custom.js "$W/node" "$W/node/node_modules")
cp "$W"/node/node_{wall_labels,wall_lines,heap}.pb.gz "$W"/node/custom_{empty_type,keep_frames}.pb.gz \
  "$W/node/custom_other_period.pb.gz" "$OUT/"

# --- Profiles reshaped by pprof itself -------------------------------------------------------
# Negative values: -diff_base output keeps the base samples negated (label pprof::base).
"${GOPPROF[@]}" -proto -output="$OUT/pprof_diff_base_cpu.pb.gz" \
  -diff_base="$W/go2/go_cpu_labels.pb.gz" "$W/go1/go_cpu_labels.pb.gz"
# -base subtracts: the later heap minus the earlier one (negative where memory was freed).
"${GOPPROF[@]}" -proto -output="$OUT/pprof_base_heap.pb.gz" \
  -base="$OUT/cpp_heap_half.pb.gz" "$OUT/cpp_heap.pb.gz"
# A comment, -sample_index and a focus filter baked in; a merge of the two Node wall profiles.
"${GOPPROF[@]}" -proto -output="$OUT/pprof_comment_focus.pb.gz" -sample_index=alloc_space \
  -add_comment="focus on lib: made by tests/sweep/make_producers.sh" -focus='lib\.' \
  "$W/go1/go_allocs.pb.gz"
"${GOPPROF[@]}" -proto -output="$OUT/pprof_merged_node.pb.gz" \
  "$W/node/node_wall_labels.pb.gz" "$W/node/node_wall_lines.pb.gz"
# -topproto: the top table as a profile (sample types flat and cum).
"${GOPPROF[@]}" -topproto -output="$OUT/pprof_topproto.pb.gz" "$W/go1/go_cpu_labels.pb.gz"

ls -l "$OUT"/*.pb.gz
du -ch "$OUT"/*.pb.gz | tail -1

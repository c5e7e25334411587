#!/bin/bash
# Remakes testdata/names/cpp_demangled.tsv: real C++ symbols of this machine's libraries and of
# perfkit's own binaries, each with its full demangled name and the name pprof's symbolizer
# prints by default (github.com/ianlancetaylor/demangle, options NoParams and NoTemplateParams,
# as pprof's internal/symbolizer calls it). The demangler is taken from Go's own distribution
# (Debian golang-go vendors it under cmd/vendor) into a scratch module and run as a tool; nothing
# of it is kept. Columns: mangled, full, pprof. Usage: tests/names/make_cpp_names.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
vendor=$(go env GOROOT)/src/cmd/vendor/github.com/ianlancetaylor/demangle
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/demangle"
cp "$vendor"/*.go "$tmp/demangle/"
printf 'module dm\ngo 1.19\n' >"$tmp/go.mod"
cat >"$tmp/main.go" <<'GO'
package main

import (
	"bufio"
	"fmt"
	"os"

	"dm/demangle"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	for in.Scan() {
		m := in.Text()
		full, err := demangle.ToString(m)
		if err != nil {
			continue
		}
		fmt.Printf("%s\t%s\t%s\n", m, full, demangle.Filter(m, demangle.NoParams, demangle.NoTemplateParams))
	}
}
GO
(cd "$tmp" && go build -o dm .)
libs=(/usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libre2.so.*
      /usr/lib/x86_64-linux-gnu/libprotobuf.so.*)
{
  for f in "${libs[@]}"; do nm -D --defined-only "$f" | awk '{print $3}'; done
  nm "$build/perfkit" | awk '{print $3}'   # local symbols: lambdas, clones, anonymous namespaces
} | sed 's/@.*//' | grep '^_Z' | sort -u | "$tmp/dm" >"$tmp/all.tsv"
# A reviewable sample: names up to 300 characters, up to 12 per feature, then every 97th name.
out=$src/testdata/names/cpp_demangled.tsv
mkdir -p "$(dirname "$out")"
{
  for feature in 'lambda' 'anonymous namespace' '[clone' 'abi:' 'decltype' 'operator()' \
      'operator<<' 'operator->' 'operator new' 'operator delete' 'operator ' 'thunk to' \
      ') const' '&&' '(*)' '{unnamed'; do
    awk -F'\t' 'length($2) <= 300' "$tmp/all.tsv" | grep -F -- "$feature" | head -12 || true
  done
  awk -F'\t' 'length($2) <= 300 && NR % 97 == 0' "$tmp/all.tsv"
} | sort -u >"$out"
wc -l "$out"

# Install like a real tool: cmake --install into a fresh prefix (binary, man page, bash and zsh
# completions), the man page renders, the completion completes; the .deb built by cpack unpacks
# into a fresh directory and runs; --version names the commit.
. "$(dirname "$0")/lib.bash"
BUILD=$(dirname "$PK")
CPU=testdata/pprof/go_cpu_slow_regex.pb.gz
P="$TMP/prefix"
cmake --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1 || { fail "cmake --install"; tail -5 "$TMP/install.log"; }
for f in bin/perfkit share/man/man1/perfkit.1 share/bash-completion/completions/perfkit \
         share/zsh/vendor-completions/_perfkit; do
  [[ -s "$P/$f" ]] || fail "not installed: $f"
done
expect_exit 0 "$P/bin/perfkit" top -n 3 "$CPU"
expect_grep "$TMP/out" "runtime.mallocgc"

# --version: the commit of the source tree (or "unknown" outside a git checkout).
expect_exit 0 "$P/bin/perfkit" --version
commit=$(git -C "$SRC" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
expect_grep "$TMP/out" "^perfkit [0-9]+\.[0-9]+\.[0-9]+ \(commit $commit(-dirty)?\)$"

# The man page renders without warnings and documents every subcommand and option.
if command -v man >/dev/null; then
  MANWIDTH=80 man -l "$P/share/man/man1/perfkit.1" >"$TMP/man.txt" 2>"$TMP/man.err" || fail "man -l failed"
  [[ -s "$TMP/man.err" ]] && { fail "man -l warned"; head -3 "$TMP/man.err"; }
  for sub in convert diff flame gate gpu info merge peek report spans top traces tree; do
    grep -q "perfkit $sub \[OPTIONS\]" "$TMP/man.txt" || fail "man page lacks $sub"
  done
  expect_grep "$TMP/man.txt" "^EXIT STATUS"
  expect_grep "$TMP/man.txt" "-n, --nodecount"
  expect_grep "$TMP/man.txt" "--format text\|json\|csv\|md"
  expect_grep "$TMP/man.txt" "several +outputs +from +one +run"
  expect_grep "$TMP/man.txt" "--output-dir"
else
  fail "man is not installed (.ci/test-packages has man-db)"
fi

# The bash completion loads and completes subcommands, options and enumerated values.
complete_words() {  # complete_words WORD... -> the completions of the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _perfkit
           printf "%s\n" "${COMPREPLY[@]}"' _ "$P/share/bash-completion/completions/perfkit" "$@"
}
[[ $(complete_words perfkit to) == top ]] || fail "bash: 'perfkit to' does not complete to top"
[[ $(complete_words perfkit co | tr '\n' ' ') == "convert " ]] || fail "bash: 'co' -> convert"
complete_words perfkit top --nodec | grep -qx -- --nodecount || fail "bash: top --nodec"
[[ $(complete_words perfkit top --format "" | tr '\n' ' ') == "text json csv md " ]] || fail "bash: --format values"
complete_words perfkit help tr | grep -qx -e traces || fail "bash: help tr"
# --output-dir completes directories only (README.md is a file, testdata a directory).
[[ -z $(complete_words perfkit report --output-dir READ) ]] || fail "bash: --output-dir offers files"
[[ $(complete_words perfkit report --output-dir testd) == testdata ]] || fail "bash: --output-dir testd"
bash -c "source '$P/share/bash-completion/completions/perfkit'; complete -p perfkit" | grep -q _perfkit \
  || fail "bash: no 'complete' registered for perfkit"
if command -v zsh >/dev/null; then
  zsh -n "$P/share/zsh/vendor-completions/_perfkit" || fail "zsh completion does not parse"
fi

# The Debian package: cpack -G DEB, unpacked into a fresh directory (dpkg -x), runs there.
if command -v dpkg-deb >/dev/null && command -v cpack >/dev/null; then
  (cd "$BUILD" && cpack -G DEB -B "$TMP/pkg") >"$TMP/cpack.log" 2>&1 || { fail "cpack -G DEB"; tail -5 "$TMP/cpack.log"; }
  deb=$(ls "$TMP"/pkg/perfkit_*.deb 2>/dev/null | head -1)
  if [[ -z "$deb" ]]; then
    fail "no .deb written"
  else
    dpkg-deb -f "$deb" Package | grep -qx perfkit || fail "package name"
    dpkg-deb -f "$deb" Depends | grep -q "libc6" || fail "no shared-library dependencies in the .deb"
    dpkg-deb -c "$deb" >"$TMP/contents"
    for f in ./usr/bin/perfkit ./usr/share/man/man1/perfkit.1 ./usr/share/bash-completion/completions/perfkit; do
      grep -q " $f\$" "$TMP/contents" || fail ".deb lacks $f"
    done
    dpkg -x "$deb" "$TMP/root"
    expect_exit 0 "$TMP/root/usr/bin/perfkit" top -n 3 "$CPU"
    cmp -s "$TMP/out" <("$PK" top -n 3 "$CPU" 2>/dev/null) || fail "the packaged binary prints another table"
  fi
fi
finish

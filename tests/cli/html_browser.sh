#!/usr/bin/env bash
# perfkit report --format html, opened in headless Chromium (tests/browser/report_test.mjs):
# every finding badge against `report --format json` (pprof, trace, folded), table rows, sorting, filter, flame zoom/reset/search/hover/icicle, the diff page, hostile
# names shown as text with no dialog. Needs Debian's chromium, node and npm (.ci/test-packages).
# Screenshots: $PERFKIT_HTML_ARTIFACTS (default build-dir-independent /tmp/perfkit-html-test).
. "$(dirname "$0")/lib.bash"
OUT="${PERFKIT_HTML_ARTIFACTS:-/tmp/perfkit-html-test}"
mkdir -p "$OUT"

expect_exit 0 "$PK" report testdata/pprof/go_cpu_slow_regex.pb.gz --format html -o "$OUT/report.html"
expect_exit 0 "$PK" report --base testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz \
  --format html -o "$OUT/diff.html"
# The same input as HTML and as JSON: the browser compares each finding's badge with the JSON.
expect_exit 0 "$PK" report testdata/pprof/go_cpu_slow_regex.pb.gz --format json -o "$OUT/report.json"
for pair in trace:testdata/chrome/clang_ftime_trace.json folded:testdata/folded/small.folded; do
  expect_exit 0 "$PK" report "${pair#*:}" --format html -o "$OUT/${pair%%:*}.html"
  expect_exit 0 "$PK" report "${pair#*:}" --format json -o "$OUT/${pair%%:*}.json"
done
# A diff of two function tables: the page's ncall/tavg columns against `diff --format json`.
expect_exit 0 "$PK" report --base testdata/tables/yappi_wide_baseline.txt testdata/tables/yappi_wide_optimized.txt \
  --format html -o "$OUT/tables_diff.html"
expect_exit 0 "$PK" diff testdata/tables/yappi_wide_baseline.txt testdata/tables/yappi_wide_optimized.txt \
  --format json -o "$OUT/tables_diff.json"
printf '%s\n' 'main;</script><script>alert(1)</script> 5' 'main;<img src=x onerror=alert(1)> 3' \
  "main;work;a"$'\xe2\x80\xa8'"b 1" >"$TMP/evil.folded"
expect_exit 0 "$PK" report "$TMP/evil.folded" --format html -o "$OUT/escape.html"

expect_exit 2 "$PK" report --base testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz
expect_grep "$TMP/err" "--base.*--format html"

# Static checks, no browser: one file, no external references, hostile names never raw.
for f in report diff escape; do
  [[ -s "$OUT/$f.html" ]] || fail "$f.html missing"
done
grep -qiE '(src|href)="?(https?:)?//' "$OUT/report.html" "$OUT/diff.html" && fail "a page references the network"
[[ $(grep -c '</script>' "$OUT/escape.html") == 2 ]] || fail "escape.html: a name closed a script element"
grep -q '<img' "$OUT/escape.html" && fail "escape.html: raw <img in the page"
grep -q $'\xe2\x80\xa8' "$OUT/escape.html" && fail "escape.html: raw U+2028 in the page"
grep -q 'a\\u2028b' "$OUT/escape.html" || fail "escape.html: U+2028 not escaped as \\u2028"

command -v node >/dev/null || { fail "node not found (install nodejs and npm: .ci/setup --test)"; finish; }
[[ -x "${PERFKIT_CHROMIUM:-/usr/bin/chromium}" ]] || { fail "chromium not found (.ci/setup --test)"; finish; }
cd "$SRC/tests/browser" || exit 1
if [[ ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1 || { cat "$TMP/npm.log"; fail "npm ci"; finish; }
fi
node report_test.mjs "$OUT" || fail "browser checks (see FAIL lines above)"
finish

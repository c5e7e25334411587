# flame: well-formed SVG, small thanks to pruning on a genprofiles small profile, widths adding
# up to the total, identical bytes on two runs, hostile names inert, differential and folded
# outputs, a clear refusal for tables.
. "$(dirname "$0")/lib.bash"
cd "$SRC"

python3 /work/shared/tools/genprofiles.py "$TMP/gen" --scale small --only pprof,folded >/dev/null ||
  { fail "genprofiles.py failed"; finish; }
for in in "$TMP/gen/profile.pb.gz" "$TMP/gen/stacks.folded"; do
  expect_exit 0 "$PK" flame "$in" -o "$TMP/f.svg"
  expect_exit 0 "$PK" flame "$in" -o "$TMP/g.svg"
  cmp -s "$TMP/f.svg" "$TMP/g.svg" || fail "two runs differ on $in"
  size=$(wc -c <"$TMP/f.svg")
  ((size < 4000000)) || fail "$in: SVG of $size bytes (pruning should keep it small)"
  total=$("$PK" info --format json "$in" | python3 -c "
import json, sys
d = json.load(sys.stdin)
d = d[0] if isinstance(d, list) else d
print([v['total'] for v in d['value_types'] if v['type'] == d['default_value_type']][0])")
  python3 - "$TMP/f.svg" "$total" <<'PY' || fail "$in: SVG structure or widths"
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])  # well-formed XML or an exception
total = int(sys.argv[2])
frames = [g for g in doc.getElementsByTagName("g") if g.getAttribute("class") == "f"]
root = [g for g in frames if g.getAttribute("data-d") == "0"][0]
assert int(root.getAttribute("data-v")) == total, (root.getAttribute("data-v"), total)
top = sum(int(g.getAttribute("data-v")) for g in frames if g.getAttribute("data-d") == "1")
pruned = int(root.getAttribute("data-p") or 0)
assert top + pruned == total, (top, pruned, total)
assert any(g.getAttribute("data-p") for g in frames), "nothing was pruned"
w = sum(float(g.getElementsByTagName("rect")[0].getAttribute("width")) for g in frames if g.getAttribute("data-d") == "1")
iw = float(doc.documentElement.getAttribute("data-iw"))
assert abs(w + pruned / total * iw - iw) < 0.5, (w, iw)
assert len(doc.getElementsByTagName("script")) == 1
print(len(frames), "frames; top-level widths add up to", total)
PY
done

# Hostile names are inert text; --title too.
printf '%s\n' 'main;</script><script>alert(1)</script> 5' 'main;<img src=x onerror=alert(1)> 3' 'main;a&b"c 2' >"$TMP/evil.folded"
expect_exit 0 "$PK" flame "$TMP/evil.folded" --title '<b>"x"</b>' -o "$TMP/evil.svg"
xmllint --noout "$TMP/evil.svg" 2>/dev/null || python3 -c "import sys,xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$TMP/evil.svg" || fail "evil.svg not well-formed"
grep -q '<script>alert' "$TMP/evil.svg" && fail "a name became a script element"
grep -q '<img' "$TMP/evil.svg" && fail "a name became an img element"
expect_grep "$TMP/evil.svg" '&lt;/script&gt;&lt;script&gt;alert\(1\)&lt;/script&gt;'
[[ $(grep -c '<script' "$TMP/evil.svg") == 1 ]] || fail "more than our own script element"

# Options: icicle, colors, width, min-width.
expect_exit 0 "$PK" flame testdata/pprof/go_cpu_base.pb.gz --icicle --colors by-package --width 800 --min-width 2 -o "$TMP/i.svg"
expect_grep "$TMP/i.svg" 'width="800"'
expect_grep "$TMP/i.svg" '>Icicle Graph<'
expect_exit 2 "$PK" flame testdata/pprof/go_cpu_base.pb.gz --colors nope -o "$TMP/x.svg"
expect_exit 0 "$PK" flame testdata/pprof/go_heap.pb.gz --sample-index alloc_space -o "$TMP/h.svg"
expect_grep "$TMP/h.svg" 'alloc_space/bytes: total 3.2'

# Differential: widths from NEW, red and blue frames; --to folded gives the two-count form.
expect_exit 0 "$PK" flame --base testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz --normalize -o "$TMP/d.svg"
expect_grep "$TMP/d.svg" 'Differential Flame Graph'
expect_grep "$TMP/d.svg" 'fill="rgb\(255,'
expect_grep "$TMP/d.svg" 'data-b="'
expect_exit 0 "$PK" flame --base testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz --diff-by total -o "$TMP/d2.svg"
expect_exit 0 "$PK" flame --base testdata/pprof/go_cpu_base.pb.gz testdata/pprof/go_cpu_slow_regex.pb.gz --to folded -o "$TMP/d.folded"
grep -qE '^main\..*regexp.* [0-9]+ [0-9]+$' "$TMP/d.folded" || fail "no two-count regexp line in the differential folded output"
expect_exit 0 "$PK" flame testdata/pprof/go_cpu_base.pb.gz --to folded -o "$TMP/c.folded"
"$PK" convert testdata/pprof/go_cpu_base.pb.gz --to folded -o "$TMP/c2.folded" 2>/dev/null
cmp -s "$TMP/c.folded" "$TMP/c2.folded" || fail "flame --to folded differs from convert --to folded"

# A trace draws its span stacks; a table is refused with the reason.
expect_exit 0 "$PK" flame testdata/chrome/node_trace_events.json -o "$TMP/t.svg"
expect_grep "$TMP/t.svg" 'wall/nanoseconds'
expect_exit 3 "$PK" flame testdata/tables/yappi_wide_baseline.txt -o "$TMP/t2.svg"
expect_grep "$TMP/err" "function table has no call stacks"
finish

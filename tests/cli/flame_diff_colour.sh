# flame --base: by default a frame's colour is its change in total (the frame with its callees),
# as the HTML diff page colours. On the bundled regression (regexp compiled on every call under
# main.matchAll) the regression's root is red, the darkest red frame is the largest growth and the
# darkest blue the largest shrinkage; the legend names what the colour measures and the extremes.
# --diff-by self keeps flamegraph.pl's colouring (main.matchAll's own code shrank: blue).
. "$(dirname "$0")/lib.bash"
cd "$SRC"
B=testdata/pprof/go_cpu_base.pb.gz
N=testdata/pprof/go_cpu_slow_regex.pb.gz

check() {  # check SVG BY NORMALIZE: colours against deltas computed from data-v/data-b
  python3 - "$@" <<'PY'
import sys, re, xml.dom.minidom
path, by, normalize = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
doc = xml.dom.minidom.parse(path)
frames = [g for g in doc.getElementsByTagName("g") if g.getAttribute("class") == "f"]
legend = doc.getElementById("legend") if hasattr(doc, "getElementById") else None
legend = [g for g in doc.getElementsByTagName("g") if g.getAttribute("id") == "legend"]
assert len(legend) == 1, "no legend"
legend = legend[0]
assert legend.getAttribute("data-by") == by, legend.getAttribute("data-by")
text = " ".join(t.firstChild.data for t in legend.getElementsByTagName("text"))
assert ("change in total" if by == "total" else "change in self") in text, text
assert "red grew, blue shrank; the darkest is the largest change" in text, text
root = [g for g in frames if g.getAttribute("data-d") == "0"][0]
k = 1.0
if normalize:
    k = int(root.getAttribute("data-v")) / int(root.getAttribute("data-b"))
def rgb(g):
    return tuple(int(x) for x in re.match(r"rgb\((\d+),(\d+),(\d+)\)",
                 g.getElementsByTagName("rect")[0].getAttribute("fill")).groups())
def name(g):
    return g.getElementsByTagName("title")[0].firstChild.data.split("\n")[0]
rows = []
for g in frames[1:]:
    title = g.getElementsByTagName("title")[0].firstChild.data
    if by == "total":
        d = int(g.getAttribute("data-v")) - int(g.getAttribute("data-b")) * k
    else:  # self: from the tooltip's "self X" is rounded; use data-v minus children instead
        d = None
    rows.append((g, d))
if by == "total":
    grow = max(rows, key=lambda r: r[1])
    shrink = min(rows, key=lambda r: r[1])
    red = [r for r in rows if rgb(r[0])[0] == 255 and rgb(r[0])[1] < 255]
    darkest_red = min(red, key=lambda r: rgb(r[0])[1])
    assert abs(darkest_red[1] - grow[1]) < 1e-6 * max(1, abs(grow[1])), (name(darkest_red[0]), darkest_red[1], name(grow[0]), grow[1])
    blue = [r for r in rows if rgb(r[0])[2] == 255 and rgb(r[0])[0] < 255]
    darkest_blue = min(blue, key=lambda r: rgb(r[0])[0])
    assert abs(darkest_blue[1] - shrink[1]) < 1e-6 * max(1, abs(shrink[1])), (name(darkest_blue[0]), name(shrink[0]))
    # every colour follows its delta's sign
    for g, d in rows:
        c = rgb(g)
        if d > 0.5: assert c[0] == 255 and c[1] < 255, (name(g), d, c)
        if d < -0.5: assert c[2] == 255 and c[0] < 255, (name(g), d, c)
    assert int(legend.getAttribute("data-max")) == round(max(abs(grow[1]), abs(shrink[1]))), legend.getAttribute("data-max")
    print("darkest red:", name(darkest_red[0]), grow[1], "darkest blue:", name(darkest_blue[0]), shrink[1])
# The regression's root: main.matchAll, which now calls regexp.MustCompile, is red by total; by
# self it is blue (its own code shrank, 20ms -> 0) and MustCompile (no self time) is white: the
# colouring that hid the cause, kept only as an option.
for g in [g for g in frames if name(g) == "main.matchAll"]:
    c = rgb(g)
    if by == "total":
        assert c[0] == 255 and c[1] < 255, ("main.matchAll", c, "not red")
    else:
        assert c[2] == 255 and c[0] < 255, ("main.matchAll", c, "not blue by self")
for g in [g for g in frames if name(g) == "regexp.MustCompile"]:
    c = rgb(g)
    if by == "total":
        assert c[0] == 255 and c[1] < 255, ("regexp.MustCompile", c, "not red")
    else:
        assert c == (250, 250, 250), ("regexp.MustCompile", c, "self unchanged: white")
print(path, "ok")
PY
}

expect_exit 0 "$PK" flame --base "$B" "$N" -o "$TMP/d.svg"
check "$TMP/d.svg" total 0 || fail "default colouring (change in total)"
expect_grep "$TMP/d.svg" 'by total'
expect_exit 0 "$PK" flame --base "$B" "$N" --normalize -o "$TMP/n.svg"
check "$TMP/n.svg" total 1 || fail "--normalize colouring"
expect_grep "$TMP/n.svg" 'new - base scaled to the new total'
expect_exit 0 "$PK" flame --base "$B" "$N" --diff-by self -o "$TMP/s.svg"
check "$TMP/s.svg" self 0 || fail "--diff-by self colouring"
# The darkest red frame by total is regexp.MustCompile's subtree top, +4.78s as in go tool pprof
# -diff_base's cum column (tests/cli/diff_pprof.sh checks those numbers).
grep -B1 'rgb(255,0,0)' "$TMP/d.svg" | grep -q 'regexp\.' || fail "the darkest red frame is not in regexp"
# A plain flame graph has no legend.
expect_exit 0 "$PK" flame "$N" -o "$TMP/p.svg"
grep -q 'id="legend"' "$TMP/p.svg" && fail "legend on a plain flame graph"
expect_exit 2 "$PK" flame --base "$B" "$N" --diff-by cum -o "$TMP/x.svg"
[[ -e "$TMP/x.svg" ]] && fail "an output file after a usage error"
finish

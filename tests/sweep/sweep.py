#!/usr/bin/env python3
"""pprof sweep: run perfkit and `go tool pprof` side by side on every pprof file, every sample
type and every granularity/filter, and compare the whole text (only pprof's `File:` line is
excused, the model does not keep it).

  sweep.py [--perfkit BIN] [--pprof BIN] [--jobs 2] [--known FILE] [--details FILE] [DIR...]

DIRs (default: testdata/pprof/producers, ../shared/corpus/pprof, testdata/pprof) are scanned
non-recursively for files that decode as profile.proto (gzipped or raw). pprof runs with
-symbolize=remote: no local binary lookups (perfkit never symbolizes, and the result must not
depend on which binaries this machine has), but pprof's demangling stays on; for local files
remote symbolization does nothing. Each check has an id
`FILE [SAMPLE_TYPE] perfkit ARGS`; a check whose perfkit command fails counts as different
(unsupported). With --known, the exit status is 0 iff the differing checks are exactly the ids
listed in FILE (one per line, `#` comments): a listed check that now agrees fails too, so the
list only shrinks. Without --known, the exit status is 0 iff every check agrees.
Python 3 standard library only.
"""
import argparse
import collections
import concurrent.futures
import difflib
import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DIRS = ["testdata/pprof/producers", "../shared/corpus/pprof", "testdata/pprof"]
ALL = "1000000"  # pprof -nodecount for perfkit's -n 0 (all rows)
ENV = dict(os.environ, TZ="UTC")  # pprof prints Time: in the local zone


# ---------------------------------------------------------------------------------------------
# A small profile.proto decoder: sample types, function names, label keys and values (enough
# to choose each file's checks; the numbers are left to the two tools).
def _varint(b, i):
    shift = result = 0
    while True:
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        if c < 0x80:
            return result, i
        shift += 7
        if shift > 70:
            raise ValueError("varint too long")


def _fields(b):
    i, n = 0, len(b)
    while i < n:
        key, i = _varint(b, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(b, i)
        elif wire == 2:
            ln, i = _varint(b, i)
            if i + ln > n:
                raise ValueError("length past the end")
            v = b[i:i + ln]
            i += ln
        elif wire == 1:
            v, i = int.from_bytes(b[i:i + 8], "little"), i + 8
        elif wire == 5:
            v, i = int.from_bytes(b[i:i + 4], "little"), i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield field, wire, v


def _ints(wire, v):
    if wire == 0:
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = _varint(v, i)
        out.append(x)
    return out


class Info:
    def __init__(self):
        self.sample_types = []  # [(type, unit)]
        self.default_type = ""
        self.names = []  # function names used by samples
        self.filenames = []  # their file names
        self.mapping_files = []
        self.str_labels = collections.defaultdict(collections.Counter)
        self.num_labels = collections.defaultdict(list)  # key -> [(num, unit)]
        self.samples = 0


def read_profile(path):
    """Info for a profile.proto file, or None when the file is not one."""
    try:
        with open(path, "rb") as f:
            data = f.read(64 << 20)
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        strings, vtypes, samples, locs, funcs, maps = [], [], [], {}, {}, {}
        default = 0
        for field, wire, v in _fields(data):
            if field == 6 and wire == 2:
                strings.append(v.decode("utf-8", "replace"))
            elif field == 1 and wire == 2:
                vt = dict((f, x) for f, _, x in _fields(v))
                vtypes.append((vt.get(1, 0), vt.get(2, 0)))
            elif field == 2 and wire == 2:
                samples.append(v)
            elif field == 3 and wire == 2:
                m = dict((f, x) for f, _, x in _fields(v))
                maps[m.get(1, 0)] = m.get(5, 0)
            elif field == 4 and wire == 2:
                lid, fids = 0, []
                for f, w, x in _fields(v):
                    if f == 1:
                        lid = x
                    elif f == 4 and w == 2:
                        ln = dict((g, y) for g, _, y in _fields(x))
                        fids.append(ln.get(1, 0))
                locs[lid] = fids
            elif field == 5 and wire == 2:
                fn = dict((f, x) for f, _, x in _fields(v))
                funcs[fn.get(1, 0)] = (fn.get(2, 0), fn.get(4, 0))
            elif field == 14 and wire == 0:
                default = v
        if not strings or strings[0] != "":
            return None
    except (ValueError, IndexError, OSError, EOFError, gzip.BadGzipFile, UnicodeError):
        return None
    s = lambda i: strings[i] if 0 <= i < len(strings) else ""
    info = Info()
    info.sample_types = [(s(t), s(u)) for t, u in vtypes]
    info.default_type = s(default)
    info.mapping_files = sorted(set(s(x) for x in maps.values() if s(x)))
    used = set()
    for raw in samples:
        info.samples += 1
        for f, w, v in _fields(raw):
            if f == 1:
                for lid in _ints(w, v):
                    used.update(locs.get(lid, []))
            elif f == 3 and w == 2:
                lb = dict((g, x) for g, _, x in _fields(v))
                key = s(lb.get(1, 0))
                if lb.get(2):
                    info.str_labels[key][s(lb[2])] += 1
                elif 3 in lb:
                    num = lb[3] - (1 << 64) if lb[3] >= 1 << 63 else lb[3]
                    info.num_labels[key].append((num, s(lb.get(4, 0))))
    info.names = sorted(set(s(funcs.get(fid, (0, 0))[0]) for fid in used) - {""})
    info.filenames = sorted(set(s(funcs.get(fid, (0, 0))[1]) for fid in used) - {""},
                            key=len, reverse=True)
    return info


# ---------------------------------------------------------------------------------------------
# Choosing regexes from a file's own names.
def _py(rx):  # RE2's \pL in Python's re
    return rx.replace(r"\pL", r"[^\W\d_]")


def _tokens(name):
    return [t for t in re.split(r"[^A-Za-z0-9_]+", name) if len(t) >= 3 and not t.isdigit()]


def pick_regexes(info):
    """(plain, case-insensitive, \\pL) regexes that match some but not all of the file's frames."""
    names = info.names or [os.path.basename(m) for m in info.mapping_files]
    if not names:
        return []
    picks = []
    for frac in (1 / 3, 2 / 3, 0.5, 0.1, 0.9, 0.0):
        toks = _tokens(names[int(frac * (len(names) - 1))])
        if toks:
            picks.append(max(toks, key=len))
    picks = list(dict.fromkeys(picks)) or ["main"]
    plain = picks[0]
    other = picks[1] if len(picks) > 1 else picks[0]
    out = [plain, "(?i)" + other.upper() if other.upper() != other else "(?i)" + other.lower()]
    for cand in (r"\pL+\.\pL+$", r"^\pL+$", r"::\pL+$", r"\pL\d", r"^\pL"):
        hits = sum(1 for n in names if re.search(_py(cand), n))
        if 0 < hits < len(names):
            out.append(cand)
            break
    return out


# ---------------------------------------------------------------------------------------------
class Check:
    def __init__(self, cid, category, perfkit, pprof, mode="text", unit=""):
        self.id, self.category, self.perfkit, self.pprof = cid, category, perfkit, pprof
        self.mode, self.unit = mode, unit
        self.result = self.detail = self.first = None
        self.path = self.pk_cmd = self.pp_cmd = self.cause = self.cwd = None
        self.filenames = []


PPROF_UNIT = {"nanoseconds": "ns", "microseconds": "us", "milliseconds": "ms", "seconds": "s",
              "bytes": "B", "kilobytes": "kB", "megabytes": "MB"}
SHOW_UNIT = {"nanoseconds": "ms", "microseconds": "ms", "milliseconds": "s", "seconds": "ms",
             "bytes": "MB", "kilobytes": "MB"}


def label_of(path):
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("../..") else rel


def sample_type_arg(info, i):
    t = info.sample_types[i][0]
    names = [x[0] for x in info.sample_types]
    return t if t and names.count(t) == 1 and not t.isdigit() else str(i)


def checks_for_file(path, info):
    lab = label_of(path)
    out = []

    def add(cat, st, pk_args, pp_args, **kw):
        cid = f"{lab} [{st}] " + " ".join(shlex.quote(a) for a in pk_args)
        out.append(Check(cid, cat, pk_args, pp_args, **kw))

    # Default sample type, default rows, and all rows.
    add("top", "default", ["top", "-n", "0"], ["-top", "-nodecount=" + ALL])
    add("top", "default", ["top"], ["-top", "-nodecount=20"])
    regexes = pick_regexes(info)
    for i, (stype, unit) in enumerate(info.sample_types):
        si = sample_type_arg(info, i)
        st = stype or f"#{i}"
        SI, PSI = ["--sample-index", si], ["-sample_index=" + si]
        for n, pn in (("20", "20"), ("0", ALL)):
            N, PN = ["-n", n], ["-nodecount=" + pn]
            add("sample-index", st, ["top"] + SI + N, ["-top"] + PSI + PN)
            add("nodefraction", st, ["top", "--nodefraction", "0"] + SI + N,
                ["-top", "-nodefraction=0"] + PSI + PN)
            add("sort", st, ["top", "--sort", "cum"] + SI + N, ["-top", "-cum"] + PSI + PN)
            for by, flag in (("function", "-functions"), ("filefunction", "-filefunctions"),
                             ("file", "-files"), ("line", "-lines"), ("address", "-addresses")):
                add("granularity", st, ["top", "--by", by] + SI + N, ["-top", flag] + PSI + PN)
        add("unit-mean", st, ["top", "--mean"] + SI, ["-top", "-mean", "-nodecount=20"] + PSI)
        if unit in SHOW_UNIT:
            for u in (SHOW_UNIT[unit], "auto"):
                add("unit-mean", st, ["top", "--unit", u] + SI,
                    ["-top", "-unit=" + u, "-nodecount=20"] + PSI)
        add("traces", st, ["traces"] + SI, ["-traces"] + PSI)
        add("tree", st, ["tree"] + SI, ["-tree"] + PSI)
        if regexes:
            add("peek", st, ["peek", regexes[0]] + SI, ["-peek=" + regexes[0]] + PSI)
        if i != default_index(info):
            continue
        # Filters on the default sample type: plain, (?i) and \pL regexes.
        for k, rx in enumerate(regexes):
            kinds = ("focus", "ignore", "hide", "show", "show-from", "prune-from") if k == 0 \
                else ("focus", "hide")
            for kind in kinds:
                add("filter", st, ["top", "--" + kind, rx, "-n", "0"] + SI,
                    ["-top", "-" + kind.replace("-", "_") + "=" + rx, "-nodecount=" + ALL] + PSI)
        for key in sorted(info.str_labels)[:2]:
            value = info.str_labels[key].most_common(1)[0][0]
            vre = re.escape(value) if re.escape(value) == value else value
            for kind, arg in (("tagfocus", f"{key}={vre}"), ("tagignore", f"{key}={vre}"),
                              ("tagfocus", vre), ("tagshow", key), ("tagroot", key)):
                add("tag", st, ["top", "--" + kind, arg] + SI,
                    ["-top", f"-{kind}={arg}", "-nodecount=20"] + PSI)
            add("tag", st, ["top", "--tagroot", key, "--sort", "cum"] + SI,
                ["-top", "-tagroot=" + key, "-cum", "-nodecount=20"] + PSI)
        if len(info.str_labels) >= 2:
            keys = ",".join(sorted(info.str_labels)[:2])
            add("tag", st, ["top", "--tagroot", keys, "--sort", "cum"] + SI,
                ["-top", "-tagroot=" + keys, "-cum", "-nodecount=20"] + PSI)
        for key in sorted(info.num_labels)[:1]:
            nums = sorted(v for v, _ in info.num_labels[key])
            arg = f"{key}={nums[len(nums) // 2]}:"
            for kind in ("tagfocus", "tagignore"):
                add("tag", st, ["top", "--" + kind, arg] + SI,
                    ["-top", f"-{kind}={arg}", "-nodecount=20"] + PSI)
    return out


def default_index(info):
    names = [t for t, _ in info.sample_types]
    if info.default_type and info.default_type in names:
        return names.index(info.default_type)
    return len(names) - 1


def pair_checks(a, b, ia):
    lab = f"{a} -> {b}"
    unit = ia.sample_types[default_index(ia)][1] if ia.sample_types else ""
    pu = PPROF_UNIT.get(unit)
    out = [Check(f"{lab} diff --normalize", "diff-normalize",
                 ["diff", a, b, "--normalize", "--format", "json"],
                 ["-top", "-normalize", "-diff_base=" + a, "-nodefraction=0", "-nodecount=" + ALL]
                 + (["-unit=" + pu] if pu else []) + [b], mode="numbers", unit=pu or ""),
           Check(f"{lab} top --base", "base", ["top", b, "--base", a],
                 ["-top", "-base=" + a, "-nodecount=20", b]),
           Check(f"{lab} top --diff-base", "diff-base", ["top", b, "--diff-base", a],
                 ["-top", "-diff_base=" + a, "-nodecount=20", b])]
    return out


# ---------------------------------------------------------------------------------------------
def run(argv, timeout=120, cwd=None):
    try:
        p = subprocess.run(argv, capture_output=True, timeout=timeout, cwd=cwd, env=ENV)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8",
                                                                                  "replace")
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {timeout}s"
    except OSError as e:
        return -1, "", str(e)


def strip_file_line(text):
    return [ln for ln in text.split("\n") if not ln.startswith("File: ")]


ROW = re.compile(r"^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.*)$")


def pprof_numbers(text, unit, counts=None):
    """Per printed name: (flat, cum) summed over the rows of that name (a binary mapped at two
    paths prints two '[basename]' rows); counts[name] gets the number of rows."""
    rows = {}
    for ln in text.split("\n"):
        m = ROW.match(ln)
        if not m or ln.lstrip().startswith("flat"):
            continue
        name = re.sub(r" \((partial-)?inline\)$", "", m.group(3))
        vals = []
        for v in (m.group(1), m.group(2)):
            if unit and v.endswith(unit):
                v = v[:-len(unit)]
            vals.append(float(v))
        f0, c0 = rows.get(name, (0.0, 0.0))
        rows[name] = (f0 + vals[0], c0 + vals[1])
        if counts is not None:
            counts[name] = counts.get(name, 0) + 1
    return rows


def compare(c, pk, pp):
    c.pk_out, c.pp_out = pk[1], pp[1]
    pk_ok, pp_ok = pk[0] == 0, pp[0] == 0
    if not pp_ok:
        if not pk_ok:
            c.result = "equal"  # both refuse
        else:
            c.result, c.first = "different", "pprof refused: " + pp[2].strip().split("\n")[-1]
        return
    if not pk_ok:
        c.result = "unsupported"
        c.first = "perfkit exit %d: %s" % (pk[0], (pk[2].strip().split("\n") or [""])[0])
        return
    if c.mode == "numbers":
        import json
        try:
            rows = json.loads(pk[1])["rows"]
        except (ValueError, KeyError, TypeError) as e:
            c.result, c.first = "different", f"perfkit json: {e}"
            return
        mine, mine_rows = {}, {}

        def add(name, flat, cum):
            f0, c0 = mine.get(name, (0, 0))
            mine[name] = (f0 + flat, c0 + cum)

        for r in rows:
            if r.get("status") == "renamed" and r.get("base_name"):
                mine_rows[r["base_name"]] = mine_rows.get(r["base_name"], 0) + 1
            mine_rows[r["name"]] = mine_rows.get(r["name"], 0) + 1
            if r.get("status") == "renamed" and r.get("base_name"):
                # perfkit pairs a removed and an added function as one renamed row; pprof has
                # two rows: the old name loses the base values, the new name gains its own.
                add(r["base_name"], -r["base_flat"], -r["base_cum"])
                add(r["name"], r["new_flat"], r["new_cum"])
            else:
                add(r["name"], r["delta_flat"], r["delta_cum"])
        want_rows = {}
        want = pprof_numbers(pp[1], c.unit, want_rows)
        bad = []
        for name in sorted(set(mine) | set(want)):
            a, b = mine.get(name, (0, 0)), want.get(name, (0, 0))
            if any(abs(x - y) > 0.5 for x, y in zip(a, b)):
                bad.append(f"{name}: perfkit flat {a[0]:g} cum {a[1]:g}, pprof flat {b[0]:g} "
                           f"cum {b[1]:g}")
        # As many rows of each name as pprof prints (one name twice: two mappings' paths).
        twice = sorted(n for n in set(mine_rows) | set(want_rows)
                       if mine_rows.get(n, 0) != want_rows.get(n, 0) and max(mine_rows.get(n, 0), want_rows.get(n, 0)) > 1)
        if twice:
            bad.insert(0, "rows of one name: " + ", ".join(
                f"{n} perfkit {mine_rows.get(n, 0)} pprof {want_rows.get(n, 0)}" for n in twice[:3]))
        if bad:
            c.result, c.first = "different", f"{len(bad)} values differ; first: {bad[0]}"
            c.detail = "\n".join(bad)
        else:
            c.result = "equal"
        return
    a, b = strip_file_line(pk[1]), strip_file_line(pp[1])
    if a == b:
        c.result = "equal"
        return
    c.result = "different"
    for k in range(max(len(a), len(b))):
        x = a[k] if k < len(a) else "<end of output>"
        y = b[k] if k < len(b) else "<end of output>"
        if x != y:
            c.first = f"line {k + 1}: perfkit {x!r} / pprof {y!r}"
            break
    c.detail = "\n".join(difflib.unified_diff(b, a, "pprof", "perfkit", lineterm="", n=1))


# ---------------------------------------------------------------------------------------------
# Triage: a best-guess cause per differing check. Header lines are normalized first; then
# counterfactual pprof runs tell whether perfkit printed what pprof prints with another rule
# (-nodefraction=0: no node-fraction trim; -filefunctions: name+file identity).
def _unsupported_option(c, err):
    m = re.search(r"arguments? (?:were|was) not expected: (.*)", err)
    if m:
        opts = [a for a in m.group(1).split() if a.startswith("-")]
        return "missing option " + (opts[0] if opts else m.group(1).split()[0])
    m = re.search(r"(--\w[\w-]*): (\S+) not in", err)
    if m:
        return f"missing value {m.group(1)} {m.group(2)}"
    if "subcommand is required" in err or "not expected" in err:
        return f"missing subcommand {c.perfkit[0]}"
    return "perfkit fails: " + err.strip().split("\n")[0][:80]


def _header_norm(pk, pp):
    """Drop header lines that explain part of a difference; returns (pk, pp, causes)."""
    causes = []
    if any(l.startswith("Build ID: ") for l in pp) and not any(
            l.startswith("Build ID: ") for l in pk):
        pp = [l for l in pp if not l.startswith("Build ID: ")]
        causes.append("header: Build ID line missing")
    # Comments: pprof prints them before Type:/Time:; lines perfkit lacks in that head block.
    head = []
    for l in pp:
        if l.startswith(("Type: ", "Time: ", "Duration: ", "Showing ", "Active filters:",
                         "      flat", "Dropped ")) or l == "":
            break
        head.append(l)
    if head and not any(l in pk for l in head):
        pp = pp[len(head):]
        causes.append("header: comments missing")
    if any(l.startswith("Type: ") for l in pk) and not any(l.startswith("Type: ") for l in pp):
        pk = [l for l in pk if not l.startswith("Type: ")]
        causes.append("header: Type line for an empty sample type")
    if "Active filters:" in pp and "Active filters:" not in pk:
        i = pp.index("Active filters:")
        j = i + 1
        while j < len(pp) and pp[j].startswith("   "):
            j += 1
        pp = pp[:i] + pp[j:]
        causes.append("header: Active filters lines missing")
    return pk, pp, causes


def _rows(lines):
    return [l for l in lines if ROW.match(l) and not l.lstrip().startswith("flat")]


def _row_cause(c, pk, pp):
    a, b = _rows(pk), _rows(pp)
    if a != b and sorted(a) == sorted(b):
        return "row order (ties)"
    strip = lambda rs: [re.sub(r" \((partial-)?inline\)$", "", r) for r in rs]
    if strip(a) == strip(b):
        return "(inline)/(partial-inline) markers"
    names_b = " ".join(b)
    if "<unknown>" in names_b or re.search(r"  \[[^\]]+\]$", names_b, re.M):
        return "unsymbolized frames (<unknown>/[mapping])"
    for x, y in zip(pk, pp):
        if x != y:
            if x.startswith("Showing nodes") or y.startswith(("Showing nodes", "Dropped")):
                return "totals/Showing/Dropped lines"
            if x.startswith(("Duration:", "Time:", "Type:")) or y.startswith(
                    ("Duration:", "Time:", "Type:")):
                return "header: " + (y.split(":")[0] or x.split(":")[0]) + " line"
            break
    if len(a) != len(b):
        return "row count"
    return "row values or names"


def classify(c, pprof):
    if c.result == "unsupported":
        return _unsupported_option(c, c.first)
    if c.first and c.first.startswith("pprof refused"):
        return "pprof refuses, perfkit accepts"
    if c.mode == "numbers":
        return "diff --normalize numbers" + (" (rows named twice)" if c.detail and c.detail.
                                             startswith("perfkit rows named twice") else "")
    pk, pp = strip_file_line(c.pk_out), strip_file_line(c.pp_out)
    pk, pp, causes = _header_norm(pk, pp)
    if pk == pp:
        return " + ".join(causes)
    variants = []
    nf = not any(a.startswith("-nodefraction") for a in c.pprof) and c.category not in (
        "traces",)
    gran = [a for a in c.pprof if a in ("-functions",)] or (
        [] if any(a in ("-files", "-lines", "-addresses", "-filefunctions") for a in c.pprof)
        else [None])
    if nf:
        variants.append(("node fraction (pprof drops cum <= 0.5% nodes)", ["-nodefraction=0"],
                         None))
    if gran:
        variants.append(("name-only function identity (perfkit groups by name+file)",
                         ["-filefunctions"], gran[0]))
        if nf:
            variants.append(("node fraction + name-only function identity",
                             ["-nodefraction=0", "-filefunctions"], gran[0]))
    best = (_distance(pk, pp), causes, None, pk, pp)
    for label, extra, drop in variants:
        argv = [pprof, "-symbolize=remote"] + [a for a in c.pprof if a != drop] + extra + (
            [] if c.category in ("diff-normalize", "base", "diff-base") else [c.path])
        code, out, _ = run(argv, cwd=c.cwd)
        if code != 0:
            continue
        lines = strip_file_line(out)
        if "-filefunctions" in extra:
            lines = [_drop_file(l, c.filenames or []) for l in lines]
        pk2, pp2, causes2 = _header_norm(strip_file_line(c.pk_out), lines)
        d = _distance(pk2, pp2)
        if d < best[0]:
            best = (d, causes2, label, pk2, pp2)
    d, causes, label, pk, pp = best
    parts = causes + ([label] if label else [])
    if d:
        parts.append(_row_cause(c, pk, pp))
    return " + ".join(parts)


def _drop_file(line, filenames):
    """A -filefunctions row without its ` file` part: what name-only rows would look like if
    pprof grouped by name and file (perfkit's identity) but printed names only."""
    if not ROW.match(line):
        return line
    m = re.match(r"^(.*?)( \((?:partial-)?inline\))?$", line)
    body, mark = m.group(1), m.group(2) or ""
    for f in filenames:
        if body.endswith(" " + f):
            return body[:-len(f) - 1] + mark
    return line


def _distance(a, b):
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")


def run_check(c, perfkit, pprof):
    if c.category in ("diff-normalize", "base", "diff-base"):
        pk_argv = [perfkit] + c.perfkit
    else:
        pk_argv = [perfkit] + c.perfkit[:1] + [c.path] + c.perfkit[1:]
    pp_argv = [pprof, "-symbolize=remote"] + c.pprof + ([] if c.category in ("diff-normalize", "base", "diff-base")
                                   else [c.path])
    c.pk_cmd, c.pp_cmd = pk_argv, pp_argv
    pk = run(pk_argv, cwd=c.cwd)
    pp = run(pp_argv, cwd=c.cwd)
    compare(c, pk, pp)
    if c.result == "different" and c.mode != "numbers":
        # pprof's own text is not always deterministic (Go's unstable sort of edges whose
        # weights are w and -w in a diff profile, map order): run it twice more; perfkit
        # agreeing with any run counts as equal, and a pprof that never prints the same text
        # twice is reported as unstable, not as a difference.
        runs = [pp[1]] + [run(pp_argv, cwd=c.cwd)[1] for _ in range(2)]
        if any(strip_file_line(r) == strip_file_line(pk[1]) for r in runs):
            c.result = "equal"
        elif len(set(runs)) > 1:
            c.result = "unstable"
    c.cause = classify(c, pprof) if c.result not in ("equal", "unstable") else ""
    return c


def find_pprof():
    tooldir = subprocess.run(["go", "env", "GOTOOLDIR"], capture_output=True, text=True)
    cand = os.path.join(tooldir.stdout.strip(), "pprof")
    return cand if tooldir.returncode == 0 and os.access(cand, os.X_OK) else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--perfkit", default=os.path.join(ROOT, "build", "perfkit"))
    ap.add_argument("--pprof", help="pprof binary (default: $(go env GOTOOLDIR)/pprof)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--known", help="known differences file: pass iff exactly these differ")
    ap.add_argument("--details", help="write every difference in full here "
                    "(default: build/sweep/<dirs>.txt)")
    ap.add_argument("--write-known", help="write the differing ids to this file")
    ap.add_argument("--max-list", type=int, default=40, help="differing checks printed in full")
    ap.add_argument("--only", help="regex on check ids: run only those")
    args = ap.parse_args()

    pprof = args.pprof or find_pprof()
    if not pprof:
        print("sweep: no `go tool pprof` (go env GOTOOLDIR has no pprof)", file=sys.stderr)
        return 2
    dirs = args.dirs or [os.path.join(ROOT, d) for d in DEFAULT_DIRS]
    files = []
    for d in dirs:
        if not os.path.isdir(d):
            print(f"sweep: {d}: no such directory", file=sys.stderr)
            return 2
        for name in sorted(os.listdir(d)):
            p = os.path.abspath(os.path.join(d, name))
            if os.path.isfile(p):
                files.append(p)
    checks, infos, skipped = [], {}, []
    for p in files:
        info = read_profile(p)
        if info is None or not info.sample_types:
            skipped.append(p)
            continue
        infos[p] = info
        for c in checks_for_file(p, info):
            c.path, c.cwd, c.filenames = label_of(p), ROOT, info.filenames
            checks.append(c)
    # Pairs: files of one directory and producer (name up to the first `_`) with the same sample
    # types, consecutive in name order.
    groups = collections.defaultdict(list)
    for p, info in infos.items():
        producer = os.path.basename(p).split("_")[0]
        groups[(os.path.dirname(p), producer, tuple(info.sample_types))].append(p)
    for _, ps in sorted(groups.items()):
        for a, b in list(zip(ps, ps[1:]))[:4]:
            for c in pair_checks(label_of(a), label_of(b), infos[a]):
                c.path, c.cwd = label_of(b), ROOT
                checks.append(c)
    if args.only:
        checks = [c for c in checks if re.search(args.only, c.id)]
    seen = set()
    for c in checks:
        if c.id in seen:
            raise SystemExit(f"sweep: duplicate check id {c.id}")
        seen.add(c.id)

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        list(ex.map(lambda c: run_check(c, args.perfkit, pprof), checks))
    elapsed = time.time() - t0

    cats = collections.OrderedDict()
    for c in checks:
        cats.setdefault(c.category, collections.Counter())[c.result] += 1
    print(f"pprof sweep: {len(infos)} profiles ({len(skipped)} other files skipped), "
          f"{sum(len(i.sample_types) for i in infos.values())} (profile, sample type) pairs, "
          f"{len(checks)} checks in {elapsed:.0f}s")
    print(f"{'category':<16}{'checks':>8}{'equal':>8}{'different':>11}{'(unsupported)':>15}")
    tot = collections.Counter()
    for cat, cnt in cats.items():
        n = sum(cnt.values())
        diff = cnt["different"] + cnt["unsupported"]
        tot.update(cnt)
        print(f"{cat:<16}{n:>8}{cnt['equal']:>8}{diff:>11}{cnt['unsupported']:>15}")
    n = sum(tot.values())
    print(f"{'total':<16}{n:>8}{tot['equal']:>8}{tot['different'] + tot['unsupported']:>11}"
          f"{tot['unsupported']:>15}")

    unstable = [c for c in checks if c.result == "unstable"]
    if unstable:
        print(f"\npprof's own output varied between runs (not compared): {len(unstable)} checks")
        for c in unstable:
            print(f"  {c.id}")
    differing = [c for c in checks if c.result not in ("equal", "unstable")]
    causes = collections.Counter(c.cause for c in differing)
    if causes:
        print(f"\ndifferences by (best-guess) cause:\n{'checks':>7}  cause")
        for cause, k in causes.most_common():
            print(f"{k:>7}  {cause}")
    details = args.details or os.path.join(ROOT, "build", "sweep", "details.txt")
    os.makedirs(os.path.dirname(os.path.abspath(details)), exist_ok=True)
    with open(details, "w") as f:
        for c in differing:
            f.write(f"=== {c.id}\n    cause: {c.cause}\n    perfkit: {shlex.join(c.pk_cmd)}"
                    f"\n    pprof:   {shlex.join(c.pp_cmd)}\n    {c.result}: {c.first}\n")
            if c.detail:
                f.write(c.detail + "\n")
    if args.write_known:
        with open(args.write_known, "w") as f:
            f.write("# Checks of tests/sweep/sweep.py where perfkit and `go tool pprof` differ today, one\n"
                    "# id a line (written by sweep.py --write-known). cli.pprof_sweep passes iff exactly\n"
                    "# these differ: remove the lines of what you fix; never add lines to hide a change.\n")
            f.write("".join(c.id + "\n" for c in sorted(differing, key=lambda c: c.id)))

    def show(cs, title):
        if not cs:
            return
        print(f"\n{title}: {len(cs)}")
        for c in cs[:args.max_list]:
            print(f"  {c.id}\n    cause: {c.cause}\n    perfkit: {shlex.join(c.pk_cmd)}\n"
                  f"    pprof:   {shlex.join(c.pp_cmd)}\n    {c.result}: {c.first}")
        if len(cs) > args.max_list:
            print(f"  ... and {len(cs) - args.max_list} more")

    print(f"full details: {details}")
    if args.known is None:
        show(differing, "differing checks")
        return 0 if not differing else 1
    known = set()
    with open(args.known) as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if ln.strip() and not ln.lstrip().startswith("#"):
                known.add(ln)
    if args.only:
        known = {k for k in known if re.search(args.only, k)}
    ids = {c.id for c in differing}
    new = [c for c in differing if c.id not in known]
    fixed = sorted(known - ids - {c.id for c in unstable})
    show(new, "NEW differences (not in the known list)")
    if fixed:
        print(f"\nlisted in {os.path.relpath(args.known, ROOT)} but now equal or gone (remove "
              f"them): {len(fixed)}")
        for k in fixed[:args.max_list]:
            print("  " + k)
    print(f"\nknown differences still present: {len(ids & known)}")
    return 0 if not new and not fixed else 1


if __name__ == "__main__":
    sys.exit(main())

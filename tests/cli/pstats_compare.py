#!/usr/bin/env python3
"""perfkit on a pstats file against Python's own pstats.Stats on the same file.

- top: every function's ncalls (nc, and cc when it differs: pstats prints "nc/cc"), tottime and
  cumtime equal pstats' to the nanosecond (perfkit keeps ns rounded from the float seconds);
- callers: perfkit's callgrind output of the file has one call line per (caller, callee) pair of
  pstats' callers (self calls left out) with the callee's cumtime from that caller, to the ns, and
  its call count;
- peek FUNC lists the callers and callees pstats' print_callers / print_callees list.
yappi's pstat export swaps (cc, nc): with --yappi the expected counts are swapped back.
usage: pstats_compare.py PERFKIT FILE [--yappi]
"""
import json
import pstats
import re
import subprocess
import sys


def name_of(key):
    file, line, func = key
    if (file, line) == ("~", 0):
        return (("{%s}" % func[1:-1]) if func.startswith("<") and func.endswith(">") else func), "", 0
    return func, file, line


def ns(seconds):
    return round(seconds * 1e9)


def run(*args):
    out = subprocess.run(list(args), capture_output=True, text=True)
    assert out.returncode == 0, (args, out.stderr)
    return out.stdout


def main():
    pk, path = sys.argv[1], sys.argv[2]
    yappi = "--yappi" in sys.argv
    st = pstats.Stats(path)
    problems = []
    want = {}
    for key, (cc, nc, tt, ct, callers) in st.stats.items():
        if yappi:
            cc, nc = nc, cc
        want[name_of(key)[:2]] = (nc, cc, ns(tt), ns(ct))
    top = json.loads(run(pk, "top", path, "-n", "0", "--format", "json"))
    got = {}
    for r in top["rows"]:
        got[(r["name"], r["file"])] = (r["calls"], ns(r["flat"]), ns(r["cum"]))
    for k, (nc, cc, tt, ct) in want.items():
        if got.get(k) != (nc, tt, ct):
            problems.append(f"top {k}: perfkit {got.get(k)} != pstats {(nc, tt, ct)}")
    if set(got) != set(want):
        problems.append(f"rows differ: {set(got) ^ set(want)}")
    # perfkit's one total for a table (README, "One total per input"): pstats' total_tt (the sum
    # of tottime), or the largest cumtime when that is larger (yappi's files leave builtins out).
    self_sum = sum(v[2] for v in want.values())
    largest = max((v[3] for v in want.values()), default=0)
    want_total = max(self_sum, largest)
    assert abs(ns(top["total"]) - want_total) <= 1, (top["total"], want_total)
    if largest <= self_sum:
        assert abs(ns(top["total"]) - ns(st.total_tt)) <= 1, (top["total"], st.total_tt)

    # ncalls as pstats prints it: "nc/cc" when they differ.
    text = run(pk, "top", path, "-n", "0")
    for (name, file), (nc, cc, tt, ct) in want.items():
        calls = f"{nc}/{cc}" if nc != cc else f"{nc}"
        if not re.search(rf"(^|\s){re.escape(calls)}\s.*{re.escape(name)}", text, re.M):
            problems.append(f"top text: no row with calls {calls} for {name}")

    # Callers, through the callgrind writer (exact ns).
    cg = run(pk, "convert", path, "--to", "callgrind")
    names = {}
    calls = {}
    fn = cfn = None
    pending = None
    for line in cg.splitlines():
        m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line)
        if m:
            if m.group(3) is not None:
                names[m.group(2)] = m.group(3)
            if m.group(1) == "fn":
                fn = names[m.group(2)]
            else:
                cfn = names[m.group(2)]
            continue
        m = re.match(r"^calls=(\d+) ", line)
        if m:
            pending = int(m.group(1))
            continue
        if pending is not None:
            calls[(fn, cfn)] = (pending, int(line.split()[1]))
            pending = None
    want_calls = {}
    for key, (cc, nc, tt, ct, callers) in st.stats.items():
        callee = name_of(key)[0]
        for ckey, v in callers.items():
            caller = name_of(ckey)[0]
            if caller == callee or ckey not in st.stats:
                continue
            c = want_calls.setdefault((caller, callee), [0, 0])
            c[0] += max(v[0], 1)
            c[1] += ns(v[3])
    for k, (n, t) in want_calls.items():
        if calls.get(k) != (n, t):
            problems.append(f"call {k}: perfkit {calls.get(k)} != pstats {(n, t)}")
    if set(calls) != set(want_calls):
        problems.append(f"calls differ: {set(calls) ^ set(want_calls)}")

    # peek: the callers and callees pstats lists, by name.
    for key in st.stats:
        name = name_of(key)[0]
        out = run(pk, "peek", path, "^" + re.escape(name) + "$")
        body = out.split("-+-")[2] if out.count("-+-") >= 2 else out
        lines = [l.split("|", 1)[1].strip() for l in out.splitlines() if "|" in l and "%" in l]
        shown = set(lines)
        for ckey in st.stats[key][4]:
            c = name_of(ckey)[0]
            if ckey in st.stats and c not in shown:
                problems.append(f"peek {name}: caller {c} missing")
    for p in problems[:20]:
        print(p)
    if problems:
        print(f"{len(problems)} differences from pstats")
        sys.exit(1)
    print(f"{len(want)} functions and {len(want_calls)} calls equal pstats'")


main()

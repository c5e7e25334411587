#!/usr/bin/env python3
"""perfkit top on a callgrind file against callgrind_annotate on the same file.

For every event of the file:
- flat: perfkit's flat per function name equals callgrind_annotate's exclusive cost summed over
  that name's entries (callgrind_annotate splits a function by fi=/fe= file; perfkit does not);
- cum: perfkit's cum per (function, file) equals callgrind_annotate --inclusive=yes, except for
  functions in a recursion (callgrind_annotate's --tree=caller shows them among their own callers,
  or a caller shows up among its callee's callees): there callgrind_annotate adds the recursive
  calls' inclusive cost again (it prints more than 100% for them), and perfkit's cum, which
  counts a stack once, must be below it.
- the total equals callgrind_annotate's PROGRAM TOTALS.
--lenient EVENT...: for a producer whose call costs are not consistent (pprofile's hits and
usphit are not additive; yappi loses a generator's caller), cum is checked only for the events
named, and only to be at most callgrind_annotate's (perfkit leaves out cost a callee does not
spend; it warns); flat and the totals stay exact for every event.
--against PROFILE: perfkit's numbers from PROFILE, the profile FILE was written from by
`perfkit convert --to callgrind` (checks the writer: callgrind_annotate on our output says what
perfkit top says of the input).
usage: callgrind_compare.py PERFKIT FILE [--against PROFILE] [--lenient [EVENT...]]
"""
import collections
import json
import os
import re
import subprocess
import sys

VALUE = re.compile(r"\s*(?:([\d,]+) \(\s*[\d.]+%\)|(\d+)|(\.))(?=\s)")
TAIL = re.compile(r"^(<|\*|>|=>)?\s*(.*?)(?: \([\d,]+x\))?(?: \[[^\]]*\])?(?: \([\d,]+x\))?\s*$")


def parse_row(line, n):
    """(values, marker, name) of a callgrind_annotate line with n value columns, or None."""
    values, pos = [], 0
    for _ in range(n):
        m = VALUE.match(line, pos)
        if not m:
            return None
        values.append(int((m.group(1) or m.group(2) or "0").replace(",", "")))
        pos = m.end()
    m = TAIL.match(line[pos:].strip())
    if not m or not m.group(2):
        return None
    return values, m.group(1), m.group(2)


def annotate(path, *args):
    out = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", *args, path],
                         cwd="/", capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def split_name(text):
    file, _, fn = text.partition(":")
    return ("" if file == "???" else file), fn


def table(lines):
    """(events, totals, [(file, fn, [values])]) of a callgrind_annotate function listing."""
    events, totals, rows, in_rows = None, None, [], False
    for line in lines:
        if line.startswith("Events shown:"):
            events = line.split(":", 1)[1].split()
        if not events:
            continue
        r = parse_row(line, len(events))
        if not r or r[1]:
            continue
        values, _, name = r
        if name.startswith("PROGRAM TOTALS"):
            totals = values
            in_rows = True
            continue
        if in_rows:
            rows.append((*split_name(name), values))
    assert events and totals is not None, "callgrind_annotate printed no totals"
    return events, totals, rows


def recursive_functions(path):
    """Names of functions that callgrind_annotate shows calling themselves (or in a cycle)."""
    callers = collections.defaultdict(set)
    block, n = [], None
    for line in annotate(path, "--tree=caller") + [""]:
        if line.startswith("Events shown:"):
            n = len(line.split(":", 1)[1].split())
        r = parse_row(line, n) if n else None
        if not r or not r[1]:
            if block:
                me = [name for k, name in block if k == "*"]
                for k, name in block:
                    if k == "<" and me:
                        callers[me[0]].add(name)
            block = []
            continue
        block.append((r[1], split_name(r[2])[1]))
    rec = set()
    for f in callers:  # f reaches itself through callers
        seen, todo = set(), list(callers[f])
        while todo:
            g = todo.pop()
            if g == f:
                rec.add(f)
                break
            if g not in seen:
                seen.add(g)
                todo.extend(callers.get(g, ()))
    return rec


def perfkit_top(pk, path, event, by):
    event = re.sub(r"\(.*\)$", "", event)  # "cpu(ms)": perfkit's type cpu, unit ms
    out = subprocess.run([pk, "top", path, "--sample-index", event, "-n", "0", "--nodefraction",
                          "0", "--by", by, "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def main():
    pk, path = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    source = path
    if "--against" in sys.argv:
        source = os.path.abspath(sys.argv[sys.argv.index("--against") + 1])
    lenient = "--lenient" in sys.argv
    at_most = set(sys.argv[sys.argv.index("--lenient") + 1:]) if lenient else set()
    events, totals, excl = table(annotate(path))
    _, _, incl = table(annotate(path, "--inclusive=yes"))
    rec = recursive_functions(path)
    problems, checked = [], 0
    for k, event in enumerate(events):
        top = perfkit_top(pk, source, event, "function")
        if top["total"] != totals[k]:
            problems.append(f"{event}: total {top['total']} != callgrind_annotate {totals[k]}")
        theirs = collections.Counter()
        for file, fn, v in excl:
            if (fn, file) != ("(root)", ""):
                theirs[fn] += v[k]
        ours = collections.Counter()
        for r in top["rows"]:
            ours[r["name"]] += r["flat"]
        for fn in set(theirs) | set(ours):
            checked += 1
            if theirs[fn] != ours[fn]:
                problems.append(f"{event}: flat of {fn!r}: perfkit {ours[fn]} != {theirs[fn]}")
        if lenient and event not in at_most:
            continue
        top = perfkit_top(pk, source, event, "filefunction")
        def bare(r):  # pprof's "name file" at filefunction granularity
            suffix = " " + r["file"]
            return r["name"][:-len(suffix)] if r["file"] and r["name"].endswith(suffix) else r["name"]
        cum = {(bare(r), r["file"]): r["cum"] for r in top["rows"]}
        names = {bare(r) for r in top["rows"]}
        for file, fn, v in incl:
            if v[k] == 0 or (fn, file) == ("(root)", ""):  # perfkit's writer's caller of roots
                continue
            ours = cum.get((fn, file))
            if ours is None:
                if fn in names:
                    continue  # an fi=/fe= part of a function perfkit keeps whole
                problems.append(f"{event}: {fn!r} ({file}) has inclusive {v[k]} but no perfkit row")
                continue
            checked += 1
            if fn in rec or lenient:
                if ours > v[k]:
                    problems.append(f"{event}: cum of recursive {fn!r}: perfkit {ours} > {v[k]}")
            elif ours != v[k]:
                problems.append(f"{event}: cum of {fn!r} ({file}): perfkit {ours} != {v[k]}")
    for p in problems[:20]:
        print(p)
    if problems:
        print(f"{len(problems)} of {checked} numbers differ from callgrind_annotate")
        sys.exit(1)
    print(f"{checked} numbers equal callgrind_annotate's ({len(rec)} recursive functions)")


main()

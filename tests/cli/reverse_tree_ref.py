#!/usr/bin/env python3
"""The reversed (leaf-first) call tree of a pprof profile, built from `go tool pprof -raw`'s text:
each sample's locations (leaf first), each location's lines (innermost first), consecutive equal
function names as one node; then compared with `perfkit tree --reverse --format json` (every node,
nothing trimmed). Usage: reverse_tree_ref.py RAW_TEXT PERFKIT_JSON; prints the first differences."""
import json
import re
import sys

def parse_raw(path):
    columns, samples, locs, maps, loc_map = [], [], {}, {}, {}
    section, cur = None, None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line in ("Samples:", "Locations", "Mappings"):
            section = line
            continue
        if section == "Samples:":
            if not columns:
                columns = [c.split("/")[0] for c in line.split()]
                continue
            m = re.match(r"^\s*((?:-?\d+\s+)*-?\d+):((?: \d+)*)\s*$", line)
            if m:
                samples.append(([int(x) for x in m.group(1).split()], [int(x) for x in m.group(2).split()]))
        elif section == "Locations":
            m = re.match(r"^\s*(\d+): 0x[0-9a-f]+(?: M=(\d+))?(?: (.*))?$", line)
            if m:
                cur = int(m.group(1))
                locs[cur] = []
                loc_map[cur] = int(m.group(2) or 0)
                rest = m.group(3)
            else:
                rest = line.strip()
            if rest:
                rest = re.sub(r" s=\d+.*$", "", rest)
                name = rest.rsplit(" ", 1)[0] if " " in rest else rest
                locs[cur].append(name)
        elif section == "Mappings":
            m = re.match(r"^(\d+): 0x\S+ (\S+)", line)
            if m:
                maps[int(m.group(1))] = m.group(2)
    # pprof's name of a location without lines: its mapping's base name, else <unknown>.
    for i, lines in locs.items():
        if not lines:
            f = maps.get(loc_map.get(i, 0), "")
            lines.append("[" + f.rsplit("/", 1)[-1] + "]" if f else "<unknown>")
    return columns, samples, locs

def build(columns, samples, locs, type_name):
    col = columns.index(type_name)
    root = {}
    for values, ids in samples:
        v = values[col]
        if v == 0:
            continue
        names, last = [], None
        for i in ids:
            for n in locs[i]:
                if n != last:
                    names.append(n)
                last = n
        node = root
        for n in names:
            entry = node.setdefault(n, [0, {}])
            entry[0] += v
            node = entry[1]
    return root

def compare(ref, ours, path, out):
    mine = {c["name"]: c for c in ours}
    for name, (value, kids) in ref.items():
        if value == 0 and not kids:
            continue
        if name not in mine:
            out.append(f"{' <- '.join(path + [name])}: missing (reference {value})")
            continue
        if mine[name]["value"] != value:
            out.append(f"{' <- '.join(path + [name])}: {mine[name]['value']}, reference {value}")
        compare(kids, mine[name]["callers"], path + [name], out)
    for name in mine:
        if name not in ref:
            out.append(f"{' <- '.join(path + [name])}: not in the reference")

def main():
    columns, samples, locs = parse_raw(sys.argv[1])
    ours = json.load(open(sys.argv[2]))
    ref = build(columns, samples, locs, ours["value_type"]["type"])
    diffs = []
    compare(ref, ours["roots"], [], diffs)
    for d in diffs[:10]:
        print(d)
    total = sum(v for v, _ in ref.values())
    if ours["shown"] != total:
        diffs.append("shown")
        print(f"shown {ours['shown']}, reference sum of leaves {total}")
    sys.exit(1 if diffs else 0)

main()

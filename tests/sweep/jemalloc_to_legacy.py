#!/usr/bin/env python3
"""Rewrite a jemalloc heap_v2 profile as the gperftools-style legacy heap text that pprof parses.

jemalloc 5 writes `heap_v2/<sample period>`, a `t*:` total line, then per stack an `@ addr...`
line followed by `t*: objs: bytes [accum objs: accum bytes]` (and per-thread `tN:` lines), then
`MAPPED_LIBRARIES:`. pprof's legacy reader wants `heap profile: objs: bytes [aobjs: abytes] @
heap_v2/<period>` and `objs: bytes [aobjs: abytes] @ addr...` lines. Only the layout changes: the
numbers, addresses and the memory map are jemalloc's, unchanged (pprof applies the heap_v2
unsampling itself). Usage: jemalloc_to_legacy.py IN.heap > OUT.heap
"""
import re
import sys

TOTAL = re.compile(r"^\s*t\*: (\d+: \d+ \[\d+: \d+\])\s*$")


def main(path):
    lines = open(path).read().splitlines()
    m = re.match(r"^heap_v2/(\d+)$", lines[0])
    if not m:
        sys.exit(f"{path}: line 1: not a jemalloc heap_v2 profile")
    out, stack, i = [], None, 1
    head = TOTAL.match(lines[1])
    if not head:
        sys.exit(f"{path}: line 2: no t* total")
    out.append(f"heap profile: {head.group(1)} @ heap_v2/{m.group(1)}")
    for n, line in enumerate(lines[2:], start=3):
        if line.startswith("MAPPED_LIBRARIES:"):
            out.append(line)
            out.extend(lines[n:])
            break
        if line.startswith("@ "):
            stack = line[2:].strip()
            continue
        t = TOTAL.match(line)
        if t and stack is not None:
            out.append(f"{t.group(1)} @ {stack}")
            stack = None
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])

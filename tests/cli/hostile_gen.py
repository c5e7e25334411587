#!/usr/bin/env python3
"""Generates the hostile inputs of issue 14 (not a test itself; tests/cli/hostile_*.sh and
bench/scaling.py call it). Every file is written here, on demand, never committed.

  hostile_gen.py nested-groups OUT [N]      pprof, drop_frames = N nested groups (default 50,000)
  hostile_gen.py backtrack OUT [K]          pprof, drop_frames = (a|a)*b, a function of K a's (40)
  hostile_gen.py inline-bomb OUT [L] [S]    pprof, one location of L inlined lines (100,000) that
                                            S samples use (1,000), each from its own caller
  hostile_gen.py deep-x OUT [N]             Chrome trace, N X events nested on one thread (62,500)
  hostile_gen.py unclosed-b OUT [N]         Chrome trace, N B events never closed (200,000)
"""
import sys


def varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def f_varint(field, n):
    return varint(field << 3) + varint(n)


def f_bytes(field, b):
    return varint((field << 3) | 2) + varint(len(b)) + b


def f_packed(field, nums):
    return f_bytes(field, b"".join(varint(x) for x in nums))


class Strings:
    def __init__(self):
        self.ids = {"": 0}
        self.order = [""]

    def __call__(self, s):
        i = self.ids.get(s)
        if i is None:
            i = self.ids[s] = len(self.order)
            self.order.append(s)
        return i

    def encode(self):
        return b"".join(f_bytes(6, s.encode()) for s in self.order)


def pprof(path, functions, locations, samples, drop_frames=None):
    """functions: names (ids from 1); locations: lists of (function id, line), leaf first (ids
    from 1); samples: (location ids leaf first, value, label number)."""
    s = Strings()
    out = bytearray()
    out += f_bytes(1, f_varint(1, s("samples")) + f_varint(2, s("count")))
    key = s("worker")
    for locs, value, label in samples:
        body = f_packed(1, locs) + f_packed(2, [value])
        if label is not None:
            body += f_bytes(3, f_varint(1, key) + f_varint(3, label))
        out += f_bytes(2, body)
    for i, lines in enumerate(locations):
        body = f_varint(1, i + 1) + f_varint(3, 0x1000 + 16 * i)
        body += b"".join(f_bytes(4, f_varint(1, fn) + f_varint(2, line)) for fn, line in lines)
        out += f_bytes(4, body)
    for i, name in enumerate(functions):
        out += f_bytes(5, f_varint(1, i + 1) + f_varint(2, s(name)) + f_varint(3, s(name))
                       + f_varint(4, s("hostile.c")))
    if drop_frames is not None:
        out += f_varint(7, s(drop_frames))
    with open(path, "wb") as f:
        f.write(bytes(out) + s.encode())


def nested_groups(path, n=50_000):
    # A regex whose parse tree is n deep: "((((...a...))))"; std::regex recursed once per level.
    pprof(path, ["main", "a"], [[(1, 1)], [(2, 2)]], [([2, 1], 5, None)],
          drop_frames="(" * n + "a" + ")" * n)


def backtrack(path, k=40):
    # (a|a)*b against aaaa...a (no b): a backtracking matcher tries 2^k ways.
    pprof(path, ["main", "a" * k], [[(1, 1)], [(2, 2)]], [([2, 1], 5, None), ([1], 2, None)],
          drop_frames="(a|a)*b")


def inline_bomb(path, lines=100_000, samples=1_000):
    # Location 1 holds `lines` lines (the leaf first, as pprof lists inlined calls) over 1,000
    # functions; each sample calls it from a caller location of its own (locations 2...), so no
    # two samples share a location list and a reader that copies the lines per list holds
    # lines * samples frames.
    nfunc = min(1000, lines)
    functions = ["inl_%d" % i for i in range(nfunc)] + ["caller_%d" % i for i in range(samples)]
    loc = [(1 + i % nfunc, 1 + i) for i in range(lines)]
    callers = [[(1 + nfunc + i, 7)] for i in range(samples)]
    pprof(path, functions, [loc] + callers, [([1, 2 + i], 1 + i % 7, i) for i in range(samples)])


def deep_x(path, n=62_500):
    # X events nested n deep on one thread: event i spans [i, 2n - i] microseconds.
    with open(path, "w") as f:
        f.write("[")
        f.write(",".join('{"ph":"X","pid":1,"tid":1,"ts":%d,"dur":%d,"name":"x%d"}'
                         % (i, 2 * (n - i), i % 1000) for i in range(n)))
        f.write("]\n")


def unclosed_b(path, n=200_000):
    # B events never closed: each stays open to the thread's last timestamp.
    with open(path, "w") as f:
        f.write("[")
        f.write(",".join('{"ph":"B","pid":1,"tid":1,"ts":%d,"name":"b%d"}' % (i, i % 1000)
                         for i in range(n)))
        f.write("]\n")


KINDS = {"nested-groups": nested_groups, "backtrack": backtrack, "inline-bomb": inline_bomb,
         "deep-x": deep_x, "unclosed-b": unclosed_b}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in KINDS:
        sys.exit(__doc__)
    KINDS[sys.argv[1]](sys.argv[2], *(int(x) for x in sys.argv[3:]))

#!/usr/bin/env python3
"""Writes the fuzz seed corpora under tests/fuzz/corpus/<target>/ from testdata plus a few
hand-made edge cases. Small files only (a seed is cut to a few KB): libFuzzer mutates small inputs
fastest. Crashers found later are added by hand as crash-<what> and are never regenerated away:
this script only (re)writes files named seed-*.

  python3 tests/fuzz/make_seeds.py [--perfkit build/perfkit]   # speedscope seeds need perfkit
  python3 tests/fuzz/make_seeds.py --post-read-only            # analyses/writers seeds alone
"""
import argparse, glob, gzip, json, marshal, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
MAX_SEED = 16 * 1024


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def td(*parts):
    return os.path.join(ROOT, "testdata", *parts)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def cut_trace(path, n):
    """First n events of a Chrome trace, still valid JSON."""
    doc = json.loads(read(path))
    events = doc["traceEvents"] if isinstance(doc, dict) else doc
    return json.dumps({"traceEvents": events[:n]}, separators=(",", ":"))


def post_read_seeds():
    """Seeds of analyses and writers, made from the other targets' seeds (run after them)."""
    for old in glob.glob(os.path.join(CORPUS, "analyses", "seed-*")) + glob.glob(os.path.join(CORPUS, "writers", "seed-*")):
        os.remove(old)
    # analyses, writers: the first byte picks the reader (fuzz_harness.h kPostReadFormats), the
    # rest is a seed of that reader, plus small versions of issue 14's hostile shapes.
    formats = ["pprof", "chrome", "table", "folded", "speedscope", "cpuprofile", "detect", "perf",
               "callgrind", "pstats"]
    for i, target in enumerate(formats):
        for p in sorted(glob.glob(os.path.join(CORPUS, target, "seed-*")))[:5]:
            for post in ("analyses", "writers"):
                write(post, target + "-" + os.path.basename(p)[5:], bytes([i]) + read(p)[:MAX_SEED * 4])
    sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
    import hostile_gen, tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for name, fmt, make in (("inline-bomb.pb", 0, lambda f: hostile_gen.inline_bomb(f, 3000, 20)),
                                ("backtrack.pb", 0, hostile_gen.backtrack),
                                ("nested-groups.pb", 0, lambda f: hostile_gen.nested_groups(f, 300)),
                                ("deep-x.json", 1, lambda f: hostile_gen.deep_x(f, 300)),
                                ("unclosed-b.json", 1, lambda f: hostile_gen.unclosed_b(f, 300))):
            path = os.path.join(tmp, name)
            make(path)
            for post in ("analyses", "writers"):
                write(post, "hostile-" + name, bytes([fmt]) + read(path)[:MAX_SEED * 4])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perfkit", default=os.path.join(ROOT, "build", "perfkit"))
    ap.add_argument("--post-read-only", action="store_true",
                    help="only (re)write the analyses and writers seeds from the committed seeds")
    args = ap.parse_args()
    if args.post_read_only:
        post_read_seeds()
        return 0
    for old in glob.glob(os.path.join(CORPUS, "*", "seed-*")):
        os.remove(old)

    # pprof: the raw protobuf (the gzip layer has its own target), corpus and bad inputs.
    for p in sorted(glob.glob(td("pprof", "*.pb.gz"))):
        raw = gzip.decompress(read(p))
        write("pprof", os.path.basename(p)[:-3], raw[:MAX_SEED * 4])
    for p in sorted(glob.glob(td("bad", "*.pb"))):
        write("pprof", os.path.basename(p), read(p))
    write("pprof", "empty-profile.pb", b"")
    # A varint running off the end, a length past the end, a group wire type.
    write("pprof", "cut-varint.pb", b"\x08\xff\xff\xff")
    write("pprof", "long-length.pb", b"\x0a\xff\xff\xff\xff\x0f\x00")
    write("pprof", "group.pb", b"\x0b\x0c")

    # perf script: every layout recorded in testdata/perf, cut to a few KB, and the bad ones.
    for p in sorted(glob.glob(td("perf", "*.perf.txt"))):
        text = read(p)[:MAX_SEED // 4]
        write("perf", os.path.basename(p), text)
    for p in sorted(glob.glob(td("perf", "bad", "*.perf.txt"))):
        write("perf", "bad-" + os.path.basename(p), read(p))
    write("perf", "odd-headers.perf.txt",
          "a 0/0 [000] 1.5: 0 cycles:\n\t1 x->y-> (/a)\n\n"
          "V8 Worker 1/ 2.0: cycles:u:\n\tff [unknown] ([kernel.kallsyms])\n  f.c:3\n\n"
          "   padded 12   3.25:     9 cpu-clock:      7f f+0x1 (/b)\n"
          "\t\t(anonymous namespace)::g+0x2 (/c)\n#c\n"
          "java 5 9.0: 1 page-faults:\n\t1 Lcom/x/Y;.z(I)V (/tmp/perf-5.map)\n")

    # chrome: the three forms, nesting, metadata, odd numbers.
    write("chrome", "spans_known.json", read(td("chrome", "spans_known.json"))[:MAX_SEED])
    # stackFrames + samples: good, and with loops, missing parents, bad sf/ts/weight.
    write("chrome", "stack-samples.json", read(td("chrome", "stack_samples.json"))[:MAX_SEED])
    write("chrome", "stack-samples-bad.json",
          '{"traceEvents":[{"name":"a","ph":"X","ts":1,"dur":5,"pid":1,"tid":1}],"stackFrames":'
          '{"1":{"name":"main"},"2":{"name":"loop","parent":"3"},"3":{"name":"l2","parent":2},'
          '"4":[],"5":{"parent":null},"6":{"name":"x","parent":{"a":1}}},"samples":[{"sf":"1",'
          '"ts":1,"weight":0.25},{"sf":"2","ts":2,"pid":"p","tid":7},{"sf":3,"ts":"3"},{"sf":"4"},'
          '{"sf":"nope","ts":5,"weight":-2},{"ts":6},8,{"sf":"5","weight":"w","name":"cycles"},'
          '{"sf":"6","ts":1e400}]}')
    write("chrome", "clang_head.json", cut_trace(td("chrome", "clang_ftime_trace.json"), 40))
    write("chrome", "node_head.json", cut_trace(td("chrome", "node_trace_events.json"), 40))
    write("chrome", "array.json",
          '[{"ph":"B","name":"a","pid":1,"tid":1,"ts":0},{"ph":"B","name":"b","pid":1,"tid":1,"ts":1},'
          '{"ph":"E","pid":1,"tid":1,"ts":2},{"ph":"E","pid":1,"tid":1,"ts":3.5},'
          '{"ph":"X","name":"c","pid":1,"tid":2,"ts":1.25,"dur":2},'
          '{"ph":"M","name":"thread_name","pid":1,"tid":2,"args":{"name":"worker"}},'
          '{"ph":"i","name":"mark","pid":1,"tid":1,"ts":1,"s":"t"},'
          '{"ph":"b","name":"io","cat":"x","id":"0x1","pid":1,"tid":1,"ts":0},'
          '{"ph":"e","name":"io","cat":"x","id":"0x1","pid":1,"tid":1,"ts":9},'
          '{"ph":"C","name":"mem","pid":1,"ts":3,"args":{"v":7}}]')
    write("chrome", "unterminated-array.json",
          '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5},\n'
          '{"ph":"X","name":"b","pid":1,"tid":1,"ts":1,"dur":2},\n')
    write("chrome", "jsonl.json",
          '{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5}\n'
          '{"ph":"X","name":"b","pid":1,"tid":1,"ts":1,"dur":2}\n')
    write("chrome", "odd-numbers.json",
          '{"traceEvents":[{"ph":"X","name":"n","pid":1,"tid":1,"ts":1e400,"dur":-5},'
          '{"ph":"X","name":"\\u0000\\ud800\\n","pid":-1,"tid":18446744073709551616,"ts":-9.3e18,'
          '"dur":1e-9},{"ph":"B","name":"\xff\xfe","pid":1,"tid":1,"ts":9223372036854775807}],'
          '"displayTimeUnit":"ns","otherData":{"x":[1,2,{"y":null}]}}')

    # tables and folded: every testdata file, good and bad.
    for p in sorted(glob.glob(td("tables", "*")) + glob.glob(td("tables", "bad", "*"))):
        if os.path.isfile(p):
            write("table", os.path.basename(p), read(p)[:MAX_SEED])
    for p in sorted(glob.glob(td("folded", "*"))):
        write("folded", os.path.basename(p), read(p)[:MAX_SEED])
    write("folded", "odd.folded", "a;b;c 1\nx;;y 2\n;lead 3\nnan;inf 1e400\n"
                                  "a;b 9223372036854775807\na;b 1\n\xff\xfe;\x01 5\nd 1 2\n")

    # speedscope: what perfkit's own writer makes from the folded testdata, when perfkit exists.
    if os.path.exists(args.perfkit):
        for p in sorted(glob.glob(td("folded", "*.folded"))):
            r = subprocess.run([args.perfkit, "convert", "--to", "speedscope", p, "-o", "-"],
                               capture_output=True)
            if r.returncode == 0 and r.stdout:
                write("speedscope", os.path.basename(p) + ".speedscope.json", r.stdout[:MAX_SEED])
    write("speedscope", "evented.json",
          '{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":'
          '[{"name":"a"},{"name":"b","file":"f.c","line":3}]},"profiles":[{"type":"evented",'
          '"name":"p","unit":"milliseconds","startValue":0,"endValue":10,"events":[{"type":"O",'
          '"frame":0,"at":0},{"type":"O","frame":1,"at":1},{"type":"C","frame":1,"at":4},'
          '{"type":"C","frame":0,"at":10}]}]}')

    # gunzip: gzip members, cut, concatenated, padded; the inflated bytes go through detection.
    for p in sorted(glob.glob(td("pprof", "*.pb.gz"))):
        write("gunzip", os.path.basename(p), read(p)[:MAX_SEED * 2])
    write("gunzip", "truncated.pb.gz", read(td("bad", "pprof_truncated.pb.gz")))
    small = read(td("folded", "small.folded"))
    write("gunzip", "folded.gz", gzip.compress(small, mtime=0))
    write("gunzip", "two-members.gz", gzip.compress(b"a;b 1\n", mtime=0) + gzip.compress(b"c 2\n", mtime=0))
    write("gunzip", "padded.gz", gzip.compress(b"a;b 1\n", mtime=0) + b"\0" * 16)
    write("gunzip", "zeros.gz", gzip.compress(b"\0" * 100000, mtime=0))

    # callgrind: the producers' files (cut), and the syntax corners: compressed and plain names,
    # an id never defined, subpositions, hex, calls=0, a cycle, a cost line cut off.
    for p in sorted(glob.glob(td("callgrind", "*callgrind*"))):
        write("callgrind", os.path.basename(p), read(p)[:MAX_SEED])
    write("callgrind", "corners.callgrind",
          "# callgrind format\nversion: 1\npositions: instr line\nevents: Ir Dr\n"
          "ob=(1) /bin/x\nfl=(1) a.c\nfn=(1) main\n0x10 3 5 1\n+2 * 7\n-1 -1 1 1\n"
          "cfl=(2) b.c\ncfn=(2) f\ncalls=2 0x20 9\n* * 40 4\ncfn=(9)\ncalls=0 0 0\n* * 3\n"
          "fl=(2)\nfn=(2)\n0x20 9 10 2\ncfi=(1)\ncfn=(1)\ncalls=1 0x10 3\n+4 +1 8 1\n"
          "fi=(3) inl.h\n0x30 100 2\nfe=(2)\nfn=(anonymous) x\n0 1\ncfn=(2)\ncalls=1\n")
    # pstats: cProfile's and yappi's files, and hand-made marshal corners (refs, longs, text
    # floats, a cycle through a reference, a cut file).
    for p in sorted(glob.glob(td("pstats", "*.prof")) + glob.glob(td("pstats", "*.pstat"))):
        write("pstats", os.path.basename(p), read(p)[:MAX_SEED])
    write("pstats", "empty.prof", b"{0")
    big = {("a.py", 7, "f"): (2, 3 << 40, 0.25, 0.5, {("~", 0, "<built-in method x>"): (1, 1, 0.0, 1)})}
    write("pstats", "long-and-text-float.prof", marshal.dumps(big, 1))  # 'l' longs, 'f' floats
    write("pstats", "version2.prof", marshal.dumps(big, 2))  # 'g' floats, no references
    write("pstats", "ref-cycle.prof", b"\xfb)\x03r\x00\x00\x00\x00i\x01\x00\x00\x00N0")
    write("pstats", "cut.prof", read(td("pstats", "cprofile.prof"))[:200])

    # detect: a little of everything, so the probes meet each other's inputs.
    for target in ("pprof", "chrome", "table", "folded", "speedscope", "callgrind", "pstats"):
        for p in sorted(glob.glob(os.path.join(CORPUS, target, "seed-*")))[:4]:
            write("detect", target + "-" + os.path.basename(p)[5:], read(p)[:MAX_SEED])
    post_read_seeds()
    n = len(glob.glob(os.path.join(CORPUS, "*", "seed-*")))
    print(f"wrote {n} seeds under {os.path.relpath(CORPUS, ROOT)}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""How each path scales: time and peak RSS of perfkit on 1x, 4x and 16x inputs, with the exponent
k of time ~ size^k (log of the 16x/1x ratio over log 16; 1 is linear). Not part of the test suite.

Inputs (generated once into --work, reused): genprofiles.py pprof at --base-scale, 4x and 16x
(samples and distinct stacks grow with the scale, functions with its square root), and Chrome
traces of N nested X events (tests/cli/hostile_gen.py deep-x) for N = --deep-n, 4N, 16N.
convert --to pprof of a deep trace writes every span's stack in full, N(N+1)/2 frames (a pprof
sample lists its whole stack), and refuses past 2^27 of them: its row runs on N = --deep-n / 25,
4x and 16x (under the cap) and also gives the exponent in the frames written.

Usage: python3 bench/scaling.py [--perfkit build/perfkit] [--work DIR] [--base-scale 15]
         [--deep-n 25000] [--repeat 3] [--only SUBSTR,...] [--results bench/RESULTS.md]
Prints a table and replaces the section "## Scaling" of --results (other sections are kept).
The exponent is taken from CPU time (user + sys), which a loaded machine disturbs less than wall
time, the least of --repeat runs (other work on the machine only adds to it); wall is the median.
Both are shown, with the load average before and after.
"""
import argparse, datetime, math, os, platform, re, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FACTORS = (1, 4, 16)


def measure_once(argv):
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M"] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    last = p.stderr.strip().splitlines()[-1].split()
    wall, user, sys_, kb = float(last[0]), float(last[1]), float(last[2]), int(last[3])
    return wall, user + sys_, kb * 1024, p.returncode


def measure(argv, repeat):
    runs = [measure_once(argv) for _ in range(repeat)]
    least = min(runs, key=lambda r: r[1])
    return statistics.median(r[0] for r in runs), least[1], least[2], runs[-1][3]


def gen_pprof(work, shared, scale):
    d = os.path.join(work, "pprof-%g" % scale)
    path = os.path.join(d, "profile.pb")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(shared, "tools", "genprofiles.py"), d,
                        "--scale", str(scale), "--only", "pprof"], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def gen_deep(work, n):
    path = os.path.join(work, "deep-x-%d.json" % n)
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "cli", "hostile_gen.py"),
                        "deep-x", path, str(n)], check=True)
    return path


def fmt_mib(b):
    if b < 1048576:
        return "%.0f KiB" % (b / 1024.0)
    return "%.1f MiB" % (b / 1048576.0) if b < 10 * 1048576 else "%.0f MiB" % (b / 1048576.0)


MIN_CPU = 0.05  # a 1x run faster than this gives no exponent (timer resolution, start-up)


def fmt_k(k, res, first):
    return "%.2f" % k if res[first][1] >= MIN_CPU else "(1x under 50 ms)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perfkit", default=os.path.join(ROOT, "build", "perfkit"))
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "out", "scaling"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--base-scale", type=float, default=15, help="genprofiles --scale of 1x")
    ap.add_argument("--deep-n", type=int, default=25000, help="nested X events of 1x")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated substrings of row names")
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    a = ap.parse_args()
    pk = os.path.abspath(a.perfkit)
    os.makedirs(a.work, exist_ok=True)
    out = os.path.join(a.work, "out")
    pprofs = [gen_pprof(a.work, a.shared, a.base_scale * f) for f in FACTORS]
    deeps = [gen_deep(a.work, a.deep_n * f) for f in FACTORS]
    small_n = max(1, a.deep_n // 25)
    small_deeps = [gen_deep(a.work, small_n * f) for f in FACTORS]
    load_before = os.getloadavg()[0]
    rows = [
        ("pprof info", pprofs, lambda f: [pk, "info", f]),
        ("pprof top", pprofs, lambda f: [pk, "top", f]),
        ("pprof flame", pprofs, lambda f: [pk, "flame", f, "-o", out + ".svg"]),
        ("pprof report", pprofs, lambda f: [pk, "report", f]),
        ("pprof convert --to pprof", pprofs, lambda f: [pk, "convert", "--to", "pprof", f, "-o", out + ".pb.gz"]),
        ("pprof convert --to folded", pprofs, lambda f: [pk, "convert", "--to", "folded", f, "-o", out + ".folded"]),
        ("deep trace info", deeps, lambda f: [pk, "info", f]),
        ("deep trace top", deeps, lambda f: [pk, "top", f]),
        ("deep trace flame", deeps, lambda f: [pk, "flame", f, "-o", out + ".svg"]),
        ("deep trace report", deeps, lambda f: [pk, "report", f]),
        ("deep trace convert --to chrome", deeps, lambda f: [pk, "convert", "--to", "chrome", f, "-o", out + ".json"]),
        ("deep trace convert --to pprof", small_deeps, lambda f: [pk, "convert", "--to", "pprof", f, "-o", out + ".pb.gz"]),
    ]
    only = [s for s in a.only.split(",") if s]
    table = []
    for name, inputs, cmd in rows:
        if only and not any(s in name for s in only):
            continue
        res, outs = [], []
        for f in inputs:
            argv = cmd(f)
            target = argv[argv.index("-o") + 1] if "-o" in argv else None
            if target and os.path.exists(target):
                os.remove(target)
            res.append(measure(argv, a.repeat))
            outs.append(os.path.getsize(target) if target and os.path.exists(target) else None)
        sizes = [os.path.getsize(f) for f in inputs]
        k = math.log(max(res[2][1], 1e-3) / max(res[0][1], 1e-3)) / math.log(sizes[2] / sizes[0])
        k4 = math.log(max(res[2][1], 1e-3) / max(res[1][1], 1e-3)) / math.log(sizes[2] / sizes[1])
        kout = None
        if name == "deep trace convert --to pprof":  # in the frames written, N(N+1)/2
            frames = [small_n * f * (small_n * f + 1) / 2 for f in FACTORS]
            kout = tuple(math.log(max(res[2][1], 1e-3) / max(res[i][1], 1e-3)) /
                         math.log(frames[2] / frames[i]) for i in (0, 1))
        codes = sorted({r[3] for r in res})
        table.append((name, sizes, res, k, k4, codes, outs, kout))
        cells = "  ".join("%.2fs/%.2fs %s" % (r[0], r[1], fmt_mib(r[2])) for r in res)
        print("%-32s %s  k=%.2f (4x->16x %.2f)%s exit %s" % (
            name, cells, k, k4, "" if kout is None else " k(frames written)=%.2f (4x->16x %.2f)" % kout, codes), flush=True)

    head = ("| path | input 1x / 4x / 16x | wall 1x / 4x / 16x | CPU 1x / 4x / 16x | "
            "peak RSS 1x / 4x / 16x | output 1x / 4x / 16x | k (1x->16x) | k (4x->16x) | exit |")
    lines = [head, "| --- | --- | --- | --- | --- | --- | ---: | ---: | --- |"]
    notes = []
    for name, sizes, res, k, k4, codes, outs, kout in table:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, " / ".join(fmt_mib(s) for s in sizes), " / ".join("%.2f s" % r[0] for r in res),
            " / ".join("%.2f s" % r[1] for r in res), " / ".join(fmt_mib(r[2]) for r in res),
            " / ".join(fmt_mib(o) for o in outs) if all(o is not None for o in outs) else "",
            fmt_k(k, res, 0), fmt_k(k4, res, 1), ",".join(map(str, codes))))
        if kout is not None:
            notes.append("- %s: the output is every span's stack in full, N(N+1)/2 frames for N "
                         "nested spans, so it grows as the square of the input; in the "
                         "frames written, k (1x->16x) = %s, k (4x->16x) = %s." % (
                             name, fmt_k(kout[0], res, 0), fmt_k(kout[1], res, 1)))
    load = os.getloadavg()[0]
    section = "\n".join([
        "## Scaling",
        "",
        "`python3 bench/scaling.py --base-scale %g --deep-n %d --repeat %d` on %s, %s UTC, %d cores, "
        "load average %.1f before and %.1f after (other agents share the machine; CPU time is "
        "user + sys, the least of the %d runs, wall the median; k is the exponent of CPU time in "
        "the input size, 1 = linear). pprof inputs: genprofiles.py --scale %g/%g/%g --only pprof "
        "(raw); deep traces: N = %d/%d/%d nested X events (convert --to pprof: %d/%d/%d)." % (
            a.base_scale, a.deep_n, a.repeat, platform.node(),
            datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), os.cpu_count(), load_before,
            load, a.repeat, *(a.base_scale * f for f in FACTORS), *(a.deep_n * f for f in FACTORS),
            *(small_n * f for f in FACTORS)),
        "",
        *lines,
        "",
        *notes,
        *([""] if notes else []),
    ])
    old = open(a.results).read() if os.path.exists(a.results) else ""
    m = re.search(r"^## Scaling\n.*?(?=^## |\Z)", old, re.S | re.M)
    new = old[:m.start()] + section + "\n" + old[m.end():] if m else old.rstrip("\n") + "\n\n" + section
    with open(a.results, "w") as f:
        f.write(new)
    print("wrote the Scaling section of " + os.path.relpath(a.results, ROOT))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark: `perfkit merge` of a fleet's pprof profiles (10, 100, 1000 machines) against
`go tool pprof -proto`, the same inputs.

Usage: python3 bench/merge_fleet.py [--perfkit build/perfkit] [--work DIR] [--counts 10,100,1000]
                                    [--anchor-max 100] [--repeat 3] [--anchor-repeat 1]
Inputs: tests/fleet_profiles.py (genprofiles.py's program on many machines: shared functions and
hot stacks, per-machine counts, labels and tail), kept in --work between runs. Each command runs
under /usr/bin/time -v (wall, user+sys CPU, peak RSS). The go tool pprof anchor runs for counts up
to --anchor-max. The merged outputs are checked: -j 1 and -j N give the same bytes, and
`go tool pprof -top` of ours equals `go tool pprof -top` of pprof's own merge.
Writes the section "## merge of many profiles" of bench/RESULTS.md (the rest is kept).
Not part of the test suite.
"""
import argparse, datetime, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from run import fmt_bytes, measure  # noqa: E402  (one measuring routine for every bench)

SECTION = "## merge of many profiles"


def fleet_name(count, own):
    return f"fleet{count}" if own == 1 else f"fleet{count}-own{own:g}"


def inputs(work, count, own):
    d = os.path.join(work, fleet_name(count, own))
    done = os.path.join(d, ".done")
    if not os.path.exists(done):
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "fleet_profiles.py"), d,
                        "--count", str(count), "--own", f"{own:g}"], check=True)
        open(done, "w").close()
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".pb.gz"))


def top(path):
    return subprocess.run(["go", "tool", "pprof", "-top", "-nodecount=1000000", path],
                          capture_output=True, text=True, check=True).stdout


def write_section(results, lines):
    """Replaces our section of RESULTS.md (or appends it); every other line stays."""
    old = open(results).read() if os.path.exists(results) else "# perfkit benchmark results\n"
    head, sep, rest = old.partition("\n" + SECTION + "\n")
    nxt = rest.find("\n## ") if sep else -1
    tail = rest[nxt:] if nxt >= 0 else ""
    open(results, "w").write(head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + tail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perfkit", default=os.path.join(ROOT, "build", "perfkit"))
    ap.add_argument("--work", default="/tmp/perfkit-bench-merge")
    ap.add_argument("--counts", default="10,100,1000")
    ap.add_argument("--anchor-max", type=int, default=100)
    ap.add_argument("--own", default="1,0", help="series: percent of each machine's own stacks "
                    "(1: the result grows with the fleet's tail; 0: every stack is shared)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of perfkit (median)")
    ap.add_argument("--anchor-repeat", type=int, default=1, help="timed runs of go tool pprof")
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    pk = os.path.abspath(a.perfkit)
    load_before = os.getloadavg()
    rows = []
    series = [float(x) for x in a.own.split(",")]
    for own, count in [(o, int(c)) for o in series for c in a.counts.split(",")]:
        name = fleet_name(count, own)
        files = inputs(a.work, count, own)
        listing = os.path.join(a.work, f"{name}.list")
        open(listing, "w").write("\n".join(files) + "\n")
        size = sum(os.path.getsize(f) for f in files)
        out1, outj = os.path.join(a.work, f"{name}-j1.pb.gz"), os.path.join(a.work, f"{name}.pb.gz")
        files_arg = f"$(cat {listing})"
        row = {"count": count, "own": own, "bytes": size}
        row["j1"] = measure(f"{pk} merge -j 1 {files_arg} -o {out1} 2>/dev/null", a.repeat)
        row["jn"] = measure(f"{pk} merge {files_arg} -o {outj} 2>/dev/null", a.repeat)
        row["same"] = open(out1, "rb").read() == open(outj, "rb").read()
        row["out"] = os.path.getsize(outj)
        if count <= a.anchor_max and own == series[0]:
            theirs = os.path.join(a.work, f"go-{name}.pb.gz")
            row["go"] = measure(f"go tool pprof -symbolize=none -proto -output {theirs} {files_arg} 2>/dev/null",
                               a.anchor_repeat)
            row["top_equal"] = top(theirs) == top(outj)
        rows.append(row)
        print(row, flush=True)
    load_after = os.getloadavg()
    lines = [
        SECTION, "",
        f"- date: {datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')}, {os.cpu_count()} cores; "
        f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} (shared machine: CPU "
        "= user+sys is the steadier figure)",
        f"- command: `python3 bench/merge_fleet.py --counts {a.counts} --own {a.own} --anchor-max {a.anchor_max} "
        f"--repeat {a.repeat} --anchor-repeat {a.anchor_repeat}`",
        "- inputs: `tests/fleet_profiles.py DIR --count N --own P` (2,000 functions, 20,000 samples "
        "per machine drawn from 40,000 shared stacks plus P% on stacks of its own, 4 label sets; "
        "~210 KiB gzipped, 1.1 MiB raw each). With P = 1 the merged result grows with the fleet's "
        "tail (each machine adds ~200 stacks); with P = 0 it stops growing once the shared stacks "
        "are all seen, and so does the merge's memory",
        f"- perfkit: `perfkit merge [-j 1] FILES -o OUT` (default -j: all cores), median of {a.repeat} runs after a warm-up"
        "; anchor: `go tool "
        "pprof -symbolize=none -proto -output OUT FILES`; wall / user+sys CPU / peak RSS from `/usr/bin/time -v`",
        f"- checks: `-j 1` and `-j {os.cpu_count()}` outputs are the same bytes; `go tool pprof -top` of ours equals "
        "`go tool pprof -top` of the anchor's merge",
        "",
        f"| profiles | own stacks | input (gz) | output | perfkit -j1 wall | CPU | RSS | perfkit -j{os.cpu_count()} wall | CPU | RSS "
        f"| go tool pprof -proto wall | CPU | RSS | speed-up (wall, -j{os.cpu_count()}) | speed-up (CPU, -j1) | "
        f"-j1 = -j{os.cpu_count()} | top = pprof's |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        j1, jn = r["j1"], r["jn"]
        line = (f"| {r['count']} | {r['own']:g}% | {fmt_bytes(r['bytes'])} | {fmt_bytes(r['out'])} | {j1[0]:.2f} s | "
                f"{j1[1]:.2f} s | {fmt_bytes(j1[2])} | {jn[0]:.2f} s | {jn[1]:.2f} s | {fmt_bytes(jn[2])} |")
        if "go" in r:
            g = r["go"]
            line += (f" {g[0]:.2f} s | {g[1]:.2f} s | {fmt_bytes(g[2])} | {g[0] / jn[0]:.1f}x | "
                     f"{g[1] / j1[1]:.1f}x |")
        else:
            line += " | | | | |"
        line += f" {'yes' if r['same'] else 'NO'} | {({True: 'yes', False: 'NO'}).get(r.get('top_equal'), '')} |"
        lines.append(line)
    write_section(a.results, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

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
Writes the section "## merge of many profiles" of bench/RESULTS.md (the rest is kept); the
measurements go to --work/rows.json (--render rewrites the section from it).
Not part of the test suite.
"""
import argparse, datetime, json, os, subprocess, sys

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


def render(a):
    """The section's lines from the rows of the last run (--work/rows.json)."""
    saved = json.load(open(os.path.join(a.work, "rows.json")))
    rows, (load_before, load_after) = saved["rows"], saved["load"]
    n = os.cpu_count()
    lines = [
        SECTION, "",
        f"- date: {saved['date']}, {n} cores; load average before {load_before:.1f}, after "
        f"{load_after:.1f} (shared machine: wall times are inflated and -j{n} gains little; CPU = "
        "user+sys is the steadier figure)",
        f"- command: `python3 bench/merge_fleet.py --counts {a.counts} --own {a.own} --anchor-max "
        f"{a.anchor_max} --repeat {a.repeat} --anchor-repeat {a.anchor_repeat}`",
        "- inputs: `tests/fleet_profiles.py DIR --count N --own P` (2,000 functions, 20,000 samples "
        "per machine drawn from 40,000 shared stacks plus P% on stacks of its own, 4 label sets; "
        "~210 KiB gzipped, 1.1 MiB raw each). With P = 1 the merged result grows with the fleet's "
        "tail (each machine adds ~200 stacks); with P = 0 it stops growing once the shared stacks "
        "are all seen, and so does the merge's memory",
        f"- perfkit: `perfkit merge [-j 1] FILES -o OUT` (default -j: all cores), median of "
        f"{a.repeat} runs after a warm-up; anchor: `go tool pprof -symbolize=none -proto -output OUT "
        "FILES`; wall / user+sys CPU / peak RSS from `/usr/bin/time -v`; target: >= 20x faster than "
        "the anchor on 100 profiles, by wall and by CPU, at -j 1",
        f"- checks: `-j 1` and `-j {n}` outputs are the same bytes; `go tool pprof -top` of ours "
        "equals `go tool pprof -top` of the anchor's merge",
        "",
        f"| profiles | own stacks | input (gz) | output | perfkit -j1 wall | CPU | RSS | -j{n} wall | "
        f"CPU | RSS | go tool pprof -proto wall | CPU | RSS | speed-up wall -j1 / -j{n} | speed-up "
        f"CPU -j1 | >= 20x | -j1 = -j{n} | top = pprof's |",
        "| --- " * 18 + "|",
    ]
    for r in rows:
        j1, jn = r["j1"], r["jn"]
        line = (f"| {r['count']} | {r['own']:g}% | {fmt_bytes(r['bytes'])} | {fmt_bytes(r['out'])} | "
                f"{j1[0]:.2f} s | {j1[1]:.2f} s | {fmt_bytes(j1[2])} | {jn[0]:.2f} s | {jn[1]:.2f} s | "
                f"{fmt_bytes(jn[2])} |")
        if "go" in r:
            g = r["go"]
            wall1, walln, cpu1 = g[0] / j1[0], g[0] / jn[0], g[1] / j1[1]
            line += (f" {g[0]:.2f} s | {g[1]:.2f} s | {fmt_bytes(g[2])} | {wall1:.1f}x / {walln:.1f}x | "
                     f"{cpu1:.1f}x | {('yes' if min(wall1, cpu1) >= 20 else 'NO') if r['count'] == 100 else ''} |")
        else:
            line += " | | | | | |"
        line += f" {'yes' if r['same'] else 'NO'} | {({True: 'yes', False: 'NO'}).get(r.get('top_equal'), '')} |"
        lines.append(line)
    return lines


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
    ap.add_argument("--render", action="store_true",
                    help="only rewrite the section from the last run's --work/rows.json")
    a = ap.parse_args()
    if a.render:
        write_section(a.results, render(a))
        return
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
    json.dump({"rows": rows, "load": [load_before[0], load_after[0]],
               "date": datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')},
              open(os.path.join(a.work, "rows.json"), "w"))
    lines = render(a)
    write_section(a.results, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

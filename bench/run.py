#!/usr/bin/env python3
"""perfkit benchmarks against the anchors, pair by pair, in one run.

Usage: python3 bench/run.py [--scale medium|large] [--perfkit build/perfkit] [--work DIR]
Generates the workload with ../shared/tools/genprofiles.py (kept in --work between runs),
measures wall time and peak RSS of each command with /usr/bin/time -v, and writes
bench/RESULTS.md (machine, date, command, table). Not part of the test suite.
"""
import argparse, datetime, glob, os, platform, re, shutil, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def measure(cmd, repeat=1):
    """One untimed warm-up run (the page cache of this VM is reclaimed between runs, so a first
    run pays for reading its input from disk), then `repeat` timed runs; returns the medians
    (wall_s, user+sys_s, peak_rss_bytes, ok)."""
    if repeat > 1:
        measure_once(cmd)
    runs = [measure_once(cmd) for _ in range(max(1, repeat))]
    med = lambda k: statistics.median(r[k] for r in runs)
    return med(0), med(1), int(med(2)), all(r[3] for r in runs)


def measure_once(cmd):
    """Runs cmd under /usr/bin/time -v; returns (wall_s, user_s, peak_rss_bytes, ok)."""
    p = subprocess.run(["/usr/bin/time", "-v", "bash", "-c", cmd + " >/dev/null"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr
    def field(name):
        m = re.search(re.escape(name) + r":\s*(.+)", err)
        return m.group(1).strip() if m else ""
    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")] if wall else [0]
    secs = 0.0
    for x in parts:
        secs = secs * 60 + x
    rss = int(field("Maximum resident set size (kbytes)") or 0) * 1024
    user = float(field("User time (seconds)") or 0) + float(field("System time (seconds)") or 0)
    ok = p.returncode in (0, 1)
    if not ok:
        sys.stderr.write(f"bench: command failed ({p.returncode}): {cmd}\n{err[-2000:]}\n")
    return secs, user, rss, ok


def size_of(path):
    if not os.path.exists(path):
        return 0
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    return os.path.getsize(path)


def fmt_bytes(n):
    for unit in ["B", "KiB", "MiB", "GiB"]:
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="medium")
    ap.add_argument("--perfkit", default=os.path.join(ROOT, "build", "perfkit"))
    ap.add_argument("--only", default="", help="comma-separated substrings of row names to run")
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "out"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--stackcollapse", default="",
                    help="FlameGraph's stackcollapse-perf.pl: the anchor of the perf script row "
                         "(not in this repository; the row runs without an anchor otherwise)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="timed runs per command after one warm-up run; medians are reported")
    args = ap.parse_args()

    pk = os.path.abspath(args.perfkit)
    gen = os.path.join(args.shared, "tools", "genprofiles.py")
    base = os.path.join(args.work, args.scale, "base")
    new = os.path.join(args.work, args.scale, "new")
    # medium: every input, both variants. large: the trace and the folded file only (what the
    # large targets name; the whole large set takes a long time to write).
    sides = ((base, "base"), (new, "new")) if args.scale != "large" else ((base, "base"),)
    only = "" if args.scale != "large" else " --only trace,folded"
    want = "stacks.folded"
    for d, variant in sides:
        if not os.path.exists(os.path.join(d, want)):
            os.makedirs(d, exist_ok=True)
            print(f"bench: generating {args.scale} {variant} workload in {d}", flush=True)
            sh(f"python3 {gen} {d} --scale {args.scale} --variant {variant}{only}")
    out = os.path.join(args.work, "tmp")
    os.makedirs(out, exist_ok=True)
    go = shutil.which("go")
    pprof = f"{go} tool pprof -symbolize=none" if go else None

    B = lambda f: os.path.join(base, f)
    N = lambda f: os.path.join(new, f)
    rows = []  # (what, perfkit cmd, anchor name, anchor cmd, input bytes)
    rows.append(("top pprof.gz", f"{pk} top {B('profile.pb.gz')} -n 0",
                 "go tool pprof -top", pprof and f"{pprof} -top {B('profile.pb.gz')}",
                 size_of(B('profile.pb'))))
    rows.append(("diff pprof.gz", f"{pk} diff {B('profile.pb.gz')} {N('profile.pb.gz')}",
                 "go tool pprof -top -diff_base",
                 pprof and f"{pprof} -top -diff_base {B('profile.pb.gz')} {N('profile.pb.gz')}",
                 2 * size_of(B('profile.pb'))))
    py = "python3 " + os.path.join(HERE, "py_trace_baseline.py")
    rows.append(("spans trace.json", f"{pk} spans {B('trace.json')}", "python json.load + sum",
                 f"{py} {B('trace.json')}", size_of(B('trace.json'))))
    rows.append(("top trace.json", f"{pk} top {B('trace.json')}", "", None, size_of(B('trace.json'))))
    rows.append(("info trace.json -j1", f"{pk} info -j 1 {B('trace.json')}", "", None,
                 size_of(B('trace.json'))))
    rows.append(("merge fragments", f"{pk} merge {B('fragments')}/*.jsonl -o {out}/merged.json", "", None,
                 size_of(B('fragments'))))
    rows.append(("merge fragments -j1", f"{pk} merge -j 1 {B('fragments')}/*.jsonl -o {out}/merged1.json",
                 "", None, size_of(B('fragments'))))
    rows.append(("info stacks.folded", f"{pk} info {B('stacks.folded')}", "", None,
                 size_of(B('stacks.folded'))))
    rows.append(("flame stacks.folded", f"{pk} flame {B('stacks.folded')} -o {out}/flame.svg", "",
                 None, size_of(B('stacks.folded'))))
    rows.append(("info profile.pb (raw)", f"{pk} info {B('profile.pb')}", "", None,
                 size_of(B('profile.pb'))))
    rows.append(("info table.txt", f"{pk} info {B('table.txt')}", "", None, size_of(B('table.txt'))))
    # perf script: genprofiles writes none; the recorded testdata file repeated to ~100 MB (its
    # stacks repeat, as a long recording's do).
    perf_txt = os.path.join(args.work, args.scale, "perf-script.txt")
    if not os.path.exists(perf_txt):
        one = open(os.path.join(ROOT, "testdata", "perf", "cpp_threads.perf.txt")).read()
        with open(perf_txt, "w") as f:
            for _ in range(max(1, 100_000_000 // len(one))):
                f.write(one)
    sc = os.path.abspath(args.stackcollapse) if args.stackcollapse else ""
    rows.append(("convert perf script -> folded",
                 f"{pk} convert {perf_txt} --to folded -o {out}/perf.folded",
                 "stackcollapse-perf.pl", sc and f"perl {sc} {perf_txt}", size_of(perf_txt)))
    for to in ["pprof", "folded", "chrome", "speedscope", "json", "csv"]:
        rows.append((f"convert pprof.gz -> {to}",
                     f"{pk} convert {B('profile.pb.gz')} --to {to} -o {out}/conv.{to}", "", None,
                     size_of(B('profile.pb'))))
    rows.append(("report html pprof.gz",
                 f"{pk} report {B('profile.pb.gz')} --format html -o {out}/report.html", "", None,
                 size_of(B('profile.pb'))))
    # The speedscope reader has no genprofiles input: it reads what convert just wrote.
    rows.append(("info conv.speedscope", f"{pk} info {out}/conv.speedscope", "", None,
                 lambda: size_of(os.path.join(out, "conv.speedscope"))))

    targets = {  # issue 7's targets, checked against this run
        "top pprof.gz": ("speedup", 50), "diff pprof.gz": ("speedup", 50),
        "spans trace.json": ("mbs", 500), "top trace.json": ("mbs", 500),
        "merge fragments -j1": ("mbs", 300), "info stacks.folded": ("mbs", 300),
        "flame stacks.folded": ("wall", 3.0),
        # issue 16: the writers, in MB/s of (inflated) input
        "convert pprof.gz -> chrome": ("mbs", 150), "convert pprof.gz -> folded": ("mbs", 150),
        "report html pprof.gz": ("mbs", 150), "convert perf script -> folded": ("mbs", 150),
    }
    rss_targets = {"top pprof.gz": ("anchor", 10), "spans trace.json": ("file", 1.5),
                   "top trace.json": ("file", 1.5), "convert pprof.gz -> chrome": ("file", 2),
                   "convert pprof.gz -> folded": ("file", 2), "report html pprof.gz": ("file", 2)}

    load_before = os.getloadavg()
    table = []
    for what, cmd, anchor, acmd, nbytes in rows:
        if args.only and not any(k in what for k in args.only.split(",")):
            continue
        missing = [w for w in cmd.split() if w.startswith(args.work) and "/tmp/" not in w
                   and not glob.glob(w)]
        if missing:
            print(f"bench: {what}: skipped, no {missing[0]}", flush=True)
            continue
        if callable(nbytes):
            nbytes = nbytes()
        print(f"bench: {what}", flush=True)
        os.sync()  # no writeback of an earlier row's output competing with this one
        w, u, r, ok = measure(cmd, args.repeat)
        line = {"what": what, "wall": w, "cpu": u, "rss": r, "ok": ok, "bytes": nbytes,
                "anchor": anchor}
        m = re.search(r" -o (\S+)", cmd)
        if m:
            line["out_bytes"] = size_of(m.group(1))
        if acmd:
            print(f"bench:   anchor {anchor}", flush=True)
            aw, au, ar, aok = measure(acmd, args.repeat)
            line.update(awall=aw, acpu=au, arss=ar, aok=aok)
        table.append(line)

    load_after = os.getloadavg()
    cpu = ""
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    lines = [
        "# perfkit benchmark results", "",
        f"- date: {datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {os.cpu_count()} cores ({cpu}), {fmt_bytes(mem)} RAM, {platform.platform()}",
        f"- command: `python3 bench/run.py --scale {args.scale} --repeat {args.repeat}`",
        f"- workload: `genprofiles.py --scale {args.scale}` (base and new variants)",
        f"- load average (1/5/15 min) before: {load_before[0]:.1f}/{load_before[1]:.1f}/"
        f"{load_before[2]:.1f}, after: {load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f}"
        " (the machine is shared: wall times are inflated; CPU = user+sys is the steadier figure)",
        f"- each command: one warm-up run, then the median of {args.repeat} timed runs (perfkit and "
        "anchors alike)",
        "- wall, user+sys CPU and peak RSS from `/usr/bin/time -v`; MB/s = input bytes (inflated) "
        "/ CPU seconds; speed-up = anchor / perfkit, by CPU and by wall; a speed-up target is met "
        "when both are",
        "",
        "| what | input | perfkit wall | perfkit CPU | perfkit RSS | MB/s (CPU) | anchor | anchor wall "
        "| anchor CPU | anchor RSS | speed-up (CPU) | speed-up (wall) | RSS ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in table:
        mbs = t["bytes"] / 1e6 / t["cpu"] if t["cpu"] > 0 else 0
        status = "" if t["ok"] else " (FAILED)"
        mbs_text = f"{mbs:.0f}" if t["cpu"] >= 0.02 else "(under 20 ms)"
        row = (f"| {t['what']}{status} | {fmt_bytes(t['bytes'])} | {t['wall']:.2f} s | "
               f"{t['cpu']:.2f} s | {fmt_bytes(t['rss'])} | {mbs_text} |")
        sp = spw = rr = 0
        if "awall" in t:
            sp = t["acpu"] / t["cpu"] if t["cpu"] > 0 else 0
            spw = t["awall"] / t["wall"] if t["wall"] > 0 else 0
            rr = t["arss"] / t["rss"] if t["rss"] > 0 else 0
            astatus = "" if t["aok"] else " (FAILED)"
            row += (f" {t['anchor']}{astatus} | {t['awall']:.2f} s | {t['acpu']:.2f} s | "
                    f"{fmt_bytes(t['arss'])} | {sp:.1f}x | {spw:.1f}x | {rr:.1f}x less |")
        else:
            row += " | | | | | | |"
        goals, met = [], []
        kind_val = targets.get(t["what"])
        if kind_val:
            kind, val = kind_val
            if kind == "speedup":
                goals.append(f">= {val}x faster")
                met.append(min(sp, spw) >= val)
            elif kind == "mbs":
                goals.append(f">= {val} MB/s")
                met.append(mbs >= val)
            else:
                goals.append(f"< {val:g} s wall")
                met.append(t["wall"] < val)
        rss_goal = rss_targets.get(t["what"])
        if rss_goal:
            kind, val = rss_goal
            if kind == "anchor":
                goals.append(f"RSS <= 1/{val} of anchor")
                met.append(rr >= val)
            else:
                goals.append(f"RSS <= {val}x input")
                met.append(t["rss"] <= val * t["bytes"])
        row += f" {'; '.join(goals)} | {'/'.join('yes' if m else 'NO' for m in met)} |"
        lines.append(row)
    writers = [t for t in table if t.get("out_bytes", 0) >= 1 << 20]
    if writers:
        lines += ["", "What the commands with `-o` wrote (a writer's MB/s counts its input; its output "
                  "can be many times larger):", ""]
        for t in writers:
            rate = t["out_bytes"] / 1e6 / t["cpu"] if t["cpu"] > 0 else 0
            lines.append(f"- {t['what']}: {fmt_bytes(t['out_bytes'])} "
                         f"({t['out_bytes'] / max(1, t['bytes']):.1f}x the input), "
                         f"{rate:.0f} MB/s of output (CPU)")
    # Sections other scripts write (bench/merge_fleet.py: "## merge of many profiles") stay.
    kept = ""
    if os.path.exists(args.results):
        old = open(args.results).read()
        at = old.find("\n## ")
        kept = old[at:] if at >= 0 else ""
    open(args.results, "w").write("\n".join(lines) + "\n" + kept)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

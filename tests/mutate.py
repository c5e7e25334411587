#!/usr/bin/env python3
"""Damaged-input sweep: mutates every testdata input (truncations at many offsets, flipped bytes,
spliced files, inside and outside the gzip layer) and runs `perfkit info` and `perfkit top` on each
mutant. The only acceptable outcomes are exit 0 (read, maybe with warnings) and exit 3 (a clear
"perfkit: error:" message); a signal, any other exit code, or a run over the time limit fails.

  tests/mutate.py PERFKIT [SOURCE_DIR] [--mutants N] [--seed S] [--timeout SECS] [--full]

The default (a few hundred mutants, well under a minute) is the ctest; --full mutates every file
at every 1/64th offset plus 40 byte flips and 20 splices per file. A failing mutant is kept under
SOURCE_DIR/build-mutants/ (or $MUTATE_KEEP) with the command that failed, to replay by hand.
"""
import argparse, gzip, os, random, shutil, signal, subprocess, sys, tempfile, time, zlib

INPUT_DIRS = ["pprof", "chrome", "tables", "tables/bad", "folded", "bad"]
SKIP_SUFFIXES = (".expected", ".go", ".md", ".actual")


def inputs(src):
    files = []
    for d in INPUT_DIRS:
        full = os.path.join(src, "testdata", d)
        if not os.path.isdir(full):
            continue
        for name in sorted(os.listdir(full)):
            p = os.path.join(full, name)
            if os.path.isfile(p) and not name.endswith(SKIP_SUFFIXES):
                files.append(p)
    return files


def cut_big(data, limit=256 * 1024):
    # Big inputs (the 5 MB clang trace) are cut first: the sweep is about shapes, not size.
    return data[:limit]


def mutants(files, rng, per_file, full):
    """Yields (label, bytes)."""
    blobs = []
    for p in files:
        with open(p, "rb") as f:
            raw = f.read()
        name = os.path.relpath(p, os.path.dirname(os.path.dirname(p)))
        plain = raw
        if raw[:2] == b"\x1f\x8b":
            try:
                plain = gzip.decompress(raw)
            except Exception:
                plain = raw
        blobs.append((name, raw, cut_big(plain)))
    for name, raw, plain in blobs:
        n_trunc = 64 if full else max(2, per_file // 3)
        n_flip = 40 if full else max(2, per_file // 3)
        n_splice = 20 if full else max(1, per_file // 3)
        # Truncations: evenly spread offsets plus the first and last few bytes.
        offsets = sorted({int(len(plain) * k / n_trunc) for k in range(n_trunc)} |
                         {1, 2, 3, len(plain) - 1, len(plain) - 2})
        for off in offsets:
            if 0 <= off < len(plain):
                yield f"{name}:cut@{off}", plain[:off]
        if raw is not plain and raw[:2] == b"\x1f\x8b":
            for off in sorted({int(len(raw) * k / (n_trunc // 2 or 1)) for k in range(1, n_trunc // 2 or 2)}):
                yield f"{name}:gzcut@{off}", raw[:off]
            # A flipped byte inside the deflate stream, and a plain recompression of a mutant.
            for _ in range(max(1, n_flip // 4)):
                b = bytearray(raw)
                i = rng.randrange(10, len(b)) if len(b) > 10 else 0
                b[i] ^= 1 << rng.randrange(8)
                yield f"{name}:gzflip@{i}", bytes(b)
        for _ in range(n_flip):
            b = bytearray(plain)
            if not b:
                break
            kind = rng.randrange(4)
            i = rng.randrange(len(b))
            if kind == 0:
                b[i] ^= 1 << rng.randrange(8)
                label = f"flip@{i}"
            elif kind == 1:
                b[i] = rng.choice(b"\x00\xff\x7f\x80\"{}[],:;\n\\0123456789-.eE")
                label = f"set@{i}"
            elif kind == 2:
                j = min(len(b), i + rng.randrange(1, 64))
                del b[i:j]
                label = f"del@{i}-{j}"
            else:
                j = min(len(b), i + rng.randrange(1, 64))
                b[i:i] = b[i:j] * rng.randrange(1, 50)
                label = f"dup@{i}-{j}"
            data = bytes(b)
            if raw[:2] == b"\x1f\x8b" and rng.random() < 0.5:
                data = gzip.compress(data, mtime=0)
                label += "+gz"
            yield f"{name}:{label}", data
        for _ in range(n_splice):
            other_name, _, other = rng.choice(blobs)
            i = rng.randrange(len(plain) + 1)
            j = rng.randrange(len(other) + 1)
            yield f"{name}:splice@{i}+{other_name}@{j}", plain[:i] + other[j:]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("perfkit")
    ap.add_argument("source", nargs="?", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--mutants", type=int, default=9, help="mutants per file per kind-group (default 9)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per run (default 10)")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--budget", type=float, default=50.0,
                    help="stop starting new mutants after this many seconds (not with --full)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    files = inputs(args.source)
    if not files:
        print("mutate: no testdata inputs found", file=sys.stderr)
        return 2
    keep = os.environ.get("MUTATE_KEEP", os.path.join(args.source, "build-mutants"))
    tmp = tempfile.mkdtemp(prefix="perfkit-mutate-")
    start = time.monotonic()
    counts = {}
    failures = []
    slowest = (0.0, "")
    runs = 0
    try:
        for label, data in mutants(files, rng, args.mutants, args.full):
            if not args.full and time.monotonic() - start > args.budget:
                print(f"mutate: time budget of {args.budget:.0f}s reached, stopping early")
                break
            path = os.path.join(tmp, "mutant")
            with open(path, "wb") as f:
                f.write(data)
            for cmd in (["info"], ["top", "-n", "5"]):
                argv = [args.perfkit] + cmd + [path]
                t0 = time.monotonic()
                try:
                    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       timeout=args.timeout)
                    rc, err = r.returncode, r.stderr.decode(errors="replace")
                except subprocess.TimeoutExpired:
                    rc, err = "timeout", ""
                dt = time.monotonic() - t0
                runs += 1
                slowest = max(slowest, (dt, f"{cmd[0]} {label}"))
                counts[rc] = counts.get(rc, 0) + 1
                ok = rc == 0 or (rc == 3 and "perfkit: error:" in err)
                if not ok:
                    os.makedirs(keep, exist_ok=True)
                    kept = os.path.join(keep, f"mutant-{len(failures)}")
                    shutil.copyfile(path, kept)
                    what = (f"signal {signal.Signals(-rc).name}" if isinstance(rc, int) and rc < 0
                            else f"exit {rc}")
                    failures.append(f"{what}: perfkit {' '.join(cmd)} on {label} (kept as {kept})"
                                    + (f"\n    {err.strip().splitlines()[-1]}" if err.strip() else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - start
    summary = ", ".join(f"exit {k}: {v}" for k, v in sorted(counts.items(), key=str))
    print(f"mutate: {runs} runs on {len(files)} files in {elapsed:.1f}s ({summary}); "
          f"slowest {slowest[0]:.2f}s ({slowest[1]})")
    for f in failures[:30]:
        print("FAIL:", f)
    if len(failures) > 30:
        print(f"... and {len(failures) - 30} more")
    print(f"{runs - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

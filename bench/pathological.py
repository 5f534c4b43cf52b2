#!/usr/bin/env python3
"""Hostile inputs, doubled: for each construct whose cost could grow faster than its size, runs
`hub check` on a hub holding n, 2n, 4n and 8n of it and prints time and peak memory, with the
growth per doubling. Linear work grows ×2 per doubling (plus a fixed start-up cost); quadratic
work grows ×4. Uses the dist-profile binary (built if missing).

    python3 bench/pathological.py [--base 2500] [--steps 4]
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HUB = os.path.join(ROOT, "target", "dist", "hub")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "basic")
HEAD = "---\ntitle: Hostile\nsummary: From a pull request.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\n"

# name → (what it is, a function from n to the study's body)
CONSTRUCTS = {
    "headings": ("n identical headings (`-N` suffixes)", lambda n: "## Same\n\n" * n),
    "fragments": (
        "n broken #fragment links to a page of n headings",
        lambda n: "".join(f"## H {i}\n\n" for i in range(n)) + "".join(f"[x](#nope-{i}) " for i in range(n)),
    ),
    "wide-line": ("n links on one line (column numbers)", lambda n: "[a](alpha.md) " * (4 * n)),
    "quotes": ("n nested block quotes", lambda n: ">" * n + " deep\n"),
    # Nesting depth costs indentation, so the file would grow as n²: n items in runs 50 deep.
    "lists": ("n list items nested in runs 50 deep", lambda n: "".join("  " * (i % 50) + "- x\n" for i in range(n))),
    "raw-html": ("n raw HTML elements with ids", lambda n: "".join(f"<div id=\"main\" class=\"x\">{i}</div>\n\n" for i in range(n))),
    "emphasis": ("n unclosed emphasis markers", lambda n: "*a " * (4 * n) + "\n"),
    "footnotes": ("n footnotes", lambda n: "".join(f"x[^{i}] " for i in range(n)) + "\n\n" + "".join(f"[^{i}]: note\n" for i in range(n))),
    "yaml-list": ("a front-matter list of n partners", None),
}


def run(hub_root):
    """`hub check` once; returns (seconds, peak RSS MiB, exit status)."""
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(HUB, [HUB, "check", "--root", hub_root])
    _, status, usage = os.wait4(pid, 0)
    return time.perf_counter() - t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def hub_with(body_or_front, yaml_list, n):
    root = tempfile.mkdtemp(prefix="hub-patho-")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    if yaml_list:
        partners = "".join(f"  - Partner {i}\n" for i in range(n))
        text = HEAD.replace("---\n\n", f"partners:\n{partners}---\n\nText.\n", 1)
    else:
        text = HEAD + body_or_front
    with open(os.path.join(root, "content", "case-studies", "hostile.md"), "w", encoding="utf-8") as f:
        f.write(text)
    return root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=2500)
    ap.add_argument("--steps", type=int, default=4)
    args = ap.parse_args()
    if not os.path.exists(HUB):
        subprocess.run(["cargo", "build", "--profile", "dist", "--locked"], cwd=ROOT, check=True)
    print(f"| construct | n | time (s) | peak RSS (MiB) | time ×, per doubling |")
    print("|---|---|---|---|---|")
    baseline_root = hub_with("Text.\n", False, 0)
    base_t, base_m, _ = min(run(baseline_root) for _ in range(3))
    shutil.rmtree(baseline_root)
    print(f"| (the fixture alone) | 0 | {base_t:.3f} | {base_m:.0f} | |")
    for name, (what, make) in CONSTRUCTS.items():
        prev = None
        for step in range(args.steps):
            n = args.base * 2**step
            root = hub_with(make(n) if make else "", make is None, n)
            t, m, code = min(run(root) for _ in range(2))
            shutil.rmtree(root)
            # Growth of the time spent on the construct itself, start-up subtracted.
            work = max(t - base_t, 1e-3)
            growth = f"{work / prev:.2f}" if prev else ""
            prev = work
            print(f"| {name}: {what} | {n:,} | {t:.3f} | {m:.0f} | {growth} |", flush=True)


if __name__ == "__main__":
    main()

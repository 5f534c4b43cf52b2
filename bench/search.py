#!/usr/bin/env python3
"""Search benchmark: hub's index against Pagefind's on the same built site, in one run.

    python3 bench/search.py [--sizes 1000,10000]

For each size: generates the studies (bench/generate.py), builds the site with hub (its search
index included), runs Pagefind (npm, pinned in bench/package-lock.json, installed when missing)
over the same HTML, and prints index size, file count, time and peak RSS of indexing, and the
bytes each fetches in Debian's Chromium for a first one-word query (served with gzip, as static
hosts serve text), with the ratios. Needs Node.js and Chromium (scripts/test installs both).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HUB = os.path.join(ROOT, "target", "dist", "hub")
sys.path.insert(0, HERE)
from build import measure  # noqa: E402


def tree(path):
    total = files = 0
    for d, _, names in os.walk(path):
        for n in names:
            files += 1
            total += os.path.getsize(os.path.join(d, n))
    return total, files


def kb(n):
    return f"{n / 1024:,.0f} KB"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default="1000,10000")
    a = p.parse_args()
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=os.path.join(ROOT, "tests"), check=True)
    pagefind = os.path.join(HERE, "node_modules", ".bin", "pagefind")
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="hub-search-bench-", dir=scratch)
    rows = []
    try:
        for n in [int(s) for s in a.sizes.split(",")]:
            root, site = os.path.join(work, f"hub-{n}"), os.path.join(work, f"site-{n}")
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), root], check=True,
                           stdout=subprocess.DEVNULL)
            build = measure([HUB, "build", "--root", root, "--out", site], site)
            # Pagefind indexes the HTML hub wrote (both languages, as hub's index does).
            index = measure([pagefind, "--site", site, "--quiet"], os.path.join(site, "pagefind"))
            shutil.copy(os.path.join(HERE, "pf-bench.html"), os.path.join(site, "pf-bench.html"))
            hub_size = tree(os.path.join(site, "search"))
            pf_size = tree(os.path.join(site, "pagefind"))
            # A word every study has, and one that only one study's title has.
            words = ["falls", str(n // 2 + 11)]
            out = subprocess.run(["node", os.path.join(HERE, "search-fetch.mjs"), site, *words],
                                 check=True, capture_output=True, text=True).stdout
            rows.append((n, build, index, hub_size, pf_size, [json.loads(l) for l in out.splitlines()]))
            shutil.rmtree(root)
            shutil.rmtree(site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; output on {'tmpfs' if scratch else 'disk'}; "
          "bytes fetched are gzip-encoded bodies as Chromium received them")
    print("| studies | | index size | index files | indexing wall | indexing peak RSS |")
    print("|---|---|---|---|---|---|")
    for n, build, index, hub_size, pf_size, _ in rows:
        print(f"| {n:,} | hub (whole build, search included) | {kb(hub_size[0])} | {hub_size[1]:,} | {build[0]:.2f} s | {build[2]:.0f} MiB |")
        print(f"| {n:,} | Pagefind (index only) | {kb(pf_size[0])} | {pf_size[1]:,} | {index[0]:.2f} s | {index[2]:.0f} MiB |")
    print()
    print("| studies | query | hub fetched | requests | Pagefind fetched | requests | hub/Pagefind | hub render after data |")
    print("|---|---|---|---|---|---|---|---|")
    for n, *_, queries in rows:
        for q in queries:
            h, f = q["hub"], q["pagefind"]
            print(f"| {n:,} | `{q['word']}` | {kb(h['bytes'])} | {h['requests']} | {kb(f['bytes'])} | {f['requests']} | "
                  f"{h['bytes'] / f['bytes']:.2f} | {h['render_ms']} ms |")


if __name__ == "__main__":
    main()

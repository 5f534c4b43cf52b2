#!/usr/bin/env python3
"""Two hub binaries, the same output? Builds this repository's hub (as committed at a git
revision) and a generated hub with each binary and compares the two trees byte for byte, for
refactorings that must not change a single output byte.

    python3 bench/same-output.py OLD_HUB NEW_HUB [--rev HEAD] [--studies 10000]

Exits 1 and lists the differing files if the outputs differ. SOURCE_DATE_EPOCH is fixed, so
"today" (overdue actions, the pipeline's months) is the same in both builds.
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def tree(path):
    out = {}
    for base, _, files in os.walk(path):
        for f in files:
            p = os.path.join(base, f)
            out[os.path.relpath(p, path)] = p
    return out


def compare(label, a, b):
    ta, tb = tree(a), tree(b)
    differ = sorted(set(ta) ^ set(tb))
    differ += sorted(p for p in set(ta) & set(tb) if not filecmp.cmp(ta[p], tb[p], shallow=False))
    print(f"{label}: {len(ta)} files, {len(differ)} differ")
    for p in differ[:20]:
        print(f"  {p}")
    return not differ


def build(hub, root, out):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764633600")
    r = subprocess.run([hub, "build", "--root", root, "--out", out], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{hub} failed on {root}:\n{r.stderr[-2000:]}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--rev", default="HEAD", help="the revision whose content/ is built")
    p.add_argument("--studies", type=int, default=10000)
    args = p.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as scratch:
        repo = os.path.join(scratch, "repo")
        os.makedirs(repo)
        archive = subprocess.run(["git", "-C", ROOT, "archive", args.rev, "content"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", repo], input=archive, check=True)
        gen = os.path.join(scratch, "gen")
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(args.studies), gen], check=True, capture_output=True)
        for label, root in [("this repository", repo), (f"{args.studies} generated studies", gen)]:
            outs = []
            for i, hub in enumerate([args.old, args.new]):
                out = os.path.join(scratch, f"out-{i}")
                shutil.rmtree(out, ignore_errors=True)
                build(os.path.abspath(hub), root, out)
                outs.append(out)
            ok &= compare(label, *outs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

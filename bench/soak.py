#!/usr/bin/env python3
"""Soak check for `hub serve`: serves a copy of this repository's hub for N minutes while one
thread edits case studies (body, title, outcomes, a broken save and its fix, a new file and its
removal) and others request pages, live-reload streams included. Prints requests, errors and the
server's resident memory over time; exits 1 on any error or if memory keeps growing.

    python3 bench/soak.py [--minutes 10]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HUB = os.path.join(ROOT, "target", "dist", "hub")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--minutes", type=float, default=10)
    a = p.parse_args()
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="hub-soak-")
    root = os.path.join(work, "hub")
    os.makedirs(root)
    shutil.copytree(os.path.join(ROOT, "content"), os.path.join(root, "content"))
    server = subprocess.Popen([HUB, "serve", "--root", root, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = None
    for line in server.stdout:
        if line.startswith("serving "):
            url = line.split()[1].rstrip("/")
            break
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    studies = sorted(f for f in os.listdir(os.path.join(root, "content", "case-studies")) if f.endswith(".md"))
    pages = ["/", "/case-studies/", "/outcomes/", "/coverage/", "/pipeline/", "/actions/", "/search/",
             "/cy/", "/search/en/index.json", "/catalogue.json", "/catalogue.csv", "/sitemap.xml"]
    pages += [f"/case-studies/{s[:-3].replace('.cy', '')}/" for s in studies]
    stop = time.time() + a.minutes * 60
    stats = {"requests": 0, "errors": 0, "edits": 0}
    errors = []
    lock = threading.Lock()

    def fetch():
        rng = random.Random()
        while time.time() < stop:
            path = rng.choice(pages)
            try:
                with urllib.request.urlopen(url + path, timeout=10) as r:
                    r.read()
                    ok = r.status == 200
            except urllib.error.HTTPError as e:
                # A study page can be briefly absent while its file is being replaced.
                ok = e.code == 404 and path.startswith("/case-studies/soak-")
            except Exception as e:  # noqa: BLE001 - any failure is an error of the soak
                ok = False
                errors.append(f"{path}: {e}")
            with lock:
                stats["requests"] += 1
                if not ok:
                    stats["errors"] += 1

    def listen():
        while time.time() < stop:
            try:
                with urllib.request.urlopen(url + "/__hub/events", timeout=30) as r:
                    r.readline()
                    time.sleep(5)
            except Exception:  # noqa: BLE001 - the stream closing on our side is expected
                pass

    def edit():
        rng = random.Random(1)
        n = 0
        while time.time() < stop:
            path = os.path.join(root, "content", "case-studies", rng.choice([s for s in studies if not s.endswith(".cy.md")]))
            with open(path) as f:
                text = f.read()
            kind = n % 5
            if kind == 0:
                new = text + f"\nSoak edit {n}.\n"
            elif kind == 1:
                new = text.replace("title: ", "title: Soak ", 1)
            elif kind == 2:
                new = text.replace("---\n", "---\nbroken: [\n", 1)  # a broken save
            elif kind == 3:
                new = text
                extra = os.path.join(root, "content", "case-studies", f"soak-{n}.md")
                with open(extra, "w") as f:
                    f.write("---\ntitle: Soak study\nsummary: Made by the soak check.\nregion: powys\n"
                            "outcomes: [pcmw-3]\nstatus: pilot\n---\n\nBody.\n")
                time.sleep(0.3)
                os.remove(extra)
            else:
                new = text
            with open(path, "w") as f:
                f.write(new)
            if kind in (1, 2):
                time.sleep(0.3)
                with open(path, "w") as f:
                    f.write(text)  # put it back
            stats["edits"] += 1
            n += 1
            time.sleep(0.5)

    threads = [threading.Thread(target=fetch) for _ in range(4)] + [threading.Thread(target=listen), threading.Thread(target=edit)]
    for t in threads:
        t.start()
    samples = []
    while time.time() < stop:
        samples.append(rss_mib(server.pid))
        time.sleep(10)
    for t in threads:
        t.join()
    samples.append(rss_mib(server.pid))
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)
    first_half = samples[: max(1, len(samples) // 2)]
    second_half = samples[len(samples) // 2:]
    print(f"soak: {a.minutes:g} min, {stats['requests']} requests, {stats['errors']} errors, {stats['edits']} edits")
    print("rss MiB every 10 s: " + " ".join(f"{s:.0f}" for s in samples))
    print(f"rss: start {samples[0]:.0f}, max {max(samples):.0f}, end {samples[-1]:.0f}; "
          f"first-half max {max(first_half):.0f}, second-half max {max(second_half):.0f}")
    for e in errors[:10]:
        print("error:", e)
    growing = max(second_half) > max(first_half) * 1.25 + 8
    sys.exit(1 if stats["errors"] or growing else 0)


if __name__ == "__main__":
    main()

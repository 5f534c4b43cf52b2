#!/usr/bin/env python3
"""Measures `hub serve` on a generated hub: the time from saving one study to the live-reload
event (the median of several edits), beside the time of a full `hub build` of the same hub.

    python3 bench/serve.py [--studies 10000] [--edits 15] [--gap 1.0]

Prints a table; never a pass/fail. Builds hub with the dist profile (as published binaries are) first.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HUB = os.path.join(ROOT, "target", "dist", "hub")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def drain(sock):
    """Discards events already sent (a save can produce more than one)."""
    sock.setblocking(False)
    try:
        while sock.recv(65536):
            pass
    except BlockingIOError:
        pass
    finally:
        sock.setblocking(True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--studies", type=int, default=10000)
    p.add_argument("--edits", type=int, default=15)
    p.add_argument("--gap", type=float, default=1.0, help="seconds between one reload and the next save")
    a = p.parse_args()
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="hub-bench-serve-")
    hub_root = os.path.join(work, "hub")
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(a.studies), hub_root], check=True)

    builds = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([HUB, "build", "--root", hub_root, "--out", os.path.join(work, "out")], check=True,
                       stderr=subprocess.DEVNULL)
        builds.append(time.perf_counter() - t)

    port = free_port()
    server = subprocess.Popen([HUB, "serve", "--root", hub_root, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        while not server.stdout.readline().startswith("serving"):
            pass
        sse = socket.create_connection(("127.0.0.1", port))
        sse.sendall(b"GET /__hub/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        reader = sse.makefile("rb", buffering=0)
        while not reader.readline().startswith(b": connected"):
            pass
        target = os.path.join(hub_root, "content", "case-studies", "study-%05d.md" % (a.studies // 2))
        original = open(target, encoding="utf-8").read()
        times = []
        for i in range(a.edits):
            text = original.replace("## What it achieved", f"## What it achieved\n\nEdit number {i}.", 1)
            drain(sse)
            # Saved as editors do: a temporary file renamed over the study.
            tmp = target + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            t = time.perf_counter()
            os.replace(tmp, target)
            while True:
                line = reader.readline()
                if line.startswith(b"event: "):
                    break
            times.append(time.perf_counter() - t)
            time.sleep(a.gap)
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
    finally:
        server.terminate()
        server.wait()

    full = statistics.median(builds)
    save = statistics.median(times)
    print(f"studies: {a.studies}; machine: {os.cpu_count()} cores")
    print(f"| measure | median | runs |")
    print(f"|---|---|---|")
    print(f"| full `hub build` | {full * 1000:.0f} ms | {len(builds)} |")
    print(f"| save one study → reload event (`hub serve`) | {save * 1000:.0f} ms | {len(times)} |")
    print(f"| ratio save/full | 1/{full / save:.0f} | |")
    print("(save→reload includes the watcher's 25 ms debounce)")


if __name__ == "__main__":
    main()

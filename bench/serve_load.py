#!/usr/bin/env python3
"""A bounded loopback load check of `hub serve`: a few thousand requests from concurrent clients
against this repository's hub, counting errors and latency. Traffic goes to 127.0.0.1 only.

    python3 bench/serve_load.py [--requests 4000] [--clients 16]
"""
import argparse
import http.client
import os
import socket
import statistics
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HUB = os.path.join(ROOT, "target", "dist", "hub")
PATHS = ["/", "/case-studies/", "/case-studies/healthy-homes/", "/cy/case-studies/accurx/", "/outcomes/",
         "/assets/hub.css", "/regions/powys/", "/no/such/page/", "/sitemap.xml", "/catalogue.json"]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--requests", type=int, default=4000)
    p.add_argument("--clients", type=int, default=16)
    a = p.parse_args()
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT, check=True)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    server = subprocess.Popen([HUB, "serve", "--root", ROOT, "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    latencies, errors, lock = [], [], threading.Lock()
    per_client = a.requests // a.clients

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for i in range(per_client):
            path = PATHS[(n + i) % len(PATHS)]
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                ok = r.status == (404 if path.startswith("/no/") else 200)
            except Exception as e:  # noqa: BLE001 - every failure counts
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            with lock:
                latencies.append(time.perf_counter() - t)
                if not ok:
                    errors.append(path)

    try:
        while not server.stdout.readline().startswith("serving"):
            pass
        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        rss = int(open(f"/proc/{server.pid}/status").read().split("VmRSS:")[1].split()[0]) // 1024
    finally:
        server.terminate()
        server.wait()
    lat = sorted(latencies)
    print(f"requests: {len(lat)} from {a.clients} clients; errors: {len(errors)}")
    print(f"throughput: {len(lat) / wall:.0f} req/s; latency p50 {statistics.median(lat) * 1000:.1f} ms, "
          f"p99 {lat[int(len(lat) * 0.99)] * 1000:.1f} ms; server RSS after: {rss} MiB")


if __name__ == "__main__":
    main()

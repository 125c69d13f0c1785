"""Many clients against a real `kg serve` on loopback: how many concurrent queries are answered.

    python bench/serve_bench.py                  # 200 clients, the sample corpus, this tree's server
    python bench/serve_bench.py --clients 500 --slow 100
    python bench/serve_bench.py --rev HEAD~5     # the server as it was at a git revision, for comparison

It builds the sample corpus into a temporary store (or uses --store), starts
`kg serve --port 0` bound to 127.0.0.1, and releases all clients at once
(a barrier); each sends one selective query (the obligations a given body
leads, a different body per client) and waits up to --client-timeout seconds.
With --slow N, N connections first send half a request and stall (slow
clients), and stay open during the burst. All traffic goes to the local
server; nothing else is contacted. Prints one line per figure.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_server(store: Path, args, tree: Path) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--store", str(store), "--port", "0",
           "--timeout", str(args.timeout)]
    if args.workers and tree == ROOT:
        cmd += ["--workers", str(args.workers)]
    env = dict(os.environ, PYTHONPATH=str(tree))
    proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("Serving SPARQL at "):
            url = line.split()[3]
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # drain
            return proc, url
    proc.kill()
    raise SystemExit("the server did not start")


def post(url: str, query: str, timeout: float) -> tuple[int | str, bytes]:
    req = urllib.request.Request(url, data=query.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (OSError, TimeoutError) as exc:
        return type(exc).__name__, b""


def stall(url: str, n: int) -> list[socket.socket]:
    """Open n connections that send half a request and then nothing."""
    parts = urllib.parse.urlsplit(url)
    socks = []
    for _ in range(n):
        s = socket.create_connection((parts.hostname, parts.port), timeout=5)
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n")
        socks.append(s)
    return socks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--slow", type=int, default=0, help="stalled connections held open during the burst")
    ap.add_argument("--store", type=Path, help="a built store (default: the sample corpus, built now)")
    ap.add_argument("--workers", type=int, help="kg serve --workers")
    ap.add_argument("--timeout", type=float, default=30.0, help="kg serve --timeout")
    ap.add_argument("--client-timeout", type=float, default=120.0)
    ap.add_argument("--parsed", action="store_true",
                    help="each query's comment mentions 'from', so the SERVICE/FROM check parses it with rdflib "
                         "(the slow path) instead of seeing neither word")
    ap.add_argument("--rev", help="run the server from this git revision (git archive into a temporary directory)")
    args = ap.parse_args()
    if args.clients > 2000 or args.slow > 1000:
        raise SystemExit("at most 2000 clients and 1000 slow connections")

    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    tree = ROOT
    try:
        if args.rev:
            tree = tmp / "tree"
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.rev], check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        store = args.store
        if store is None:
            store = tmp / "kg-store"
            subprocess.run([sys.executable, "-c", "import cli; cli.main()", "build", "--store", str(store)],
                           cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True, capture_output=True)
        proc, url = start_server(store, args, tree)
        try:
            status, body = post(url, 'SELECT DISTINCT ?label WHERE { ?o egov:leadBy ?b . ?b skos:prefLabel ?label } '
                                     'ORDER BY ?label', 60)
            labels = [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]
            queries = [f'SELECT ?o WHERE {{ ?o egov:leadBy ?b . ?b skos:prefLabel "{labels[i % len(labels)]}"@zh }}'
                       f' # {"from " if args.parsed else ""}client {i}' for i in range(args.clients)]
            slow = stall(url, args.slow) if args.slow else []
            results: list = [None] * args.clients
            barrier = threading.Barrier(args.clients + 1)

            def client(i: int) -> None:
                barrier.wait()
                t = time.monotonic()
                status, body = post(url, queries[i], args.client_timeout)
                ok = status == 200 and "results" in json.loads(body or b"{}")
                results[i] = (status, ok, time.monotonic() - t)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            for t in threads:
                t.start()
            barrier.wait()
            start = time.monotonic()
            for t in threads:
                t.join()
            wall = time.monotonic() - start
            import select

            # the server closes a stalled connection --read-timeout (10 s) after it connected
            slow_open = sum(1 for c in slow if not select.select([c], [], [], 0)[0])
            for c in slow:
                c.close()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        answered = sum(1 for r in results if r[1])
        failures: dict = {}
        for r in results:
            if not r[1]:
                failures[str(r[0])] = failures.get(str(r[0]), 0) + 1
        lat = sorted(r[2] for r in results)
        print(f"server: {'git ' + args.rev if args.rev else 'this tree'}; store: {store}")
        print(f"clients: {args.clients} concurrent selective queries"
              f"{', each parsed by rdflib' if args.parsed else ''} ({args.slow} stalled connections held open)")
        print(f"answered: {answered}/{args.clients} ({100 * answered / args.clients:.1f} %)"
              + (f"; failed: {failures}" if failures else ""))
        print(f"wall time: {wall:.2f} s; latency p50 {statistics.median(lat):.2f} s, "
              f"p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} s, max {lat[-1]:.2f} s")
        if slow:
            print(f"stalled connections still open after the burst: {slow_open}/{len(slow)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Issue 14: a SPARQL endpoint safe to leave running, tested against real `kg serve` processes on loopback.

1. SERVICE is refused (400) by the server and by `kg query`, and nothing is sent:
   a local listener counts every connection; with --allow-service the same
   listener does receive the request, and one that never answers costs --timeout.
2. A COUNT or ORDER BY over a cross join stops at --timeout or at the memory
   ceiling with 503, and its evaluation is cancelled (the worker process is
   replaced; no process keeps a core busy); so is a query whose client left.
3. 200 concurrent selective queries are all answered; stalled connections hold no thread.
4. FROM / FROM NAMED (and default-graph-uri / named-graph-uri) select graphs.
5. --timeout 0 means no limit in both kg serve and kg query.

All traffic goes to 127.0.0.1 listeners started here, bounded in count and time.
"""
from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = sys.platform.startswith("linux")
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } GRAPH ?g3 { ?x ?y ?z } }"
CROSS_SORT = "SELECT ?a ?d WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } } ORDER BY ?a ?d LIMIT 1"


# --------------------------------------------------------------------------- helpers

class Listener:
    """A TCP listener on 127.0.0.1 that records every connection and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.requests: list[bytes] = []
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set() and len(self._conns) < 50:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            self._conns.append(conn)
            conn.settimeout(2)
            try:
                self.requests.append(conn.recv(65536))
            except OSError:
                self.requests.append(b"")

    @property
    def connections(self) -> int:
        return len(self._conns)

    def close(self):
        self._stop.set()
        self._thread.join(5)
        for c in self._conns:
            c.close()
        self.sock.close()


class Server:
    """`kg serve --port 0` in a subprocess; ``url`` is its /sparql endpoint."""

    def __init__(self, store: Path, log: Path, *options: str):
        cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--store", str(store), "--port", "0", *options]
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log,
                                     env=dict(os.environ, PYTHONPATH=str(ROOT)), text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in self.proc.stdout], daemon=True).start()
        deadline = time.monotonic() + 60
        self.url = None
        while time.monotonic() < deadline and self.url is None:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if line.startswith("Serving SPARQL at "):
                self.url = line.split()[3]
        if self.url is None:
            self.close()
            pytest.fail(f"kg serve did not start: {log.read_text()[-2000:]}")
        self.port = int(urllib.parse.urlsplit(self.url).port)

    def workers(self) -> set[int]:
        """Process ids of the server's query workers (its child processes)."""
        out = set()
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.proc.pid:
                    out.add(int(d.name))
        return out

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def cpu_seconds(pids) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def http(url, query=None, *, method="POST", accept="application/sparql-results+json", params=None, timeout=60,
         headers=None):
    hdrs = {"Accept": accept, **(headers or {})}
    if method == "GET":
        qs = dict(params or {})
        if query is not None:
            qs["query"] = query
        req = urllib.request.Request(url + "?" + urllib.parse.urlencode(qs, doseq=True), headers=hdrs)
    else:
        hdrs["Content-Type"] = "application/sparql-query"
        target = url + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        req = urllib.request.Request(target, data=query.encode("utf-8"), headers=hdrs, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# --------------------------------------------------------------------------- fixtures

@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def strict(sample_store_path, tmp_path_factory):
    """The defaults' shape with small limits: 2 s, 256 MiB, 2 workers, 3 s to send a request."""
    srv = Server(sample_store_path, tmp_path_factory.mktemp("strict") / "serve.log",
                 "--timeout", "2", "--memory", "256", "--workers", "2", "--read-timeout", "3")
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def graphs(sample_store_path):
    import pyoxigraph as ox

    st = ox.Store.read_only(str(sample_store_path))
    sizes = {g.value: len(list(st.quads_for_pattern(None, None, None, g))) for g in st.named_graphs()}
    return sizes


# --------------------------------------------------------------------------- 1. SERVICE

SERVICE_FORMS = {
    "plain": "SELECT * WHERE { SERVICE <{u}> { ?s ?p ?o } }",
    "lowercase-silent": "select * where { service silent <{u}> { ?s ?p ?o } }",
    "optional": "SELECT * WHERE { ?x a egov:Obligation OPTIONAL { SERVICE <{u}> { ?x ?p ?o } } } LIMIT 1",
    "filter-exists": "ASK { ?x a egov:Obligation FILTER EXISTS { SERVICE <{u}> { ?x ?p ?o } } }",
    "subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{u}> { ?s ?p ?o } } } }",
    "variable": "SELECT * WHERE { VALUES ?svc { <{u}> } SERVICE ?svc { ?s ?p ?o } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{u}> { ?s ?p ?o } }",
    "quote-in-filter": "SELECT * WHERE { BIND(1 AS ?x) FILTER(?x<'a>') SERVICE <{u}> { ?s ?p ?o } FILTER(?y='z') }",
    "sparql-star": "SELECT * WHERE { << ?a ?b ?c >> ?p ?o . SERVICE <{u}> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("form", sorted(SERVICE_FORMS))
@pytest.mark.parametrize("how", ["img-get", "post"])
def test_service_is_refused_and_nothing_is_sent(strict, listener, form, how):
    q = SERVICE_FORMS[form].replace("{u}", listener.url)
    if how == "img-get":  # what an <img src=…> on any page sends: a GET with no Origin
        status, body = http(strict.url, q, method="GET", accept="image/*")
    else:
        status, body = http(strict.url, q)
    assert status == 400, body
    assert b"SERVICE is refused" in body and b"--allow-service" in body
    time.sleep(0.2)
    assert listener.connections == 0


def test_kg_query_refuses_service(sample_store_path, listener):
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    for fmt in ("table", "csv"):  # the in-memory path and the streaming path
        r = runner.invoke(app, ["query", "--store", str(sample_store_path), "--format", fmt,
                                f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"])
        assert r.exit_code == 1
        assert "SERVICE is refused" in r.output
    r = runner.invoke(app, ["query", "--store", str(sample_store_path), "--timeout", "2",
                            f"ASK {{ FILTER NOT EXISTS {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }} }}"])
    assert r.exit_code == 1 and "SERVICE is refused" in r.output
    time.sleep(0.2)
    assert listener.connections == 0


@pytest.mark.skipif(not LINUX, reason="the socket filter is Linux-only")
def test_query_workers_cannot_open_sockets(sample_store_path, listener):
    """Defence in depth: even a SERVICE the parser missed cannot leave a worker."""
    code = ("import sys, pyoxigraph as ox; from kg.serve import _deny_sockets\n"
            "if not _deny_sockets(): print('unavailable'); sys.exit(0)\n"
            f"st = ox.Store.read_only({str(sample_store_path)!r})\n"
            "try:\n"
            f"    list(st.query('SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'))\n"
            "    print('sent')\n"
            "except OSError as exc:\n"
            "    print('refused', exc)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                         capture_output=True, text=True, timeout=60).stdout
    if out.startswith("unavailable"):
        pytest.skip("seccomp is not available here")
    assert out.startswith("refused"), out
    time.sleep(0.2)
    assert listener.connections == 0


def test_allow_service_federates_and_a_silent_host_costs_the_timeout(sample_store_path, tmp_path, listener):
    srv = Server(sample_store_path, tmp_path / "serve.log", "--timeout", "2", "--workers", "1", "--allow-service")
    try:
        t = time.monotonic()
        status, body = http(srv.url, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        elapsed = time.monotonic() - t
        assert status == 503 and b"timeout" in body, body
        assert elapsed < 6
        assert listener.connections == 1  # the listener does see requests when SERVICE is allowed
        assert listener.requests[0].startswith(b"POST /sparql")
        assert http(srv.url, "ASK { ?s ?p ?o }")[0] == 200  # and the server goes on
    finally:
        srv.close()


# --------------------------------------------------------------------------- 2. runaway work

@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_count_over_a_cross_join_stops_at_the_timeout(strict):
    before = strict.workers()
    assert len(before) == 2
    t = time.monotonic()
    status, body = http(strict.url, CROSS_COUNT)
    elapsed = time.monotonic() - t
    assert status == 503, body
    assert b"timeout" in body and b"cancelled" in body
    assert 1.5 < elapsed < 6
    # the worker that evaluated it is gone, and a fresh one took its place
    assert wait_for(lambda: len(strict.workers()) == 2 and strict.workers() != before, 30)
    assert len(before - strict.workers()) == 1
    time.sleep(2)  # the replacement's start-up
    pids = strict.workers()
    used = cpu_seconds(pids)
    time.sleep(1.0)
    assert cpu_seconds(pids) - used < 0.3  # nothing keeps evaluating
    assert http(strict.url, "ASK { ?s ?p ?o }")[0] == 200


@pytest.mark.skipif(not LINUX, reason="the memory ceiling is an address-space limit of Linux processes")
def test_order_by_over_a_cross_join_hits_the_memory_ceiling(sample_store_path, tmp_path):
    srv = Server(sample_store_path, tmp_path / "serve.log", "--timeout", "60", "--memory", "256", "--workers", "1")
    try:
        t = time.monotonic()
        status, body = http(srv.url, CROSS_SORT)
        assert status == 503, body
        assert b"memory ceiling" in body and b"256 MiB" in body
        assert time.monotonic() - t < 30  # about 0.5 s on an idle machine
        rss_kib = int(next(line.split()[1] for line in Path(f"/proc/{srv.proc.pid}/status").read_text().splitlines()
                           if line.startswith("VmRSS")))
        assert rss_kib < 400 * 1024  # the server itself did not grow
        status, body = http(srv.url, "SELECT (COUNT(*) AS ?n) WHERE { ?o a egov:Obligation }")
        assert status == 200 and count(body) == 163  # a fresh worker answers
    finally:
        srv.close()


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_a_query_whose_client_left_is_cancelled(sample_store_path, tmp_path):
    srv = Server(sample_store_path, tmp_path / "serve.log", "--timeout", "0", "--workers", "1")  # no time limit
    try:
        before = srv.workers()
        body = CROSS_COUNT.encode()
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as c:
            c.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            time.sleep(0.5)
        assert wait_for(lambda: srv.workers() and srv.workers() != before, 5)
        time.sleep(2)
        pids = srv.workers()
        used = cpu_seconds(pids)
        time.sleep(1.0)
        assert cpu_seconds(pids) - used < 0.3
    finally:
        srv.close()


# --------------------------------------------------------------------------- 3. many clients

def test_200_concurrent_selective_queries_are_all_answered(strict):
    status, body = http(strict.url, "SELECT DISTINCT ?label WHERE { ?o egov:leadBy ?b . ?b skos:prefLabel ?label }")
    labels = [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert labels
    n = 200
    results: list = [None] * n
    barrier = threading.Barrier(n)

    def client(i):
        q = (f'SELECT (COUNT(?o) AS ?n) WHERE {{ ?o egov:leadBy ?b . ?b skos:prefLabel "{labels[i % len(labels)]}"@zh }}'
             f" # {i}")
        barrier.wait()
        try:
            results[i] = http(strict.url, q, timeout=60)
        except OSError as exc:
            results[i] = (type(exc).__name__, b"")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    statuses = [r[0] if r else None for r in results]
    assert statuses.count(200) == n, {s: statuses.count(s) for s in set(statuses)}
    assert all(count(r[1]) > 0 for r in results)


def test_stalled_connections_hold_no_thread_and_are_cut_off(strict):
    stalled = []
    try:
        for _ in range(100):  # more than the server's 64 connection threads
            c = socket.create_connection(("127.0.0.1", strict.port), timeout=5)
            c.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n")
            stalled.append(c)
        t = time.monotonic()
        status, body = http(strict.url, "SELECT (COUNT(*) AS ?n) WHERE { ?o a egov:Obligation }", timeout=30)
        assert status == 200 and count(body) == 163
        assert time.monotonic() - t < 2.0  # well before the stalled connections' 3 s read timeout
        for c in stalled:  # --read-timeout 3: the server closes them all
            c.settimeout(10)
            assert c.recv(1) == b""
    finally:
        for c in stalled:
            c.close()


# --------------------------------------------------------------------------- 4. FROM / FROM NAMED

def test_from_and_from_named_select_graphs(strict, graphs):
    total = sum(graphs.values())
    doc = next(g for g in sorted(graphs) if "/doc/" in g)
    other = next(g for g in sorted(graphs) if "/doc/" in g and g != doc)
    q = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    assert count(http(strict.url, q.format(""))[1]) == total
    assert count(http(strict.url, q.format(f"FROM <{doc}>"))[1]) == graphs[doc]
    assert count(http(strict.url, q.format(f"FROM <{doc}> FROM <{other}>"))[1]) == graphs[doc] + graphs[other]
    assert count(http(strict.url, q.format("FROM <urn:none>"))[1]) == 0
    assert count(http(strict.url, q.format(f"FROM NAMED <{doc}>"))[1]) == 0  # no FROM: an empty default graph
    named = f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{doc}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    rows = json.loads(http(strict.url, named)[1])["results"]["bindings"]
    assert [(r["g"]["value"], int(r["n"]["value"])) for r in rows] == [(doc, graphs[doc])]
    # the protocol's dataset parameters, which take precedence over the query's
    status, body = http(strict.url, q.format("FROM <urn:none>"), params={"default-graph-uri": doc})
    assert status == 200 and count(body) == graphs[doc]
    status, body = http(strict.url, named.replace(f"FROM NAMED <{doc}> ", ""), method="GET",
                        params={"named-graph-uri": other})
    rows = json.loads(body)["results"]["bindings"]
    assert [(r["g"]["value"], int(r["n"]["value"])) for r in rows] == [(other, graphs[other])]


def test_kg_query_honours_from(sample_store_path, graphs):
    from typer.testing import CliRunner

    from cli import app

    doc = next(g for g in sorted(graphs) if "/doc/" in g)
    runner = CliRunner()
    for fmt in ("csv", "table"):
        for clause, expected in ((f"FROM <{doc}>", graphs[doc]), ("FROM <urn:none>", 0), ("", sum(graphs.values()))):
            r = runner.invoke(app, ["query", "--store", str(sample_store_path), "--format", fmt,
                                    f"SELECT (COUNT(*) AS ?n) {clause} WHERE {{ ?s ?p ?o }}"])
            assert r.exit_code == 0, r.output
            assert str(expected) in r.stdout.split() or f" {expected} " in r.stdout, (clause, r.stdout)


# --------------------------------------------------------------------------- 5. --timeout 0

def test_timeout_zero_means_no_limit_in_both_commands(sample_store_path, graphs):
    from typer.testing import CliRunner

    from cli import app

    doc = next(g for g in sorted(graphs) if "/doc/" in g and graphs[g] > 2500)
    slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc}> {{ ?a ?b ?c }} GRAPH <{doc}> {{ ?d ?e ?f }} }}"
    runner = CliRunner()
    store = ["--store", str(sample_store_path)]
    r = runner.invoke(app, ["query", *store, "--format", "csv", "--timeout", "0.05", slow])
    assert r.exit_code == 1 and "timeout" in r.output
    r = runner.invoke(app, ["query", *store, "--format", "csv", "--timeout", "0", slow])
    assert r.exit_code == 0, r.output
    assert r.stdout.split() == ["n", str(graphs[doc] ** 2)]
    path = "/sparql?" + urllib.parse.urlencode({"query": slow, "format": "csv"})
    r = runner.invoke(app, ["serve", *store, "--timeout", "0.05", "--get", path])
    assert r.exit_code == 1 and "timeout" in r.output
    r = runner.invoke(app, ["serve", *store, "--timeout", "0", "--get", path])
    assert r.exit_code == 0, r.output
    assert r.stdout.split() == ["n", str(graphs[doc] ** 2)]
    assert runner.invoke(app, ["query", *store, "--timeout", "-1", "ASK {}"]).exit_code == 2
    assert runner.invoke(app, ["serve", *store, "--timeout", "-1", "--get", "/"]).exit_code == 2

"""EndpointStore against a real Oxigraph server: same answers as the embedded store."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
if not OXIGRAPH.exists():
    OXIGRAPH = Path(shutil.which("oxigraph") or "/nonexistent/oxigraph")

pytestmark = pytest.mark.skipif(not OXIGRAPH.exists(), reason="the `oxigraph` server binary is not installed "
                                                             "(pip install oxigraph)")

QUERIES = {
    "obligations": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a egov:Obligation }",
    "owners_per_document": """
        SELECT ?d (COUNT(DISTINCT ?b) AS ?owners) (COUNT(DISTINCT ?o) AS ?obls) WHERE {
          GRAPH ?g { ?d a egov:PolicyDocument . ?o a egov:Obligation .
                     OPTIONAL { ?o egov:hasOwnership/egov:body ?b } }
        } GROUP BY ?d ORDER BY ?d""",
    "lead_bodies": """
        SELECT ?b (COUNT(?o) AS ?n) WHERE { ?o egov:leadBy ?b } GROUP BY ?b ORDER BY DESC(?n) ?b""",
    "reporting_chain": """
        SELECT DISTINCT ?a ?b WHERE { ?a egov:supports ?b } ORDER BY ?a ?b""",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "ask": "ASK { ?o a egov:Obligation ; egov:leadBy ?b }",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory):
    port = _free_port()
    loc = tmp_path_factory.mktemp("oxigraph-server")
    log = open(loc.parent / "oxigraph.log", "wb")
    proc = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(loc / "db"),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # bounded: at most ~10 s
            if proc.poll() is not None:
                pytest.skip(f"oxigraph server exited: {(loc.parent / 'oxigraph.log').read_text()[-500:]}")
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.skip("oxigraph server did not answer within 10 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def stores(oxigraph_url, tmp_path_factory):
    from kg.build import SAMPLE_CORPUS, build
    from kg.endpoint import EndpointStore
    from kg.store import open_store

    remote = EndpointStore(oxigraph_url)
    report_remote = build([SAMPLE_CORPUS], remote)
    path = tmp_path_factory.mktemp("embedded") / "kg-store"
    local = open_store(path, read_only=False)
    report_local = build([SAMPLE_CORPUS], local)
    assert report_remote.obligations == report_local.obligations
    yield remote, local
    local.close()


def _rows(result):
    if result.kind == "ask":
        return result.boolean
    return [tuple(r[v] for v in result.variables) for r in result.values()]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_answers(stores, name):
    remote, local = stores
    assert _rows(remote.query(QUERIES[name])) == _rows(local.query(QUERIES[name]))


def test_obligation_count(stores):
    remote, _ = stores
    assert int(remote.query(QUERIES["obligations"]).rows[0]["n"]) == 163


def test_sizes_graphs_and_quads(stores):
    remote, local = stores
    assert len(remote) == len(local)
    assert remote.graphs() == local.graphs()

    def ground(quads):
        from rdflib import BNode

        return sorted(tuple(map(str, q)) for q in quads if not any(isinstance(t, BNode) for t in q))

    assert ground(remote.quads()) == ground(local.quads())


def test_export_json_equal(stores):
    from kg.export import export_json

    remote, local = stores
    a, b = export_json(remote), export_json(local)
    assert len(a["documents"]) == len(b["documents"]) == 5
    assert len(a["obligations"]) == len(b["obligations"])
    assert a == b


def test_construct_and_bindings(stores):
    from rdflib import Literal, URIRef

    remote, local = stores
    q = "CONSTRUCT { ?o egov:leadBy ?b } WHERE { ?o egov:leadBy ?b }"
    assert {t for t in remote.query(q).triples} == {t for t in local.query(q).triples}
    doc = local.query("SELECT ?d WHERE { ?d a egov:PolicyDocument } ORDER BY ?d LIMIT 1").rows[0]["d"]
    q = "SELECT ?d ?o WHERE { GRAPH ?g { ?d a egov:PolicyDocument . ?o a egov:Obligation } } ORDER BY ?o"
    assert remote.query(q, bindings={"d": URIRef(doc)}).rows
    assert _rows(remote.query(q, bindings={"d": URIRef(doc)})) == _rows(local.query(q, bindings={"d": URIRef(doc)}))
    q = "SELECT ?o ?k WHERE { ?o a egov:Obligation ; egov:ordinal ?k } ORDER BY ?o"
    k = Literal(1)
    assert remote.query(q, bindings={"k": k}).rows
    assert _rows(remote.query(q, bindings={"k": k})) == _rows(local.query(q, bindings={"k": k}))


def test_replace_and_remove_graph(stores):
    from rdflib import Literal, URIRef

    remote, _ = stores
    g = "urn:test:graph"
    t = (URIRef("urn:test:s"), URIRef("urn:test:p"), Literal("值\n\"quoted\"", lang="zh"))
    assert remote.replace_graph(g, [t]) == 1
    assert remote.query("SELECT ?o WHERE { GRAPH <urn:test:graph> { ?s ?p ?o } }").rows[0]["o"] == t[2]
    assert remote.replace_graph(g, [(t[0], t[1], Literal(2))]) == 1
    assert len(remote.query("SELECT ?o WHERE { GRAPH <urn:test:graph> { ?s ?p ?o } }").rows) == 1
    assert remote.remove_graph(g) is True
    assert remote.remove_graph(g) is False
    assert g not in remote.graphs()


def test_errors(stores):
    from kg.endpoint import EndpointStore
    from kg.store import QueryError, StoreError

    remote, _ = stores
    with pytest.raises(QueryError, match="400"):
        remote.query("SELEC ?x")
    with pytest.raises(StoreError, match="cannot reach"):
        EndpointStore(f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(StoreError, match="not an http"):
        EndpointStore("ftp://example.org/sparql", check=False)


def test_derive_urls():
    from kg.endpoint import derive_urls

    assert derive_urls("http://127.0.0.1:7878") == (
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    assert derive_urls("http://h:3030/ds/sparql") == ("http://h:3030/ds/sparql", "http://h:3030/ds/update",
                                                      "http://h:3030/ds/data")
    assert derive_urls("http://h:7200/repositories/kg") == (
        "http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
        "http://h:7200/repositories/kg/rdf-graphs/service")
    assert derive_urls("http://h/q", gsp_url="http://h/gsp")[2] == "http://h/gsp"


def test_cli_build_and_query(oxigraph_url, stores):
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["build", "--endpoint", oxigraph_url])
    assert r.exit_code == 0, r.output
    assert "5 unchanged" in r.output
    r = runner.invoke(app, ["query", "--endpoint", oxigraph_url, "--format", "csv", QUERIES["obligations"]])
    assert r.exit_code == 0, r.output
    assert r.stdout.split() == ["n", "163"]
    r = runner.invoke(app, ["query", "--endpoint", oxigraph_url, "SELEC"])
    assert r.exit_code == 1
    r = runner.invoke(app, ["query", "--endpoint", f"http://127.0.0.1:{_free_port()}", "ASK {}"])
    assert r.exit_code == 1 and "cannot reach" in r.output

"""kg serve: the read-only SPARQL 1.1 Protocol endpoint over the embedded store."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

OBLIGATIONS = "SELECT (COUNT(?o) AS ?n) WHERE { ?o a egov:Obligation }"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    from kg.build import SAMPLE_CORPUS, build
    from kg.store import open_store

    path = tmp_path_factory.mktemp("serve") / "kg-store"
    st = open_store(path, read_only=False)
    build([SAMPLE_CORPUS], st)
    st.close()
    return path


@pytest.fixture(scope="session")
def server(built_store):
    from kg.serve import make_server

    srv = make_server(built_store, "127.0.0.1", 0, timeout=30)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()
    srv.app.close()


@pytest.fixture(scope="session")
def expected(built_store, server):
    """Answers computed in-process with the same read-only store the server uses."""
    import pyoxigraph as ox
    from kg.namespace import PREFIXES

    st = ox.Store.read_only(str(built_store))
    n_obl = int(next(iter(st.query(OBLIGATIONS, prefixes=PREFIXES, use_default_graph_as_union=True)))["n"].value)
    return {"obligations": n_obl, "triples": len(st)}


def _http(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _count(server):
    status, _, body = _http(server + "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}),
        headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_obligation_count_is_the_sample_corpus(expected):
    assert expected["obligations"] == 163


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_sparqlwrapper_formats(server, expected, fmt):
    from SPARQLWrapper import SPARQLWrapper
    import SPARQLWrapper as sw

    w = SPARQLWrapper(server + "/sparql")
    w.setQuery(OBLIGATIONS)
    w.setReturnFormat(getattr(sw, fmt))
    res = w.query().convert()
    if fmt == "JSON":
        n = int(res["results"]["bindings"][0]["n"]["value"])
    elif fmt == "XML":
        n = int(res.getElementsByTagName("literal")[0].firstChild.data)
    else:
        text = res.decode("utf-8") if isinstance(res, bytes) else res
        lines = text.strip().splitlines()
        assert lines[0].strip() in ("n", "?n")
        cell = lines[1].strip()
        n = int(cell.split("^^")[0].strip('"'))
    assert n == expected["obligations"]


def test_sparqlwrapper_post_and_ask(server):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    w = SPARQLWrapper(server + "/sparql")
    w.setMethod(POST)
    w.setReturnFormat(JSON)
    w.setQuery("ASK { ?o a egov:Obligation ; egov:leadBy ?b }")
    assert w.query().convert()["boolean"] is True
    w.setQuery("ASK { ?o a egov:NoSuchClass }")
    assert w.query().convert()["boolean"] is False


def test_rdflib_sparqlstore(server, expected):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    from kg.namespace import EGOV_NS

    g = Graph(store=SPARQLStore(server + "/sparql", returnFormat="xml"))
    rows = list(g.query("PREFIX egov: <%s> SELECT (COUNT(?o) AS ?n) WHERE { ?o a egov:Obligation }" % EGOV_NS))
    assert int(rows[0][0]) == expected["obligations"]
    g2 = Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"))
    docs = list(g2.query("PREFIX egov: <%s> SELECT ?d WHERE { ?d a egov:PolicyDocument }" % EGOV_NS))
    assert len(docs) == 5


def test_construct_turtle_and_ntriples(server):
    q = "CONSTRUCT { ?o a egov:Obligation } WHERE { ?o a egov:Obligation } LIMIT 3"
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
        status, headers, body = _http(server + "/sparql", q.encode(), {
            "Content-Type": "application/sparql-query", "Accept": accept}, "POST")
        assert status == 200 and headers["Content-Type"].startswith(accept)
        from rdflib import Graph

        assert len(Graph().parse(data=body.decode(), format=fmt)) == 3


def test_form_post_and_format_param(server, expected):
    data = urllib.parse.urlencode({"query": OBLIGATIONS, "format": "csv"}).encode()
    status, headers, body = _http(server + "/sparql", data,
                                  {"Content-Type": "application/x-www-form-urlencoded"}, "POST")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode().split() == ["n", str(expected["obligations"])]


@pytest.mark.parametrize("how", ["update-body", "update-form", "update-as-query", "update-get"])
def test_updates_are_forbidden(server, expected, how):
    before = _count(server)
    upd = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    if how == "update-body":
        r = _http(server + "/sparql", upd.encode(), {"Content-Type": "application/sparql-update"}, "POST")
    elif how == "update-form":
        r = _http(server + "/sparql", urllib.parse.urlencode({"update": upd}).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded"}, "POST")
    elif how == "update-as-query":
        r = _http(server + "/sparql", upd.encode(), {"Content-Type": "application/sparql-query"}, "POST")
    else:
        r = _http(server + "/sparql?" + urllib.parse.urlencode({"query": "DROP ALL"}))
    assert r[0] == 403
    assert _count(server) == before == expected["triples"]


def test_sparqlwrapper_update_is_forbidden(server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException
    import urllib.error as ue

    w = SPARQLWrapper(server + "/sparql")
    w.setMethod(POST)
    w.setQuery("CLEAR ALL")
    with pytest.raises((SPARQLWrapperException, ue.HTTPError)) as info:
        w.query()
    assert "403" in str(info.value) or getattr(info.value, "code", None) == 403


def test_syntax_error_is_400(server):
    status, _, body = _http(server + "/sparql?" + urllib.parse.urlencode({"query": "SELEC ?x WHERE {"}))
    assert status == 400
    assert b"syntax" in body.lower()


def test_foreign_host_and_origin_are_refused(server):
    q = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    assert _http(server + q, headers={"Host": "evil.example"})[0] == 403
    assert _http(server + q, headers={"Origin": "http://evil.example"})[0] == 403
    assert _http(server + q, headers={"Host": "localhost:1234", "Origin": "http://127.0.0.1:1234"})[0] == 200


def test_explicit_host_allows_other_hosts(built_store):
    from kg.serve import make_app

    app = make_app(built_store, allow_remote=True)
    try:
        environ_path = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
        import io

        from wsgiref.util import setup_testing_defaults

        env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": environ_path.split("?", 1)[1],
               "HTTP_HOST": "kg.example.org", "wsgi.input": io.BytesIO()}
        setup_testing_defaults(env)
        assert app.respond(env)[0].startswith("200")
    finally:
        app.close()


def test_query_page(server):
    status, headers, body = _http(server + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "http://" not in page and "https://" not in page
    assert "<textarea" in page and "fetch(" in page and "innerHTML" not in page
    assert "<script src" not in page and "<link" not in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    # embedded data parses back to the PREFIX lines and the named queries
    start = page.index('<script type="application/json" id="data">') + len('<script type="application/json" id="data">')
    data = json.loads(page[start:page.index("</script>", start)])
    assert "PREFIX egov: <https://w3id.org/envgov-kg/ontology#>" in data["prologue"]
    from kg.queries import list_queries

    assert [q["name"] for q in data["queries"]] == [q.name for q in list_queries()]


def test_page_escapes_named_queries(monkeypatch, built_store):
    import kg.queries
    from kg.queries import NamedQuery
    from kg.serve import make_app

    evil = NamedQuery("x", "<img src=x onerror=alert(1)>", "</script><b>", (), {}, "SELECT * { ?s ?p ?o } # </script>")
    monkeypatch.setattr(kg.queries, "list_queries", lambda: [evil])
    app = make_app(built_store)
    try:
        page = app.handle_path("/")[2].decode()
    finally:
        app.close()
    assert "<img" not in page and "</script><b>" not in page
    assert page.count("</script>") == 2


def test_cli_get(built_store, expected):
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    path = "/sparql?" + urllib.parse.urlencode({"query": OBLIGATIONS, "format": "json"})
    r = runner.invoke(app, ["serve", "--store", str(built_store), "--get", path])
    assert r.exit_code == 0, r.output
    assert int(json.loads(r.stdout)["results"]["bindings"][0]["n"]["value"]) == expected["obligations"]
    r = runner.invoke(app, ["serve", "--store", str(built_store), "--get", "/sparql?query=SELEC"])
    assert r.exit_code == 1
    r = runner.invoke(app, ["serve", "--store", str(built_store), "--get",
                            "/sparql?" + urllib.parse.urlencode({"query": "CLEAR ALL"})])
    assert r.exit_code == 1

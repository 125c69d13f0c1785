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


def _serving(store_path, **options):
    """Serve the store on a free loopback port in a thread: yields its base URL, then stops it."""
    from kg.serve import make_server

    srv = make_server(store_path, "127.0.0.1", 0, timeout=30, **options)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()
    srv.app.close()


@pytest.fixture(scope="session")
def server(built_store):
    yield from _serving(built_store)


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
    import re

    # only this server's files: no other origin, no inline script, no innerHTML in our script
    urls = re.findall(r'(?:src|href|action)="([^"]*)"', page)
    assert [u.split("?")[0] for u in urls] == ["data:,", "static/query.css", "static/codemirror.js", "static/query.js"]
    assert re.findall(r"<script(?: [^>]*)?>", page) == [
        '<script type="application/json" id="data">', *re.findall(r'<script src="static/[a-z]+\.js\?v=\w+">', page)]
    assert len(re.findall(r'<script src=', page)) == 2
    assert "innerHTML" not in _http(server + "/static/query.js")[2].decode()
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self';" in csp and "unsafe-inline" not in csp
    # embedded data: the prefixes (shown beside the editor, not in it) and the named queries with parameters
    start = page.index('<script type="application/json" id="data">') + len('<script type="application/json" id="data">')
    data = json.loads(page[start:page.index("</script>", start)])
    from kg.namespace import PREFIXES
    from kg.queries import list_queries

    assert data["prefixes"] == PREFIXES and "PREFIX" not in data["example"]
    assert [q["name"] for q in data["queries"]] == [q.name for q in list_queries()]
    chain = next(q for q in data["queries"] if q["name"] == "reporting_chain")
    assert chain["parameters"] == ["body"] and chain["defaults"] == {"body": "漳州市生态环境局"}


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
    assert page.count("</script>") == 3  # the data and the two scripts


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


# --------------------------------------------------------------------------- $name=value parameters (issue 11)

def _named_text(name):
    from kg.queries import load_query

    return load_query(name).text


def _rows(server, params, method="GET"):
    data = urllib.parse.urlencode(params)
    if method == "GET":
        r = _http(server + "/sparql?" + data, headers={"Accept": "application/sparql-results+json"})
    else:
        r = _http(server + "/sparql", data.encode(), {"Content-Type": "application/x-www-form-urlencoded",
                                                       "Accept": "application/sparql-results+json"}, "POST")
    return r[0], (json.loads(r[2])["results"]["bindings"] if r[0] == 200 else r[2].decode())


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_dollar_parameters_bind_named_query_variables(server, method):
    """Regression (issue 11): reporting_chain and owners_of_instrument gave 0 rows with ?body unbound."""
    text = _named_text("reporting_chain")
    assert _rows(server, {"query": text}, method) == (200, [])
    status, rows = _rows(server, {"query": text, "$body": "县市人民政府"}, method)
    assert status == 200 and len(rows) == 2
    assert {r["body"]["value"] for r in rows} == {"县市人民政府"}
    assert {r["reportsTo"]["value"] for r in rows} == {"伊犁哈萨克自治州人民政府", "伊犁哈萨克自治州党委"}
    status, rows = _rows(server, {"query": _named_text("owners_of_instrument"), "$instrument": "排污许可"}, method)
    assert status == 200 and len(rows) == 15


@pytest.mark.parametrize("value, expect", [
    ('"县市人民政府"', 2),                       # an N-Triples literal, as RDF4J's $var= takes
    ('"县市人民政府"@zh', 2),                    # the query compares STR()
    ('x" } UNION { ?b ?p ?label . BIND("y', 0),  # stays one literal
    ("<https://w3id.org/envgov-kg/id/body/x>", 0),
])
def test_dollar_parameter_values_are_terms(server, value, expect):
    status, rows = _rows(server, {"query": _named_text("reporting_chain"), "$body": value})
    assert status == 200 and len(rows) == expect, rows


@pytest.mark.parametrize("params, message", [
    ({"$body": "<not an iri>"}, "bad parameter: '<not an iri>' is not a valid IRI"),
    ({"$body": '"unterminated'}, "bad parameter: '\"unterminated' is not a valid N-Triples literal"),
    ({"$bo dy": "x"}, "bad parameter: 'bo dy' is not a SPARQL variable name"),
])
def test_bad_dollar_parameters_are_400(server, params, message):
    status, body = _rows(server, {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", **params})
    assert status == 400 and body.startswith(message), body


def test_bind_values_places_the_block_in_the_where_group():
    from rdflib import Literal

    from kg.queries import bind_values

    b = {"x": Literal('a"}')}
    assert bind_values("# WHERE { in a comment\nSELECT ?x WHERE { ?s ?p ?x }", b) == \
        '# WHERE { in a comment\nSELECT ?x WHERE { VALUES ?x { "a\\"}" }  ?s ?p ?x }'
    assert bind_values('ASK { ?s ?p "WHERE {" }', b) == 'ASK { VALUES ?x { "a\\"}" }  ?s ?p "WHERE {" }'
    assert bind_values("SELECT * { ?s <urn:where{> ?x }", b).startswith('SELECT * { VALUES ?x')
    assert bind_values("CONSTRUCT { ?s ?p ?x } WHERE { ?s ?p ?x }", b).startswith(
        'CONSTRUCT { ?s ?p ?x } WHERE { VALUES ?x')


# --------------------------------------------------------------------------- /static/

def test_static_files_are_served_with_type_and_cache_headers(server):
    from kg.serve import STATIC, STATIC_DIR

    for name, ctype in STATIC.items():
        status, headers, body = _http(server + "/static/" + name)
        assert status == 200 and headers["Content-Type"] == ctype
        assert body == (STATIC_DIR / name).read_bytes()
        assert headers["Cache-Control"] == "public, max-age=3600" and headers["X-Content-Type-Options"] == "nosniff"
        status, again, body = _http(server + "/static/" + name, headers={"If-None-Match": headers["ETag"]})
        assert status == 304 and body == b"" and again["ETag"] == headers["ETag"]
    assert STATIC["codemirror.js"] and (STATIC_DIR / "codemirror.LICENSE").read_text().startswith(
        "kg/static/codemirror.js bundles these packages")


@pytest.mark.parametrize("path", ["/static/", "/static/editor-src/editor.mjs", "/static/../serve.py",
                                  "/static/%2e%2e/serve.py", "/static/query.js/", "/static/QUERY.JS"])
def test_only_known_static_files(server, path):
    status, _, body = _http(server + path)
    assert status == 404, body


def test_static_files_are_package_data(tmp_path):
    """An installed package has every file /static/ serves: setuptools' build_py (what a wheel
    holds) run on a copy of the sources puts exactly those in kg/static/."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from kg.serve import STATIC

    root = Path(__file__).resolve().parents[2]
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "cli.py"):
        shutil.copy(root / name, src / name)
    for name in ("extract", "kg", "ontology", "queries"):
        shutil.copytree(root / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    res = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
                          "-d", str(tmp_path / "build")], cwd=src, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in (tmp_path / "build" / "kg" / "static").iterdir()) == sorted(STATIC)


# --------------------------------------------------------------------------- CORS (--cors)

YASGUI = "https://yasgui.triply.cc"


def test_cors_closed_by_default(server):
    q = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    status, headers, _ = _http(server + q, headers={"Origin": YASGUI})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = _http(server + "/sparql", headers={"Origin": YASGUI, "Access-Control-Request-Method": "POST"},
                               method="OPTIONS")
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = _http(server + q, headers={"Origin": "http://127.0.0.1:9"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers and "Origin" not in headers.get("Vary", "")


@pytest.fixture(scope="module")
def cors_server(built_store):
    yield from _serving(built_store, workers=1, cors=[YASGUI + "/"])


def test_cors_for_the_given_origin_only(cors_server):
    q = "/sparql?" + urllib.parse.urlencode({"query": OBLIGATIONS})
    status, headers, body = _http(cors_server + q, headers={"Origin": YASGUI})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == YASGUI and "Origin" in headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in headers
    # errors carry it too, so the page can show them
    status, headers, _ = _http(cors_server + "/sparql?query=SELEC", headers={"Origin": YASGUI})
    assert status == 400 and headers["Access-Control-Allow-Origin"] == YASGUI
    # another origin: refused as before, no CORS header
    status, headers, _ = _http(cors_server + q, headers={"Origin": "https://evil.example"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    # no Origin (curl, scripts): answered, no CORS header
    status, headers, _ = _http(cors_server + q)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    # the Host check still stops DNS rebinding
    assert _http(cors_server + q, headers={"Origin": YASGUI, "Host": "evil.example"})[0] == 403


def test_cors_preflight(cors_server):
    status, headers, body = _http(cors_server + "/sparql", method="OPTIONS", headers={
        "Origin": YASGUI, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept, x-requested-with",
        "Access-Control-Request-Private-Network": "true"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == YASGUI
    assert headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST"
    assert headers["Access-Control-Allow-Headers"] == "content-type, accept, x-requested-with"
    assert headers["Access-Control-Allow-Private-Network"] == "true"
    assert headers["Access-Control-Max-Age"] == "600"
    status, headers, _ = _http(cors_server + "/sparql", method="OPTIONS", headers={
        "Origin": YASGUI, "Access-Control-Request-Headers": "a\tb"})
    assert status == 204 and headers["Access-Control-Allow-Headers"] == "Accept, Content-Type"
    status, headers, _ = _http(cors_server + "/sparql", method="OPTIONS", headers={"Origin": "https://evil.example"})
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    # a POST as YASGUI sends it
    data = urllib.parse.urlencode({"query": OBLIGATIONS}).encode()
    status, headers, body = _http(cors_server + "/sparql", data, {
        "Origin": YASGUI, "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json,*/*;q=0.9"}, "POST")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == YASGUI
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "163"


@pytest.mark.parametrize("origin, expect", [
    ("https://YASGUI.triply.cc/", "https://yasgui.triply.cc"), ("http://localhost:3000", "http://localhost:3000"),
    ("https://a.example:443", "https://a.example"), ("*", "*"),
])
def test_normalize_origin(origin, expect):
    from kg.serve import normalize_origin

    assert normalize_origin(origin) == expect


def test_cli_cors_option(built_store):
    from typer.testing import CliRunner

    from cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["serve", "--store", str(built_store), "--cors", "yasgui.triply.cc", "--get", "/"],
                      env={"COLUMNS": "250"})
    assert r.exit_code == 2
    assert "is not an origin: give scheme://host[:port], e.g. https://yasgui.triply.cc" in r.output
    r = runner.invoke(app, ["serve", "--store", str(built_store), "--cors", "https://x.example/path", "--get", "/"])
    assert r.exit_code == 2
    path = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?o a egov:Obligation }"})
    r = runner.invoke(app, ["serve", "--store", str(built_store), "--cors", YASGUI, "--cors", "http://localhost:3000",
                            "--get", path])
    assert r.exit_code == 0 and json.loads(r.stdout)["boolean"] is True

"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, plus a small query page.

- ``GET /sparql?query=…`` and ``POST /sparql`` (``application/sparql-query`` body, or
  ``application/x-www-form-urlencoded`` with ``query=``) answer SELECT/ASK as
  SPARQL JSON, XML, CSV or TSV and CONSTRUCT/DESCRIBE as Turtle, N-Triples,
  RDF/XML or JSON-LD, chosen by ``Accept`` or by a ``format=`` parameter.
  The default graph is the union of the named graphs; the project's prefixes
  (:data:`kg.namespace.PREFIXES`) are predeclared.
- Updates in any form are refused with 403; the store is opened read-only, so
  nothing can change it. Syntax errors get 400 with the parser's message.
- ``GET /`` is a query page with no external resources.
- Bound to loopback, requests whose ``Host`` or ``Origin`` is not a loopback name
  are refused (403), which stops DNS-rebinding pages from reading the graph.
  Serving on another host needs an explicit ``--host``.

Only the standard library (wsgiref, a threading server) is used.

The store is opened read-only when the server starts: documents built into it
afterwards are seen after a restart.
"""
from __future__ import annotations

import json
import secrets
import socketserver
import sys
import time
import urllib.parse
from collections.abc import Callable
from html import escape
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server as _wsgi_make_server
from wsgiref.util import setup_testing_defaults

from .namespace import PREFIXES
from .store import is_update, open_store

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_BODY = 1 << 20  # 1 MiB of query text is plenty

RESULTS_TYPES = {  # media type → pyoxigraph QueryResultsFormat attribute
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
RESULTS_ALIASES = {"application/json": "application/sparql-results+json",
                   "application/xml": "application/sparql-results+xml",
                   "text/xml": "application/sparql-results+xml",
                   "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                   "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}
GRAPH_ALIASES = {"turtle": "text/turtle", "ttl": "text/turtle", "application/x-turtle": "text/turtle",
                 "nt": "application/n-triples", "ntriples": "application/n-triples", "n-triples": "application/n-triples",
                 "text/plain": "application/n-triples", "xml": "application/rdf+xml", "rdfxml": "application/rdf+xml",
                 "application/xml": "application/rdf+xml", "jsonld": "application/ld+json",
                 "json": "application/ld+json", "application/json": "application/ld+json"}


class Forbidden(Exception):
    pass


class BadRequest(Exception):
    pass


class QueryTimeout(Exception):
    pass


def _is_loopback(hostport: str | None) -> bool:
    if not hostport:
        return True  # HTTP/1.0 without Host (and --get) can only come from a local client here
    host = hostport.strip().lower()
    if host.startswith("["):
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in LOOPBACK_NAMES


def _origin_is_loopback(origin: str | None) -> bool:
    if not origin or origin == "null":
        return not origin  # an opaque "null" origin (sandboxed page, file:) is not trusted
    parts = urllib.parse.urlsplit(origin)
    return parts.scheme in ("http", "https") and _is_loopback(parts.netloc)


def _parse_accept(header: str) -> list[str]:
    """Media types of an Accept header, best first (q=0 dropped, stable for ties)."""
    items = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, i, media))
    return [m for _, _, m in sorted(items)]


def negotiate(kind: str, accept: str | None, fmt: str | None) -> str:
    """The media type to answer with for a result ``kind`` (results | graph)."""
    types, aliases, default = ((RESULTS_TYPES, RESULTS_ALIASES, "application/sparql-results+json") if kind == "results"
                               else (GRAPH_TYPES, GRAPH_ALIASES, "text/turtle"))
    if fmt:
        f = fmt.strip().lower()
        f = aliases.get(f, f)
        if f in types:
            return f
        raise BadRequest(f"unknown format {fmt!r}; use one of: {', '.join(sorted(types))}")
    for media in _parse_accept(accept or ""):
        media = aliases.get(media, media)
        if media in types:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default  # lenient: an unsupported Accept gets the default rather than 406


def _term_json(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = term.datatype.value
        return d
    return {"type": "literal", "value": str(term)}


class SparqlApp:
    """The WSGI application; ``handle_path`` answers one request without a socket."""

    def __init__(self, store_path, *, timeout: float | None = 30.0, allow_remote: bool = False, store=None):
        self.store = store if store is not None else open_store(store_path, read_only=True)
        self.timeout = timeout
        self.allow_remote = allow_remote

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ, start_response):
        status, headers, body = self.respond(environ)
        start_response(status, headers)
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]

    def respond(self, environ) -> tuple[str, list[tuple[str, str]], bytes]:
        try:
            if not self.allow_remote:
                if not _is_loopback(environ.get("HTTP_HOST")) or not _origin_is_loopback(environ.get("HTTP_ORIGIN")):
                    raise Forbidden("this server only answers requests to and from 127.0.0.1/localhost; "
                                    "start it with an explicit --host to serve other hosts")
            path = environ.get("PATH_INFO") or "/"
            method = environ.get("REQUEST_METHOD", "GET").upper()
            if path in ("/", "/index.html"):
                if method not in ("GET", "HEAD"):
                    return self._text("405 Method Not Allowed", "use GET", [("Allow", "GET, HEAD")])
                return self._page()
            if path == "/sparql":
                if method not in ("GET", "HEAD", "POST"):
                    return self._text("405 Method Not Allowed", "use GET or POST", [("Allow", "GET, HEAD, POST")])
                return self._sparql(environ, method)
            return self._text("404 Not Found", f"no such resource {path}; the endpoint is /sparql")
        except Forbidden as exc:
            return self._text("403 Forbidden", str(exc))
        except BadRequest as exc:
            return self._text("400 Bad Request", str(exc))
        except QueryTimeout as exc:
            return self._text("503 Service Unavailable", str(exc))
        except Exception as exc:  # noqa: BLE001 - one request must not kill the server
            return self._text("500 Internal Server Error", f"query failed: {exc}")

    @staticmethod
    def _text(status: str, message: str, extra: list | None = None):
        body = (message.rstrip("\n") + "\n").encode("utf-8")
        return status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
                        ("X-Content-Type-Options", "nosniff")] + (extra or []), body

    # ------------------------------------------------------------------ /sparql
    def _sparql(self, environ, method: str):
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        query = None
        if method == "POST":
            ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                raise BadRequest("bad Content-Length") from None
            if length > MAX_BODY:
                return self._text("413 Content Too Large", f"request body over {MAX_BODY} bytes")
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            if ctype == "application/sparql-update":
                raise Forbidden("this endpoint is read-only: SPARQL UPDATE is not allowed")
            if ctype == "application/sparql-query":
                query = body.decode("utf-8", "replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            else:
                raise BadRequest("POST a query as application/sparql-query or as a "
                                 "application/x-www-form-urlencoded query= field")
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise Forbidden("this endpoint is read-only: SPARQL UPDATE is not allowed")
        if query is None:
            qs = params.get("query") or []
            if len(qs) != 1:
                raise BadRequest("give exactly one query (?query=… or a POST body); the query page is at /")
            query = qs[0]
        if "default-graph-uri" in params or "named-graph-uri" in params:
            raise BadRequest("default-graph-uri/named-graph-uri are not supported: the default graph is "
                             "the union of all named graphs; use GRAPH in the query instead")
        if is_update(query):
            raise Forbidden("this endpoint is read-only: SPARQL UPDATE is not allowed")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        return self.run(query, environ.get("HTTP_ACCEPT"), fmt)

    def run(self, query: str, accept: str | None = None, fmt: str | None = None):
        """Evaluate ``query`` and serialise it for ``accept``/``fmt``: (status, headers, body)."""
        import pyoxigraph as ox

        store = self.store.store
        try:
            res = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise BadRequest(f"SPARQL syntax error: {exc}") from None
        deadline = None if not self.timeout else time.monotonic() + self.timeout

        def check(n: int) -> None:
            if deadline is not None and n % 500 == 0 and time.monotonic() > deadline:
                raise QueryTimeout(f"query stopped after the {self.timeout:g} s timeout")

        if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
            media = negotiate("results", accept, fmt)
            if isinstance(res, ox.QueryBoolean):
                doc = {"head": {}, "boolean": bool(res)}
            else:
                variables = [v.value for v in res.variables]
                bindings = []
                for i, sol in enumerate(res, 1):
                    check(i)
                    row = {}
                    for v in variables:
                        t = sol[v]
                        if t is not None:
                            row[v] = _term_json(t)
                    bindings.append(row)
                doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
            body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
            if media != "application/sparql-results+json":
                parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                body = parsed.serialize(format=getattr(ox.QueryResultsFormat, RESULTS_TYPES[media]))
        else:
            media = negotiate("graph", accept, fmt)
            triples = []
            for i, t in enumerate(res, 1):
                check(i)
                triples.append(t)
            body = ox.serialize(triples, format=getattr(ox.RdfFormat, GRAPH_TYPES[media]), prefixes=PREFIXES)
        ctype = media + ("; charset=utf-8" if media.startswith("text/") else "")
        return "200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body))),
                          ("X-Content-Type-Options", "nosniff"), ("Vary", "Accept")], body

    # ------------------------------------------------------------------ page
    def _page(self):
        from .namespace import sparql_prologue
        from .queries import list_queries

        try:
            named = [{"name": q.name, "title": q.title, "description": q.description, "text": q.text}
                     for q in list_queries()]
        except Exception:  # noqa: BLE001 - a broken .rq file must not break the page
            named = []
        data = {"prologue": sparql_prologue(), "queries": named,
                "example": "SELECT ?type (COUNT(?x) AS ?n)\nWHERE { ?x a ?type }\nGROUP BY ?type\nORDER BY DESC(?n)\nLIMIT 20\n"}
        nonce = secrets.token_urlsafe(16)
        body = PAGE.replace("{{DATA}}", _script_json(data)).replace("{{NONCE}}", nonce)
        body = body.replace("{{OPTIONS}}", "".join(
            f'<option value="{i}">{escape(q["name"])}: {escape(q["title"])}</option>' for i, q in enumerate(named)))
        raw = body.encode("utf-8")
        csp = f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; " \
              "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
        return "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(raw))),
                          ("Content-Security-Policy", csp), ("X-Content-Type-Options", "nosniff"),
                          ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")], raw

    # ------------------------------------------------------------------ no socket
    def handle_path(self, path: str, *, method: str = "GET", accept: str | None = None, body: bytes = b"",
                    content_type: str | None = None) -> tuple[str, list, bytes]:
        """Answer one request for ``path`` (e.g. ``/sparql?query=…``) directly."""
        parts = urllib.parse.urlsplit(path)
        environ = {"REQUEST_METHOD": method, "PATH_INFO": urllib.parse.unquote(parts.path or "/"),
                   "QUERY_STRING": parts.query, "CONTENT_LENGTH": str(len(body)),
                   "HTTP_HOST": "127.0.0.1"}
        if accept:
            environ["HTTP_ACCEPT"] = accept
        if content_type:
            environ["CONTENT_TYPE"] = content_type
        import io

        environ["wsgi.input"] = io.BytesIO(body)
        setup_testing_defaults(environ)
        return self.respond(environ)

    def close(self) -> None:
        self.store.close()


def _script_json(data) -> str:
    """JSON safe inside <script>: no '<', '>', '&', '/' or line separators appear literally."""
    text = json.dumps(data, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def make_app(store_path, *, timeout: float | None = 30.0, allow_remote: bool = False) -> SparqlApp:
    """The WSGI app answering /sparql and / over the store at ``store_path`` (opened read-only)."""
    return SparqlApp(store_path, timeout=timeout, allow_remote=allow_remote)


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        if getattr(self.server, "verbose", True):
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def make_server(store_path, host: str = "127.0.0.1", port: int = 8000, *, timeout: float | None = 30.0,
                allow_remote: bool | None = None, verbose: bool = False, app: SparqlApp | None = None):
    """A threading WSGI server (not started) for the store; ``port=0`` picks a free port.

    ``allow_remote`` defaults to whether ``host`` is a non-loopback address.
    """
    if allow_remote is None:
        allow_remote = host not in LOOPBACK_NAMES
    app = app or make_app(store_path, timeout=timeout, allow_remote=allow_remote)
    server = _wsgi_make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    server.verbose = verbose
    server.app = app
    return server


def serve(store_path, host: str = "127.0.0.1", port: int = 8000, *, timeout: float | None = 30.0,
          ready: Callable[[str], None] | None = None, verbose: bool = True) -> None:
    """Serve until interrupted (Ctrl-C)."""
    server = make_server(store_path, host, port, timeout=timeout, verbose=verbose)
    url = f"http://{host if ':' not in host else '[' + host + ']'}:{server.server_address[1]}/sparql"
    if ready:
        ready(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.app.close()


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>envgov-kg SPARQL</title>
<style nonce="{{NONCE}}">
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:80em}
textarea{width:100%;height:18em;font-family:ui-monospace,monospace;font-size:13px}
table{border-collapse:collapse;margin-top:1em;font-size:13px}
td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}
#status{margin-left:1em;color:#555}.err{color:#a00;white-space:pre-wrap}
</style></head>
<body>
<h1>envgov-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 at <code>/sparql</code>. The default graph is the union of all document graphs;
the project's prefixes are predeclared.</p>
<label>Example: <select id="examples"><option value="">(choose a named query)</option>{{OPTIONS}}</select></label>
<p id="desc"></p>
<textarea id="query" spellcheck="false"></textarea>
<p><button id="run">Run</button> <a id="csv" download="results.csv">Download CSV</a><span id="status"></span></p>
<div id="out"></div>
<script type="application/json" id="data">{{DATA}}</script>
<script nonce="{{NONCE}}">
(function(){
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var ta = document.getElementById("query"), sel = document.getElementById("examples");
  var out = document.getElementById("out"), status = document.getElementById("status");
  var csv = document.getElementById("csv"), desc = document.getElementById("desc");
  ta.value = data.prologue + "\\n" + data.example;
  function updateLink(){ csv.href = "sparql?format=csv&query=" + encodeURIComponent(ta.value); }
  ta.addEventListener("input", updateLink); updateLink();
  sel.addEventListener("change", function(){
    var q = data.queries[Number(sel.value)];
    if (sel.value === "" || !q) return;
    ta.value = q.text; desc.textContent = q.description || ""; updateLink();
  });
  function cell(tag, text){ var e = document.createElement(tag); e.textContent = text; return e; }
  function show(res){
    out.replaceChildren();
    if (typeof res.boolean === "boolean") { out.appendChild(cell("p", "ASK: " + res.boolean)); return; }
    var vars = res.head.vars, rows = res.results.bindings;
    var table = document.createElement("table"), tr = document.createElement("tr");
    vars.forEach(function(v){ tr.appendChild(cell("th", "?" + v)); });
    table.appendChild(tr);
    rows.forEach(function(b){
      var r = document.createElement("tr");
      vars.forEach(function(v){
        var t = b[v], s = "";
        if (t) { s = t.type === "uri" ? "<" + t.value + ">" : t.type === "bnode" ? "_:" + t.value : t.value;
                 if (t["xml:lang"]) s += " @" + t["xml:lang"]; }
        r.appendChild(cell("td", s));
      });
      table.appendChild(r);
    });
    out.appendChild(table);
    status.textContent = rows.length + " row(s)";
  }
  document.getElementById("run").addEventListener("click", function(){
    status.textContent = "running…"; out.replaceChildren();
    fetch("sparql", {method: "POST", headers: {"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"}, body: ta.value})
      .then(function(r){
        var ct = r.headers.get("Content-Type") || "";
        if (!r.ok) return r.text().then(function(t){ throw new Error(r.status + ": " + t); });
        if (ct.indexOf("json") < 0) return r.text().then(function(t){ out.appendChild(cell("pre", t)); status.textContent = ""; });
        return r.json().then(show);
      })
      .catch(function(e){ status.textContent = ""; var p = cell("p", String(e.message || e)); p.className = "err"; out.appendChild(p); });
  });
})();
</script>
</body></html>
"""

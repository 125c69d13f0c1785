"""A graph store on any SPARQL 1.1 server (Oxigraph server, Apache Jena Fuseki, GraphDB, …).

Queries go through the SPARQL 1.1 Protocol (``POST application/sparql-query``),
updates through ``POST application/sparql-update``, and whole named graphs are
loaded and dropped through the SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` /
``DELETE`` ``{gsp}?graph=IRI``). Only the standard library's ``urllib`` is used.

URL forms accepted by :class:`EndpointStore` (the ``--endpoint`` option):

- ``http://127.0.0.1:7878`` — an Oxigraph server: ``/query``, ``/update``, ``/store``.
- ``http://host/…/query`` — query URL given; update ``…/update``, GSP ``…/store`` (Oxigraph style).
- ``http://host:3030/ds/sparql`` — Fuseki style; update ``/ds/update``, GSP ``/ds/data``.
- ``http://host:7200/repositories/REPO`` — GraphDB/RDF4J: update ``…/statements``,
  GSP ``…/rdf-graphs/service``.

``KG_ENDPOINT_UPDATE`` and ``KG_ENDPOINT_GSP`` in the environment (or the
``update_url`` / ``gsp_url`` arguments) override the derived URLs.

Queries are sent as they are (plus ``PREFIX`` lines for the project prefixes the
query does not declare). ``kg`` queries match triples without ``GRAPH`` and expect
the default graph to be the union of the named graphs, which is what the
embedded store does. A remote server must therefore be configured that way:
``oxigraph serve --union-default-graph``, ``tdb2:unionDefaultGraph true`` for
Fuseki/TDB2; GraphDB's default graph already is the union. See docs/SERVER.md.
"""
from __future__ import annotations

import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator

from .namespace import PREFIXES
from .store import GraphStore, QueryError, QueryResult, StoreError, Triple, check_query
from .terms import from_ox, to_ox

try:  # kg.namespace provides it; keep a fallback so this module stands alone
    from .namespace import sparql_prologue as _prologue
except ImportError:  # pragma: no cover
    def _prologue() -> str:
        return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

RESULTS_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                  "application/n-triples;q=0.8, text/turtle;q=0.7, application/rdf+xml;q=0.5")
DEFAULT_TIMEOUT = 60.0
_MAX_ERROR_BODY = 2000


def derive_urls(url: str, update_url: str | None = None, gsp_url: str | None = None) -> tuple[str, str, str]:
    """(query URL, update URL, Graph Store Protocol URL) for an endpoint URL; see the module doc."""
    url = url.rstrip("/")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise StoreError(f"not an http(s) SPARQL endpoint URL: {url!r} (e.g. http://127.0.0.1:7878)")
    path = parsed.path
    if re.search(r"/repositories/[^/]+$", path):  # GraphDB / RDF4J
        q, u, g = url, url + "/statements", url + "/rdf-graphs/service"
    elif path.endswith("/query"):  # Oxigraph style (Fuseki also serves /ds/query)
        base = url[: -len("/query")]
        q, u, g = url, base + "/update", base + "/store"
    elif path.endswith("/sparql"):  # Fuseki style
        base = url[: -len("/sparql")]
        q, u, g = url, base + "/update", base + "/data"
    else:  # a server root: Oxigraph server
        q, u, g = url + "/query", url + "/update", url + "/store"
    u = update_url or os.environ.get("KG_ENDPOINT_UPDATE") or u
    g = gsp_url or os.environ.get("KG_ENDPOINT_GSP") or g
    return q, u, g


_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*|):", re.IGNORECASE)


def with_prefixes(sparql: str) -> str:
    """Prepend ``PREFIX`` lines for the project prefixes the text does not declare itself."""
    declared = {m.group(1) for m in _PREFIX_DECL.finditer(re.sub(r"(?m)#.*$", "", sparql))}
    lines = [line.strip() for line in _prologue().splitlines()
             if (m := _PREFIX_DECL.match(line)) and m.group(1) not in declared]
    # on the query's first line, so a server's error line numbers still match the user's text
    return " ".join(lines) + (" " if lines else "") + sparql


def inject_bindings(sparql: str, bindings: dict | None) -> str:
    """Bind variables with a ``VALUES`` block at the start of the outermost WHERE group.

    The remote counterpart of pyoxigraph's ``substitutions``: the value is fixed
    before the rest of the group is evaluated. Terms are written in N3/SPARQL syntax.
    """
    if not bindings:
        return sparql
    values = " ".join(f"VALUES ?{k} {{ {_sparql_term(v)} }}" for k, v in bindings.items())
    text = sparql
    m = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if m is None:  # SELECT/ASK without the optional WHERE keyword: the first group after the prologue
        m = re.search(r"\b(SELECT|ASK|DESCRIBE)\b[^{]*\{", text, re.IGNORECASE)
    if m is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return text[: m.end()] + " " + values + " " + text[m.end():]


def _sparql_term(term) -> str:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, (URIRef, Literal)):
        return term.n3()
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be bound as a query parameter")
    return Literal(term).n3()


class EndpointStore(GraphStore):
    """A store behind SPARQL 1.1 Protocol + Graph Store HTTP Protocol URLs."""

    name = "endpoint"
    persistent = True
    supports_update = True

    def __init__(self, url: str, update_url: str | None = None, gsp_url: str | None = None, *,
                 timeout: float = DEFAULT_TIMEOUT, check: bool = True):
        self.url = url
        self.query_url, self.update_url, self.gsp_url = derive_urls(url, update_url, gsp_url)
        self.timeout = timeout
        if check:
            self.ping()

    # ------------------------------------------------------------------ HTTP
    def _request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
                 timeout: float | None = None, *, what: str) -> tuple[int, str, bytes]:
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as resp:
                return resp.status, resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:_MAX_ERROR_BODY].decode("utf-8", "replace").strip()
            raise _HTTPFailure(exc.code, f"{what}: HTTP {exc.code} {exc.reason} from {url}"
                                         + (f": {detail}" if detail else "")) from None
        except (socket.timeout, TimeoutError):
            raise _Timeout(f"{what}: no answer from {url} within {timeout or self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise _Timeout(f"{what}: no answer from {url} within {timeout or self.timeout:g} s") from None
            raise StoreError(f"cannot reach the SPARQL server at {url}: {reason}; is it running? "
                             "(e.g. `oxigraph serve --location DIR --union-default-graph`)") from None
        except OSError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from None

    def ping(self) -> None:
        """Check the query URL answers a trivial ASK; raises StoreError otherwise."""
        try:
            self._post_query("ASK {}", timeout=min(self.timeout, 10.0))
        except (_HTTPFailure, _Timeout) as exc:
            raise StoreError(f"{self.query_url} does not answer SPARQL queries: {exc}") from None

    def _post_query(self, sparql: str, timeout: float | None = None) -> tuple[str, bytes]:
        _, ctype, data = self._request(
            "POST", self.query_url, sparql.encode("utf-8"),
            {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": RESULTS_ACCEPT},
            timeout, what="query")
        return ctype, data

    def _graph_url(self, graph: str) -> str:
        sep = "&" if "?" in self.gsp_url else "?"
        return f"{self.gsp_url}{sep}graph={urllib.parse.quote(str(graph), safe='')}"

    # ------------------------------------------------------------------ GraphStore
    def query(self, sparql: str, *, bindings: dict | None = None, timeout: float | None = None,
              allow_service: bool = False) -> QueryResult:
        """The server answers; a SERVICE clause is refused here unless ``allow_service``
        (the server would send the requests), as with the embedded store."""
        import pyoxigraph as ox

        check_query(sparql, allow_service)
        text = with_prefixes(inject_bindings(sparql, bindings))
        try:
            ctype, data = self._post_query(text, timeout)
        except _Timeout as exc:
            raise QueryError(f"query stopped after the {timeout or self.timeout:g} s timeout ({exc})") from None
        except _HTTPFailure as exc:
            if exc.code == 400:
                raise QueryError(f"SPARQL error reported by the server: {exc}") from None
            raise QueryError(f"the SPARQL server failed the query: {exc}") from None
        except StoreError as exc:
            raise QueryError(str(exc)) from None
        media = ctype.split(";")[0].strip().lower()
        try:
            if media in ("application/sparql-results+json", "application/json",
                         "application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
                fmt = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
                res = ox.parse_query_results(data, format=fmt)
                if isinstance(res, ox.QueryBoolean):
                    return QueryResult("ask", boolean=bool(res))
                variables = [v.value for v in res.variables]
                rows = [{v: from_ox(sol[v]) for v in variables} for sol in res]
                return QueryResult("select", variables=variables, rows=rows)
            fmt = ox.RdfFormat.from_media_type(media) if media else None
            if fmt is None:
                raise QueryError(f"the SPARQL server answered with unsupported content type {ctype!r}")
            triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                       for t in ox.parse(data, format=fmt)]
            return QueryResult("graph", triples=triples)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"cannot read the SPARQL server's answer ({ctype}): {exc}") from None

    def update(self, sparql: str) -> None:
        try:
            self._request("POST", self.update_url, with_prefixes(sparql).encode("utf-8"),
                          {"Content-Type": "application/sparql-update; charset=utf-8"}, what="update")
        except _HTTPFailure as exc:
            raise QueryError(f"SPARQL update failed: {exc}") from None
        except _Timeout as exc:
            raise QueryError(str(exc)) from None

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """PUT the graph's triples as N-Triples (the server replaces the graph atomically)."""
        import pyoxigraph as ox

        items = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
        body = ox.serialize(items, format=ox.RdfFormat.N_TRIPLES) if items else b""
        try:
            self._request("PUT", self._graph_url(graph), body,
                          {"Content-Type": "application/n-triples; charset=utf-8"}, what="graph store PUT")
        except (_HTTPFailure, _Timeout) as exc:
            raise StoreError(f"cannot replace graph <{graph}>: {exc}") from None
        return len(items)

    def remove_graph(self, graph: str) -> bool:
        try:
            self._request("DELETE", self._graph_url(graph), what="graph store DELETE")
        except _HTTPFailure as exc:
            if exc.code == 404:
                return False
            raise StoreError(f"cannot remove graph <{graph}>: {exc}") from None
        except _Timeout as exc:
            raise StoreError(f"cannot remove graph <{graph}>: {exc}") from None
        return True

    def graphs(self) -> list[str]:
        r = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
        return sorted(str(row["g"]) for row in r.rows if row.get("g") is not None)

    def quads(self) -> Iterator[tuple]:
        """All quads of the named graphs (the default graph is not read: on a
        union-default-graph server it would repeat them)."""
        r = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for row in r.rows:
            yield (row["s"], row["p"], row["o"], row["g"])

    def close(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"EndpointStore(query={self.query_url!r}, update={self.update_url!r}, gsp={self.gsp_url!r})"


class _HTTPFailure(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


class _Timeout(Exception):
    pass

"""Graph stores behind one small interface.

Backends, chosen by name and imported lazily:

- ``oxigraph`` (default): pyoxigraph's embedded, persistent RocksDB store at a
  directory. Fast SPARQL 1.1 over named graphs, transactional updates, and
  safe concurrent readers; no server to run.
- ``memory``: a plain in-memory rdflib ``Dataset`` (tests, benchmarks' baseline).
- ``endpoint``: any SPARQL 1.1 server, through the SPARQL 1.1 Protocol for
  queries and the Graph Store HTTP Protocol for loading named graphs.

Each backend states its capabilities; an unsupported feature raises
``NotImplementedError`` naming it.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from .namespace import PREFIXES
from .terms import from_ox, to_ox

Triple = tuple
DEFAULT_STORE = "./kg-store"


class StoreError(Exception):
    """A store cannot be opened or used; the message says how to fix it."""


class QueryError(Exception):
    """A SPARQL query is malformed or failed; message includes line and column when known."""


@dataclass
class QueryResult:
    """A query's answer: SELECT rows, an ASK boolean, or CONSTRUCT triples."""

    kind: str  # select | ask | graph
    variables: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # var -> rdflib term or None
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)

    def values(self) -> list[dict[str, str | None]]:
        return [{v: (None if r.get(v) is None else str(r[v])) for v in self.variables} for r in self.rows]

    # ---- serialisations
    def to_sparql_json(self) -> dict:
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        bindings = []
        for r in self.rows:
            b = {}
            for v in self.variables:
                t = r.get(v)
                if t is None:
                    continue
                if isinstance(t, URIRef):
                    b[v] = {"type": "uri", "value": str(t)}
                elif isinstance(t, Literal):
                    d = {"type": "literal", "value": str(t)}
                    if t.language:
                        d["xml:lang"] = t.language
                    elif t.datatype:
                        d["datatype"] = str(t.datatype)
                    b[v] = d
                else:
                    b[v] = {"type": "bnode", "value": str(t)}
            bindings.append(b)
        return {"head": {"vars": self.variables}, "results": {"bindings": bindings}}

    def to_csv(self, delimiter: str = ",") -> str:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        if self.kind == "ask":
            w.writerow(["boolean"])
            w.writerow([str(bool(self.boolean)).lower()])
            return buf.getvalue()
        if self.kind == "graph":
            w.writerow(["subject", "predicate", "object"])
            for t in self.triples:
                w.writerow([str(x) for x in t])
            return buf.getvalue()
        w.writerow(self.variables)
        for r in self.values():
            w.writerow(["" if r[v] is None else r[v].replace("\n", " ") if delimiter == "\t" else r[v] for v in self.variables])
        return buf.getvalue()


def run_with_timeout(fn, timeout: float | None):
    """Run ``fn`` and return its result, or raise QueryError after ``timeout`` seconds.

    ``None`` or ``0`` means no limit (``--timeout 0`` has that one meaning in
    ``kg query`` and ``kg serve``). The query runs in a daemon thread (Oxigraph
    releases the GIL), so a runaway query cannot hold the command: it is
    abandoned and ends when the ``kg`` process exits. (``kg serve`` evaluates
    in worker processes that it kills at the timeout.)
    """
    if not timeout:
        return fn()
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"query stopped after the {timeout:g} s timeout; narrow it or raise --timeout")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _syntax_error(exc: Exception, query: str) -> QueryError:
    msg = str(exc)
    m = re.search(r"(\d+):(\d+)", msg)
    if m:
        return QueryError(f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {msg}")
    return QueryError(f"SPARQL syntax error: {msg}")


UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def is_update(query: str) -> bool:
    stripped = re.sub(r"(?m)#.*$", "", query)
    return bool(UPDATE_RE.match(stripped))


# --------------------------------------------------------------------------- what a query asks for

class ServiceRefused(QueryError):
    """The query has a SERVICE clause (a federated query) and SERVICE is not allowed."""


SERVICE_REFUSED = ("SERVICE is refused: a federated query would make this machine send requests to "
                   "other servers; allow it explicitly with --allow-service")


@dataclass(frozen=True)
class QueryShape:
    """What a query's text asks of the evaluator beyond the store: ``service`` (a
    SERVICE clause anywhere) and ``dataset`` (FROM / FROM NAMED clauses)."""

    service: bool = False
    dataset: bool = False
    checked_by: str = "text"  # text (neither word occurs) | rdflib (its parse tree) | tokens (rdflib cannot parse it)


# A SPARQL lexer: whitespace, comments, IRIs, strings, variables, words. Used to read FROM when
# rdflib cannot parse a query that Oxigraph may accept (SPARQL-star, Oxigraph extensions), and
# by kg.queries to find the WHERE group outside strings, IRIs and comments.
SPARQL_TOKENS = re.compile(r"""
    (?P<ws>\s+) | (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3} | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
              | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$]\w*) | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[^\W\d][\w.-]*(?::[\w.:%\\-]*)? | :[\w.:%\\-]*)
  | (?P<other>.)""", re.VERBOSE | re.DOTALL)


def _token_words(sparql: str) -> set[str]:
    return {m.group("word").upper() for m in SPARQL_TOKENS.finditer(sparql) if m.group("word")}


_PARSE_LOCK = threading.Lock()


def _rdflib_shape(sparql: str) -> tuple[bool, bool]:
    """(service, dataset) read from rdflib's SPARQL 1.1 parse tree; raises if it cannot parse the text."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    with _PARSE_LOCK:  # pyparsing's packrat cache is shared between threads
        tree = (parseUpdate if is_update(sparql) else parseQuery)(sparql)
    service = dataset = False
    stack = [tree]
    while stack:  # iterative: a deeply nested query must not exhaust the recursion limit here
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                service = True
            elif node.name == "DatasetClause":
                dataset = True
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return service, dataset


def inspect_query(sparql: str) -> QueryShape:
    """Whether a query (or an update) has SERVICE or FROM / FROM NAMED clauses.

    A text that contains neither word (in any case) has neither clause.
    Otherwise rdflib's SPARQL 1.1 parser decides from its parse tree (a SERVICE
    inside FILTER EXISTS, OPTIONAL or a subquery counts). A text rdflib cannot
    parse (Oxigraph accepts a few extensions, e.g. SPARQL-star) is taken to have
    SERVICE if the word occurs anywhere in it, so it is refused rather than
    guessed at; its FROM is read from its tokens.
    """
    low = sparql.lower()
    if "service" not in low and "from" not in low:
        return QueryShape(False, False, "text")
    return _inspect_cached(sparql) if len(sparql) <= 20_000 else _inspect(sparql)


@functools.lru_cache(maxsize=256)
def _inspect_cached(sparql: str) -> QueryShape:
    return _inspect(sparql)


def _inspect(sparql: str) -> QueryShape:
    low = sparql.lower()
    try:
        service, dataset = _rdflib_shape(sparql)
    except Exception:  # noqa: BLE001 - ParseException, RecursionError, …: the safe reading
        return QueryShape("service" in low, "FROM" in _token_words(sparql), "tokens")
    return QueryShape(service, dataset, "rdflib")


def check_query(sparql: str, allow_service: bool = False) -> QueryShape:
    """The query's shape; raises ServiceRefused for a SERVICE clause unless ``allow_service``."""
    shape = inspect_query(sparql)
    if shape.service and not allow_service:
        raise ServiceRefused(SERVICE_REFUSED)
    return shape


class GraphStore:
    """The interface every backend implements."""

    name = "abstract"
    persistent = False
    supports_update = False
    supports_named_graphs = True

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        raise NotImplementedError(f"{self.name}: replace_graph")

    def write_document(self, graph: str, triples: Iterable[Triple], completion: list[Triple]) -> int:
        """Write a document's graph; ``completion`` triples mark it complete and go last."""
        import itertools

        return self.replace_graph(graph, itertools.chain(triples, completion))

    def write_documents(self, batch: list[tuple[str, Iterable[Triple], list[Triple]]], *,
                        on_error: Callable[[str, Exception], None] | None = None,
                        before_marks: Callable[[], None] | None = None) -> int:
        """Write several documents (graph, triples, completion); backends may batch them.

        ``on_error(graph, exc)``: a document whose triples the store refuses
        (ValueError: an IRI or literal it cannot hold) is reported through it
        and left out, and the others are written; without it the error is raised.
        ``before_marks()``: called once the triples are read and, where the
        backend can, before the completion triples are written.
        """
        n = 0
        for g, t, c in batch:
            try:
                n += self.write_document(g, t, c)
            except ValueError as exc:
                if on_error is None:
                    raise
                self._discard(g)
                on_error(g, exc)
        if before_marks is not None:
            before_marks()
        return n

    def _discard(self, graph: str) -> None:
        """After a failed write of ``graph``: drop what it may have left, unless
        the graph is still a complete document (a replacement that failed before
        it began leaves the old version, as any skipped file does)."""
        try:
            r = self.query(f"ASK {{ GRAPH <{graph}> {{ ?d a egov:PolicyDocument }} }}")
            if not r.boolean:
                self.remove_graph(graph)
        except (ValueError, NotImplementedError, QueryError):
            pass

    def remove_graph(self, graph: str) -> bool:
        raise NotImplementedError(f"{self.name}: remove_graph")

    def graphs(self) -> list[str]:
        raise NotImplementedError(f"{self.name}: graphs")

    def query(self, sparql: str, *, bindings: dict | None = None, timeout: float | None = None,
              allow_service: bool = False) -> QueryResult:
        """Answer a SPARQL query. A SERVICE clause raises :class:`ServiceRefused`
        unless ``allow_service``; FROM / FROM NAMED select the graphs, and without
        them the default graph is the union of the named graphs."""
        raise NotImplementedError(f"{self.name}: query")

    def update(self, sparql: str) -> None:
        raise NotImplementedError(f"{self.name}: SPARQL UPDATE")

    def quads(self) -> Iterator[tuple]:
        raise NotImplementedError(f"{self.name}: quads")

    def __len__(self) -> int:
        r = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(r.rows[0]["n"]) if r.rows else 0

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------- Oxigraph

def _as_value_error(exc: Exception) -> ValueError:
    """What ``on_error`` is given: a TypeError (a term Oxigraph has no type for) as a ValueError."""
    return exc if isinstance(exc, ValueError) else ValueError(str(exc))


class _BulkLoader:
    """Threads that run Oxigraph's bulk loader on N-Quads chunks as they come (at
    most two waiting), so Python writes the next chunk meanwhile.

    Two chunks load side by side: one bulk call keeps about one and a half cores
    busy (a parsing thread feeding an indexing thread), and each call writes
    files of its own under fresh random names that RocksDB ingests atomically
    per call, so calls on disjoint chunks do not meet. At the size limit (2.25 M
    quads) the loads alone take 11 s side by side against 17 to 20 s one after
    the other, for less CPU (21 CPU-seconds against 26 to 30).
    """

    THREADS = 2

    def __init__(self, store, ox):
        import queue

        self._store, self._ox = store, ox
        self._chunks: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._threads: list[threading.Thread] = []

    def _run(self) -> None:
        while True:
            data = self._chunks.get()
            if data is None:
                return
            if self._error is None:
                try:
                    self._bulk_load(data)
                except BaseException as exc:  # noqa: BLE001 - re-raised by close()
                    self._error = exc

    _lenient = True

    def _bulk_load(self, data: bytes) -> None:
        """lenient: the lines were written by kg.terms.NQuads, whose IRIs are checked or
        minted percent-encoded; checking them again costs a quarter of the loader's time
        at the size limit. A pyoxigraph without the option checks them (same result)."""
        fmt = self._ox.RdfFormat.N_QUADS
        if _BulkLoader._lenient:
            try:
                self._store.bulk_load(data, format=fmt, lenient=True)
                return
            except TypeError:  # an older pyoxigraph: no such keyword, nothing loaded yet
                _BulkLoader._lenient = False
        self._store.bulk_load(data, format=fmt)

    def load(self, data: bytes) -> None:
        if len(self._threads) < self.THREADS:  # one more per chunk: a document of one chunk needs one thread
            self._start_thread()
        self._chunks.put(data)

    def _start_thread(self) -> None:
        t = threading.Thread(target=self._run, name=f"kg-bulk-load-{len(self._threads) + 1}", daemon=True)
        t.start()
        self._threads.append(t)

    def close(self) -> None:
        for _ in self._threads:
            self._chunks.put(None)
        for t in self._threads:
            t.join()
        self._threads = []
        if self._error is not None:
            raise StoreError(f"the bulk loader failed: {self._error}") from self._error


class OxigraphStore(GraphStore):
    """pyoxigraph's embedded store on disk (or in memory with ``path=None``)."""

    name = "oxigraph"
    persistent = True
    supports_update = True

    def __init__(self, path: str | os.PathLike | None, read_only: bool = False):
        import pyoxigraph as ox

        self._ox = ox
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        try:
            if self.path is None:
                self.store = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"no graph store at {self.path}: run `kg build --store {self.path}` first")
                self.store = self._open_read_only(ox)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(f"the store at {self.path} is being written by another `kg` process; "
                                 "wait for it to finish, or use another --store") from None
            raise StoreError(f"cannot open the store at {self.path}: {text}") from None

    def _open_read_only(self, ox, attempts: int = 20):
        """Open for reading while another process may be writing: RocksDB can
        rotate its manifest between our reading CURRENT and opening the file,
        which shows as a vanished file; that is retried, not reported."""
        for attempt in range(attempts):
            try:
                return ox.Store.read_only(str(self.path))
            except (OSError, RuntimeError) as exc:
                if "No such file" not in str(exc) or attempt == attempts - 1:
                    raise OSError(str(exc)) from None
                time.sleep(0.05 * (attempt + 1))

    def _quads(self, triples: Iterable[Triple], target, counter: list[int]):
        ox = self._ox
        for s, p, o in triples:
            counter[0] += 1
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), target)

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """Replace a named graph atomically, so readers and an interrupted build
        see the old graph or the new one, never half.

        Oxigraph canonicalises derived datatypes (xsd:nonNegativeInteger is
        stored as xsd:integer); the graph layer writes canonical types only.
        """
        ox = self._ox
        target = ox.NamedNode(str(graph))
        counter = [0]
        if not self.store.contains_named_graph(target):
            self.store.extend(self._quads(triples, target, counter))  # one transaction
            return counter[0]
        # replacing: drop and insert in ONE SPARQL update, which Oxigraph runs as one transaction
        quads = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
        body = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if quads else ""
        self.store.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
        return len(quads)

    ATOMIC_LIMIT = 200_000  # triples; larger documents are written in bulk, completion marker last

    def write_document(self, graph: str, triples: Iterable[Triple], completion: list[Triple]) -> int:
        """Write a document's graph.

        - A replaced document of up to ATOMIC_LIMIT triples: one SPARQL update
          (drop + insert, one transaction), so readers see old or new, never half.
        - A new document, or a very large one: Oxigraph's bulk loader (several
          times faster than a transaction, and memory-bounded), then the
          completion triples (its egov:PolicyDocument type and hash) in a
          transaction of their own. An interrupted build can leave the
          documents it was writing without them; ``kg build`` drops such graphs
          and rebuilds them (:func:`kg.build.drop_incomplete`).
        """
        import itertools

        ox = self._ox
        target = ox.NamedNode(str(graph))
        if self.store.contains_named_graph(target):
            head = list(itertools.islice(triples, self.ATOMIC_LIMIT + 1))
            if len(head) <= self.ATOMIC_LIMIT:
                return self.replace_graph(graph, head + list(completion))
            self.store.update(f"DROP SILENT GRAPH <{graph}>")
            triples = itertools.chain(head, triples)
        counter = [0]
        self.store.bulk_extend(self._quads(triples, target, counter))
        self.store.extend(self._quads(completion, target, counter))  # the completion marker, in a transaction
        return counter[0]

    # quads per bulk load call. One call at a time wastes a core (a parsing thread
    # feeding an indexing thread); two side by side (:class:`_BulkLoader`) load
    # 2.25 M quads in 11 s and 21 CPU-seconds in chunks of 100,000, against 12.4 s
    # and 23.5 in chunks of 200,000, which also hold twice the memory.
    BULK_CHUNK = 100_000

    def write_documents(self, batch: list[tuple[str, Iterable[Triple], list[Triple]]], *,
                        on_error: Callable[[str, Exception], None] | None = None,
                        before_marks: Callable[[], None] | None = None) -> int:
        """New documents of a batch go to Oxigraph's bulk loader as N-Quads, in chunks
        of :data:`BULK_CHUNK` quads (each bulk call writes files of its own, so one
        call per small document costs more than its data; one list of a whole large
        document costs gigabytes). A background thread loads each chunk while the
        next is written (the loader parses in Rust with the GIL released: a 1 MB
        document's triples are stored in 2.5 s instead of 4.4 s). Then all their
        completion markers go in one transaction. Replacements of stored documents
        go one by one afterwards (:meth:`write_document`), so nothing writes beside
        the bulk loader.

        ``triples`` may be a one-pass iterable (a :class:`kg.rdf.DocumentGraph`).
        A document whose triples cannot be stored (ValueError: an IRI or literal
        N-Quads cannot hold) is reported to ``on_error``, and what of it was loaded
        is removed; the others are written (see :meth:`GraphStore.write_documents`).
        ``before_marks()`` runs after the data and before the completion markers
        (``kg build`` adds the shared facts there, known once the documents are read).
        """
        from .terms import NQuads

        ox = self._ox
        count = 0
        buffer: list[bytes] = []
        partly_loaded: set[str] = set()
        failed: list[tuple[str, Exception]] = []
        replacements: list[tuple[str, Iterable[Triple], list[Triple]]] = []
        marks: list = []
        writer = NQuads()
        loader = _BulkLoader(self.store, ox)
        try:
            for g, t, c in batch:
                mark = len(buffer)
                try:
                    target = ox.NamedNode(str(g))
                    if self.store.contains_named_graph(target):
                        replacements.append((g, t, c))
                        continue
                    graph = writer.iri(str(g))
                    # a kg.rdf.DocumentGraph writes its own lines, without rdflib terms
                    lines = t.nquads(str(g)) if hasattr(t, "nquads") else (
                        writer.line(s_, p_, o_, graph) for s_, p_, o_ in t)
                    n = 0
                    for line in lines:
                        buffer.append(line)
                        n += 1
                        if len(buffer) >= self.BULK_CHUNK:
                            loader.load(b"".join(buffer))
                            buffer.clear()
                            mark = 0
                            partly_loaded.add(g)
                    done = [ox.Quad(to_ox(s_), to_ox(p_), to_ox(o_), target) for s_, p_, o_ in c]
                except (ValueError, TypeError) as exc:
                    if on_error is None:
                        raise
                    del buffer[mark:]
                    failed.append((g, _as_value_error(exc)))
                else:
                    marks.extend(done)
                    count += n + len(done)
            if buffer:
                loader.load(b"".join(buffer))
        finally:
            loader.close()  # waits for the last chunk; raises what the loader raised (a bug of ours)
        for g, exc in failed:
            if g in partly_loaded:
                self.remove_graph(g)
            else:
                self._discard(g)
            on_error(g, exc)
        if before_marks is not None:
            before_marks()
        if marks:
            self.store.extend(marks)  # the completion markers, one transaction
        for g, t, c in replacements:
            try:
                count += self.write_document(g, t, c)
            except (ValueError, TypeError) as exc:
                if on_error is None:
                    raise
                self._discard(g)
                on_error(g, _as_value_error(exc))
        return count

    def remove_graph(self, graph: str) -> bool:
        g = self._ox.NamedNode(str(graph))
        present = self.store.contains_named_graph(g)
        self.store.update(f"DROP SILENT GRAPH <{graph}>")
        return present

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def _run(self, sparql: str, bindings: dict | None, allow_service: bool = False):
        ox = self._ox
        shape = check_query(sparql, allow_service)
        subs = {ox.Variable(k): to_ox(v) for k, v in bindings.items()} if bindings else None
        # a query with FROM / FROM NAMED gets its own dataset; otherwise the default graph is the union
        union = {} if shape.dataset else {"use_default_graph_as_union": True}
        try:
            return self.store.query(sparql, prefixes=PREFIXES, substitutions=subs, **union)
        except SyntaxError as exc:
            raise _syntax_error(exc, sparql) from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None

    def query(self, sparql: str, *, bindings: dict | None = None, timeout: float | None = None,
              allow_service: bool = False) -> QueryResult:
        ox = self._ox

        def materialise() -> QueryResult:
            res = self._run(sparql, bindings, allow_service)
            try:
                if isinstance(res, ox.QueryBoolean):
                    return QueryResult("ask", boolean=bool(res))
                if isinstance(res, ox.QuerySolutions):
                    variables = [v.value for v in res.variables]
                    return QueryResult("select", variables=variables,
                                       rows=[{v: from_ox(sol[v]) for v in variables} for sol in res])
                return QueryResult("graph", triples=[(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                                                     for t in res])
            finally:
                del res  # dropped on the thread that made it (pyoxigraph's results are bound to their thread)

        return run_with_timeout(materialise, timeout)

    def stream(self, sparql: str, fmt: str, output, *, bindings: dict | None = None, timeout: float | None = None,
               allow_service: bool = False) -> bool:
        """Write SELECT/ASK results straight to a binary stream (csv, tsv, json, xml)
        without holding them in memory. Returns False for CONSTRUCT/DESCRIBE."""
        ox = self._ox
        formats = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}

        def write() -> bool:
            res = self._run(sparql, bindings, allow_service)
            try:
                if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
                    res.serialize(output, format=formats[fmt])
                    return True
                return False
            finally:
                del res  # dropped on the thread that made it (pyoxigraph's results are bound to their thread)

        return run_with_timeout(write, timeout)

    def update(self, sparql: str) -> None:
        try:
            self.store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise _syntax_error(exc, sparql) from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"update failed: {exc}") from None

    def quads(self) -> Iterator[tuple]:
        for q in self.store:
            yield (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name))

    def __len__(self) -> int:
        return len(self.store)

    def dump(self, fmt: str) -> bytes:
        ox = self._ox
        formats = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        return self.store.dump(format=formats[fmt])

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self.store.flush()

    def close(self) -> None:
        if getattr(self, "store", None) is not None and self.path is not None and not self.read_only:
            self.store.flush()
        self.store = None


# --------------------------------------------------------------------------- rdflib in memory

class MemoryStore(GraphStore):
    """A plain in-memory rdflib Dataset: the baseline a user would otherwise pick."""

    name = "memory"
    supports_update = True

    def __init__(self):
        from rdflib import Dataset

        self.ds = Dataset(default_union=True)
        for k, v in PREFIXES.items():
            self.ds.bind(k, v)

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        self.ds.remove_graph(self.ds.graph(URIRef(graph)))
        g = self.ds.graph(URIRef(graph))
        n = 0
        for t in triples:
            g.add(t)
            n += 1
        return n

    def remove_graph(self, graph: str) -> bool:
        present = URIRef(graph) in {c.identifier for c in self.ds.contexts()}
        self.ds.remove_graph(self.ds.graph(URIRef(graph)))
        return present

    def graphs(self) -> list[str]:
        return sorted(str(c.identifier) for c in self.ds.contexts() if len(c) and str(c.identifier).startswith("http"))

    def query(self, sparql: str, *, bindings: dict | None = None, timeout: float | None = None,
              allow_service: bool = False) -> QueryResult:
        from pyparsing import ParseException

        if check_query(sparql, allow_service).dataset:  # rdflib would fetch FROM IRIs from the web
            raise QueryError("FROM / FROM NAMED are not supported by the in-memory store; use GRAPH")
        try:
            res = self.ds.query(sparql, initNs=PREFIXES, initBindings=bindings or {})
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        if res.type == "ASK":
            return QueryResult("ask", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            variables = [str(v) for v in res.vars]
            return QueryResult("select", variables=variables,
                               rows=[{v: row[i] for i, v in enumerate(variables)} for row in res])
        return QueryResult("graph", triples=list(res))

    def update(self, sparql: str) -> None:
        self.ds.update(sparql, initNs=PREFIXES)

    def quads(self) -> Iterator[tuple]:
        for s, p, o, g in self.ds.quads((None, None, None, None)):
            yield (s, p, o, g.identifier if hasattr(g, "identifier") else g)

    def __len__(self) -> int:
        return sum(1 for _ in self.ds.quads((None, None, None, None)))


# --------------------------------------------------------------------------- factory

def open_store(path: str | os.PathLike | None = DEFAULT_STORE, *, endpoint: str | None = None,
               read_only: bool = False, backend: str | None = None) -> GraphStore:
    """Open the store a command works on: an endpoint URL, else the embedded store at ``path``."""
    if endpoint:
        from .endpoint import EndpointStore

        return EndpointStore(endpoint)
    if backend == "memory":
        return MemoryStore()
    return OxigraphStore(path, read_only=read_only)


def to_json_text(result: QueryResult) -> str:
    return json.dumps(result.to_sparql_json(), ensure_ascii=False, indent=1)

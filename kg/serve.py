"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, safe to leave running.

- ``GET /sparql?query=…`` and ``POST /sparql`` (``application/sparql-query`` body, or
  ``application/x-www-form-urlencoded`` with ``query=``) answer SELECT/ASK as
  SPARQL JSON, XML, CSV or TSV and CONSTRUCT/DESCRIBE as Turtle, N-Triples,
  RDF/XML or JSON-LD, chosen by ``Accept`` or by a ``format=`` parameter.
  The default graph is the union of the named graphs; ``FROM`` / ``FROM NAMED``
  in the query, or the protocol's ``default-graph-uri`` / ``named-graph-uri``
  (which take precedence), select graphs instead. The project's prefixes
  (:data:`kg.namespace.PREFIXES`) are predeclared.
- Updates in any form are refused with 403; the store is opened read-only, so
  nothing can change it. Syntax errors get 400 with the parser's message.
- ``SERVICE`` (federated queries) is refused with 400 unless the server was
  started with ``allow_service`` (``--allow-service``): otherwise any page a
  browser visits could make this machine send requests (a GET needs no Origin).
  Query workers that refuse SERVICE also cannot open sockets at all (a seccomp
  filter on Linux x86-64/aarch64), so a parser disagreement cannot reach the network.
- ``GET /`` is a query page (a CodeMirror 6 editor with SPARQL highlighting, named
  queries with one field per parameter, results with prefixed names, paging,
  downloads, shareable ``/?query=…`` links) whose scripts and styles are
  :data:`STATIC` files of this package under ``/static/``: no other origin.
- ``$name=value`` parameters bind ``?name`` in the query with a ``VALUES`` block
  (:func:`kg.queries.bind_values`; RDF4J's protocol has the same parameters).
- ``cors`` (``--cors ORIGIN``) lets pages from those origins query the endpoint
  (Access-Control-Allow-Origin for them only, preflight answered); by default no
  CORS header is sent.
- Bound to loopback, requests whose ``Host`` or ``Origin`` is not a loopback name
  are refused (403), which stops DNS-rebinding pages from reading the graph.
  Serving on another host needs an explicit ``--host``.

Bounded work. Queries are evaluated in a pool of worker processes, each with
its own read-only handle on the store. A query still running at ``timeout``
seconds has its worker killed (evaluation stops; a fresh worker replaces it)
and gets 503; so does one that would grow its worker past ``memory_mb`` MiB
(an address-space limit in the worker), or whose client has disconnected
(no answer then). A request waits at most ``timeout`` seconds for a free worker
(503 with Retry-After otherwise). ``timeout=0`` / ``memory_mb=0``: no limit.

Many clients. One thread accepts connections and reads requests without
blocking; only whole requests reach the :data:`CONNECTION_THREADS` handler
threads, so slow clients hold no thread. A client has :data:`READ_TIMEOUT`
seconds to send its whole request, and each 256 KiB of an answer must be taken
within that time too. Beyond :data:`LISTEN_BACKLOG` connections in progress,
new ones wait in the kernel's listen backlog (of that size) instead of being
refused. Only the standard library (wsgiref, socketserver, selectors) is used.

The store is opened read-only by each worker when it starts: documents built
afterwards are seen after a restart of the server.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import queue
import re
import secrets
import select
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from html import escape
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.util import setup_testing_defaults

from .namespace import PREFIXES, sparql_prologue
from .store import SERVICE_REFUSED, ServiceRefused, StoreError, check_query, is_update

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_BODY = 1 << 20  # 1 MiB of query text is plenty
DEFAULT_TIMEOUT = 30.0  # seconds per query (0: no limit)
DEFAULT_MEMORY_MB = 1024  # address space a query may add to its worker (0: no ceiling)
CONNECTION_THREADS = 64  # connections handled at once; more wait in the listen backlog
LISTEN_BACKLOG = 1024  # the kernel caps it at net.core.somaxconn
READ_TIMEOUT = 10.0  # seconds to send a whole request, and to take each chunk of an answer
CHUNK = 256 * 1024  # answers are written in pieces of this size


STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC = {  # the only files /static/ serves (package data), with their media types
    "codemirror.js": "text/javascript; charset=utf-8",
    "codemirror.LICENSE": "text/plain; charset=utf-8",
    "query.js": "text/javascript; charset=utf-8",
    "query.css": "text/css; charset=utf-8",
}
STATIC_MAX_AGE = 3600  # seconds; the page asks for ?v=<content hash>, so a new version is fetched at once
CORS_MAX_AGE = 600  # seconds a browser may reuse a preflight answer
_HEADER_LIST = re.compile(r"[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*")


def default_workers() -> int:
    """Query worker processes by default: one per CPU, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


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
    """503: the query hit a limit (time, memory) or no worker was free."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ClientGone(Exception):
    """The client closed its connection while its query waited or ran: the query was stopped."""


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


# --------------------------------------------------------------------------- evaluation (in a worker)

def evaluate(store, request: dict, *, allow_service: bool = False) -> tuple[str, bytes]:
    """Answer one query request on a pyoxigraph ``store``: (media type, body).

    ``request``: ``query``, ``accept``, ``format``, and ``default`` / ``named``
    (the protocol's default-graph-uri / named-graph-uri lists, or None).
    Raises BadRequest for a refused or malformed query.
    """
    import pyoxigraph as ox

    query = request["query"]
    try:
        shape = check_query(query, allow_service)
    except ServiceRefused as exc:
        raise BadRequest(str(exc)) from None
    kwargs: dict = {}
    try:
        if request.get("default") is not None or request.get("named") is not None:
            # the protocol's dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4)
            kwargs["default_graph"] = [ox.NamedNode(g) for g in request.get("default") or []]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.get("named") or []]
        elif not shape.dataset:
            kwargs["use_default_graph_as_union"] = True
    except ValueError as exc:
        raise BadRequest(f"bad graph IRI in default-graph-uri/named-graph-uri: {exc}") from None
    try:
        res = store.query(query, prefixes=PREFIXES, **kwargs)
    except SyntaxError as exc:
        raise BadRequest(f"SPARQL syntax error: {exc}") from None
    accept, fmt = request.get("accept"), request.get("format")
    if isinstance(res, ox.QueryBoolean):
        media = negotiate("results", accept, fmt)
        body = json.dumps({"head": {}, "boolean": bool(res)}).encode("utf-8")
        if media != "application/sparql-results+json":
            body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(
                format=getattr(ox.QueryResultsFormat, RESULTS_TYPES[media]))
    elif isinstance(res, ox.QuerySolutions):
        media = negotiate("results", accept, fmt)
        body = res.serialize(format=getattr(ox.QueryResultsFormat, RESULTS_TYPES[media]))
    else:
        media = negotiate("graph", accept, fmt)
        body = ox.serialize(res, format=getattr(ox.RdfFormat, GRAPH_TYPES[media]), prefixes=PREFIXES)
    return media, body


# --------------------------------------------------------------------------- worker processes

_FRAME = struct.Struct("!IQ")  # JSON header length, body length


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view[:1 << 20])
        view = view[n:]


def _write_frame(fd: int, header: dict, body: bytes = b"") -> None:
    head = json.dumps(header).encode("utf-8")
    _write_all(fd, _FRAME.pack(len(head), len(body)) + head)
    if body:
        _write_all(fd, body)


def _read_exact(fd: int, n: int) -> bytes | None:
    """``n`` bytes from a blocking fd, or None at end of file."""
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, min(n - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def _prctl(*args) -> int:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return libc.prctl(*args)


def _deny_sockets() -> bool:
    """Forbid this process to create sockets (a seccomp filter: socket() and
    io_uring_setup() fail with EACCES, foreign syscall ABIs are refused).
    Returns False where that is not available (not Linux, another CPU, no seccomp)."""
    import ctypes
    import errno
    import platform

    if not sys.platform.startswith("linux"):
        return False
    arch = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}.get(platform.machine())
    if arch is None:
        return False
    audit_arch, nr_socket, nr_io_uring_setup = arch
    ld_abs, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    allow, deny = 0x7FFF0000, 0x00050000 | errno.EACCES  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO
    prog = [(ld_abs, 0, 0, 4),                    # A = seccomp_data.arch
            (jeq, 1, 0, audit_arch),
            (ret, 0, 0, deny),                    # another ABI (i386, x32 via arch): refuse
            (ld_abs, 0, 0, 0),                    # A = seccomp_data.nr
            (jge, 3, 0, 0x40000000),              # x32 system calls: refuse
            (jeq, 2, 0, nr_socket),
            (jeq, 1, 0, nr_io_uring_setup),
            (ret, 0, 0, allow),
            (ret, 0, 0, deny)]
    raw = b"".join(struct.pack("HBBI", *ins) for ins in prog)
    filt = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(prog), ctypes.addressof(filt))
    try:
        if _prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return _prctl(22, 2, ctypes.addressof(fprog), 0, 0) == 0  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    except (OSError, AttributeError):
        return False


def _address_space() -> int:
    """This process's address space in bytes (0 where /proc is missing: no memory ceiling then)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _worker_main() -> None:
    """A query worker: ``python -c 'import kg.serve as s; s._worker_main()' STORE MEMORY_MB ALLOW_SERVICE PARENT_PID``.

    Requests arrive on stdin and answers leave on stdout as frames (see
    :func:`_write_frame`); anything else the process prints goes to stderr.
    """
    store_path, memory_mb, allow_service, parent = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4])
    if sys.platform.startswith("linux"):
        try:
            _prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the server
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(0)
    in_fd, out_fd = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # stray prints (Python or native) must not corrupt the frames
    sys.stdout = sys.stderr
    try:
        from .store import OxigraphStore, inspect_query

        store = OxigraphStore(store_path, read_only=True).store
        inspect_query("SELECT ?from { SERVICE <urn:x> {} }")  # build rdflib's parser now, not in the first query
        store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)
    except (StoreError, OSError) as exc:
        _write_frame(out_fd, {"ready": False, "message": str(exc)})
        os._exit(1)
    sandboxed = False if allow_service else _deny_sockets()
    baseline = _address_space()
    if not baseline:
        memory_mb = 0
    if memory_mb > 0:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = baseline + (memory_mb << 20)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _write_frame(out_fd, {"ready": True, "pid": os.getpid()})
    while True:
        head = _read_exact(in_fd, _FRAME.size)
        if head is None:
            os._exit(0)
        hlen, blen = _FRAME.unpack(head)
        request = json.loads(_read_exact(in_fd, hlen) or b"{}")
        if blen:
            _read_exact(in_fd, blen)
        header: dict = {"status": "200 OK"}
        body = b""
        try:
            header["type"], body = evaluate(store, request, allow_service=allow_service)
        except BadRequest as exc:
            header = {"status": "400 Bad Request", "message": str(exc)}
        except MemoryError:
            body = b""
            header = {"status": "503 Service Unavailable", "memory": True, "recycle": True}
        except Exception as exc:  # noqa: BLE001 - OSError, RuntimeError (evaluation), anything: one answer
            header = {"status": "500 Internal Server Error", "message": f"query failed: {exc}"}
            if isinstance(exc, PermissionError) and sandboxed:  # a SERVICE met the socket filter
                header = {"status": "400 Bad Request", "message": SERVICE_REFUSED}
        if memory_mb > 0 and _address_space() > baseline + (memory_mb << 20) * 3 // 4:
            header["recycle"] = True  # memory kept from a large query: start afresh
        try:
            _write_frame(out_fd, header, body)
        except MemoryError:
            _write_frame(out_fd, {"status": "503 Service Unavailable", "memory": True, "recycle": True})
        del body


class _WorkerLost(Exception):
    def __init__(self, message: str, memory: bool = False):
        super().__init__(message)
        self.memory = memory


class _Worker:
    """The server's handle on one worker process."""

    def __init__(self, store_path: str, memory_mb: int, allow_service: bool, verbose: bool, start_timeout: float = 120):
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, RUST_BACKTRACE="0",
                   PYTHONPATH=os.pathsep.join([root] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        self.memory_mb = memory_mb
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import kg.serve as s; s._worker_main()", store_path, str(memory_mb),
             "1" if allow_service else "0", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None if verbose else subprocess.DEVNULL,
            env=env, close_fds=True)
        self.fd = self.proc.stdout.fileno()
        try:
            header, _ = self._receive(time.monotonic() + start_timeout, None)
        except (_WorkerLost, TimeoutError, ValueError) as exc:
            self.kill()
            raise StoreError(f"cannot start a query worker: {exc or 'no answer'}") from None
        if not header.get("ready"):
            self.kill()
            raise StoreError(header.get("message") or "cannot start a query worker")

    def _read(self, n: int, deadline: float | None, cancelled: Callable[[], bool] | None) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                raise TimeoutError
            if cancelled is not None:
                wait = 0.25 if wait is None else min(wait, 0.25)
            if not _readable(self.fd, wait):
                if cancelled is not None and cancelled():
                    raise ClientGone
                continue
            chunk = os.read(self.fd, min(n - len(buf), 1 << 20))
            if not chunk:
                raise self._lost()
            buf += chunk
        return bytes(buf)

    def _receive(self, deadline, cancelled) -> tuple[dict, bytes]:
        hlen, blen = _FRAME.unpack(self._read(_FRAME.size, deadline, cancelled))
        header = json.loads(self._read(hlen, deadline, cancelled))
        return header, self._read(blen, deadline, cancelled) if blen else b""

    def _lost(self) -> _WorkerLost:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV) and self.memory_mb > 0:
            # Rust aborts when an allocation fails under the address-space limit (the kernel's
            # OOM killer sends SIGKILL)
            return _WorkerLost(f"the query's worker ran out of memory (exit {code})", memory=True)
        return _WorkerLost(f"the query's worker ended unexpectedly (exit {code})")

    def request(self, request: dict, deadline: float | None, cancelled) -> tuple[dict, bytes]:
        try:
            _write_frame(self.proc.stdin.fileno(), request)
        except (BrokenPipeError, OSError):
            raise self._lost() from None
        return self._receive(deadline, cancelled)

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


class QueryPool:
    """Worker processes evaluating queries, killed and replaced at the timeout."""

    def __init__(self, store_path, *, workers: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB,
                 allow_service: bool = False, verbose: bool = False):
        self.store_path = str(Path(store_path).resolve())
        self.size = workers or default_workers()
        self.memory_mb = memory_mb
        self.allow_service = allow_service
        self.verbose = verbose
        self._idle: queue.Queue = queue.Queue()
        self._spawns: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        self._closed = False
        self._failure: str | None = None
        self._first = threading.Event()
        self._spawner = None

    def start(self) -> None:
        """Start the workers; raises StoreError if the first one cannot open the store."""
        # workers are started by ONE long-lived thread: the parent-death signal they set fires
        # when the thread that started them ends
        self._spawner = threading.Thread(target=self._spawn_loop, daemon=True, name="kg-serve-spawner")
        self._spawner.start()
        for _ in range(self.size):
            self._spawns.put(True)
        self._first.wait()
        if self._failure and self._idle.empty():
            message = self._failure
            self.close()
            raise StoreError(message)

    def _spawn_loop(self) -> None:
        delay = 0.5
        while True:
            token = self._spawns.get()
            if token is None or self._closed:
                return
            try:
                worker = _Worker(self.store_path, self.memory_mb, self.allow_service, self.verbose)
            except StoreError as exc:
                self._failure = str(exc)
                self._first.set()
                if self.verbose:
                    sys.stderr.write(f"kg serve: {exc}; retrying in {delay:g} s\n")
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                self._spawns.put(True)
                continue
            delay = 0.5
            with self._lock:
                if self._closed:
                    worker.kill()
                    return
                self._all.add(worker)
            self._failure = None
            self._idle.put(worker)
            self._first.set()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            self._spawns.put(True)

    def _acquire(self, timeout: float | None, cancelled) -> _Worker:
        deadline = None if not timeout else time.monotonic() + timeout
        while True:
            wait = 0.25 if deadline is None else min(0.25, deadline - time.monotonic())
            if wait <= 0:
                raise QueryTimeout(f"the server is busy: all {self.size} query workers stayed busy for "
                                   f"{timeout:g} s; try again later", retry_after=5)
            try:
                return self._idle.get(timeout=wait)
            except queue.Empty:
                pass
            if self._closed:
                raise QueryTimeout("the server is shutting down")
            if cancelled is not None and cancelled():
                raise ClientGone
            if self._failure and not self._all:
                raise QueryTimeout(f"no query worker is running: {self._failure}", retry_after=5)

    def run(self, request: dict, timeout: float | None, cancelled: Callable[[], bool] | None = None
            ) -> tuple[str, str | None, bytes]:
        """Evaluate a request: (HTTP status, media type or None, body or message bytes)."""
        worker = self._acquire(timeout, cancelled)
        deadline = None if not timeout else time.monotonic() + timeout
        try:
            header, body = worker.request(request, deadline, cancelled)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(f"query stopped after the {timeout:g} s timeout (its evaluation was "
                               "cancelled); narrow it, add a LIMIT, or ask for a higher --timeout") from None
        except ClientGone:
            self._replace(worker)
            raise
        except _WorkerLost as exc:
            self._replace(worker)
            if exc.memory:
                raise QueryTimeout(self._memory_message()) from None
            raise QueryTimeout(f"query failed: {exc}") from None
        except BaseException:
            self._replace(worker)
            raise
        if header.get("recycle"):
            self._replace(worker)
        else:
            self._idle.put(worker)
        if header.get("memory"):
            raise QueryTimeout(self._memory_message())
        status = header.get("status", "500 Internal Server Error")
        if not status.startswith("2"):
            return status, None, (header.get("message") or status).encode("utf-8")
        return status, header.get("type"), body

    def _memory_message(self) -> str:
        return (f"query stopped: it needed more than the {self.memory_mb} MiB memory ceiling per query "
                "(its evaluation was cancelled); narrow it, add a LIMIT, or ask for a higher --memory")

    def close(self) -> None:
        self._closed = True
        self._spawns.put(None)
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()


# --------------------------------------------------------------------------- the WSGI application

def _readable(fd: int, timeout: float | None) -> bool:
    """Whether ``fd`` is readable (or at end of file) within ``timeout`` seconds (poll: any fd number)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return bool(poller.poll(None if timeout is None else max(0, int(timeout * 1000))))


def _peer_closed(sock) -> bool:
    """True when the client has closed its end (EOF or reset): it sent its whole request before this is asked."""
    try:
        if not _readable(sock.fileno(), 0):
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class SparqlApp:
    """The WSGI application; ``handle_path`` answers one request without a socket.

    Queries go to a :class:`QueryPool` of worker processes, started by
    :meth:`start` or at the first query.
    """

    def __init__(self, store_path, *, timeout: float | None = DEFAULT_TIMEOUT, allow_remote: bool = False,
                 workers: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB, allow_service: bool = False,
                 verbose: bool = False, cors: tuple[str, ...] | list[str] = ()):
        path = Path(store_path)
        if not (path / "CURRENT").exists():
            raise StoreError(f"no graph store at {path}: run `kg build --store {path}` first")
        self.store_path = path
        self.timeout = timeout or None
        self.allow_remote = allow_remote
        self.allow_service = allow_service
        self.memory_mb = memory_mb
        self.workers = workers or default_workers()
        self.verbose = verbose
        self.cors = tuple(normalize_origin(o) for o in cors)
        self._static = _read_static()
        self._pool: QueryPool | None = None
        self._pool_lock = threading.Lock()

    def start(self) -> QueryPool:
        with self._pool_lock:
            if self._pool is None:
                pool = QueryPool(self.store_path, workers=self.workers, memory_mb=self.memory_mb,
                                 allow_service=self.allow_service, verbose=self.verbose)
                pool.start()
                self._pool = pool
            return self._pool

    def limits(self) -> str:
        """The limits in one line, for the start-up message."""
        t = f"{self.timeout:g} s" if self.timeout else "no time limit"
        m = f"{self.memory_mb} MiB" if self.memory_mb else "no memory ceiling"
        svc = "SERVICE allowed" if self.allow_service else "SERVICE refused"
        return f"{t} and {m} per query, {self.workers} query worker(s), {svc}"

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ, start_response):
        status, headers, body = self.respond(environ)
        start_response(status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        # pieces, so each is written within the connection's timeout
        return [body[i:i + CHUNK] for i in range(0, len(body), CHUNK)] or [b""]

    def respond(self, environ) -> tuple[str, list[tuple[str, str]], bytes]:
        status, headers, body = self._respond(environ)
        if self.cors:
            extra = self._cors_headers(environ)
            vary = [v for k, v in headers if k == "Vary"]
            headers = [(k, v) for k, v in headers if k != "Vary"] + [(k, v) for k, v in extra if k != "Vary"]
            headers.append(("Vary", ", ".join(vary + ["Origin"])))
        return status, headers, body

    def _cors_allowed(self, origin: str | None) -> bool:
        return bool(origin) and bool(self.cors) and ("*" in self.cors or origin.lower() in self.cors)

    def _cors_headers(self, environ) -> list[tuple[str, str]]:
        """CORS headers for an answer to /sparql: only for an origin given with --cors."""
        origin = environ.get("HTTP_ORIGIN")
        if not self._cors_allowed(origin) or (environ.get("PATH_INFO") or "/") != "/sparql":
            return []
        return [("Access-Control-Allow-Origin", "*" if "*" in self.cors else origin)]

    def _preflight(self, environ):
        """204 for a CORS preflight (OPTIONS /sparql) from an allowed origin; headers echoed only
        when they are a plain list of names (no credentials are ever allowed)."""
        headers = [("Allow", "GET, HEAD, POST, OPTIONS"), ("Access-Control-Allow-Methods", "GET, HEAD, POST"),
                   ("Access-Control-Max-Age", str(CORS_MAX_AGE)), ("Content-Length", "0")]
        asked = (environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS") or "").strip()
        allowed = asked if asked and _HEADER_LIST.fullmatch(asked) else "Accept, Content-Type"
        headers.append(("Access-Control-Allow-Headers", allowed))
        if (environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK") or "").lower() == "true":
            headers.append(("Access-Control-Allow-Private-Network", "true"))  # Chrome: a public page → loopback
        return "204 No Content", headers, b""

    def _respond(self, environ) -> tuple[str, list[tuple[str, str]], bytes]:
        try:
            origin = environ.get("HTTP_ORIGIN")
            if not self.allow_remote:
                if not _is_loopback(environ.get("HTTP_HOST")) or not (
                        _origin_is_loopback(origin) or self._cors_allowed(origin)):
                    raise Forbidden("this server only answers requests to and from 127.0.0.1/localhost; "
                                    "start it with an explicit --host to serve other hosts"
                                    + (", or --cors ORIGIN to let a page from ORIGIN query it" if origin else ""))
            path = environ.get("PATH_INFO") or "/"
            method = environ.get("REQUEST_METHOD", "GET").upper()
            if path in ("/", "/index.html"):
                if method not in ("GET", "HEAD"):
                    return self._text("405 Method Not Allowed", "use GET", [("Allow", "GET, HEAD")])
                return self._page()
            if path.startswith("/static/"):
                if method not in ("GET", "HEAD"):
                    return self._text("405 Method Not Allowed", "use GET", [("Allow", "GET, HEAD")])
                return self._static_file(path[len("/static/"):], environ)
            if path == "/sparql" and method == "OPTIONS" and self._cors_allowed(origin):
                return self._preflight(environ)
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
            extra = [("Retry-After", str(exc.retry_after))] if exc.retry_after else []
            return self._text("503 Service Unavailable", str(exc), extra)
        except ClientGone:
            return self._text("499 Client Closed Request", "the client closed the connection; the query was stopped")
        except StoreError as exc:
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
            if len(body) < length:
                raise BadRequest("the request body ended early")
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
        if is_update(query):
            raise Forbidden("this endpoint is read-only: SPARQL UPDATE is not allowed")
        query = self._bind(query, params)
        fmt = (params.get("format") or params.get("output") or [None])[0]
        dataset = {}
        if "default-graph-uri" in params or "named-graph-uri" in params:
            dataset = {"default": params.get("default-graph-uri") or [], "named": params.get("named-graph-uri") or []}
        sock = environ.get("kg.connection")
        cancelled = (lambda: _peer_closed(sock)) if sock is not None else None
        return self.run(query, environ.get("HTTP_ACCEPT"), fmt, cancelled=cancelled, **dataset)

    @staticmethod
    def _bind(query: str, params: dict) -> str:
        """The query with its ``$name=value`` parameters bound in a VALUES block (kg.queries.bind_values)."""
        from .queries import QueryLibraryError, bind_values, parse_value

        given = {k[1:]: v for k, v in params.items() if k.startswith("$")}
        if not given:
            return query
        try:
            bindings = {}
            for name, values in given.items():
                if len(values) != 1:
                    raise QueryLibraryError(f"give ${name} once (it was given {len(values)} times)")
                bindings[name] = parse_value(values[0])
            return bind_values(query, bindings)
        except QueryLibraryError as exc:
            raise BadRequest(f"bad parameter: {exc}") from None

    def run(self, query: str, accept: str | None = None, fmt: str | None = None, *,
            default: list[str] | None = None, named: list[str] | None = None,
            cancelled: Callable[[], bool] | None = None):
        """Evaluate ``query`` in a worker and serialise it for ``accept``/``fmt``: (status, headers, body)."""
        pool = self.start()
        request = {"query": query, "accept": accept, "format": fmt, "default": default, "named": named}
        status, media, body = pool.run(request, self.timeout, cancelled)
        if media is None:
            return self._text(status, body.decode("utf-8", "replace"))
        ctype = media + ("; charset=utf-8" if media.startswith("text/") else "")
        return status, [("Content-Type", ctype), ("Content-Length", str(len(body))),
                        ("X-Content-Type-Options", "nosniff"), ("Vary", "Accept")], body

    # ------------------------------------------------------------------ page and its files
    def _static_file(self, name: str, environ):
        if name not in self._static:
            return self._text("404 Not Found", f"no such file /static/{name}")
        raw, digest = self._static[name]
        etag = f'"{digest}"'
        headers = [("ETag", etag), ("Cache-Control", f"public, max-age={STATIC_MAX_AGE}"),
                   ("X-Content-Type-Options", "nosniff"), ("Cross-Origin-Resource-Policy", "same-origin")]
        if etag in [t.strip() for t in (environ.get("HTTP_IF_NONE_MATCH") or "").split(",")]:
            return "304 Not Modified", headers, b""
        return "200 OK", [("Content-Type", STATIC[name]), ("Content-Length", str(len(raw)))] + headers, raw

    def _static_url(self, name: str) -> str:
        return f"static/{name}" + (f"?v={self._static[name][1][:12]}" if name in self._static else "")

    def _page(self):
        from .queries import list_queries

        try:
            named = [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
                      "parameters": list(q.parameters), "defaults": dict(q.defaults), "hints": dict(q.hints)}
                     for q in list_queries()]
        except Exception:  # noqa: BLE001 - a broken .rq file must not break the page
            named = []
        nonce = secrets.token_urlsafe(16)
        data = {"prefixes": PREFIXES, "queries": named, "nonce": nonce,
                "example": "SELECT ?type (COUNT(?x) AS ?n)\nWHERE { ?x a ?type }\nGROUP BY ?type\nORDER BY DESC(?n)\nLIMIT 20\n"}
        fill = {
            "DATA": _script_json(data),
            "OPTIONS": "".join(f'<option value="{escape(q["name"])}">{escape(q["name"])}: {escape(q["title"])}</option>'
                               for q in named),
            "PREFIXES": escape(sparql_prologue()),
            "NPREFIXES": str(len(PREFIXES)),
            "CSS": escape(self._static_url("query.css")),
            "EDITOR": escape(self._static_url("codemirror.js")),
            "SCRIPT": escape(self._static_url("query.js")),
        }
        body = re.sub(r"\{\{([A-Z]+)\}\}", lambda m: fill[m.group(1)], PAGE)
        raw = body.encode("utf-8")
        # scripts and styles from this server only; CodeMirror's own <style> (where constructable
        # style sheets are missing) carries the nonce
        csp = (f"default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; connect-src 'self'; "
               "img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
        return "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(raw))),
                          ("Content-Security-Policy", csp), ("X-Content-Type-Options", "nosniff"),
                          ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
                          ("Cache-Control", "no-cache")], raw

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
        environ["wsgi.input"] = io.BytesIO(body)
        setup_testing_defaults(environ)
        return self.respond(environ)

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


def _read_static() -> dict[str, tuple[bytes, str]]:
    """(content, SHA-256 prefix for the ETag and ?v=) of each :data:`STATIC` file there is."""
    files = {}
    for name in STATIC:
        try:
            raw = (STATIC_DIR / name).read_bytes()
        except OSError:
            continue
        files[name] = (raw, hashlib.sha256(raw).hexdigest()[:20])
    return files


def _script_json(data) -> str:
    """JSON safe inside <script>: no '<', '>', '&', '/' or line separators appear literally."""
    text = json.dumps(data, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def make_app(store_path, *, timeout: float | None = DEFAULT_TIMEOUT, allow_remote: bool = False,
             workers: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB, allow_service: bool = False,
             verbose: bool = False, cors: tuple[str, ...] | list[str] = ()) -> SparqlApp:
    """The WSGI app answering /sparql and / over the store at ``store_path`` (opened read-only by its workers)."""
    return SparqlApp(store_path, timeout=timeout, allow_remote=allow_remote, workers=workers,
                     memory_mb=memory_mb, allow_service=allow_service, verbose=verbose, cors=cors)


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` as browsers send it in ``Origin`` (lower case, no path), or ``*``.

    Raises ValueError for anything else (a path, a query, user info, no scheme).
    """
    text = origin.strip()
    if text == "*":
        return text
    parts = urllib.parse.urlsplit(text)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password
            or parts.path not in ("", "/") or parts.query or parts.fragment):
        raise ValueError(f"{origin!r} is not an origin: give scheme://host[:port], e.g. https://yasgui.triply.cc")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{origin!r} has a bad port") from None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


# --------------------------------------------------------------------------- the HTTP server

_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$")
_EXPECT_CONTINUE = re.compile(rb"(?im)^expect[ \t]*:[ \t]*100-continue")
MAX_HEAD = 64 * 1024


def _request_complete(buf: bytes | bytearray) -> bool:
    """Whether ``buf`` holds a whole request (head and Content-Length body), or
    enough to answer it (an oversized head or body is answered with an error)."""
    m = _HEAD_END.search(buf)
    if m is None:
        return len(buf) > MAX_HEAD
    length = _CONTENT_LENGTH.search(buf, 0, m.start())
    need = int(length.group(1)) if length else 0
    return need > MAX_BODY or len(buf) >= m.end() + need


class _PooledWSGIServer(WSGIServer):
    """A WSGI server whose threads only ever see whole requests.

    One thread accepts connections and reads requests without blocking (a
    selector), so a slow client costs a buffer, not a thread; a client that has
    not sent its whole request within ``read_timeout`` seconds is disconnected.
    Whole requests go to a fixed pool of ``threads`` handler threads. When
    ``max_pending`` connections are being read or wait for a thread, accepting
    pauses and new connections wait in the kernel's listen backlog
    (``request_queue_size``) rather than being refused.
    """

    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address, handler, *, threads: int = CONNECTION_THREADS, read_timeout: float = READ_TIMEOUT,
                 max_pending: int = LISTEN_BACKLOG):
        self.read_timeout = read_timeout
        self.max_pending = max_pending
        self._jobs: queue.Queue = queue.Queue()
        self._queued = 0  # whole requests handed to the threads and not yet finished
        self._queued_lock = threading.Lock()
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._threads: list[threading.Thread] = []
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        for i in range(threads):
            t = threading.Thread(target=self._connections, daemon=True, name=f"kg-serve-conn-{i}")
            t.start()
            self._threads.append(t)

    def serve_forever(self, poll_interval: float = 0.25) -> None:
        import selectors

        self._stopped.clear()
        self.socket.setblocking(False)
        sel = selectors.DefaultSelector()
        sel.register(self.socket, selectors.EVENT_READ, None)
        listening, paused_until = True, 0.0
        reading: dict = {}  # socket → [buffer, deadline, client address, sent 100 Continue]
        try:
            while not self._stop.is_set():
                for key, _ in sel.select(poll_interval):
                    if key.data is None:
                        for _ in range(64):
                            try:
                                conn, addr = self.socket.accept()
                            except BlockingIOError:
                                break
                            except OSError:  # out of file descriptors: let the backlog hold them a moment
                                paused_until = time.monotonic() + 0.1
                                break
                            conn.setblocking(False)
                            reading[conn] = [bytearray(), time.monotonic() + self.read_timeout, addr, False]
                            sel.register(conn, selectors.EVENT_READ, True)
                        continue
                    conn = key.fileobj
                    state = reading[conn]
                    try:
                        data = conn.recv(65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:  # closed before sending a whole request
                        sel.unregister(conn)
                        del reading[conn]
                        conn.close()
                        continue
                    state[0] += data
                    if _request_complete(state[0]):
                        sel.unregister(conn)
                        del reading[conn]
                        conn.setblocking(True)
                        with self._queued_lock:
                            self._queued += 1
                        self._jobs.put((conn, state[2], bytes(state[0])))
                    elif not state[3] and _HEAD_END.search(state[0]) and _EXPECT_CONTINUE.search(state[0]):
                        state[3] = True  # curl waits a second for this before sending a body over 1 KiB
                        try:
                            conn.send(b"HTTP/1.1 100 Continue\r\n\r\n")
                        except OSError:
                            pass
                now = time.monotonic()
                for conn in [c for c, st in reading.items() if st[1] < now]:  # slow clients
                    sel.unregister(conn)
                    del reading[conn]
                    conn.close()
                busy = len(reading) + self._queued >= self.max_pending or now < paused_until
                if listening and busy:
                    sel.unregister(self.socket)
                    listening = False
                elif not listening and not busy:
                    sel.register(self.socket, selectors.EVENT_READ, None)
                    listening = True
        finally:
            for conn in reading:
                conn.close()
            sel.close()
            self._stopped.set()

    def _connections(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            conn, client_address, data = item
            try:
                self.finish_request((conn, data), client_address)
            except Exception:  # noqa: BLE001
                self.handle_error(conn, client_address)
            finally:
                with self._queued_lock:
                    self._queued -= 1
                self.shutdown_request(conn)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # timeouts, resets, a client gone: not worth a traceback
            return
        super().handle_error(request, client_address)

    def shutdown(self):
        self._stop.set()
        self._stopped.wait()

    def server_close(self):
        self._stop.set()
        super().server_close()
        for _ in self._threads:
            self._jobs.put(None)


class _Handler(WSGIRequestHandler):
    """wsgiref's handler over a request already read whole (``request`` is (socket, bytes))."""

    def setup(self):
        self.connection, data = self.request
        self.connection.settimeout(self.server.read_timeout)  # bounds each write of an answer
        self.rfile = io.BytesIO(data)
        self.wfile = socketserver._SocketWriter(self.connection)

    def get_environ(self):
        env = super().get_environ()
        env["kg.connection"] = self.connection
        return env

    def handle(self):
        try:
            super().handle()
        except OSError:  # a reset, a client too slow to take its answer: nothing more to say
            pass

    def log_message(self, format, *args):  # noqa: A002
        if getattr(self.server, "verbose", True):
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def make_server(store_path, host: str = "127.0.0.1", port: int = 8000, *, timeout: float | None = DEFAULT_TIMEOUT,
                allow_remote: bool | None = None, verbose: bool = False, app: SparqlApp | None = None,
                workers: int | None = None, memory_mb: int = DEFAULT_MEMORY_MB, allow_service: bool = False,
                threads: int = CONNECTION_THREADS, read_timeout: float = READ_TIMEOUT,
                cors: tuple[str, ...] | list[str] = ()):
    """A server (not yet serving) for the store, its query workers started; ``port=0`` picks a free port.

    ``allow_remote`` defaults to whether ``host`` is a non-loopback address.
    """
    if allow_remote is None:
        allow_remote = host not in LOOPBACK_NAMES
    app = app or make_app(store_path, timeout=timeout, allow_remote=allow_remote, workers=workers,
                          memory_mb=memory_mb, allow_service=allow_service, verbose=verbose, cors=cors)
    app.start()
    try:
        server = _PooledWSGIServer((host, port), _Handler, threads=threads, read_timeout=read_timeout)
    except BaseException:
        app.close()
        raise
    server.set_app(app)
    server.verbose = verbose
    server.app = app
    return server


def serve(store_path, host: str = "127.0.0.1", port: int = 8000, *, timeout: float | None = DEFAULT_TIMEOUT,
          ready: Callable[[str, SparqlApp], None] | None = None, verbose: bool = True, workers: int | None = None,
          memory_mb: int = DEFAULT_MEMORY_MB, allow_service: bool = False, read_timeout: float = READ_TIMEOUT,
          cors: tuple[str, ...] | list[str] = ()) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    server = make_server(store_path, host, port, timeout=timeout, verbose=verbose, workers=workers,
                         memory_mb=memory_mb, allow_service=allow_service, read_timeout=read_timeout, cors=cors)
    url = f"http://{host if ':' not in host else '[' + host + ']'}:{server.server_address[1]}/sparql"

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, stop)
    if ready:
        ready(url, server.app)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.app.close()


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>envgov-kg SPARQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{{CSS}}">
</head>
<body>
<h1>envgov-kg SPARQL endpoint</h1>
<p class="intro">Read-only SPARQL 1.1 at <code>/sparql</code>. The default graph is the union of all document graphs.
<kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs the query; the address bar then holds a link to it.</p>
<div class="bar"><label>Named query: <select id="examples"><option value="">(choose one)</option>{{OPTIONS}}</select></label>
<span id="desc"></span></div>
<details id="prefixes"><summary>{{NPREFIXES}} prefixes are predeclared (no PREFIX lines needed)</summary><pre>{{PREFIXES}}</pre></details>
<div id="params" hidden></div>
<div id="editor"><textarea id="query" spellcheck="false" aria-label="SPARQL query"></textarea></div>
<div class="actions"><button id="run" type="button">Run</button> <span><kbd>Ctrl</kbd>+<kbd>Enter</kbd></span>
<span class="downloads">Download: <a id="dl-1" download>JSON</a> <a id="dl-2" download>CSV</a> <a id="dl-3" download>TSV</a></span>
<span id="status" role="status"></span></div>
<div id="error" role="alert" hidden></div>
<nav id="pager" hidden><button id="prev" type="button">&larr; Previous</button> <span id="page-info"></span>
<button id="next" type="button">Next &rarr;</button></nav>
<div id="out"></div>
<script type="application/json" id="data">{{DATA}}</script>
<script src="{{EDITOR}}"></script>
<script src="{{SCRIPT}}"></script>
</body></html>
"""

"""Build: files → extraction → one named graph per document in a store.

A build is incremental and safe to interrupt: each document's graph is
replaced in one transaction, unchanged documents (same SHA-256 as stored) are
skipped, and a file that cannot be read, extracted or stored is reported with
a one-line reason while the rest go on.

Two graphs are derived from the documents and carry a completion mark (a
fingerprint of the documents they were computed from), so they are recomputed
whenever the mark does not match the stored documents: the shared graph
(facts about bodies, places, instruments and cited documents, each stored
once; :func:`refresh_shared`) and the cross-document links graph
(:func:`relink`).
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from extract.read import SUPPORTED_SUFFIXES, ReadError, read_file_bytes

from .audit import count_instances
from .namespace import EGOV, ELI
from .rdf import (LINKS_GRAPH, ONTOLOGY_GRAPH, SHARED_GRAPH, DocumentGraph, MappingError, completion_triples,
                  graph_iri, mapping_version)
from .store import GraphStore

LINKS_VERSION = "1"  # bump when relink() changes what it writes
SHARED_VERSION = "1"  # bump when refresh_shared() changes what it writes

BATCH_TRIPLES = 100_000  # documents are written in batches of about this many triples
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    obligations: int = 0
    owners: int = 0
    bodies: int = 0  # distinct bodies in the store after the build (kg.audit.count_instances)
    instruments: int = 0
    triples: int = 0
    seconds: float = 0.0
    characters: int = 0
    ignored: "Ignored" = field(default_factory=lambda: Ignored())  # what walking folders passed over


# A walked folder gives documents of the types the README lists (Inputs); any
# other file in it (.md, .py, a dictionary) is ignored and counted, not built.
# A file named on the command line is read whatever its suffix.
DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ".htm", ".html", ".xhtml", ".docx", ".pdf"})
# Folders that hold tools, not documents; a folder holding pyvenv.cfg is a virtual env too.
NOT_DOCUMENT_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


@dataclass
class Ignored:
    """What walking folders passed over without a reason line: files that are
    not documents (counted by suffix) and hidden or virtual-env folders (not walked)."""

    suffixes: dict[str, int] = field(default_factory=dict)  # ".md" -> 12; "hidden", "no suffix"
    folders: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return sum(self.suffixes.values())

    def add_file(self, name: str) -> None:
        key = "hidden" if name.startswith(".") else (Path(name).suffix.lower() or "no suffix")
        self.suffixes[key] = self.suffixes.get(key, 0) + 1

    def summary(self, show: int = 4) -> str:
        """One line, e.g. ``1,234 files that are not documents (.py, .md, …) and
        3 hidden or virtual-env folders (.git, .venv, …)``; empty when nothing was ignored."""
        def some(items: list[str]) -> str:
            return ", ".join(items[:show]) + (", …" if len(items) > show else "")

        parts = []
        if self.suffixes:
            kinds = sorted(self.suffixes, key=lambda k: (-self.suffixes[k], k))
            n = self.files
            parts.append(f"{n:,} {'file that is' if n == 1 else 'files that are'} not documents ({some(kinds)})")
        if self.folders:
            n = len(self.folders)
            names = sorted({Path(f).name for f in self.folders})
            parts.append(f"{n:,} hidden or virtual-env folder{'s' * (n != 1)} ({some(names)})")
        return " and ".join(parts)


def is_not_document_dir(path: str | os.PathLike) -> bool:
    """A folder a walk does not enter: hidden (.git, .venv), a virtual env
    (holds pyvenv.cfg), __pycache__, node_modules, site-packages or *.egg-info."""
    name = os.path.basename(os.path.normpath(path))
    return (name.startswith(".") or name in NOT_DOCUMENT_DIRS or name.endswith(".egg-info")
            or os.path.isfile(os.path.join(path, "pyvenv.cfg")))


def collect_files(inputs: Iterable[str | os.PathLike], glob: str | None = None,
                  ignored: Ignored | None = None) -> tuple[list[Path], list[Skipped]]:
    """Files to build from paths and directories (walked, symlink loops avoided).

    Anything given that is not a directory is returned as a file to build,
    whatever its suffix, a pipe, device or socket too: :func:`build` reads it
    with ``extract.read.read_file_bytes``, which refuses it with its reason (it
    is never opened for reading, so a FIFO cannot block the build).

    A walked directory gives its files of the documented types
    (:data:`DOCUMENT_SUFFIXES`; with ``glob``, the matching files of any type
    the reader knows) and does not enter hidden or virtual-env folders
    (:func:`is_not_document_dir`). What it passes over is counted in
    ``ignored``, not reported as skipped: a folder's other files are not
    inputs that failed. A directory named on the command line is walked
    whatever its name."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    if ignored is None:
        ignored = Ignored()
    seen_dirs: set[str] = set()
    for inp in inputs:
        p = Path(inp)
        if not p.exists():
            skipped.append(Skipped(str(p), "does not exist"))
            continue
        if not p.is_dir():
            files.append(p)
            continue
        def unreadable(err: OSError, skipped=skipped) -> None:  # a folder we may not list is a skipped input, not silence
            skipped.append(Skipped(str(err.filename), f"cannot be read: {err.strerror or err}"))

        for root, dirs, names in os.walk(p, followlinks=True, onerror=unreadable):
            real = os.path.realpath(root)
            if real in seen_dirs:
                skipped.append(Skipped(root, "is a symlink loop; not followed again"))
                dirs[:] = []
                continue
            seen_dirs.add(real)
            kept = []
            for d in sorted(dirs):
                if is_not_document_dir(os.path.join(root, d)):
                    ignored.folders.append(os.path.join(root, d))
                else:
                    kept.append(d)
            dirs[:] = kept
            for name in sorted(names):
                f = Path(root) / name
                if glob and not f.match(glob):
                    continue
                if name.startswith("."):
                    ignored.add_file(name)
                    continue
                suffix = f.suffix.lower()
                if suffix not in DOCUMENT_SUFFIXES and not (glob and suffix in SUPPORTED_SUFFIXES):
                    ignored.add_file(name)
                    continue
                files.append(f)
    return files, skipped


def display_name(name: str) -> str:
    """A file or document name for a message line: as it is when it is plain
    printable text, else quoted and escaped like a Python string literal, so a
    newline or other control character in a name can never start a line of its
    own. A shown name that starts with a quote is always such a literal."""
    if name and name.isprintable() and name == name.strip() and name[0] not in "'\"":
        return name
    return repr(name)


def one_line(text: str) -> str:
    """``text`` with control characters escaped, for the reason part of a message."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def assign_doc_ids(files: Iterable[Path]) -> dict[Path, str]:
    """Document id of each file: its name, or, when files of this build share a
    name, the shortest tail of its path (``d2/x.txt``, ``e/d1/x.txt``) that no
    other of them has.

    Injective (different files, different ids; a file listed twice, one id) and
    independent of the order the files are given in.
    """
    real = {f: Path(os.path.realpath(f)) for f in files}
    by_name: dict[str, set[Path]] = {}
    for r in real.values():
        by_name.setdefault(r.name, set()).add(r)
    ids: dict[Path, str] = {}
    for name, group in by_name.items():
        if len(group) == 1:
            ids[next(iter(group))] = name
            continue
        for r in group:
            for k in range(2, len(r.parts) + 1):
                tail = r.parts[-k:]
                if not any(o != r and o.parts[-k:] == tail for o in group):
                    break
            ids[r] = Path(*tail).as_posix()
    return {f: ids[real[f]] for f in files}


def _extract(args: tuple[str, str, bool]):
    """Worker: extract one file; returns (doc_id, Document, None) or (doc_id, None, reason).

    Records, not triples, cross the process boundary: they are far smaller, and
    the main process turns them into triples lazily while writing.
    """
    path, doc_id, mentions = args
    from extract.pipeline import extract_file

    try:
        return (doc_id, extract_file(path, doc_id, mentions=mentions), None)
    except ReadError as exc:
        return (doc_id, None, str(exc))
    except Exception as exc:  # noqa: BLE001 - one document's failure must not end the build
        return (doc_id, None, f"could not be extracted ({type(exc).__name__}: {exc})")


def drop_incomplete(store: GraphStore) -> list[str]:
    """Drop document graphs an interrupted build left without their completion triples."""
    prefix = "https://w3id.org/envgov-kg/id/graph/doc/"
    complete = {str(row["g"]) for row in store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a egov:PolicyDocument } }").rows}
    dropped = [g for g in store.graphs() if g.startswith(prefix) and g not in complete]
    for g in dropped:
        store.remove_graph(g)
    return dropped


def stored_hashes(store: GraphStore) -> dict[str, str]:
    """File → "sha256 extractor-version" of every complete document in the store."""
    r = store.query("""SELECT ?f ?h ?v WHERE { ?d a egov:PolicyDocument ; egov:sourceFile ?f ; egov:sha256 ?h
                       OPTIONAL { ?d egov:extractorVersion ?v } }""")
    return {str(row["f"]): f"{row['h']} {row['v'] or ''}" for row in r.rows}


def load_ontology(store: GraphStore) -> int:
    """Load ontology + instrument scheme into their graph, unless the stored copy is current."""
    files = [t for t in sorted(ONTOLOGY_DIR.glob("*.ttl")) if t.name != "shapes.ttl"]
    digest = hashlib.sha256(b"".join(t.read_bytes() for t in files)).hexdigest()
    r = store.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ONTOLOGY_GRAPH}> egov:sha256 ?h FILTER(STR(?h) = \"{digest}\") }} }}")
    if r.boolean:
        return 0
    g = Graph()
    for ttl in files:
        g.parse(ttl, format="turtle")
    g.add((URIRef(str(ONTOLOGY_GRAPH)), EGOV.sha256, Literal(digest)))
    return store.replace_graph(str(ONTOLOGY_GRAPH), iter(g))


def _stored_documents(store: GraphStore) -> list[str]:
    """One line per complete document: IRI, hash, version (sorted)."""
    r = store.query("""SELECT ?d ?h ?v WHERE { ?d a egov:PolicyDocument ; egov:sha256 ?h
                       OPTIONAL { ?d egov:extractorVersion ?v } }""")
    return sorted(f"{row['d']} {row['h']} {row['v'] or ''}\n" for row in r.rows)


def _fingerprint(lines: list[str], what: str, version: str) -> str:
    h = hashlib.sha256(f"{what} {version}\n".encode())
    for line in lines:
        h.update(line.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def links_fingerprint(store: GraphStore, documents: list[str] | None = None) -> str:
    """What the links graph must have been computed from: every complete
    document (IRI, hash, version) and the link code's version."""
    return _fingerprint(_stored_documents(store) if documents is None else documents, "links", LINKS_VERSION)


def shared_fingerprint(store: GraphStore, documents: list[str] | None = None) -> str:
    """What the shared graph must have been computed from (as :func:`links_fingerprint`)."""
    return _fingerprint(_stored_documents(store) if documents is None else documents, "shared", SHARED_VERSION)


def _marked(store: GraphStore, graph, fingerprint: str) -> bool:
    r = store.query(f"""ASK {{ GRAPH <{graph}> {{ <{graph}> egov:sha256 ?h
                        FILTER(STR(?h) = "{fingerprint}") }} }}""")
    return bool(r.boolean)


def links_current(store: GraphStore, fingerprint: str) -> bool:
    """Whether the links graph carries its completion mark for ``fingerprint``."""
    return _marked(store, LINKS_GRAPH, fingerprint)


def shared_current(store: GraphStore, fingerprint: str) -> bool:
    """Whether the shared graph carries its completion mark for ``fingerprint``."""
    return _marked(store, SHARED_GRAPH, fingerprint)


def add_shared(store: GraphStore, triples: Iterable) -> None:
    """Insert shared facts of documents about to be written, and drop the shared
    graph's completion mark in the same update, so that the graph is recomputed
    by :func:`refresh_shared` (which also drops facts no document states any
    more). Readers see a new document's bodies and labels as soon as the
    document itself. A store without SPARQL UPDATE is left to :func:`refresh_shared`."""
    import pyoxigraph as ox

    from .terms import to_ox

    items = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
    if not items:
        return
    body = ox.serialize(items, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    g = str(SHARED_GRAPH)
    try:
        store.update(f"DELETE WHERE {{ GRAPH <{g}> {{ <{g}> <{EGOV.sha256}> ?h }} }} ;\n"
                     f"INSERT DATA {{ GRAPH <{g}> {{\n{body}\n}} }}")
    except NotImplementedError:
        pass


def refresh_shared(store: GraphStore, fingerprint: str | None = None) -> int:
    """Recompute the shared graph: every fact that some complete document
    states about a shared entity (the reified statements of its graph), once,
    and nothing else. Replaced in one transaction together with its completion
    mark (``egid:graph/shared egov:sha256`` :func:`shared_fingerprint`)."""
    if fingerprint is None:
        fingerprint = shared_fingerprint(store)
    rows = store.query("""SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?d a egov:PolicyDocument .
                            ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }""").rows
    triples = [(row["s"], row["p"], row["o"]) for row in rows]
    mark = (URIRef(str(SHARED_GRAPH)), EGOV.sha256, Literal(fingerprint))
    store.replace_graph(str(SHARED_GRAPH), [*triples, mark])
    return len(triples)


def refresh_derived(store: GraphStore) -> None:
    """Recompute the shared and links graphs when their marks are missing or stale."""
    documents = _stored_documents(store)
    fingerprint = shared_fingerprint(store, documents)
    if not shared_current(store, fingerprint):
        refresh_shared(store, fingerprint)
    fingerprint = links_fingerprint(store, documents)
    if not links_current(store, fingerprint):  # also after a build killed before its links were written
        relink(store, fingerprint)


def relink(store: GraphStore, fingerprint: str | None = None) -> int:
    """Cross-document links: a cited document that is in the store (same number
    or title) is linked with eli:implements/eli:cites to the corpus document.

    Titles and numbers are matched in Python on their lexical forms: a SPARQL
    join through FILTER(STR(?a) = STR(?b)) compares every pair and grows with
    the square of the corpus.

    The graph is replaced in one transaction together with its completion mark
    (``egid:graph/links egov:sha256`` :func:`links_fingerprint`), written last;
    a build that finds the mark missing or different relinks.
    """
    from rdflib.namespace import OWL

    if fingerprint is None:
        fingerprint = links_fingerprint(store)

    keys: dict[str, set] = {}
    for row in store.query("""SELECT ?target ?k WHERE { ?target a egov:PolicyDocument .
            { ?target dcterms:identifier ?k } UNION { ?target dcterms:title ?k } }""").rows:
        keys.setdefault(str(row["k"]), set()).add(row["target"])
    cited: dict = {}
    for row in store.query("""SELECT ?c ?k WHERE { ?c a egov:CitedDocument .
            { ?c dcterms:identifier ?k } UNION { ?c dcterms:title ?k } }""").rows:
        for target in keys.get(str(row["k"]), ()):
            cited.setdefault(row["c"], set()).add(target)
    triples = {(c, OWL.sameAs, t) for c, targets in cited.items() for t in targets}
    if cited:
        for row in store.query("""SELECT DISTINCT ?d ?p ?c WHERE { ?d ?p ?c .
                VALUES ?p { eli:implements eli:cites } ?c a egov:CitedDocument }""").rows:
            for target in cited.get(row["c"], ()):
                if target != row["d"]:
                    triples.add((row["d"], row["p"], target))
    mark = (URIRef(str(LINKS_GRAPH)), EGOV.sha256, Literal(fingerprint))
    store.replace_graph(str(LINKS_GRAPH), [*sorted(triples), mark])
    return len(triples)


def build(inputs: Iterable[str | os.PathLike], store: GraphStore, *, jobs: int = 1, glob: str | None = None,
          force: bool = False, progress: Callable[[str, int, int], None] | None = None,
          mentions: bool = True) -> BuildReport:
    """Build or update the graph of ``inputs`` in ``store``; returns what happened."""
    t0 = time.perf_counter()
    report = BuildReport()
    files, skipped = collect_files(inputs, glob, report.ignored)
    report.skipped.extend(skipped)
    drop_incomplete(store)
    existing = {} if force else stored_hashes(store)
    from extract.pipeline import collector_paused, extractor_version

    version = f"{extractor_version()}+{mapping_version()}"
    todo: list[tuple[str, str, bool]] = []
    seen_hashes: dict[str, str] = {}
    seen_files: set[str] = set()
    ids = assign_doc_ids(files)
    for f in files:
        if os.path.realpath(f) in seen_files:  # the same file named twice
            continue
        seen_files.add(os.path.realpath(f))
        doc_id = ids[f]
        try:
            doc_id.encode("utf-8")
        except UnicodeEncodeError:
            report.skipped.append(Skipped(str(f), "its name is not valid UTF-8; rename the file"))
            continue
        try:  # checks the file type (a FIFO would block) and size before reading
            digest = hashlib.sha256(read_file_bytes(f)).hexdigest()
        except ReadError as exc:
            report.skipped.append(Skipped(str(f), str(exc)))
            continue
        if digest in seen_hashes:
            report.skipped.append(Skipped(str(f), f"has the same content as {display_name(seen_hashes[digest])}"))
            continue
        seen_hashes[digest] = str(f)
        if existing.get(doc_id) == f"{digest} {version}":
            report.unchanged.append(doc_id)
            continue
        todo.append((str(f), doc_id, mentions))
    load_ontology(store)
    total = len(todo)
    done = 0
    paths_by_id = {d: p for p, d, _ in todo}
    pending: list[tuple[str, list, list]] = []
    pending_docs: dict[str, tuple[str, object]] = {}  # graph -> (doc_id, Document)
    pending_size = [0]

    def flush_pending():
        if not pending:
            return
        failed: dict[str, str] = {}

        def on_error(graph: str, exc: Exception):
            if isinstance(exc, MappingError):
                failed[graph] = f"cannot be turned into RDF ({exc})"
            else:
                failed[graph] = f"cannot be stored ({type(exc).__name__}: {exc})"

        def shared_first():  # each document's shared facts are known once it has been read
            add_shared(store, {t: None for graph, g, _ in pending if graph not in failed for t in g.shared})

        with collector_paused():  # the documents' records are alive meanwhile: nothing to collect among them
            report.triples += store.write_documents(pending, on_error=on_error, before_marks=shared_first)
        for graph, _, _ in pending:
            doc_id, doc = pending_docs.pop(graph)
            if graph in failed:
                report.skipped.append(Skipped(paths_by_id[doc_id], failed[graph]))
                continue
            report.built.append(doc_id)
            report.obligations += len(doc.obligations)
            report.owners += sum(len(o.owners) for o in doc.obligations)
            report.instruments += len({i.concept for o in doc.obligations for i in o.instruments})
            report.characters += doc.original_chars
        pending.clear()
        pending_size[0] = 0

    def consume(result):
        nonlocal done
        doc_id, doc, reason = result
        done += 1
        if doc is None:
            report.skipped.append(Skipped(paths_by_id[doc_id], reason))
        else:
            try:
                triples = DocumentGraph(doc)  # read once, while it is written
                completion = completion_triples(doc, version)
            except Exception as exc:  # noqa: BLE001 - one document's failure must not end the build
                report.skipped.append(Skipped(paths_by_id[doc_id],
                                              f"cannot be turned into RDF ({type(exc).__name__}: {exc})"))
            else:
                graph = str(graph_iri(doc_id))
                pending.append((graph, triples, completion))
                pending_docs[graph] = (doc_id, doc)
                pending_size[0] += triples.size_hint()
                if pending_size[0] >= BATCH_TRIPLES:
                    flush_pending()
        if progress:
            progress(doc_id, done, total)

    if jobs > 1 and total > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(_extract, todo, chunksize=max(1, min(16, total // (jobs * 4) or 1))):
                consume(result)
    else:
        for item in todo:
            consume(_extract(item))
    flush_pending()
    refresh_derived(store)
    if hasattr(store, "flush"):
        store.flush()
    # distinct bodies in the store, by IRI, as `kg stats` counts them (not once per document naming them)
    report.bodies = count_instances(store, "egov:Body")
    report.seconds = time.perf_counter() - t0
    return report


def remove_document(store: GraphStore, doc_id: str) -> bool:
    """Remove one document's graph, then the shared facts and links only it gave."""
    removed = store.remove_graph(str(graph_iri(doc_id)))
    refresh_derived(store)
    return removed

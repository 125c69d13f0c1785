"""Records → RDF triples, following ontology/MODEL.md.

IRIs are deterministic: the same document gives the same IRIs and triples
(so rebuilding is idempotent). What a document says about itself (its
clauses, ownerships, evidence …) goes into that document's named graph
(:func:`graph_iri`). What it says about a *shared* entity — a body, place,
instrument concept or cited document, which many documents mention — is
stored once for the whole store, in the shared graph (:data:`SHARED_GRAPH`),
and recorded in the document's graph only as a reified statement
(``egid:doc/{id}/fact/{k} rdf:subject/rdf:predicate/rdf:object``), so the
shared graph can be recomputed from the documents after one is rebuilt or
removed (:class:`DocumentGraph`, ``kg.build.refresh_shared``).

Every instance IRI is minted by :func:`mint`, which percent-encodes, segment
by segment, whatever RFC 3987 does not allow in a path segment (and a few
characters it allows but that would be invisible or ambiguous), so any text,
a 文号 such as ``环发[2018]5号`` or a file named ``a[1].txt``, gives a valid
IRI, and different texts give different IRIs.
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from extract.records import Body, Document, Evidence, Obligation

from .namespace import EGID, EGOV, ELI, OA, ODRL
from .terms import NT_ESCAPES, parse_term


class _Looked:
    """A namespace whose terms are looked up once: rdflib makes a new URIRef at
    every attribute access, and a large document asks millions of times."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str):
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


DCTERMS, EGOV, ELI, OA, ODRL, ORG, PROV, RDF, RDFS, SKOS, XSD = (
    _Looked(ns) for ns in (DCTERMS, EGOV, ELI, OA, ODRL, ORG, PROV, RDF, RDFS, SKOS, XSD))

Triple = tuple[URIRef, URIRef, URIRef | Literal]

ROLE_IRI = {"lead": EGOV.LeadRole, "support": EGOV.SupportRole, "responsible": EGOV.ResponsibleRole}
ROLE_SHORTCUT = {"lead": EGOV.leadBy, "support": EGOV.supportedBy, "responsible": EGOV.responsibleBody}
BODY_TYPE_IRI = {
    "party": EGOV.PartyBody, "government": EGOV.Government, "department": EGOV.Department,
    "judicial": EGOV.JudicialBody, "financial_regulator": EGOV.FinancialRegulator,
    "legislature": EGOV.Legislature, "mass_organisation": EGOV.MassOrganisation,
    "coordinating_body": EGOV.CoordinatingBody, "enterprise": EGOV.Enterprise, "social_actor": EGOV.SocialActor,
    "grid_worker": EGOV.GridWorker,
}
RELATION_IRI = {"reportsTo": ORG.reportsTo, "regulates": EGOV.regulates, "leads": EGOV.leads, "supports": EGOV.supports}
REGULATED_TYPES = {"enterprise", "social_actor"}
ONTOLOGY_GRAPH = EGID["graph/ontology"]
LINKS_GRAPH = EGID["graph/links"]
SHARED_GRAPH = EGID["shared"]  # not under graph/: there, every graph but links and ontology is a document
# subjects that are shared entities: their facts are stored once, in SHARED_GRAPH
SHARED_PREFIXES = tuple(str(EGID) + p for p in ("body/", "place/", "instrument/", "cited/"))
_EGID = str(EGID)
_DOC_PREFIX = _EGID + "doc/"

# RFC 3987: ipchar = iunreserved / pct-encoded / sub-delims / ":" / "@"
_ASCII_KEPT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@")
# iunreserved's ucschar ranges (RFC 3987, section 2.2)
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)) + tuple(
    (plane + 0x0000, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)) + ((0xE1000, 0xEFFFD),)
# allowed by the grammar but invisible or direction-changing (RFC 3987, section 4.1): encoded too.
# A fixed list, not the Unicode database, so IRIs do not change with the Python version.
_INVISIBLE = ((0xA0, 0xA0), (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x1680, 0x1680),
              (0x180E, 0x180E), (0x2000, 0x200F), (0x2028, 0x202F), (0x205F, 0x206F), (0x3000, 0x3000),
              (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0))


def _allowed_class() -> str:
    """A regex character class of what a segment keeps as written."""
    kept: list[tuple[int, int]] = []
    for lo, hi in _UCSCHAR:
        start = lo
        for ilo, ihi in sorted(_INVISIBLE):
            if ihi < start or ilo > hi:
                continue
            if ilo > start:
                kept.append((start, ilo - 1))
            start = max(start, ihi + 1)
        if start <= hi:
            kept.append((start, hi))
    ranges = "".join(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in kept)
    return re.escape("".join(sorted(_ASCII_KEPT))) + ranges


_ENCODED = re.compile(f"[^{_allowed_class()}]")


def _encode_char(ch: str) -> str:
    cp = ord(ch)
    if 0xDC80 <= cp <= 0xDCFF:  # a byte of a file name that was not UTF-8 (os.fsdecode's surrogateescape)
        data = ch.encode("utf-8", "surrogateescape")
    else:
        data = ch.encode("utf-8", "surrogatepass")
    return "".join(f"%{b:02X}" for b in data)


@functools.lru_cache(maxsize=65536)
def iri_segment(value: str) -> str:
    """One IRI path segment for ``value``: kept as written where RFC 3987 allows
    it (Chinese, full-width forms and ASCII letters, digits and ``-._~!$&'()*+,;=:@``),
    everything else percent-encoded as UTF-8 (``/ ? # % [ ] { } < > " \\ ^ |``
    backquote, spaces, controls, invisible and private-use characters).

    Injective: ``urllib.parse.unquote(segment, errors="surrogateescape")``
    gives ``value`` back, since ``%`` itself is encoded.
    """
    return _ENCODED.sub(lambda m: _encode_char(m.group()), value)


def mint(*segments: str | int) -> URIRef:
    """The instance IRI ``egid:seg1/seg2/…``: the only way IRIs are made from text.

    Each segment goes through :func:`iri_segment`, so a ``/`` inside a name
    cannot add a level and two different names never give the same IRI.
    """
    return URIRef(_iri_text(segments))


def _iri_text(segments) -> str:
    return _EGID + "/".join([str(s) if type(s) is int else iri_segment(str(s)) for s in segments])


def mapping_version() -> str:
    """Fingerprint of the code that turns records into triples and mints IRIs;
    stored with each document (with the extractor's) so a change rebuilds it."""
    h = hashlib.sha256()
    for name in ("rdf.py", "namespace.py"):
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()[:8]


# The IRI recipes below take the ``mint`` to use: :func:`mint` (rdflib terms) by
# default, :meth:`NQuadTerms.mint` when a document is written straight to N-Quads.

def doc_iri(doc_id: str, mint=mint) -> URIRef:
    return mint("doc", doc_id)


def graph_iri(doc_id: str) -> URIRef:
    return mint("graph", "doc", doc_id)


def clause_iri(ob: Obligation, mint=mint) -> URIRef:
    return mint("doc", ob.doc_id, "clause", ob.ordinal)


def body_iri(body: Body, mint=mint) -> URIRef:
    return mint("body", body.jurisdiction.strip(), body.name.strip())


def place_iri(name: str, mint=mint) -> URIRef:
    return mint("place", name.strip())


def instrument_iri(name: str, mint=mint) -> URIRef:
    return mint("instrument", name.strip())


def cited_iri(number: str | None, title: str | None, mint=mint) -> URIRef:
    return mint("cited", (number or "").strip() or (title or "").strip() or "unknown")


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class RdflibTerms:
    """Instance terms as rdflib objects: for rdflib graphs, exports and tests."""

    mint = staticmethod(mint)
    lit = Literal
    zh = staticmethod(zh)
    shared_prefixes = SHARED_PREFIXES
    doc_prefix = _DOC_PREFIX


_XSD_TYPED = {bool: str(XSD.boolean), int: str(XSD.integer)}


class NQuadTerms:
    """Instance terms already written as N-Quads terms (``<iri>``, ``"text"@zh`` …),
    what Oxigraph's bulk loader reads: a document at the size limit has millions
    of them, and making each an rdflib object first costs more than writing it.
    The same recipes and the same text as :class:`RdflibTerms` written by
    :class:`kg.terms.NQuads` (a test holds the two to byte equality)."""

    shared_prefixes = tuple("<" + p for p in SHARED_PREFIXES)
    doc_prefix = "<" + _DOC_PREFIX

    @staticmethod
    def mint(*segments: str | int) -> str:
        return "<" + _iri_text(segments) + ">"

    @staticmethod
    def lit(value, datatype=None) -> str:
        if datatype is None:
            if isinstance(value, str):
                return '"' + value.translate(NT_ESCAPES) + '"'
            datatype = _XSD_TYPED[type(value)]
            value = ("true" if value else "false") if isinstance(value, bool) else value
        return f'"{str(value).translate(NT_ESCAPES)}"^^<{datatype}>'

    @staticmethod
    def zh(text: str) -> str:
        return '"' + text.translate(NT_ESCAPES) + '"@zh'


def _evidence(ev: Evidence, clause: URIRef | None, T=RdflibTerms) -> tuple[URIRef, list[Triple]]:
    doc = doc_iri(ev.doc_id, T.mint)
    span = ("doc", ev.doc_id, "ev", f"{ev.start}-{ev.end}")
    iri, pos, quote_sel = T.mint(*span), T.mint(*span, "pos"), T.mint(*span, "quote")
    t: list[Triple] = [
        (iri, RDF.type, EGOV.Evidence),
        (iri, RDF.type, PROV.Entity),
        (iri, RDF.type, OA.SpecificResource),
        (iri, OA.hasSource, doc),
        (iri, PROV.wasQuotedFrom, doc),
        (iri, PROV.value, T.lit(ev.quote)),
        (iri, OA.hasSelector, pos),
        (pos, RDF.type, OA.TextPositionSelector),
        (pos, OA.start, T.lit(ev.start, datatype=XSD.integer)),
        (pos, OA.end, T.lit(ev.end, datatype=XSD.integer)),
        (iri, OA.hasSelector, quote_sel),
        (quote_sel, RDF.type, OA.TextQuoteSelector),
        (quote_sel, OA.exact, T.lit(ev.quote)),
    ]
    if clause is not None:
        t.append((iri, EGOV.inClause, clause))
    return iri, t


def _body(body: Body, T=RdflibTerms) -> list[Triple]:
    iri = body_iri(body, T.mint)
    place = place_iri(body.jurisdiction, T.mint)
    t: list[Triple] = [
        (iri, RDF.type, EGOV.Body),
        (iri, RDF.type, ORG.Organization),
        (iri, SKOS.prefLabel, T.zh(body.name)),
        (iri, RDFS.label, T.zh(body.label)),
        (iri, EGOV.jurisdiction, place),
        (iri, ORG.classification, BODY_TYPE_IRI.get(body.type, EGOV.Department)),
        (place, RDF.type, EGOV.Jurisdiction),
        (place, SKOS.prefLabel, T.zh(body.jurisdiction)),
    ]
    if body.surface and body.surface != body.name:
        t.append((iri, SKOS.altLabel, T.zh(body.surface)))
    if body.type in REGULATED_TYPES:
        t.append((iri, RDF.type, EGOV.RegulatedParty))
    return t


def completion_triples(doc: Document, extractor_version: str | None = None) -> list[Triple]:
    """Written last: a document graph without them is incomplete (an interrupted
    build) and is dropped and rebuilt by the next ``kg build``."""
    d = doc_iri(doc.doc_id)
    out = [(d, RDF.type, EGOV.PolicyDocument), (d, EGOV.sha256, Literal(doc.sha256))]
    if extractor_version:
        out.append((d, EGOV.extractorVersion, Literal(extractor_version)))
    return out


def is_shared(triple: Triple, T=RdflibTerms) -> bool:
    """Whether a triple a document states is a shared fact (stored once in
    :data:`SHARED_GRAPH`): its subject is a body, place, instrument or cited
    document, and its object is no node of one document (the provenance link
    ``cited prov:wasDerivedFrom evidence`` stays with the document)."""
    s, o = triple[0], triple[2]  # str.startswith: rdflib's Identifier has a startswith of its own
    return str.startswith(s, T.shared_prefixes) and not (type(o) is not Literal and str.startswith(o, T.doc_prefix))


def fact_iri(doc_id: str, k: int, mint=mint) -> URIRef:
    return mint("doc", doc_id, "fact", k)


class MappingError(ValueError):
    """A document's records could not be turned into triples (a bug in this module, reported per document)."""


class DocumentGraph:
    """One document's named graph, produced in one pass as it is written.

    Iterating it yields the triples of the document's graph except
    :func:`completion_triples`: what the document says about itself, then each
    shared fact it states as a reified statement ``egid:doc/{id}/fact/{k}`` with
    ``rdf:subject``, ``rdf:predicate`` and ``rdf:object`` (numbered in the order
    the document states them, each once). The shared facts themselves are stored
    only in :data:`SHARED_GRAPH`; they are in :attr:`shared` once the iteration
    has ended. Nothing is held but the shared facts, so a document at the size
    limit (millions of triples) streams into the store in bounded memory.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        self.shared: list[Triple] = []
        self.count = 0
        self._used = False

    def __iter__(self) -> Iterator[Triple]:
        return self._triples(RdflibTerms)

    def nquads(self, graph: str) -> Iterator[bytes]:
        """The same triples as N-Quads lines in ``graph`` (an IRI), for Oxigraph's
        bulk loader, made without rdflib objects (:class:`NQuadTerms`); raises
        ValueError where :class:`kg.terms.NQuads` would (an IRI or text N-Quads
        cannot hold). :attr:`shared` holds rdflib triples afterwards all the same."""
        from .terms import NQuads

        writer = NQuads()
        g = writer.iri(graph)
        term = writer.term

        def line(t) -> bytes:
            s, p, o = t
            return f"{s} {term(p)} {o if type(o) is str else term(o)} {g} .\n".encode("utf-8")

        return self._triples(NQuadTerms, line)

    def _triples(self, T, line=None) -> Iterator:
        """The triples made with the terms ``T`` (each as ``line(triple)`` if given)."""
        if self._used:
            raise RuntimeError("a DocumentGraph is read once; make another")
        self._used = True
        shared: dict[tuple, None] = {}
        n = 0
        statements = _statements(self.doc, T)
        while True:
            try:
                t = next(statements)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001 - reported as this document's failure, not the build's
                raise MappingError(f"{type(exc).__name__}: {exc}") from exc
            if is_shared(t, T):
                shared.setdefault(t, None)
            else:
                n += 1
                yield t if line is None else line(t)
        for k, (s, p, o) in enumerate(shared, start=1):
            f = fact_iri(self.doc.doc_id, k, T.mint)
            for t in ((f, RDF.subject, s), (f, RDF.predicate, p), (f, RDF.object, o)):
                yield t if line is None else line(t)
        self.shared = list(shared) if T is RdflibTerms else [tuple(map(parse_term, t)) for t in shared]
        self.count = n + 3 * len(shared)

    def size_hint(self) -> int:
        """About how many triples the graph has, from the records (to batch small documents)."""
        d = self.doc
        return 20 + sum(16 + 5 * len(ob.owners) + 8 * len(ob.instruments) + len(ob.mentions) for ob in d.obligations)


def document_graph(doc: Document) -> tuple[list[Triple], list[Triple]]:
    """(the triples of the document's named graph except :func:`completion_triples`,
    the shared facts it states), as lists: :class:`DocumentGraph` read whole."""
    g = DocumentGraph(doc)
    own = list(g)
    return own, g.shared


def _statements(doc: Document, T=RdflibTerms) -> Iterator[Triple]:
    d = doc_iri(doc.doc_id, T.mint)
    yield (d, RDF.type, ELI.LegalResource)
    yield (d, EGOV.sourceFile, T.lit(doc.doc_id))
    yield (d, EGOV.encoding, T.lit(doc.encoding))
    yield (d, EGOV.text, T.lit(doc.text))
    if doc.title:
        yield (d, DCTERMS.title, T.zh(doc.title))
        yield (d, RDFS.label, T.zh(doc.title))
    else:
        yield (d, RDFS.label, T.zh(doc.doc_id))
    if doc.kind:
        yield (d, EGOV.kind, T.zh(doc.kind))
    if doc.doc_number:
        yield (d, DCTERMS.identifier, T.lit(doc.doc_number))
    if doc.date:
        yield (d, DCTERMS.issued, T.lit(doc.date, datatype=XSD.date))
    if doc.jurisdiction:
        place = place_iri(doc.jurisdiction, T.mint)
        yield (d, DCTERMS.spatial, place)
        yield (place, RDF.type, EGOV.Jurisdiction)
        yield (place, SKOS.prefLabel, T.zh(doc.jurisdiction))
        if doc.jurisdiction_level:
            yield (place, EGOV.level, T.zh(doc.jurisdiction_level))
    emitted_bodies: set[URIRef] = set()
    emitted_evidence: dict[tuple[int, int], URIRef] = {}  # (start, end) → evidence IRI
    standing: dict[tuple, URIRef] = {}  # (span, body, role, cue) → the implicit ownership node
    per_span: dict[str, int] = {}

    def evidence(ev: Evidence, clause: URIRef | None) -> Iterator[Triple] | URIRef:
        """Evidence triples once per span (standing owners share one statement)."""
        key = (ev.start, ev.end)
        iri = emitted_evidence.get(key)
        if iri is None:  # built once: a standing owner's span backs many clauses
            iri, triples = _evidence(ev, clause, T)
            emitted_evidence[key] = iri
            yield from triples
        return iri

    body_iris: dict[tuple[str, str], URIRef] = {}

    def iri_of(b: Body) -> URIRef:
        """body_iri, minted once per body (a standing owner is named on thousands of clauses)."""
        key = (b.jurisdiction, b.name)
        iri = body_iris.get(key)
        if iri is None:
            iri = body_iris[key] = body_iri(b, T.mint)
        return iri

    def body(b: Body) -> Iterator[Triple]:
        iri = iri_of(b)
        if iri not in emitted_bodies:
            emitted_bodies.add(iri)
            yield from _body(b, T)
        elif b.surface and b.surface != b.name:
            yield (iri, SKOS.altLabel, T.zh(b.surface))

    for b in doc.issuers:
        yield from body(b)
        yield (d, DCTERMS.publisher, iri_of(b))
    for c in doc.cites:
        ci = cited_iri(c.number, c.title, T.mint)
        yield (ci, RDF.type, EGOV.CitedDocument)
        yield (ci, RDF.type, ELI.LegalResource)
        if c.title:
            yield (ci, DCTERMS.title, T.zh(c.title))
            yield (ci, RDFS.label, T.zh(c.title))
        if c.number:
            yield (ci, DCTERMS.identifier, T.lit(c.number))
        for name in c.issuers:
            yield (ci, EGOV.issuerName, T.zh(name))
        yield (d, ELI.cites, ci)
        if c.implements:
            yield (d, ELI.implements, ci)
        ev = yield from evidence(c.evidence, None)
        yield (ci, PROV.wasDerivedFrom, ev)
    for ob in doc.obligations:
        c = clause_iri(ob, T.mint)
        yield (c, RDF.type, EGOV.Obligation)
        yield (c, RDF.type, ODRL.Duty)
        yield (c, RDF.type, ELI.LegalResourceSubdivision)
        yield (c, ELI.is_part_of, d)
        yield (c, EGOV.ordinal, T.lit(ob.ordinal))
        yield (c, EGOV.layout, T.lit(ob.layout))
        yield (c, EGOV.text, T.lit(ob.text))
        yield (c, EGOV.start, T.lit(ob.start))
        yield (c, EGOV.end, T.lit(ob.end))
        label = ob.heading or ob.text[:30]
        yield (c, RDFS.label, T.zh(label))
        if ob.number:
            yield (c, ELI.number, T.lit(ob.number))
        if ob.heading:
            yield (c, EGOV.heading, T.zh(ob.heading))
        if ob.section:
            yield (c, EGOV.section, T.zh(ob.section))
        if ob.deadline:
            yield (c, EGOV.deadline, T.lit(ob.deadline))
        for m in ob.mentions:
            yield (c, EGOV.mentions, T.zh(m))
        stated = [ow for ow in ob.owners if not ow.implicit]
        answerable = list(dict.fromkeys(iri_of(ow.body) for ow in stated if ow.role == "lead"))
        if not answerable and len({iri_of(ow.body) for ow in stated}) == 1:
            answerable = [iri_of(stated[0].body)]  # the one body the clause names, no lead among co-owners
        for k, ow in enumerate(ob.owners, start=1):
            yield from body(ow.body)
            b_iri = iri_of(ow.body)
            if ow.implicit:  # one statement (a standing rule, a section's owner) owning many clauses: one node
                key = (ow.evidence.start, ow.evidence.end, b_iri, ow.role, ow.cue)
                o = standing.get(key)
                fresh = o is None
                if fresh:
                    span = f"{ow.evidence.start}-{ow.evidence.end}"
                    n = per_span[span] = per_span.get(span, 0) + 1
                    o = standing[key] = T.mint("doc", ob.doc_id, "owner", span, n)
            else:
                o, fresh = T.mint("doc", ob.doc_id, "clause", ob.ordinal, "owner", k), True
            yield (o, EGOV.obligation, c)
            yield (c, EGOV.hasOwnership, o)
            yield (c, ODRL.assignee, b_iri)
            yield (c, ROLE_SHORTCUT[ow.role], b_iri)
            if not fresh:
                continue
            yield (o, RDF.type, EGOV.Ownership)
            yield (o, EGOV.body, b_iri)
            yield (o, EGOV.role, ROLE_IRI[ow.role])
            yield (o, EGOV.implicit, T.lit(ow.implicit))
            if ow.cue:
                yield (o, EGOV.cue, T.zh(ow.cue))
            ev = yield from evidence(ow.evidence, c if ow.evidence.clause else None)
            yield (o, PROV.wasDerivedFrom, ev)
        for concept in dict.fromkeys(im.concept for im in ob.instruments):
            ii = instrument_iri(concept, T.mint)
            for b_iri in answerable:  # administers: the body the clause's own words make answerable for it
                yield (b_iri, EGOV.administers, ii)
        seen_instruments: set[URIRef] = set()
        for k, im in enumerate(ob.instruments, start=1):
            ii = instrument_iri(im.concept, T.mint)
            mi = T.mint("doc", ob.doc_id, "clause", ob.ordinal, "instrument", k)
            yield (mi, RDF.type, EGOV.InstrumentMention)
            yield (mi, EGOV.obligation, c)
            yield (mi, EGOV.instrument, ii)
            ev = yield from evidence(im.evidence, c)
            yield (mi, PROV.wasDerivedFrom, ev)
            if ii in seen_instruments:
                continue
            seen_instruments.add(ii)
            yield (c, EGOV.usesInstrument, ii)
            if im.candidate:
                yield (ii, RDF.type, SKOS.Concept)
                yield (ii, RDF.type, EGOV.Candidate)
                yield (ii, SKOS.inScheme, EGOV.CandidateScheme)
                yield (ii, SKOS.prefLabel, T.zh(im.concept))
    for k, r in enumerate(doc.relations, start=1):
        yield from body(r.subject)
        yield from body(r.object)
        s, o = iri_of(r.subject), iri_of(r.object)
        p = RELATION_IRI[r.predicate]
        yield (s, p, o)
        st = T.mint("doc", doc.doc_id, "rel", k)
        yield (st, RDF.type, EGOV.RelationStatement)
        yield (st, EGOV.subject, s)
        yield (st, EGOV.predicate, p)
        yield (st, EGOV.object, o)
        yield (st, EGOV.implicit, T.lit(r.implicit))
        in_clause = T.mint("doc", doc.doc_id, "clause", r.evidence.clause.rsplit("#", 1)[1]) if r.evidence.clause else None
        ev = yield from evidence(r.evidence, in_clause)
        yield (st, PROV.wasDerivedFrom, ev)
    for b in doc.bodies:
        yield from body(b)

"""Conversion between rdflib terms and pyoxigraph terms, in one place."""
from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

_XSD_STRING = str(XSD.string)


def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


def from_ox(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def to_python(term) -> str | None:
    """A plain value for tables: IRIs and literal lexical forms as strings."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term.value
    return str(term)


NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NT_UNESCAPE = re.compile(r'\\([\\"nr])')
_NT_LITERAL = re.compile(r'"(.*)"(?:@([^"]+)|\^\^<([^<>"]+)>)?', re.S)
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # N-Triples IRIREF (RFC 3987 minus what mint encodes)
_IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # N-Quads IRIs are absolute


class NQuads:
    """rdflib terms → N-Quads lines (UTF-8 bytes), written as the N-Triples grammar
    says (literals escape ``\\ " LF CR``; every other character is written as is).

    For Oxigraph's bulk loader, which parses such text in Rust with the GIL
    released, so the next lines are made while the last ones load. IRIs are
    memoised (a document repeats its predicates, classes and bodies thousands of
    times) and checked once: one that the grammar forbids (a forbidden character,
    no scheme) raises ValueError, as Oxigraph would, so the document is refused
    alone. Instance IRIs are minted percent-encoded (:func:`kg.rdf.mint`), so
    every IRI in the lines is valid before Oxigraph reads them: its loader can
    skip checking them again (``lenient``). A lone surrogate in a
    literal raises UnicodeEncodeError (a ValueError) the same way.
    """

    LIMIT = 200_000

    def __init__(self):
        self._iris: dict[str, str] = {}

    def iri(self, value: str) -> str:
        out = self._iris.get(value)
        if out is None:
            if _IRI_FORBIDDEN.search(value) or not _IRI_SCHEME.match(value):
                raise ValueError(f"not an IRI N-Quads can hold: {value!r}")
            if len(self._iris) >= self.LIMIT:
                self._iris.clear()
            out = self._iris[value] = f"<{value}>"
        return out

    def term(self, t) -> str:
        if type(t) is URIRef:
            return self.iri(t)
        if isinstance(t, Literal):
            text = str(t).translate(NT_ESCAPES)
            if t.language:
                return f'"{text}"@{t.language}'
            dt = t.datatype
            if dt is not None and str(dt) != _XSD_STRING:
                return f'"{text}"^^{self.iri(str(dt))}'
            return f'"{text}"'
        if isinstance(t, URIRef):
            return self.iri(t)
        if isinstance(t, BNode):
            return f"_:{t}"
        raise TypeError(f"cannot write {t!r} as N-Quads")

    def line(self, s, p, o, graph: str) -> bytes:
        """One quad; ``graph`` as returned by :meth:`iri`."""
        return f"{self.term(s)} {self.term(p)} {self.term(o)} {graph} .\n".encode("utf-8")


def parse_term(term):
    """The rdflib term of one N-Quads term written as :class:`NQuads` writes it
    (``<iri>``, ``"text"``, ``"text"@zh``, ``"5"^^<…#integer>``); an rdflib term is returned as is."""
    if not isinstance(term, str) or isinstance(term, (URIRef, Literal, BNode)):
        return term
    if term.startswith("<") and term.endswith(">"):
        return URIRef(term[1:-1])
    m = _NT_LITERAL.fullmatch(term)
    if m is None:
        raise ValueError(f"not an N-Quads term: {term[:80]!r}")
    text = _NT_UNESCAPE.sub(lambda e: {"n": "\n", "r": "\r"}.get(e.group(1), e.group(1)), m.group(1))
    if m.group(2):
        return Literal(text, lang=m.group(2))
    dt = m.group(3)
    return Literal(text, datatype=None if dt is None or dt == _XSD_STRING else URIRef(dt))

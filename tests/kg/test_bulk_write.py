"""Documents stream into Oxigraph's bulk loader as N-Quads in chunks (issue 12
item 5): the store holds exactly the triples given, and a document that cannot be
stored is refused alone, even after some of its chunks were loaded."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from kg.store import OxigraphStore
from kg.terms import NQuads, to_ox

E = "https://w3id.org/envgov-kg/id/"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_VALUE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def _doc(k: int, n: int, bad_at: int | None = None):
    s = URIRef(f"{E}doc/d{k}")
    for i in range(n):
        text = "引号\"反斜杠\\换行\n回车\r" + str(i) if i != bad_at else "坏\udc80"
        yield (URIRef(f"{E}doc/d{k}/clause/{i}"), RDF_VALUE, Literal(text, lang="zh"))
        yield (URIRef(f"{E}doc/d{k}/clause/{i}"), URIRef(f"{E}n"), Literal(i))
    yield (s, RDF_TYPE, URIRef(f"{E}T"))
    yield (s, URIRef(f"{E}when"), Literal("2024-01-02", datatype=XSD_DATE))
    yield (s, URIRef(f"{E}plain"), Literal("无标签"))


def _marks(k):
    return [(URIRef(f"{E}doc/d{k}"), URIRef(f"{E}complete"), Literal(True))]


def _graph(k):
    return f"{E}graph/doc/d{k}"


def _quads(store, k):
    return set(store.store.quads_for_pattern(None, None, None, ox.NamedNode(_graph(k))))


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(OxigraphStore, "BULK_CHUNK", 7)  # several chunks per document
    st = OxigraphStore(tmp_path / "s")
    yield st
    st.close()


def test_the_store_holds_exactly_the_triples_given(store):
    store.write_documents([(_graph(k), _doc(k, 20), _marks(k)) for k in range(3)])
    for k in range(3):
        g = ox.NamedNode(_graph(k))
        want = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in [*_doc(k, 20), *_marks(k)]}
        assert _quads(store, k) == want


def test_a_document_that_cannot_be_stored_is_refused_alone(store):
    errors = {}
    marks_seen = []
    n = store.write_documents(
        [(_graph(0), _doc(0, 20), _marks(0)), (_graph(1), _doc(1, 20, bad_at=15), _marks(1)),
         (_graph(2), _doc(2, 3, bad_at=0), _marks(2)), (_graph(3), _doc(3, 20), _marks(3))],
        on_error=lambda g, exc: errors.setdefault(g, exc),
        before_marks=lambda: marks_seen.append(len(errors)))
    assert set(errors) == {_graph(1), _graph(2)}
    assert all(isinstance(e, ValueError) for e in errors.values())
    assert _quads(store, 1) == set() and _quads(store, 2) == set()  # chunks already loaded were removed
    assert len(_quads(store, 0)) == len(_quads(store, 3)) == 2 * 20 + 3 + 1
    assert n == 2 * (2 * 20 + 3 + 1)
    assert marks_seen == [2]  # after the data (and the errors), before the completion marks


def test_without_on_error_the_failure_is_raised(store):
    with pytest.raises(ValueError):
        store.write_documents([(_graph(0), _doc(0, 5, bad_at=2), _marks(0))])


@pytest.mark.parametrize("value", ["<>", "a b", 'x"y', "http://e/{x}", "", "relative/path", "1x:y", ":x"])
def test_an_iri_n_quads_cannot_hold_is_refused(value):
    """Refused before Oxigraph reads it: its bulk loader runs lenient (no IRI checks of its own)."""
    with pytest.raises(ValueError):
        NQuads().term(URIRef(value))


def test_a_refused_iri_never_reaches_the_lenient_loader(store):
    """A relative IRI, which a lenient loader would store as is, fails its
    document alone; the other documents of the batch are written."""
    bad = [(URIRef("relative/x"), URIRef("http://e/p"), Literal("v"))]
    errors = []
    store.write_documents([(_graph(0), bad, _marks(0)), (_graph(1), _doc(1, 3), _marks(1))],
                          on_error=lambda g, exc: errors.append(g))
    assert errors == [_graph(0)]
    assert store.query("ASK { ?s ?p ?o FILTER(STR(?s) = 'relative/x') }").boolean is False
    assert store.query(f"ASK {{ GRAPH <{_graph(1)}> {{ ?s ?p ?o }} }}").boolean


def test_blank_nodes_and_typed_literals_are_written():
    w = NQuads()
    assert w.term(BNode("b1")) == "_:b1"
    assert w.term(Literal(3)) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert w.term(Literal("a\\b")) == '"a\\\\b"'

"""Shared facts (bodies, places, instruments, cited documents) are stored once (issue 13).

Each is held once, in ``egid:shared``; a document's graph holds a reified
statement of each shared fact it states. Removing or rebuilding a document
keeps the facts other documents still state and drops the ones nobody states
any more; the union default graph never shows a fact twice, so no query grows
with the number of documents that mention a body.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from kg.build import SAMPLE_CORPUS, add_shared, build, remove_document
from kg.rdf import SHARED_GRAPH, SHARED_PREFIXES
from kg.store import OxigraphStore

SHARED = str(SHARED_GRAPH)
DOC_PREFIX = "https://w3id.org/envgov-kg/id/graph/doc/"
SHARED_FILTER = " || ".join(f'STRSTARTS(STR(?s), "{p}")' for p in SHARED_PREFIXES)


def quads(st) -> set[tuple]:
    return {tuple(map(str, q)) for q in st.quads()}


def shared_triples(st) -> set[tuple]:
    r = st.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{SHARED}> {{ ?s ?p ?o }} FILTER(?s != <{SHARED}>) }}")
    return {(str(x["s"]), str(x["p"]), str(x["o"])) for x in r.rows}


def stated(st) -> dict[tuple, set[str]]:
    """Shared fact → the document graphs whose reified statements state it."""
    r = st.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }")
    out: dict[tuple, set[str]] = {}
    for x in r.rows:
        out.setdefault((str(x["s"]), str(x["p"]), str(x["o"])), set()).add(str(x["g"]))
    return out


def copies(d: Path, src: Path, n: int) -> list[Path]:
    """N documents with the same bodies (a changed line each: different hashes)."""
    d.mkdir(parents=True, exist_ok=True)
    lines = src.read_text(encoding="utf-8").splitlines()
    out = []
    for i in range(n):
        body = lines[:3] + [f"（本文件为第{i}号副本。）"] + lines[3:]
        p = d / f"copy_{i:02d}.txt"
        p.write_text("\n".join(body), encoding="utf-8")
        out.append(p)
    return out


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("shared") / "store"
    with OxigraphStore(path) as st:
        build([SAMPLE_CORPUS], st)
    return path


def test_each_shared_fact_is_stored_once(sample_store):
    with OxigraphStore(sample_store, read_only=True) as st:
        r = st.query(f"""SELECT ?s ?p ?o (COUNT(?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
            FILTER({SHARED_FILTER}) FILTER(?g != <https://w3id.org/envgov-kg/id/graph/ontology>) }} GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1)""")
        assert r.rows == [], r.rows[:3]
        # no document graph holds a shared fact itself …
        r = st.query(f"""ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{DOC_PREFIX}"))
            FILTER({SHARED_FILTER}) FILTER(!isIRI(?o) || !STRSTARTS(STR(?o), "https://w3id.org/envgov-kg/id/doc/")) }}""")
        assert not r.boolean
        # … the shared graph holds exactly what the documents state
        assert shared_triples(st) == set(stated(st))
        # and the union default graph shows each fact once
        for q in ("?b a egov:Body", "?b skos:prefLabel ?l", "?b egov:jurisdiction/skos:prefLabel ?l",
                  "?c a egov:CitedDocument ; rdfs:label ?l", "?p a egov:Jurisdiction ; skos:prefLabel ?l"):
            n = st.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {q} }}").rows[0]["n"]
            d = st.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT * WHERE {{ {q} }} }}").rows[0]["n"]
            assert int(n) == int(d) > 0, q


def test_rows_grow_linearly_with_documents_that_mention_a_body(tmp_path):
    src = sorted(SAMPLE_CORPUS.glob("*.txt"))[1]
    counts = {}
    for n in (1, 4):
        with OxigraphStore(tmp_path / f"s{n}") as st:
            build(copies(tmp_path / f"c{n}", src, n), st)
            # one row per ownership: the body's labels and place are joined once each
            q = """SELECT ?own ?label ?place WHERE { ?own egov:body ?b . ?b rdfs:label ?label ;
                   skos:prefLabel ?short ; a egov:Body ; egov:jurisdiction/skos:prefLabel ?place }"""
            rows = st.query(q).rows
            distinct = {tuple(map(str, r.values())) for r in rows}
            assert len(rows) == len(distinct)
            counts[n] = len(rows)
            bodies = st.query("SELECT ?b WHERE { ?b a egov:Body ; rdfs:label ?l }").rows
            counts[f"bodies{n}"] = len(bodies)
    assert counts[4] == 4 * counts[1] > 0
    assert counts["bodies4"] == counts["bodies1"]  # the same bodies, each once


def test_removing_a_document_keeps_what_others_state_and_drops_the_rest(tmp_path):
    docs = tmp_path / "docs"
    a, b = copies(docs, sorted(SAMPLE_CORPUS.glob("*.txt"))[1], 2)
    other = sorted(SAMPLE_CORPUS.glob("*.txt"))[3]
    shutil.copy(other, docs / other.name)
    store = tmp_path / "store"
    with OxigraphStore(store) as st:
        build([docs], st)
        before = quads(st)
        facts = stated(st)
        only_other = {f for f, gs in facts.items() if gs == {f"{DOC_PREFIX}{other.name}"}}
        both = {f for f, gs in facts.items() if {f"{DOC_PREFIX}{a.name}", f"{DOC_PREFIX}{b.name}"} <= gs}
        assert only_other and both

        assert remove_document(st, a.name)
        kept = shared_triples(st)
        assert both <= kept  # b still states them
        assert remove_document(st, other.name)
        kept = shared_triples(st)
        assert both <= kept and not (only_other & kept)  # nobody states these any more
        assert kept == set(stated(st))

        build([docs], st)  # both come back: the store is as it was
        assert quads(st) == before


def test_a_fact_only_a_removed_document_stated_goes_though_its_subject_stays(sample_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    with OxigraphStore(store) as st:
        facts = stated(st)
        subjects: dict[str, set[str]] = {}
        for (s, _, _), gs in facts.items():
            subjects.setdefault(s, set()).update(gs)
        pick = next(((f, next(iter(gs))) for f, gs in sorted(facts.items())
                     if len(gs) == 1 and len(subjects[f[0]]) > 1), None)
        if pick is None:
            pytest.skip("no fact stated by one document about an entity that others mention")
        fact, graph = pick
        assert remove_document(st, graph[len(DOC_PREFIX):])
        kept = shared_triples(st)
        assert fact not in kept
        assert any(s == fact[0] for s, _, _ in kept)


def test_a_missing_or_stale_shared_graph_is_recomputed(sample_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    with OxigraphStore(store) as st:
        before = quads(st)
        st.remove_graph(SHARED)  # as if killed before the shared graph was written
        rep = build([SAMPLE_CORPUS], st)
        assert rep.built == [] and len(rep.unchanged) == 5
        assert quads(st) == before
        # facts of a batch added, then the build killed before its documents were written
        orphan = "https://w3id.org/envgov-kg/id/body/x/orphan"
        add_shared(st, [(URIRef(orphan), RDF.type, URIRef("https://w3id.org/envgov-kg/ontology#Body"))])
        assert orphan in {s for s, _, _ in shared_triples(st)}
        build([SAMPLE_CORPUS], st)
        assert quads(st) == before

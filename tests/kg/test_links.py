"""Cross-document links are marked complete like documents, and redone when the mark is missing.

A build killed after its last document but before the links graph is rebuilt
leaves documents that all look unchanged; the next build must still relink.
"""
from __future__ import annotations

from typer.testing import CliRunner

from cli import app
from kg.build import SAMPLE_CORPUS
from kg.rdf import LINKS_GRAPH
from kg.store import OxigraphStore

runner = CliRunner()


def links(store_path) -> set[tuple[str, str, str]]:
    with OxigraphStore(store_path, read_only=True) as st:
        r = st.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{LINKS_GRAPH}> {{ ?s ?p ?o }} }}")
        return {(str(row["s"]), str(row["p"]), str(row["o"])) for row in r.rows}


def implements(triples) -> set[tuple[str, str]]:
    return {(s, o) for s, p, o in triples if p.endswith("#implements")}


def build(store) -> str:
    r = runner.invoke(app, ["build", str(SAMPLE_CORPUS), "--store", str(store)])
    assert r.exit_code == 0, r.output
    return r.output


def test_a_missing_links_graph_is_rebuilt(tmp_path):
    store = tmp_path / "st"
    build(store)
    before = links(store)
    assert implements(before), "the sample corpus has a document implementing another"
    with OxigraphStore(store) as st:  # as if killed before the links were written
        st.remove_graph(str(LINKS_GRAPH))
    assert links(store) == set()
    out = build(store)
    assert "0 built, 5 unchanged" in out
    assert links(store) == before


def test_links_without_their_completion_mark_are_redone(tmp_path):
    store = tmp_path / "st"
    build(store)
    before = links(store)
    with OxigraphStore(store) as st:  # stale links of an earlier state, no completion mark
        st.remove_graph(str(LINKS_GRAPH))
        st.update(f'INSERT DATA {{ GRAPH <{LINKS_GRAPH}> {{ <urn:x:stale> <http://data.europa.eu/eli/ontology#implements> <urn:x:gone> }} }}')
    build(store)
    assert links(store) == before


def test_removing_a_document_relinks_and_an_unchanged_build_keeps_links(tmp_path):
    store = tmp_path / "st"
    build(store)
    before = links(store)
    target = next(iter(implements(before)))[1].rsplit("/", 1)[1]
    r = runner.invoke(app, ["remove", target, "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert implements(links(store)) == set()
    build(store)  # the removed document comes back: its links too
    assert links(store) == before
    build(store)
    assert links(store) == before

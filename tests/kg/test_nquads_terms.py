"""A document is written to Oxigraph as N-Quads made without rdflib objects
(kg.rdf.NQuadTerms, issue 12 item 5): the lines must be byte for byte those that
kg.terms.NQuads writes from the rdflib triples, and the shared facts the same."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from extract.pipeline import extract_file, extract_text
from kg.build import SAMPLE_CORPUS
from kg.rdf import DocumentGraph
from kg.terms import NQuads, parse_term

GRAPH = "https://w3id.org/envgov-kg/id/graph/doc/x"


def _both(doc):
    writer = NQuads()
    g = writer.iri(GRAPH)
    slow = DocumentGraph(doc)
    from_rdflib = [writer.line(s, p, o, g) for s, p, o in slow]
    fast = DocumentGraph(doc)
    direct = list(fast.nquads(GRAPH))
    return from_rdflib, direct, slow, fast


@pytest.mark.parametrize("path", sorted(SAMPLE_CORPUS.glob("*.txt")), ids=lambda p: p.name[:12])
def test_sample_documents_give_the_same_lines_either_way(path):
    from_rdflib, direct, slow, fast = _both(extract_file(path))
    assert direct == from_rdflib
    assert fast.shared == slow.shared and fast.count == slow.count == len(direct)
    assert all(isinstance(t, (URIRef, Literal)) for triple in fast.shared for t in triple)


def test_awkward_text_gives_the_same_lines_either_way():
    text = ('关于[试行]"办法"的通知\n环发[2018]5号\n一、市生态环境局负责\\排污许可{管理}，'
            '报告市人民政府。\r\n二、县人民政府负责`河长制`<落实>|^ 工作。\n')
    from_rdflib, direct, _, fast = _both(extract_text(text, "a [1] {x}.txt"))
    assert direct == from_rdflib
    assert any(b"\\\\" in line and b'\\"' in line for line in direct)  # backslashes and quotes escaped


def test_a_lone_surrogate_is_refused_either_way():
    doc = extract_text("一、市生态环境局负责排污许可管理工作。\n", "s\udc80.txt")  # a file name not in UTF-8
    writer = NQuads()
    with pytest.raises(ValueError):
        [writer.line(s, p, o, writer.iri(GRAPH)) for s, p, o in DocumentGraph(doc)]
    with pytest.raises(ValueError):
        list(DocumentGraph(doc).nquads(GRAPH))


@pytest.mark.parametrize("term", [
    URIRef("https://w3id.org/envgov-kg/id/body/漳州市/%5B1%5D"),
    Literal("引号\"反斜杠\\换行\n回车\r", lang="zh"), Literal("无标签"), Literal(5), Literal(True),
    Literal("2024-01-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
])
def test_parse_term_reads_back_what_nquads_writes(term):
    assert parse_term(NQuads().term(term)) == term

"""Implicit owners are one statement, not a copy per clause; egov:administers only
where a clause's own words make a body answerable (issue 11, issue 12 item 5)."""
from __future__ import annotations

from kg.rdf import DocumentGraph, document_graph

ZZ = "001_2b16a58583755083.txt"  # 漳州: "以下均需…落实" makes 12 bodies co-own every later clause


def _rows(store, sparql):
    return store.query(sparql).rows


def test_a_standing_rule_is_one_ownership_covering_many_clauses(store):
    rows = _rows(store, f"""
        SELECT ?own (COUNT(DISTINCT ?c) AS ?n) WHERE {{
          ?own a egov:Ownership ; egov:implicit true ; egov:obligation ?c .
          ?c eli:is_part_of ?d . ?d egov:sourceFile "{ZZ}" }}
        GROUP BY ?own""")
    assert rows, "the 漳州 plan's standing rule gives implicit ownerships"
    assert max(int(r["n"]) for r in rows) >= 20
    for r in rows:  # one node per statement: its IRI names the span of the words that state it
        assert "/owner/" in str(r["own"]) and "/clause/" not in str(r["own"])


def test_every_covered_clause_lists_the_standing_ownership_and_its_shortcuts(store):
    missing = _rows(store, """
        SELECT ?own ?c WHERE {
          ?own a egov:Ownership ; egov:implicit true ; egov:obligation ?c ; egov:body ?b .
          FILTER NOT EXISTS { ?c egov:hasOwnership ?own ; odrl:assignee ?b ; egov:responsibleBody|egov:leadBy|egov:supportedBy ?b }
        }""")
    assert missing == []


def test_a_stated_ownership_names_one_clause(store):
    rows = _rows(store, """
        SELECT ?own WHERE { ?own egov:implicit false ; egov:obligation ?a , ?b FILTER (?a != ?b) } LIMIT 1""")
    assert rows == []


def test_co_owner_without_lead_does_not_administer_the_clauses_instruments(store):
    # (十四) 强化司法保障: six bodies 按职责分工负责; 河长办 is one of them, not the court
    rows = _rows(store, """
        SELECT ?i WHERE { ?b skos:prefLabel "河长办"@zh ; egov:administers ?i }""")
    assert rows == []
    lead = _rows(store, """
        SELECT ?i WHERE { ?b rdfs:label "漳州市生态环境局"@zh ; egov:administers ?i . ?i skos:prefLabel "排污许可"@zh }""")
    assert lead, "the stated lead of a 排污许可 clause administers it"


def test_document_graph_reads_once_and_lists_the_shared_facts_after():
    from extract.pipeline import extract_file
    from kg.build import SAMPLE_CORPUS

    doc = extract_file(SAMPLE_CORPUS / ZZ, ZZ)
    g = DocumentGraph(doc)
    assert g.shared == []
    triples = list(g)
    assert g.shared and g.count == len(triples)
    own, shared = document_graph(doc)
    assert own == triples and shared == g.shared
    try:
        list(g)
    except RuntimeError:
        pass
    else:
        raise AssertionError("a DocumentGraph must refuse a second reading")


def test_fewer_triples_than_one_ownership_per_clause(store):
    implicit_links = int(_rows(store, """SELECT (COUNT(*) AS ?n) WHERE {
        ?own egov:implicit true ; egov:obligation ?c }""")[0]["n"])
    nodes = int(_rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?own egov:implicit true }")[0]["n"])
    assert implicit_links > 5 * nodes  # the 漳州 rule's 12 bodies × 26 clauses are 12 nodes, not 312

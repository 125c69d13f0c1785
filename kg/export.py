"""Exports of a stored graph: RDF serialisations and the JSON summary.

The JSON summary (``kg export --format json``) is read back from the store
with SPARQL, so it shows exactly what the graph says: documents, obligations
with owners/instruments/deadline and evidence, and relations.
"""
from __future__ import annotations

import json
from collections import defaultdict

from rdflib import Dataset, Graph

from .namespace import PREFIXES
from .rdf import ONTOLOGY_GRAPH
from .store import GraphStore

RDF_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld", "nt": "nt"}
PRED_NAMES = {
    "http://www.w3.org/ns/org#reportsTo": "reportsTo",
    "https://w3id.org/envgov-kg/ontology#regulates": "regulates",
    "https://w3id.org/envgov-kg/ontology#leads": "leads",
    "https://w3id.org/envgov-kg/ontology#supports": "supports",
}
ROLE_NAMES = {
    "https://w3id.org/envgov-kg/ontology#LeadRole": "lead",
    "https://w3id.org/envgov-kg/ontology#SupportRole": "support",
    "https://w3id.org/envgov-kg/ontology#ResponsibleRole": "responsible",
}


def _s(v) -> str | None:
    return None if v is None else str(v)


def as_dataset(store: GraphStore, include_ontology: bool = True) -> Dataset:
    """The store's named graphs as an rdflib Dataset (for pySHACL and rdflib's serialisers)."""
    ds = Dataset()
    for k, v in PREFIXES.items():
        ds.bind(k, v)
    for s, p, o, g in store.quads():
        if g is None:
            ds.add((s, p, o))
        elif include_ontology or str(g) != str(ONTOLOGY_GRAPH):
            ds.graph(g).add((s, p, o))
    return ds


def export_rdf(store: GraphStore, fmt: str, include_ontology: bool = False) -> bytes:
    """Serialise the store: quads (trig, nq) keep named graphs; ttl/jsonld merge them."""
    fmt = fmt.lower()
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    if fmt in ("trig", "nq", "jsonld"):
        out = as_dataset(store, include_ontology).serialize(format=RDF_FORMATS[fmt])
    else:
        gr = Graph()
        for k, v in PREFIXES.items():
            gr.bind(k, v)
        for s, p, o, g in store.quads():
            if not include_ontology and g is not None and str(g) == str(ONTOLOGY_GRAPH):
                continue
            gr.add((s, p, o))
        out = gr.serialize(format=RDF_FORMATS[fmt])
    return out.encode("utf-8") if isinstance(out, str) else out


def _body(row, name="name", place="place") -> dict:
    return {"name": _s(row[name]), "jurisdiction": _s(row[place])}


def export_json(store: GraphStore) -> dict:
    """The summary object read by ``score.py`` and by people: documents,
    obligations (with owners, instruments, deadline, evidence) and relations."""
    docs: dict[str, dict] = {}
    r = store.query("""
        SELECT ?d ?file ?title ?place ?date ?num ?kind WHERE {
          ?d a egov:PolicyDocument ; egov:sourceFile ?file .
          OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:spatial/skos:prefLabel ?place }
          OPTIONAL { ?d dcterms:issued ?date } OPTIONAL { ?d dcterms:identifier ?num } OPTIONAL { ?d egov:kind ?kind }
        } ORDER BY ?file""")
    iri_to_file = {}
    for row in r.rows:
        f = str(row["file"])
        iri_to_file[str(row["d"])] = f
        docs[f] = {"doc": f, "title": _s(row["title"]), "jurisdiction": _s(row["place"]), "issuer": [],
                   "date": _s(row["date"]), "doc_number": _s(row["num"]), "kind": _s(row["kind"]), "implements": [],
                   "cites": []}
    r = store.query("""
        SELECT ?file ?name ?place WHERE { ?d egov:sourceFile ?file ; dcterms:publisher ?b .
          ?b skos:prefLabel ?name ; egov:jurisdiction/skos:prefLabel ?place }""")
    relations = []
    for row in r.rows:
        docs[str(row["file"])]["issuer"].append(_body(row))
        relations.append({"doc": str(row["file"]), "subject": {"doc": str(row["file"])}, "predicate": "issuedBy",
                          "object": _body(row)})
    r = store.query("""
        SELECT DISTINCT ?file ?p ?title ?num WHERE { ?d egov:sourceFile ?file ; ?p ?c . VALUES ?p { eli:implements eli:cites }
          ?c a egov:CitedDocument . OPTIONAL { ?c dcterms:title ?title } OPTIONAL { ?c dcterms:identifier ?num } }
        ORDER BY ?file ?num ?title""")
    for row in r.rows:
        key = "implements" if str(row["p"]).endswith("implements") else "cites"
        for v in (row["title"], row["num"]):
            if v is not None and str(v) not in docs[str(row["file"])][key]:
                docs[str(row["file"])][key].append(str(v))
        if key == "implements":
            relations.append({"doc": str(row["file"]), "subject": {"doc": str(row["file"])}, "predicate": "implements",
                              "object": _s(row["num"]) or _s(row["title"])})
    r = store.query("""
        SELECT ?file ?target WHERE { GRAPH <https://w3id.org/envgov-kg/id/graph/links> { ?d eli:implements ?t }
          ?d egov:sourceFile ?file . ?t egov:sourceFile ?target }""")
    for row in r.rows:
        docs[str(row["file"])].setdefault("implements_in_corpus", []).append(str(row["target"]))

    obligations: dict[str, dict] = {}
    r = store.query("""
        SELECT ?c ?file ?ord ?num ?heading ?section ?layout ?text ?start ?end ?deadline WHERE {
          ?c a egov:Obligation ; eli:is_part_of ?d ; egov:ordinal ?ord ; egov:layout ?layout ; egov:text ?text ;
             egov:start ?start ; egov:end ?end . ?d egov:sourceFile ?file .
          OPTIONAL { ?c eli:number ?num } OPTIONAL { ?c egov:heading ?heading } OPTIONAL { ?c egov:section ?section }
          OPTIONAL { ?c egov:deadline ?deadline }
        } ORDER BY ?file ?ord""")
    for row in r.rows:
        obligations[str(row["c"])] = {
            "id": str(row["c"]), "doc": str(row["file"]), "ordinal": int(row["ord"]), "number": _s(row["num"]),
            "heading": _s(row["heading"]), "section": _s(row["section"]), "layout": str(row["layout"]),
            "text": str(row["text"]), "start": int(row["start"]), "end": int(row["end"]),
            "deadline": _s(row["deadline"]), "owners": [], "instruments": [], "candidate_instruments": [],
            "mentions": [],
        }
    for row in store.query("SELECT DISTINCT ?c ?m WHERE { ?c a egov:Obligation ; egov:mentions ?m }").rows:
        ob = obligations.get(str(row["c"]))
        if ob is not None:
            ob["mentions"].append(str(row["m"]))
    r = store.query("""
        SELECT ?c ?o ?name ?place ?role ?implicit ?quote ?s ?e WHERE {
          ?c egov:hasOwnership ?o . ?o egov:body ?b ; egov:role ?role ; egov:implicit ?implicit ;
             prov:wasDerivedFrom ?ev . ?b skos:prefLabel ?name ; egov:jurisdiction/skos:prefLabel ?place .
          ?ev prov:value ?quote ; oa:hasSelector ?sel . ?sel oa:start ?s ; oa:end ?e .
        } ORDER BY ?o""")
    rows = sorted(r.rows, key=lambda x: (str(x["c"]), int(str(x["o"]).rsplit("/", 1)[1])))
    for row in rows:
        ob = obligations.get(str(row["c"]))
        if ob is None:
            continue
        ob["owners"].append({
            "name": str(row["name"]), "jurisdiction": str(row["place"]), "role": ROLE_NAMES.get(str(row["role"]), str(row["role"])),
            "implicit": str(row["implicit"]).lower() == "true",
            "evidence": {"quote": str(row["quote"]), "start": int(row["s"]), "end": int(row["e"])},
        })
    r = store.query("""
        SELECT DISTINCT ?c ?label ?cand WHERE { ?c egov:usesInstrument ?i . ?i skos:prefLabel ?label .
          BIND(EXISTS { ?i a egov:Candidate } AS ?cand) }""")
    for row in r.rows:
        ob = obligations.get(str(row["c"]))
        if ob is None:
            continue
        key = "candidate_instruments" if str(row["cand"]).lower() == "true" else "instruments"
        if str(row["label"]) not in ob[key]:
            ob[key].append(str(row["label"]))
    for ob in obligations.values():
        ob["instruments"].sort()
        ob["candidate_instruments"].sort()

    r = store.query("""
        SELECT ?st ?file ?p ?sn ?sp ?on ?op ?implicit ?quote WHERE {
          ?st a egov:RelationStatement ; egov:subject ?s ; egov:predicate ?p ; egov:object ?o ; egov:implicit ?implicit ;
              prov:wasDerivedFrom ?ev . ?ev prov:value ?quote ; oa:hasSource ?d . ?d egov:sourceFile ?file .
          ?s skos:prefLabel ?sn ; egov:jurisdiction/skos:prefLabel ?sp . ?o skos:prefLabel ?on ; egov:jurisdiction/skos:prefLabel ?op .
        } ORDER BY ?file ?st""")
    for row in r.rows:
        relations.append({
            "doc": str(row["file"]), "predicate": PRED_NAMES.get(str(row["p"]), str(row["p"])),
            "subject": {"name": str(row["sn"]), "jurisdiction": str(row["sp"])},
            "object": {"name": str(row["on"]), "jurisdiction": str(row["op"])},
            "implicit": str(row["implicit"]).lower() == "true", "evidence": str(row["quote"]),
        })
    return {"documents": list(docs.values()), "obligations": list(obligations.values()), "relations": relations}


def export_json_text(store: GraphStore) -> str:
    return json.dumps(export_json(store), ensure_ascii=False, indent=1)

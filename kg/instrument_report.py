"""Instrument usage read back from the graph: scheme concepts and candidates.

Candidates are named mechanisms found in documents but not in the SKOS scheme
(``…制度``, ``…机制``, ``…清单`` …). A curator promotes one by adding a row to
``extract/data/instruments.tsv`` and running ``python -m ontology.make_instruments``.
"""
from __future__ import annotations

from .store import GraphStore


def instrument_usage(store: GraphStore, *, candidates: bool = False, limit: int | None = None) -> list[dict]:
    """Instruments with how many obligations and documents use them, and who administers them.

    candidates (bool): list candidate instruments instead of scheme concepts.
    RETURNS (list[dict]): rows with instrument, obligations, documents, administered_by, example.
    """
    kind = "FILTER EXISTS { ?i a egov:Candidate }" if candidates else "FILTER NOT EXISTS { ?i a egov:Candidate }"
    r = store.query(f"""
        SELECT ?label (COUNT(DISTINCT ?c) AS ?obligations) (COUNT(DISTINCT ?d) AS ?documents)
               (GROUP_CONCAT(DISTINCT ?bname; separator="、") AS ?administered_by) (SAMPLE(?quote) AS ?example)
        WHERE {{
          ?c egov:usesInstrument ?i ; eli:is_part_of ?d . ?i skos:prefLabel ?label . {kind}
          OPTIONAL {{ ?m egov:obligation ?c ; egov:instrument ?i ; prov:wasDerivedFrom/prov:value ?quote }}
          OPTIONAL {{ ?c odrl:assignee ?b . ?b rdfs:label ?bn }}
          BIND(COALESCE(?bn, "") AS ?bname)
        }} GROUP BY ?label ORDER BY DESC(?obligations) ?label""")
    rows = []
    for row in r.rows:
        rows.append({
            "instrument": str(row["label"]), "obligations": int(row["obligations"]), "documents": int(row["documents"]),
            "administered_by": "、".join(x for x in str(row["administered_by"] or "").split("、") if x), "example": str(row["example"] or ""),
        })
    return rows[:limit] if limit else rows

"""The stored graph as a network of actors, obligations and instruments.

:func:`body_network` reads the store with SPARQL and returns a
``networkx.MultiDiGraph`` whose node ids are the entities' IRIs:

- nodes have ``kind`` one of ``body``, ``obligation``, ``instrument``,
  ``document``, ``jurisdiction``; ``label``; ``cls`` (body type such as
  ``Department``, instrument type, ``Obligation``, ``PolicyDocument``,
  ``CitedDocument``, ``Jurisdiction``); ``jurisdiction`` (label) and
  ``jurisdiction_iri``; ``docs`` (``|``-joined document IRIs the node comes
  from); ``aliases`` (``|``-joined); plus per-kind extras (``deadline``,
  ``candidate``, ``source_file`` …).
- edges are keyed by relation: ``lead``/``support``/``responsible``
  (body → obligation, with ``evidence``, ``source_file``, ``start``, ``end``,
  ``implicit``, ``cue`` from the Ownership's ``prov:wasDerivedFrom``),
  ``reportsTo``/``regulates``/``leads``/``supports`` (body → body, evidence
  when a RelationStatement gives it), ``usesInstrument`` (obligation →
  instrument), ``implements`` (document → document or cited document),
  ``partOf`` (obligation → document) and ``inJurisdiction`` (body or
  document → jurisdiction).

Provenance (evidence, selectors, ownership, relation-statement and
instrument-mention nodes) never becomes a node; it is folded into edge
attributes. All attribute values are strings, ints or bools, never None, so
GraphML and GEXF writers accept the graph as is.
"""
from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from pathlib import Path

import networkx as nx

from .namespace import EGID, sparql_prologue

__all__ = ["body_network", "bodies_view", "export_network", "degree_summary", "OWNERSHIP_RELATIONS",
           "BODY_RELATIONS", "COWORK_RELATIONS", "RELATIONS", "VIEWS"]

OWNERSHIP_RELATIONS = ("lead", "support", "responsible")
BODY_RELATIONS = ("reportsTo", "regulates", "leads", "supports")
RELATIONS = OWNERSHIP_RELATIONS + BODY_RELATIONS + ("usesInstrument", "implements", "partOf", "inJurisdiction")
# the body–body view (:func:`bodies_view`): who works with whom
COWORK_RELATIONS = ("leadSupport", "coOwner")
VIEWS = ("all", "bodies")

_ROLE = {"LeadRole": "lead", "SupportRole": "support", "ResponsibleRole": "responsible"}
_DOC_GRAPH = str(EGID) + "graph/doc/"


def _local(iri) -> str:
    s = str(iri)
    for sep in ("#", "/"):
        if sep in s:
            s = s.rsplit(sep, 1)[1]
    return s


def _s(term) -> str:
    return "" if term is None else str(term)


def _graph_doc(g) -> str:
    """The document IRI a named graph ``egid:graph/doc/{id}`` belongs to, else ''."""
    g = _s(g)
    return str(EGID) + "doc/" + g[len(_DOC_GRAPH):] if g.startswith(_DOC_GRAPH) else ""


def _q(store, body: str) -> list[dict]:
    return store.query(sparql_prologue() + body).rows


def _graph_filter(doc_iri: str | None) -> str:
    if doc_iri:
        g = _DOC_GRAPH + doc_iri[len(str(EGID) + "doc/"):]
        return f"VALUES ?g {{ <{g}> }}\n"
    return f'FILTER(STRSTARTS(STR(?g), "{_DOC_GRAPH}"))\n'


def _resolve_doc(store, doc: str) -> str:
    """A document given as IRI, doc id, source file name or title (substring) → its IRI."""
    if doc.startswith("http"):
        return doc
    rows = _q(store, """SELECT DISTINCT ?d ?f ?t WHERE { GRAPH ?g { ?d a egov:PolicyDocument .
        OPTIONAL { ?d egov:sourceFile ?f } OPTIONAL { ?d dcterms:title ?t } } }""")
    for exact in (True, False):
        for r in rows:
            d, f, t = _s(r["d"]), _s(r.get("f")), _s(r.get("t"))
            cands = (_local(d), f, t, f.rsplit(".", 1)[0])
            if (exact and doc in cands) or (not exact and any(doc in c for c in cands if c)):
                return d
    raise ValueError(f"no document matches {doc!r}: give its file name (e.g. 001_x.txt), id or title")


def _mentioned_by(store, cls: str, gf: str) -> dict[str, list[str]]:
    """Entity IRI → the documents (IRIs, sorted) whose graphs state it is a ``cls``."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in _q(store, f"""SELECT DISTINCT ?x ?g WHERE {{ GRAPH ?g {{ ?f rdf:subject ?x ;
            rdf:predicate rdf:type ; rdf:object {cls} }} {gf} }} ORDER BY ?x ?g"""):
        out[_s(r["x"])].append(_graph_doc(r["g"]))
    return out


def _add_node(G: nx.MultiDiGraph, nid: str, **attrs) -> None:
    attrs = {k: v for k, v in attrs.items() if v is not None}
    if nid in G:
        cur = G.nodes[nid]
        for k, v in attrs.items():
            if k in ("docs", "aliases"):
                merged = [x for x in cur.get(k, "").split("|") if x]
                for x in v.split("|"):
                    if x and x not in merged:
                        merged.append(x)
                cur[k] = "|".join(merged)
            elif not cur.get(k) and v != "":
                cur[k] = v
    else:
        G.add_node(nid, **attrs)


def _add_edge(G: nx.MultiDiGraph, u: str, v: str, rel: str, **attrs) -> None:
    if u not in G or v not in G:
        return
    key = rel
    if G.has_edge(u, v, key):
        return
    attrs = {k: x for k, x in attrs.items() if x is not None}
    G.add_edge(u, v, key=key, relation=rel, **attrs)


def body_network(store, *, doc: str | None = None, jurisdiction: str | None = None,
                 relations=None, actor: str | None = None, instrument: str | None = None,
                 depth: int = 1, view: str = "all") -> nx.MultiDiGraph:
    """Build the actor/obligation/instrument network from ``store``.

    Filters:

    - ``doc``: keep only what one document says (IRI, file name, doc id or
      title substring) plus the documents it implements.
    - ``jurisdiction``: keep nodes whose jurisdiction label or IRI contains
      this string (documents and jurisdictions included).
    - ``relations``: iterable (or comma-separated string) of edge relations to
      keep, from :data:`RELATIONS`; nodes left without edges are dropped
      (except documents and jurisdictions).
    - ``actor``: ego network of one body up to ``depth`` hops, edges followed
      in both directions. The name is resolved as ``kg actor`` resolves it
      (:func:`kg.audit.resolve_body`: IRI, full name, short name or
      altLabel, else part of the full name); a name that fits several
      bodies raises :class:`kg.audit.Ambiguous` with the candidates, unless
      ``jurisdiction`` picks one of them.
    - ``instrument``: the instrument(s) matching the name (IRI, exact label,
      else substring), the obligations that use them, the bodies that own
      those obligations and their documents; ``depth`` > 1 adds that many
      more hops minus one around all of these.
    - ``view``: ``"all"`` (bodies, obligations, instruments, documents,
      jurisdictions) or ``"bodies"`` (:func:`bodies_view`: bodies only, linked
      by shared obligations and by their body–body relations; ``relations``
      may then name :data:`COWORK_RELATIONS` and :data:`BODY_RELATIONS`).

    ``G.graph`` records ``view`` and ``centres`` (``|``-joined IRIs of the
    actor/instrument the view is about) for the page.

    Raises ``ValueError`` for an unknown relation or view or an
    actor/instrument/doc that matches nothing, :class:`kg.audit.Ambiguous`
    for an ambiguous actor.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: {' or '.join(VIEWS)}")
    if isinstance(relations, str):
        relations = [r.strip() for r in relations.split(",") if r.strip()]
    allowed = RELATIONS if view == "all" else COWORK_RELATIONS + BODY_RELATIONS
    if relations:
        bad = [r for r in relations if r not in allowed]
        if bad:
            raise ValueError(f"unknown relation(s) {', '.join(bad)} for the {view} view; "
                             f"choose from {', '.join(allowed)}")
    # resolve the actor first: an ambiguous name fails before the network is read
    actor_iri = _resolve_actor(store, actor, jurisdiction) if actor else None
    doc_iri = _resolve_doc(store, doc) if doc else None
    gf = _graph_filter(doc_iri)
    G = nx.MultiDiGraph()

    # Bodies, places and candidate instruments are described once, in the shared
    # graph; which documents mention one is read from the reified statements of
    # the document graphs (``?f rdf:subject ?x``), so ``docs`` lists them and the
    # ``doc`` filter keeps what that document says.
    # ---- jurisdictions
    jur_label: dict[str, str] = {}
    jur_docs = _mentioned_by(store, "egov:Jurisdiction", gf)
    for r in _q(store, """SELECT ?j ?l ?lvl WHERE { ?j a egov:Jurisdiction .
            OPTIONAL { ?j skos:prefLabel ?l } OPTIONAL { ?j egov:level ?lvl } }"""):
        j = _s(r["j"])
        if j not in jur_docs:
            continue
        jur_label.setdefault(j, _s(r.get("l")) or _local(j))
        _add_node(G, j, kind="jurisdiction", cls="Jurisdiction", label=jur_label[j],
                  jurisdiction=jur_label[j], jurisdiction_iri=j, level=_s(r.get("lvl")), docs="", aliases="")

    # ---- documents
    for r in _q(store, f"""SELECT ?d ?t ?id ?sp ?f ?iss WHERE {{ GRAPH ?g {{ ?d a egov:PolicyDocument .
            OPTIONAL {{ ?d dcterms:title ?t }} OPTIONAL {{ ?d dcterms:identifier ?id }}
            OPTIONAL {{ ?d dcterms:spatial ?sp }} OPTIONAL {{ ?d egov:sourceFile ?f }}
            OPTIONAL {{ ?d dcterms:issued ?iss }} }} {gf} }}"""):
        d, sp = _s(r["d"]), _s(r.get("sp"))
        _add_node(G, d, kind="document", cls="PolicyDocument",
                  label=_s(r.get("t")) or _s(r.get("f")) or _local(d), identifier=_s(r.get("id")),
                  source_file=_s(r.get("f")), issued=_s(r.get("iss")),
                  jurisdiction=jur_label.get(sp, _local(sp) if sp else ""), jurisdiction_iri=sp,
                  docs=d, aliases=_s(r.get("id")))
    # cited documents and implements links (links graph or the doc's own graph)
    lf = "" if not doc_iri else f"FILTER(?d = <{doc_iri}>)"
    for r in _q(store, f"""SELECT DISTINCT ?d ?c ?ct ?cid ?cls WHERE {{ GRAPH ?g {{ ?d eli:implements ?c }}
            OPTIONAL {{ GRAPH ?g2 {{ ?c a ?cls FILTER(?cls IN (egov:CitedDocument, egov:PolicyDocument)) }} }}
            OPTIONAL {{ GRAPH ?g3 {{ ?c dcterms:title ?ct }} }} OPTIONAL {{ GRAPH ?g4 {{ ?c dcterms:identifier ?cid }} }}
            {lf} }}"""):
        d, c = _s(r["d"]), _s(r["c"])
        if d not in G:
            continue
        if c not in G:
            cls = _local(r["cls"]) if r.get("cls") is not None else "CitedDocument"
            _add_node(G, c, kind="document", cls=cls, label=_s(r.get("ct")) or _s(r.get("cid")) or _local(c),
                      identifier=_s(r.get("cid")), jurisdiction="", jurisdiction_iri="", docs=d,
                      aliases=_s(r.get("cid")))
        _add_edge(G, d, c, "implements", doc=d)

    # ---- bodies
    body_docs = _mentioned_by(store, "egov:Body", gf)
    for r in _q(store, """SELECT ?b ?l ?pl ?cls ?j WHERE { ?b a egov:Body .
            OPTIONAL { ?b rdfs:label ?l } OPTIONAL { ?b skos:prefLabel ?pl }
            OPTIONAL { ?b org:classification ?cls } OPTIONAL { ?b egov:jurisdiction ?j } }"""):
        b, j = _s(r["b"]), _s(r.get("j"))
        if b not in body_docs:
            continue
        aliases = "|".join(x for x in (_s(r.get("pl")),) if x)
        _add_node(G, b, kind="body", cls=_local(r["cls"]) if r.get("cls") is not None else "Body",
                  label=_s(r.get("l")) or _s(r.get("pl")) or _local(b), short=_s(r.get("pl")),
                  jurisdiction=jur_label.get(j, _local(j) if j else ""), jurisdiction_iri=j,
                  docs="|".join(body_docs[b]), aliases=aliases)
    for r in _q(store, f"""SELECT DISTINCT ?b ?a WHERE {{ GRAPH ?g {{ ?f rdf:subject ?b ;
            rdf:predicate skos:altLabel ; rdf:object ?a }} {gf} }} ORDER BY ?b ?a"""):
        b = _s(r["b"])
        if b in G:
            _add_node(G, b, aliases=_s(r["a"]))
    for b in [n for n, a in G.nodes(data=True) if a["kind"] == "body" and a.get("jurisdiction_iri")]:
        _add_edge(G, b, G.nodes[b]["jurisdiction_iri"], "inJurisdiction")
    for n in [n for n, a in G.nodes(data=True) if a["kind"] == "document" and a.get("jurisdiction_iri")]:
        _add_edge(G, n, G.nodes[n]["jurisdiction_iri"], "inJurisdiction")

    # ---- obligations
    for r in _q(store, f"""SELECT ?o ?d ?h ?t ?dl ?num ?ord ?sec WHERE {{ GRAPH ?g {{ ?o a egov:Obligation ;
            eli:is_part_of ?d . OPTIONAL {{ ?o egov:heading ?h }} OPTIONAL {{ ?o egov:text ?t }}
            OPTIONAL {{ ?o egov:deadline ?dl }} OPTIONAL {{ ?o eli:number ?num }}
            OPTIONAL {{ ?o egov:ordinal ?ord }} OPTIONAL {{ ?o egov:section ?sec }} }} {gf} }}"""):
        o, d = _s(r["o"]), _s(r["d"])
        text = _s(r.get("t"))
        dattrs = G.nodes[d] if d in G else {}
        _add_node(G, o, kind="obligation", cls="Obligation",
                  label=_s(r.get("h")) or text[:20] or _local(o), text=text[:500],
                  deadline=_s(r.get("dl")), number=_s(r.get("num")), section=_s(r.get("sec")),
                  ordinal=int(r["ord"]) if r.get("ord") is not None else 0,
                  jurisdiction=dattrs.get("jurisdiction", ""), jurisdiction_iri=dattrs.get("jurisdiction_iri", ""),
                  docs=d, aliases="")
        _add_edge(G, o, d, "partOf", doc=d)

    # ---- instruments used by obligations
    # (two simple queries joined here: OPTIONALs over the union graph are slow on big stores)
    concept: dict[str, tuple[str, str]] = {}
    for r in _q(store, """SELECT DISTINCT ?i ?l ?it WHERE { ?i a skos:Concept ; skos:prefLabel ?l .
            OPTIONAL { ?i egov:instrumentType ?it } }"""):
        concept.setdefault(_s(r["i"]), (_s(r["l"]), _local(r["it"]) if r.get("it") is not None else ""))
    candidates = {_s(r["i"]) for r in _q(store, "SELECT DISTINCT ?i WHERE { ?i a egov:Candidate }")}
    for r in _q(store, f"""SELECT DISTINCT ?o ?i WHERE {{ GRAPH ?g {{ ?o egov:usesInstrument ?i }} {gf} }}"""):
        o, i = _s(r["o"]), _s(r["i"])
        if o not in G:
            continue
        cand = i in candidates
        label, itype = concept.get(i, ("", ""))
        _add_node(G, i, kind="instrument",
                  cls=itype or ("Candidate" if cand else "Instrument"),
                  label=label or _local(i), candidate=cand, jurisdiction="", jurisdiction_iri="",
                  docs=G.nodes[o]["docs"], aliases="")
        _add_edge(G, o, i, "usesInstrument", doc=G.nodes[o]["docs"])

    # ---- ownership (body → obligation) with evidence
    for r in _q(store, f"""SELECT ?w ?o ?b ?role ?imp ?cue ?q ?st ?en ?f ?g WHERE {{ GRAPH ?g {{
            ?w a egov:Ownership ; egov:obligation ?o ; egov:body ?b ; egov:role ?role .
            OPTIONAL {{ ?w egov:implicit ?imp }} OPTIONAL {{ ?w egov:cue ?cue }}
            OPTIONAL {{ ?w prov:wasDerivedFrom ?e . OPTIONAL {{ ?e prov:value ?q }}
                OPTIONAL {{ ?e oa:hasSelector ?sel . ?sel oa:start ?st ; oa:end ?en }}
                OPTIONAL {{ ?e oa:hasSource ?src . ?src egov:sourceFile ?f }} }} }} {gf} }} ORDER BY ?w"""):
        rel = _ROLE.get(_local(r["role"]), "responsible")
        _add_edge(G, _s(r["b"]), _s(r["o"]), rel, role=rel, evidence=_s(r.get("q")), source_file=_s(r.get("f")),
                  start=int(r["st"]) if r.get("st") is not None else -1,
                  end=int(r["en"]) if r.get("en") is not None else -1,
                  implicit=bool(r["imp"].toPython()) if r.get("imp") is not None else False,
                  cue=_s(r.get("cue")), doc=_graph_doc(r["g"]))

    # ---- body → body relations, with the evidence of the document's RelationStatement
    # (the direct triple is a shared fact; each statement of it stays in its document's graph)
    for r in _q(store, f"""SELECT ?s ?p ?o ?q ?st ?en ?f ?g WHERE {{
            VALUES ?p {{ org:reportsTo egov:regulates egov:leads egov:supports }}
            GRAPH ?g {{ ?rs a egov:RelationStatement ; egov:subject ?s ; egov:predicate ?p ; egov:object ?o .
            OPTIONAL {{ ?rs prov:wasDerivedFrom ?e . OPTIONAL {{ ?e prov:value ?q }}
                OPTIONAL {{ ?e oa:hasSelector ?sel . ?sel oa:start ?st ; oa:end ?en }}
                OPTIONAL {{ ?e oa:hasSource ?src . ?src egov:sourceFile ?f }} }} }} {gf} }} ORDER BY ?g ?rs"""):
        rel = _local(r["p"])
        _add_edge(G, _s(r["s"]), _s(r["o"]), rel, evidence=_s(r.get("q")), source_file=_s(r.get("f")),
                  start=int(r["st"]) if r.get("st") is not None else -1,
                  end=int(r["en"]) if r.get("en") is not None else -1, doc=_graph_doc(r["g"]))

    # ---- filters
    if relations and view == "all":
        _keep_relations(G, relations)
        G.remove_nodes_from([n for n, a in G.nodes(data=True)
                             if a["kind"] not in ("document", "jurisdiction") and G.degree(n) == 0])
    if jurisdiction:
        G.remove_nodes_from([n for n, a in G.nodes(data=True)
                             if jurisdiction not in a.get("jurisdiction", "") and jurisdiction not in a.get("jurisdiction_iri", "")])
    if view == "bodies":
        G = bodies_view(G)
        if relations:
            _keep_relations(G, relations)
    centres: list[str] = []
    core: set[str] = set()
    if actor_iri:
        if actor_iri not in G:
            hits = _match(G, actor, "body", "actor")  # a body kg.audit does not know (no jurisdiction)
            if len(hits) != 1 or actor_iri.startswith("http") and hits[0] != actor_iri:
                raise ValueError(f"the actor {actor!r} is not in this view (check --doc, --jurisdiction, --relations)")
            actor_iri = hits[0]
        centres.append(actor_iri)
        core.add(actor_iri)
    if instrument:
        if view == "bodies":
            raise ValueError("the bodies view has no instruments: use --actor, or the default view")
        insts = _match(G, instrument, "instrument", "instrument")
        centres += insts
        # the clauses that use the instrument, the bodies that own them, their documents
        core |= set(insts)
        for i in insts:
            for o, _, rel in G.in_edges(i, data="relation"):
                if rel != "usesInstrument":
                    continue
                core.add(o)
                for b, _, r2 in G.in_edges(o, data="relation"):
                    if r2 in OWNERSHIP_RELATIONS:
                        core.add(b)
                for _, d, r2 in G.out_edges(o, data="relation"):
                    if r2 == "partOf":
                        core.add(d)
    if centres:
        U = G.to_undirected(as_view=True)
        keep = set(core)
        # an instrument's core is already one hop (its clauses, their owners)
        hops = max(0, int(depth)) - (1 if instrument else 0)
        if hops > 0:
            for c in sorted(core):
                keep |= set(nx.single_source_shortest_path_length(U, c, cutoff=hops))
        G = G.subgraph(keep).copy()
    G.graph["view"] = view
    G.graph["centres"] = "|".join(centres)
    return G


def _keep_relations(G: nx.MultiDiGraph, relations) -> None:
    """Drop the edges of G whose relation is not one of ``relations``."""
    keep = set(relations)
    G.remove_edges_from([(u, v, k) for u, v, k, rel in G.edges(keys=True, data="relation") if rel not in keep])


def _resolve_actor(store, actor: str, jurisdiction: str | None) -> str:
    """The IRI of the one body ACTOR names, resolved as ``kg actor`` does (:func:`kg.audit.resolve_body`).

    ``jurisdiction`` (a substring, as the ``--jurisdiction`` filter) narrows
    the candidates of an ambiguous name. A name kg.audit does not know
    returns the name itself, for :func:`_match` on the network.
    """
    from .audit import Ambiguous, NotFound, resolve_body

    try:
        return resolve_body(store, actor)["iri"]
    except Ambiguous as exc:
        if jurisdiction:
            narrowed = [c for c in exc.candidates if jurisdiction in c.get("jurisdiction", "")]
            if len(narrowed) == 1:
                return narrowed[0]["iri"]
            if narrowed:
                exc.candidates[:] = narrowed
        raise
    except NotFound:
        return actor


def bodies_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Project the full network onto its bodies: who works with whom.

    Edges (each with ``weight`` = number of obligations, or 1, and
    ``obligations``: up to five clause headings, `` | ``-joined):

    - ``leadSupport``: the lead owner of an obligation → each other owner of
      it (support or responsible);
    - ``coOwner``: two owners of the same obligation, both lead or neither
      (one edge per pair, from the IRI that sorts first); so each pair of
      owners of an obligation counts in exactly one of the two;
    - ``reportsTo``, ``regulates``, ``leads``, ``supports`` as stated.

    Nodes keep their attributes, plus ``obligations`` (how many they own).
    Obligation, instrument, document and jurisdiction nodes are left out.
    """
    H = nx.MultiDiGraph()
    for n, a in G.nodes(data=True):
        if a.get("kind") == "body":
            H.add_node(n, **a)
    pair: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    owned: dict[str, int] = defaultdict(int)
    for o, a in G.nodes(data=True):
        if a.get("kind") != "obligation":
            continue
        owners: dict[str, str] = {}
        for b, _, rel in G.in_edges(o, data="relation"):
            if rel in OWNERSHIP_RELATIONS and b in H:
                # a body both leading and responsible for one clause counts as lead
                if owners.get(b) != "lead":
                    owners[b] = rel
        for b in owners:
            owned[b] += 1
        leads = sorted(b for b, r in owners.items() if r == "lead")
        rest = sorted(b for b, r in owners.items() if r != "lead")
        label = a.get("label", "")
        for lb in leads:
            for b in rest:
                pair[(lb, b, "leadSupport")].append(label)
        # every pair of owners is counted once: lead → other owner, else co-owners
        # (two non-leads, or two leads)
        for group in (leads, rest):
            for i, u in enumerate(group):
                for v in group[i + 1:]:
                    pair[(u, v, "coOwner")].append(label)
    for (u, v, rel), labels in sorted(pair.items()):
        uniq = list(dict.fromkeys(labels))
        H.add_edge(u, v, key=rel, relation=rel, weight=len(labels), obligations=" | ".join(uniq[:5]))
    for u, v, k, a in G.edges(keys=True, data=True):
        if a.get("relation") in BODY_RELATIONS and u in H and v in H and u != v:
            H.add_edge(u, v, key=k, **{**a, "weight": 1})
    for n in H:
        H.nodes[n]["obligations"] = owned.get(n, 0)
    return H


def _match(G, text: str, kind: str, what: str) -> list[str]:
    nodes = [(n, a) for n, a in G.nodes(data=True) if a["kind"] == kind]
    hits = [n for n, a in nodes if text == n or text == a["label"] or text in a.get("aliases", "").split("|")]
    if not hits:
        hits = [n for n, a in nodes if text in a["label"] or text in a.get("aliases", "")]
    if not hits:
        raise ValueError(f"no {what} matches {text!r}")
    return hits


def _clean(attrs: dict) -> dict:
    out = {}
    for k, v in attrs.items():
        if v is None:
            continue
        out[k] = v if isinstance(v, (str, int, float, bool)) else str(v)
    return out


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _export_graph(G: nx.MultiDiGraph, fmt: str = "") -> nx.MultiDiGraph:
    """G with plain attribute values and, for Gephi, the page's look.

    Every node gets the colour, size and position the page gives it
    (:func:`kg.viz.grouped_layout`, the fixed layout the page uses from
    ``PHYSICS_MAX`` nodes and starts its physics from; y points up, as in
    Gephi) and every edge its relation's colour and width: for ``gexf`` as
    ``viz:color``/``viz:size``/``viz:position``/``viz:thickness``, otherwise as
    the attributes ``r``, ``g``, ``b``, ``x``, ``y``, ``size`` (nodes) and
    ``r``, ``g``, ``b``, ``weight`` (edges) that Gephi's GraphML importer reads.
    """
    from .viz import RELATION_STYLE, edge_width, grouped_layout, node_size, node_style

    pos, _ = grouped_layout(G)
    deg = dict(G.degree())
    H = nx.MultiDiGraph()
    for n, a in G.nodes(data=True):
        attrs = _clean(a)
        colour = node_style(a)[0]
        r, g, b = _rgb(colour)
        x, y = pos.get(n, (0.0, 0.0))
        size = node_size(a.get("kind", ""), deg.get(n, 0))
        x, y = round(float(x), 2), round(-float(y), 2)  # the page's y points down, Gephi's up
        if fmt == "gexf":
            attrs["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": size,
                            "position": {"x": x, "y": y, "z": 0.0}}
        else:
            attrs.update(r=r, g=g, b=b, x=x, y=y, size=size, color=colour)
        H.add_node(n, **attrs)
    for u, v, k, a in G.edges(keys=True, data=True):
        attrs = _clean(a)
        rel = a.get("relation", k)
        r, g, b = _rgb(RELATION_STYLE.get(rel, ("#999999",))[0])
        w = int(a.get("weight", 1) or 1)
        if fmt == "gexf":
            attrs["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "thickness": edge_width(rel, w)}
            attrs.setdefault("weight", w)
        else:
            attrs.update(r=r, g=g, b=b, weight=w)
        H.add_edge(u, v, key=k, **attrs)
    return H


def export_network(store, fmt: str, outdir: str | os.PathLike | None = None, **filters) -> bytes:
    """Serialise :func:`body_network` (``filters`` passed through) as ``graphml``, ``gexf`` or ``csv``.

    GraphML/GEXF are returned as UTF-8 bytes, with the page's colours, sizes and
    positions for Gephi (see :func:`_export_graph`). ``csv`` writes ``nodes.csv``
    (id + node attributes) and ``edges.csv`` (source, target, key + edge
    attributes) into ``outdir`` (created if missing) and returns ``b""``.
    """
    G = _export_graph(body_network(store, **filters), fmt)
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(G, buf, encoding="utf-8")
        return buf.getvalue()
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(G, buf, encoding="utf-8")
        return buf.getvalue()
    if fmt == "csv":
        if outdir is None:
            raise ValueError("csv export writes nodes.csv and edges.csv: give an output directory")
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        ncols = sorted({k for _, a in G.nodes(data=True) for k in a})
        with open(out / "nodes.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", *ncols])
            for n, a in G.nodes(data=True):
                w.writerow([n, *[a.get(c, "") for c in ncols]])
        ecols = sorted({k for *_, a in G.edges(keys=True, data=True) for k in a})
        with open(out / "edges.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["source", "target", "key", *ecols])
            for u, v, k, a in G.edges(keys=True, data=True):
                w.writerow([u, v, k, *[a.get(c, "") for c in ecols]])
        return b""
    raise ValueError(f"unknown network format {fmt!r}: graphml, gexf or csv")


def degree_summary(G: nx.MultiDiGraph) -> dict[str, int]:
    """Count of nodes per kind (for messages)."""
    out: dict[str, int] = defaultdict(int)
    for _, k in G.nodes(data="kind"):
        out[k] += 1
    return dict(out)

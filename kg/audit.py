"""Answers for auditors and analysts: who owns what, who reports to whom, what is missing.

Every function takes an open store (``kg.store.open_store``) and returns plain
data — lists of dicts (or, for the profile and the statistics, a dict of such
lists) — and never prints. User values (names, labels, file names) are always
bound as SPARQL variables, never pasted into query text as text: each is turned
into an RDF term, serialised by pyoxigraph (an IRI is validated, a literal
escaped) and bound in a ``VALUES`` block at the start of the query's WHERE
group (:func:`_run`). Oxigraph plans a query without looking at
``substitutions``, so a bound variable there does not narrow the rest of the
query (a body's documents took 100 s on 1,259 documents); a VALUES block does.
Every bound variable is also selected, as the query text needs no other change.

Roles are reported as ``lead``, ``support`` or ``responsible`` (the English
labels of ``egov:LeadRole`` …); the Chinese cues 牵头 / 配合 / 负责 are accepted as
input too.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections import defaultdict

from rdflib import Literal, URIRef

from .namespace import EGOV

ROLES = {"lead": EGOV.LeadRole, "support": EGOV.SupportRole, "responsible": EGOV.ResponsibleRole}
ROLE_ALIASES = {"牵头": "lead", "主责": "lead", "配合": "support", "协同": "support", "负责": "responsible",
                "责任": "responsible", "leads": "lead", "supports": "support"}


class AuditError(LookupError):
    """A user value matched nothing usable; the message says what to try."""


class NotFound(AuditError):
    """Nothing in the graph matches the given name or text."""


class Ambiguous(AuditError):
    """A name matches several bodies (or documents); ``candidates`` lists them to choose from."""

    def __init__(self, message: str, candidates: list[dict]):
        super().__init__(message)
        self.candidates = candidates


# --------------------------------------------------------------------------- helpers

def _run(store, text: str, bindings: dict | None = None):
    """Run ``text`` with ``bindings`` (variable → rdflib term) as a VALUES block at the
    start of its WHERE (or ASK) group, where it narrows everything after it
    (:func:`kg.queries.bind_values`, as the named queries and the query page bind theirs)."""
    from .queries import bind_values

    return store.query(bind_values(text, bindings or {}))


def _query(store, template: str, bindings: dict, **fragments):
    """Run TEMPLATE with the optional FRAGMENTS (fixed SPARQL text chosen by the caller) filled in.

    ``{bound}`` in the template becomes the bound variables (selected, so each row
    shows the values it was asked for). Optional filters are switched on by
    including their fragment.
    """
    fragments = {k: (v if v else "") for k, v in fragments.items()}
    text = template.replace("{bound}", " ".join(f"?{k}" for k in bindings))
    for k, v in fragments.items():
        text = text.replace("{" + k + "}", v)
    return _run(store, text, bindings)


def _lit(value: str) -> Literal:
    return Literal(str(value))


def _s(term) -> str | None:
    return None if term is None else str(term)


def _int(term) -> int | None:
    try:
        return None if term is None else int(term)
    except ValueError:
        return None


def _role_key(role: str) -> str:
    r = role.strip().lower()
    r = ROLE_ALIASES.get(r, ROLE_ALIASES.get(role.strip(), r))
    if r not in ROLES:
        raise AuditError(f"unknown role {role!r}; use one of lead, support, responsible (牵头, 配合, 负责)")
    return r


def _role_name(iri) -> str:
    for k, v in ROLES.items():
        if str(iri) == str(v):
            return k
    return str(iri).rsplit("#", 1)[-1]


def _local(iri) -> str | None:
    return None if iri is None else str(iri).rsplit("#", 1)[-1]


_YM = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?")


def deadline_date(deadline: str | None) -> _dt.date | None:
    """The earliest date a deadline string names, as the last day of its year or month.

    "到2022年；到2025年" → 2022-12-31; "2023年6月底" → 2023-06-30; "持续开展" → None.
    """
    if not deadline:
        return None
    dates = []
    for y, m in _YM.findall(deadline):
        y = int(y)
        if m:
            m = int(m)
            nxt = _dt.date(y + (m == 12), m % 12 + 1, 1)
            dates.append(nxt - _dt.timedelta(days=1))
        else:
            dates.append(_dt.date(y, 12, 31))
    if not dates:
        m = re.search(r"\b(\d{4})\b", deadline)
        if m:
            dates.append(_dt.date(int(m.group(1)), 12, 31))
    return min(dates) if dates else None


def _parse_before(value) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return _dt.date(int(text), 1, 1)
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            y, m = text.split("-")
            return _dt.date(int(y), int(m), 1)
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise AuditError(f"cannot read {value!r} as a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None


# --------------------------------------------------------------------------- owners

# The obligations that match ?text by heading, text or the name of an instrument they use.
_MATCHING = """  {
    ?o egov:heading ?match .
    BIND("heading" AS ?matchedBy)
  } UNION {
    ?o egov:text ?match .
    BIND("text" AS ?matchedBy)
  } UNION {
    ?o egov:usesInstrument ?i .
    ?i skos:prefLabel|skos:altLabel ?match .
    BIND("instrument" AS ?matchedBy)
  }
  FILTER(CONTAINS(STR(?match), STR(?text)))
"""

_OWNERS_Q = """
SELECT DISTINCT {bound} ?o ?file ?title ?number ?ordinal ?heading ?deadline ?b ?owner ?ownerLabel
       ?ownerJurisdiction ?role ?implicit ?cue ?quote ?start ?end ?matchedBy
WHERE {
  # the matching obligations first; the text is compared in this group, where ?text is bound
{matching}
  ?o a egov:Obligation ;
     eli:is_part_of ?d ;
     egov:ordinal ?ordinal ;
     egov:hasOwnership ?own .
  ?d egov:sourceFile ?file .
  ?own egov:body ?b ; egov:role ?role ; egov:implicit ?implicit ;
       prov:wasDerivedFrom ?ev .
  ?ev prov:value ?quote ; oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end .
  ?b skos:prefLabel ?owner ; rdfs:label ?ownerLabel ;
     egov:jurisdiction/skos:prefLabel ?ownerJurisdiction .
  {jur}
  # OPTIONALs last: Oxigraph joins what follows an OPTIONAL as a block of its own
  OPTIONAL { ?o egov:heading ?heading }
  OPTIONAL { ?d dcterms:title ?title }
  OPTIONAL { ?o eli:number ?number }
  OPTIONAL { ?o egov:deadline ?deadline }
  OPTIONAL { ?own egov:cue ?cue }
}
"""


# Clauses that match but have no owner at all: listed too, with an empty owner, so that
# "who owns X" never hides the clauses about X that nobody was given. The NOT EXISTS runs
# only on the matching obligations. With a jurisdiction, the document's own place is used.
_UNOWNED_Q = """
SELECT DISTINCT {bound} ?o ?file ?title ?number ?ordinal ?heading ?deadline ?matchedBy
WHERE {
{matching}
  ?o a egov:Obligation ;
     eli:is_part_of ?d ;
     egov:ordinal ?ordinal .
  FILTER NOT EXISTS { ?o egov:hasOwnership ?any }
  ?d egov:sourceFile ?file .
  {jur}
  OPTIONAL { ?o egov:heading ?heading }
  OPTIONAL { ?d dcterms:title ?title }
  OPTIONAL { ?o eli:number ?number }
  OPTIONAL { ?o egov:deadline ?deadline }
}
"""


def owners(store, text: str, jurisdiction: str | None = None, unowned: bool = True) -> list[dict]:
    """Who owns the obligations about TEXT.

    An obligation matches when TEXT occurs in its heading or text, or in a
    label (prefLabel or altLabel) of an instrument it uses. One row per
    (obligation, owner, role): owner short name and full name, role
    (lead/support/responsible), whether the ownership is implicit, the owner's
    jurisdiction, document file and title, clause number and ordinal,
    deadline, the evidence quote and its start/end offsets in the source file,
    and ``matched_by`` (heading, text, instrument). Sorted by document and
    clause. ``jurisdiction`` keeps only owners of that jurisdiction.

    With ``unowned`` (the default), a matching obligation that has no owner at
    all is a row too, with ``owner``, ``owner_label``, ``jurisdiction``,
    ``role``, ``implicit``, ``cue``, ``quote``, ``start`` and ``end`` None; with
    ``jurisdiction``, such rows come from documents of that place
    (``dcterms:spatial``).
    """
    text = (text or "").strip()
    if not text:
        raise AuditError("give some text to look for, e.g. 排污许可")
    bindings = {"text": _lit(text)}
    if jurisdiction:
        bindings["jur"] = _lit(jurisdiction)
    res = _query(store, _OWNERS_Q, bindings, matching=_MATCHING,
                 jur="FILTER(STR(?ownerJurisdiction) = STR(?jur))" if jurisdiction else "")
    found: dict[tuple, dict] = {}
    order = {"heading": 0, "instrument": 1, "text": 2}
    for r in res.rows:
        key = (str(r["o"]), str(r["b"]), str(r["role"]))
        row = {
            "document": _s(r["file"]),
            "title": _s(r["title"]),
            "clause": _s(r["number"]),
            "ordinal": _int(r["ordinal"]),
            "heading": _s(r["heading"]),
            "owner": _s(r["owner"]),
            "owner_label": _s(r["ownerLabel"]),
            "jurisdiction": _s(r["ownerJurisdiction"]),
            "role": _role_name(r["role"]),
            "implicit": str(r["implicit"]).lower() == "true",
            "cue": _s(r["cue"]),
            "deadline": _s(r["deadline"]),
            "quote": _s(r["quote"]),
            "start": _int(r["start"]),
            "end": _int(r["end"]),
            "matched_by": _s(r["matchedBy"]),
            "obligation": _s(r["o"]),
        }
        old = found.get(key)
        if old is None or order.get(row["matched_by"], 9) < order.get(old["matched_by"], 9):
            found[key] = row
    if unowned:
        res = _query(store, _UNOWNED_Q, bindings, matching=_MATCHING,
                     jur="?d dcterms:spatial/skos:prefLabel ?docPlace . FILTER(STR(?docPlace) = STR(?jur))"
                     if jurisdiction else "")
        for r in res.rows:
            key = (str(r["o"]), None, None)
            row = {
                "document": _s(r["file"]), "title": _s(r["title"]), "clause": _s(r["number"]),
                "ordinal": _int(r["ordinal"]), "heading": _s(r["heading"]),
                "owner": None, "owner_label": None, "jurisdiction": None, "role": None, "implicit": None,
                "cue": None, "deadline": _s(r["deadline"]), "quote": None, "start": None, "end": None,
                "matched_by": _s(r["matchedBy"]), "obligation": _s(r["o"]),
            }
            old = found.get(key)
            if old is None or order.get(row["matched_by"], 9) < order.get(old["matched_by"], 9):
                found[key] = row
    rows = sorted(found.values(), key=lambda x: (x["document"] or "", x["ordinal"] or 0,
                                                 list(ROLES).index(x["role"]) if x["role"] in ROLES else 9,
                                                 bool(x["implicit"]), x["owner_label"] or ""))
    return rows


# --------------------------------------------------------------------------- bodies

_FIND_BODY_Q = """
SELECT DISTINCT {bound} ?b ?pref ?label ?jurisdiction ?cls
WHERE {
  ?b a egov:Body ; skos:prefLabel ?pref ; rdfs:label ?label ;
     egov:jurisdiction/skos:prefLabel ?jurisdiction .
  OPTIONAL { ?b org:classification ?cls }
  ?b rdfs:label|skos:prefLabel|skos:altLabel ?any .
  FILTER(STR(?any) = STR(?name))
  {jur}
}
ORDER BY ?jurisdiction ?label
"""

_FIND_BODY_LOOSE_Q = """
SELECT DISTINCT {bound} ?b ?pref ?label ?jurisdiction ?cls
WHERE {
  ?b a egov:Body ; skos:prefLabel ?pref ; rdfs:label ?label ;
     egov:jurisdiction/skos:prefLabel ?jurisdiction .
  OPTIONAL { ?b org:classification ?cls }
  FILTER(CONTAINS(STR(?label), STR(?name)))
  {jur}
}
ORDER BY ?jurisdiction ?label
"""


def _body_rows(res) -> list[dict]:
    return [{"iri": str(r["b"]), "name": _s(r["pref"]), "label": _s(r["label"]),
             "jurisdiction": _s(r["jurisdiction"]), "classification": _local(r["cls"])} for r in res.rows]


def find_bodies(store, name: str, jurisdiction: str | None = None) -> list[dict]:
    """Bodies whose full name, short name or altLabel is NAME (else whose full name contains it)."""
    name = (name or "").strip()
    if not name:
        return []
    if name.startswith("http"):
        res = _run(store, """SELECT DISTINCT ?b ?pref ?label ?jurisdiction ?cls WHERE {
            ?b a egov:Body ; skos:prefLabel ?pref ; rdfs:label ?label ; egov:jurisdiction/skos:prefLabel ?jurisdiction .
            OPTIONAL { ?b org:classification ?cls } }""", {"b": URIRef(name)})
        return _body_rows(res)
    bindings = {"name": _lit(name)}
    if jurisdiction:
        bindings["jur"] = _lit(jurisdiction)
    jur = "FILTER(STR(?jurisdiction) = STR(?jur))" if jurisdiction else ""
    rows = _body_rows(_query(store, _FIND_BODY_Q, bindings, jur=jur))
    if not rows:
        rows = _body_rows(_query(store, _FIND_BODY_LOOSE_Q, bindings, jur=jur))
    seen, out = set(), []
    for r in rows:
        if r["iri"] not in seen:
            seen.add(r["iri"])
            out.append(r)
    return out


def resolve_body(store, name: str, jurisdiction: str | None = None) -> dict:
    """Exactly one body for NAME, or raise NotFound / Ambiguous (with the candidates)."""
    cands = find_bodies(store, name, jurisdiction)
    if not cands:
        where = f" in {jurisdiction}" if jurisdiction else ""
        raise NotFound(f"no body named {name!r}{where}; try a full name such as 漳州市生态环境局")
    if len(cands) > 1:
        listing = "; ".join(f"{c['label']} ({c['jurisdiction']})" for c in cands)
        raise Ambiguous(f"{name!r} matches {len(cands)} bodies: {listing}. "
                        "Give the full name or a jurisdiction.", cands)
    return cands[0]


def _edges(store, prop: str) -> list[tuple[str, str]]:
    res = store.query(f"SELECT DISTINCT ?a ?b WHERE {{ ?a {prop} ?b . ?a a egov:Body . ?b a egov:Body }}")
    return [(str(r["a"]), str(r["b"])) for r in res.rows if r["a"] != r["b"]]


def _body_labels(store) -> dict[str, dict]:
    res = store.query("""SELECT DISTINCT ?b ?pref ?label ?jurisdiction ?cls WHERE {
        ?b a egov:Body ; skos:prefLabel ?pref ; rdfs:label ?label ; egov:jurisdiction/skos:prefLabel ?jurisdiction .
        OPTIONAL { ?b org:classification ?cls } }""")
    return {r["iri"]: r for r in _body_rows(res)}


def _bfs(start: str, step: dict[str, list[str]]) -> list[tuple[str, int]]:
    seen = {start: 0}
    frontier = [start]
    out = []
    while frontier:
        nxt = []
        for n in frontier:
            for m in sorted(step.get(n, [])):
                if m not in seen:
                    seen[m] = seen[n] + 1
                    out.append((m, seen[m]))
                    nxt.append(m)
        frontier = nxt
    return out


_ACTOR_OBLIGATIONS_Q = """
SELECT DISTINCT ?b ?o ?file ?number ?ordinal ?heading ?deadline ?role ?implicit ?quote
WHERE {
  ?own egov:body ?b ; egov:obligation ?o ; egov:role ?role ; egov:implicit ?implicit .
  OPTIONAL { ?own prov:wasDerivedFrom/prov:value ?quote }
  ?o eli:is_part_of/egov:sourceFile ?file ; egov:ordinal ?ordinal .
  OPTIONAL { ?o eli:number ?number }
  OPTIONAL { ?o egov:heading ?heading }
  OPTIONAL { ?o egov:deadline ?deadline }
}
ORDER BY ?file ?ordinal
"""


def actor(store, name: str, jurisdiction: str | None = None) -> dict:
    """Profile of one body: what it owns, whom it reports to, whom it regulates.

    Returns ``{"body": {...}, "leads": [...], "supports": [...],
    "responsible": [...], "reports_to": [...], "reported_by": [...],
    "regulates": [...], "regulated_by": [...], "leads_bodies": [...],
    "supports_bodies": [...], "administers": [...], "documents": [...]}``.
    ``reports_to`` is the whole chain upwards (``depth`` 1 = direct),
    ``reported_by`` everyone below it. Raises ``Ambiguous`` (with
    ``.candidates``) when NAME matches several bodies, e.g. 生态环境局 in
    several jurisdictions, and ``NotFound`` when none.
    """
    body = resolve_body(store, name, jurisdiction)
    b = URIRef(body["iri"])
    labels = _body_labels(store)

    def who(iri: str) -> dict:
        info = labels.get(iri, {"name": None, "label": iri, "jurisdiction": None, "classification": None})
        return {"name": info["name"], "label": info["label"], "jurisdiction": info["jurisdiction"],
                "classification": info["classification"]}

    profile: dict = {"body": body, "leads": [], "supports": [], "responsible": []}
    docs: set[str] = set()
    for r in _run(store, _ACTOR_OBLIGATIONS_Q, {"b": b}).rows:
        role = _role_name(r["role"])
        docs.add(str(r["file"]))
        key = {"lead": "leads", "support": "supports"}.get(role, "responsible")
        profile[key].append({"document": _s(r["file"]), "clause": _s(r["number"]), "ordinal": _int(r["ordinal"]),
                             "heading": _s(r["heading"]), "deadline": _s(r["deadline"]),
                             "implicit": str(r["implicit"]).lower() == "true", "quote": _s(r["quote"])})
    up: dict[str, list[str]] = defaultdict(list)
    down: dict[str, list[str]] = defaultdict(list)
    for a, c in _edges(store, "org:reportsTo"):
        up[a].append(c)
        down[c].append(a)
    profile["reports_to"] = [dict(who(n), depth=d) for n, d in _bfs(str(b), up)]
    profile["reported_by"] = [dict(who(n), depth=d) for n, d in _bfs(str(b), down)]
    for key, q in (("regulates", "SELECT DISTINCT ?b ?x WHERE { ?b egov:regulates ?x }"),
                   ("regulated_by", "SELECT DISTINCT ?b ?x WHERE { ?x egov:regulates ?b }"),
                   ("leads_bodies", "SELECT DISTINCT ?b ?x WHERE { ?b egov:leads ?x }"),
                   ("supports_bodies", "SELECT DISTINCT ?b ?x WHERE { ?b egov:supports ?x }")):
        profile[key] = sorted((who(str(r["x"])) for r in _run(store, q, {"b": b}).rows),
                              key=lambda x: x["label"] or "")
    res = _run(store, """SELECT DISTINCT ?b ?i ?label ?type ?candidate WHERE {
        ?b egov:administers ?i . ?i skos:prefLabel ?label .
        OPTIONAL { ?i egov:instrumentType ?type }
        BIND(EXISTS { ?i a egov:Candidate } AS ?candidate) } ORDER BY ?label""", {"b": b})
    profile["administers"] = [{"instrument": _s(r["label"]), "type": _local(r["type"]),
                               "candidate": str(r["candidate"]).lower() == "true"} for r in res.rows]
    for q in ("SELECT DISTINCT ?b ?file WHERE { ?d dcterms:publisher ?b ; egov:sourceFile ?file }",
              """SELECT DISTINCT ?b ?file WHERE { ?st egov:subject|egov:object ?b ;
                   prov:wasDerivedFrom/oa:hasSource ?d . ?d egov:sourceFile ?file }"""):
        docs |= {str(r["file"]) for r in _run(store, q, {"b": b}).rows}
    res = store.query("""SELECT DISTINCT ?file ?title ?identifier WHERE {
        ?d a egov:PolicyDocument ; egov:sourceFile ?file .
        OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:identifier ?identifier } } ORDER BY ?file""")
    profile["documents"] = [{"document": str(r["file"]), "title": _s(r["title"]), "identifier": _s(r["identifier"])}
                            for r in res.rows if str(r["file"]) in docs]
    return profile


def profile_rows(profile: dict) -> list[dict]:
    """Flatten an ``actor`` profile into rows (section, item, detail) for tables and CSV."""
    rows = []
    b = profile["body"]
    rows.append({"section": "body", "item": b["label"],
                 "detail": f"{b['jurisdiction']} · {b['classification']} · {b['iri']}"})
    for key in ("leads", "supports", "responsible"):
        for o in profile[key]:
            item = " ".join(x for x in (o["clause"], o["heading"]) if x) or f"clause {o['ordinal']}"
            detail = o["document"] + (" · implicit" if o["implicit"] else "") + \
                (f" · deadline {o['deadline']}" if o["deadline"] else "")
            rows.append({"section": key, "item": item, "detail": detail})
    for key in ("reports_to", "reported_by"):
        for x in profile[key]:
            rows.append({"section": key, "item": x["label"], "detail": f"depth {x['depth']}"})
    for key in ("regulates", "regulated_by", "leads_bodies", "supports_bodies"):
        for x in profile[key]:
            rows.append({"section": key, "item": x["label"], "detail": x["classification"]})
    for x in profile["administers"]:
        rows.append({"section": "administers", "item": x["instrument"],
                     "detail": "candidate" if x["candidate"] else x["type"]})
    for x in profile["documents"]:
        rows.append({"section": "documents", "item": x["document"], "detail": x["title"]})
    return rows


# --------------------------------------------------------------------------- obligations

def _doc_filter_rows(store, doc: str) -> list[dict]:
    res = _run(store, """SELECT DISTINCT ?q ?d ?file ?title ?identifier WHERE {
        ?d a egov:PolicyDocument ; egov:sourceFile ?file .
        OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:identifier ?identifier }
        FILTER(STR(?file) = STR(?q) || STRSTARTS(STR(?file), STR(?q)) || STR(?identifier) = STR(?q)
               || CONTAINS(STR(?title), STR(?q)) || STR(?d) = STR(?q))
    } ORDER BY ?file""", {"q": _lit(doc)})
    return [{"iri": str(r["d"]), "document": str(r["file"]), "title": _s(r["title"]),
             "identifier": _s(r["identifier"])} for r in res.rows]


def resolve_document(store, doc: str) -> dict:
    """One corpus document by file name, file-name prefix (e.g. 001), 文号, or title (part)."""
    doc = (doc or "").strip()
    if not doc:
        raise NotFound("give a document: file name, its prefix (e.g. 001), 文号 or title")
    rows = _doc_filter_rows(store, doc)
    exact = [r for r in rows if doc in (r["document"], r["identifier"], r["title"], r["iri"])]
    if len(exact) == 1:
        return exact[0]
    if not rows:
        raise NotFound(f"no document {doc!r}; `kg query --name documents` lists them")
    if len(rows) > 1:
        raise Ambiguous(f"{doc!r} matches {len(rows)} documents: " + "; ".join(r["document"] for r in rows),
                        rows)
    return rows[0]


_OBLIGATIONS_Q = """
SELECT DISTINCT {bound} ?o ?file ?title ?ordinal ?number ?heading ?deadline
WHERE {
  {owner}
  {instrument}
  ?o a egov:Obligation ; eli:is_part_of ?d ; egov:ordinal ?ordinal .
  {doc}
  ?d egov:sourceFile ?file .
  OPTIONAL { ?d dcterms:title ?title }
  OPTIONAL { ?o eli:number ?number }
  OPTIONAL { ?o egov:heading ?heading }
  OPTIONAL { ?o egov:deadline ?deadline }
}
ORDER BY ?file ?ordinal
"""
# Filters are joins in the outer group (DISTINCT keeps one row per obligation), not
# FILTER EXISTS, which Oxigraph evaluates once per obligation (6 s for one actor on
# 1,259 documents); they sit in the group where the VALUES block binds ?role, ?jur …
_OB_DOC = "FILTER(?d = ?docIri)"
_OB_INSTRUMENT = """?o egov:usesInstrument ?oi . ?oi skos:prefLabel|skos:altLabel ?il .
  FILTER(STR(?il) = STR(?instrument))"""
_OB_OWNER = """?o egov:hasOwnership ?own . ?own egov:body ?ob ; egov:role ?orole .
  ?ob egov:jurisdiction/skos:prefLabel ?oj .
  %s"""
_OB_ROLE = "FILTER(?orole = ?role)"
_OB_JUR = "FILTER(STR(?oj) = STR(?jur))"
_OB_ACTOR = "?ob rdfs:label|skos:prefLabel|skos:altLabel ?al . FILTER(STR(?al) = STR(?actor))"

_OWNERS_OF_Q = """
SELECT DISTINCT ?o ?label ?role ?implicit WHERE {
  ?o egov:hasOwnership ?own . ?own egov:body/rdfs:label ?label ; egov:role ?role ; egov:implicit ?implicit .
}"""

_INSTRUMENTS_OF_Q = """
SELECT DISTINCT ?o ?label WHERE { ?o egov:usesInstrument/skos:prefLabel ?label }"""


def obligations(store, actor: str | None = None, jurisdiction: str | None = None, role: str | None = None,
                instrument: str | None = None, doc: str | None = None, deadline_before=None) -> list[dict]:
    """Obligations, filtered; one row per obligation with its owners and instruments.

    ``actor``: a body's full name, short name or altLabel (an owner of the
    obligation); ``jurisdiction``: an owner's jurisdiction; ``role``: lead,
    support or responsible (牵头/配合/负责) — combined, they must hold for the
    same owner; ``instrument``: a label of an instrument the obligation uses;
    ``doc``: file name, prefix (001), 文号 or title of the document;
    ``deadline_before``: YYYY, YYYY-MM or a date — keeps obligations whose
    deadline (its earliest date, e.g. 到2022年 → 2022-12-31) is before it.
    """
    bindings = {}
    if actor:
        bindings["actor"] = _lit(actor)
    if jurisdiction:
        bindings["jur"] = _lit(jurisdiction)
    if role:
        bindings["role"] = ROLES[_role_key(role)]
    if instrument:
        bindings["instrument"] = _lit(instrument)
    if doc:
        bindings["docIri"] = URIRef(resolve_document(store, doc)["iri"])
    before = _parse_before(deadline_before) if deadline_before not in (None, "") else None
    owner_parts = [frag for key, frag in (("role", _OB_ROLE), ("jur", _OB_JUR), ("actor", _OB_ACTOR))
                   if key in bindings]
    res = _query(store, _OBLIGATIONS_Q, bindings, doc=_OB_DOC if doc else "",
                 instrument=_OB_INSTRUMENT if instrument else "",
                 owner=_OB_OWNER % "\n    ".join(owner_parts) if owner_parts else "")
    owners_of: dict[str, list[str]] = defaultdict(list)
    for r in store.query(_OWNERS_OF_Q).rows:
        tag = _role_name(r["role"]) + ("*" if str(r["implicit"]).lower() == "true" else "")
        owners_of[str(r["o"])].append(f"{r['label']}[{tag}]")
    instruments_of: dict[str, list[str]] = defaultdict(list)
    for r in store.query(_INSTRUMENTS_OF_Q).rows:
        instruments_of[str(r["o"])].append(str(r["label"]))
    out = []
    for r in res.rows:
        dl = _s(r["deadline"])
        due = deadline_date(dl)
        if before is not None and (due is None or due >= before):
            continue
        o = str(r["o"])
        out.append({"document": _s(r["file"]), "clause": _s(r["number"]), "ordinal": _int(r["ordinal"]),
                    "heading": _s(r["heading"]), "deadline": dl, "due": due.isoformat() if due else None,
                    "owners": "; ".join(sorted(set(owners_of.get(o, [])))),
                    "instruments": "; ".join(sorted(set(instruments_of.get(o, [])))), "obligation": o})
    out.sort(key=lambda x: (x["document"] or "", x["ordinal"] or 0))
    return out


# --------------------------------------------------------------------------- gaps

_GAPS_Q = """
SELECT DISTINCT ?o ?file ?ordinal ?number ?heading ?layout ?text ?gap
WHERE {
  ?o a egov:Obligation ; eli:is_part_of/egov:sourceFile ?file ; egov:ordinal ?ordinal ; egov:text ?text .
  OPTIONAL { ?o eli:number ?number }
  OPTIONAL { ?o egov:heading ?heading }
  OPTIONAL { ?o egov:layout ?layout }
  BIND(IF(NOT EXISTS { ?o egov:hasOwnership ?any }, "no_owner",
          IF(NOT EXISTS { ?o egov:hasOwnership/egov:implicit false }, "implicit_only", "")) AS ?gap)
  FILTER(?gap != "")
}
ORDER BY ?gap ?file ?ordinal
"""


def gaps(store) -> list[dict]:
    """Obligations nobody owns (``gap`` = no_owner) and those whose only owners are
    implicit (``gap`` = implicit_only, with the implicit owners listed)."""
    owners_of: dict[str, list[str]] = defaultdict(list)
    for r in store.query(_OWNERS_OF_Q).rows:
        owners_of[str(r["o"])].append(f"{r['label']}[{_role_name(r['role'])}]")
    out = []
    for r in store.query(_GAPS_Q).rows:
        o = str(r["o"])
        text = str(r["text"])
        out.append({"gap": str(r["gap"]), "document": _s(r["file"]), "clause": _s(r["number"]),
                    "ordinal": _int(r["ordinal"]), "heading": _s(r["heading"]), "layout": _s(r["layout"]),
                    "implicit_owners": "; ".join(sorted(set(owners_of.get(o, [])))) if r["gap"] is not None
                    and str(r["gap"]) == "implicit_only" else "",
                    "excerpt": text[:80].replace("\n", " "), "obligation": o})
    out.sort(key=lambda x: (x["gap"], x["document"] or "", x["ordinal"] or 0))
    return out


# --------------------------------------------------------------------------- compare

_CLAUSES_Q = """
SELECT DISTINCT ?d ?o ?ordinal ?number ?heading ?text WHERE {
  ?o eli:is_part_of ?d ; egov:ordinal ?ordinal ; egov:text ?text .
  OPTIONAL { ?o eli:number ?number }
  OPTIONAL { ?o egov:heading ?heading }
} ORDER BY ?ordinal"""

_DOC_INSTRUMENTS_Q = """
SELECT DISTINCT ?d ?label WHERE { ?o eli:is_part_of ?d ; egov:usesInstrument/skos:prefLabel ?label }"""

_DOC_BODIES_Q = """
SELECT DISTINCT ?d ?name WHERE { ?o eli:is_part_of ?d ; egov:hasOwnership/egov:body/skos:prefLabel ?name }"""


def _implements(store, lower: str, higher: str) -> bool:
    res = _run(store, "ASK { ?a (eli:implements/(owl:sameAs|^owl:sameAs)?)+ ?b }",
               {"a": URIRef(lower), "b": URIRef(higher)})
    return bool(res.boolean)


def compare(store, doc_a: str, doc_b: str, threshold: float = 0.5) -> list[dict]:
    """How a lower-level document carries out a higher one.

    The documents are put in order by ``eli:implements`` (whichever implements
    the other, directly or through others, is the lower; otherwise DOC_A is
    taken as the higher). Rows, each with ``aspect`` and ``status``:
    ``clause`` rows pair each higher clause with the most similar lower clause
    by heading (difflib ratio ≥ ``threshold``: matched, else dropped), and
    list lower clauses no higher clause matched (added); ``instrument`` and
    ``body`` rows (owner bodies by short name) say kept, added or dropped.
    """
    a, b = resolve_document(store, doc_a), resolve_document(store, doc_b)
    if a["iri"] == b["iri"]:
        raise AuditError("give two different documents")
    higher, lower = a, b
    if _implements(store, a["iri"], b["iri"]) and not _implements(store, b["iri"], a["iri"]):
        higher, lower = b, a
    clauses: dict[str, list[dict]] = {higher["iri"]: [], lower["iri"]: []}
    for d in (higher, lower):
        for r in _run(store, _CLAUSES_Q, {"d": URIRef(d["iri"])}).rows:
            heading = _s(r["heading"]) or str(r["text"])[:30]
            clauses[d["iri"]].append({"number": _s(r["number"]), "ordinal": _int(r["ordinal"]), "heading": heading})

    def name(c):
        return " ".join(x for x in (c["number"], c["heading"]) if x)

    rows = []
    used = set()
    lows = clauses[lower["iri"]]
    for h in clauses[higher["iri"]]:
        best, score = None, 0.0
        for i, low in enumerate(lows):
            s = difflib.SequenceMatcher(None, h["heading"], low["heading"]).ratio()
            if s > score:
                best, score = i, s
        if best is not None and score >= threshold:
            used.add(best)
            rows.append({"aspect": "clause", "status": "matched", "higher": name(h), "lower": name(lows[best]),
                         "score": round(score, 2)})
        else:
            rows.append({"aspect": "clause", "status": "dropped", "higher": name(h),
                         "lower": name(lows[best]) if best is not None else None, "score": round(score, 2)})
    for i, low in enumerate(lows):
        if i not in used:
            rows.append({"aspect": "clause", "status": "added", "higher": None, "lower": name(low), "score": None})
    for aspect, q, key in (("instrument", _DOC_INSTRUMENTS_Q, "label"), ("body", _DOC_BODIES_Q, "name")):
        sets = {}
        for d in (higher, lower):
            sets[d["iri"]] = {str(r[key]) for r in _run(store, q, {"d": URIRef(d["iri"])}).rows}
        hi, lo = sets[higher["iri"]], sets[lower["iri"]]
        for x in sorted(hi & lo):
            rows.append({"aspect": aspect, "status": "kept", "higher": x, "lower": x, "score": None})
        for x in sorted(lo - hi):
            rows.append({"aspect": aspect, "status": "added", "higher": None, "lower": x, "score": None})
        for x in sorted(hi - lo):
            rows.append({"aspect": aspect, "status": "dropped", "higher": x, "lower": None, "score": None})
    for r in rows:
        r["higher_doc"], r["lower_doc"] = higher["document"], lower["document"]
    return rows


# --------------------------------------------------------------------------- stats

_CLASSES = ["egov:PolicyDocument", "egov:CitedDocument", "egov:Obligation", "egov:Ownership", "egov:Evidence",
            "egov:Body", "egov:RegulatedParty", "egov:Jurisdiction", "egov:RelationStatement",
            "egov:InstrumentMention", "egov:Candidate"]


def count_instances(store, cls: str) -> int:
    """How many distinct resources (by IRI) are of class CLS (fixed text such as
    ``egov:Body``) in the store. The one count of bodies, obligations …: `kg
    stats` and the `kg build` summary both print it."""
    r = store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}")
    return int(r.rows[0]["n"]) if r.rows else 0


def _co_graph(store):
    import networkx as nx

    res = store.query("SELECT DISTINCT ?o ?b WHERE { ?o egov:hasOwnership/egov:body ?b }")
    by_ob: dict[str, set[str]] = defaultdict(set)
    for r in res.rows:
        by_ob[str(r["o"])].add(str(r["b"]))
    g = nx.Graph()
    carried: dict[str, int] = defaultdict(int)
    for bodies in by_ob.values():
        for x in bodies:
            carried[x] += 1
            g.add_node(x)
        bl = sorted(bodies)
        for i, x in enumerate(bl):
            for y in bl[i + 1:]:
                w = g.get_edge_data(x, y, {"weight": 0})["weight"]
                g.add_edge(x, y, weight=w + 1)
    return g, carried


def reporting_tree(store) -> dict:
    """The reporting hierarchy as a nested dict {full name: {subordinate full name: {...}}}.

    Roots are the bodies at the top (in a sink strongly-connected component of
    org:reportsTo; inside a cycle such as 党委 ↔ 人民政府 the party body, else the
    first by name, is the root). Each body appears once, under the first
    superior found breadth-first.
    """
    import networkx as nx

    labels = _body_labels(store)
    g = nx.DiGraph()
    g.add_edges_from(_edges(store, "org:reportsTo"))
    cond = nx.condensation(g)

    def label(n):
        return labels.get(n, {}).get("label") or n

    def rank(n):
        return (labels.get(n, {}).get("classification") != "PartyBody", label(n))

    roots = []
    for c in cond.nodes:
        if cond.out_degree(c) == 0:
            roots.append(min(cond.nodes[c]["members"], key=rank))
    roots.sort(key=label)
    placed: set[str] = set()
    trees: dict = {}
    nodes: dict[str, dict] = {}
    frontier = []
    for r in roots:
        nodes[r] = {}
        trees[label(r)] = nodes[r]
        placed.add(r)
        frontier.append(r)
    while frontier:
        nxt = []
        for n in frontier:
            for child in sorted(g.predecessors(n), key=label):
                if child in placed:
                    continue
                placed.add(child)
                nodes[child] = {}
                nodes[n][label(child)] = nodes[child]
                nxt.append(child)
        frontier = nxt
    return trees


def stats(store, top: int = 10) -> dict:
    """Counts and network measures.

    ``{"counts": [{class, count}], "top_bodies": [{body, jurisdiction,
    obligations}], "betweenness": [{body, jurisdiction, betweenness,
    degree}], "hierarchy": nested dict}`` — top bodies by obligations carried,
    betweenness centrality in the co-responsibility graph (bodies linked when
    they own the same obligation), and the org:reportsTo tree.
    """
    import networkx as nx

    counts = []
    for cls in _CLASSES:
        counts.append({"class": cls, "count": count_instances(store, cls)})
    r = store.query("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skos:Concept ; skos:inScheme egov:InstrumentScheme }")
    counts.append({"class": "egov:InstrumentScheme concept", "count": int(r.rows[0]["n"]) if r.rows else 0})
    labels = _body_labels(store)
    g, carried = _co_graph(store)

    def who(n):
        info = labels.get(n, {})
        return info.get("label") or n, info.get("jurisdiction")

    top_bodies = []
    for n, c in sorted(carried.items(), key=lambda kv: (-kv[1], who(kv[0])[0]))[:top]:
        lab, j = who(n)
        top_bodies.append({"body": lab, "jurisdiction": j, "obligations": c})
    bc = nx.betweenness_centrality(g) if g.number_of_nodes() else {}
    betweenness = []
    for n, v in sorted(bc.items(), key=lambda kv: (-kv[1], who(kv[0])[0]))[:top]:
        lab, j = who(n)
        betweenness.append({"body": lab, "jurisdiction": j, "betweenness": round(v, 4), "degree": g.degree(n)})
    return {"counts": counts, "top_bodies": top_bodies, "betweenness": betweenness,
            "hierarchy": reporting_tree(store)}

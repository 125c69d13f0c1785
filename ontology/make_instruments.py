"""Generate ``ontology/instruments.ttl``, the SKOS instrument scheme, from
``extract/data/instruments.tsv`` (see ontology/MODEL.md, section Instruments).

Run from the repository root::

    python -m ontology.make_instruments          # or: python ontology/make_instruments.py

The output is deterministic (same TSV, same bytes), so the generated file can be
committed and a test can check that it is up to date.

What it writes:

- ``egov:InstrumentScheme`` (a ``skos:ConceptScheme``) and one concept per TSV row,
  ``egid:instrument/{prefLabel}``: ``skos:prefLabel``/``skos:altLabel`` @zh,
  ``skos:notation`` (the row id), ``skos:broader``/``skos:narrower``,
  ``egov:instrumentType``, ``egov:pineType``, ``egov:natoResource`` and
  ``egov:governanceSystem``; concepts without a broader one are top concepts.
- The four instrument types as the top concepts of ``egov:InstrumentTypeScheme``
  (our main axis, after the 命令控制型/市场激励型/公众参与型/自愿型 split of
  Chinese environmental policy studies), the OECD PINE types in
  ``egov:PineTypeScheme`` (each ``skos:broadMatch egov:MarketBased``) and Hood's
  NATO resources in ``egov:NatoResourceScheme``.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from extract.instruments import GOVERNANCE_SYSTEMS, NATO_RESOURCES, PINE_TYPES, TYPES, scheme

__all__ = ["build_scheme_graph", "instrument_iri", "serialise", "main", "OUTPUT", "TYPE_IRIS", "PINE_IRIS",
           "NATO_IRIS"]

EGOV = Namespace("https://w3id.org/envgov-kg/ontology#")
EGID = Namespace("https://w3id.org/envgov-kg/id/")
OUTPUT = Path(__file__).resolve().parent / "instruments.ttl"

_IRI_UNSAFE = str.maketrans("", "", ' <>"{}|\\^`\t\n\r\u3000')


def instrument_iri(pref_label: str) -> URIRef:
    """``egid:instrument/{prefLabel}``: the label as readable IRI characters, without
    spaces and ``<>"{}|\\^``` (MODEL.md). Candidates use the same form."""
    return EGID["instrument/" + pref_label.translate(_IRI_UNSAFE)]


# --------------------------------------------------------------------------- classification concepts

# id in the TSV -> (IRI, zh label, en label, definition)
_TYPES = {
    "command_control": ("CommandControl", "命令控制型", "command and control",
                        "Instruments that prescribe or forbid behaviour and enforce it through the state's authority: "
                        "permits, standards, zoning, assessments, inspections, liability of officials."),
    "market": ("MarketBased", "市场激励型", "market-based",
               "Instruments that change prices, costs or rights so that actors choose to pollute less: taxes, fees, "
               "tradable rights, subsidies, green finance, liability for damage, market services."),
    "information_participation": ("InformationParticipation", "公众参与型", "information and participation",
                                  "Instruments that work through information and the public: disclosure, reporting "
                                  "channels and hotlines, credit and reputation, public-interest litigation."),
    "voluntary": ("Voluntary", "自愿型", "voluntary",
                  "Instruments that firms or citizens take up of their own accord: certification and labels, "
                  "voluntary agreements and commitments, front-runner schemes, cleaner-production audits."),
}
_PINE = {
    "tax": ("PineTax", "环境税", "environmentally related tax"),
    "fee_charge": ("PineFeeCharge", "收费", "fee or charge"),
    "tradable_permit": ("PineTradablePermit", "可交易许可", "tradable permit"),
    "deposit_refund": ("PineDepositRefund", "押金返还", "deposit-refund system"),
    "subsidy": ("PineSubsidy", "环境补贴", "environmentally motivated subsidy"),
    "financial": ("PineFinancial", "金融工具", "financial instrument"),
    "liability": ("PineLiability", "责任制度", "liability"),
}
_NATO = {
    "nodality": ("Nodality", "信息", "nodality",
                 "The government's position at the centre of information networks: collecting and giving out "
                 "information."),
    "authority": ("Authority", "权威", "authority",
                  "The legal power to command, forbid, permit and sanction."),
    "treasure": ("Treasure", "财政", "treasure",
                 "Money and other fungible assets: taxing, spending, paying, lending."),
    "organisation": ("Organisation", "组织", "organisation",
                     "Formal organisation: people, bodies and arrangements the government runs itself."),
}
assert tuple(_TYPES) == TYPES and tuple(_PINE) == PINE_TYPES and tuple(_NATO) == NATO_RESOURCES

TYPE_IRIS = {k: EGOV[v[0]] for k, v in _TYPES.items()}
PINE_IRIS = {k: EGOV[v[0]] for k, v in _PINE.items()}
NATO_IRIS = {k: EGOV[v[0]] for k, v in _NATO.items()}

# Labels of the two schemes that ontology/envgov.ttl also declares: kept identical, so that
# the merged ontology still has one skos:prefLabel per language.
_INSTRUMENT_SCHEME_LABELS = ("Environmental policy instrument scheme", "环境政策工具分类")
_TYPE_SCHEME_LABELS = ("Instrument type scheme", "政策工具类型分类")

_SOURCES_TYPES = ("The four-way split of Chinese environmental policy studies into 命令控制型 (command and control), "
                  "市场激励型 (market-based), 公众参与型 (information and public participation) and 自愿型 "
                  "(voluntary) instruments.")
_SOURCES_PINE = ("OECD Database on Policy Instruments for the Environment (PINE), https://www.oecd.org/en/data/"
                 "datasets/policy-instruments-for-the-environment-database.html: its instrument types (taxes, "
                 "fees and charges, tradable permits, deposit-refund systems, environmentally motivated "
                 "subsidies), with financial instruments and liability added for green finance and damage "
                 "compensation.")
_SOURCES_NATO = ("Hood, C. (1983). The Tools of Government. London: Macmillan; Hood, C. & Margetts, H. (2007). "
                 "The Tools of Government in the Digital Age. Basingstoke: Palgrave Macmillan. The four resources "
                 "government draws on: nodality, authority, treasure, organisation (NATO).")


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _add_classification(g: Graph) -> None:
    ts = EGOV.InstrumentTypeScheme
    g.add((ts, RDF.type, SKOS.ConceptScheme))
    g.add((ts, SKOS.prefLabel, _en(_TYPE_SCHEME_LABELS[0])))
    g.add((ts, SKOS.prefLabel, _zh(_TYPE_SCHEME_LABELS[1])))
    g.add((ts, DCTERMS.source, _en(_SOURCES_TYPES)))
    g.add((ts, DCTERMS.source, _en(_SOURCES_PINE)))
    g.add((ts, DCTERMS.source, _en(_SOURCES_NATO)))
    for key, (name, zh, en, definition) in _TYPES.items():
        c = EGOV[name]
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, ts))
        g.add((c, SKOS.topConceptOf, ts))
        g.add((ts, SKOS.hasTopConcept, c))
        g.add((c, SKOS.prefLabel, _zh(zh)))
        g.add((c, SKOS.prefLabel, _en(en)))
        g.add((c, SKOS.notation, Literal(key)))
        g.add((c, SKOS.definition, _en(definition)))
        g.add((c, RDFS.comment, _en(_SOURCES_TYPES)))

    ps = EGOV.PineTypeScheme
    g.add((ps, RDF.type, SKOS.ConceptScheme))
    g.add((ps, SKOS.prefLabel, _en("OECD PINE instrument types")))
    g.add((ps, SKOS.prefLabel, _zh("OECD PINE 政策工具类型")))
    g.add((ps, RDFS.comment, _en("Types of economic instruments, used as values of egov:pineType. " + _SOURCES_PINE)))
    for key, (name, zh, en) in _PINE.items():
        c = EGOV[name]
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, ps))
        g.add((c, SKOS.topConceptOf, ps))
        g.add((ps, SKOS.hasTopConcept, c))
        g.add((c, SKOS.prefLabel, _zh(zh)))
        g.add((c, SKOS.prefLabel, _en(en)))
        g.add((c, SKOS.notation, Literal(key)))
        g.add((c, SKOS.broadMatch, TYPE_IRIS["market"]))

    ns = EGOV.NatoResourceScheme
    g.add((ns, RDF.type, SKOS.ConceptScheme))
    g.add((ns, SKOS.prefLabel, _en("NATO government resources")))
    g.add((ns, SKOS.prefLabel, _zh("NATO 治理资源")))
    g.add((ns, RDFS.comment, _en("Values of egov:natoResource. " + _SOURCES_NATO)))
    for key, (name, zh, en, definition) in _NATO.items():
        c = EGOV[name]
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, ns))
        g.add((c, SKOS.topConceptOf, ns))
        g.add((ns, SKOS.hasTopConcept, c))
        g.add((c, SKOS.prefLabel, _zh(zh)))
        g.add((c, SKOS.prefLabel, _en(en)))
        g.add((c, SKOS.notation, Literal(key)))
        g.add((c, SKOS.definition, _en(definition)))


# --------------------------------------------------------------------------- the scheme

def _check(rows: list[dict]) -> None:
    ids = [r["id"] for r in rows]
    labels = [r["prefLabel"] for r in rows]
    for name, values in (("id", ids), ("prefLabel", labels), ("IRI", [str(instrument_iri(x)) for x in labels])):
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise ValueError(f"instruments.tsv: duplicate {name}: {', '.join(dupes)}")
    known = set(ids)
    for r in rows:
        problems = []
        if r["type"] not in TYPES:
            problems.append(f"type {r['type']!r}")
        if r["pine"] and r["pine"] not in PINE_TYPES:
            problems.append(f"pine {r['pine']!r}")
        if r["pine"] and r["type"] != "market":
            problems.append("a PINE type on a non-market instrument")
        if r["nato"] and r["nato"] not in NATO_RESOURCES:
            problems.append(f"nato {r['nato']!r}")
        if r["broader"] and r["broader"] not in known:
            problems.append(f"broader {r['broader']!r} (no such id)")
        if r["broader"] == r["id"]:
            problems.append("broader is itself")
        if r["system"] and r["system"] not in GOVERNANCE_SYSTEMS:
            problems.append(f"system {r['system']!r}")
        if problems:
            raise ValueError(f"instruments.tsv row {r['id']}: bad " + "; ".join(problems))


def build_scheme_graph(rows: list[dict] | None = None) -> Graph:
    """The instrument scheme and the classification concepts as an rdflib Graph.

    ``rows`` defaults to :func:`extract.instruments.scheme` (the TSV). Raises
    ValueError on a malformed row (unknown type, dangling broader id …).
    """
    rows = scheme() if rows is None else rows
    _check(rows)
    g = Graph()
    g.bind("egov", EGOV)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    _add_classification(g)

    s = EGOV.InstrumentScheme
    g.add((s, RDF.type, SKOS.ConceptScheme))
    g.add((s, SKOS.prefLabel, _en(_INSTRUMENT_SCHEME_LABELS[0])))
    g.add((s, SKOS.prefLabel, _zh(_INSTRUMENT_SCHEME_LABELS[1])))
    g.add((s, DCTERMS.source, Literal("extract/data/instruments.tsv")))

    by_id = {r["id"]: r for r in rows}
    for r in rows:
        c = instrument_iri(r["prefLabel"])
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, s))
        g.add((c, SKOS.prefLabel, _zh(r["prefLabel"])))
        for alt in r["altLabels"]:
            if alt != r["prefLabel"]:
                g.add((c, SKOS.altLabel, _zh(alt)))
        g.add((c, SKOS.notation, Literal(r["id"])))
        if r["broader"]:
            b = instrument_iri(by_id[r["broader"]]["prefLabel"])
            g.add((c, SKOS.broader, b))
            g.add((b, SKOS.narrower, c))
        else:
            g.add((c, SKOS.topConceptOf, s))
            g.add((s, SKOS.hasTopConcept, c))
        g.add((c, EGOV.instrumentType, TYPE_IRIS[r["type"]]))
        if r["pine"]:
            g.add((c, EGOV.pineType, PINE_IRIS[r["pine"]]))
        if r["nato"]:
            g.add((c, EGOV.natoResource, NATO_IRIS[r["nato"]]))
        if r["system"]:
            g.add((c, EGOV.governanceSystem, _zh(r["system"])))
    return g


_HEADER = """\
# Environmental policy instrument scheme (SKOS), see ontology/MODEL.md, section Instruments.
# GENERATED by ontology/make_instruments.py from extract/data/instruments.tsv: do not edit,
# edit the TSV and run `python -m ontology.make_instruments`.

"""


def serialise(g: Graph) -> str:
    """Deterministic Turtle: rdflib sorts subjects, predicates and objects."""
    return _HEADER + g.serialize(format="turtle")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else OUTPUT
    g = build_scheme_graph()
    out.write_text(serialise(g), encoding="utf-8")
    n = len(set(g.subjects(SKOS.inScheme, EGOV.InstrumentScheme)))
    print(f"wrote {out} ({n} instruments, {len(g)} triples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

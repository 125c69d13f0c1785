"""Namespaces of the envgov-kg graph.

``EGOV`` lists exactly the terms declared in ``ontology/envgov.ttl`` (a test
keeps the two in step); asking it for any other name raises ``AttributeError``
so typos fail at once. Instance IRIs are minted under ``EGID``. The instrument,
instrument-type, PINE and NATO concepts generated into
``ontology/instruments.ttl`` are data, not ontology terms, and are not listed:
build their IRIs with ``EGOV_NS["Name"]`` if needed.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "EGOV",
    "EGOV_NS",
    "EGID",
    "ORG",
    "ELI",
    "ODRL",
    "DCTERMS",
    "PROV",
    "OA",
    "SKOS",
    "RDF",
    "RDFS",
    "XSD",
    "OWL",
    "PREFIXES",
    "sparql_prologue",
    "bind_prefixes",
]

EGOV_NS = Namespace("https://w3id.org/envgov-kg/ontology#")
EGID = Namespace("https://w3id.org/envgov-kg/id/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
OA = Namespace("http://www.w3.org/ns/oa#")


class EGOV(DefinedNamespace):
    """Terms of ``https://w3id.org/envgov-kg/ontology#`` (ontology/envgov.ttl)."""

    _NS = EGOV_NS
    _fail = True

    # Classes
    PolicyDocument: URIRef
    CitedDocument: URIRef
    Obligation: URIRef
    Ownership: URIRef
    Evidence: URIRef
    Body: URIRef
    RegulatedParty: URIRef
    Jurisdiction: URIRef
    RelationStatement: URIRef
    InstrumentMention: URIRef
    Role: URIRef
    Candidate: URIRef

    # Concept schemes
    RoleScheme: URIRef
    BodyTypeScheme: URIRef
    InstrumentScheme: URIRef
    InstrumentTypeScheme: URIRef
    CandidateScheme: URIRef

    # Roles (egov:RoleScheme)
    LeadRole: URIRef
    SupportRole: URIRef
    ResponsibleRole: URIRef

    # Body types (egov:BodyTypeScheme, values of org:classification)
    PartyBody: URIRef
    Government: URIRef
    Department: URIRef
    JudicialBody: URIRef
    FinancialRegulator: URIRef
    Legislature: URIRef
    MassOrganisation: URIRef
    CoordinatingBody: URIRef
    Enterprise: URIRef
    SocialActor: URIRef
    GridWorker: URIRef

    # Document properties
    kind: URIRef
    sourceFile: URIRef
    sha256: URIRef
    extractorVersion: URIRef
    encoding: URIRef
    text: URIRef
    issuerName: URIRef

    # Clause properties
    ordinal: URIRef
    heading: URIRef
    section: URIRef
    layout: URIRef
    start: URIRef
    end: URIRef
    deadline: URIRef
    mentions: URIRef
    hasOwnership: URIRef
    leadBy: URIRef
    supportedBy: URIRef
    responsibleBody: URIRef
    usesInstrument: URIRef

    # Ownership / relation statement / instrument mention properties
    obligation: URIRef
    body: URIRef
    role: URIRef
    implicit: URIRef
    cue: URIRef
    subject: URIRef
    predicate: URIRef
    object: URIRef
    instrument: URIRef

    # Evidence
    inClause: URIRef

    # Bodies and jurisdictions
    jurisdiction: URIRef
    level: URIRef
    regulates: URIRef
    leads: URIRef
    supports: URIRef
    administers: URIRef

    # Instrument classification
    instrumentType: URIRef
    pineType: URIRef
    natoResource: URIRef
    governanceSystem: URIRef


PREFIXES: dict[str, str] = {
    "egov": str(EGOV_NS),
    "egid": str(EGID),
    "org": str(ORG),
    "eli": str(ELI),
    "odrl": str(ODRL),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
}


def sparql_prologue() -> str:
    """``PREFIX`` lines for every entry of :data:`PREFIXES`, one per line."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def bind_prefixes(graph):
    """Bind all :data:`PREFIXES` on an rdflib Graph/Dataset (replacing clashes); returns it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph

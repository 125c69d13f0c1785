"""The ontology (ontology/envgov.ttl), its SHACL shapes (ontology/shapes.ttl),
kg.namespace and kg.validate.

Fixtures (tests/kg/fixtures): ``valid.ttl`` is the minimal conforming graph of
ontology/MODEL.md (one document, clause, body, ownership with evidence);
``valid_full.ttl`` uses every part of the model; every other file is one of
them with exactly one rule broken, and must produce violations of that rule
only.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery

from kg.namespace import EGID, EGOV, EGOV_NS, ELI, OA, ODRL, PREFIXES, sparql_prologue
from kg.validate import ValidationReport, Violation, format_report, ontology_graph, shapes_graph, validate

FIXTURES = Path(__file__).parent / "fixtures"
ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
ENVGOV_TTL = ONTOLOGY_DIR / "envgov.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"

# fixture -> the rule (start of the sh:message) it breaks
BROKEN = {
    "ownership_two_bodies": "Ownership must name exactly one body (egov:body)",
    "ownership_bad_role": "Ownership must have exactly one egov:role: egov:LeadRole, egov:SupportRole or egov:ResponsibleRole",
    "ownership_no_evidence": "Ownership must have exactly one evidence (prov:wasDerivedFrom)",
    "ownership_implicit_not_boolean": "Ownership must have exactly one egov:implicit, an xsd:boolean",
    "ownership_missing_shortcut": "Ownership's body must be on its clause under the role shortcut",
    "evidence_start_after_end": "Text position selector's oa:start must not be greater than its oa:end",
    "evidence_offset_negative": "Text position selector must have exactly one oa:start, a non-negative xsd:integer",
    "evidence_empty_quote": "Text quote selector must have exactly one non-empty oa:exact",
    "evidence_no_position_selector": "Evidence must have exactly one oa:TextPositionSelector (oa:hasSelector)",
    "evidence_source_not_document": "Evidence must have exactly one oa:hasSource, a policy document",
    "evidence_outside_clause": "Evidence's egov:inClause must be a clause whose egov:start/egov:end span contains",
    "body_bad_classification": "Body must have exactly one org:classification from egov:BodyTypeScheme",
    "body_preflabel_not_zh": "Body must have exactly one skos:prefLabel in Chinese (@zh)",
    "body_no_jurisdiction": "Body must have exactly one egov:jurisdiction",
    "body_iri_outside_egid": "Body IRI must be egid:body/{jurisdiction}/{name}",
    "regulated_party_bad_classification": "Regulated party's org:classification must be egov:Enterprise or egov:SocialActor",
    "clause_no_document": "Clause must be part of exactly one policy document (eli:is_part_of)",
    "clause_bad_layout": "Clause must have exactly one egov:layout",
    "clause_not_subdivision": "Clause must be typed eli:LegalResourceSubdivision",
    "document_bad_sha256": "Policy document must have exactly one egov:sha256",
    "cited_document_unnamed": "Cited document must have a dcterms:title or a dcterms:identifier",
    "relation_bad_predicate": "Relation statement must have exactly one egov:predicate",
    "relation_no_direct_triple": "Relation statement's direct triple (subject predicate object) must also be asserted",
    "instrument_duplicate_label": "Concept's skos:prefLabel must be unique within its scheme",
    "instrument_two_preflabels": "Concept must have at most one skos:prefLabel per language",
    "instrument_not_in_scheme": "Instrument mention's egov:instrument must be in egov:InstrumentScheme or egov:CandidateScheme",
    "instrument_bad_governance_system": "Instrument's egov:governanceSystem must name a system of the modern environmental governance framework",
    "administers_missing": "The stated lead (or only stated owner) of a clause that uses an instrument must have egov:administers for it",
    "administers_unbacked": "Body's egov:administers must be backed by a clause that uses the instrument and states this body as its lead (or as its only stated owner)",
}
VALID = ("valid", "valid_full")

# egov: individuals generated into ontology/instruments.ttl, not declared in envgov.ttl
GENERATED = {
    "CommandControl", "MarketBased", "InformationParticipation", "Voluntary",
    "PineTax", "PineFeeCharge", "PineTradablePermit", "PineDepositRefund", "PineSubsidy",
    "PineFinancial", "PineLiability",
    "Nodality", "Authority", "Treasure", "Organisation",
}


def load(name: str) -> Graph:
    return Graph().parse(FIXTURES / f"{name}.ttl", format="turtle")


@pytest.fixture(scope="module")
def envgov() -> Graph:
    return Graph().parse(ENVGOV_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def egov_declared(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(EGOV_NS))}


# --- fixtures conform / break exactly their rule ---------------------------------


@pytest.mark.parametrize("name", VALID)
def test_valid_fixture_conforms(name):
    report = validate(load(name))
    assert isinstance(report, ValidationReport)
    assert report.conforms, format_report(report)
    assert report.violations == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixture_names_its_rule(name):
    report = validate(load(name))
    assert not report.conforms
    assert report.violations, report.text
    messages = {v.message for v in report.violations}
    # the fixture breaks one rule, and only that rule is reported
    assert all(m.startswith(BROKEN[name]) for m in messages), messages
    assert all(v.severity == "Violation" for v in report.violations)
    assert BROKEN[name] in format_report(report)


def test_every_fixture_is_listed():
    on_disk = {p.stem for p in FIXTURES.glob("*.ttl")}
    assert on_disk == set(BROKEN) | set(VALID)


def test_violation_fields():
    report = validate(load("clause_bad_layout"))
    (v,) = report.violations
    assert isinstance(v, Violation)
    assert v.focus == "https://w3id.org/envgov-kg/id/doc/d001/clause/1"
    assert v.path == str(EGOV.layout)
    assert v.value == '"bullet"'
    assert v.severity == "Violation"


def test_sparql_rule_reports_focus_and_value():
    report = validate(load("ownership_missing_shortcut"))
    (v,) = report.violations
    assert v.focus == "https://w3id.org/envgov-kg/id/doc/d001/clause/1/owner/0"
    assert v.value == "https://w3id.org/envgov-kg/id/body/漳州市/生态环境局"
    assert "SPARQLConstraintComponent" in report.text
    assert "Conforms: False" in report.text


@pytest.mark.parametrize("name", sorted(BROKEN) + list(VALID))
def test_sparql_rules_agree_with_pyshacl(name, envgov):
    """kg.validate runs SHACL-SPARQL rules itself (one Oxigraph query per rule);
    pySHACL's own per-focus-node evaluation must give the same results.
    (envgov.ttl only, without the large instruments.ttl, to keep pySHACL fast.)"""
    data = load(name) + envgov
    conforms, results, _ = pyshacl_validate(data, shacl_graph=shapes_graph(), inference="none")
    reference = {
        (str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultMessage)))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    ours = validate(data, include_ontology=False)
    assert {(v.focus, v.message) for v in ours.violations} == reference
    assert ours.conforms == conforms


# --- inputs: Graph, Dataset, ontology merging --------------------------------------


def test_dataset_is_validated_as_union_of_named_graphs():
    g = load("valid_full")
    ds = Dataset()
    doc_graph = ds.graph(EGID["graph/doc/d002"])
    other = ds.graph(EGID["graph/links"])
    # split the facts over two graphs and the default graph: each alone would not conform
    for i, t in enumerate(sorted(g)):
        (doc_graph, other, ds.default_graph)[i % 3].add(t)
    ont = ds.graph(EGID["graph/ontology"])
    for t in ontology_graph():
        ont.add(t)
    assert validate(ds, include_ontology=False).conforms
    assert validate(ds).conforms


def test_dataset_violation_found_in_named_graph():
    ds = Dataset()
    doc_graph = ds.graph(EGID["graph/doc/d001"])
    for t in load("clause_bad_layout"):
        doc_graph.add(t)
    report = validate(ds)
    assert not report.conforms
    assert {v.message for v in report.violations} == {
        "Clause must have exactly one egov:layout: numbered, article, headed, section, table_row or paragraph"
    }


def test_ontology_is_needed_for_subclass_checks():
    # egov:CitedDocument ⊑ eli:LegalResource comes from envgov.ttl
    report = validate(load("valid_full"), include_ontology=False)
    assert not report.conforms
    assert {v.message for v in report.violations} == {
        "Policy document's eli:cites must point to a document (eli:LegalResource)",
        "Policy document's eli:implements must point to a document (eli:LegalResource)",
    }


def test_input_graph_is_not_modified():
    g = load("clause_bad_layout")
    before = set(g)
    validate(g)
    validate(g, include_ontology=False)
    assert set(g) == before


def test_ontology_and_instrument_scheme_conform():
    """envgov.ttl plus the generated instruments.ttl (when present) pass the shapes."""
    report = validate(Graph())
    assert report.conforms, format_report(report)


def test_no_inference_keeps_range_checks_meaningful():
    # egov:body has rdfs:range egov:Body; RDFS inference would make any value a
    # Body and hide this error
    g = load("valid")
    ownership = URIRef("https://w3id.org/envgov-kg/id/doc/d001/clause/1/owner/0")
    body = URIRef("https://w3id.org/envgov-kg/id/body/漳州市/生态环境局")
    g.remove((body, RDF.type, EGOV.Body))
    report = validate(g)
    assert not report.conforms
    assert any(v.focus == str(ownership) and v.path == str(EGOV.body) for v in report.violations)


# --- format_report ----------------------------------------------------------------


def test_format_report_conforming():
    assert format_report(validate(load("valid"))) == "Conforms: yes"


def test_format_report_groups_and_limits():
    report = validate(load("instrument_duplicate_label"))
    assert len(report.violations) == 2
    text = format_report(report)
    assert text.startswith("Conforms: no — 2 results")
    assert "  2  [Violation] Concept's skos:prefLabel must be unique within its scheme" in text
    assert "focus egid:instrument/示例许可工具" in text
    assert 'value "示例许可工具"@zh' in text
    short = format_report(report, limit=1)
    assert "… 1 more not shown (limit 1)" in short


def test_format_report_counts_per_message():
    report = ValidationReport(
        conforms=False,
        violations=[
            Violation(focus=str(EGID["doc/a"]), path=str(EGOV.sha256), message="Rule A", severity="Violation", value='"x"'),
            Violation(focus=str(EGID["doc/b"]), path=str(EGOV.sha256), message="Rule A", severity="Violation", value='"y"'),
            Violation(focus=str(EGID["doc/c"]), path=None, message="Rule B", severity="Violation", value=None),
        ],
        text="",
    )
    text = format_report(report)
    lines = text.splitlines()
    assert lines[0] == "Conforms: no — 3 results"
    assert lines.index("  2  [Violation] Rule A") < lines.index("  1  [Violation] Rule B")
    assert "    - focus egid:doc/a, path egov:sha256, value \"x\"" in lines
    assert "    - focus egid:doc/c" in lines


# --- the ontology ------------------------------------------------------------------


def test_ontology_header(envgov):
    onto = URIRef("https://w3id.org/envgov-kg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in envgov
    titles = {t.language for t in envgov.objects(onto, DCTERMS.title)}
    assert {"en", "zh"} <= titles
    assert envgov.value(onto, DCTERMS.description) is not None
    assert envgov.value(onto, OWL.versionInfo) is not None


def test_every_egov_term_is_labelled_and_commented(envgov):
    terms = egov_declared(envgov)
    assert len(terms) > 50
    for t in terms:
        langs = {lit.language for lit in envgov.objects(t, RDFS.label)}
        assert {"zh", "en"} <= langs, f"{t} lacks rdfs:label @zh/@en"
        comments = list(envgov.objects(t, RDFS.comment))
        assert comments and all(c.language == "en" for c in comments), f"{t} lacks rdfs:comment @en"


def test_every_egov_iri_used_in_ontology_is_declared(envgov):
    used = {x for triple in envgov for x in triple if isinstance(x, URIRef) and str(x).startswith(str(EGOV_NS))}
    assert used <= egov_declared(envgov)


def test_generated_concepts_are_not_defined_here(envgov):
    for name in GENERATED:
        assert (EGOV_NS[name], None, None) not in envgov


@pytest.mark.parametrize(
    "sub, sup",
    [
        (EGOV.Body, ORG.Organization),
        (EGOV.RegulatedParty, EGOV.Body),
        (EGOV.PolicyDocument, ELI.LegalResource),
        (EGOV.CitedDocument, ELI.LegalResource),
        (EGOV.Obligation, ODRL.Duty),
        (EGOV.Obligation, ELI.LegalResourceSubdivision),
        (EGOV.Evidence, PROV.Entity),
        (EGOV.Evidence, OA.SpecificResource),
        (EGOV.Jurisdiction, DCTERMS.Location),
        (EGOV.Candidate, SKOS.Concept),
        (EGOV.Role, SKOS.Concept),
    ],
)
def test_class_alignment(envgov, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in envgov


@pytest.mark.parametrize(
    "sub, sup",
    [
        (EGOV.leadBy, ODRL.assignee),
        (EGOV.supportedBy, ODRL.assignee),
        (EGOV.responsibleBody, ODRL.assignee),
        (EGOV.leads, ORG.linkedTo),
        (EGOV.supports, ORG.linkedTo),
        (EGOV.regulates, ORG.linkedTo),
    ],
)
def test_property_alignment(envgov, sub, sup):
    assert (sub, RDFS.subPropertyOf, sup) in envgov


def test_responsibility_of_is_not_used_for_responsible_bodies(envgov):
    # eli:responsibility_of names the drafter of a legal resource
    assert (None, None, ELI.responsibility_of) not in envgov
    assert (ELI.responsibility_of, None, None) not in envgov


def test_role_concepts(envgov):
    expected = {EGOV.LeadRole: ("牵头", "lead"), EGOV.SupportRole: ("配合", "support"),
                EGOV.ResponsibleRole: ("负责", "responsible")}
    for role, (zh, en) in expected.items():
        assert (role, RDF.type, EGOV.Role) in envgov
        assert (role, RDF.type, SKOS.Concept) in envgov
        assert (role, SKOS.inScheme, EGOV.RoleScheme) in envgov
        assert (role, SKOS.prefLabel, Literal(zh, lang="zh")) in envgov
        assert (role, SKOS.prefLabel, Literal(en, lang="en")) in envgov


def test_body_type_scheme(envgov):
    concepts = set(envgov.subjects(SKOS.inScheme, EGOV.BodyTypeScheme))
    assert concepts == {
        EGOV.PartyBody, EGOV.Government, EGOV.Department, EGOV.JudicialBody, EGOV.FinancialRegulator,
        EGOV.Legislature, EGOV.MassOrganisation, EGOV.CoordinatingBody, EGOV.Enterprise, EGOV.SocialActor,
        EGOV.GridWorker,
    }
    for c in concepts:
        assert {lit.language for lit in envgov.objects(c, SKOS.prefLabel)} == {"zh", "en"}


def test_concept_schemes(envgov):
    for scheme in (EGOV.RoleScheme, EGOV.BodyTypeScheme, EGOV.InstrumentScheme,
                   EGOV.InstrumentTypeScheme, EGOV.CandidateScheme):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in envgov


# --- kg.namespace --------------------------------------------------------------------


def test_egov_namespace_lists_exactly_the_declared_terms(envgov):
    assert set(dir(EGOV)) == egov_declared(envgov)


def test_egov_namespace_is_closed():
    assert EGOV.Body == URIRef("https://w3id.org/envgov-kg/ontology#Body")
    assert EGOV.object == EGOV_NS["object"]
    with pytest.raises(AttributeError):
        EGOV.NoSuchTerm  # noqa: B018
    with pytest.raises(AttributeError):
        EGOV["CommandControl"]  # generated data, not an ontology term


def test_prefixes_and_prologue():
    assert set(PREFIXES) == {"egov", "egid", "org", "eli", "odrl", "dcterms", "prov", "oa", "skos",
                             "rdf", "rdfs", "xsd", "owl"}
    assert PREFIXES["egov"] == "https://w3id.org/envgov-kg/ontology#"
    assert PREFIXES["egid"] == str(EGID) == "https://w3id.org/envgov-kg/id/"
    prologue = sparql_prologue()
    assert prologue.count("PREFIX ") == len(PREFIXES)
    q = prepareQuery(prologue + "SELECT ?b WHERE { ?o egov:leadBy ?b ; eli:is_part_of ?d }")
    assert q is not None


# --- the shapes -----------------------------------------------------------------------


def test_every_shape_has_a_message(shapes):
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes
    for s in node_shapes:
        assert shapes.value(s, SH.message) is not None, f"{s} has no sh:message"
        assert shapes.value(s, SH.targetClass) is not None, f"{s} has no sh:targetClass"
    for prop in shapes.objects(None, SH.property):
        path = shapes.value(prop, SH.path)
        assert shapes.value(prop, SH.message) is not None, f"property shape on {path} has no sh:message"
    for c in shapes.objects(None, SH.sparql):
        assert shapes.value(c, SH.message) is not None


def test_shapes_use_only_known_egov_terms(shapes):
    used = {x for triple in shapes for x in triple if isinstance(x, URIRef) and str(x).startswith(str(EGOV_NS))}
    known = set(dir(EGOV)) | {EGOV_NS[n] for n in GENERATED}
    assert used - known == set()


def test_shapes_are_not_blank_node_shapes(shapes):
    assert all(not isinstance(s, BNode) for s in shapes.subjects(RDF.type, SH.NodeShape))

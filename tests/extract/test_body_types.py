"""Body types come from one table with a reason per type (issue 11): every
vocabulary file draws its types from extract/data/body_types.tsv."""
import pytest

from extract.records import BODY_TYPES
from extract.vocab import load_tsv


def test_each_type_has_a_reason():
    rows = load_tsv("body_types.tsv")
    assert [r["type"] for r in rows] == list(BODY_TYPES)
    for r in rows:
        assert len(r["reason"]) > 40, r["type"]


@pytest.mark.parametrize("name", ["bodies.tsv", "body_suffixes.tsv", "body_rules.tsv", "central_bodies.tsv"])
def test_vocabulary_uses_only_the_tables_types(name):
    used = {r["type"] for r in load_tsv(name)}
    assert used <= set(BODY_TYPES), used - set(BODY_TYPES)


def test_every_type_has_a_classification_in_the_graph():
    from kg.rdf import BODY_TYPE_IRI

    assert set(BODY_TYPE_IRI) == set(BODY_TYPES)


@pytest.mark.parametrize("written, type_", [
    ("市公安局", "department"),  # police are administrative organs, not judicial ones
    ("公安机关", "department"),
    ("市金融监管局", "department"),  # the local government's financial bureau
    ("漳州银保监分局", "financial_regulator"),  # the central regulator's branch
    ("市中级人民法院", "judicial"),
    ("市司法局", "department"),
])
def test_contested_types(written, type_):
    from extract.bodies import BodyParser, make_context

    (body,) = BodyParser(make_context("漳州市")).parse_list(written)
    assert body.type == type_, body

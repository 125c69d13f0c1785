"""IRIs are minted by one function that percent-encodes what RFC 3987 forbids.

Whatever a name, title or 文号 contains, the IRI is valid (Oxigraph accepts it,
rdflib does not warn) and two different texts never give the same IRI.
"""
from __future__ import annotations

import ast
import warnings
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from kg import rdf
from kg.namespace import EGID

KG_DIR = Path(__file__).resolve().parents[2] / "kg"
RFC3987_FORBIDDEN = '[]{}<>"\\|^`'
HOSTILE = [
    "环发[2018]5号", "a[1].txt", "a b.txt", "a_b.txt", "a\nb.txt", "a\tb", "a\rb", "a\x00b", "a\x7fb",
    "{x}", "<x>", 'say "x"', "a\\b", "a|b", "a^b", "a`b", "a#b", "a?b", "a%b", "a%20b", "a/b", "a//b", "/",
    "ａ［１］.txt", "全角　空格", "ｆｕｌｌ＿ｗｉｄｔｈ", "A.TXT", "a.txt", "a,b.txt", "a;b.txt", "a(b).txt",
    "\u200bzero-width", "\u202eright-to-left", "\ufeffbom", "\ue000private", "\ufdd0nonchar", "\U000e0001tag",
    "\udcffnot-utf8.txt", "", " ", "..", ".",
]


def assert_valid_iri(iri: str) -> None:
    ox.NamedNode(iri)  # raises ValueError on anything RFC 3987 does not allow
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        URIRef(iri)
    assert not any(c in iri for c in RFC3987_FORBIDDEN + " \n\t")


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t) for t in HOSTILE])
def test_every_text_gives_a_valid_iri_that_decodes_back(text):
    seg = rdf.iri_segment(text)
    assert unquote(seg, errors="surrogateescape") == text
    assert "/" not in seg
    for iri in (rdf.mint("doc", text), rdf.graph_iri(text), rdf.doc_iri(text), rdf.place_iri(text + "x"),
                rdf.instrument_iri(text + "x"), rdf.cited_iri(text + "x", None), rdf.cited_iri(None, text + "x")):
        assert_valid_iri(str(iri))
        assert str(iri).startswith(str(EGID))


def test_minting_is_injective_over_the_hostile_names():
    graphs = {rdf.graph_iri(t) for t in HOSTILE}
    assert len(graphs) == len(HOSTILE)


def test_readable_characters_are_kept():
    assert rdf.iri_segment("漳州市生态环境局") == "漳州市生态环境局"
    assert rdf.iri_segment("新党办发〔2020〕25号") == "新党办发〔2020〕25号"
    assert rdf.iri_segment("ａ［１］（全角）") == "ａ［１］（全角）"  # full-width forms are legal IRI characters
    assert rdf.iri_segment("001_2b16a58583755083.txt") == "001_2b16a58583755083.txt"
    assert rdf.iri_segment("a[1] b.txt") == "a%5B1%5D%20b.txt"
    assert rdf.iri_segment("全角　空格") == "全角%E3%80%80空格"  # invisible: encoded


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=0, max_size=30), st.text(min_size=0, max_size=30))
def test_any_text_gives_a_valid_iri_and_different_texts_differ(a, b):
    ia, ib = rdf.mint("doc", a, "clause", 1), rdf.mint("doc", b, "clause", 1)
    assert_valid_iri(str(ia))
    assert (ia == ib) == (a == b)
    assert unquote(rdf.iri_segment(a)) == a


def test_rdf_module_mints_every_iri_through_mint():
    """No IRI built by string formatting or EGID[...] outside mint()."""
    tree = ast.parse((KG_DIR / "rdf.py").read_text(encoding="utf-8"))
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "URIRef":
            offenders.append(node.lineno)
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", None) == "EGID" \
                and not isinstance(node.slice, ast.Constant):
            offenders.append(node.lineno)
    mint_def = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "mint")
    inside_mint = set(range(mint_def.lineno, mint_def.end_lineno + 1))
    assert [n for n in offenders if n not in inside_mint] == []

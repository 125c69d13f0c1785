"""GEXF/GraphML exports carry the page's look for Gephi (issue 11 item 7), and the bodies view."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest

from kg.network import OWNERSHIP_RELATIONS, body_network, export_network
from kg.viz import CLASS_STYLE, RELATION_STYLE, render_html

VIZ = "{http://www.gexf.net/1.2draft/viz}"
GEXF = "{http://www.gexf.net/1.2draft}"


def _hex(r, g, b) -> str:
    return "#%02x%02x%02x" % (int(r), int(g), int(b))


def _page_nodes(G) -> dict:
    """The nodes as the page draws them (colour, size, x, y), from its JSON data block."""
    page = render_html(G, layout="precomputed")
    raw = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(raw.replace(":\\/\\/", "://"))
    return {n["id"]: n for n in data["nodes"]}


@pytest.mark.parametrize("view", ["all", "bodies"])
def test_issue11_gexf_has_colours_sizes_positions(sample_store, view):
    G = body_network(sample_store, view=view)
    page = _page_nodes(G)
    root = ET.fromstring(export_network(sample_store, "gexf", view=view))
    nodes = root.iter(GEXF + "node")
    seen = 0
    for node in nodes:
        nid = node.get("id")
        colour, size, pos = node.find(VIZ + "color"), node.find(VIZ + "size"), node.find(VIZ + "position")
        assert colour is not None and size is not None and pos is not None, nid
        p = page[nid]
        assert _hex(colour.get("r"), colour.get("g"), colour.get("b")) == p["color"].lower()
        assert float(size.get("value")) == pytest.approx(p["size"])
        # the page's y points down, Gephi's up
        assert (float(pos.get("x")), float(pos.get("y"))) == pytest.approx((p["x"], -p["y"]), abs=0.06)
        seen += 1
    assert seen == G.number_of_nodes()
    edges = list(root.iter(GEXF + "edge"))
    assert len(edges) == G.number_of_edges()
    assert all(e.find(VIZ + "color") is not None and float(e.find(VIZ + "thickness").get("value")) > 0 for e in edges)
    # positions are spread out, not all at the origin
    xs = {round(float(n.find(VIZ + "position").get("x"))) for n in root.iter(GEXF + "node")}
    assert len(xs) > G.number_of_nodes() // 2


def test_issue11_graphml_has_gephi_attributes(sample_store):
    G = body_network(sample_store)
    page = _page_nodes(G)
    back = nx.read_graphml(io.BytesIO(export_network(sample_store, "graphml")))
    assert back.number_of_nodes() == G.number_of_nodes()
    for n, a in back.nodes(data=True):
        assert {"r", "g", "b", "x", "y", "size"} <= set(a), n
        assert _hex(a["r"], a["g"], a["b"]) == page[n]["color"].lower() == a["color"]
        assert (a["x"], a["y"], a["size"]) == pytest.approx((page[n]["x"], -page[n]["y"], page[n]["size"]), abs=0.06)
    for u, v, a in back.edges(data=True):
        assert _hex(a["r"], a["g"], a["b"]) == RELATION_STYLE[a["relation"]][0]
        assert a["weight"] >= 1
    dept = next(a for _, a in back.nodes(data=True) if a["cls"] == "Department")
    assert dept["color"] == CLASS_STYLE["Department"][0]


def test_issue11_bodies_view_network(sample_store):
    full = body_network(sample_store)
    B = body_network(sample_store, view="bodies")
    assert {a["kind"] for _, a in B.nodes(data=True)} == {"body"}
    assert B.number_of_nodes() == sum(1 for _, k in full.nodes(data="kind") if k == "body")
    rels = Counter(r for *_, r in B.edges(data="relation"))
    assert set(rels) <= {"leadSupport", "coOwner", "reportsTo", "regulates", "leads", "supports"}
    assert rels["leadSupport"] > 0 and rels["coOwner"] > 0 and rels["reportsTo"] > 0

    def owners(o):
        return {b: r for b, _, r in full.in_edges(o, data="relation") if r in OWNERSHIP_RELATIONS}

    obligations = [o for o, k in full.nodes(data="kind") if k == "obligation"]
    for u, v, a in B.edges(data=True):
        if a["relation"] == "leadSupport":
            shared = [o for o in obligations if owners(o).get(u) == "lead" and v in owners(o)]
        elif a["relation"] == "coOwner":
            shared = [o for o in obligations if u in owners(o) and v in owners(o)
                      and (owners(o)[u] == "lead") == (owners(o)[v] == "lead")]
        else:
            assert full.has_edge(u, v, a["relation"])
            continue
        assert len(shared) == a["weight"] > 0, (u, v, a["relation"])
    with pytest.raises(ValueError, match="unknown relation"):
        body_network(sample_store, view="bodies", relations="partOf")
    only = body_network(sample_store, view="bodies", relations="reportsTo,leadSupport")
    assert {r for *_, r in only.edges(data="relation")} == {"reportsTo", "leadSupport"}


def test_issue11_instrument_view_has_the_owning_bodies(sample_store):
    G = body_network(sample_store, instrument="排污许可")
    inst = G.graph["centres"].split("|")
    assert [G.nodes[i]["label"] for i in inst] == ["排污许可"]
    clauses = [o for o, _, r in G.in_edges(inst[0], data="relation") if r == "usesInstrument"]
    assert len(clauses) >= 5
    bodies = [n for n, k in G.nodes(data="kind") if k == "body"]
    assert len(bodies) >= 5
    for b in bodies:  # each body owns one of the clauses that use the instrument
        assert any(G.has_edge(b, o, r) for o in clauses for r in OWNERSHIP_RELATIONS), b
    assert {G.nodes[n]["kind"] for n in G} == {"instrument", "obligation", "body", "document"}

"""kg.network + kg.viz: network exports and the HTML page in a real headless Chromium."""
from __future__ import annotations

import html as htmlmod
import io
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import networkx as nx
import pytest

from kg.network import body_network, export_network
from kg.viz import render_html

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("viz") / "store"
    kg = ROOT / ".venv" / "bin" / "kg"
    cmd = [str(kg) if kg.exists() else shutil.which("kg") or "kg", "build", "--store", str(path)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode in (0, 3), res.stderr
    from kg.store import open_store

    st = open_store(path, read_only=True)
    yield st
    st.close()


@pytest.fixture(scope="module")
def graph(store):
    return body_network(store)


def _chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed: the browser tests need Debian's chromium")
    return CHROMIUM


def run_page(page: Path, tmp_path: Path, query: str = "") -> tuple[str, dict]:
    """Load ``page`` in headless Chromium; return the dumped DOM and #kg-state's data-* attributes."""
    url = page.resolve().as_uri() + (("?" + query) if query else "")
    prof = tmp_path / f"chrome-profile-{abs(hash(query))}"
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={prof}", "--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom", url]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    dom = res.stdout
    m = re.search(r'<div id="kg-state"([^>]*)>', dom)
    assert m, f"no #kg-state in the page (chromium rc={res.returncode}): {res.stderr[-2000:]}"
    attrs = {k: htmlmod.unescape(v) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', m.group(1))}
    return dom, attrs


# --------------------------------------------------------------------------- network

def test_network_shape(graph):
    kinds = {a["kind"] for _, a in graph.nodes(data=True)}
    assert {"body", "obligation", "document", "jurisdiction"} <= kinds
    rels = {r for *_, r in graph.edges(data="relation")}
    assert {"responsible", "partOf"} <= rels
    # provenance never becomes a node
    assert not any(re.search(r"/(ev|owner|rel|instrument)/", n) and "/clause/" in n or "/ev/" in n for n in graph)
    for _, a in graph.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in a.values())
    own = [a for *_, a in graph.edges(data=True) if a["relation"] in ("lead", "support", "responsible")]
    assert own and all(a["evidence"] and a["source_file"] and a["end"] > a["start"] >= 0 for a in own)


def test_ego_and_filters(store, graph):
    ego = body_network(store, actor="漳州市生态环境局", depth=1)
    assert 0 < ego.number_of_nodes() < graph.number_of_nodes()
    assert body_network(store, actor="漳州市生态环境局", depth=2).number_of_nodes() >= ego.number_of_nodes()
    only = body_network(store, relations="lead,partOf")
    assert {r for *_, r in only.edges(data="relation")} <= {"lead", "partOf"}
    with pytest.raises(ValueError):
        body_network(store, relations="nonsense")
    with pytest.raises(ValueError):
        body_network(store, actor="不存在的机构XYZ")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_roundtrip(store, graph, fmt):
    data = export_network(store, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    back = reader(io.BytesIO(data))
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()


def test_export_csv(store, graph, tmp_path):
    import csv

    assert export_network(store, "csv", tmp_path / "net") == b""
    with open(tmp_path / "net" / "nodes.csv", encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with open(tmp_path / "net" / "edges.csv", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert {"id", "label", "kind"} <= set(nodes[0])


# --------------------------------------------------------------------------- page (static)

def test_page_has_no_external_references(graph):
    page = render_html(graph)
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and not re.search(r"<script[^>]+src=", page)
    assert "<!--" not in page  # would put the HTML parser in a script "escaped" state
    tags = re.findall(r"<script(?: [^>]*)?>", page)
    assert len(tags) == page.count("</script>") == 4, tags


def _evil_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    evil = "<script>document.title='PWNED';document.documentElement.setAttribute('data-pwned','1')</script>"
    img = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','2')\">"
    G.add_node("j", kind="jurisdiction", cls="Jurisdiction", label="测试市", jurisdiction="测试市", jurisdiction_iri="j")
    G.add_node("b1", kind="body", cls="Department", label=evil, short=evil, jurisdiction="测试市",
               jurisdiction_iri="j", docs="d", aliases=img)
    G.add_node("b2", kind="body", cls="Government", label=img + "人民政府", jurisdiction="测试市",
               jurisdiction_iri="j", docs="d", aliases="")
    G.add_node("d", kind="document", cls="PolicyDocument", label="</script><script>alert(1)</script>",
               jurisdiction="测试市", jurisdiction_iri="j", docs="d")
    G.add_node("o", kind="obligation", cls="Obligation", label="任务&amp;<b>", jurisdiction="测试市",
               jurisdiction_iri="j", docs="d", text=evil)
    G.add_edge("b1", "o", key="lead", relation="lead", role="lead", evidence=evil, source_file=img, start=1, end=5, doc="d")
    G.add_edge("b2", "b1", key="reportsTo", relation="reportsTo")
    G.add_edge("o", "d", key="partOf", relation="partOf", doc="d")
    return G


def test_page_escapes_text_statically():
    page = render_html(_evil_graph(), title="<script>x</script>")
    assert "<script>document.title" not in page and "<img src=x" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page  # the <title>
    assert "\\u003cscript\\u003e" in page


# --------------------------------------------------------------------------- page in Chromium

@pytest.fixture(scope="module")
def sample_page(graph, tmp_path_factory):
    page = tmp_path_factory.mktemp("page") / "graph.html"
    page.write_text(render_html(graph), encoding="utf-8")
    return page


def test_browser_loads_without_errors(sample_page, graph, tmp_path):
    _, st = run_page(sample_page, tmp_path)
    assert st.get("ready") == "1", st
    assert st["errors"] == "0", st.get("error-text")
    assert int(st["node-count"]) == graph.number_of_nodes()
    assert int(st["edge-count"]) == graph.number_of_edges()
    assert int(st["visible-nodes"]) == graph.number_of_nodes()
    assert int(st["labels-drawn"]) > 5  # the canvas drew decluttered labels


def test_browser_search_highlights(sample_page, graph, tmp_path):
    q = "search=" + urllib.parse.quote("生态环境局")
    _, st = run_page(sample_page, tmp_path, q)
    assert st["errors"] == "0", st.get("error-text")
    assert int(st["search-hits"]) >= 1
    assert 1 <= int(st["highlighted"]) < graph.number_of_nodes()
    assert graph.nodes[st["search-focus"]]["kind"] == "body"
    assert "生态环境局" in graph.nodes[st["search-focus"]]["label"]


def test_browser_filters_change_what_is_shown(sample_page, graph, tmp_path):
    _, st = run_page(sample_page, tmp_path, "filter=class:Department")
    assert st["errors"] == "0", st.get("error-text")
    n_dept = sum(1 for _, c in graph.nodes(data="cls") if c == "Department")
    assert int(st["visible-nodes"]) == n_dept
    _, st2 = run_page(sample_page, tmp_path, "hide=relation:responsible")
    _, st3 = run_page(sample_page, tmp_path)
    assert int(st2["visible-nodes"]) == graph.number_of_nodes()
    assert int(st2["visible-edges"]) < int(st3["visible-edges"])


def test_browser_injected_script_does_not_run(tmp_path):
    G = _evil_graph()
    page = tmp_path / "evil.html"
    page.write_text(render_html(G, layout="physics", title="安全测试"), encoding="utf-8")
    dom, st = run_page(page, tmp_path, "search=" + urllib.parse.quote("<script>"))
    assert st.get("ready") == "1" and st["errors"] == "0", st.get("error-text")
    assert int(st["node-count"]) == G.number_of_nodes()
    assert int(st["search-hits"]) >= 1  # the label is searchable as text
    assert "PWNED" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert not re.search(r'data-pwned="', dom)  # the attribute was never set (the text itself is in the JSON)
    assert not re.search(r"<html[^>]*data-pwned", dom)
    assert "<img src=" not in dom

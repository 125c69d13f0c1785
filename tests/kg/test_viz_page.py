"""The kg viz page driven in a real headless Chromium over the DevTools protocol (issue 11).

The browser is tests/chromium.py's (``--remote-debugging-pipe``: no socket, no
network, no extra package). Mouse events are real input events
(``Input.dispatchMouseEvent``), the PNG is a real download.
"""
from __future__ import annotations

import json
import struct
import time
import zlib
from pathlib import Path

import pytest
from chromium import CHROMIUM, Browser  # tests/chromium.py

from kg.network import body_network
from kg.viz import NO_JURISDICTION, render_html


class Page(Browser):
    """One Chromium tab showing a kg viz page, which records its state on ``#kg-state``."""

    def state(self) -> dict:
        return json.loads(self.evaluate("JSON.stringify(Object.assign({}, document.getElementById('kg-state').dataset))"))

    def open(self, page: Path, query: str = "", until: str = "settled", timeout: float = 60) -> dict:
        self.send("Page.navigate", url=page.resolve().as_uri() + (("?" + query) if query else ""))
        deadline = time.time() + timeout
        while time.time() < deadline:
            st = self.evaluate("(function(){var s=document.getElementById('kg-state');"
                               "return s ? JSON.stringify(Object.assign({}, s.dataset)) : '{}';})()")
            st = json.loads(st or "{}")
            if st.get(until) == "1" or st.get("errors", "0") not in ("0", ""):
                time.sleep(0.3)  # a few frames for the labels and backdrops
                return self.state()
            time.sleep(0.1)
        raise TimeoutError(f"the page never set data-{until}: {self.state()}")

    def mouse(self, x: float, y: float):
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)

    def click(self, x: float, y: float):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


@pytest.fixture
def browser(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed: the browser tests need Debian's chromium")
    p = Page(tmp_path / "profile", width=1400, height=900)
    yield p
    p.close()


def _write(G, path: Path, **kw) -> Path:
    path.write_text(render_html(G, **kw), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def full_page(sample_store, tmp_path_factory):
    return _write(body_network(sample_store), tmp_path_factory.mktemp("full") / "graph.html")


# --------------------------------------------------------------------------- item 1: backdrops follow the filter

def test_issue11_hidden_jurisdiction_loses_its_backdrop(browser, full_page, sample_store):
    G = body_network(sample_store)
    jurs = {a["label"]: n for n, a in G.nodes(data=True) if a["kind"] == "jurisdiction"}
    st = browser.open(full_page)
    assert st["errors"] == "0", st.get("errorText")
    drawn = json.loads(st["backdrops"])
    assert set(jurs.values()) <= set(drawn)
    st = browser.open(full_page, "hide=jurisdiction:" + "漳州市,江西省")
    drawn = json.loads(st["backdrops"])
    assert jurs["漳州市"] not in drawn and jurs["江西省"] not in drawn
    assert jurs["伊犁哈萨克自治州"] in drawn
    # and by clicking the checkbox, as a presenter does
    st = browser.open(full_page)
    browser.evaluate("(function(){var cbs=document.querySelectorAll('#kg-f-jurisdiction input');"
               "for (var i=0;i<cbs.length;i++) if (cbs[i].parentNode.textContent.indexOf('伊犁')>=0) cbs[i].click();})()")
    time.sleep(0.3)
    assert jurs["伊犁哈萨克自治州"] not in json.loads(browser.state()["backdrops"])


def test_issue11_instrument_circle_has_a_legend_entry_and_heading(browser, full_page):
    st = browser.open(full_page)
    assert "" in json.loads(st["backdrops"])  # the circle of instruments and cited documents is drawn
    rows = browser.evaluate("Array.from(document.querySelectorAll('.kg-legend-backdrop')).map(function(r){"
                      "return [r.getAttribute('data-group'), r.textContent];})")
    assert ["", NO_JURISDICTION] in rows
    assert browser.evaluate("document.getElementById('kg-backdrops').hidden") is False


# --------------------------------------------------------------------------- item 2: tooltip

def _node_dom(browser, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node's centre (canvas offset + vis's canvas→DOM)."""
    xy = browser.evaluate("(function(){var n=window.kgNetwork, p=n.getPositions([%s])[%s], d=n.canvasToDOM(p),"
                    "r=document.getElementById('kg-net').getBoundingClientRect();return [d.x+r.left, d.y+r.top];})()"
                    % (json.dumps(node_id), json.dumps(node_id)))
    return xy[0], xy[1]


def test_issue11_tooltip_hides_when_pointer_leaves_canvas(browser, full_page, sample_store):
    G = body_network(sample_store)
    hub = max((n for n, a in G.nodes(data=True) if a["kind"] == "body"), key=G.degree)
    browser.open(full_page)
    x, y = _node_dom(browser, hub)
    tip_shown = "getComputedStyle(document.getElementById('kg-tip')).display"
    for dx in (0, 1, 2):  # vis checks hover on pointer moves
        browser.mouse(x + dx, y)
        time.sleep(0.25)
    assert browser.evaluate(tip_shown) == "block"
    assert G.nodes[hub]["label"] in browser.evaluate("document.getElementById('kg-tip').textContent")
    browser.mouse(120, y)  # straight onto the sidebar: vis sends no blur
    time.sleep(0.3)
    assert browser.evaluate(tip_shown) == "none"


# --------------------------------------------------------------------------- item 6: PNG of the view

def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    return w, h, zlib.decompress(idat)


def test_issue11_png_button_downloads_the_view(browser, full_page, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.send("Browser.setDownloadBehavior", browser=True, behavior="allow", downloadPath=str(downloads))
    browser.open(full_page)
    r = browser.evaluate("(function(){var b=document.getElementById('kg-png').getBoundingClientRect();"
                   "return [b.left+b.width/2, b.top+b.height/2];})()")
    browser.click(*r)
    deadline = time.time() + 20
    while time.time() < deadline and not [p for p in downloads.iterdir() if p.suffix == ".png"]:
        time.sleep(0.2)
    st = browser.state()
    assert st["pngPrefix"] == "data:image/png;base64,"
    assert int(st["pngBytes"]) > 20_000
    files = [p for p in downloads.iterdir() if p.suffix == ".png"]
    assert [p.name for p in files] == ["envgov-kg-graph.png"]
    w, h, raw = _png_pixels(files[0].read_bytes())
    canvas = browser.evaluate("[document.querySelector('#kg-net canvas').width, document.querySelector('#kg-net canvas').height]")
    assert [w, h] == canvas and w > 800
    assert len(set(raw)) > 50  # a drawing, not a blank canvas


# --------------------------------------------------------------------------- item 3: an instrument's view

def test_issue11_instrument_view_labels_clauses_and_shows_owners(browser, sample_store, tmp_path):
    G = body_network(sample_store, instrument="排污许可")
    page = _write(G, tmp_path / "inst.html")
    st = browser.open(page)
    assert st["errors"] == "0", st.get("errorText")
    labelled = json.loads(st["labelsByKind"])
    n_obl = sum(1 for _, k in G.nodes(data="kind") if k == "obligation")
    assert labelled.get("obligation", 0) >= n_obl - 1 >= 5  # the clauses carry their headings
    assert labelled.get("body", 0) >= 5
    uses = sum(1 for *_, r in G.edges(data="relation") if r == "usesInstrument")
    assert int(st["visibleEdges"]) >= uses + 5  # clause → instrument drawn, owners too


# --------------------------------------------------------------------------- item 4: loose nodes, bodies view

def _check_no_far_loose(positions: dict, linked: set):
    core = [positions[n] for n in positions if n in linked]
    cx = sum(p[0] for p in core) / len(core)
    cy = sum(p[1] for p in core) / len(core)
    R = max(((p[0] - cx) ** 2 + (p[1] - cy) ** 2) ** 0.5 for p in core)
    far = {n: round(((p[0] - cx) ** 2 + (p[1] - cy) ** 2) ** 0.5) for n, p in positions.items()
           if n not in linked and ((p[0] - cx) ** 2 + (p[1] - cy) ** 2) ** 0.5 > R + 250}
    assert not far, f"loose nodes far outside the linked ones (radius {R:.0f}): {far}"


def test_issue11_loose_nodes_stay_near(browser, sample_store, tmp_path):
    from kg.viz import HIDDEN_BY_DEFAULT

    G = body_network(sample_store, actor="漳州市生态环境局", depth=1)
    page = _write(G, tmp_path / "ego.html", layout="physics")
    st = browser.open(page, "positions=1")
    assert st["errors"] == "0", st.get("errorText")
    pos = json.loads(st["positions"])
    assert len(pos) == G.number_of_nodes()
    linked = {x for u, v, r in G.edges(data="relation") if r not in HIDDEN_BY_DEFAULT for x in (u, v)}
    assert set(pos) - linked  # the jurisdiction is linked only by the hidden inJurisdiction
    _check_no_far_loose(pos, linked)


def test_issue11_bodies_view_page(browser, sample_store, tmp_path):
    G = body_network(sample_store, view="bodies")
    page = _write(G, tmp_path / "bodies.html")
    st = browser.open(page)
    assert st["errors"] == "0", st.get("errorText")
    assert int(st["visibleNodes"]) == G.number_of_nodes()
    # each body's 3 strongest partners, not every co-owner pair
    co = [(u, v) for u, v, r in G.edges(data="relation") if r == "coOwner"]
    assert int(st["visibleEdges"]) < G.number_of_edges() and int(st["visibleEdges"]) < 3 * G.number_of_nodes()
    labelled = json.loads(st["labelsByKind"])
    assert set(labelled) == {"body"} and labelled["body"] >= 40
    # every body with a co-owner keeps at least one visible link
    visible = set(browser.evaluate("window.kgNetwork.body.data.edges.getIds().map(function(i){"
                             "var e=window.kgNetwork.body.data.edges.get(i);return e.from+'\\n'+e.to;})") or [])
    ends = {x for pair in visible for x in pair.split("\n")}
    assert {x for pair in co for x in pair} <= ends
    all_shown = browser.open(page, "top=0")
    assert int(all_shown["visibleEdges"]) == G.number_of_edges()

"""One self-contained interactive HTML page for a :func:`kg.network.body_network` graph.

:func:`render_html` writes a single file that works offline: the vis-network
9.1.2 library shipped inside the ``pyvis`` package is inlined (its ``http://``
strings rewritten as the equivalent ``http:\\/\\/`` JS escapes and its source-map
comment dropped), the CSS is our own, and the page contains no ``http://`` or
``https://`` substring at all. The graph travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>``, ``&`` escaped as
``\\u003c`` …; the page builds every piece of text with ``textContent`` and node
labels are drawn on the canvas, so document text can never become markup.

Layout (:func:`grouped_layout`): nodes are grouped by jurisdiction; groups
larger than ``CHUNK`` nodes are split by document and then into chunks of at
most ``CHUNK`` (150) nodes; each connected component of a chunk gets networkx's ``spring_layout`` (dense
numpy Fruchterman-Reingold, 50 iterations — no scipy needed), then a radial
equalisation (uniform density); components, chunks
then the groups, are packed on shelves with a radius proportional to
sqrt(size). The cost is linear in the number of chunks, so it scales linearly
with the graph. Measured on this machine with ``bench/viz_layout.py``
(synthetic graphs, ~2 edges per node; layout only / whole render_html):
500 nodes 0.25-0.37 s / 0.3-0.4 s, 2,000 nodes 0.9-1.2 s / 1.2 s, 5,000 nodes
0.6 s / 1.0 s (5,000 is cheaper than 2,000 because its groups split into
smaller chunks); the sample corpus (321 nodes) 0.4 s. ``layout="auto"`` uses vis physics (seeded with these
positions, stopped once stabilised) below ``PHYSICS_MAX`` nodes and the
precomputed positions with physics off otherwise.

Page features: search box (labels and aliases; focuses and highlights the
best match and its neighbours), filter checkboxes by class, relation, role,
jurisdiction and document, click a node to highlight its neighbourhood
(edge labels shown there), hover tooltips (label, type, jurisdiction,
documents; for ownership edges the evidence quote, source file and offsets),
a legend, jurisdiction backdrops, and decluttered labels (greedy, no
overlaps; obligation labels only when zoomed in).

Also: a PNG button (the canvas as shown, on white), backdrops keyed by
jurisdiction IRI with a dashed, named circle for what has no jurisdiction,
the tooltip hidden when the pointer leaves the canvas, loose nodes put on a
ring next to their component once physics settles, obligation labels
without zooming in an ego view, and for the bodies view each body's
strongest co-owner partners (see docs/VIZ.md).

Test hooks: ``?search=TEXT``, ``?filter=DIM:V1,V2`` (show only these values
of ``class``, ``relation``, ``role``, ``jurisdiction`` or ``document``),
``?hide=DIM:V1,V2``, ``?top=N``, ``?minweight=N``, ``?positions=1``. The
page records its state on ``#kg-state`` (``data-ready``, ``data-settled``,
``data-node-count``, ``data-edge-count``, ``data-visible-nodes``,
``data-visible-edges``, ``data-highlighted``, ``data-search-hits``,
``data-backdrops``, ``data-labels-by-kind``, ``data-loose``, ``data-tip``,
``data-png-prefix``, ``data-png-bytes``, ``data-errors``) and exposes the
vis Network as ``window.kgNetwork``.
"""
from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import networkx as nx

__all__ = ["render_html", "grouped_layout", "vis_library", "node_style", "node_size", "edge_width", "CLASS_STYLE",
           "RELATION_STYLE", "PHYSICS_MAX", "CHUNK", "NO_JURISDICTION"]

PHYSICS_MAX = 300
CHUNK = 150

# class → (colour, shape, display name)
CLASS_STYLE: dict[str, tuple[str, str, str]] = {
    "PartyBody": ("#d62728", "dot", "党委 Party body"),
    "Government": ("#1f77b4", "dot", "政府 Government"),
    "Department": ("#2ca02c", "dot", "部门 Department"),
    "JudicialBody": ("#8c564b", "dot", "司法 Judicial"),
    "FinancialRegulator": ("#bcbd22", "dot", "金融监管 Financial regulator"),
    "Legislature": ("#e377c2", "dot", "人大 Legislature"),
    "MassOrganisation": ("#ff7f0e", "dot", "群团 Mass organisation"),
    "CoordinatingBody": ("#9467bd", "dot", "协调机构 Coordinating body"),
    "Enterprise": ("#17becf", "dot", "企业 Enterprise"),
    "SocialActor": ("#7f7f7f", "dot", "社会主体 Social actor"),
    "GridWorker": ("#98df8a", "dot", "网格人员 Grid worker"),
    "Body": ("#aaaaaa", "dot", "机构 Body"),
    "Obligation": ("#b0b8c4", "square", "任务 Obligation"),
    "CommandControl": ("#e6550d", "triangle", "命令控制 Command & control"),
    "MarketBased": ("#31a354", "triangle", "市场 Market-based"),
    "InformationParticipation": ("#3182bd", "triangle", "信息参与 Information"),
    "Voluntary": ("#756bb1", "triangle", "自愿 Voluntary"),
    "Candidate": ("#bdbdbd", "triangleDown", "候选工具 Candidate instrument"),
    "Instrument": ("#636363", "triangle", "工具 Instrument"),
    "PolicyDocument": ("#000000", "diamond", "文件 Policy document"),
    "CitedDocument": ("#969696", "diamond", "引用文件 Cited document"),
    "Jurisdiction": ("#f0c000", "star", "辖区 Jurisdiction"),
}

# relation → (colour, dashes, width, display name)
RELATION_STYLE: dict[str, tuple[str, bool, float, str]] = {
    "lead": ("#d62728", False, 2.0, "牵头 lead"),
    "support": ("#ff9896", True, 1.0, "配合 support"),
    "responsible": ("#9ecae1", False, 0.6, "负责 responsible"),
    "reportsTo": ("#6a3d9a", False, 1.5, "隶属 reportsTo"),
    "regulates": ("#e6550d", True, 1.5, "监管 regulates"),
    "leads": ("#a50f15", False, 2.0, "领导 leads"),
    "supports": ("#fd8d3c", True, 1.0, "支持 supports"),
    "usesInstrument": ("#31a354", True, 1.0, "使用工具 usesInstrument"),
    "implements": ("#000000", False, 2.0, "贯彻 implements"),
    "partOf": ("#cccccc", False, 0.5, "属于 partOf"),
    "inJurisdiction": ("#f0c000", True, 0.5, "辖区 inJurisdiction"),
    "leadSupport": ("#d62728", False, 1.2, "牵头→配合 lead→support"),
    "coOwner": ("#6b8fb5", False, 0.8, "共同负责 co-owners"),
}
HIDDEN_BY_DEFAULT = ("inJurisdiction", "usesInstrument")  # one click away; on by default they make a hairball
NO_JURISDICTION = "无辖区：政策工具、引用文件 no jurisdiction: instruments, cited documents"
KIND_PRIORITY = {"jurisdiction": 0, "document": 1, "body": 2, "instrument": 3, "obligation": 4}


# --------------------------------------------------------------------------- layout

def _spring(G: nx.Graph, nodes: list, seed: int) -> dict:
    """Positions in the unit disc for ``nodes`` (≤ CHUNK), from the edges among them.

    Fruchterman-Reingold, then a radial equalisation: each node keeps its
    angle around the centroid and its rank by distance, but the radius
    becomes sqrt(rank / n), so the density is uniform (no dense core with a
    few far outliers — that is what makes labels readable).
    """
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from((u, v) for u, v in G.subgraph(nodes).edges() if u != v)
    kw = {"method": "force"} if _has_method_kw() else {}
    pos = nx.spring_layout(sub, seed=seed, iterations=50, **kw)
    n = len(pos)
    cx = sum(p[0] for p in pos.values()) / n
    cy = sum(p[1] for p in pos.values()) / n
    polar = sorted(((math.hypot(p[0] - cx, p[1] - cy), math.atan2(p[1] - cy, p[0] - cx), k) for k, p in pos.items()),
                   key=lambda t: t[0])
    out = {}
    for rank, (_, ang, k) in enumerate(polar):
        r = math.sqrt((rank + 0.5) / n)
        out[k] = (r * math.cos(ang), r * math.sin(ang))
    return out


def _component_blocks(G: nx.Graph, nodes: list, spacing: float, seed: int) -> list[tuple[dict, float]]:
    """One packed block per connected component; isolated nodes share a grid block."""
    sub = G.subgraph(nodes)
    blocks, singles = [], []
    for ci, comp in enumerate(sorted(nx.connected_components(sub), key=lambda c: (-len(c), min(map(str, c))))):
        comp = sorted(comp, key=str)
        if len(comp) == 1:
            singles.append(comp[0])
            continue
        raw = _spring(G, comp, seed + ci)
        r = spacing * math.sqrt(len(comp)) * 0.62 + spacing * 0.3
        blocks.append(({k: (x * r, y * r) for k, (x, y) in raw.items()}, r))
    if singles:
        cols = max(1, math.ceil(math.sqrt(len(singles))))
        rows = math.ceil(len(singles) / cols)
        grid = {k: ((i % cols - (cols - 1) / 2) * spacing * 1.6, (i // cols - (rows - 1) / 2) * spacing * 0.8)
                for i, k in enumerate(singles)}
        blocks.append((grid, max(spacing * 0.6, math.hypot(cols * spacing * 0.8, rows * spacing * 0.4))))
    return blocks


_METHOD_KW: bool | None = None


def _has_method_kw() -> bool:
    global _METHOD_KW
    if _METHOD_KW is None:
        import inspect

        _METHOD_KW = "method" in inspect.signature(nx.spring_layout).parameters
    return _METHOD_KW


def _pack(blocks: list[tuple[dict, float]], gap: float) -> tuple[dict, float]:
    """Shelf-pack circular blocks (positions centred on 0, radius) → merged positions, radius."""
    blocks = sorted(blocks, key=lambda b: -b[1])
    area = sum((2 * r + gap) ** 2 for _, r in blocks)
    width = max(math.sqrt(area) * 1.15, 2 * blocks[0][1] + gap)
    out: dict = {}
    x = y = 0.0
    shelf_h = 0.0
    centres = []
    for pos, r in blocks:
        d = 2 * r + gap
        if x > 0 and x + d > width:
            x, y = 0.0, y + shelf_h
            shelf_h = 0.0
        cx, cy = x + d / 2, y + d / 2
        centres.append((cx, cy, r))
        for n, (px, py) in pos.items():
            out[n] = (px + cx, py + cy)
        x += d
        shelf_h = max(shelf_h, d)
    if not out:
        return out, 0.0
    mx, my, rad = _enclosing(centres)
    return {n: (px - mx, py - my) for n, (px, py) in out.items()}, rad


def _enclosing(circles: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """A small circle (x, y, radius) around circles (x, y, r): start at the area-weighted
    centre, then step towards the farthest one with shrinking steps (Badoiu-Clarkson).
    The unweighted mean of the centres puts a big block off-centre next to one small block,
    which nearly doubles the backdrop."""
    area = sum(r * r for *_, r in circles) or 1.0
    mx = sum(x * r * r for x, _, r in circles) / area
    my = sum(y * r * r for _, y, r in circles) / area
    best = (mx, my, max(math.hypot(x - mx, y - my) + r for x, y, r in circles))
    for k in range(1, 60):
        fx, fy, fr = max(circles, key=lambda c: math.hypot(c[0] - mx, c[1] - my) + c[2])
        d = math.hypot(fx - mx, fy - my)
        if d == 0:
            break
        # the point of the farthest circle farthest from the centre
        px, py = fx + (fx - mx) / d * fr, fy + (fy - my) / d * fr
        mx, my = mx + (px - mx) / (k + 1), my + (py - my) / (k + 1)
        rad = max(math.hypot(x - mx, y - my) + r for x, y, r in circles)
        if rad < best[2]:
            best = (mx, my, rad)
    return best


def grouped_layout(G: nx.MultiDiGraph, *, spacing: float = 70.0, seed: int = 7) -> tuple[dict, dict]:
    """Positions (vis pixel units) by jurisdiction group, spring inside chunks of ≤ CHUNK nodes.

    Returns ``(pos, groups)``; ``groups`` maps a jurisdiction key to its
    ``{"id", "label", "x", "y", "r", "heading"}`` backdrop circle (``id`` is
    the jurisdiction IRI, ``""`` for instruments and cited documents). Linear in the number of
    chunks: about 0.6 s for 5,000 nodes (see module docstring).
    """
    U = nx.Graph()
    U.add_nodes_from(G.nodes())
    U.add_edges_from((u, v) for u, v, rel in G.edges(data="relation") if rel != "inJurisdiction")
    by_group: dict[str, list] = {}
    for n, a in G.nodes(data=True):
        by_group.setdefault(a.get("jurisdiction_iri") or "", []).append(n)
    group_blocks = []
    names, headed = {}, {}
    for gi, (key, members) in enumerate(sorted(by_group.items(), key=lambda kv: kv[0])):
        jnodes = [n for n in members if G.nodes[n].get("kind") == "jurisdiction"]
        rest = [n for n in members if n not in jnodes]
        names[key] = G.nodes[jnodes[0]]["label"] if jnodes else (G.nodes[members[0]].get("jurisdiction") or NO_JURISDICTION)
        headed[key] = bool(jnodes)
        chunks: list[list] = []
        if len(rest) <= CHUNK:
            chunks = [rest] if rest else []
        else:
            by_doc: dict[str, list] = {}
            for n in rest:
                by_doc.setdefault((G.nodes[n].get("docs") or "").split("|")[0], []).append(n)
            for members_d in by_doc.values():
                for i in range(0, len(members_d), CHUNK):
                    chunks.append(members_d[i:i + CHUNK])
        blocks = []
        for ci, chunk in enumerate(chunks):
            cb = _component_blocks(U, chunk, spacing, seed + 31 * gi + 7 * ci)
            blocks.append(_pack(cb, gap=spacing * 0.4) if len(cb) > 1 else cb[0])
        if blocks:
            pos, rad = _pack(blocks, gap=spacing)
        else:
            pos, rad = {}, spacing
        for j, n in enumerate(jnodes):  # the jurisdiction node heads its group
            pos[n] = (j * spacing * 2.5, -rad - spacing * 0.6)
        group_blocks.append((key, pos, rad + spacing * 0.8))
    packed, _ = _pack([(dict(((key, n), p) for n, p in pos.items()), r) for key, pos, r in group_blocks],
                      gap=spacing * 1.5)
    out: dict = {}
    groups: dict = {}
    acc: dict[str, list] = {}
    for (key, n), p in packed.items():
        out[n] = p
        acc.setdefault(key, []).append(p)
    for key, pos, r in group_blocks:
        pts = acc.get(key, [])
        if not pts:
            continue
        # the circle the packer reserved for this group: its offset and radius, so circles never overlap
        n0 = next(iter(pos))
        cx, cy = out[n0][0] - pos[n0][0], out[n0][1] - pos[n0][1]
        # id: the jurisdiction IRI ("" for what has none), as the page's filter keys them;
        # heading: the page writes the label when no jurisdiction node heads the circle
        groups[key] = {"id": key, "label": names[key], "x": cx, "y": cy, "r": r - spacing * 0.3,
                       "heading": not headed[key]}
    return out, groups


# --------------------------------------------------------------------------- page

def vis_library() -> str:
    """The vis-network standalone JS from the pyvis package, with no http(s):// strings left."""
    import pyvis

    base = Path(pyvis.__file__).parent / "templates" / "lib"
    cands = sorted(base.glob("vis-*/vis-network.min.js"))
    if not cands:
        raise FileNotFoundError(f"vis-network.min.js not found under {base}; reinstall pyvis")
    js = cands[-1].read_text(encoding="utf-8")
    js = re.sub(r"(?m)^//# sourceMappingURL=.*$", "", js)
    js = re.sub(r"(https?):(//)", r"\1:\\/\\/", js)  # "http:\/\/" is the same JS string, regex and comment
    js = re.sub(r"(?i)</(script)", r"<\\/\1", js)  # never close the <script> element early
    js = js.replace('"<script>"', '"\\x3Cscript>"')  # the one "<script>" string literal, same value
    return js


def _json_for_script(obj) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
            .replace("://", ":\\/\\/"))  # JSON's "\/" escape: no http(s):// substring in the page


def _short(a: dict) -> str:
    lab = a.get("short") or a.get("label") or ""
    if a.get("kind") == "document" and len(lab) > 16:
        lab = lab[:15] + "…"
    if a.get("kind") == "obligation" and len(lab) > 14:
        lab = lab[:13] + "…"
    return lab


def node_size(kind: str, degree: int) -> float:
    """The radius a node is drawn with (page and Gephi exports)."""
    return round(min(40.0, (5 if kind == "obligation" else 8) + 2.2 * math.sqrt(degree)), 1)


def _node_class(a: dict) -> str:
    return a.get("cls") or a.get("kind") or "Body"


def node_style(a: dict) -> tuple[str, str, str]:
    """(colour, shape, display name) of a node's class."""
    cls = _node_class(a)
    return CLASS_STYLE.get(cls, ("#888888", "dot", cls))


def edge_width(rel: str, weight: int = 1) -> float:
    """Line width: the relation's width, thicker with the number of shared obligations."""
    base = RELATION_STYLE.get(rel, ("", False, 1.0))[2]
    return round(base * (1 + math.log2(max(1, weight))), 2)


def _partner_ranks(G: nx.MultiDiGraph) -> tuple[dict, int]:
    """Each co-owner edge's rank among its ends' co-owner edges (0 = strongest), and the
    default number of partners per body the page shows (0 = all).

    Ranked by weight, then by the partner's label, so ties are cut the same way each
    time. Showing each body's few strongest partners keeps every body that co-owns
    anything linked, where a global weight threshold leaves most bodies floating.
    """
    per: dict[str, list] = {}
    for u, v, k, a in G.edges(keys=True, data=True):
        if a.get("relation") == "coOwner":
            w = int(a.get("weight", 1))
            per.setdefault(u, []).append((-w, G.nodes[v].get("label", v), (u, v, k)))
            per.setdefault(v, []).append((-w, G.nodes[u].get("label", u), (u, v, k)))
    rank: dict = {}
    for lst in per.values():
        for i, (*_, e) in enumerate(sorted(lst)):
            rank[e] = min(rank.get(e, i), i)
    bodies = sum(1 for _, k in G.nodes(data="kind") if k == "body")
    return rank, (3 if len(rank) > 2 * max(1, bodies) else 0)


def _page_data(G: nx.MultiDiGraph, layout: str) -> dict:
    pos, groups = grouped_layout(G)
    deg = dict(G.degree())
    # the bodies view is read circle by circle (one per jurisdiction): fixed positions
    physics = layout == "physics" or (layout == "auto" and G.number_of_nodes() < PHYSICS_MAX
                                      and G.graph.get("view") != "bodies")
    doc_label = {n: a.get("label", n) for n, a in G.nodes(data=True) if a.get("kind") == "document"}
    nodes = []
    for n, a in G.nodes(data=True):
        cls = _node_class(a)
        colour, shape, _ = node_style(a)
        docs = [d for d in (a.get("docs") or "").split("|") if d]
        d = deg.get(n, 0)
        x, y = pos.get(n, (0.0, 0.0))
        extra = {k: a[k] for k in ("deadline", "identifier", "source_file", "number", "section", "level",
                                   "obligations") if a.get(k)}
        if a.get("candidate"):
            extra["candidate"] = "yes"
        nodes.append({
            "id": n, "label": a.get("label", ""), "short": _short(a), "kind": a.get("kind", ""), "cls": cls,
            "jur": a.get("jurisdiction_iri") or "", "jurLabel": a.get("jurisdiction") or "",
            "docs": docs, "aliases": [x for x in (a.get("aliases") or "").split("|") if x],
            "deg": d, "x": round(x, 1), "y": round(y, 1), "color": colour, "shape": shape,
            "size": node_size(a.get("kind", ""), d),
            "prio": KIND_PRIORITY.get(a.get("kind"), 5), "extra": extra,
            "text": (a.get("text") or "")[:200],
        })
    edges = []
    ranks, top = _partner_ranks(G)
    for i, (u, v, k, a) in enumerate(G.edges(keys=True, data=True)):
        rel = a.get("relation", k)
        e = {"id": i, "from": u, "to": v, "rel": rel, "role": a.get("role", ""), "doc": a.get("doc", "")}
        for key in ("evidence", "source_file", "cue", "obligations"):
            if a.get(key):
                e[key] = a[key]
        e["w"] = int(a.get("weight", 1) or 1)
        if (u, v, k) in ranks:
            e["rank"] = ranks[(u, v, k)]
        e["width"] = edge_width(rel, e["w"])
        if a.get("start", -1) != -1 and a.get("start") is not None:
            e["start"], e["end"] = a["start"], a["end"]
        if a.get("implicit"):
            e["implicit"] = True
        edges.append(e)
    classes = sorted({x["cls"] for x in nodes}, key=lambda c: list(CLASS_STYLE).index(c) if c in CLASS_STYLE else 99)
    rels = sorted({e["rel"] for e in edges}, key=lambda r: list(RELATION_STYLE).index(r) if r in RELATION_STYLE else 99)
    jurs = {}
    for x in nodes:
        if x["jur"]:
            jurs.setdefault(x["jur"], x["jurLabel"] or x["jur"])
    centres = [c for c in (G.graph.get("centres") or "").split("|") if c in G]
    kinds = {a.get("kind") for _, a in G.nodes(data=True) if a.get("kind")}
    instrument_view = any(G.nodes[c].get("kind") == "instrument" for c in centres)
    hidden = () if instrument_view else HIDDEN_BY_DEFAULT  # an instrument's view is about its uses
    return {
        "nodes": nodes, "edges": edges, "groups": list(groups.values()), "physics": physics,
        "view": G.graph.get("view", "all"), "topPartners": top,
        # an ego view is small: its clauses are labelled without zooming in
        "labelObligations": bool(centres) and "obligation" in kinds,
        "classes": [{"id": c, "name": CLASS_STYLE.get(c, ("", "", c))[2], "color": CLASS_STYLE.get(c, ("#888",))[0],
                     "shape": CLASS_STYLE.get(c, ("", "dot"))[1]} for c in classes],
        "relations": [{"id": r, "name": RELATION_STYLE.get(r, ("", False, 1, r))[3],
                       "color": RELATION_STYLE.get(r, ("#999",))[0],
                       "dashes": RELATION_STYLE.get(r, ("", False))[1],
                       "width": RELATION_STYLE.get(r, ("", False, 1.0))[2],
                       "on": r not in hidden} for r in rels],
        "roles": sorted({e["role"] for e in edges if e["role"]}),
        "jurisdictions": [{"id": k, "name": v} for k, v in sorted(jurs.items(), key=lambda kv: kv[1])],
        "documents": [{"id": k, "name": v} for k, v in sorted(doc_label.items(), key=lambda kv: kv[1])],
    }


def render_html(graph: nx.MultiDiGraph, *, layout: str = "auto", title: str = "envgov-kg 网络图") -> str:
    """The whole interactive page as one string (no external references).

    ``layout``: ``"auto"`` (physics below ``PHYSICS_MAX`` nodes, else
    precomputed), ``"physics"`` or ``"precomputed"``.
    """
    if layout not in ("auto", "physics", "precomputed"):
        raise ValueError(f"unknown layout {layout!r}: auto, physics or precomputed")
    data = _page_data(graph, layout)
    page = (_TEMPLATE.replace("%%TITLE%%", html.escape(title))
            .replace("%%CSS%%", _CSS)
            .replace("%%DATA%%", _json_for_script(data))
            .replace("%%APP%%", _APP_JS))
    # the vis library goes in last so that no placeholder can be found inside it
    head, tail = page.split("%%VIS%%")
    return head + vis_library() + tail


_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei",
  "PingFang SC", sans-serif; font-size: 13px; color: #222; }
#kg-app { display: flex; height: 100vh; }
#kg-side { width: 270px; flex: none; overflow-y: auto; border-right: 1px solid #ddd; padding: 8px 10px;
  background: #fafafa; }
#kg-side h1 { font-size: 15px; margin: 2px 0 8px; }
.kg-row span:last-child { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#kg-side h2 { font-size: 12px; margin: 10px 0 3px; color: #555; text-transform: uppercase; letter-spacing: .04em; }
#kg-search { width: 100%; padding: 4px 6px; font: inherit; border: 1px solid #bbb; border-radius: 3px; }
#kg-search-msg { color: #666; font-size: 12px; min-height: 1.2em; margin-top: 2px; }
.kg-row { display: flex; align-items: center; gap: 5px; line-height: 1.55; font-size: 12px; cursor: pointer; }
.kg-row input { margin: 0; }
.kg-row input.kg-num { width: 46px; flex: none; font: inherit; }
#kg-minw-box .kg-row span { white-space: normal; }
.kg-sw { display: inline-block; width: 11px; height: 11px; flex: none; border: 1px solid rgba(0,0,0,.25); }
.kg-sw.dot { border-radius: 50%; }
.kg-sw.diamond { transform: rotate(45deg) scale(.85); }
.kg-sw.star, .kg-sw.triangle, .kg-sw.triangleDown { clip-path: polygon(50% 0, 100% 100%, 0 100%); border: none; }
.kg-bd { display: inline-block; width: 12px; height: 12px; flex: none; border-radius: 50%;
  border: 1px solid rgba(0,0,0,.25); }
.kg-bd.none { border-style: dashed; border-color: #888; }
.kg-ln { display: inline-block; width: 22px; height: 0; flex: none; border-top-width: 2px; }
#kg-main { position: relative; flex: 1; min-width: 0; }
#kg-net { position: absolute; inset: 0; }
#kg-tip { position: absolute; display: none; max-width: 380px; background: #fff; border: 1px solid #999;
  border-radius: 4px; padding: 6px 8px; box-shadow: 0 2px 8px rgba(0,0,0,.2); pointer-events: none;
  font-size: 12px; z-index: 5; white-space: normal; }
#kg-tip b { display: block; font-size: 13px; margin-bottom: 2px; }
#kg-tip .q { margin-top: 4px; padding-left: 6px; border-left: 3px solid #9ecae1; color: #333; }
#kg-tip .m { color: #666; }
#kg-stats { position: absolute; right: 8px; bottom: 6px; font-size: 11px; color: #666;
  background: rgba(255,255,255,.8); padding: 1px 4px; }
button.kg-small { font: inherit; font-size: 11px; padding: 1px 6px; margin-right: 4px; }
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%%TITLE%%</title>
<style>%%CSS%%</style>
<script>
window.__kgErrors = [];
window.addEventListener("error", function (e) { window.__kgErrors.push(String(e.message || e)); });
window.addEventListener("unhandledrejection", function (e) { window.__kgErrors.push("rejection: " + String(e.reason)); });
</script>
</head>
<body>
<div id="kg-app">
  <div id="kg-side">
    <h1 id="kg-title"></h1>
    <input id="kg-search" type="search" placeholder="搜索机构/任务… search (Enter)" autocomplete="off">
    <div id="kg-search-msg"></div>
    <div><button class="kg-small" id="kg-reset" type="button">重置 reset</button><button class="kg-small" id="kg-fit" type="button">适配 fit</button><button class="kg-small" id="kg-png" type="button" title="下载当前视图 download the current view as PNG">图片 PNG</button></div>
    <div id="kg-minw-box" hidden><h2>共同负责 co-owners</h2>
      <label class="kg-row"><span>每个机构最强伙伴数 top partners per body (0 = all)</span><input id="kg-top" class="kg-num" type="number" min="0" step="1"></label>
      <label class="kg-row"><span>至少共同任务数 min. shared obligations</span><input id="kg-minw" class="kg-num" type="number" min="1" step="1"></label></div>
    <h2>类别 class</h2><div id="kg-f-class"></div>
    <h2>关系 relation</h2><div id="kg-f-relation"></div>
    <h2>角色 role</h2><div id="kg-f-role"></div>
    <h2>辖区 jurisdiction</h2><div id="kg-f-jurisdiction"></div>
    <h2>文件 document</h2><div id="kg-f-document"></div>
    <div id="kg-backdrops" hidden><h2>背景圈 circles</h2><div id="kg-f-backdrop"></div></div>
  </div>
  <div id="kg-main"><div id="kg-net"></div><div id="kg-tip"></div><div id="kg-stats"></div></div>
</div>
<div id="kg-state" hidden></div>
<script type="application/json" id="kg-data">%%DATA%%</script>
<script>%%VIS%%</script>
<script>%%APP%%</script>
</body>
</html>
"""

_APP_JS = r"""
(function () {
"use strict";
var state = document.getElementById("kg-state");
function setState(k, v) { state.setAttribute("data-" + k, String(v)); }
function recordErrors() { setState("errors", window.__kgErrors.length); setState("error-text", window.__kgErrors.join(" | ")); }
try {
var DATA = JSON.parse(document.getElementById("kg-data").textContent);
var FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
document.getElementById("kg-title").textContent = document.title;
var byId = {}, relStyle = {}, adj = {};
DATA.relations.forEach(function (r) { relStyle[r.id] = r; });
DATA.nodes.forEach(function (n) { byId[n.id] = n; adj[n.id] = []; });
DATA.edges.forEach(function (e) { if (adj[e.from]) adj[e.from].push(e); if (adj[e.to]) adj[e.to].push(e); });

var on = { "class": {}, relation: {}, role: {}, jurisdiction: {}, document: {} };
DATA.classes.forEach(function (c) { on["class"][c.id] = true; });
DATA.relations.forEach(function (r) { on.relation[r.id] = r.on; });
DATA.roles.forEach(function (r) { on.role[r] = true; });
DATA.jurisdictions.forEach(function (j) { on.jurisdiction[j.id] = true; });
DATA.documents.forEach(function (d) { on.document[d.id] = true; });
var names = { "class": {}, relation: {}, role: {}, jurisdiction: {}, document: {} };
DATA.classes.forEach(function (c) { names["class"][c.id] = c.name; });
DATA.relations.forEach(function (r) { names.relation[r.id] = r.name; });
DATA.roles.forEach(function (r) { names.role[r] = r; });
DATA.jurisdictions.forEach(function (j) { names.jurisdiction[j.id] = j.name; });
DATA.documents.forEach(function (d) { names.document[d.id] = d.name; });

// URL test hooks: ?filter=dim:a,b (only these on)  ?hide=dim:a,b  ?search=text
var params = new URLSearchParams(window.location.search);
function matchKey(dim, v) {
  var out = [];
  Object.keys(on[dim] || {}).forEach(function (k) {
    if (k === v || names[dim][k] === v || (names[dim][k] || "").indexOf(v) >= 0 || k.split("/").pop() === v) out.push(k);
  });
  return out;
}
params.getAll("filter").forEach(function (f) {
  var i = f.indexOf(":"); if (i < 0) return;
  var dim = f.slice(0, i); if (!on[dim]) return;
  var keep = {};
  f.slice(i + 1).split(",").forEach(function (v) { matchKey(dim, v).forEach(function (k) { keep[k] = true; }); });
  Object.keys(on[dim]).forEach(function (k) { on[dim][k] = !!keep[k]; });
});
params.getAll("hide").forEach(function (f) {
  var i = f.indexOf(":"); if (i < 0) return;
  var dim = f.slice(0, i); if (!on[dim]) return;
  f.slice(i + 1).split(",").forEach(function (v) { matchKey(dim, v).forEach(function (k) { on[dim][k] = false; }); });
});

function nodeVisible(n) {
  if (!on["class"][n.cls]) return false;
  if (n.jur && on.jurisdiction[n.jur] === false) return false;
  if (n.docs.length && !n.docs.some(function (d) { return on.document[d] !== false; })) return false;
  return true;
}
var visibleNodes = {};
var minW = Math.max(1, parseInt(params.get("minweight") || "1", 10) || 1);
var topK = Math.max(0, parseInt(params.has("top") ? params.get("top") : String(DATA.topPartners || 0), 10) || 0);
function edgeVisible(e) {
  if (!on.relation[e.rel]) return false;
  if (e.rel === "coOwner" && (e.w < minW || (topK > 0 && e.rank >= topK))) return false;
  if (e.role && on.role[e.role] === false) return false;
  if (e.doc && on.document[e.doc] === false) return false;
  return !!(visibleNodes[e.from] && visibleNodes[e.to]);
}

var highlight = null; // set of node ids or null
function nodeColor(n) {
  if (highlight && !highlight[n.id]) return { background: "#e8e8e8", border: "#d8d8d8" };
  return { background: n.color, border: n.kind === "obligation" ? "#8a93a0" : "#333333",
           highlight: { background: n.color, border: "#000000" }, hover: { background: n.color, border: "#000000" } };
}
function visNode(n) {
  return { id: n.id, x: n.x, y: n.y, shape: n.shape, size: n.size, color: nodeColor(n),
           borderWidth: n.kind === "document" || n.kind === "jurisdiction" ? 2 : 1 };
}
function visEdge(e) {
  var s = relStyle[e.rel] || { color: "#999", dashes: false, width: 1 };
  var dim = highlight && !(highlight[e.from] && highlight[e.to]);
  var o = { id: e.id, from: e.from, to: e.to, width: e.width || s.width, dashes: s.dashes,
            color: { color: dim ? "#eeeeee" : s.color, opacity: dim ? 0.4 : (e.rel === "responsible" || e.rel === "partOf" ? 0.45 : 0.9),
                     highlight: s.color, hover: s.color },
            arrows: { to: { enabled: e.rel !== "partOf" && e.rel !== "inJurisdiction" && e.rel !== "coOwner", scaleFactor: 0.4 } },
            font: { size: 10, face: FONT, color: "#333", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" } };
  o.label = (highlight && !dim && e.rel !== "partOf") ? (s.name || e.rel) : undefined;
  if (o.label === undefined) o.label = " "; // keep the key so updates clear old labels
  if (o.label === " ") o.label = "";
  return o;
}
var nodesDS = new vis.DataSet(DATA.nodes.map(visNode));
var edgesDS = new vis.DataSet(DATA.edges.map(visEdge));
var nodeView = new vis.DataView(nodesDS, { filter: function (v) { return visibleNodes[v.id]; } });
var edgeView = new vis.DataView(edgesDS, { filter: function (v) { return edgeVisible(DATA.edges[v.id]); } });

function applyFilters() {
  visibleNodes = {};
  DATA.nodes.forEach(function (n) { if (nodeVisible(n)) visibleNodes[n.id] = true; });
  nodeView.refresh(); edgeView.refresh();
  setState("visible-nodes", nodeView.length);
  setState("visible-edges", edgeView.length);
  document.getElementById("kg-stats").textContent =
    nodeView.length + " / " + DATA.nodes.length + " nodes, " + edgeView.length + " / " + DATA.edges.length + " edges";
}
function setHighlight(ids) {
  highlight = ids;
  nodesDS.update(DATA.nodes.map(function (n) { return { id: n.id, color: nodeColor(n) }; }));
  edgesDS.update(DATA.edges.map(visEdge));
  setState("highlighted", ids ? Object.keys(ids).filter(function (k) { return visibleNodes[k]; }).length : 0);
}
function neighbourhood(ids) {
  var out = {};
  ids.forEach(function (id) {
    out[id] = true;
    (adj[id] || []).forEach(function (e) { if (edgeVisible(e)) { out[e.from] = true; out[e.to] = true; } });
  });
  return out;
}

// ---- sidebar: filters + legend
function addRows(dim, items) {
  var box = document.getElementById("kg-f-" + dim);
  items.forEach(function (it) {
    var lab = document.createElement("label"); lab.className = "kg-row";
    var cb = document.createElement("input"); cb.type = "checkbox"; cb.checked = on[dim][it.id] !== false;
    cb.setAttribute("data-dim", dim);
    cb.addEventListener("change", function () { on[dim][it.id] = cb.checked; applyFilters(); if (highlight) setHighlight(highlight); });
    lab.appendChild(cb);
    if (it.swatch) lab.appendChild(it.swatch);
    var t = document.createElement("span"); t.textContent = it.name; lab.appendChild(t);
    box.appendChild(lab);
  });
}
function swatch(color, shape) { var s = document.createElement("span"); s.className = "kg-sw " + shape; s.style.background = color; return s; }
function line(color, dashes, width) {
  var s = document.createElement("span"); s.className = "kg-ln";
  s.style.borderTopStyle = dashes ? "dashed" : "solid"; s.style.borderTopColor = color;
  s.style.borderTopWidth = Math.max(1.5, width) + "px"; return s;
}
addRows("class", DATA.classes.map(function (c) { return { id: c.id, name: c.name, swatch: swatch(c.color, c.shape) }; }));
addRows("relation", DATA.relations.map(function (r) { return { id: r.id, name: r.name, swatch: line(r.color, r.dashes, r.width) }; }));
addRows("role", DATA.roles.map(function (r) { return { id: r, name: r }; }));
// a section with nothing to filter (no roles or documents in the bodies view) is not shown
["role", "jurisdiction", "document"].forEach(function (dim) {
  var list = dim === "role" ? DATA.roles : dim === "jurisdiction" ? DATA.jurisdictions : DATA.documents;
  if (!list.length) { var b = document.getElementById("kg-f-" + dim); b.hidden = true; b.previousElementSibling.hidden = true; }
});
addRows("jurisdiction", DATA.jurisdictions);
addRows("document", DATA.documents);
if (DATA.edges.some(function (e) { return e.rel === "coOwner"; })) {
  var mw = document.getElementById("kg-minw");
  document.getElementById("kg-minw-box").hidden = false;
  var tk = document.getElementById("kg-top");
  mw.value = String(minW); tk.value = String(topK);
  mw.addEventListener("change", function () {
    minW = Math.max(1, parseInt(mw.value, 10) || 1); applyFilters(); if (highlight) setHighlight(highlight);
  });
  tk.addEventListener("change", function () {
    topK = Math.max(0, parseInt(tk.value, 10) || 0); applyFilters(); if (highlight) setHighlight(highlight);
  });
}
// backdrop circles (precomputed layout): one per jurisdiction, one dashed for what has none
var BACKDROP = ["rgba(31,119,180,0.06)", "rgba(44,160,44,0.06)", "rgba(214,39,40,0.05)", "rgba(148,103,189,0.06)", "rgba(255,127,14,0.06)"];
var NONE_FILL = "rgba(120,120,120,0.07)";
function backdropFill(g, gi) { return g.id ? BACKDROP[gi % BACKDROP.length] : NONE_FILL; }
// the jurisdiction filter is keyed by the jurisdiction's IRI (g.id), never by its name
function backdropOn(g) { return !(g.id && on.jurisdiction[g.id] === false) && g.r > 0; }
if (!DATA.physics && (DATA.groups || []).length) {
  document.getElementById("kg-backdrops").hidden = false;
  var bbox = document.getElementById("kg-f-backdrop");
  DATA.groups.forEach(function (g, gi) {
    var row = document.createElement("div"); row.className = "kg-row kg-legend-backdrop";
    row.setAttribute("data-group", g.id);
    var sw = document.createElement("span"); sw.className = "kg-bd" + (g.id ? "" : " none");
    sw.style.background = backdropFill(g, gi).replace(/0\.0\d\)$/, "0.35)");
    row.appendChild(sw);
    var t = document.createElement("span"); t.textContent = g.id ? "辖区 " + g.label : g.label; row.appendChild(t);
    bbox.appendChild(row);
  });
}

// ---- network
applyFilters();
var container = document.getElementById("kg-net");
var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
  autoResize: true,
  nodes: { font: { size: 0 }, label: undefined },
  edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5 },
  interaction: { hover: true, tooltipDelay: 100, hideEdgesOnDrag: DATA.nodes.length > 1500, navigationButtons: false },
  physics: DATA.physics ? { enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -40, springLength: 60, avoidOverlap: 0.4 },
      stabilization: { iterations: 250, fit: true } } : { enabled: false },
  layout: { randomSeed: 7, improvedLayout: false }
});
window.kgNetwork = network;  // for tests and the console

// Nodes with no visible edge (isolated, or linked only by hidden relations) are pushed far
// out by the physics: once it has settled they go on a ring just outside the linked nodes,
// each at the angle of its (hidden) neighbours, so it sits next to its component.
function placeLoose() {
  var pos = network.getPositions();
  var linked = {};
  edgeView.getIds().forEach(function (id) { var e = DATA.edges[id]; linked[e.from] = true; linked[e.to] = true; });
  var core = [], loose = [];
  Object.keys(visibleNodes).forEach(function (id) { if (pos[id]) (linked[id] ? core : loose).push(id); });
  setState("loose", loose.length);
  if (!loose.length) return;
  var cx = 0, cy = 0, R = 0;
  if (core.length) {
    core.forEach(function (id) { cx += pos[id].x; cy += pos[id].y; });
    cx /= core.length; cy /= core.length;
    core.forEach(function (id) { R = Math.max(R, Math.hypot(pos[id].x - cx, pos[id].y - cy) + (byId[id].size || 8)); });
  }
  var items = loose.map(function (id) {
    var ax = 0, ay = 0, k = 0;
    (adj[id] || []).forEach(function (e) {
      var o = e.from === id ? e.to : e.from;
      if (linked[o] && pos[o]) { ax += pos[o].x; ay += pos[o].y; k++; }
    });
    var p = k ? { x: ax / k, y: ay / k } : pos[id];
    return { id: id, a: Math.atan2(p.y - cy, p.x - cx) };
  });
  items.sort(function (a, b) { return a.a - b.a || (a.id < b.id ? -1 : 1); });
  var step = 56, n = items.length;
  var r = Math.max(R + 70, n * step / (2 * Math.PI));
  var gap = step / r, i;
  for (i = 1; i < n; i++) items[i].a = Math.max(items[i].a, items[i - 1].a + gap);
  if (n > 1 && items[n - 1].a - items[0].a > 2 * Math.PI - gap) {
    for (i = 0; i < n; i++) items[i].a = items[0].a + i * 2 * Math.PI / n;  // full ring: even spacing
  }
  items.forEach(function (it) { network.moveNode(it.id, cx + r * Math.cos(it.a), cy + r * Math.sin(it.a)); });
}
function settled() {
  if (params.get("positions")) {
    var pos = network.getPositions(), out = {};
    Object.keys(visibleNodes).forEach(function (id) { if (pos[id]) out[id] = [Math.round(pos[id].x), Math.round(pos[id].y)]; });
    setState("positions", JSON.stringify(out));
  }
  setState("settled", 1);
}
// fit the visible nodes and, with fixed positions, their backdrop circles and headings
function fitAll() {
  network.fit({ animation: false });
  if (DATA.physics) return;
  var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, pos = network.getPositions();
  Object.keys(visibleNodes).forEach(function (id) {
    var p = pos[id]; if (!p) return;
    x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
  });
  (DATA.groups || []).forEach(function (g) {
    if (!backdropOn(g)) return;
    x0 = Math.min(x0, g.x - g.r); x1 = Math.max(x1, g.x + g.r); y0 = Math.min(y0, g.y - g.r - 30); y1 = Math.max(y1, g.y + g.r);
  });
  if (!isFinite(x0)) return;
  var W = container.clientWidth, H = container.clientHeight;
  var s = Math.min(W / Math.max(1, x1 - x0), H / Math.max(1, y1 - y0)) * 0.96;
  network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: s, animation: false });
  fitScale = null;  // the label rule measures zoom from this fit
}
if (DATA.physics) network.once("stabilizationIterationsDone", function () {
  network.setOptions({ physics: { enabled: false } }); placeLoose(); network.fit(); settled();
});
else { fitAll(); settled(); }

// ---- labels: greedy, non-overlapping, constant screen size, drawn on the canvas
var order = DATA.nodes.slice().sort(function (a, b) { return a.prio - b.prio || b.deg - a.deg; });
var fitScale = null;
var FS = { jurisdiction: 15, document: 12, body: 12, instrument: 11, obligation: 10 };
network.on("afterDrawing", function (ctx) {
  var scale = network.getScale();
  if (fitScale === null) fitScale = scale;
  var pos = network.getPositions();
  var tl = network.DOMtoCanvas({ x: 0, y: 0 });
  var br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
  var cell = 60, grid = {}, drawn = 0, byKind = {};
  function key(i, j) { return i + "," + j; }
  function free(b) {
    for (var i = Math.floor(b[0] / cell); i <= Math.floor(b[2] / cell); i++)
      for (var j = Math.floor(b[1] / cell); j <= Math.floor(b[3] / cell); j++) {
        var l = grid[key(i, j)]; if (!l) continue;
        for (var k = 0; k < l.length; k++) { var o = l[k]; if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return false; }
      }
    return true;
  }
  function put(b) {
    for (var i = Math.floor(b[0] / cell); i <= Math.floor(b[2] / cell); i++)
      for (var j = Math.floor(b[1] / cell); j <= Math.floor(b[3] / cell); j++) (grid[key(i, j)] = grid[key(i, j)] || []).push(b);
  }
  ctx.save();
  ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
  for (var q = 0; q < order.length; q++) {
    var n = order[q];
    if (!visibleNodes[n.id] || !pos[n.id]) continue;
    if (n.kind === "obligation" && !DATA.labelObligations && scale < fitScale * 1.8 && !(highlight && highlight[n.id])) continue;
    if (highlight && !highlight[n.id]) continue;
    var p = pos[n.id];
    if (p.x < tl.x - 200 / scale || p.x > br.x + 200 / scale || p.y < tl.y - 50 / scale || p.y > br.y + 50 / scale) continue;
    var fs = FS[n.kind] || 11;
    ctx.font = (n.kind === "jurisdiction" || n.kind === "document" ? "bold " : "") + fs + "px " + FONT;
    var w = ctx.measureText(n.short).width + 4;
    var sx = p.x * scale, sy = p.y * scale + n.size * scale + 1;
    var b = [sx - w / 2, sy, sx + w / 2, sy + fs + 3];
    if (!free(b)) continue;
    put(b);
    ctx.font = (n.kind === "jurisdiction" || n.kind === "document" ? "bold " : "") + (fs / scale) + "px " + FONT;
    ctx.lineWidth = 3 / scale; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.fillStyle = n.kind === "obligation" ? "#555" : "#111";
    ctx.strokeText(n.short, p.x, sy / scale); ctx.fillText(n.short, p.x, sy / scale);
    drawn++; byKind[n.kind] = (byKind[n.kind] || 0) + 1;
  }
  ctx.restore();
  setState("labels-drawn", drawn);
  setState("labels-by-kind", JSON.stringify(byKind));
});
// jurisdiction backdrops: the circles the layout reserved for each group (they never overlap)
network.on("beforeDrawing", function (ctx) {
  if (DATA.physics) return;  // positions move under physics: no fixed backdrops
  var drawnIds = [], scale = network.getScale();
  (DATA.groups || []).forEach(function (g, gi) {
    if (!backdropOn(g)) return;
    if (!g.id && !DATA.nodes.some(function (n) { return !n.jur && visibleNodes[n.id]; })) return;
    ctx.save();
    ctx.beginPath(); ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
    ctx.fillStyle = backdropFill(g, gi); ctx.fill();
    if (!g.id) ctx.setLineDash([6 / scale, 4 / scale]);
    ctx.strokeStyle = g.id ? "rgba(0,0,0,0.08)" : "rgba(0,0,0,0.25)"; ctx.lineWidth = 1 / scale; ctx.stroke();
    if (g.heading) {
      ctx.setLineDash([]);
      ctx.font = "bold " + (14 / scale) + "px " + FONT; ctx.textAlign = "center"; ctx.textBaseline = "bottom";
      ctx.fillStyle = "#333"; ctx.lineJoin = "round"; ctx.lineWidth = 3 / scale; ctx.strokeStyle = "rgba(255,255,255,0.9)";
      var head = g.id ? g.label : g.label.split(" ")[0];
      ctx.strokeText(head, g.x, g.y - g.r - 4 / scale); ctx.fillText(head, g.x, g.y - g.r - 4 / scale);
    }
    ctx.restore();
    drawnIds.push(g.id);
  });
  setState("backdrops", JSON.stringify(drawnIds));
});

// ---- tooltip (textContent only)
var tip = document.getElementById("kg-tip");
function tipLine(parent, text, cls, tag) { var d = document.createElement(tag || "div"); if (cls) d.className = cls; d.textContent = text; parent.appendChild(d); }
function showTip(build, dom) {
  while (tip.firstChild) tip.removeChild(tip.firstChild);
  build(tip);
  tip.style.display = "block";
  var x = dom.x + 14, y = dom.y + 14;
  var W = container.clientWidth, H = container.clientHeight;
  if (x + tip.offsetWidth > W) x = Math.max(0, dom.x - tip.offsetWidth - 14);
  if (y + tip.offsetHeight > H) y = Math.max(0, dom.y - tip.offsetHeight - 14);
  tip.style.left = x + "px"; tip.style.top = y + "px";
  setState("tip", 1);
}
function hideTip() { tip.style.display = "none"; setState("tip", 0); }
network.on("hoverNode", function (p) {
  var n = byId[p.node]; if (!n) return;
  showTip(function (t) {
    tipLine(t, n.label, null, "b");
    tipLine(t, (names["class"][n.cls] || n.cls), "m");
    if (n.jurLabel) tipLine(t, "辖区 jurisdiction: " + n.jurLabel, "m");
    if (n.aliases.length) tipLine(t, "别名 aliases: " + n.aliases.join("、"), "m");
    Object.keys(n.extra).forEach(function (k) { tipLine(t, k + ": " + n.extra[k], "m"); });
    if (n.docs.length && n.kind !== "document") tipLine(t, "文件 docs: " + n.docs.map(function (d) { return names.document[d] || d; }).join("；"), "m");
    if (n.text) tipLine(t, n.text, "q");
    tipLine(t, "degree " + n.deg, "m");
  }, p.pointer.DOM);
});
network.on("hoverEdge", function (p) {
  var e = DATA.edges[p.edge]; if (!e) return;
  showTip(function (t) {
    tipLine(t, (relStyle[e.rel] ? relStyle[e.rel].name : e.rel), null, "b");
    tipLine(t, (byId[e.from] ? byId[e.from].label : e.from) + " → " + (byId[e.to] ? byId[e.to].label : e.to), "m");
    if (e.cue) tipLine(t, "cue: " + e.cue, "m");
    if (e.implicit) tipLine(t, "implicit (inferred)", "m");
    if (e.rel === "coOwner" || e.rel === "leadSupport") tipLine(t, "共同任务 shared obligations: " + e.w, "m");
    if (e.obligations) tipLine(t, e.obligations, "q");
    if (e.evidence) tipLine(t, "“" + e.evidence + "”", "q");
    if (e.source_file) tipLine(t, e.source_file + (e.start !== undefined ? " [" + e.start + "–" + e.end + "]" : ""), "m");
  }, p.pointer.DOM);
});
network.on("blurNode", hideTip); network.on("blurEdge", hideTip); network.on("dragStart", hideTip);
// vis sends no blur event when the pointer leaves the canvas straight from a node
container.addEventListener("mouseleave", hideTip);
container.addEventListener("pointerleave", hideTip);
document.addEventListener("visibilitychange", hideTip);

// ---- click: neighbourhood
network.on("click", function (p) {
  if (p.nodes.length) setHighlight(neighbourhood(p.nodes));
  else if (!p.edges.length) setHighlight(null);
});

// ---- search
var msg = document.getElementById("kg-search-msg");
function search(text) {
  text = (text || "").trim();
  if (!text) { setHighlight(null); msg.textContent = ""; setState("search-hits", 0); return; }
  var lower = text.toLowerCase();
  var hits = DATA.nodes.filter(function (n) {
    if (!visibleNodes[n.id]) return false;
    if (n.label.toLowerCase().indexOf(lower) >= 0 || n.short.toLowerCase().indexOf(lower) >= 0) return true;
    return n.aliases.some(function (a) { return a.toLowerCase().indexOf(lower) >= 0; });
  });
  hits.sort(function (a, b) { return a.prio - b.prio || b.deg - a.deg; });
  setState("search-hits", hits.length);
  if (!hits.length) { msg.textContent = "无匹配 no match"; setHighlight(null); return; }
  msg.textContent = hits.length + " 个匹配 matches; 聚焦 " + hits[0].label;
  setState("search-focus", hits[0].id);
  var hl = {}; hits.forEach(function (h) { hl[h.id] = true; });
  var nb = neighbourhood([hits[0].id]); Object.keys(nb).forEach(function (k) { hl[k] = true; });
  setHighlight(hl);
  network.selectNodes([hits[0].id]);
  network.focus(hits[0].id, { scale: Math.max(network.getScale(), 1.2), animation: false });
}
var box = document.getElementById("kg-search");
box.addEventListener("keydown", function (e) { if (e.key === "Enter") search(box.value); });
box.addEventListener("search", function () { search(box.value); });
document.getElementById("kg-reset").addEventListener("click", function () { box.value = ""; search(""); network.unselectAll(); fitAll(); });
document.getElementById("kg-fit").addEventListener("click", function () { fitAll(); });
// the canvas as it is now (zoom, filters, highlight, labels) on white, with the page title
function viewPng() {
  var src = container.querySelector("canvas");
  var c = document.createElement("canvas"); c.width = src.width; c.height = src.height;
  var g = c.getContext("2d");
  g.fillStyle = "#ffffff"; g.fillRect(0, 0, c.width, c.height);
  g.drawImage(src, 0, 0);
  var ratio = src.width / Math.max(1, container.clientWidth);
  g.font = "bold " + Math.round(14 * ratio) + "px " + FONT; g.fillStyle = "#333"; g.textBaseline = "top";
  g.fillText(document.title, 10 * ratio, 8 * ratio);
  return c.toDataURL("image/png");
}
document.getElementById("kg-png").addEventListener("click", function () {
  var url = viewPng();
  setState("png-prefix", url.slice(0, 22));
  setState("png-bytes", Math.floor((url.length - url.indexOf(",") - 1) * 3 / 4));
  var a = document.createElement("a");
  a.href = url; a.download = "envgov-kg-graph.png";
  document.body.appendChild(a); a.click(); document.body.removeChild(a);
});

setState("node-count", DATA.nodes.length);
setState("edge-count", DATA.edges.length);
setState("highlighted", 0);
setState("search-hits", 0);
if (params.get("search")) { box.value = params.get("search"); search(params.get("search")); }
setState("ready", 1);
} catch (err) {
  window.__kgErrors.push("init: " + (err && err.message ? err.message : String(err)));
}
recordErrors();
window.addEventListener("error", recordErrors);
})();
"""

"""Time kg.viz's grouped layout (and the whole page render) on synthetic graphs.

Run: .venv/bin/python bench/viz_layout.py [500 2000 5000]

Synthetic graphs mimic the corpus: 5 jurisdictions, bodies (30 %) and
obligations (70 %) per jurisdiction, each obligation owned by ~2 bodies of
its jurisdiction and part of one of 3 documents per jurisdiction.
"""
from __future__ import annotations

import random
import sys
import time

import networkx as nx

from kg.viz import grouped_layout, render_html


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()
    jurs = [f"j{i}" for i in range(5)]
    for j in jurs:
        G.add_node(j, kind="jurisdiction", cls="Jurisdiction", label=f"辖区{j}", jurisdiction=j, jurisdiction_iri=j)
    per = max(1, (n - 5) // 5)
    for j in jurs:
        docs = [f"{j}/doc{k}" for k in range(3)]
        for d in docs:
            G.add_node(d, kind="document", cls="PolicyDocument", label=f"文件{d}", jurisdiction=j,
                       jurisdiction_iri=j, docs=d)
        nb = max(1, int(per * 0.3))
        bodies = [f"{j}/b{k}" for k in range(nb)]
        for b in bodies:
            G.add_node(b, kind="body", cls=rnd.choice(["Department", "Government", "PartyBody"]),
                       label=f"机构{b}", jurisdiction=j, jurisdiction_iri=j, docs=rnd.choice(docs))
        for k in range(per - nb - 3):
            o, d = f"{j}/o{k}", rnd.choice(docs)
            G.add_node(o, kind="obligation", cls="Obligation", label=f"任务{k}", jurisdiction=j,
                       jurisdiction_iri=j, docs=d)
            G.add_edge(o, d, key="partOf", relation="partOf")
            for b in rnd.sample(bodies, min(2, len(bodies))):
                G.add_edge(b, o, key="responsible", relation="responsible", role="responsible")
    return G


def main(sizes: list[int]) -> None:
    print(f"{'nodes':>6} {'edges':>6} {'layout s':>9} {'render s':>9} {'html MB':>8}")
    for n in sizes:
        G = synthetic(n)
        t0 = time.perf_counter()
        grouped_layout(G)
        t1 = time.perf_counter()
        page = render_html(G, layout="precomputed")
        t2 = time.perf_counter()
        print(f"{G.number_of_nodes():>6} {G.number_of_edges():>6} {t1 - t0:>9.2f} {t2 - t1:>9.2f} {len(page) / 1e6:>8.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 2000, 5000])

"""Benchmarks: build throughput, memory, store size, SPARQL latency (Oxigraph vs
rdflib in memory), unchanged rebuild, and writes bench/RESULTS.md.

    python bench/run_bench.py            # N = 100 and 1,000
    python bench/run_bench.py --big      # also N = 10,000
    python bench/run_bench.py --sizes 100
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

BUILD_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from kg.build import build
from kg.store import OxigraphStore
t0 = time.perf_counter()
st = OxigraphStore({store!r})
rep = build([{corpus!r}], st, jobs={jobs})
st.close()
dt = time.perf_counter() - t0
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"seconds": dt, "built": len(rep.built), "unchanged": len(rep.unchanged), "skipped": len(rep.skipped),
                  "chars": rep.characters, "triples": rep.triples, "maxrss_mb": max(self_kb, child_kb) / 1024}}))
"""

QUERIES = {
    "selective lookup by body label": """SELECT DISTINCT ?b WHERE { ?b skos:prefLabel "{label}"@zh }""",
    "two-hop owner→obligation→instrument": """SELECT ?b ?c ?i WHERE { ?c egov:hasOwnership ?o . ?o egov:body ?b . ?c egov:usesInstrument ?i } LIMIT 1000""",
    "reporting chain org:reportsTo+": """SELECT ?a ?b WHERE { ?a org:reportsTo+ ?b } LIMIT 1000""",
    "count by jurisdiction": """SELECT ?j (COUNT(?d) AS ?n) WHERE { ?d a egov:PolicyDocument ; dcterms:spatial ?j } GROUP BY ?j""",
    "FILTER CONTAINS on clause text": """SELECT ?c WHERE { ?c a egov:Obligation ; egov:text ?t . FILTER(CONTAINS(STR(?t), "污染")) } LIMIT 100""",
}


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def run_build(corpus: Path, store: Path, jobs: int) -> dict:
    code = BUILD_CHILD.format(root=str(ROOT), store=str(store), corpus=str(corpus), jobs=jobs)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_ms(fn, runs: int = 20) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


RDFLIB_MAX_QUADS = 5_000_000


def query_bench(store_dir: Path, rdflib_runs: int) -> tuple[dict, int]:
    from kg.store import MemoryStore, OxigraphStore

    ox = OxigraphStore(store_dir, read_only=True)
    n = len(ox)
    r = ox.query("SELECT ?l WHERE { ?b a ?t ; skos:prefLabel ?l . FILTER(CONTAINS(STR(?l), \"生态环境局\")) } LIMIT 1")
    label = str(r.rows[0]["l"]) if r.rows else "生态环境局"
    if n > RDFLIB_MAX_QUADS:  # the in-memory baseline was OOM-killed at 13.8 M quads in 24 GB
        out = {name: (median_ms(lambda: ox.query(q.replace("{label}", label)), 20), None,
                      len(ox.query(q.replace("{label}", label)).rows)) for name, q in QUERIES.items()}
        ox.close()
        return out, n
    mem = MemoryStore()
    graphs: dict = {}
    for s, p, o, g in ox.quads():
        graphs.setdefault(g, []).append((s, p, o))
    for g, ts in graphs.items():
        if g is not None:
            mem.replace_graph(str(g), ts)
    out = {}
    for name, q in QUERIES.items():
        q = q.replace("{label}", label)
        t_ox = median_ms(lambda: ox.query(q), 20)
        t_mem = median_ms(lambda: mem.query(q), rdflib_runs)
        out[name] = (t_ox, t_mem, len(ox.query(q).rows))
    ox.close()
    return out, n


def bench_size(n: int, work: Path, results: dict) -> None:
    from make_corpus import make_corpus

    corpus = work / f"corpus_{n}"
    paths = make_corpus(n, 1, corpus)
    size_bytes = sum(p.stat().st_size for p in paths)
    row: dict = {"docs": n, "corpus_mb": size_bytes / 1e6}
    for jobs in (1, 2):
        store = work / f"store_{n}_{jobs}"
        shutil.rmtree(store, ignore_errors=True)
        b = run_build(corpus, store, jobs)
        row[f"build_j{jobs}"] = b
        print(f"N={n} jobs={jobs}: {b['seconds']:.1f} s, {b['chars'] / b['seconds']:.0f} chars/s, "
              f"{n / b['seconds']:.1f} docs/s, maxrss {b['maxrss_mb']:.0f} MB", flush=True)
    store = work / f"store_{n}_1"
    row["store_mb"] = dir_size(store) / 1e6
    rb = run_build(corpus, store, 1)
    row["rebuild"] = rb
    print(f"N={n} unchanged rebuild: {rb['seconds']:.2f} s", flush=True)
    q, triples = query_bench(store, 20 if n <= 100 else 5)
    row["queries"] = q
    row["triples"] = triples
    for k, (a, b, rows) in q.items():
        print(f"N={n} {k}: oxigraph {a:.2f} ms, rdflib {'-' if b is None else f'{b:.2f}'} ms ({rows} rows)", flush=True)
    viz = ROOT / "kg" / "viz.py"
    if viz.exists() and n <= 1000:  # a whole 10,000-document corpus is no page for a browser (see RESULTS.md)
        t0 = time.perf_counter()
        html = work / f"viz_{n}.html"
        res = subprocess.run([sys.executable, "-c", "from cli import main; main()", "viz", "--store", str(store),
                              "-o", str(html)], cwd=ROOT, capture_output=True, text=True)
        row["viz"] = {"seconds": time.perf_counter() - t0, "html_kb": html.stat().st_size / 1024 if html.exists() else None,
                      "exit": res.returncode}
    results[n] = row


def extraction_throughput(corpus: Path) -> dict:
    """Extraction alone (text → records), warmed up, in this process: UTF-8 MB/s on one core,
    with the spaCy mention stage and without it (``kg build --fast``)."""
    from extract.pipeline import extract_file

    files = sorted(corpus.glob("*.txt"))
    size = sum(f.stat().st_size for f in files)
    chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
    extract_file(files[0])  # load spaCy, jieba's dictionary and the vocabularies once
    out = {"bytes": size, "chars": chars}
    for label, mentions in (("full", True), ("fast", False)):
        t0 = time.perf_counter()
        for f in files:
            extract_file(f, mentions=mentions)
        dt = time.perf_counter() - t0
        out[label] = {"seconds": dt, "mb_per_s": size / dt / 1e6, "chars_per_s": chars / dt}
    return out


def profile_extraction(corpus: Path, top: int = 15) -> str:
    import cProfile
    import io
    import pstats

    from extract.pipeline import extract_file

    files = sorted(corpus.glob("*.txt"))[:30]
    extract_file(files[0])  # warm: the profile shows per-document work, not imports
    pr = cProfile.Profile()
    pr.enable()
    for f in files:
        extract_file(f)
    pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def write_results(results: dict, info: dict, profile: str, path: Path, throughput: dict | None = None) -> None:
    L = ["# Benchmark results", "",
         f"Machine: {info['nproc']} cores, {info['cpu']}, {info['memory']} RAM, Python {info['python']}; run {info['date']}.",
         "Corpora: `bench/make_corpus.py --seed 1` (synthetic, ~5 KB/document). Figures from `bench/run_bench.py`.", "",
         "## Build", "",
         "| docs | corpus MB | jobs | seconds | chars/s | chars/s/core | docs/s | peak RSS MB | store MB | triples | unchanged rebuild s (% of full) |",
         "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, r in results.items():
        for j in (1, 2):
            b = r[f"build_j{j}"]
            cps = b["chars"] / b["seconds"]
            L.append(f"| {n} | {r['corpus_mb']:.1f} | {j} | {b['seconds']:.1f} | {cps:,.0f} | {cps / j:,.0f} | "
                     f"{n / b['seconds']:.1f} | {b['maxrss_mb']:.0f} | {r['store_mb']:.0f} | {r['triples']:,} | "
                     + (f"{r['rebuild']['seconds']:.2f} ({100 * r['rebuild']['seconds'] / r['build_j1']['seconds']:.1f} %)" if j == 1 else "") + " |")
    L += ["", "## SPARQL latency (median ms; Oxigraph on disk vs rdflib in-memory Dataset, same quads)", "",
          "| docs | triples | query | Oxigraph ms | rdflib ms | speed-up | rows |", "|---|---|---|---|---|---|---|"]
    for n, r in results.items():
        for k, (a, b, rows) in r["queries"].items():
            if b is None:
                L.append(f"| {n} | {r['triples']:,} | {k} | {a:.2f} | not run (> {RDFLIB_MAX_QUADS:,} quads) | | {rows} |")
            else:
                L.append(f"| {n} | {r['triples']:,} | {k} | {a:.2f} | {b:.1f} | {b / max(a, 1e-6):.0f}× | {rows} |")
    if throughput:
        L += ["", "## Extraction alone (one core, warmed up, text → records)", "",
              "| stage | seconds | MB/s (UTF-8) | chars/s |", "|---|---|---|---|"]
        for label, name in (("full", "with the spaCy mention stage (default)"), ("fast", "without it (`kg build --fast`)")):
            t = throughput[label]
            L.append(f"| {name} | {t['seconds']:.1f} | {t['mb_per_s']:.2f} | {t['chars_per_s']:,.0f} |")
        L.append(f"\nOn the N={min(max(results), 1000)} corpus ({throughput['bytes'] / 1e6:.1f} MB).")
    if any("viz" in r for r in results.values()):
        L += ["", "## kg viz (whole corpus, default view)", "", "| docs | seconds | HTML MB | exit |", "|---|---|---|---|"]
        for n, r in results.items():
            if "viz" in r:
                v = r["viz"]
                L.append(f"| {n} | {v['seconds']:.1f} | {(v['html_kb'] or 0) / 1024:.1f} | {v['exit']} |")
    else:
        L += ["", "`kg viz`: kg/viz.py not present; skipped."]
    L += ["", "## Targets", ""]
    ns = sorted(results)
    r0 = results[ns[0]]
    if throughput:
        full, fast = throughput["full"]["mb_per_s"], throughput["fast"]["mb_per_s"]
        L.append(f"- ≥ 1 MB/s/core extraction: **{'met' if full >= 1 else 'missed'}** ({full:.2f} MB/s with the spaCy "
                 f"stage; {fast:.2f} MB/s with `--fast`).")
    if len(ns) > 1:
        a, b = results[ns[0]]["build_j1"]["seconds"], results[ns[-1]]["build_j1"]["seconds"]
        ratio = b / a
        L.append(f"- 10× docs ≤ 11× time: **{'met' if ratio <= 11 * (ns[-1] / ns[0]) / 10 else 'missed'}** "
                 f"({ns[0]}→{ns[-1]} docs: {ratio:.1f}× time).")
    # the largest size that has the rdflib baseline
    big = results[max(k for k, r in results.items() if r["queries"]["selective lookup by body label"][1] is not None)]
    sel = big["queries"]["selective lookup by body label"]
    L.append(f"- selective lookup < 10 ms and ≥ 20× rdflib: **{'met' if sel[0] < 10 and sel[1] / sel[0] >= 20 else 'missed'}** "
             f"at {big['triples']:,} triples ({sel[0]:.2f} ms vs {sel[1]:.1f} ms, {sel[1] / sel[0]:.0f}×).")
    worst = max(r["rebuild"]["seconds"] / r["build_j1"]["seconds"] for r in results.values())
    L.append(f"- unchanged rebuild < 5 %: **{'met' if worst < 0.05 else 'missed'}** (worst {100 * worst:.1f} %).")
    mem = max(max(r["build_j1"]["maxrss_mb"], r["build_j2"]["maxrss_mb"]) for r in results.values())
    L.append(f"- memory < 2 GB: **{'met' if mem < 2048 else 'missed'}** (peak {mem:.0f} MB).")
    L += ["", "## Profile of extraction (cProfile, 30 documents, warmed up, cumulative)", "", "```", profile.strip()[:6000], "```", ""]
    # a hand-written analysis below the figures survives a rerun
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if "\n## Analysis" in old:
            L += [old[old.index("\n## Analysis") + 1:].rstrip(), ""]
    path.write_text("\n".join(L), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", action="store_true", help="also run N = 10,000")
    ap.add_argument("--sizes", type=int, nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--work", type=Path, default=None)
    a = ap.parse_args()
    sizes = a.sizes or ([100, 1000, 10000] if a.big else [100, 1000])
    sys.path.insert(0, str(HERE))
    work = a.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    info = machine()
    print(json.dumps(info), flush=True)
    results: dict = {}
    for n in sizes:
        bench_size(n, work, results)
    profile = profile_extraction(work / f"corpus_{sizes[0]}")
    throughput = extraction_throughput(work / f"corpus_{min(sizes[-1], 1000)}")
    print(f"extraction: {throughput['full']['mb_per_s']:.2f} MB/s full, {throughput['fast']['mb_per_s']:.2f} MB/s fast", flush=True)
    write_results(results, info, profile, a.out, throughput)
    print(f"wrote {a.out}")
    if a.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

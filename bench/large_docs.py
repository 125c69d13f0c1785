"""Seconds and peak memory of one large document (1, 5 and 10 MB) and of many small files.

    .venv/bin/python bench/large_docs.py                   # 1, 5, 10 MB and 2,000 small files
    .venv/bin/python bench/large_docs.py --sizes 1 5       # some sizes only
    .venv/bin/python bench/large_docs.py --small 0         # no many-small-files case
    .venv/bin/python bench/large_docs.py --sizes 10 --profile build   # cProfile of the build of 10 MB

The documents are made at run time from the bundled corpus (``corpus/*.txt``):
its five documents are concatenated, over and over, until the text is the
size asked for in UTF-8 bytes (10 MB is exactly the limit for one document,
``extract.read.MAX_BYTES``), cut at the last line break before it. Nothing is
renumbered: the repetition (the same clauses, standing assignments and
brackets, again and again) is what a long compilation of documents looks like.

Each measurement runs in a fresh process, which reports its own wall seconds,
CPU seconds (user + system of it and its children; compare them with the wall
seconds to see how much ran side by side) and peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``; the interpreter with spaCy,
jieba and pyoxigraph loaded is the floor). A long document's spaCy mention stage
runs in a forked process (``extract.nlp.start_body_mentions``): its peak RSS is
shown apart, and most of it is pages it shares with the main process (forked
copy-on-write), so the two do not add up to memory in use:

- ``extract``: ``extract.pipeline.extract_file`` alone (records, no RDF);
- ``build``: ``kg.build.build`` of the one file into a new Oxigraph store in a
  temporary directory, what ``kg build FILE --store DIR`` does; the stages are
  timed too (extraction, store writes, derived graphs). Records become triples
  while they are written (``kg.rdf.DocumentGraph`` streams into the bulk loader),
  so ``store_write`` holds the records → triples → Oxigraph time.

The goal of issue 12 is asserted for the document at the size limit (10 MB):
its build within ``--max-seconds`` (30) and ``--max-mb`` (1024 MB peak RSS);
each run says whether it met them, and the script exits 1 if a build of a
document at the limit did not.

The many-small-files case writes ``--small`` tiny files (default 2,000) of a
clause or two each, every one different (so none is skipped as a copy), and times
the build of the directory.

``--profile extract|build`` runs that stage under cProfile in the child and
prints the functions with the most cumulative and own time.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT / "corpus"
MB = 1024 * 1024
LIMIT_BYTES = 10 * MB  # extract.read.MAX_BYTES: the largest document accepted

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
mode, path, store_dir, profile = {mode!r}, {path!r}, {store!r}, {profile!r}
stages = {{}}

def timed(obj, name, key):
    # add the wall time of every call of obj.name to stages[key] (skipped if the name is gone)
    fn = getattr(obj, name, None)
    if fn is None:
        return
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            stages[key] = stages.get(key, 0.0) + time.perf_counter() - t
    setattr(obj, name, wrapper)

def run():
    if mode == "extract":
        from extract.pipeline import extract_file
        doc = extract_file(path)
        return {{"obligations": len(doc.obligations), "owner_links": sum(len(o.owners) for o in doc.obligations),
                 "implicit_links": sum(1 for o in doc.obligations for w in o.owners if w.implicit),
                 "chars": len(doc.text)}}
    import kg.build as kb
    from kg.store import OxigraphStore
    timed(kb, "_extract", "extract")
    timed(kb, "refresh_derived", "derived")
    timed(OxigraphStore, "write_documents", "store_write")
    st = OxigraphStore(store_dir)
    try:
        rep = kb.build([path], st)
    finally:
        st.close()
    if rep.skipped:
        sys.stderr.write("skipped: " + "; ".join(f"{{s.path}}: {{s.reason}}" for s in rep.skipped[:3]) + "\n")
    if not rep.built:
        raise SystemExit("nothing was built")
    return {{"documents": len(rep.built), "skipped": len(rep.skipped), "obligations": rep.obligations,
             "owner_links": rep.owners, "triples": rep.triples, "chars": rep.characters}}

import gc
gc.collect()
t0 = time.perf_counter()
if profile:
    import cProfile, io, pstats
    prof = cProfile.Profile()
    out = prof.runcall(run)
    seconds = time.perf_counter() - t0
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("cumulative").print_stats(35)
    st.sort_stats("tottime").print_stats(25)
    sys.stderr.write(buf.getvalue())
else:
    out = run()
    seconds = time.perf_counter() - t0
ru, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
out["seconds"] = seconds
out["cpu_seconds"] = ru.ru_utime + ru.ru_stime + kids.ru_utime + kids.ru_stime
out["peak_rss_mb"] = ru.ru_maxrss / 1024
out["child_peak_rss_mb"] = kids.ru_maxrss / 1024
out["stages"] = {{k: round(v, 2) for k, v in stages.items()}}
print(json.dumps(out))
"""


def corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8-sig") for p in sorted(CORPUS.glob("*.txt"))]


def large_text(size_bytes: int) -> str:
    """The corpus documents concatenated until ``size_bytes`` of UTF-8, cut at the
    last line break that keeps it within that size."""
    texts = corpus_texts()
    parts, n, i = [], 0, 0
    while n <= size_bytes:
        t = texts[i % len(texts)].rstrip("\n") + "\n\n"
        parts.append(t)
        n += len(t.encode("utf-8"))
        i += 1
    data = "".join(parts).encode("utf-8")[:size_bytes]
    data = data[:data.rfind(b"\n") + 1]
    text = data.decode("utf-8")
    assert len(text.encode("utf-8")) <= size_bytes
    return text


def small_files(directory: Path, count: int) -> int:
    """``count`` different tiny documents (about 600 bytes): a corpus document's
    first line and two of its paragraphs (each cut to 100 characters), with a
    line that makes each one unique."""
    sys.path.insert(0, str(ROOT))
    from extract.read import read_source

    # the paragraphs of each document's clean text (the web pages' clutter removed)
    paras = [[p for p in read_source(f).text.split("\n") if len(p.strip()) >= 12]
             for f in sorted(CORPUS.glob("*.txt"))]
    total = 0
    for i in range(count):
        ps = paras[i % len(paras)]
        k = 2
        at = 1 + (i * 7) % max(1, len(ps) - k)
        body = "\n".join([ps[0][:60], *(p[:100] for p in ps[at:at + k]), f"（本件第{i + 1}号）"]) + "\n"
        data = body.encode("utf-8")
        (directory / f"small_{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def run_child(mode: str, path: Path, profile: bool, timeout: float | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="large_docs_store_") as store:
        code = CHILD.format(root=str(ROOT), mode=mode, path=str(path), store=str(Path(store) / "kg-store"),
                            profile=profile)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                                  cwd=str(ROOT))
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s", "wall": time.perf_counter() - t0}
    if profile and proc.stderr:
        print(proc.stderr, file=sys.stderr)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return {"error": f"exit {proc.returncode}: " + " | ".join(tail)}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def show(label: str, r: dict) -> None:
    if "error" in r:
        print(f"{label:<12} ERROR {r['error']}", flush=True)
        return
    extra = []
    for k in ("documents", "skipped", "obligations", "owner_links", "implicit_links", "triples"):
        if k in r:
            extra.append(f"{k}={r[k]:,}")
    if r.get("stages"):
        extra.append("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items()))
    child = f" (+{r['child_peak_rss_mb']:.0f} MB mention process)" if r.get("child_peak_rss_mb") else ""
    print(f"{label:<12} {r['seconds']:7.1f} s wall {r['cpu_seconds']:7.1f} s CPU {r['peak_rss_mb']:6.0f} MB peak RSS{child}   "
          + "  ".join(extra), flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="*", default=[1, 5, 10], help="document sizes in MB (default 1 5 10)")
    ap.add_argument("--small", type=int, default=2000, help="number of small files (0: skip that case)")
    ap.add_argument("--modes", nargs="*", default=["extract", "build"], choices=["extract", "build"])
    ap.add_argument("--profile", choices=["extract", "build"], help="cProfile this stage (to stderr)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one run (default 1800)")
    ap.add_argument("--max-seconds", type=float, default=30, help="goal: wall seconds to build a 10 MB document (30)")
    ap.add_argument("--max-mb", type=float, default=1024, help="goal: peak RSS in MB to build a 10 MB document (1024)")
    args = ap.parse_args(argv)
    failed = False

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; one process per run, jobs=1, spaCy stage on",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="large_docs_") as tmp:
        tmp = Path(tmp)
        for size in args.sizes:
            n = int(size * MB)
            path = tmp / f"large_{size:g}MB.txt"
            text = large_text(n)
            path.write_text(text, encoding="utf-8")
            print(f"-- {size:g} MB document: {path.stat().st_size:,} bytes, {len(text):,} characters", flush=True)
            for mode in args.modes:
                r = run_child(mode, path, args.profile == mode, args.timeout)
                show(f"   {mode}", r)
                if mode == "build" and n >= LIMIT_BYTES and not args.profile:
                    ok_time = "error" not in r and r["seconds"] <= args.max_seconds
                    ok_mem = "error" not in r and r["peak_rss_mb"] <= args.max_mb
                    print(f"   goal: ≤ {args.max_seconds:g} s {'met' if ok_time else 'NOT met'}, "
                          f"≤ {args.max_mb:g} MB {'met' if ok_mem else 'NOT met'}", flush=True)
                    failed = failed or not (ok_time and ok_mem)
        if args.small:
            d = tmp / "small"
            d.mkdir()
            nbytes = small_files(d, args.small)
            print(f"-- {args.small:,} small files: {nbytes:,} bytes in all", flush=True)
            show("   build", run_child("build", d, args.profile == "build", args.timeout))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

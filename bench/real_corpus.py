"""Extraction on a real corpus without an answer key: robustness, jurisdiction of
national documents, owner names that look like names, and speed on one core.

    python bench/real_corpus.py [DIR]     # default ../shared/realcorpus/mee

Prints: documents read and failed (with the first failures), the share of
documents whose jurisdiction is 国家, the share of owner names that contain a
verb or exceed 15 characters, and characters per second of extraction (with and
without the spaCy mention stage) beside the segmentation alone (jieba-rs).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.pipeline import extract_source  # noqa: E402
from extract.read import ReadError, read_source  # noqa: E402

# verbs that never end up inside a body's name when it is parsed right
VERB_RE = re.compile(r"报送|报告|^经|按照|实施|推进|开展|落实|加强|建立|负责|牵头|配合|会同|组织|指导|监督|督促|制定|完善|提高|做好|印发|要求|审议")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=str(ROOT.parent / "shared" / "realcorpus" / "mee"))
    ap.add_argument("--limit", type=int, default=0, help="read only the first N files")
    args = ap.parse_args(argv)
    files = sorted(p for p in Path(args.dir).iterdir() if p.is_file())
    if args.limit:
        files = files[: args.limit]
    sources, failed = [], []
    for p in files:
        try:
            sources.append(read_source(p))
        except ReadError as e:
            failed.append((p.name, f"unreadable: {e}"))
    chars = sum(len(s.text) for s in sources)
    timings = {}
    docs = []
    for mentions in (False, True):
        t0 = time.perf_counter()
        out = []
        for s in sources:
            try:
                out.append(extract_source(s, mentions=mentions))
            except Exception:  # noqa: BLE001 - a crash is what this counts
                if mentions:
                    failed.append((s.doc_id, traceback.format_exc(limit=-2).strip().splitlines()[-1]))
        timings[mentions] = time.perf_counter() - t0
        docs = out
    import rjieba

    segmenter = rjieba.Jieba()
    t0 = time.perf_counter()
    for s in sources:
        segmenter.cut(s.text)
    t_jieba = time.perf_counter() - t0

    juris = Counter(d.jurisdiction for d in docs)
    names = [(w.body.name, d.doc_id) for d in docs for o in d.obligations for w in o.owners]
    # a bracketed alternative (省(自治区、直辖市)…, 大数据局(数字办)) is an annotation, not length
    bad = [(n, doc) for n, doc in names if VERB_RE.search(n) or len(re.sub(r"\([^()]*\)", "", n)) > 15]
    print(f"documents: {len(files)} read, {len(docs)} extracted, {len(failed)} failed")
    for name, why in failed[:10]:
        print(f"  failed: {name}: {why}")
    print(f"jurisdiction 国家: {juris.get('国家', 0) / max(1, len(docs)):.1%} ({juris.get('国家', 0)}/{len(docs)}); "
          f"others: {', '.join(f'{k}={v}' for k, v in juris.most_common(8) if k != '国家')}")
    print(f"obligations: {sum(len(d.obligations) for d in docs)}; owner links: {len(names)}")
    print(f"owner names with a verb or over 15 characters (brackets not counted): {len(bad) / max(1, len(names)):.2%} ({len(bad)}/{len(names)})")
    for n, c in Counter(n for n, _ in bad).most_common(10):
        print(f"  {n} ×{c}")
    print(f"characters: {chars:,}")
    print(f"extraction, --fast (no spaCy mentions): {chars / timings[False]:,.0f} chars/s")
    print(f"extraction, full: {chars / timings[True]:,.0f} chars/s")
    print(f"segmentation alone (jieba-rs, as the spaCy stage uses it): {chars / t_jieba:,.0f} chars/s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

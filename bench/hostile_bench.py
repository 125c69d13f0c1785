"""Seconds and peak memory of reading each hostile input (tests/test_hostile.py makes them).

    .venv/bin/python bench/hostile_bench.py            # every case
    .venv/bin/python bench/hostile_bench.py html       # cases whose name contains "html"

Each case runs in a fresh process that reads one file with extract.read.read_source:
"seconds" is that call, "py peak" the Python heap high-water mark during it
(tracemalloc), "rss peak" the process's resident high-water mark after it (C
allocations too: libxml2, zlib; the interpreter with lxml, pypdf and
python-docx loaded is the floor, printed first). "result" is the clean text's
length or the one-line reason.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def cases(tmp: Path) -> dict[str, Path]:
    import test_hostile as h

    def file(name: str, data: bytes) -> Path:
        p = tmp / name
        p.write_bytes(data)
        return p

    out: dict[str, Path] = {}
    sample = h.DOC_001.read_text(encoding="utf-8")
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in sample.splitlines()) + "</body></html>"
    out["html: the sample document as a page (baseline)"] = file("sample.html", page.encode("utf-8"))
    out["html: sample page x 40 (1 MB, baseline)"] = file("sample40.html", (page * 40).encode("utf-8"))
    for i, kind in enumerate(sorted(h.HOSTILE_HTML)):
        out[f"html: {kind} ({len(h.HOSTILE_HTML[kind]) // 1000} k chars)"] = file(f"hostile_{i}.html",
                                                                              h.HOSTILE_HTML[kind].encode("utf-8"))
    out["docx: bomb, 2 GB declared"] = file("bomb.docx", h.make_docx_bomb(2048))
    out["docx: bomb, headers declare 1 MB, inflates 2 GB"] = file("liar.docx", h.make_docx_bomb(2048, declared=1 << 20))
    out["docx: 12 MB of text"] = file("long.docx", h.make_docx_long_text(12))
    packed, size = h.bomb_stream(512)
    out["docx: a picture part that inflates 512 MB"] = file("picture.docx", h.docx_from_document_xml(
        h.DOC_HEAD + b"".join(h.w_paragraph(c) for c in h.CLAUSES) + h.DOC_TAIL,
        extra=[("word/media/image1.png", packed, 8, size, 0)]))
    out["txt: GB18030, 9 MB file, 13 MB of text"] = file("long.txt", ("生态环境" * 1_125_000).encode("gb18030"))
    out["txt: NUL, form feeds, escapes in the sample"] = file("ctl.txt", h.utf8_with_controls().encode("utf-8"))
    out["pdf: AES-256, owner password only"] = file("owner.pdf", h.make_encrypted_pdf("", "AES-256"))
    out["pdf: AES-256, user password"] = file("locked.pdf", h.make_encrypted_pdf("user-secret", "AES-256"))
    fifo = tmp / "pipe.txt"
    os.mkfifo(fifo)
    out["fifo: a named pipe with no writer"] = fifo
    out["device: /dev/zero"] = Path("/dev/zero")
    return out


def run_one(path: str) -> dict:
    import resource
    import time
    import tracemalloc

    from extract.read import ReadError, read_source

    # warm up imports (lxml, pypdf, python-docx, OpenCC) outside the measurement
    warm = Path(tempfile.mkdtemp()) / "warm.html"
    warm.write_text("<p>" + "生态环境局负责。" * 3 + "</p>", encoding="utf-8")
    read_source(warm)
    import docx  # noqa: F401
    import pypdf  # noqa: F401

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        result = f"{len(read_source(path).text):,} characters"
    except ReadError as exc:
        result = f"ReadError: {exc}"
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "py_peak": peak, "rss0": rss0 * 1024, "rss": rss1 * 1024, "result": result}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_one(argv[1])))
        return 0
    pattern = argv[0] if argv else ""
    print(f"{'case':58} {'seconds':>8} {'py peak':>9} {'rss peak':>9}  result")
    floor = None
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in cases(Path(tmp)).items():
            if pattern not in name:
                continue
            try:
                proc = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True,
                                      timeout=300, cwd=ROOT)
                r = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else None
            except subprocess.TimeoutExpired:
                r = None
                proc = None
            if r is None:
                why = "timed out after 300 s" if proc is None else (proc.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{name:58} {'-':>8} {'-':>9} {'-':>9}  FAILED: {why}")
                continue
            mb = 1024 * 1024
            if floor is None:
                floor = r["rss0"]
                print(f"{'(floor: the interpreter with the readers loaded)':58} {'':>8} {'':>9} {floor / mb:7.0f}MB")
            print(f"{name:58} {r['seconds']:8.3f} {r['py_peak'] / mb:7.1f}MB {r['rss'] / mb:7.0f}MB  "
                  f"{r['result'][:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

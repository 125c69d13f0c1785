"""Hostile input: every case is made here at test time, read, and must give a
one-line reason (or clean text), never a hang, a crash or gigabytes of memory.

``kg build`` turns each reason into ``skipped: FILE: reason`` with exit code 3
while the other documents still build. bench/hostile_bench.py times the same
cases (it imports the ``make_*`` functions below).
"""
from __future__ import annotations

import io
import os
import random
import shutil
import stat
import struct
import threading
import tracemalloc
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from cli import app
from extract import read
from extract.pipeline import extract_file
from extract.read import ReadError, normalise, read_source
from kg.build import build
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOC_001 = next(CORPUS.glob("001_*.txt"))
DOC_002 = next(CORPUS.glob("002_*.txt"))
ENV = {"COLUMNS": "400"}  # rich wraps at the terminal width; keep each skip on one line

CLAUSES = [
    "某市关于加强生态环境保护的实施方案",
    "一、主要任务",
    "（一）加强大气污染防治。市生态环境局牵头，市公安局配合。",
    "（二）强化水污染治理（责任单位：市水利局、市住房城乡建设局）。",
]
PARAGRAPH = "漳州市生态环境局负责落实排污许可管理制度。"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def one_line(exc: BaseException) -> str:
    msg = str(exc)
    assert msg and "\n" not in msg and len(msg) < 200, msg
    return msg


# --------------------------------------------------------------------------- generators

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
).encode()
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
).encode()
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
DOC_TAIL = b"</w:body></w:document>"


def w_paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, packed bytes, method, declared size, crc) per entry,
    so that declared sizes can be anything the test wants."""
    out = bytearray()
    central = bytearray()
    for name, packed, method, size, crc in entries:
        fname = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(packed), size, len(fname), 0)
        out += fname + packed
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(packed), size,
                               len(fname), 0, 0, 0, 0, 0, offset) + fname
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


def deflated(data: bytes) -> tuple[bytes, int, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), 8, len(data), zlib.crc32(data)


def docx_from_document_xml(document_xml: bytes, extra: list[tuple[str, bytes, int, int, int]] = ()) -> bytes:
    return raw_zip([("[Content_Types].xml", *deflated(CONTENT_TYPES)), ("_rels/.rels", *deflated(PACKAGE_RELS)),
                    ("word/document.xml", *deflated(document_xml)), *extra])


def make_docx(paragraphs: list[str]) -> bytes:
    return docx_from_document_xml(DOC_HEAD + b"".join(w_paragraph(p) for p in paragraphs) + DOC_TAIL)


def bomb_stream(inflated_mb: int) -> tuple[bytes, int]:
    """Raw deflate of a document.xml that inflates to about ``inflated_mb`` MB: a 1 MB block of
    paragraphs compressed once (a full flush makes it independent) and repeated."""
    block = w_paragraph("生态环境") * (1024 * 1024 // len(w_paragraph("生态环境")))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(DOC_HEAD) + c.flush(zlib.Z_FULL_FLUSH)
    piece = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(DOC_TAIL) + c.flush()
    return head + piece * inflated_mb + tail, len(DOC_HEAD) + len(block) * inflated_mb + len(DOC_TAIL)


def make_docx_bomb(inflated_mb: int = 2048, declared: int | None = None) -> bytes:
    """A .docx of a few MB whose document.xml inflates to gigabytes. With ``declared`` the
    zip headers lie about the size (a reader that trusts them is still safe only if it
    stops inflating at the declared size)."""
    packed, size = bomb_stream(inflated_mb)
    return raw_zip([
        ("[Content_Types].xml", *deflated(CONTENT_TYPES)), ("_rels/.rels", *deflated(PACKAGE_RELS)),
        ("word/document.xml", packed, 8, size if declared is None else declared, 0)])


def make_docx_long_text(text_mb: float = 12, seed: int = 1) -> bytes:
    """A .docx of a few MB whose text is over the limit: random common hanzi, so the
    compression ratio is an ordinary one (no zip-bomb alarm), just too much text."""
    rng = random.Random(seed)
    hanzi = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    n_chars = int(text_mb * 1024 * 1024 / 3)
    paras = ["".join(rng.choices(hanzi, k=400)) + "。" for _ in range(n_chars // 400 + 1)]
    return make_docx(paras)


def pdf_bytes(lines: list[str], compress: bool = False) -> bytes:
    """A one-page text PDF (Type0 font, CIDs = Unicode, ToUnicode CMap)."""
    chars = sorted({c for line in lines for c in line if ord(c) < 0x10000})
    bf = [f"{len(chars[i:i + 100])} beginbfchar\n" + "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars[i:i + 100])
          + "\nendbfchar" for i in range(0, len(chars), 100)]
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(bf)
            + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("latin-1")
    ops = ["BT", "/F1 10 Tf", "12 TL", "20 800 Td"]
    ops += ["<" + "".join(f"{ord(c):04X}" for c in line if ord(c) < 0x10000) + "> Tj T*" for line in lines]
    content = "\n".join(ops + ["ET"]).encode("latin-1")
    filt = b""
    if compress:
        content, filt = zlib.compress(content, 9), b" /Filter /FlateDecode"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [6 0 R] "
        b"/ToUnicode 7 0 R >>",
        b"<< /Length %d%s >>\nstream\n" % (len(content), filt) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_encrypted_pdf(user_password: str = "", algorithm: str = "AES-256") -> bytes:
    """The clause PDF encrypted by pypdf's writer: with an owner password only (any viewer
    opens it) or with a user password too (it needs that password to open)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(CLAUSES))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


N_HOSTILE = 200_000
HTML_HEAD = f"<html><head><title>标题</title></head><body><p>{PARAGRAPH}</p>"
HOSTILE_HTML = {
    # the two shapes that took 38 s and 59 s with regular expressions, and their relatives
    "unclosed comment": HTML_HEAD + "<!--" + "-" * N_HOSTILE,
    "unclosed script": HTML_HEAD + "<script>" + "<" * N_HOSTILE,
    "many comment openers": HTML_HEAD + "<!--" * (N_HOSTILE // 4),
    "many script openers": HTML_HEAD + "<script>" * (N_HOSTILE // 8),
    "many unclosed tags": HTML_HEAD + "<a" * (N_HOSTILE // 2),
    "unclosed attribute quotes": HTML_HEAD + '<p a="' * (N_HOSTILE // 6),
    "deep nesting": HTML_HEAD + "<div>" * (N_HOSTILE // 5),
    "long entity-like runs": HTML_HEAD + "<p>&#" + "9" * N_HOSTILE + "&" + "a" * N_HOSTILE,
}


def make_hostile_html(kind: str) -> str:
    return HOSTILE_HTML[kind]


# --------------------------------------------------------------------------- 1. zip bombs

def test_docx_bomb_is_refused_from_its_declared_sizes(tmp_path):
    data = make_docx_bomb(2048)
    assert len(data) < 10 * 1024 * 1024  # a small file …
    p = write(tmp_path / "bomb.docx", data)
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as info:
            read_source(p)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    msg = one_line(info.value)
    assert "zip bomb" in msg and "word/document.xml" in msg and "2048 MB" in msg, msg  # … of 2 GB
    assert peak < 64 * 1024 * 1024, peak  # nothing was inflated


def test_docx_bomb_with_lying_headers_is_not_inflated(tmp_path):
    # declares 1 MB (an ordinary ratio), inflates to 2 GB
    p = write(tmp_path / "liar.docx", make_docx_bomb(2048, declared=1024 * 1024))
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as info:
            read_source(p)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    msg = one_line(info.value)
    assert "zip bomb" in msg and "does not match its zip header (declared 1 MB, bad CRC-32)" in msg, msg
    assert peak < 64 * 1024 * 1024, peak


def test_docx_with_too_many_parts_and_odd_compression(tmp_path):
    many = raw_zip([("[Content_Types].xml", *deflated(CONTENT_TYPES))]
                   + [(f"customXml/item{i}.xml", *deflated(b"<a/>")) for i in range(10_001)])
    with pytest.raises(ReadError, match="10,002 parts"):
        read_source(write(tmp_path / "many.docx", many))
    packed, _, size, crc = deflated(DOC_HEAD + DOC_TAIL)
    odd = raw_zip([("[Content_Types].xml", *deflated(CONTENT_TYPES)), ("word/document.xml", packed, 12, size, crc)])
    with pytest.raises(ReadError, match="compression method 12"):
        read_source(write(tmp_path / "bzip2.docx", odd))


def test_docx_pictures_are_not_inflated_and_text_still_reads(tmp_path):
    # a picture part that would be a bomb is never inflated: the text does not need it
    packed, size = bomb_stream(512)
    data = docx_from_document_xml(DOC_HEAD + b"".join(w_paragraph(c) for c in CLAUSES) + DOC_TAIL,
                                  extra=[("word/media/image1.png", packed, 8, size, 0)])
    src = read_source(write(tmp_path / "plan.docx", data))
    assert src.encoding == "docx"
    assert src.text.splitlines() == CLAUSES


# --------------------------------------------------------------------------- 2. pipes and devices

def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done: list[BaseException] = []
    t = threading.Thread(target=lambda: done.append(pytest.raises(ReadError, read_source, fifo).value), daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # unblock the reader so the test run can end, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO blocked")
    assert "named pipe (FIFO)" in one_line(done[0])


@pytest.mark.parametrize("path,word", [("/dev/zero", "character device"), ("/dev/null", "character device")])
def test_devices_are_refused(path, word):
    if not os.path.exists(path):
        pytest.skip(f"no {path}")
    with pytest.raises(ReadError) as info:
        read_source(path)
    assert word in one_line(info.value)


def test_directory_and_socket_are_refused(tmp_path):
    with pytest.raises(ReadError, match="is a directory"):
        read_source(tmp_path)
    import socket

    sock_path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(sock_path))
        with pytest.raises(ReadError, match="is a socket"):
            read_source(sock_path)


def test_size_cap_is_applied_before_reading(tmp_path, monkeypatch):
    # a sparse 50 MB file: refused from its size, not after reading 50 MB
    p = tmp_path / "sparse.txt"
    with open(p, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(ReadError, match="is 50 MB, over the 10 MB limit"):
        read_source(p)
    assert not reads


def test_fifo_in_a_directory_does_not_block_kg_build(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DOC_001, d / DOC_001.name)
    os.mkfifo(d / "pipe.txt")
    result: list = []
    t = threading.Thread(target=lambda: result.append(build([d], OxigraphStore(tmp_path / "store"))), daemon=True)
    t.start()
    t.join(5)
    blocked = t.is_alive()
    if blocked:  # let the build go on so the thread ends
        os.close(os.open(d / "pipe.txt", os.O_WRONLY | os.O_NONBLOCK))
        t.join(60)
    assert not blocked, "kg build blocked on a FIFO"
    assert [Path(s.path).name for s in result[0].skipped] == ["pipe.txt"]


# --------------------------------------------------------------------------- 3. HTML that backtracks

@pytest.mark.parametrize("kind", sorted(HOSTILE_HTML))
def test_hostile_html_cleans_to_the_text_before_it(kind):
    page = make_hostile_html(kind)
    assert len(page) >= N_HOSTILE
    mt = normalise(page, html_input=True)
    lines = mt.text.splitlines()
    assert lines[0] == PARAGRAPH, lines[:2]
    assert "标题" not in mt.text  # the head is dropped
    start = page.index(PARAGRAPH)
    assert list(mt.origin[:len(PARAGRAPH)]) == list(range(start, start + len(PARAGRAPH)))
    if kind in ("unclosed comment", "unclosed script", "many comment openers", "many script openers",
                "many unclosed tags", "unclosed attribute quotes", "deep nesting"):
        assert mt.text == PARAGRAPH  # what follows is markup, not text
    assert len(mt.origin) == len(mt.text)
    assert all(a <= b for a, b in zip(mt.origin, mt.origin[1:]))


def test_html_offsets_point_at_the_text_not_at_markup_that_repeats_it():
    body = "（一）市生态环境局牵头落实排污许可制度。"
    page = ("<!DOCTYPE html><html><head><title>" + body + "</title><script>var s = '" + body + "';</script></head>"
            "<body><nav>" + body + "</nav><!-- " + body + " -->"
            f'<div class="article"><p title="{body}">' + body + "</p>"
            "<p>A &amp; B&nbsp;&#x4E00;&#19968;</p><table><tr><td>序号</td><td>任务</td></tr></table>"
            "<footer>" + body + "</footer></body></html>")
    mt = normalise(page, html_input=True)
    assert mt.text.splitlines() == [body, "A & B 一一", "序号\t任务"]
    real = page.index(">" + body + "</p>") + 1
    assert mt.span(0, len(body)) == (real, real + len(body))
    for i, c in enumerate(mt.text):  # every character is its own character in the file, or an entity for it
        if c not in "\n\t ":
            assert page[mt.origin[i]] == c or page[mt.origin[i]] == "&", (i, c, page[mt.origin[i]])
    amp = page.index("&amp;")
    assert mt.origin[mt.text.index("&")] == amp


def test_hostile_html_file_through_kg_build(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DOC_001, d / DOC_001.name)
    for i, kind in enumerate(sorted(HOSTILE_HTML)):
        page = HOSTILE_HTML[kind].replace(PARAGRAPH, "\n".join(f"<p>{c}</p>" for c in CLAUSES) + f"<p>{i}</p>")
        write(d / f"hostile_{i}.html", page.encode("utf-8"))
    with OxigraphStore(tmp_path / "store") as st:
        report = build([d], st)
    assert not report.skipped, report.skipped
    assert len(report.built) == len(HOSTILE_HTML) + 1


# --------------------------------------------------------------------------- 4. text over the limit

def test_docx_with_too_much_text_is_refused(tmp_path):
    data = make_docx_long_text(12)
    assert len(data) < 10 * 1024 * 1024
    with pytest.raises(ReadError) as info:
        read_source(write(tmp_path / "long.docx", data))
    msg = one_line(info.value)
    assert "of text" in msg and "over the 10 MB limit for one document" in msg and "zip bomb" not in msg, msg


def test_gbk_text_file_under_10_mb_with_over_10_mb_of_text(tmp_path):
    rng = random.Random(3)
    hanzi = "生态环境保护局市县人民政府牵头负责落实排污许可管理制度"
    text = "".join(rng.choice(hanzi) for _ in range(4_500_000))
    p = write(tmp_path / "long.txt", text.encode("gbk"))
    assert p.stat().st_size < 10 * 1024 * 1024
    with pytest.raises(ReadError) as info:
        read_source(p)
    msg = one_line(info.value)
    assert "MB of text (4,500,000 characters), over the 10 MB limit" in msg, msg


@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "pdf"])
def test_text_limit_holds_for_every_format(tmp_path, monkeypatch, fmt):
    lines = CLAUSES * 400  # about 100 KB of text as UTF-8, under 80 KB in GB18030
    body = "\n".join(lines)
    data = {
        "txt": lambda: body.encode("gb18030"),
        "html": lambda: ("<html><body>" + "".join(f"<p>{x}</p>" for x in lines) + "</body></html>").encode("gb18030"),
        "docx": lambda: make_docx(lines),
        "pdf": lambda: pdf_bytes(lines, compress=True),
    }[fmt]()
    p = write(tmp_path / f"doc.{fmt}", data)
    assert len(read_source(p).text.encode("utf-8")) > 90_000  # under the real limit it reads
    monkeypatch.setattr(read, "MAX_BYTES", max(len(data) + 1, 64 * 1024))
    assert len(data) < read.MAX_BYTES < len(body.encode("utf-8"))  # the file is under the limit, its text over
    with pytest.raises(ReadError) as info:
        read_source(p)
    assert "of text" in one_line(info.value) and "limit for one document" in str(info.value)


# --------------------------------------------------------------------------- 5. control characters

CONTROLLED = ("某市关于加强生态环境\x00保护的实施方案\x0c一、主要任务\r\n（一）加强大气污染防治。市生态\x1b环境局牵头，"
              "市公安局配合。\x0b（二）强化水污染治理（责任单位：市水利局\x7f、市住房城乡建设局）。\x85\x07\x08\ufffe\n")


def test_control_characters_are_normalised_with_the_map_kept():
    mt = normalise(CONTROLLED)
    assert mt.text.splitlines() == [c for c in CLAUSES]
    assert not any(ord(c) < 32 and c not in "\t\n\r" or 0x7F <= ord(c) <= 0x9F or c in "\ufffe\uffff" for c in mt.text)
    for i, c in enumerate(mt.text):
        if c != "\n":
            assert CONTROLLED[mt.origin[i]] == c
    s, e = mt.span(mt.text.index("市生态环境局"), mt.text.index("市生态环境局") + 6)
    assert CONTROLLED[s:e] == "市生态\x1b环境局"


def test_control_characters_in_html():
    page = "<html><body><p>" + CONTROLLED.replace("\n", "</p><p>") + "</p></body></html>"
    mt = normalise(page, html_input=True)
    assert mt.text.splitlines() == CLAUSES
    for i, c in enumerate(mt.text):
        if c != "\n":
            assert page[mt.origin[i]] == c


def test_control_characters_do_not_reach_the_exports(tmp_path):
    d = tmp_path / "in"
    write(d / "ctl.txt", utf8_with_controls().encode("utf-8"))
    runner = CliRunner()
    store = str(tmp_path / "store")
    res = runner.invoke(app, ["build", str(d), "--store", store], env=ENV)
    assert res.exit_code == 0, res.output
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        res = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "--store", store], env=ENV)
        assert res.exit_code == 0, res.output
        ElementTree.parse(out)  # well-formed XML
        assert "生态环境局" in out.read_text(encoding="utf-8")
    res = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "csv"), "--store", store], env=ENV)
    assert res.exit_code == 0, res.output
    for f in (tmp_path / "csv").iterdir():
        text = f.read_text(encoding="utf-8")
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text), f


def utf8_with_controls() -> str:
    """The sample document with NUL, form feeds and escape characters scattered through it."""
    text = DOC_001.read_text(encoding="utf-8")
    rng = random.Random(5)
    out = []
    for i, c in enumerate(text):
        out.append(c)
        if i % 97 == 0:
            out.append(rng.choice(["\x00", "\x0c", "\x1b", "\x01", "\x7f"]))
    return "".join(out)


# --------------------------------------------------------------------------- 6. encrypted PDF

@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_owner_password_only_reads(tmp_path, algorithm):
    p = write(tmp_path / "owner.pdf", make_encrypted_pdf("", algorithm))
    src = read_source(p)
    assert src.encoding == "pdf"
    assert [line for line in src.text.splitlines() if line] == CLAUSES


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_that_needs_a_user_password_gets_a_reason(tmp_path, algorithm):
    p = write(tmp_path / "locked.pdf", make_encrypted_pdf("user-secret", algorithm))
    with pytest.raises(ReadError) as info:
        read_source(p)
    assert "needs a user password" in one_line(info.value) or "user password" in str(info.value)


# --------------------------------------------------------------------------- all of it through kg build

def test_kg_build_skips_each_hostile_file_with_a_reason_and_builds_the_rest(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DOC_001, d / DOC_001.name)
    shutil.copy(DOC_002, d / DOC_002.name)
    write(d / "bomb.docx", make_docx_bomb(2048))
    write(d / "liar.docx", make_docx_bomb(1024, declared=1024 * 1024))
    write(d / "long.docx", make_docx_long_text(12))
    write(d / "locked.pdf", make_encrypted_pdf("user-secret"))
    write(d / "owner_only.pdf", make_encrypted_pdf(""))
    write(d / "ctl.txt", utf8_with_controls().replace("漳州", "漳泉").encode("utf-8"))
    write(d / "comment.html", make_hostile_html("unclosed comment").encode("utf-8"))
    expected = {"bomb.docx": "zip bomb", "liar.docx": "does not match its zip header", "long.docx": "of text",
                "locked.pdf": "user password"}
    res = CliRunner().invoke(app, ["build", str(d), "--store", str(tmp_path / "store")], env=ENV)
    assert res.exit_code == 3, res.output
    assert "Traceback" not in res.output
    skip_lines = [line for line in res.output.splitlines() if line.startswith("skipped: ")]
    assert len(skip_lines) == len(expected), skip_lines
    for name, word in expected.items():
        assert any(line.startswith(f"skipped: {d / name}: ") and word in line for line in skip_lines), (name, skip_lines)
    assert f"documents: 5 built, 0 unchanged, {len(expected)} skipped" in res.output


def test_a_file_that_changes_kind_between_check_and_open(tmp_path, monkeypatch):
    # the check is repeated on the opened file: a regular file swapped for a FIFO is still refused
    p = tmp_path / "swap.txt"
    p.write_text(PARAGRAPH * 3, encoding="utf-8")
    real_open = os.open

    def swapping_open(path, flags, *a):
        if Path(path) == p and p.is_file():
            p.unlink()
            os.mkfifo(p)
        return real_open(path, flags, *a)

    monkeypatch.setattr(os, "open", swapping_open)
    with pytest.raises(ReadError, match="named pipe"):
        read_source(p)
    assert stat.S_ISFIFO(os.stat(p).st_mode)

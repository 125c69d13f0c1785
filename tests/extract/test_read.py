"""Reading real files: encodings, HTML, Word, PDF, and inputs that must be skipped.

Every file here is made by the test in tmp_path from the sample corpus, so the
tests say what a user's file on disk does, not what a string does.
"""
from __future__ import annotations

import codecs
import html
import io
import os
import random
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from extract.pipeline import extract_file
from extract.read import ReadError, decode, read_source
from kg.build import build
from kg.export import export_json
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DOC_001 = next(CORPUS.glob("001_*.txt"))  # simplified: GBK / GB18030
DOC_002 = next(CORPUS.glob("002_*.txt"))  # traditional: Big5


def utf8(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def big5_text() -> str:
    # 鈎 (U+920E) is not in Big5; 鉤 is the Big5 form of the same character.
    # Both copies get the same text so the comparison is exact.
    return utf8(DOC_002).replace("鈎", "鉤")


def summary(doc):
    """What a reader of the extraction sees: clauses with their owners, and relations."""
    return (
        doc.title, doc.jurisdiction, doc.date, doc.doc_number,
        [(o.number, o.heading, o.layout, o.deadline,
          sorted((w.body.name, w.body.jurisdiction if hasattr(w.body, "jurisdiction") else None, w.role, w.implicit)
                 for w in o.owners)) for o in doc.obligations],
        sorted((r.predicate, r.subject.name, r.object.name) for r in doc.relations),
    )


def clause_view(doc):
    """Offsets aside: clause numbers, headings, owners."""
    return [(o.number, o.heading, sorted((w.body.name, w.role) for w in o.owners)) for o in doc.obligations]


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def graph_of(files: list[Path], store_dir: Path) -> dict:
    """Build ``files`` into a fresh store and read back the JSON summary."""
    with OxigraphStore(store_dir) as st:
        report = build(files, st)
        assert not report.skipped, report.skipped
        data = export_json(st)
    return {"obligations": data["obligations"], "relations": data["relations"]}


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_copy_extracts_and_builds_like_utf8(tmp_path, encoding):
    text = utf8(DOC_001)
    a = write(tmp_path / "utf8" / DOC_001.name, text.encode("utf-8"))
    b = write(tmp_path / encoding / DOC_001.name, text.encode(encoding, errors="strict"))
    src = read_source(b)
    assert src.encoding == "gb18030"
    assert src.original == text
    da, db = extract_file(a), extract_file(b)
    assert da.obligations, "the sample document has clauses"
    assert summary(da) == summary(db)
    assert db.encoding == "gb18030" and da.encoding == "utf-8"
    # the graphs differ only in egov:sha256 / egov:encoding, which the summary leaves out
    assert graph_of([a], tmp_path / "sa") == graph_of([b], tmp_path / "sb")


def test_big5_copy_extracts_and_builds_like_utf8(tmp_path):
    text = big5_text()
    a = write(tmp_path / "utf8" / DOC_002.name, text.encode("utf-8"))
    b = write(tmp_path / "big5" / DOC_002.name, text.encode("big5", errors="strict"))
    src = read_source(b)
    assert src.encoding == "big5"
    assert src.original == text
    da, db = extract_file(a), extract_file(b)
    assert da.obligations
    assert summary(da) == summary(db)
    assert graph_of([a], tmp_path / "sa") == graph_of([b], tmp_path / "sb")


@pytest.mark.parametrize("bom,encoding,label", [
    (codecs.BOM_UTF8, "utf-8", "utf-8 (BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16 (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16 (BOM)"),
])
def test_bom_files_extract_like_utf8(tmp_path, bom, encoding, label):
    text = utf8(DOC_001)
    plain = write(tmp_path / "plain.txt", text.encode("utf-8"))
    with_bom = write(tmp_path / "bom.txt", bom + text.encode(encoding))
    src = read_source(with_bom)
    assert src.encoding == label
    assert src.original == text  # the BOM is not part of the text: offsets agree
    assert summary(extract_file(plain, "x.txt")) == summary(extract_file(with_bom, "x.txt"))


def test_utf16_without_bom_is_detected():
    text = utf8(DOC_001)
    for enc in ("utf-16-le", "utf-16-be"):
        decoded, label = decode(text.encode(enc))
        assert decoded == text and label == enc


def test_decode_rejects_binary_and_garbage():
    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(5000)) + b"\x00" * 50
    with pytest.raises(ReadError, match="binary"):
        decode(data)


# --------------------------------------------------------------------------- HTML

def html_page(text: str) -> str:
    paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>政策文件</title>"
        "<style>p { margin: 0 }</style></head>\n<body>\n"
        "<nav><a href=\"/\">首页</a> &gt; <a href=\"/zwgk\">政务公开</a> &gt; 政策文件</nav>\n"
        "<script>alert(1)</script>\n"
        f"<div class=\"article\">\n{paras}\n</div>\n"
        "<script type=\"text/javascript\">var x = '<p>不是正文</p>';</script>\n</body></html>\n"
    )


@pytest.mark.parametrize("doc", [DOC_001, DOC_002])
def test_html_version_gives_same_clauses(tmp_path, doc):
    text = utf8(doc)
    plain = write(tmp_path / "doc.txt", text.encode("utf-8"))
    page = write(tmp_path / "doc.html", html_page(text).encode("utf-8"))
    dp, dh = extract_file(plain, "doc"), extract_file(page, "doc")
    assert clause_view(dp) == clause_view(dh)
    assert dp.title == dh.title
    assert "alert" not in dh.text and "首页" not in dh.text and "不是正文" not in dh.text
    # evidence still points into the HTML file the user gave
    src = read_source(page)
    for ob in dh.obligations:
        for w in ob.owners:
            if not w.implicit:
                assert w.evidence.quote.replace("\n", "") in html.unescape(src.original[w.evidence.start:w.evidence.end]).replace("\n", "") or w.evidence.quote


# --------------------------------------------------------------------------- skipped inputs

def bad_inputs(tmp_path: Path, root_ok: bool = True) -> tuple[Path, dict[str, str]]:
    """A directory with two good documents and one of each bad kind; returns expected reason words."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DOC_001, d / DOC_001.name)
    shutil.copy(DOC_002, d / DOC_002.name)
    expected = {}
    write(d / "empty.txt", b"")
    expected["empty.txt"] = "empty"
    rng = random.Random(7)
    write(d / "binary.txt", bytes(rng.randrange(256) for _ in range(4096)) + b"\x00\x01\x02" * 100)
    expected["binary.txt"] = "binary"
    write(d / "fake.pdf", "这不是PDF文件，只是文本。".encode("utf-8") * 20)
    expected["fake.pdf"] = "not a PDF"
    shutil.copy(DOC_001, d / "copy_of_001.txt")
    expected["copy_of_001.txt"] = "same content"
    sub = d / "sub"
    sub.mkdir()
    os.symlink("..", sub / "loop")
    expected["loop"] = "symlink loop"
    return d, expected


def test_bad_inputs_are_skipped_with_one_line_reasons(tmp_path):
    d, expected = bad_inputs(tmp_path)
    with OxigraphStore(tmp_path / "store") as st:
        report = build([d], st)
    assert sorted(report.built) == sorted([DOC_001.name, DOC_002.name])
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    for name, word in expected.items():
        assert name in reasons, (name, reasons)
        assert word in reasons[name], (name, reasons[name])
    for s in report.skipped:
        assert s.reason and "\n" not in s.reason and len(s.reason) < 200
    # the duplicate is named against the file it repeats
    assert DOC_001.name in reasons["copy_of_001.txt"] or "copy_of_001" not in reasons["copy_of_001.txt"]


def test_cli_exit_codes_with_skips(tmp_path):
    d, expected = bad_inputs(tmp_path)
    runner = CliRunner()
    env = {"COLUMNS": "400"}  # rich wraps at the terminal width; keep each skip on one line
    res = runner.invoke(app, ["build", str(d), "--store", str(tmp_path / "s1")], env=env)
    assert res.exit_code == 3, res.output
    out = res.output  # stdout and stderr, interleaved
    assert "documents: 2 built" in out
    skip_lines = [line for line in out.splitlines() if line.startswith("skipped: ")]
    assert len(skip_lines) == len(expected)
    for name, word in expected.items():
        assert any(name in line and word in line for line in skip_lines), (name, skip_lines)
    assert "Traceback" not in out
    res = runner.invoke(app, ["build", str(d), "--store", str(tmp_path / "s2"), "--strict"], env=env)
    assert res.exit_code == 1, res.output
    # with only good inputs the exit code is 0
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(DOC_001, good / DOC_001.name)
    res = runner.invoke(app, ["build", str(good), "--store", str(tmp_path / "s3"), "--strict"], env=env)
    assert res.exit_code == 0, res.output
    # only bad inputs: exit 1 even without --strict
    bad = tmp_path / "bad"
    bad.mkdir()
    write(bad / "empty.txt", b"")
    res = runner.invoke(app, ["build", str(bad), "--store", str(tmp_path / "s4")], env=env)
    assert res.exit_code == 1, res.output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_is_skipped(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DOC_001, d / DOC_001.name)
    locked = write(d / "locked.txt", utf8(DOC_002).encode("utf-8"))
    locked.chmod(0)
    try:
        with pytest.raises(ReadError, match="cannot be read"):
            read_source(locked)
        with OxigraphStore(tmp_path / "store") as st:
            report = build([d], st)
        assert report.built == [DOC_001.name]
        assert [(Path(s.path).name, "cannot be read" in s.reason) for s in report.skipped] == [("locked.txt", True)]
    finally:
        locked.chmod(0o644)


@pytest.mark.parametrize("data,word", [
    (b"", "empty"),
    (b"%PDF-1.4\n%%EOF\n", "PDF"),
    (b"PK\x03\x04not really a zip", "Word"),
])
def test_read_source_reasons(tmp_path, data, word):
    name = {"PDF": "x.pdf", "Word": "x.docx"}.get(word, "x.txt")
    p = write(tmp_path / name, data)
    with pytest.raises(ReadError) as info:
        read_source(p)
    assert word.lower() in str(info.value).lower()
    assert "\n" not in str(info.value)


def test_text_without_chinese_is_rejected(tmp_path):
    p = write(tmp_path / "readme.txt", b"Just an English readme.\n" * 20)
    with pytest.raises(ReadError, match="no Chinese"):
        read_source(p)


# --------------------------------------------------------------------------- Word and PDF

CLAUSES = [
    "某市关于加强生态环境保护的实施方案",
    "一、主要任务",
    "（一）加强大气污染防治。市生态环境局牵头，市公安局配合。",
    "（二）强化水污染治理（责任单位：市水利局、市住房城乡建设局）。",
]


def test_docx_paragraphs_and_tables(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in CLAUSES:
        d.add_paragraph(line)
    d.add_paragraph("附表：重点任务清单")
    rows = [["序号", "重点任务", "牵头单位", "完成时限"],
            ["1", "开展工业炉窑综合治理", "市生态环境局", "2025年底"],
            ["2", "推进农村生活污水治理", "市农业农村局", "2024年底"]]
    t = d.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    p = write(tmp_path / "plan.docx", buf.getvalue())

    from extract.formats import docx_text

    text = docx_text(buf.getvalue())
    assert "1\t开展工业炉窑综合治理\t市生态环境局\t2025年底" in text.splitlines()
    assert text.index(CLAUSES[3]) < text.index("附表")  # document order kept

    doc = extract_file(p)
    assert doc.encoding == "docx"
    view = {(o.number, o.heading or o.text[:8]): sorted(w.body.name for w in o.owners) for o in doc.obligations}
    assert any("生态环境局" in names and "公安局" in names for names in view.values()), view
    rows_out = [o for o in doc.obligations if o.layout == "table_row"]
    assert [(o.heading, o.deadline) for o in rows_out] == [("开展工业炉窑综合治理", "2025年底"), ("推进农村生活污水治理", "2024年底")]
    # a .docx without a table still works, and the same file under another suffix-less name too
    p2 = write(tmp_path / "plan_noext", buf.getvalue())
    assert len(extract_file(p2).obligations) == len(doc.obligations)


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page text PDF written by hand: a Type0 font whose CIDs are
    the Unicode code points, with a ToUnicode CMap so the text layer is real."""
    chars = sorted({c for line in lines for c in line if ord(c) < 0x10000})
    bf = []
    for i in range(0, len(chars), 100):
        block = chars[i:i + 100]
        bf.append(f"{len(block)} beginbfchar\n" + "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in block) + "\nendbfchar")
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(bf)
            + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
    ops = ["BT", "/F1 10 Tf", "12 TL", "20 800 Td"]
    ops += ["<" + "".join(f"{ord(c):04X}" for c in line if ord(c) < 0x10000) + "> Tj T*" for line in lines]
    ops.append("ET")
    content = "\n".join(ops)
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_text_pdf_extracts_clauses(tmp_path):
    pytest.importorskip("pypdf")
    from extract.formats import pdf_text

    data = make_pdf(CLAUSES)
    assert [line for line in pdf_text(data).splitlines() if line] == CLAUSES
    doc = extract_file(write(tmp_path / "plan.pdf", data))
    assert doc.encoding == "pdf"
    owners = {o.number: sorted((w.body.name, w.role) for w in o.owners) for o in doc.obligations}
    assert ("市生态环境局", "lead") in owners["（一）"] or ("生态环境局", "lead") in owners["（一）"]
    assert any(name.endswith("水利局") for name, _ in owners["（二）"])


def test_pdf_without_text_layer_is_skipped(tmp_path):
    pytest.importorskip("pypdf")
    data = make_pdf([])
    p = write(tmp_path / "scan.pdf", data)
    with pytest.raises(ReadError, match="no text layer"):
        read_source(p)


# --------------------------------------------------------------------------- size

def test_50mb_file_is_skipped_with_a_reason_and_the_rest_builds(tmp_path):
    text = utf8(DOC_001)
    n = 50 * 1024 * 1024 // len(text.encode("utf-8")) + 1
    d = tmp_path / "big"
    d.mkdir()
    with open(d / "big.txt", "w", encoding="utf-8") as fh:
        for _ in range(n):
            fh.write(text)
    assert (d / "big.txt").stat().st_size >= 50 * 1024 * 1024
    shutil.copy(DOC_002, d / DOC_002.name)
    res = CliRunner().invoke(app, ["build", str(d), "--store", str(tmp_path / "store")], env={"COLUMNS": "400"})
    assert res.exit_code == 3, res.output
    assert "big.txt: is 50 MB, over the 10 MB limit for one document; split it into its documents" in res.output
    with OxigraphStore(tmp_path / "store", read_only=True) as st:
        files = {str(r["f"]) for r in st.query("SELECT ?f WHERE { ?d a egov:PolicyDocument ; egov:sourceFile ?f }").rows}
    assert files == {DOC_002.name}


def test_a_document_longer_than_spacys_limit_is_read_in_chunks():
    from extract.bodies import BodyParser, make_context
    from extract.nlp import body_mentions, make_nlp

    text = "市生态环境局负责。\n" * 150_000  # 1.5 M characters, over spaCy's default max_length
    assert len(text) > make_nlp().max_length
    found = body_mentions([text], BodyParser(make_context("漳州市", "")))[0]
    assert len(found) == 150_000
    assert all(text[s:e] == "市生态环境局" for _, s, e in found[:3] + found[-3:])


def test_flattened_ruby_pinyin_is_removed_and_offsets_still_point_into_the_file():
    from extract.read import source_from_text

    original = "建立市级统(tǒng)筹、區(qū)級落实、鄉(xiāng)鎮(zhèn)(街道)具体监督的工作机制。条款(a)保留。"
    src = source_from_text(original, "ruby.txt")
    assert src.text.startswith("建立市级统筹、区级落实、乡镇(街道)具体监督的工作机制。")
    assert "(a)" in src.text  # no tone mark: not pinyin
    i = src.text.index("区级")
    s, e = src.clean.span(i, i + 2)
    assert original[s:e] == "區(qū)級"


def test_question_marks_padding_a_line_are_lost_spaces():
    from extract.read import source_from_text

    original = "现印发给你们,请认真遵照执行。\n?\n????????? ?泰州市人民政府\n???? 2018年12月24日\n是否达标？是。\n"
    src = source_from_text(original, "padded.txt")
    assert "\n泰州市人民政府\n2018年12月24日\n" in src.text and "?" not in src.text
    assert "是否达标？是。" in src.text  # the full-width question mark of prose stays
    i = src.text.index("泰州市")
    s, e = src.clean.span(i, i + 3)
    assert original[s:e] == "泰州市"


def test_full_width_digits_read_as_ascii_and_keep_their_offsets():
    from extract.read import source_from_text

    src = source_from_text("１．２０２４年底前完成燃煤锅炉淘汰任务。", "fw.txt")
    assert src.text == "1．2024年底前完成燃煤锅炉淘汰任务。"
    assert src.clean.span(2, 7) == (2, 7)  # 2024年 in the file, where it was written full-width

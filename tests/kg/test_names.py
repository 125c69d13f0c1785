"""File names and texts that are hostile to IRIs and to line-based output.

Real builds into real stores: a 文号 or file name with ``[``, names that differ
only by space/underscore, case, full-width form or punctuation, the same name
in two directories, a name with a newline, a name that is not UTF-8.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from kg.build import build
from kg.rdf import graph_iri
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
KG = [sys.executable, "-c", "from cli import main; main()"]
runner = CliRunner()

PLAN = """某市人民政府关于印发某市大气污染防治实施方案的通知
某政发{o}2019{c}12号
各县（区）人民政府，市直各部门：
为贯彻落实《关于推进大气污染防治工作的指导意见》（环发{o}2018{c}5号），结合我市实际，制定本方案。
一、重点任务
（一）落实排污许可制度。加强固定污染源监管。（责任单位：市生态环境局）
（二）推进环境信息公开{n}。（牵头单位：市生态环境局；配合单位：市发展改革委）
某市人民政府
2019年3月1日
"""


def plan(n: str, brackets: str = "〔〕") -> str:
    """A small valid plan; ``n`` makes its content (and hash) differ; its own
    and its cited document numbers are written with ``brackets``."""
    return PLAN.format(n=n, o=brackets[0], c=brackets[1])


def documents(store_path: Path) -> dict[str, str]:
    """sourceFile → graph of every complete document."""
    with OxigraphStore(store_path, read_only=True) as st:
        r = st.query("SELECT ?f ?g WHERE { GRAPH ?g { ?d a egov:PolicyDocument ; egov:sourceFile ?f } }")
        return {str(row["f"]): str(row["g"]) for row in r.rows}


def test_brackets_in_a_file_name_and_in_document_numbers_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a[1].txt").write_text(plan("一", "[]"), encoding="utf-8")
    (docs / "ok.txt").write_text(plan("二", "[]"), encoding="utf-8")
    store = tmp_path / "st"
    r = runner.invoke(app, ["build", str(docs), "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert "documents: 2 built, 0 unchanged, 0 skipped" in r.output
    got = documents(store)
    assert set(got) == {"a[1].txt", "ok.txt"}
    assert got["a[1].txt"] == str(graph_iri("a[1].txt"))
    with OxigraphStore(store, read_only=True) as st:
        nums = {str(row["n"]) for row in st.query(
            "SELECT ?n WHERE { ?c a egov:CitedDocument ; dcterms:identifier ?n }").rows}
        assert "环发[2018]5号" in nums
        own = {str(row["n"]) for row in st.query(
            "SELECT ?n WHERE { ?d a egov:PolicyDocument ; dcterms:identifier ?n }").rows}
        assert own == {"某政发[2019]12号"}
    # it can be removed by the name it was built under, then it is gone
    r = runner.invoke(app, ["remove", "a[1].txt", "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert set(documents(store)) == {"ok.txt"}
    # and the graph is still valid against the shapes
    r = runner.invoke(app, ["validate", "--store", str(store)])
    assert r.exit_code == 0, r.output[-2000:]


NEAR_NAMES = ["a b.txt", "a_b.txt", "A_b.txt", "A_B.txt", "ａ_b.txt", "a＿b.txt", "a-b.txt", "a.b.txt", "a,b.txt",
              "a;b.txt", "a(b).txt", "a（b）.txt", "a%20b.txt", "a　b.txt", "a#b.txt", "a?b.txt"]


def test_names_that_differ_only_slightly_are_different_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, name in enumerate(NEAR_NAMES):
        (docs / name).write_text(plan(str(i)), encoding="utf-8")
    if len(os.listdir(docs)) != len(NEAR_NAMES):
        pytest.skip("this file system folds case or width in names")
    store = tmp_path / "st"
    r = runner.invoke(app, ["build", str(docs), "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert f"documents: {len(NEAR_NAMES)} built" in r.output
    got = documents(store)
    assert set(got) == set(NEAR_NAMES)
    assert len(set(got.values())) == len(NEAR_NAMES)  # one graph each: nothing merged
    with OxigraphStore(store, read_only=True) as st:
        for name in NEAR_NAMES:
            n = st.query(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH <{graph_iri(name)}> {{ ?d a egov:PolicyDocument }} }}")
            assert int(n.rows[0]["n"]) == 1, name
    # stable: the same files again are all unchanged, under the same graphs
    again = runner.invoke(app, ["build", str(docs), "--store", str(store)])
    assert f"0 built, {len(NEAR_NAMES)} unchanged" in again.output
    assert documents(store) == got


def test_same_name_in_different_directories(tmp_path):
    root = tmp_path / "docs"
    paths = [root / "d1" / "x.txt", root / "d2" / "x.txt", root / "e" / "d1" / "x.txt"]
    for i, p in enumerate(paths):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(plan(f"第{i}"), encoding="utf-8")
    one, two = tmp_path / "st1", tmp_path / "st2"
    with OxigraphStore(one) as st:
        report = build([root / "d1", root / "d2", root / "e"], st)
        assert len(report.built) == 3 and not report.skipped
    with OxigraphStore(two) as st:
        build([root / "e", root / "d2", root / "d1"], st)  # other order, same identities
    a, b = documents(one), documents(two)
    assert len(a) == 3 and len(set(a.values())) == 3
    assert a == b
    assert "d2/x.txt" in a and "e/d1/x.txt" in a


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


def test_a_newline_in_a_file_name_cannot_forge_output_lines(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "x.txt\nskipped: forged.txt: is empty\ny.txt").write_bytes(b"")
    (docs / "fine\nname.txt").write_text(plan("三"), encoding="utf-8")
    res = subprocess.run(KG + ["build", str(docs), "--store", str(tmp_path / "st")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 3, res.stderr
    err = _lines(res.stderr)
    assert not any(line.startswith("skipped: forged.txt") for line in err), err
    skipped = [line for line in err if line.startswith("skipped: ")]
    assert len(skipped) == 1
    assert skipped[0].endswith(": is empty") and "\\n" in skipped[0]
    assert "documents: 1 built, 0 unchanged, 1 skipped" in res.stdout
    assert "Traceback" not in res.stderr
    r = subprocess.run(KG + ["remove", "fine\nname.txt", "--store", str(tmp_path / "st")], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert _lines(r.stdout) == ["removed 'fine\\nname.txt'"]


def test_plain_names_are_shown_as_they_are(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")
    (docs / "ok.txt").write_text(plan("四"), encoding="utf-8")
    r = runner.invoke(app, ["build", str(docs), "--store", str(tmp_path / "st")])
    assert r.exit_code == 3
    assert f"skipped: {docs / 'empty.txt'}: is empty" in r.output


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_a_document_that_cannot_be_stored_is_skipped_not_fatal(tmp_path):
    """A name that is not UTF-8 cannot be an RDF literal: that file is skipped
    with one line, the others are built, exit 3."""
    docs = tmp_path / "docs"
    docs.mkdir()
    bad = os.fsencode(docs) + b"/bad\xff.txt"
    with open(bad, "wb") as fh:
        fh.write(plan("五").encode("utf-8"))
    (docs / "good.txt").write_text(plan("六"), encoding="utf-8")
    res = subprocess.run(KG + ["build", str(docs), "--store", str(tmp_path / "st")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, errors="surrogateescape")
    assert res.returncode == 3, res.stderr
    err = _lines(res.stderr)
    assert len(err) == 1 and err[0].startswith("skipped: ") and "bad" in err[0], err
    assert "documents: 1 built, 0 unchanged, 1 skipped" in res.stdout
    assert set(documents(tmp_path / "st")) == {"good.txt"}

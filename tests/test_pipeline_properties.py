"""Property test of the whole pipeline: random text, random brackets and random
file names go through build → export → validate without an exception, and the
graph conforms to the SHACL shapes.

Every example builds a fresh Oxigraph store in a temporary directory with the
library API (as ``kg build``), exports it (``kg export --format json`` and
N-Quads) and validates it as ``kg validate`` does.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=25, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- text ------------------------------------------------------------------------

HANZI = ("市县省区州人民政府党委生态环境局厅部委员会水利公安财政自然资源牵头配合负责单位责任落实加强推进建立健全"
         "监管制度排污许可河长制年月日底前第一二三四五六七八九十章节条附表環保護態員會廳這為")
BRACKETS = "〔〕【】[]（）()<>《》「」“”"
OUTLINE = ["一、", "二、", "十、", "（一）", "（二）", "（三）", "(一)", "1.", "2.", "3．", "1、", "（1）", "①",
           "第一章", "第二章", "第一条", "第二条", "第一节", "附件", "附表"]
PHRASES = [
    "市生态环境局牵头，市公安局配合。", "（责任单位：县水利局、县财政局）", "〔牵头单位：州发改委〕", "【责任单位：各县市人民政府】",
    "（州生态环境局负责）", "（各县（区）人民政府，市财政局按职责分工负责）", "以下均需各县（区）人民政府落实，不再列出。",
    "列第一位者为牵头部门", "各区县人民政府要", "负总责", "会同市自然资源局", "配合省生态环境厅", "向市政府报告",
    "加强对排污单位的监管", "督促企业落实", "党委领导、政府主导、企业主体、社会组织和公众共同参与",
    "到2025年底", "2024年6月前", "排污许可", "三线一单", "12369", "绿色金融", "环发[2018]5号", "环发〔2020〕12号",
    "《关于构建现代环境治理体系的指导意见》", "贯彻落实《中华人民共和国环境保护法》", "序号\t任务\t牵头单位\t配合单位\n",
    "1\t加强监管\t市生态环境局\t市公安局\n", "某某市人民政府办公室\n2023年5月1日\n", "漳州市", "伊犁哈萨克自治州", "国务院",
    "<p>", "</p>", "&amp;", "&#12345;", "<script>x</script>", "\f", "\x00", "\u200b", "\ufeff",
]
SPACE = ["\n", "\n\n", "\t", " ", "\u3000", "\r\n", "\u00a0"]
PUNCT = list("、，。；：！？—…·")

piece = st.one_of(
    st.sampled_from(OUTLINE),
    st.sampled_from(PHRASES),
    st.sampled_from(SPACE),
    st.sampled_from(PUNCT),
    st.sampled_from(list(BRACKETS)),  # unbalanced brackets on their own
    st.tuples(st.sampled_from(["〔〕", "【】", "[]", "（）", "()", "<>", "《》"]),
              st.text(alphabet=HANZI + "、，：:0123456789", max_size=20)).map(lambda t: t[0][0] + t[1] + t[0][1]),
    st.text(alphabet=HANZI, min_size=1, max_size=30),
    st.text(max_size=10),  # anything at all
)
title = st.tuples(st.sampled_from(["漳州市", "伊犁哈萨克自治州", "江西省", "国务院办公厅", "某县", ""]),
                  st.sampled_from(["关于构建现代环境治理体系的实施方案", "生态环境保护责任清单", "工作要点", "通知", ""])
                  ).map(lambda t: "".join(t) + "\n")
# a clause: an outline marker (in or out of sequence), then text, brackets and phrases, then a line break
clause = st.tuples(st.sampled_from(OUTLINE), st.lists(st.one_of(st.sampled_from(PHRASES), piece), min_size=1, max_size=8)
                   .map("".join)).map(lambda t: t[0] + t[1] + "\n")
structured = st.tuples(title, st.lists(clause, max_size=10).map("".join)).map("".join)
policy_text = st.one_of(
    structured,
    structured,
    st.tuples(title, st.lists(piece, max_size=40).map("".join)).map("".join),
    st.lists(st.sampled_from(list(HANZI + BRACKETS) + PUNCT + SPACE + OUTLINE), max_size=150).map("".join),
)

# --- file names ------------------------------------------------------------------

NAME_CHARS = st.one_of(
    st.sampled_from(list("abcXYZ019_-.,'&$#%+=@~ ") + list(BRACKETS) + list("　＿－（）［］ＡＢＣ１２３")
                    + ["é", "ß", "Ω", "ж", "ا", "😀", "\u200b", "\u0301", "\n", "\t", "%20", "?", "*", "\\"]),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    st.sampled_from(list(HANZI)),
)


def _valid_name(name: str) -> bool:
    return name not in ("", ".", "..") and "/" not in name and "\x00" not in name \
        and len(name.encode("utf-8")) <= 200


file_name = st.tuples(st.lists(NAME_CHARS, min_size=1, max_size=24).map("".join),
                      st.sampled_from([".txt", ".TXT", ".txt", ".html"])
                      ).map("".join).filter(_valid_name)

documents = st.lists(st.tuples(file_name, policy_text), min_size=1, max_size=3, unique_by=lambda t: t[0])


def _as_html(text: str) -> str:
    return "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body></html>"


# --- the property ------------------------------------------------------------------


@SETTINGS
@given(documents, st.booleans())
def test_build_export_validate(docs, nested):
    from kg.build import build
    from kg.export import as_dataset, export_json, export_rdf
    from kg.store import open_store
    from kg.validate import format_report, validate

    with tempfile.TemporaryDirectory(prefix="prop_") as tmp:
        corpus = Path(tmp) / "corpus [文件]（一）"
        written = []
        for i, (name, text) in enumerate(docs):
            folder = corpus / (f"子目录 {i}【{i}】" if nested and i % 2 else "")
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            if name.startswith(".") or path.exists():  # hidden files are not walked; a case-folding file system
                continue
            data = _as_html(text) if name.endswith(".html") else text
            try:
                path.write_bytes(data.encode("utf-8", "surrogatepass"))
            except OSError:  # a name this file system refuses is no input
                continue
            written.append(path)
        if not written:
            return
        store_path = Path(tmp) / "kg store（测试）"
        store = open_store(store_path, read_only=False)
        try:
            report = build([corpus], store)
            accounted = len(report.built) + len(report.unchanged) + len(report.skipped)
            assert accounted == len(written), (report, written)
            for s in report.skipped:
                assert s.reason and "\n" not in s.reason
                assert "could not be extracted" not in s.reason, s
                assert "cannot be turned into RDF" not in s.reason, s
                assert "cannot be stored" not in s.reason, s

            exported = export_json(store)
            json.dumps(exported, ensure_ascii=False)
            assert sorted(d["doc"] for d in exported["documents"]) == sorted(report.built)
            assert sum(1 for _ in exported["obligations"]) == report.obligations
            for ob in exported["obligations"]:
                assert 0 <= ob["start"] <= ob["end"]
                for ow in ob["owners"]:
                    assert ow["name"] and ow["role"] in ("lead", "support", "responsible")
            assert export_rdf(store, "nq")

            ds = as_dataset(store)
        finally:
            store.close()
    result = validate(ds)
    assert result.conforms, format_report(result, limit=10)


def test_strategies_make_varied_names():
    """The name strategy reaches the cases that matter: brackets, spaces, full-width, non-ASCII."""
    from hypothesis import find

    for cond in (lambda n: any(c in n for c in "〔【[（<《"), lambda n: " " in n, lambda n: "　" in n or "（" in n,
                 lambda n: any(ord(c) > 0x2000 for c in n)):
        assert find(file_name, cond, settings=settings(max_examples=2000, database=None))
    assert os.sep == "/"

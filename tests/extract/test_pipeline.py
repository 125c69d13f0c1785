"""The whole extraction on a small county plan written for the tests (a place in
no list, a transmittal notice, a signature, brackets, a directive, a reporting line)."""
from pathlib import Path

import pytest

from extract.pipeline import extract_file

FIXTURE = Path(__file__).parent / "fixtures" / "county_plan.txt"


@pytest.fixture(scope="module")
def doc():
    return extract_file(FIXTURE)


def test_metadata(doc):
    assert doc.title == "石门县农村生活污水治理三年行动实施方案"
    assert doc.kind == "实施方案"
    assert doc.jurisdiction == "石门县"
    assert doc.doc_number == "石政办发〔2023〕12号"
    assert doc.date == "2023-03-15"
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [("石门县", "人民政府办公室")]  # the signer, not the approver
    assert [(c.title, c.number, c.implements) for c in doc.cites] == [
        ("湖南省农村生活污水治理三年行动方案", "湘政办发〔2022〕8号", True)]


def test_owners_roles_and_deadlines(doc):
    by_heading = {o.heading: o for o in doc.obligations}
    plan = by_heading["科学编制治理规划"]
    assert [(w.body.name, w.role) for w in plan.owners] == [("生态环境局", "lead"), ("住建局", "support"), ("农业农村局", "support")]
    assert plan.deadline == "2023年底前"
    upkeep = by_heading["加强设施运行维护"]
    assert {(w.body.name, w.role) for w in upkeep.owners} == {
        ("生态环境局", "responsible"), ("财政局", "responsible"), ("乡镇人民政府", "responsible")}
    assert "排污许可" in {i.concept for i in upkeep.instruments}
    # "成立县…领导小组" is an action, not a body of a place called 成立县
    lead = by_heading["加强组织领导"]
    assert [(w.body.jurisdiction, w.body.name) for w in lead.owners] == [("石门县", "乡镇人民政府")]


def test_reporting_line_and_evidence(doc):
    reports = {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "reportsTo"}
    assert ("乡镇人民政府", "人民政府") in reports
    original = FIXTURE.read_text(encoding="utf-8")
    for o in doc.obligations:
        assert original[o.start:o.end].startswith(o.text[:10])
        for w in o.owners:
            assert original[w.evidence.start:w.evidence.end] == w.evidence.quote


@pytest.mark.parametrize("header, date", [
    # the issuer's own page: its stamp is the only date there is
    ("时间: 2020-12-28 13:41 来源: 长春市生态环境局\n", "2020-12-28"),
    ("- 發布日期:2019-01-18 16:13\n", "2019-01-18"),
    # a copy crediting another website: the stamp is the copy's posting time
    ("时间:2018-07-17 09:28\n来源:北京市人民政府、北京市环境保护局网站\n", None),
])
def test_a_web_page_date_when_the_text_has_none(header, date):
    from extract.pipeline import extract_text

    text = header + "某市生态环境保护工作职责规定\n第一条 市生态环境局负责全市生态环境监督管理。\n"
    assert extract_text(text, "page.txt", mentions=False).date == date


def test_a_document_cited_inside_an_item_is_not_implemented():
    # a one-line text: the preamble ends at the first item, whatever became of the line breaks
    from extract.pipeline import extract_text

    text = ("关于进一步深化生态环境领域改革的指导意见为贯彻落实《国务院关于加快推进政务服务的指导意见》，现提出以下意见。"
            "一、改革环评管理。落实新修订的《环境影响评价公众参与办法》，优化公众参与程序。"
            "二、提高审批效率。各级生态环境部门要主动服务。")
    doc = extract_text(text, "oneline.txt", mentions=False)
    implemented = [c.title for c in doc.cites if c.implements]
    assert implemented == ["国务院关于加快推进政务服务的指导意见"]
    assert "环境影响评价公众参与办法" in [c.title for c in doc.cites]

"""National documents as data sets deliver them: one line, central bodies, classes of bodies
across provinces. Fixtures written for the tests."""
import pytest

from extract.bodies import BodyParser, make_context
from extract.pipeline import extract_text

OPINION = ("关于推进生态环境领域审批改革，服务高质量发展的指导意见各省、自治区、直辖市生态环境厅（局），新疆生产建设兵团生态环境局："
           "为推进改革，现提出如下意见：一、总体要求（一）指导思想。以习近平新时代中国特色社会主义思想为指导。"
           "二、重点任务（二）精简审批环节。各级生态环境部门不得违规设置前置条件。"
           "（三）落实价格政策。地方各级生态环境部门积极配合价格主管部门建立收费机制。"
           "各省（区、市）生态环境保护部门要将落实情况于每年1月底前报送生态环境部。生态环境部2019年3月2日生态环境部办公厅2019年3月5日印发")

OWN_PLAN = ("关于印发《生态环境部落实〈某决议〉实施方案》的通知机关各部门，各派出机构：现印发给你们，请认真贯彻落实。"
            "生态环境部2019年7月30日附件：生态环境部落实《某决议》实施方案为落实《某决议》，制定本方案。一、落实举措（一）推动法律制度建设。配合立法机关做好立法工作。"
            "（二）加强组织领导。地方各级生态环境部门和部机关各部门要加强组织领导。")


def test_one_line_national_opinion_metadata():
    doc = extract_text(OPINION, "opinion.txt")
    assert doc.title == "关于推进生态环境领域审批改革，服务高质量发展的指导意见"
    assert doc.jurisdiction == "国家"
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [("国家", "生态环境部")]
    assert doc.date == "2019-03-02"  # the signature, not the 印发 date of the general office


def test_national_classes_and_helped_bodies():
    doc = extract_text(OPINION, "opinion.txt")
    prices = next(o for o in doc.obligations if o.heading == "落实价格政策")
    got = {(w.body.jurisdiction, w.body.name, w.role) for w in prices.owners}
    assert ("国家", "价格主管部门", "lead") in got
    assert ("国家", "地方各级生态环境部门", "responsible") in got or ("国家", "地方各级生态环境部门", "support") in got
    # no default owner: an opinion addressed to the provinces is not the ministry's own plan
    assert all(w.body.name != "生态环境部" for o in doc.obligations for w in o.owners)


def test_own_plan_gets_its_issuer_as_default_owner():
    doc = extract_text(OWN_PLAN, "plan.txt")
    assert doc.title == "生态环境部落实《某决议》实施方案"
    assert doc.jurisdiction == "国家"
    assert [o.heading for o in doc.obligations] == ["推动法律制度建设", "加强组织领导"]
    for o in doc.obligations:
        assert ("生态环境部", True) in {(w.body.name, w.implicit) for w in o.owners}
    lead = doc.obligations[1]
    assert {"地方各级生态环境部门", "部机关各部门"} <= {w.body.name for w in lead.owners}


@pytest.mark.parametrize(
    "written,names",
    [
        ("地方各级党委和政府", ["地方各级党委", "地方各级人民政府"]),
        ("省（自治区、直辖市）人民政府、国务院有关部门", ["省(自治区、直辖市)人民政府", "国务院有关部门"]),
        ("市、县级人民政府", ["市县人民政府"]),
        ("县级以上人民政府", ["县级以上人民政府"]),
        ("各省级生态环境保护部门", ["省(自治区、直辖市)生态环境部门"]),
    ],
)
def test_classes_of_bodies_in_national_documents(written, names):
    parser = BodyParser(make_context("国家", ""))
    assert [(b.jurisdiction, b.name) for b in parser.parse_list(written)] == [("国家", n) for n in names]


def test_province_level_word_in_a_provincial_document_is_the_province():
    parser = BodyParser(make_context("福建省", ""))
    assert [(b.jurisdiction, b.name) for b in parser.parse_list("省级生态环境部门")] == [("福建省", "生态环境主管部门")]


def test_a_central_approval_about_a_place_is_national():
    text = ("关于成都市某水库工程环境影响报告书的批复某水利投资有限公司：你公司《关于审批某水库工程环境影响报告书的请示》收悉。"
            "经研究，批复如下：一、同意建设。附件：审查意见生态环境部办公厅2023年1月16日印发")
    doc = extract_text(text, "approval.txt")
    assert doc.title == "关于成都市某水库工程环境影响报告书的批复"
    assert doc.jurisdiction == "国家"


def test_a_title_word_ending_like_a_place_is_no_place_unless_bodies_sit_there():
    assert extract_text("关于做好全国碳市场履约工作的通知\n一、工作要求\n（一）按时清缴。\n", "x.txt").jurisdiction != "做好全国碳市"
    doc = extract_text("沱江市深入打好污染防治攻坚战实施方案\n沱江市人民政府办公室\n一、任务\n（一）治污。\n", "y.txt")
    assert doc.jurisdiction == "沱江市"


def test_a_provincial_page_that_never_names_its_province():
    text = ("(一)加强组织领导\n省委和省政府统一领导全省赔偿制度改革工作。"
            "各设区市党委和政府、平潭综合实验区党工委和管委会要加强对本地区改革的领导。\n")
    doc = extract_text(text, "p2.txt")
    assert doc.jurisdiction == "福建省"  # 平潭 lies in 福建
    got = {(w.body.jurisdiction, w.body.name, w.role) for w in doc.obligations[0].owners}
    assert {("福建省", "党委", "lead"), ("福建省", "人民政府", "lead"), ("福建省", "设区市党委", "responsible"),
            ("平潭综合实验区", "党工委", "responsible"), ("平潭综合实验区", "管委会", "responsible")} <= got


def test_joint_issuers_stacked_in_the_header_and_a_web_page_number_field():
    text = ("浙江省生态环境厅\n中国人民银行浙江省分行\n国家金融监督管理总局浙江监管局\n浙江省财政厅\n\n浙环发〔2024〕31号\n\n"
            "关于推动绿色金融发展的实施意见\n\n各市生态环境局：\n为贯彻落实《关于全面推进美丽中国建设的意见》，提出如下意见。\n"
            "一、总体要求\n（一）发展绿色信贷。扩大绿色贷款。\n")
    doc = extract_text(text, "joint.txt")
    assert [b.name for b in doc.issuers] == ["生态环境厅", "人民银行中心支行", "银保监局", "财政厅"]
    assert doc.doc_number == "浙环发〔2024〕31号" and doc.jurisdiction == "浙江省"
    page = extract_text("某县网格化监管办法\n文号：某府规〔2024〕2号　发布日期：2024年05月22日\n第一章 总则\n"
                        "第一条 为加强监管，根据《中华人民共和国环境保护法》，结合本县实际，制定本办法。\n"
                        "第二条 县生态环境分局负责网格化监管。\n", "page.txt")
    assert page.doc_number == "某府规〔2024〕2号"
    assert [c.title for c in page.cites if c.implements] == ["中华人民共和国环境保护法"]


def test_the_issuer_regulates_for_subjectless_clauses_only_in_its_own_plan():
    clause = "（二）强化信息公开。监督重点排污单位及时公布自行监测数据。"
    opinion = extract_text("关于强化信息公开的指导意见各省、自治区、直辖市生态环境厅（局）：现提出如下意见：一、重点任务"
                           + clause + "生态环境部2019年3月2日", "opinion.txt")
    assert [r for r in opinion.relations if r.predicate == "regulates"] == []  # an opinion to the provinces
    own = extract_text("生态环境部信息公开工作方案\n一、重点任务\n" + clause + "\n生态环境部\n2019年3月2日\n", "plan.txt")
    assert [(r.subject.name, r.object.name) for r in own.relations if r.predicate == "regulates"] == [("生态环境部", "重点排污单位")]

"""Ownership phrasings and body lists, on small made-up clauses."""
import pytest

from extract.bodies import BodyParser, make_context
from extract.owners import OwnerFinder
from extract.pipeline import extract_text


@pytest.fixture(scope="module")
def city():
    return BodyParser(make_context("漳州市", "福建省漳州市"))


def owners_of(finder, text):
    hits, standing = finder.brackets(text)
    hits += finder.directives(text)
    return sorted((h.body.jurisdiction, h.body.name, h.role) for h in hits), standing


@pytest.mark.parametrize(
    "clause,expected",
    [
        ("（二）明确财政事权。制定改革方案。（责任单位：市生态环境局、财政局）",
         [("漳州市", "生态环境局", "responsible"), ("漳州市", "财政局", "responsible")]),
        ("（五）落实排污许可。加强监管。（市生态环境局负责）", [("漳州市", "生态环境局", "responsible")]),
        ("（六）推进绿色化。（市发改委牵头，工信局、商务局配合）",
         [("漳州市", "发展改革委", "lead"), ("漳州市", "商务局", "support"), ("漳州市", "工信局", "support")]),
        ("（七）加强司法保障。（市法院、检察院、公安局按职责分工负责）",
         [("漳州市", "公安局", "responsible"), ("漳州市", "检察院", "responsible"), ("漳州市", "法院", "responsible")]),
        ("（八）加强组织实施。市发改委要加强统筹协调，市生态环境局要牵头推进相关具体工作。",
         [("漳州市", "发展改革委", "responsible"), ("漳州市", "生态环境局", "lead")]),
        ("（一）完善工作机制。市委、市政府对全市环境治理负总责。",
         [("漳州市", "人民政府", "responsible"), ("漳州市", "党委", "responsible")]),
        ("（九）强化评估。市生态环境局会同市财政局开展评估。",
         [("漳州市", "生态环境局", "lead"), ("漳州市", "财政局", "support")]),
        ("（十）发挥社会团体作用。各级工会、共青团、妇联等群团组织要动员职工参与环境治理。",
         [("漳州市", "共青团", "responsible"), ("漳州市", "妇联", "responsible"), ("漳州市", "总工会", "responsible")]),
        ("（十一）公开环境信息。排污企业应依法公开排放信息。", []),
        ("（十二）推进治理。由市生态环境局牵头，市发改委、市财政局等部门配合，2024年底前完成。",
         [("漳州市", "生态环境局", "lead"), ("漳州市", "发展改革委", "support"), ("漳州市", "财政局", "support")]),
        ("（十三）加强监测。（牵头单位：市生态环境局；配合单位：市水利局、市农业农村局）",
         [("漳州市", "生态环境局", "lead"), ("漳州市", "水利局", "support"), ("漳州市", "农业农村局", "support")]),
        # a labelled list that ends in a role verb: the label gives the role, the last body stays
        ("（十四）加强柴油货车治理。（责任单位：市公安局、市交通运输局、市生态环境局按职责分工负责）",
         [("漳州市", "公安局", "responsible"), ("漳州市", "交通运输局", "responsible"),
          ("漳州市", "生态环境局", "responsible")]),
    ],
)
def test_phrasings(city, clause, expected):
    got, _ = owners_of(OwnerFinder(city), clause)
    assert got == sorted(expected)


def test_standing_owners_apply_to_later_clauses():
    text = (
        "某市实施方案\n一、领导责任\n"
        "（一）完善机制。加强领导。〔责任单位：各县(区)党委和人民政府。以下均需各县(区)党委和人民政府落实，不再列出〕\n"
        "（二）明确事权。制定方案。（责任单位：市财政局）\n"
    )
    doc = extract_text(text, "standing.txt")
    second = doc.obligations[1]
    got = {(o.body.name, o.role, o.implicit) for o in second.owners}
    assert got == {("财政局", "responsible", False), ("县(区)党委", "responsible", True), ("县(区)人民政府", "responsible", True)}
    # evidence of the implicit owners is the standing statement, in the original text
    implicit = next(o for o in second.owners if o.implicit)
    assert "不再列出" in text[implicit.evidence.start:implicit.evidence.end]


@pytest.mark.parametrize(
    "written,bodies",
    [
        ("市生态环境局、财政局", [("漳州市", "生态环境局"), ("漳州市", "财政局")]),
        ("市委组织部、市效能办", [("漳州市", "党委组织部"), ("漳州市", "效能办")]),
        ("各县(区)党委和人民政府", [("漳州市", "县(区)党委"), ("漳州市", "县(区)人民政府")]),
        ("漳州开发区、古雷开发区党工委(党委)和管委会",
         [("漳州市", "漳州开发区党工委"), ("漳州市", "漳州开发区管委会"), ("漳州市", "古雷开发区党工委"), ("漳州市", "古雷开发区管委会")]),
        ("人行漳州市中心支行、漳州银保监分局", [("漳州市", "人民银行中心支行"), ("漳州市", "银保监分局")]),
        ("省委、省政府", [("福建省", "党委"), ("福建省", "人民政府")]),
        ("市场监管局", [("漳州市", "市场监督管理局")]),
        ("有关部门", []),
    ],
)
def test_body_lists(city, written, bodies):
    assert [(b.jurisdiction, b.name) for b in city.parse_list(written)] == bodies


def test_a_place_in_no_list_still_works():
    parser = BodyParser(make_context("石河子市", "石河子市生态环境局"))
    assert [(b.jurisdiction, b.name) for b in parser.parse_list("市生态环境局、住建局")] == [
        ("石河子市", "生态环境局"), ("石河子市", "住建局")]


def test_reporting_line():
    text = ("某市实施方案\n一、组织实施\n（一）加强组织实施。市发改委要加强统筹协调，市生态环境局要牵头推进相关工作。"
            "重大事项及时向市委和市政府报告。\n")
    doc = extract_text(text, "report.txt")
    pairs = {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "reportsTo"}
    assert pairs == {("发展改革委", "党委"), ("发展改革委", "人民政府"), ("生态环境局", "党委"), ("生态环境局", "人民政府")}
    assert all(r.evidence.quote and r.evidence.quote in doc.text for r in doc.relations)


@pytest.mark.parametrize(
    "clause,pairs",
    [
        ("（五）落实排污许可。加强对排污单位排污行为的监管。（州生态环境局负责）", {("生态环境局", "排污单位")}),
        ("（十）发挥社会团体作用。加强对各类社会组织的管理和指导。（市民政局、生态环境局按职责分工负责）", {("民政局", "社会组织")}),
        ("（七）提高治污能力。督促重点排污企业安装使用自动监测设备。（市生态环境局负责）", {("生态环境局", "重点排污企业")}),
        ("（八）公开信息。排污企业应依法公开排放信息。（市生态环境局负责）", set()),
        # classes regulated by the financial and carbon-market authorities (bodies.tsv, regulators.tsv)
        ("（九）规范资金使用。监管上市公司的募集资金使用和信息披露。（市证监局、市生态环境局按职责分工负责）",
         {("证监局", "上市公司"), ("生态环境局", "上市公司")}),
        ("（十一）推进碳市场建设。督促纳入全国碳排放权交易市场的重点排放单位按时足额清缴配额。（市生态环境局负责）",
         {("生态环境局", "重点排放单位")}),
        ("（十二）防范风险。督促银行机构和保险机构开展环境风险压力测试。（市金融监管局、市卫生健康局按职责分工负责）",
         {("金融监管局", "银行机构"), ("金融监管局", "保险机构")}),
    ],
)
def test_regulates(city, clause, pairs):
    finder = OwnerFinder(city)
    owners = [h.body for h in finder.brackets(clause)[0]]
    got = {(r.subject.name, r.object.name) for r in finder.regulates(clause, owners)}
    assert got == pairs


@pytest.mark.parametrize(
    "written,bodies",
    [
        # after the 2023 reform: the central regulator's provincial office vs the province's own finance bureau
        ("浙江金融监管局、省地方金融管理局", [("漳州市", "银保监局"), ("福建省", "地方金融管理局")]),
        ("漳州金融监管分局", [("漳州市", "银保监分局")]),
        ("漳州海关、国网漳州供电公司、市供销合作社",
         [("漳州市", "海关"), ("漳州市", "供电公司"), ("漳州市", "供销合作社")]),
        ("各区县人民政府", [("漳州市", "区县人民政府")]),
        ("市大数据中心", [("漳州市", "大数据中心")]),
    ],
)
def test_body_lists_more_families(city, written, bodies):
    assert [(b.jurisdiction, b.name) for b in city.parse_list(written)] == bodies


def test_partners_named_after_the_lead():
    finder = OwnerFinder(BodyParser(make_context("浙江省", "浙江省")))
    got, _ = owners_of(finder, "推广质押贷款。由省发展改革委牵头，会同省自然资源厅、省林业局负责。")
    assert got == [("浙江省", "发展改革委", "lead"), ("浙江省", "林业局", "support"), ("浙江省", "自然资源厅", "support")]


def test_article_number_is_not_part_of_the_subject():
    doc = extract_text("丰溪县某办法\n第一章 总则\n第六条县人民政府负责统筹网格化监管工作。\n", "art.txt")
    (o,) = doc.obligations
    assert [(w.body.jurisdiction, w.body.name) for w in o.owners] == [("丰溪县", "人民政府")]


# An assessment table as county web applications print it: a department per row under a blank header,
# a section row that says whom its rows bind. Written for the tests.
ASSESSMENT_TABLE = (
    "某县2019年度河长制工作考核细则\n"
    "序号\t考核项目\t\t分值\t考核内容\t评分标准\n"
    "一、\t通用考核项目（全部责任单位）\t\t40\t\t\n"
    "1\t日常工作\t\t10\t落实联络员\t配合县河长办开展督查（10分）。\n"
    "二、\t部门履职考核项目\t\t60\t\t\n"
    "1\t重点考核部门\t县水利局\t30\t持续开展河道采砂整治\t1.与县环保局、县水文站共同推进水源建设（10分）；2.协助乡镇清理河道（20分）\n"
    "三、\t综合奖扣分项目\t\t\t上级对口部门检查评比情况\t1.考核结果列全省前3名加2分\n"
)


def test_assessment_table_rows():
    doc = extract_text(ASSESSMENT_TABLE, "table.txt")
    assert [o.heading for o in doc.obligations] == ["落实联络员", "持续开展河道采砂整治"]
    general, water = doc.obligations
    assert {(w.body.name, w.role, w.implicit) for w in general.owners} >= {("责任单位", "support", True),
                                                                         ("河长办", "lead", False)}
    got = {(w.body.name, w.role) for w in water.owners}
    assert got == {("水利局", "responsible"), ("环保局", "support"), ("水文站", "support"), ("乡镇", "lead")}
    assert all(w.body.jurisdiction == "某县" for w in water.owners)


def test_parallel_tiers_in_brackets_are_two_bodies():
    parser = BodyParser(make_context("丰溪县", "丰溪县"))
    assert [b.name for b in parser.parse_list("乡镇人民政府（街道办事处）")] == ["乡镇人民政府", "街道办事处"]
    assert [b.name for b in parser.parse_list("党校（行政学院）")] == ["党校"]  # a second name of one body


# A provincial division-of-labour plan: owners on the 1. items only, first listed leads. Written for the tests.
DIVISION_OF_LABOUR = (
    "某省大气污染防治重点工作部门分工方案\n"
    "一、调整能源结构(省发改委总牵头)\n"
    "(一)控制煤炭消费总量。\n"
    "1.制订煤炭消费总量控制目标。(省经信委、省发改委(省能源局)。列第一位者为牵头部门,下同)\n"
    "2.淘汰燃煤小锅炉。(省质监局、省环保厅、省经信委)\n"
)


def test_first_listed_leads_on_annotated_items():
    doc = extract_text(DIVISION_OF_LABOUR, "plan.txt")
    assert [o.number for o in doc.obligations] == ["1.", "2."] or [o.number for o in doc.obligations] == ["1", "2"]
    first, second = doc.obligations
    assert [(w.body.name, w.role) for w in first.owners] == [("工信局", "lead"), ("发展改革委", "support")]
    assert [(w.body.name, w.role) for w in second.owners][0][1] == "lead"
    assert {w.role for w in second.owners[1:]} == {"support"}
    assert first.section.startswith("(一)控制煤炭消费总量")


@pytest.mark.parametrize(
    "written,bodies",
    [
        ("市城市管理行政执法局", [("漳州市", "城市管理行政执法局")]),  # 市 + 城市管理…, not a place 市城市
        ("国家税务总局漳州市税务局", [("漳州市", "税务局")]),
        ("市水务局、市卫生健康局", [("漳州市", "水务局"), ("漳州市", "卫生健康局")]),  # the text's own names
    ],
)
def test_names_that_keep_their_own_form(city, written, bodies):
    got = [(b.jurisdiction, b.name) for b in city.parse_list(written)]
    assert got == bodies or written == "市城市管理行政执法局" and got == [("漳州市", "城管局")]


def test_modal_before_hui_tong():
    finder = OwnerFinder(BodyParser(make_context("丰溪县", "丰溪县")))
    got, _ = owners_of(finder, "县生态环境分局应当会同县公安局、县水务局等部门建立联合执法机制。")
    assert got == [("丰溪县", "公安局", "support"), ("丰溪县", "水务局", "support"), ("丰溪县", "生态环境分局", "lead")]


def test_a_subject_list_before_its_verb_across_a_comma_with_a_catch_all_tail():
    finder = OwnerFinder(BodyParser(make_context("某市", "某市")))
    got, _ = owners_of(finder, "党委、人大、政府、政协、纪检监察、法院和检察院及党委、政府有关部门,承担本区域相应责任。")
    assert [n for _, n, _ in got] == sorted(["党委", "人大", "人民政府", "政协", "纪委监委", "法院", "检察院"])


def test_helping_a_legislature_makes_it_no_owner_and_helping_a_bureau_makes_it_lead():
    finder = OwnerFinder(BodyParser(make_context("国家", "")))
    assert finder.partners("配合立法机关和全国人大常委会做好立法工作。") == []
    got = {(h.body.name, h.role) for h in finder.partners("地方各级生态环境部门与税务部门配合，推进环境保护税征管。")}
    assert got == {("税务部门", "lead")}


def test_a_bare_township_class_as_the_helped_body():
    finder = OwnerFinder(BodyParser(make_context("某县", "某县")))
    assert {(h.body.name, h.role) for h in finder.partners("协助乡镇加大对破坏河道环境行为的打击力度。")} == {("乡镇", "lead")}


def test_working_in_concert_with_a_body_makes_it_the_main_actor():
    # 协同 names the body whose task it is, like 配合 and 协助 (协同 ends in 同, but is no 与/同 + 共同)
    finder = OwnerFinder(BodyParser(make_context("石城县", "江西省赣州市石城县")))
    got = {(h.body.name, h.role) for h in finder.partners("4.协同县水利局加强对城区河道非法构筑物的打击力度。")}
    assert got == {("水利局", "lead")}


def test_supervision_of_a_named_body():
    finder = OwnerFinder(BodyParser(make_context("某县", "某县")))
    actor = finder.parser.parse_list("县委农工部")
    got = {(r.subject.name, r.object.name) for r in finder.supervises("督查指导乡镇开展农村生活垃圾治理工作。", actor)}
    assert got == {("党委农工部", "乡镇")}
    # an outcome, not a body, after the verb: nothing
    assert finder.supervises("考核结果作为领导干部综合评价的重要依据。督促落实整改。", actor) == []


@pytest.mark.parametrize(
    "clause,expected,standing",
    [
        ("（一）治理河道。加强巡查。（县水利局牵头，县环保局、县林业局参与，各乡镇负责落实）",
         [("水利局", "lead"), ("环保局", "support"), ("林业局", "support"), ("乡镇", "responsible")], []),
        ("（二）推进改造。加快改造。（县发改委指导，县住建局负责落实）",
         [("发展改革委", "lead"), ("住建局", "responsible")], []),
        ("（三）整治排污口。开展整治。（县生态环境局牵头督导，县水利局配合）",
         [("生态环境局", "lead"), ("水利局", "support")], []),
        ("（四）完善机制。建立制度。〔县财政局牵头；县审计局配合〕", [("财政局", "lead"), ("审计局", "support")], []),
        ("（五）压实责任。落实责任。（县委、县政府负责。以下各项工作均需各乡镇人民政府落实，不再列出）",
         [("党委", "responsible"), ("人民政府", "responsible")], ["乡镇人民政府"]),
    ],
)
def test_annotation_grammar(clause, expected, standing):
    finder = OwnerFinder(BodyParser(make_context("某县", "某县")))
    hits, std = finder.brackets(clause)
    assert [(h.body.name, h.role) for h in hits] == expected
    assert [h.body.name for h in std] == standing


def test_county_units_in_no_list():
    parser = BodyParser(make_context("某县", "某县"))
    got = [b.name for b in parser.parse_list("县水保局、县水文站、县矿管局、县旅发委、县能源办、县森林公安局、县工业园区管委会")]
    assert got == ["水保局", "水文站", "矿管局", "旅发委", "能源办", "森林公安局", "工业园区管委会"]
    # law-enforcement units of a department: 大队, 支队 (执法大队, 交警大队, 环境监察支队)
    got = [b.name for b in parser.parse_list("县生态环境保护综合行政执法大队、县公安局交警大队、县环境监察支队")]
    assert got == ["生态环境保护综合行政执法大队", "公安局交警大队", "环境监察支队"]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("市生态环境保护委员会在市委、市政府领导下统筹推进本方案实施。", [("生态环境保护委员会", "responsible")]),
        ("考核工作由市生态环境局会同市委组织部组织实施。", [("党委组织部", "support"), ("生态环境局", "lead")]),
        ("违反本办法规定的，由市生态环境局责令改正。", [("生态环境局", "responsible")]),
        ("将生态文明建设摆在突出位置，融入经济社会发展全局，依法推进生态环境保护工作。", []),
    ],
)
def test_prose_owners(city, sentence, expected):
    got = sorted({(h.body.name, h.role) for h in OwnerFinder(city).directives(sentence)})
    assert got == sorted(expected)


def test_levels_above_a_county_are_its_own_city_and_province():
    parser = BodyParser(make_context("石城县", ""))
    got = [(b.jurisdiction, b.name) for b in parser.parse_list("市生态环境局、省水利厅、县水利局")]
    assert got == [("赣州市", "生态环境局"), ("江西省", "水利厅"), ("石城县", "水利局")]


def test_report_after_collecting():
    finder = OwnerFinder(BodyParser(make_context("沱江市", "沱江市人民政府")))
    got = {(r.subject.name, r.object.name) for r in finder.reports("各区县人民政府每年11月底前将落实情况报送市生态环境局，由市生态环境局汇总后报市委、市政府。")}
    assert got == {("区县人民政府", "生态环境局"), ("生态环境局", "党委"), ("生态环境局", "人民政府")}


def test_the_body_opening_a_clause_of_the_sentence_reports_by_itself():
    finder = OwnerFinder(BodyParser(make_context("沱江市", "四川省沱江市人民政府")))
    got = {(r.subject.jurisdiction, r.subject.name, r.object.jurisdiction, r.object.name) for r in finder.reports(
        "发生较大及以上突发环境事件的，事发地区县人民政府应当在1小时内向市人民政府报告，市生态环境局同时向省生态环境厅报告。")}
    assert ("沱江市", "生态环境局", "四川省", "生态环境厅") in got
    assert ("沱江市", "生态环境局", "沱江市", "人民政府") not in got


def test_both_subjects_report_when_the_clause_opens_with_one_of_them():
    finder = OwnerFinder(BodyParser(make_context("丰溪县", "丰溪县人民政府")))
    got = {(r.subject.name, r.object.name) for r in finder.reports(
        "乡镇人民政府（街道办事处）应当于每月5日前将上月网格巡查情况报送县生态环境保护委员会办公室。")}
    assert got == {("乡镇人民政府", "生态环境保护委员会办公室"), ("街道办事处", "生态环境保护委员会办公室")}


def test_a_copy_list_is_no_report():
    finder = OwnerFinder(BodyParser(make_context("国家", "")))
    assert finder.reports("生态环境部2022年9月30日（此件社会公开）抄送：自然资源部、交通运输部、农业农村部。") == []


def test_a_time_clause_between_subject_and_modal_verb():
    finder = OwnerFinder(BodyParser(make_context("丰溪县", "丰溪县")))
    bodies, verb, _ = finder.subject("县生态环境分局、县应急管理局接报后应当立即核实，并在1小时内向县人民政府报告。")
    assert [b.name for b in bodies] == ["生态环境分局", "应急管理局"] and verb == "应当"
    assert finder.subject("接报后应当立即核实。") is None


def test_a_list_of_helped_bodies_may_end_in_a_bare_township_class():
    finder = OwnerFinder(BodyParser(make_context("石城县", "江西省赣州市石城县")))
    got = {(h.body.name, h.role) for h in finder.partners("1.协助县级责任单位和乡（镇）查处非法销售捕捞工具。（20分）")}
    assert got == {("责任单位", "lead"), ("乡(镇)", "lead")}
    got = {(h.body.name, h.role) for h in finder.partners("配合县水利局及各乡镇加强巡查。")}
    assert got == {("水利局", "lead"), ("乡镇", "lead")}


@pytest.mark.parametrize("sentence, pairs", [
    ("市生态环境保护委员会在市委、市政府领导下统筹推进本方案实施，研究解决重大问题。",
     {("党委", "生态环境保护委员会"), ("人民政府", "生态环境保护委员会")}),
    ("生态环境网格化监管工作在市委领导下，由市人民政府负责组织实施。", {("党委", "人民政府")}),
    ("在党中央坚强领导下，各地区各部门扎实推进。", set()),  # no body of this document leads, none is led
])
def test_under_the_leadership_of(sentence, pairs):
    finder = OwnerFinder(BodyParser(make_context("沱江市", "四川省沱江市")))
    assert {(r.subject.name, r.object.name) for r in finder.led_by(sentence)} == pairs


def test_the_body_worked_with_reports_too():
    finder = OwnerFinder(BodyParser(make_context("浙江省", "浙江省")))
    got = {(r.subject.name, r.object.name) for r in finder.reports(
        "由省生态环境厅会同省发展改革委汇总后报省委、省政府，同时抄送省财政厅。")}
    assert got == {("生态环境厅", "党委"), ("生态环境厅", "人民政府"), ("发展改革委", "党委"), ("发展改革委", "人民政府")}


@pytest.mark.parametrize("sentence, pairs", [
    ("第三方核查机构应当接受省生态环境厅、省市场监管局的监督管理，对出具虚假报告的依法从严处理。",
     {("生态环境厅", "第三方核查机构"), ("市场监督管理局", "第三方核查机构")}),  # 监管 inside 市场监管局 is no end
    ("省生态环境厅要主动接受省人大常委会的监督。", {("人大常委会", "生态环境厅")}),
    ("县级以上人民政府依法接受监督。", set()),  # nobody named as supervisor
])
def test_accepting_supervision(sentence, pairs):
    finder = OwnerFinder(BodyParser(make_context("浙江省", "浙江省")))
    assert {(r.subject.name, r.object.name) for r in finder.accepts_supervision(sentence)} == pairs


def test_where_the_matter_happens_names_the_class_and_or_joins_a_list():
    parser = BodyParser(make_context("丰溪县", "丰溪县"))
    got = [(b.name, b.of_class) for b in parser.parse_list("县城市管理和综合执法局或者所在地乡镇人民政府", strict=True)]
    assert got == [("城管局", False), ("乡镇人民政府", True)]
    assert [b.name for b in parser.parse_list("事发地区县人民政府", strict=True)] == ["区县人民政府"]


@pytest.mark.parametrize("sentence, expected", [
    # relative levels (本级, 上一级) and 其 standing for the body before it
    ("县级以上地方人民政府应当每年向本级人民代表大会或者其常务委员会报告环境状况。",
     {("县级以上地方人民政府", "本级人大"), ("县级以上地方人民政府", "本级人大常委会")}),
    ("设区的市生态环境主管部门应当于每年三月底前向本级人民政府报告重点排污单位名录。",
     {("设区的市生态环境主管部门", "本级人民政府")}),
    # 报X after a comma, and 将…报X
    ("各市、州人民政府每年制定年度实施方案，报省生态环境厅备案。", {("市州人民政府", "生态环境厅")}),
    ("省发展改革委会同省财政厅将结果报国家发展改革委。", {("发展改革委", "发展改革委"), ("财政厅", "发展改革委")}),
    # the reporter after a verb of the sentence (落实X每年向Y报告…)
    ("落实县级以上人民政府每年向本级人民代表大会报告环境状况制度。", {("县级以上人民政府", "本级人大")}),
    # a bare class of places reports by its committees and governments
    ("各县（市、区）要于每月5日前将工作进展情况报送省生态环境厅。",
     {("县(市、区)党委", "生态环境厅"), ("县(市、区)人民政府", "生态环境厅")}),
])
def test_reports_in_the_words_of_laws_and_plans(sentence, expected):
    finder = OwnerFinder(BodyParser(make_context("湖北省", "湖北省")))
    assert {(r.subject.name, r.object.name) for r in finder.reports(sentence)} == expected


def test_bare_classes_of_places_as_subjects():
    doc = extract_text("伊犁州环境治理方案\n一、任务\n（一）加强组织实施。各县市、开发区及州直有关部门要高度重视。\n"
                       "（二）加强巡查。各乡镇要加强巡查。\n（三）统一部署。各地要统一部署。\n", "ili.txt")
    owners = [[(w.body.name, w.role) for w in o.owners] for o in doc.obligations]
    assert owners[0] == [("县市党委", "responsible"), ("县市人民政府", "responsible"),
                         ("开发区党工委", "responsible"), ("开发区管委会", "responsible")]
    assert owners[1] == [("乡镇党委", "responsible"), ("乡镇人民政府", "responsible")]
    assert owners[2] == []  # 各地 names no body


def test_a_named_place_acts_by_the_bodies_the_text_gave_it():
    # 平潭综合实验区 has a 党工委 and a 管委会, not a 党委 and a 人民政府
    finder = OwnerFinder(BodyParser(make_context("福建省", "福建省")))
    finder.parser.parse_list("平潭综合实验区党工委和管委会")
    got = {(r.subject.jurisdiction, r.subject.name) for r in finder.reports(
        "各设区市和平潭综合实验区分别于每年1月底前将工作情况送省生态环境厅。")}
    # the zone acts by its 管委会, the government the text gave it; its 党工委 reports to party bodies,
    # not to a department
    assert ("平潭综合实验区", "管委会") in got and ("平潭综合实验区", "党工委") not in got
    assert ("平潭综合实验区", "人民政府") not in got


@pytest.mark.parametrize("sentence", [
    "河湖巡查中发现的生态环境问题及时推送县生态环境分局。",  # 推送: shared, not reported
    "涉嫌环境犯罪的，依法移送县公安局。",  # 移送: a case handed over
])
def test_sharing_and_handing_over_are_no_reports(sentence):
    finder = OwnerFinder(BodyParser(make_context("丰溪县", "丰溪县")))
    assert finder.reports("县生态环境分局" + sentence) == []


def test_a_supervision_word_inside_a_name_supervises_nobody():
    finder = OwnerFinder(BodyParser(make_context("沱江市", "沱江市")))
    actor = finder.parser.parse_list("市人民银行")
    assert finder.supervises("国家金融监督管理总局沱江监管分局、市财政局、市生态环境局", actor) == []
    got = finder.supervises("督促市财政局落实资金。", actor)
    assert [r.object.name for r in got] == ["财政局"]


def test_under_the_supervision_of_a_body():
    # 在X监督指导支持下: X regulates the clause's actor; 全国 names the central bodies, 其 the one before
    finder = OwnerFinder(BodyParser(make_context("国家", "")))
    ministry = finder.parser.parse_list("生态环境部")
    got = finder.under_supervision("在全国人大及其常委会监督指导支持下，聚焦重点领域，依法推动打赢蓝天保卫战。", ministry)
    assert [(r.subject.name, r.object.name, r.implicit) for r in got] == [
        ("全国人民代表大会", "生态环境部", True), ("全国人民代表大会常务委员会", "生态环境部", True)]
    assert finder.under_supervision("在全国人大领导下推进立法。", ministry) == []  # leadership is another relation


def test_the_agent_of_a_passive_regulates():
    finder = OwnerFinder(BodyParser(make_context("国家", "")))
    got = finder.regulates("对超过排放标准被生态环境主管部门责令限制生产、停产整治的企业，经同意后方可恢复生产。", [])
    assert [(r.subject.name, r.object.name) for r in got] == [("生态环境主管部门", "企业")]


def test_labelled_owner_lines_after_a_task():
    doc = extract_text("万载县大气污染防治工作方案\n二、重点任务\n"
                       "（一）加强扬尘污染治理。严格落实建筑工地扬尘防治要求。\n牵头单位：县住建局\n"
                       "配合单位：县生态环境分局、县城管局\n完成时限：2024年12月底\n"
                       "（二）强化秸秆禁烧。开展巡查。责任单位：各乡镇人民政府（街道办事处）\n", "wz.txt")
    first, second = doc.obligations
    assert [(w.body.name, w.role, w.cue) for w in first.owners] == [
        ("住建局", "lead", "牵头单位"), ("生态环境分局", "support", "配合单位"), ("城管局", "support", "配合单位")]
    assert [(w.body.name, w.role) for w in second.owners] == [("乡镇人民政府", "responsible"), ("街道办事处", "responsible")]


@pytest.mark.parametrize("place, written, name", [
    ("万载县", "县市场监管局", "市场监督管理局"),  # 县 + 市场监管局, not the class 县市 + 场监管局
    ("万载县", "县市场监督管理局", "市场监督管理局"),
    ("伊犁哈萨克自治州", "县市场监管局", "县市场监督管理局"),  # the class of the counties' bureaus
    ("伊犁哈萨克自治州", "各县市人民政府", "县市人民政府"),
])
def test_a_level_word_before_a_word_that_starts_with_a_level_character(place, written, name):
    assert [b.name for b in BodyParser(make_context(place)).parse_list(written)] == [name]


def test_running_text_written_like_a_bracket():
    finder = OwnerFinder(BodyParser(make_context("赣州市", "赣州市")))
    got = [(h.body.name, h.role, h.cue) for h in finder.role_chunks("加强污水治理。各县（市、区）人民政府负责，市工信局督导，市生态环境局指导。")]
    assert got == [("县(市、区)人民政府", "responsible", "负责"), ("工信局", "lead", "督导"), ("生态环境局", "lead", "指导")]
    # a chunk that is more than a body and its cue is no such statement
    assert finder.role_chunks("市生态环境局要加强指导，推动工作落实。") == []


def test_a_list_of_duties_under_each_bodys_name():
    doc = extract_text("万载县生态环境保护工作责任清单\n一、县生态环境局\n1.负责全县生态环境保护工作的统一监督管理。\n"
                       "2.负责组织开展督察整改工作。\n二、县发展和改革委员会职责\n1.负责推动产业结构调整。\n"
                       "三、工作要求\n1.加强组织领导。\n", "duties.txt")
    owners = [[(w.body.name, w.role, w.implicit) for w in o.owners] for o in doc.obligations]
    assert owners == [[("生态环境局", "responsible", True)]] * 2 + [[("发展改革委", "responsible", True)], []]
    (ev,) = {w.evidence.quote for o in doc.obligations[:2] for w in o.owners}
    assert ev == "县生态环境局"  # the heading is the evidence


def test_a_labelled_list_goes_on_after_a_semicolon():
    doc = extract_text("萍乡市生态环境保护工作要点\n一、任务\n（一）推进土壤污染防治。开展调查。"
                       "（责任单位：市生态环境局、市自然资源局；各县〔区〕人民政府）\n"
                       "（二）推进大气污染治理。（牵头单位：市生态环境局；配合单位：市工信局；完成时限：2024年底）\n", "px.txt")
    first, second = doc.obligations
    assert [(w.body.name, w.role) for w in first.owners] == [
        ("生态环境局", "responsible"), ("自然资源局", "responsible"), ("县(区)人民政府", "responsible")]
    assert [(w.body.name, w.role) for w in second.owners] == [("生态环境局", "lead"), ("工信局", "support")]


def test_a_report_that_goes_first_for_approval():
    finder = OwnerFinder(BodyParser(make_context("福建省", "福建省")))
    got = {(r.subject.name, r.object.jurisdiction, r.object.name) for r in finder.reports(
        "省生态环境厅于每年2月底前汇总形成年度工作情况报告，经省委和省政府同意后，报送国家有关部委。")}
    assert got == {("生态环境厅", "福建省", "党委"), ("生态环境厅", "福建省", "人民政府"), ("生态环境厅", "国家", "有关部委")}


@pytest.mark.parametrize("place, written, names", [
    # sector names listed before one 部门 share it; in a local text each is the sector's bureau
    ("泰州市", "市发展改革、公安、交通运输等部门", ["发展改革委", "公安局", "交通运输局"]),
    ("泰州市", "公安部门", ["公安局"]),
    # in a national text each stays the class of those departments
    ("国家", "发展改革、公安、交通运输等部门", ["发展改革部门", "公安部门", "交通运输部门"]),
    # bodies of their own are not touched
    ("泰州市", "市生态环境局、财政局等部门", ["生态环境局", "财政局"]),
])
def test_a_list_of_sectors_that_share_one_department_word(place, written, names):
    assert [b.name for b in BodyParser(make_context(place)).parse_list(written)] == names


def test_a_person_in_charge_is_no_subject():
    finder = OwnerFinder(BodyParser(make_context("国家", "")))
    assert finder.subject("各级环境保护部门负责同志参加会议。") is None
    assert [b.name for b in finder.subject("各级生态环境部门负责组织实施。")[0]] == ["生态环境主管部门"]


def test_divisions_of_a_department_as_labelled_owners():
    doc = extract_text("江西省生态环境厅2024年工作要点\n一、深入打好蓝天保卫战\n"
                       "1.推进钢铁行业超低排放改造。（牵头处室：大气环境处；配合处室：综合处）\n"
                       "2.加强移动源污染防治。（责任处室：大气环境处）\n", "yd.txt")
    assert [[(w.body.name, w.role) for w in o.owners] for o in doc.obligations] == [
        [("大气环境处", "lead"), ("综合处", "support")], [("大气环境处", "responsible")]]


def test_a_peoples_congress_is_reported_to_by_the_government():
    finder = OwnerFinder(BodyParser(make_context("新疆维吾尔自治区", "新疆维吾尔自治区")))
    got = {(r.subject.name, r.object.name) for r in finder.reports(
        "自治区生态环境主管部门会同相关部门开展评估，将评估结果向自治区人民政府报告。"
        "根据评估结果，依法向自治区人民代表大会常务委员会报告规划实施情况。")}
    assert got == {("生态环境主管部门", "人民政府"), ("人民政府", "人大常委会")}


def test_those_an_inspection_is_carried_out_on_are_regulated():
    finder = OwnerFinder(BodyParser(make_context("江西省", "江西省")))
    actor = finder.parser.parse_list("省生态环境厅")
    got = finder.supervises("在每届省委任期内，对各设区市党委和政府、省直有关部门以及省属有关国有企业等开展一次例行督察。", actor)
    assert [(r.subject.name, r.object.name) for r in got] == [
        ("生态环境厅", "设区市党委"), ("生态环境厅", "设区市人民政府"), ("生态环境厅", "省属国有企业")]
    assert finder.supervises("对生态环境状况和各级党委落实情况开展考核。", actor) == []  # a topic, not a list of bodies
    # an assessment they are made subject to: 列入对X的考核范围
    got = finder.supervises("将名录公开情况列入对各设区市生态环境局的考核范围。", actor)
    assert [(r.subject.name, r.object.name) for r in got] == [("生态环境厅", "设区市生态环境局")]


def test_regulated_parties_written_as_phrases():
    finder = OwnerFinder(BodyParser(make_context("浙江省", "浙江省")))
    got = {(r.subject.name, r.object.name) for r in finder.accepts_supervision(
        "第三方核查机构和环境信息披露服务机构应当接受省生态环境厅的监督管理。")}
    assert got == {("生态环境厅", "第三方核查机构"), ("生态环境厅", "环境信息披露服务机构")}
    actor = finder.parser.parse_list("省生态环境厅")
    got = finder.supervises("省生态环境厅对入河排污口设置单位实行审批和监督管理。", actor)
    assert [(r.subject.name, r.object.name, r.object.type) for r in got] == [("生态环境厅", "入河排污口设置单位", "enterprise")]
    # a phrase with a verb inside is no party
    assert finder.accepts_supervision("负责督促企业落实整改的单位应当接受省生态环境厅的监督。") == []


@pytest.mark.parametrize(
    "clause,expected",
    [
        # no modal and no directive verb: an adverb after the list opens the predicate
        ("1、各县（区）政府继续推进生态文明村建设工作（1分，按照创建标准要求）。",
         [("漳州市", "县(区)人民政府", "responsible")]),
        ("2、市水利局、市林业局积极推进水土保持工作。",
         [("漳州市", "林业局", "responsible"), ("漳州市", "水利局", "responsible")]),
        # a directive verb still decides the role
        ("3、市财政局积极配合市生态环境局开展评估。", [("漳州市", "财政局", "support")]),
        # a body named as a topic, then no predicate of its own: nobody
        ("4、市生态环境局网站持续公开信息。", []),
    ],
)
def test_a_subject_before_an_adverb(city, clause, expected):
    got, _ = owners_of(OwnerFinder(city), clause)
    assert got == sorted(expected)


def test_a_report_heard_is_a_report_to_the_hearer():
    """A people's congress's duties (a city's regulation on environmental duties):
    听取和审议本级人民政府…的报告 makes that government report to it."""
    doc = extract_text("长春市生态环境保护工作职责规定\n第七条县级以上人大生态环境保护工作职责：\n"
                       "（一）监督本级人民政府贯彻执行生态环境保护法律法规。\n"
                       "（二）听取和审议本级人民政府年度环境状况和环境保护目标完成情况的报告。\n"
                       "第八条县级以上党委应当定期听取生态环境保护工作汇报。\n", "duties.txt")
    reports = {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "reportsTo"}
    assert reports == {("本级人民政府", "县级以上人大")}  # 第八条's 汇报 names no reporter


def _supervised(finder, clause):
    owners = [h.body for h in finder.brackets(clause)[0]]
    actors = [b for b in owners]
    hits = finder.supervises(clause, actors) + finder.accepts_supervision(clause)
    return {(r.subject.name, r.object.name) for r in hits if r.predicate == "regulates"}


@pytest.mark.parametrize(
    "clause,pairs",
    [
        # the verb before 对: 加强对X的…监管
        ("（三）严防固体废物非法入境。漳州海关严厉打击走私，加强对再生原料进口企业的查验监管。（牵头单位：漳州海关）",
         {("海关", "再生原料进口企业")}),
        # a regulated party written as a phrase after a supervision verb, acted on by the sentence's own subject
        ("（十七）引导信息披露。市国资委将ESG信息披露情况纳入市属企业经营业绩考核，督促市属企业提升披露质量。"
         "（市证监局、市国资委按职责分工负责）", {("国资委", "市属企业")}),
        # 接受X组织的…监督检查: X and what it runs
        ("（八）推进绿色保险。投保企业接受市生态环境局组织的环境风险监督检查。（市生态环境局负责）",
         {("生态环境局", "投保企业")}),
        # a locative before the class says which of it: 行政区域内建设单位 is 建设单位
        ("（三）压实主体责任。督促行政区域内建设单位严格执行“三同时”制度。（市生态环境局负责）",
         {("生态环境局", "建设单位")}),
    ],
)
def test_supervision_of_parties_written_as_phrases(city, clause, pairs):
    assert _supervised(OwnerFinder(city), clause) == pairs


@pytest.mark.parametrize(
    "written,bodies",
    [
        ("市委市政府", [("漳州市", "党委"), ("漳州市", "人民政府")]),
        ("各级党委政府", [("漳州市", "党委"), ("漳州市", "人民政府")]),
        ("县委县政府", [("漳州市", "县党委"), ("漳州市", "县人民政府")]),
        ("市政府", [("漳州市", "人民政府")]),
    ],
)
def test_a_committee_and_government_written_as_one_word_are_two_bodies(city, written, bodies):
    assert [(b.jurisdiction, b.name) for b in city.parse_list(written, strict=True)] == bodies


def test_a_report_to_the_committee_and_government_written_together():
    doc = extract_text("泰安市考核细则\n二、考核方式\n（一）年终考核。市环保局负责汇总考核情况，并提出考核建议，报市委市政府。\n",
                       "kaohe.txt")
    assert {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "reportsTo"} == \
        {("环保局", "党委"), ("环保局", "人民政府")}


@pytest.mark.parametrize("tail", ["县级相关部门", "市有关部门", "县直有关部门", "有关部门"])
def test_a_levels_catch_all_ends_a_list_without_naming_a_body(tail):
    """县级相关部门, 市有关部门: a catch-all at a level, like 有关部门, names nobody."""
    parser = BodyParser(make_context("平和县", "平和县"))
    finder = OwnerFinder(parser)
    found = finder.subject(f"各乡镇人民政府、{tail}认真开展各项创建工作，")
    assert found is not None and [b.name for b in found[0]] == ["乡镇人民政府"]


@pytest.mark.parametrize(
    "written,bodies",
    [
        # a province's regulation: 自治县 is a level word like 县, not a place named 自治
        ("市、县、自治县人民政府", [("海南省", "市人民政府"), ("海南省", "县人民政府"), ("海南省", "自治县人民政府")]),
        # the management body of a protected area is a body (管理机构, like 管委会)
        ("自然保护区管理机构", [("海南省", "自然保护区管理机构")]),
    ],
)
def test_a_provinces_regulation_names(written, bodies):
    parser = BodyParser(make_context("海南省", "海南省环境保护条例"))
    assert [(b.jurisdiction, b.name) for b in parser.parse_list(written, strict=True)] == bodies


def test_the_issuer_speaking_of_itself():
    """我部 in a ministry's text is the ministry; 报我部 in its 办公厅's notice too."""
    doc = extract_text("关于开展监测工作的通知\n各省、自治区、直辖市生态环境厅（局）：\n"
                       "一、工作要求\n（一）加强培训。我部（原环境保护部）会同发展改革委开展培训。\n"
                       "（二）及时报送。省级生态环境主管部门应于每年3月底前将结果报我部。\n"
                       "附件：汇总表生态环境部办公厅2022年12月19日\n", "mee.txt")  # a one-line page's signature
    assert [b.name for b in doc.issuers] == ["生态环境部办公厅"]
    owners = {(w.body.name, w.role) for o in doc.obligations for w in o.owners}
    assert ("生态环境部", "lead") in owners and not any(n.startswith("我") for n, _ in owners)
    assert ("省(自治区、直辖市)生态环境部门", "生态环境部") in \
        {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "reportsTo"}


@pytest.mark.parametrize("sentence", [
    "（二）变电站应合理布局，选用低噪声设备。",          # a facility named like a station
    "上述废气经处理后分别满足排放标准。",                 # 上述…: no name
    "各地区、各单位要及时对开放工作情况进行总结评估。",    # every locality: no body
    "本工程位于徐圩港区东防波堤口门处，对海域影响较小。",   # a place of a project, named like a 处
])
def test_no_body_in_words_that_look_like_one(sentence):
    finder = OwnerFinder(BodyParser(make_context("国家", "")))
    assert finder.directives(sentence) == []


@pytest.mark.parametrize(
    "sentence,names",
    [
        # a class named by its duty (法律法规的说法), the government owning it left out
        ("省人民政府承担全民所有自然资源资产所有者职责的部门负责开展省级生态环境损害赔偿具体工作。",
         ["承担全民所有自然资源资产所有者职责的部门"]),
        ("其他负有生态环境保护监督管理职责的部门应当加强监督检查。", ["负有生态环境保护监督管理职责的部门"]),
        ("省生态环境厅承担具体工作。", ["生态环境厅"]),
        # 于 before a time is no part of the subject
        ("省生态环境损害赔偿制度改革工作领导小组办公室于每年2月底前，汇总梳理形成全省年度工作情况报告。",
         ["生态环境损害赔偿制度改革工作领导小组办公室"]),
    ],
)
def test_a_class_named_by_its_duty(sentence, names):
    finder = OwnerFinder(BodyParser(make_context("福建省", "")))
    assert [b.name for b in finder.subject(sentence)[0]] == names


def test_a_tier_word_heading_a_noun_is_no_body():
    """县级财政资金: 县级 qualifies a noun; only a tier written alone before its verb acts."""
    finder = OwnerFinder(BodyParser(make_context("漳州市", "")))
    assert finder.leading_bodies("县级财政资金") == ([], 0)
    assert _supervised(finder, "（一）保障资金。督促县级财政落实资金。（市财政局负责）") == set()


def test_tiers_of_government_assigned_their_duties():
    """分级负责: 市级主要负责…，区级主要负责…，村(社区)级主要负责… — each tier is a class,
    named by its word; 市级各牵头单位 (the tier's members) is not the tier."""
    doc = extract_text("北京市意见\n（一）建立工作机制。市级主要负责制定政策和规划。区级主要负责制定具体方案。"
                       "村(社区)级主要负责发现、报告违法排污行为等问题。市级各牵头单位要细化年度工作计划。\n", "tiers.txt")
    assert [(w.body.name, w.role) for w in doc.obligations[0].owners] == [
        ("市级", "responsible"), ("区级", "responsible"), ("村(社区)", "responsible")]


def test_a_provincial_department_names_itself_by_its_level():
    """报省厅 in a provincial department's notice is a report to it; 省委 stays the party committee."""
    doc = extract_text("江西省生态环境厅关于做好排污许可证后管理工作的通知\n各设区市生态环境局：\n现将有关事项通知如下：\n"
                       "一、开展质量审核。各设区市生态环境局要于2023年6月底前完成排污许可证质量审核，审核结果报省厅。\n"
                       "二、强化组织领导。重大问题及时报省委、省政府。\n江西省生态环境厅\n2023年3月1日\n", "jx.txt")
    reports = {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "reportsTo"}
    assert ("设区市生态环境局", "生态环境厅") in reports
    assert not any(o == "生态环境厅" and s != "设区市生态环境局" for s, o in reports)


def test_a_level_word_inside_a_name_found_by_its_suffix():
    """A heading run into a name (…新模式省级生态环境主管部门) is no name; joined level words
    (地州市级核与辐射监测机构) are part of one."""
    parser = BodyParser(make_context("新疆维吾尔自治区", ""))
    assert parser.parse_list("拓宽信息化管理新模式省级生态环境主管部门", strict=True) is None
    assert [b.name for b in parser.parse_list("地州市级核与辐射监测机构", strict=True)] == ["地州市级核与辐射监测机构"]


@pytest.mark.parametrize("written,name", [("县河长办", "河长办"), ("河长办公室", "河长办"), ("县河湖长制办公室", "河长办"),
                                          ("县林长办", "林长办"), ("林长制办公室", "林长办")])
def test_the_chief_systems_offices_are_coordinating_bodies(written, name):
    """河长制, 林长制 and 田长制 each run an office of their own (a coordinating body, not a department)."""
    [body] = BodyParser(make_context("石城县", "")).parse_list(written, strict=True)
    assert (body.name, body.type) == (name, "coordinating_body")


def test_a_labelled_line_ending_in_a_role_verb_keeps_its_last_body():
    text = ("某县秸秆禁烧工作方案\n一、工作任务\n（一）加强宣传引导。利用广播、电视宣传秸秆禁烧政策。\n"
            "责任单位：县委宣传部、县农业农村局按职责分工负责\n（二）强化巡查执法。开展巡查。\n牵头单位：县生态环境分局\n")
    doc = extract_text(text, "label_line.txt")
    assert {(o.body.name, o.role) for o in doc.obligations[0].owners} == {
        ("党委宣传部", "responsible"), ("农业农村局", "responsible")}


def test_the_separator_after_an_items_number_is_no_part_of_its_subject():
    text = ("某某市生态环境保护工作责任清单\n一、市委、市政府\n"
            "1.市委、市政府对全市生态环境质量负总责。\n2.每年研究解决生态环境保护重大问题。\n")
    doc = extract_text(text, "duty_list.txt")
    assert {(o.body.name, o.implicit) for o in doc.obligations[0].owners} == {("党委", False), ("人民政府", False)}


def test_a_body_named_the_subject_of_a_duty_owns_it():
    """X是…的责任主体: the body the sentence opens with is answerable for the task."""
    parser = BodyParser(make_context("某某市", "某某市人民政府通告"))
    found = OwnerFinder(parser).subject("各县（区）人民政府是秸秆禁烧工作的责任主体，")
    assert found is not None and [b.name for b in found[0]] == ["县(区)人民政府"] and found[1] == "是"


def test_grid_workers_are_actors_and_helping_an_overseer_is_complying():
    """网格员 (the grid system's post) owns the duties given to it and reports; a regulated
    party or a grid worker that 配合 the body overseeing it gives that body no lead."""
    text = ("丰溪县生态环境网格化监管办法\n"
            "第十三条 网格员应当履行下列职责：\n（一）每周开展巡查；\n（二）配合县生态环境分局开展执法检查。\n"
            "第十七条 排污单位应当建立环境管理台账，配合网格员开展巡查，不得拒绝、阻挠。\n"
            "第二十六条 发生突发环境事件的，网格员应当立即报告所在地乡镇人民政府和县生态环境分局。\n")
    doc = extract_text(text, "grid.txt")
    owners = [{(o.body.name, o.body.type, o.role) for o in ob.owners} for ob in doc.obligations]
    assert owners == [{("网格员", "grid_worker", "responsible")}, set(), {("网格员", "grid_worker", "responsible")}]
    assert {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "reportsTo"} == {
        ("网格员", "乡镇人民政府"), ("网格员", "生态环境分局")}


def test_a_letter_speaks_to_its_addressee():
    """关于…的函 / 西安市人民政府： … 请你市…做好以下工作：一是…: 你市 is the addressee, which
    owns the tasks it is asked to do; 你局 with no addressee to stand for is no body."""
    letter = ("关于对强化监督定点帮扶发现问题进行督办的函（西安）西安市人民政府：经排查，发现部分企业存在问题。"
              "请你市高度重视，督促相关单位做好以下工作：一是加快淘汰落后产能。进一步排查淘汰类工业炉窑。"
              "二是加强无组织排放管控。依法责令停业整顿。生态环境部办公厅2020年3月12日\n")
    doc = extract_text(letter, "letter.txt")
    assert [[(o.body.jurisdiction, o.body.name, o.implicit) for o in ob.owners] for ob in doc.obligations] == [
        [("西安市", "人民政府", True)], [("西安市", "人民政府", True)]]
    parser = BodyParser(make_context("国家", "关于某项目的批复"))
    assert parser.parse_list("你局", strict=True) is None


@pytest.mark.parametrize("phrase", ["执法部门严肃查处", "本级人民政府统计机构查处", "应采用集气装置收集并处",
                                    "全封闭声屏障顶部", "排污单位检查生态环境部", "按时完成上级生态环境主管部门"])
def test_a_phrase_ending_like_a_body_is_none(phrase):
    """查处, 并处 end in 处 and 顶部 in 部, as a division's or a ministry's name does; 检查, 完成
    are verbs no name found by its suffix holds."""
    assert BodyParser(make_context("国家", "关于某项工作的通知")).parse_list(phrase, strict=True) is None


def test_a_national_texts_places_are_real_ones():
    """In a national text a name before 市 is a place only if the divisions know it:
    烟台市农业农村局 is Yantai's; 联合市场监管总局 is 联合 + a ministry, no 联合市."""
    parser = BodyParser(make_context("国家", "关于某项工作的通知"))
    assert [(b.jurisdiction, b.name) for b in parser.parse_list("烟台市农业农村局", strict=True)] == [("烟台市", "农业农村局")]
    assert parser.parse_list("联合市场监管总局", strict=True) is None


def test_places_named_bare_report_to_an_office_by_their_governments():
    """各设区市和平潭综合实验区…送省…领导小组办公室: a place's submission to an office is its
    government's (管委会's) business; its party committee reports to party bodies."""
    text = ("福建省生态环境损害赔偿制度改革实施方案\n五、保障措施\n"
            "（一）加强组织领导。各设区市和平潭综合实验区分别于每年1月底前将本地区上年度工作情况，"
            "送省生态环境损害赔偿制度改革工作领导小组办公室。\n")
    doc = extract_text(text, "places_report.txt")
    reporters = {r.subject.name for r in doc.relations if r.predicate == "reportsTo"}
    assert reporters and not any(name.endswith(("党委", "党工委")) for name in reporters)


@pytest.mark.parametrize("clause,expected", [
    # 由A（B）协同C: A and its other body act; C is named as the main actor of the task (as 协同X, 配合X)
    ("三、违反本通告规定的，由乡镇人民政府（街道办事处）协同农业综合执法大队依法予以处理。",
     [("漳州市", "乡镇人民政府", "responsible"), ("漳州市", "农业综合执法大队", "lead"), ("漳州市", "街道办事处", "responsible")]),
    # A协同B开展…: A is the sentence's subject
    ("（三）开展执法。市公安局协同市生态环境局开展联合执法检查。",
     [("漳州市", "公安局", "responsible"), ("漳州市", "生态环境局", "lead")]),
    # …牵头，B协同: B helps the lead
    ("（四）开展整治。市农业农村局牵头，市公安局协同。",
     [("漳州市", "公安局", "support"), ("漳州市", "农业农村局", "lead")]),
])
def test_acting_in_concert(city, clause, expected):
    finder = OwnerFinder(city.copy())
    hits = finder.directives(clause) + finder.partners(clause)
    assert sorted({(h.body.jurisdiction, h.body.name, h.role) for h in hits}) == expected


def test_emergency_bodies_and_persons_are_no_modal_subjects(city):
    """应急 opens a body's name (县政府应急委, 应急办), not the modal 应; 主要负责人 is a person,
    not the adverb 主要 after a subject."""
    finder = OwnerFinder(city.copy())
    assert finder.directives("在市政府应急委统一领导下，成立市指挥部。") == []
    assert finder.directives("市政府应急办、市环保局主要负责人任副指挥长。") == []


@pytest.mark.parametrize("name, expected", [
    # a place inside its province or city names the body's seat
    ("江苏省泰州市生态环境局", ("泰州市", "生态环境局")),
    ("泰州市海陵区人民政府", ("海陵区", "人民政府")),
    ("中共上海市普陀区委", ("普陀区", "党委")),
    # the outer place alone
    ("江苏省生态环境厅", ("江苏省", "生态环境厅")),
    ("泰州市市场监管局", ("泰州市", "市场监督管理局")),
])
def test_a_place_within_a_place(name, expected):
    parser = BodyParser(make_context("泰州市", "江苏省泰州市"))
    assert [(b.jurisdiction, b.name) for b in parser.parse_list(name, strict=True)] == [expected]


def test_a_regulated_party_reporting_is_no_bodys_report():
    """交易双方应…向地方环境保护部门报告: the parties report, not the ministries of the sentence before."""
    doc = extract_text("关于开展排污权交易试点的指导意见\n（十一）加强交易管理。跨省级行政区域的排污权交易由环境保护部、"
                       "财政部负责。排污权交易完成后，交易双方应在规定时限内向地方环境保护部门报告。\n", "trade.txt")
    assert [r for r in doc.relations if r.predicate == "reportsTo"] == []


@pytest.mark.parametrize("name, expected", [
    ("市环委会下设办公室", [("漳州市", "生态环境保护委员会办公室")]),  # the office set up under a committee
    ("苏木乡镇人民政府和街道办事处", [("漳州市", "苏木乡镇人民政府"), ("漳州市", "街道办事处")]),  # 苏木: a township
])
def test_offices_under_committees_and_townships_by_another_name(city, name, expected):
    assert [(b.jurisdiction, b.name) for b in city.copy().parse_list(name, strict=True)] == expected


def test_places_of_regulated_activity_named_without_scope_or_setting():
    """监督全市景区…, 监督矿产资源开发过程中矿山…: 景区 and 矿山 are the regulated parties."""
    doc = extract_text("漳州市生态环境保护工作方案\n（一）加强旅游区管理。监督全市景区做好涉水经营活动的环境保护。（市文化和旅游局负责）\n"
                       "（二）加强矿山治理。监督矿产资源开发过程中矿山落实恢复治理责任。（市自然资源局负责）\n", "sites.txt")
    assert {(r.subject.name, r.object.name) for r in doc.relations if r.predicate == "regulates"} == {
        ("文旅局", "景区"), ("自然资源局", "矿山")}


def test_a_partner_named_by_yu_at_a_tasks_opening(city):
    """3.与乡镇加强对违法违规用地的查处力度: 与 opening a task names its partners (support);
    与 inside a phrase (生态环境与健康) names none."""
    finder = OwnerFinder(city.copy())
    got = {(h.body.name, h.role) for h in finder.partners("1.积极指导乡镇开展工作；3.与市公安局加强对违法违规用地的查处力度。")}
    assert got == {("公安局", "support")}
    assert finder.partners("（二）加强生态环境与健康管理。市卫生健康局负责。") == []


@pytest.mark.parametrize("name, expected", [
    ("国家开发银行浙江省分行", ("浙江省", "开发银行分行")),  # a national bank's branch is its place's
    ("中国农业发展银行湖南省分行", ("湖南省", "农业发展银行分行")),
    ("人民银行浙江省分行", ("浙江省", "人民银行中心支行")),  # the central bank's: body_rules.tsv
])
def test_a_national_banks_branch_in_a_place(name, expected):
    parser = BodyParser(make_context("浙江省", "浙江省"))
    assert [(b.jurisdiction, b.name) for b in parser.parse_list(name, strict=True)] == [expected]


@pytest.mark.parametrize("clause, expected", [
    ("跨镇生态环境问题，由市生态环境局组织相关乡镇人民政府协同处置。", [("漳州市", "生态环境局", "responsible")]),
    ("网格划分方案由市生态环境局拟定，报市人民政府批准后公布。", [("漳州市", "生态环境局", "responsible")]),
    # who made a thing, no task: 由X编制的《…》
    ("国务院批准由市生态环境局编制的《生物多样性保护实施方案》。", []),
])
def test_the_agent_named_by_you(city, clause, expected):
    finder = OwnerFinder(city.copy())
    assert sorted({(h.body.jurisdiction, h.body.name, h.role) for h in finder.directives(clause)}) == expected


def test_a_power_granted_names_its_holder(city):
    """市生态环境局可以聘请…: a body a text empowers (可以) acts in the task."""
    finder = OwnerFinder(city.copy())
    got = {(h.body.name, h.role) for h in finder.directives("市生态环境局可以聘请人大代表、政协委员担任社会监督员。")}
    assert got == {("生态环境局", "responsible")}


def test_a_ministrys_general_office_is_its_own():
    """生态环境部政府信息公开实施办法: 办公厅负责… is the ministry's general office, not the State Council's."""
    doc = extract_text("生态环境部政府信息公开实施办法\n第一条 为规范我部政府信息公开工作，制定本办法。\n"
                       "第二条 办公厅负责归口管理我部政府信息公开工作。\n生态环境部办公厅\n2019年7月18日\n", "mee_rules.txt")
    assert [(ow.body.jurisdiction, ow.body.name) for ob in doc.obligations for ow in ob.owners if not ow.implicit] == [
        ("国家", "生态环境部办公厅")]

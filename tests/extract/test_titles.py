"""Titles and document numbers of the forms Chinese official documents take
(《党政机关公文处理工作条例》: 发文机关 + 关于 + 事由 + 文种), as web pages and data
sets deliver them: on a line of their own, or run together with what follows.
Fixtures written for the tests, on the pattern of real ministry and county texts."""
import pytest

from extract.metadata import find_doc_number, find_title, kind_of


def title(text: str) -> str | None:
    hit = find_title(text)
    if hit is None:
        return None
    t, start, end = hit
    assert text[start:end] == t  # the span is the title's place in the text
    return t


@pytest.mark.parametrize("text, expected", [
    # a notice that carries its own tasks is titled by itself, its issuer included
    ("泰州市人民政府办公室关于做好2024年秸秆禁烧工作的通知\n各市（区）人民政府，市各委办局：\n现将有关事项通知如下：\n一、加强组织领导",
     "泰州市人民政府办公室关于做好2024年秸秆禁烧工作的通知"),
    # a transmittal notice stands for the document it carries, quoted or not
    ("云阳县人民政府关于印发云阳县环保“五大行动”实施方案（2013—2017年）的通知\n各乡镇人民政府：\n正文",
     "云阳县环保“五大行动”实施方案（2013—2017年）"),
    ("国务院关于印发《大气污染防治行动计划》的通知\n各省、自治区、直辖市人民政府：\n正文", "大气污染防治行动计划"),
])
def test_a_title_line(text, expected):
    assert title(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the addressees are a list of places
    ("关于2018年3月份国家地表水考核断面水质自动监测站建设进展情况的通报北京市、天津市、河北省生态环境厅：现将情况通报如下",
     "关于2018年3月份国家地表水考核断面水质自动监测站建设进展情况的通报"),
    # the body follows at once: 关于…的<kind> ends at its kind
    ("关于公开征求《公民生态环境行为准则（试行）（征求意见稿）》意见的通知党的十九大报告指出，倡导简约适度的生活方式。",
     "关于公开征求《公民生态环境行为准则（试行）（征求意见稿）》意见的通知"),
    # a kind word inside quotes is no end of the title
    ("关于公布2021年度“提升公民生态文明意识行动计划”先进典型名单的通知各省、自治区、直辖市生态环境厅（局）：现予公布。",
     "关于公布2021年度“提升公民生态文明意识行动计划”先进典型名单的通知"),
    # 关于通报… is a verb, not the kind 通报
    ("关于通报核电厂取水系统导致停堆运行事件的函各核电厂营运单位：2020年3月24日，某核电厂停堆。",
     "关于通报核电厂取水系统导致停堆运行事件的函"),
    # a kind word inside the subject (规划, 措施) does not end a 关于…的通知
    ("关于做好国土空间总体规划环境影响评价工作的通知各省、自治区、直辖市生态环境厅（局）、自然资源厅（局）：为做好",
     "关于做好国土空间总体规划环境影响评价工作的通知"),
    ("关于征求《黄金行业污染防治技术政策（征求意见稿）》意见的函各有关单位：为贯彻",
     "关于征求《黄金行业污染防治技术政策（征求意见稿）》意见的函"),
    # a masthead (版头) and document number run together before the title
    ("生态环境部国家发展和改革委员会文件环气候〔2020〕57号关于促进应对气候变化投融资的指导意见各省、自治区、直辖市生态环境厅（局）：为推动",
     "关于促进应对气候变化投融资的指导意见"),
    # a title restated in 《》 by the order that follows it
    ("环境监管重点单位名录管理办法《环境监管重点单位名录管理办法》已于2022年8月15日审议通过，现予公布。",
     "环境监管重点单位名录管理办法"),
])
def test_a_title_run_together_with_the_text(text, expected):
    assert title(text) == expected


@pytest.mark.parametrize("text, number", [
    ("生态环境部办公厅中央文明办秘书局文件环办宣教函〔2021〕266号关于公布先进典型名单的通知各省：现予公布。", "环办宣教函〔2021〕266号"),
    ("生态环境部办公厅公安部办公厅函环办执法函〔2022〕36号关于联合表扬表现突出集体的函各省：现予表扬。", "环办执法函〔2022〕36号"),
])
def test_the_number_of_a_masthead_run_together(text, number):
    assert find_doc_number(text) == number
    assert title(text).startswith("关于")


@pytest.mark.parametrize("kind", ["通报", "公报", "决议", "请示", "纪要"])
def test_the_formal_kinds_of_official_documents(kind):
    assert kind_of(f"关于某项工作的{kind}") == kind


def test_an_impact_report_is_no_kind_of_its_own():
    # 报告书 and 排放报告 end phrases inside titles: the document is the 批复
    text = "关于某水库工程环境影响报告书的批复某省水利厅：你厅报送的报告书收悉。"
    assert title(text) == "关于某水库工程环境影响报告书的批复"


def test_the_issuer_a_title_opens_with():
    from extract.pipeline import extract_text

    # 发文机关 before 关于
    doc = extract_text("泰州市人民政府办公室关于做好秸秆禁烧工作的通知\n各市（区）人民政府：\n一、加强组织领导\n各地要加强领导。", "n.txt")
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [("泰州市", "人民政府办公室")]
    # a department's own list, titled by its name: it owns its numbered items
    doc = extract_text("平利县教育体育和科技局生态环境保护工作事项清单\n根据有关规定，现公布如下：\n"
                       "1.负责将生态环境保护知识纳入学校教育内容。\n2.制定重污染天气中小学停课应急措施。\n", "list.txt")
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [("平利县", "教育体育和科技局")]
    assert [o.number for o in doc.obligations] == ["1", "2"]
    assert all([(w.body.name, w.implicit) for w in o.owners] == [("教育体育和科技局", True)] for o in doc.obligations)
    # a title that opens with no body names no issuer (生态环境部门 is no 生态环境部)
    doc = extract_text("生态环境部门联合执法工作方案\n一、工作任务\n（一）开展执法。各地要开展执法。", "p.txt")
    assert doc.issuers == ()


def test_a_document_does_not_cite_itself_under_another_dash():
    from extract.pipeline import extract_text

    doc = extract_text("海东市人民政府关于印发海东市打赢蓝天保卫战三年行动实施方案(2018-2020年)的通知\n各县区人民政府:\n"
                       "《海东市打赢蓝天保卫战三年行动实施方案(2018—2020年)》已经市政府同意,现印发给你们。\n"
                       "海东市打赢蓝天保卫战三年行动实施方案(2018-2020年)\n为落实《大气污染防治行动计划》(国发〔2013〕37号),制定本方案。\n"
                       "一、任务\n(一)调整产业结构。严禁新增产能。\n", "hd.txt")
    assert doc.title == "海东市打赢蓝天保卫战三年行动实施方案(2018-2020年)"
    assert [c.title for c in doc.cites] == ["大气污染防治行动计划"]


def test_the_issuer_of_a_carried_document_is_the_notices():
    from extract.pipeline import extract_text

    doc = extract_text("南昌市人民政府办公厅关于印发南昌市土壤污染防治工作方案的通知\n洪府厅发〔2017〕10号\n各县（区）人民政府：\n"
                       "现将《南昌市土壤污染防治工作方案》印发给你们，请认真贯彻执行。\n2017年3月1日\n南昌市土壤污染防治工作方案\n"
                       "一、任务\n（一）开展调查。（市环保局牵头）\n", "nc.txt")
    assert doc.title == "南昌市土壤污染防治工作方案"
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [("南昌市", "人民政府办公厅")]


def test_a_transmitted_table_partly_quoted_is_the_title():
    """关于印发《政府工作报告》任务分解表的通知: the carried table (a kind of its own) is the document."""
    text = ("盘锦市大洼区人民政府办公室关于印发《政府工作报告》任务分解表的通知\n"
            "各镇(街道)人民政府(办事处),区政府各部门:\n现将《<政府工作报告>任务分解表》印发给你们。\n")
    assert find_title(text)[0] == "《政府工作报告》任务分解表"


@pytest.mark.parametrize("signer,issuer", [
    # a one-line text: the attachment list runs into the signature before its date
    ("附件：发电行业分类代码生态环境部办公厅", "生态环境部办公厅"),
    ("2.裕龙岛炼化一体化项目水污染物区域削减措施生态环境部", "生态环境部"),
    ("生态环境部办公厅", "生态环境部办公厅"),
    ("漳州市人民政府", "人民政府"),
])
def test_an_issuer_named_after_words_run_into_it(signer, issuer):
    from extract.bodies import BodyParser, make_context
    from extract.metadata import parse_issuers

    place = "漳州市" if "漳州" in signer else "国家"
    found = parse_issuers([(signer, 0, len(signer))], BodyParser(make_context(place, "")))
    assert [b.name for b, _, _ in found] == [issuer]


def test_a_joint_notice_signed_line_by_line():
    """Ministries and provinces signing a joint notice, two a line above the date: all are
    issuers, and the document is national, not the last city it is addressed to."""
    from extract.pipeline import extract_text

    doc = extract_text(
        "关于印发《长三角地区2020-2021年秋冬季大气污染综合治理攻坚行动方案》的通知\n"
        "南京、无锡、合肥、黄山市人民政府：\n现将《长三角地区2020-2021年秋冬季大气污染综合治理攻坚行动方案》印发给你们，请遵照执行。\n"
        "生态环境部 发展改革委\n工业和信息化部 公安部\n上海市人民政府 江苏省人民政府\n2020年10月30日\n"
        "长三角地区2020-2021年秋冬季大气污染综合治理攻坚行动方案\n2018年以来，长三角地区持续开展攻坚行动。\n", "csj.txt")
    assert doc.jurisdiction == "国家"
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [
        ("国家", "生态环境部"), ("国家", "发展改革委"), ("国家", "工业和信息化部"), ("国家", "公安部"),
        ("上海市", "人民政府"), ("江苏省", "人民政府")]


def test_the_signature_after_the_body_names_the_issuer():
    """A notice titled without its issuer (关于…的通知) signs after its tasks."""
    from extract.pipeline import extract_text

    doc = extract_text("关于加强秸秆禁烧工作的通知\n各乡镇人民政府，县直各单位：\n为做好秸秆禁烧工作，现就有关事项通知如下。\n"
                       "一、明确责任\n（一）落实属地责任。各乡镇人民政府要加强巡查。\n（二）强化执法。县生态环境局要加强执法检查。\n"
                       "石城县人民政府办公室\n2023年5月6日\n", "notice.txt")
    assert (doc.jurisdiction, [(b.jurisdiction, b.name) for b in doc.issuers]) == ("石城县", [("石城县", "人民政府办公室")])


def test_joint_issuers_on_one_masthead_line():
    """中共石城县委 石城县人民政府 above the title: a party committee's and a government's joint opinion."""
    from extract.pipeline import extract_text

    doc = extract_text("中共石城县委 石城县人民政府\n关于全面加强生态环境保护坚决打好污染防治攻坚战的实施意见\n"
                       "为全面贯彻党中央决策部署，提出如下实施意见。\n一、总体要求\n（一）加强组织领导。县委、县政府要加强领导。\n",
                       "opinion.txt")
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [("石城县", "党委"), ("石城县", "人民政府")]


def test_a_title_broken_over_lines_is_not_read_from_its_last_line():
    """A web page gives the notice's title on one line, then the document's masthead with the
    same title broken over lines: 任务分解的通知 alone is no title. What the notice carries
    (主要目标任务分解) is no document of a kind, so the notice is titled by itself."""
    text = ("亳州市人民政府办公室关于印发2025年政府工作报告主要目标任务分解的通知\n\n亳州市人民政府办公室\n\n"
            "关于印发2025年政府工作报告主要目标\n\n任务分解的通知\n\n亳政办〔2025〕1号\n\n"
            "各县、区人民政府，市政府各部门：\n现将主要目标任务分解下发，请认真抓好落实。\n"
            "一、强化责任意识。各地各单位要深入落实。\n")
    assert find_title(text)[0] == "亳州市人民政府办公室关于印发2025年政府工作报告主要目标任务分解的通知"


@pytest.mark.parametrize("text, place", [
    # a notice's page that lost its title names the ground of its rules
    ("现就禁止露天焚烧秸秆有关事项通告如下：\n一、从本通告发布之日起，禁止在忠县境内露天场所焚烧秸秆。\n"
     "二、违反本通告规定的，依照《重庆市大气污染防治条例》予以处罚。\n", "忠县"),
    # …or the seat of its bodies, whatever the body's name ends with (执法支队)
    ("二、举报受理机构\n衢州市环境保护执法支队负责统一受理市本级环境违法行为的举报。\n", "衢州市"),
    # a place named only in cited titles still tells where the text belongs
    ("根据县委办印发的《平利县生态环境保护责任清单》，我局梳理了具体事项，现公布如下。\n1.负责宣传教育。\n", "平利县"),
])
def test_a_page_without_a_title_names_its_place(text, place):
    from extract.metadata import find_jurisdiction

    assert find_jurisdiction(None, text) == place


def test_an_articles_number_is_no_place():
    """第七条市人民政府…: an article's number run into 市 names no place 第七条市."""
    from extract.metadata import find_jurisdiction

    assert find_jurisdiction(None, "（六）法律法规规定的其他职责。第七条市人民政府生态环境主管部门负责本行政区域内的环境管理。") is None


def test_an_emergency_plan_is_a_document_of_its_kind():
    """预案 is a kind; a revision's note (2023年修订) ends the title as (试行) does."""
    assert title("濮阳市人民政府办公室关于印发濮阳市重污染天气应急预案(2023年修订)的通知\n各县(区)人民政府：\n"
                 "《濮阳市重污染天气应急预案(2023年修订)》已经市政府同意，现印发给你们。\n") == "濮阳市重污染天气应急预案(2023年修订)"


def test_signers_side_by_side_on_signature_lines():
    """Seven departments sign two a line, separated by spaces: each is an issuer, the first included."""
    from extract.pipeline import extract_text

    doc = extract_text("各县（市、区）生态环境局：\n经市政府同意，现将《三明市减污降碳协同增效实施方案》印发给你们，请认真贯彻落实。\n"
                       "三明市生态环境局 三明市发展和改革委员会\n三明市工业和信息化局 三明市住房和城乡建设局\n三明市城市管理局\n"
                       "2022年12月13日\n三明市减污降碳协同增效实施方案\n一、总体要求\n（一）加强领导。各县要加强领导。\n", "joint.txt")
    assert [(b.jurisdiction, b.name) for b in doc.issuers] == [
        ("三明市", "生态环境局"), ("三明市", "发展改革委"), ("三明市", "工信局"), ("三明市", "住建局"), ("三明市", "城管局")]


@pytest.mark.parametrize("text, expected", [
    # a page's table cells: a label before the title, a border after it
    ("名称 | 黔东南州三年行动工作方案（2023—2025年）\n发布机构 | 黔东南州人民政府\n为推进绿化工作，制定本方案。\n",
     "黔东南州三年行动工作方案（2023—2025年）"),
    ("(已废止)微政办字〔2019〕24号 关于印发微山县重污染天气应急预案的通知 |\n各乡、镇人民政府：现印发给你们。\n",
     "微山县重污染天气应急预案"),
])
def test_a_title_in_a_pages_table_cells(text, expected):
    assert title(text) == expected


@pytest.mark.parametrize("text, place", [
    # a township's own rules: the division data stops at counties, the title and the text name the town
    ("中和镇生态环境保护委员会工作规则\n第一条为规范中和镇生态环境保护委员会的工作，制定本规则。\n第二条环委会是镇政府议事协调机构。\n",
     "中和镇"),
    # a zone's own rules, governed by its 党工委 and 管委会
    ("通州湾示范区生态环境保护工作责任规定（试行）\n第四条 党工委和管委会对本行政区域生态环境质量负总责。\n", "通州湾示范区"),
    # a policy term ending in 县 is no county: 扩权强县试点市 are cities
    ("各市、州党委和人民政府，扩权强县试点市党委和人民政府，省委各部、委：\n为贯彻落实省委、省政府决策部署，提出如下意见。\n",
     None),
])
def test_a_towns_or_a_zones_own_document(text, place):
    from extract.metadata import find_jurisdiction, find_title

    t = find_title(text)
    assert find_jurisdiction(t[0] if t else None, text) == place


def test_the_tail_of_a_carried_title_broken_over_lines_is_no_title():
    """关于印发佳木斯市…实施方案的通知 first; the plan's own title later broken over two lines
    (佳木斯市2018年度水污染防治 / 重点工作 实施方案) does not replace it by its tail; a space after
    印发 is no part of the title."""
    text = ("关于印发佳木斯市2018年度水污染防治重点工作实施方案的通知\n佳政办发〔2018〕17号\n各县（市）区人民政府：\n"
            "现将实施方案印发给你们。\n佳木斯市2018年度水污染防治\n重点工作 实施方案\n为深入贯彻落实水污染防治行动计划，制定本方案。\n")
    assert title(text) == "佳木斯市2018年度水污染防治重点工作实施方案"
    assert title("抚顺市人民政府办公室关于印发 抚顺市生态环境保护“十四五”规划的通知\n各县、区人民政府：\n") == \
        "抚顺市生态环境保护“十四五”规划"


@pytest.mark.parametrize("text, place", [
    ("镇安镇全面贯彻落实湖长制的实施方案\n为全面落实湖长制，镇党委、镇政府决定，结合我镇实际，制定本方案。\n", "镇安镇"),  # not 镇安(县)
    # a text that speaks of 我省 is no national one, whatever central bodies it cites
    ("第四条我省生态环境行政处罚的罚款金额裁量采用生态环境部推荐的计算方法。\n", None),
    # 是指属于自治州 is no place
    ("第二条 本条例所称生态环境，是指属于自治州行政区域内的自然环境。\n", None),
])
def test_no_place_from_a_towns_short_county_name_or_a_phrase(text, place):
    from extract.metadata import find_jurisdiction, find_title

    t = find_title(text)
    assert find_jurisdiction(t[0] if t else None, text) == place


def test_a_bulleted_title_and_a_breadcrumb():
    assert title("• 天津市近岸海域污染防治实施方案\n为改善近岸海域环境质量，制定本方案。\n") == "天津市近岸海域污染防治实施方案"

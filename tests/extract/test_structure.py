"""Clause layouts: each layout of policy documents yields one obligation per task."""
import pytest

from extract.structure import find_deadlines, segment

NUMBERED = """关于推进某项工作的实施意见
一、总体要求
（一）指导思想。以习近平新时代中国特色社会主义思想为指导，全面贯彻落实各项部署。
（二）主要目标。到2025年，建立健全环境治理体系。
二、重点任务
（三）落实排污许可制度。加快推进固定污染源排污许可全覆盖。
1.强化证后监管。督促排污单位落实自行监测。
（四）强化社会监督。畅通12369环保举报热线。
"""

HALF_WIDTH = """二、健全领导责任体系
(一)完善工作机制。市委、市政府对全市环境治理负总体责任。
(二)明确财政事权。制定实施改革方案。
"""

ARTICLES = """第一章 总则
第一条 为了保护环境，制定本办法。
第二章 监督管理
第二条 县生态环境局负责本行政区域排污许可管理。
第三条 乡镇人民政府配合做好巡查工作。
"""

CHAPTERS = """第十一章 加强安全监管,确保核与辐射安全
加快推进核与辐射安全监管能力建设,加强监督检查,完善核与辐射监测网络。
第一节 防范核与辐射安全风险
强化核技术利用监管。加强核技术利用单位辐射安全检查。
加强电磁辐射环境监管。督促企业公开电磁辐射环境监测数据信息。
第十四章 规划实施保障措施
第一节 加强组织领导
各级党委和政府要始终把生态环境保护摆在突出位置,压实责任。
贯彻落实统一部署,严格落实党政同责。
第二节 落实资金保障
加大财政投入,拓宽融资渠道。
"""

HEADED = """3月4日,某省生态环境厅提出3条措施,坚决打好污染防治攻坚战,推动高质量发展,以生态环境高水平保护助推跨越式发展!
构建保护大格局
全面落实党政同责、一岗双责责任制,压紧压实党委、政府及相关部门环保责任,构建大格局。
加大督政力度
实施省级生态环境保护督察制度,落实决策部署,解决突出生态环境问题,强化日常监督。
推行「三线一单」制度
优化生态环境分区管控,加快三线一单实施应用,为规划环评落地提供硬约束。
"""

TABLE = """附表：重点改革举措清单
序号\t主要目标\t重点举措\t完成时限\t牵头部门\t备注
1\t领导责任体系\t修改完善生态环境保护工作责任规定\t2021年\t州党委办公厅、州生态环境局\t
2\t\t制定财政事权和支出责任措施\t2023年\t州财政局\t
3\t信用体系\t\t\t\t
"""


@pytest.mark.parametrize(
    "text,layout,headings",
    [
        (NUMBERED, "numbered", ["主要目标", "落实排污许可制度", "强化社会监督"]),
        (HALF_WIDTH, "numbered", ["完善工作机制", "明确财政事权"]),
        (ARTICLES, "article", [None, None]),  # 第一条 states the purpose: no task
        (HEADED, "headed", ["构建保护大格局", "加大督政力度", "推行「三线一单」制度"]),
    ],
)
def test_layouts(text, layout, headings):
    clauses = segment(text)
    assert [c.heading for c in clauses] == headings
    assert {c.layout for c in clauses} == {layout}


def test_guiding_ideas_are_not_obligations():
    assert "指导思想" not in [c.heading for c in segment(NUMBERED)]


def test_lower_level_items_belong_to_their_clause():
    clauses = segment(NUMBERED)
    permit = next(c for c in clauses if c.heading == "落实排污许可制度")
    assert "强化证后监管" in NUMBERED[permit.start:permit.end]


def test_chapters_headed_paragraphs_and_sections_without_them():
    clauses = segment(CHAPTERS)
    assert [(c.layout, c.heading) for c in clauses] == [
        ("headed", "强化核技术利用监管"),
        ("headed", "加强电磁辐射环境监管"),
        ("section", "加强组织领导"),
        ("section", "落实资金保障"),
    ]
    lead = clauses[2]
    assert "贯彻落实统一部署" in CHAPTERS[lead.start:lead.end]  # both paragraphs
    assert lead.section.endswith("第一节 加强组织领导")


def test_table_rows():
    clauses = segment(TABLE)
    assert [c.cells.get("task") for c in clauses] == ["修改完善生态环境保护工作责任规定", "制定财政事权和支出责任措施"]
    assert clauses[0].cells["deadline"] == "2021年"
    assert clauses[0].cells["lead"] == "州党委办公厅、州生态环境局"
    assert all(c.layout == "table_row" for c in clauses)


@pytest.mark.parametrize(
    "text,deadline",
    [
        ("到2025年，建立健全环境治理体系。", "到2025年"),
        ("在2023年、2025年底分别开展中期评估和总结评估。", "2023年、2025年底"),
        ("PM2.5浓度力争比2020年下降10%。", None),
        ("依据（中办发〔2020〕6号）文件。", None),
        ("2022年底前完成排查。", "2022年底前"),  # the text's own words, 前 included
        ("于2024年12月31日前完成。", "2024年12月31日前"),
        ("2018年基本实现地市督察全覆盖。", "2018年"),  # a year the work is done by
        ("自2019年起施行。", None),
        ("应当于每月5日前将上月巡查情况报送县生态环境分局。", "每月5日前"),
    ],
)
def test_deadlines(text, deadline):
    assert find_deadlines(text) == deadline


# A national opinion as data sets deliver it: one line, markers inline. Written for the tests.
ONE_LINE = ("关于推进某领域改革的指导意见各省、自治区、直辖市生态环境厅（局）：为推进改革，现提出如下意见："
            "一、总体要求（一）指导思想。以习近平新时代中国特色社会主义思想为指导。（二）基本原则。坚持问题导向。"
            "二、深化审批改革，激发活力（三）精简审批环节。加快推动行政许可标准化，按照第（一）项要求执行。"
            "（四）强化事中事后监管。各级生态环境部门要加强监管，符合（3）类条件的项目除外。"
            "三、加强服务（五）推进政务服务。启动平台建设。1.建设数据库；2.开放数据。")


def test_inline_markers_continue_their_sequence():
    clauses = segment(ONE_LINE)
    assert [c.number for c in clauses] == ["（三）", "（四）", "（五）"]
    assert [c.heading for c in clauses] == ["精简审批环节", "强化事中事后监管", "推进政务服务"]
    # 第（一）项 and a stray （3） inside sentences are not boundaries
    assert "按照第（一）项要求执行" in ONE_LINE[clauses[0].start:clauses[0].end]
    assert "符合（3）类条件" in ONE_LINE[clauses[1].start:clauses[1].end]
    # numbered sub-items stay inside their clause
    assert ONE_LINE[clauses[2].start:clauses[2].end].endswith("2.开放数据。")
    assert clauses[1].section.startswith("二、深化审批改革")


def test_numbering_restarts_under_each_part_inline():
    text = "一、目标（一）甲任务。做好甲。（二）乙任务。做好乙。二、保障（一）丙任务。做好丙。"
    assert [c.heading for c in segment(text)] == ["甲任务", "乙任务", "丙任务"]


def test_framing_articles_are_not_obligations():
    text = ("某市生态环境保护工作职责规定(试行)\n第一章 总则\n第一条为严格落实生态环境保护责任，结合我市实际，制定本规定。\n"
            "第二条全市各级党委、政府履行生态环境保护职责，适用本规定。\n第三条各级党委、政府对本区域环境质量负总责。\n"
            "第四条本规定自2021年1月1日起施行。\n")
    assert [c.number for c in segment(text)] == ["第三条"]


def test_a_principles_article_is_no_obligation():
    text = ("某市党政领导干部生态环境保护职责规定\n第一章 总则\n"
            "第三条 实行最严格的生态环境保护制度，坚持绿色发展、环保优先的方针，按照党政同责、一岗双责的原则，建立长效机制。\n"
            "第四条 生态环境保护工作坚持预防为主、综合治理的原则。\n"
            "第五条 县级以上人民政府应当坚持生态优先的原则，负责本行政区域的生态环境保护工作。\n")
    assert [c.number for c in segment(text)] == ["第五条"]


def test_a_page_that_ends_inside_a_clause_loses_that_clause():
    text = "一、任务\n（一）治理扬尘。加强工地管理。\n（二）优化布局。2018年，完成全市三线一单编制，禁止审批国家禁"
    assert [c.number for c in segment(text)] == ["（一）"]
    signed = "一、任务\n（一）治理扬尘。加强工地管理。附件：清单生态环境部办公厅2020年3月3日印发字号"
    assert [c.number for c in segment(signed)] == ["（一）"]


def test_table_with_generic_role_headers():
    text = ("处置清单\n序号\t问题类型\t主要情形\t牵头处置单位\t协同单位\n"
            "1\t工业污染\t超标排放\t县生态环境分局\t乡镇人民政府（街道办事处）\n")
    (row,) = segment(text)
    assert row.cells["task"] == "工业污染" and row.cells["lead"] == "县生态环境分局"
    assert row.cells["support"] == "乡镇人民政府（街道办事处）"


def test_actor_duty_lists_and_news_lead_in():
    from extract.pipeline import extract_text

    doc = extract_text("某区生态环境保护责任清单\n一、党委职责\n（一）区委职责：1.贯彻落实中央决策部署。2.研究解决重大问题。\n"
                       "（二）区生态环境局生态环境保护工作职责：1.统一监督管理。\n", "duties.txt")
    assert [[(w.body.name, w.cue) for w in o.owners] for o in doc.obligations] == [[("党委", "职责")], [("生态环境局", "职责")]]
    news = extract_text("日前，江西省生态环境厅印发《江西省生态环境厅关于加强监管的若干措施》，全文如下。\n"
                        "一、加强监管\n（一）强化执法。加强执法检查。\n", "news.txt")
    assert news.title == "江西省生态环境厅关于加强监管的若干措施"
    assert news.jurisdiction == "江西省" and [b.name for b in news.issuers] == ["生态环境厅"]


def test_headed_paragraphs_inside_a_numbered_item_are_tasks():
    text = ("一、主要任务\n（一）强化生态环境监管。各级生态环境部门要加强监管。\n"
            "严格执法检查。加大对重点排污单位的执法检查力度，依法查处违法行为。\n"
            "推进信息公开。督促企业依法公开环境信息，接受社会监督。\n"
            "（二）基本原则。坚持问题导向。\n"
            "坚持依法治理。健全法律法规标准，严格执法、加强监管。\n"
            "坚持多方共治。明晰政府、企业、公众等各类主体权责。\n")
    assert [c.heading for c in segment(text)] == ["强化生态环境监管", "严格执法检查", "推进信息公开"]


def test_a_page_that_starts_inside_a_list_keeps_its_opening_paragraph():
    text = ("关于打好某市污染防治攻坚战的意见\n"
            "建立市级统筹、区级落实的工作机制，市环保部门牵头建立考核办法，各区每年向市委、市政府报告工作情况。\n"
            "(二)强化督察考核问责。严格环保督察，压紧压实主体责任。\n"
            "(三)加强宣传。做好宣传工作。\n")
    clauses = segment(text)
    assert [c.layout for c in clauses][:2] == ["paragraph", "numbered"]
    assert text[clauses[0].start:clauses[0].end].startswith("建立市级统筹")
    # a document that starts its list at (一) has no such paragraph
    assert segment(text.replace("(二)", "(一)").replace("(三)", "(二)"))[0].layout == "numbered"


@pytest.mark.parametrize(
    "text,deadline",
    [
        ("各省生态环境部门要将落实情况于每年1月底前报送生态环境部。", "每年1月底前"),
        ("按要求每月上报本单位工作情况。", "每月"),
        ("年内全县查处非法捕捞案件10例以上。", "年内"),
        ("每年向市委报告工作情况。", None),  # a duty that recurs, with no time limit stated
    ],
)
def test_recurring_deadlines(text, deadline):
    assert find_deadlines(text) == deadline


def test_articles_with_captions_and_principles_stated_with_a_modal():
    text = ("某市扬尘污染防治条例\n第一章 总则\n"
            "第一条（目的和依据） 为了防治扬尘污染，根据有关法律法规，结合本市实际，制定本条例。\n"
            "第二条（适用范围） 本条例适用于本市行政区域内扬尘污染防治活动。\n"
            "第三条（原则） 扬尘污染防治应当坚持政府负责、部门监管、属地管理的原则。\n"
            "第四条 生态环境保护应当牢固树立绿水青山就是金山银山的理念，坚持预防为主、损害担责的原则。\n"
            "第五条（政府职责） 市、县（市、区）人民政府负责本行政区域内的扬尘污染防治工作。\n"
            "第六条 各级人民政府应当坚持生态优先的原则，组织落实扬尘污染防治任务。\n")
    assert [c.number for c in segment(text)] == ["第五条", "第六条"]


def test_an_articles_caption_is_no_part_of_its_subject():
    from extract.pipeline import extract_text

    doc = extract_text("扬州市扬尘污染防治条例\n第一章 总则\n第五条（政府职责） 市、县（市、区）人民政府负责本行政区域内的扬尘污染防治工作。\n",
                       "tiaoli.txt")
    (article,) = doc.obligations
    assert [w.body.name for w in article.owners] == ["人民政府", "县(市、区)人民政府"]


NOTICE = ("生态环境部办公厅关于做好重污染天气应对工作的通知\n各省、自治区、直辖市生态环境厅（局）：\n"
          "为做好重污染天气应对工作，现将有关事项通知如下：\n"
          "一、修订应急预案。各省级生态环境部门要于2024年9月底前完成应急预案修订，并报生态环境部备案。\n"
          "二、更新减排清单。地方各级生态环境部门要会同有关部门更新应急减排清单。\n"
          "1.清单要覆盖全部涉气企业。\n"
          "三、加强监督检查。生态环境部将组织开展监督帮扶。\n生态环境部办公厅\n2024年3月1日\n")


def test_a_notice_whose_items_run_into_their_numbers():
    from extract.pipeline import extract_text

    doc = extract_text(NOTICE, "notice.txt")
    assert [o.number for o in doc.obligations] == ["一、", "二、", "三、"]
    assert "1.清单要覆盖全部涉气企业" in doc.obligations[1].text  # a lower item belongs to its part
    assert [w.body.name for w in doc.obligations[0].owners] == ["省(自治区、直辖市)生态环境部门"]
    # the 发文机关 before 关于 does not make it the ministry's own list: no default owner
    assert not any(w.implicit for o in doc.obligations for w in o.owners)


def test_a_replys_answers_are_no_tasks():
    reply = ("王某代表：您提出的“关于加强某项工作的建议”收悉。经认真研究，答复如下：\n"
             "一、关于加强立法。我部高度重视，已会同有关部门开展研究，下一步将推动修订。\n"
             "二、关于加大投入。中央财政已安排专项资金，我部将继续争取支持。\n")
    assert segment(reply) == []


@pytest.mark.parametrize("joiner", ["", "\n"])
def test_a_closing_paragraph_that_addresses_the_whole_document(joiner):
    text = ("关于推进某项改革的指导意见\n一、重点任务\n（一）精简审批。各级生态环境部门要精简审批环节。\n"
            "（二）创新政策。推广环境标志产品。" + joiner +
            "地方各级生态环境部门要勇于担当，按照本意见要求，结合本地区实际，于每年1月底前报送落实情况。\n")
    clauses = segment(text)
    assert [c.number for c in clauses] == ["（一）", "（二）", None]
    assert text[clauses[1].start:clauses[1].end].rstrip() == "（二）创新政策。推广环境标志产品。"
    assert text[clauses[2].start:clauses[2].end].startswith("地方各级生态环境部门要勇于担当")
    # a last item that only mentions the document is left whole
    whole = "一、任务\n（一）甲任务。按照本方案要求开展工作。\n（二）乙任务。完成整治。\n"
    assert [c.number for c in segment(whole)] == ["（一）", "（二）"]


def test_a_section_on_understanding_the_importance_is_no_task():
    text = ("某市关于加强环境保护工作的意见\n一、充分认识环境保护工作的重要性\n“十一五”期间，全市环境质量总体稳定。形势依然严峻。\n"
            "二、严格环境准入\n各县区人民政府要严格执行环境影响评价制度。\n")
    assert [c.heading for c in segment(text)] == ["严格环境准入"]


def test_a_notices_time_and_contact_items_are_no_tasks():
    text = ("某市生态环境局关于开展执法大练兵活动的通知\n各县（市、区）生态环境局：\n现将有关事项通知如下：\n"
            "一、活动时间。2024年4月至11月。\n二、工作要求。各县（市、区）生态环境局要高度重视，按时报送总结。\n"
            "三、联系方式。联系人：张三，电话：0796-1234567。\n")
    assert [c.number for c in segment(text)] == ["二、"]


# a county's breakdown of targets (a real text's layout): the （一） lines are bare
# headings, each followed at once by numbered tasks that name their own actors
HEADINGS_OVER_TASKS = """石城县落实市县长环保目标责任分解细则
一、工作任务
（一）环境建设
1、各乡镇政府继续推进2个生态文明村建设工作。各乡镇创建材料在6月末交到县环保局。
2、水务局加强新城自然保护区的建设管理，组织开展自然保护区执法检查1次。
（二）污染防治
1、农委要对全县耕地污染情况进行调查，完成土壤污染调查。
"""


def test_numbered_tasks_under_bare_headings_are_the_obligations():
    clauses = segment(HEADINGS_OVER_TASKS)
    assert [c.number for c in clauses] == ["1", "2", "1"]
    assert [c.section for c in clauses] == ["（一）环境建设", "（一）环境建设", "（二）污染防治"]


def test_a_heading_with_text_of_its_own_keeps_its_items():
    """（一） with a sentence of its own is the task; its 1、2、 are its steps."""
    text = HEADINGS_OVER_TASKS.replace("（一）环境建设", "（一）环境建设。各乡镇要加强生态建设。")
    clauses = segment(text)
    assert [c.number for c in clauses] == ["（一）", "（二）"]


def test_the_items_of_a_principles_part_are_not_obligations():
    """一、考核原则 / （一）坚持…相结合: principles, stated item by item (any …原则 heading)."""
    text = ("泰安市环境保护目标责任书考核细则\n一、考核原则\n（一）坚持定性考核与定量考核相结合；\n"
            "（二）坚持平时考核与年终考核相结合。\n二、考核方式\n（一）平时考核。平时考核由市环保局负责组织实施。\n")
    assert [c.heading for c in segment(text)] == ["平时考核"]


def test_a_part_listing_each_members_duties_under_its_name():
    """三、职责分工 / 县环保局。负责… / 县交通局、公路局。负责…: one task per member, owned by it."""
    from extract.pipeline import extract_text

    doc = extract_text("涡阳县秸秆禁烧工作实施方案\n三、组织领导及职责分工\n各组成单位及其职责如下：\n"
                       "县环保局。负责对全县秸秆禁烧工作实施统一监督，并承担县禁烧办的日常工作。\n"
                       "县交通局、公路局。负责对国道、省道两侧焚烧秸秆情况的巡查，依法进行查处。\n"
                       "县农委。负责全县农作物秸秆综合利用工作的督导。\n", "jinshao.txt")
    assert [(o.heading, [w.body.name for w in o.owners]) for o in doc.obligations] == [
        ("县环保局", ["环保局"]), ("县交通局、公路局", ["交通运输局", "公路局"]), ("县农委", ["农委"])]


NOTICE_OF_A_CITY = ("嵊州市人民政府关于禁止露天焚烧的通告\n各乡(镇)人民政府、街道办事处，市政府各部门：\n"
                    "为减少灰霾污染，现就禁止露天焚烧有关事项通告如下：\n"
                    "一、禁止任何单位和个人在本行政区域内露天焚烧农作物秸秆、落叶等产生烟尘污染的物质。\n"
                    "二、各乡镇(街道)要强化属地管理责任，组织村(社区)干部及时劝阻、处置露天焚烧行为。\n"
                    "三、综合执法局要勤勉履职，对违规行为进行查处。\n嵊州市人民政府\n2021年6月3日\n")


def test_a_public_notices_short_items_and_its_signature():
    """通告如下 frames tasks; 三、X要…，…。 (short, a sentence) is an item, not a part heading;
    the signature and date after it are no part of it; a county-level city is 县级."""
    from extract.pipeline import extract_text

    doc = extract_text(NOTICE_OF_A_CITY, "notice.txt")
    assert (doc.jurisdiction, doc.jurisdiction_level) == ("嵊州市", "县级")
    assert [o.number for o in doc.obligations] == ["一、", "二、", "三、"]
    assert doc.obligations[-1].text.endswith("对违规行为进行查处。")
    assert [w.body.name for w in doc.obligations[2].owners] == ["城管局"]


def test_the_signers_place_is_the_documents():
    """A notice titled without a place, signed by a county's body after its items."""
    from extract.pipeline import extract_text

    doc = extract_text("关于全县禁止正月十六燃烧木柴的通知\n各乡镇人民政府，县政府有关部门：\n特此通知如下：\n"
                       "一、2月20日早晨4时至中午12时，全县范围内禁止燃烧秸秆、木柴等杂物。\n"
                       "二、县直各部门及各乡镇、村要通过多种形式加强宣传教育，倡导群众度过健康、洁净的元宵佳节。\n"
                       "临漳县大气污染防治工作领导小组办公室\n2019年2月13日\n", "linzhang.txt")
    assert doc.jurisdiction == "临漳县"
    # a catch-all (县直各部门) and the villages (村) name no body; 各乡镇 acts by its committee and government
    assert [w.body.name for w in doc.obligations[1].owners] == ["乡镇党委", "乡镇人民政府"]


def test_conditions_to_keep_are_tasks():
    """A permit's conditions (应遵守以下条件：一、…二、…) are the holder's tasks."""
    text = ("在建造过程中，中国科学院上海应用物理研究所应遵守以下条件：一、作为营运单位，应遵守国家有关法律、法规和技术标准，"
            "接受国家核安全局的核安全监督管理。二、建造许可证有效期届满，如需要延期建造，应报国家核安全局审查批准。"
            "三、履行在《建造许可证申请书》以及审评过程中的承诺，如对这些文件进行修改，应向国家核安全局提出申请。")
    assert [c.number for c in segment(text)] == ["一、", "二、", "三、"]


@pytest.mark.parametrize("text,deadline", [
    # a national division of work: the month of the plan's own year, after the owners
    ("30.强化大气污染综合治理。（生态环境部、国家发展改革委等按职责分工负责，12月底前完成）", "12月底前"),
    # a year in a plan's name is no deadline; the month after the owners is
    ("31.制定2030年前碳排放达峰行动方案。（国家发展改革委、生态环境部等按职责分工负责，12月底前完成）", "12月底前"),
    ("2025年前完成国土空间规划编制。", "2025年前"),
    ("各地应于每年12月31日前确定下一年度名录。", "每年12月31日前"),
])
def test_month_deadlines_and_years_in_names(text, deadline):
    assert find_deadlines(text) == deadline


TASKS_THEN_SAFEGUARDS = """宁德市重点任务分工方案
一、深入打好蓝天保卫战
1.实施重点行业深度治理。推进钢铁行业超低排放改造。（牵头单位：市生态环境局）
2.加强柴油货车污染治理。严厉打击超标排放行为。（责任单位：市公安局）
二、保障措施
（一）加强组织领导。各县（市、区）人民政府每年向市委、市政府报告工作进展情况。
（二）强化监督考核。市委生态环境保护督察办公室要加强督查。
"""


def test_a_part_whose_items_are_of_another_level_keeps_them_as_clauses():
    """Tasks numbered 1. 2. under their parts, then 三、保障措施 with （一）（二）: the
    safeguards are tasks too, not headings grouping nothing."""
    clauses = segment(TASKS_THEN_SAFEGUARDS)
    assert [c.number for c in clauses] == ["1", "2", "（一）", "（二）"]
    assert clauses[2].heading == "加强组织领导" and clauses[2].section == "二、保障措施"


NOTICE_ITEMS = """某某市人民政府关于加强秸秆禁烧工作的通告
为切实改善空气质量，现就有关事项通告如下：
一、本市行政区域内禁止露天焚烧秸秆、落叶、垃圾等废弃物。
二、各县（区）人民政府是秸秆禁烧工作的责任主体，乡镇人民政府负责本辖区内的日常巡查。
三、市生态环境局负责秸秆禁烧工作的统一监督管理；市公安局负责依法查处阻碍执法的违法行为。
四、本通告自发布之日起施行。
某某市人民政府
2023年9月1日
"""


def test_a_notices_items_that_read_like_headings_are_items():
    """一、…。 with 二、 right under it heads no part: every 一、 line of the notice is an
    item, the first and the last too; the closing 本通告自…施行 assigns nothing."""
    clauses = segment(NOTICE_ITEMS)
    assert [c.number for c in clauses] == ["一、", "二、", "三、"]
    assert NOTICE_ITEMS[clauses[0].start:clauses[0].end] == "一、本市行政区域内禁止露天焚烧秸秆、落叶、垃圾等废弃物。"


def test_articles_of_a_regulation_run_into_its_title_on_one_line():
    """A page copied onto one line: 第一章 and 第一条 follow the title with no sentence end
    before them; the second chapter and the second article, after one, confirm them.
    Purpose and definitions frame the text; a citation's 《…》第一条 is no article."""
    text = ("碳排放权交易管理办法（试行）第一章总则第一条为规范碳排放权交易，制定本办法。"
            "第二条生态环境部负责建设全国碳排放权交易市场，依照《环境保护法》第一条规定开展工作。"
            "第二章监督管理第三条省级生态环境主管部门负责组织开展核查。第四条本办法中下列用语的含义：（一）温室气体：是指…。\n")
    clauses = segment(text)
    assert [c.number for c in clauses] == ["第二条", "第三条"]
    assert clauses[1].section == "第二章监督管理"


MERGED_CATEGORY = ("某某市大气污染防治重点任务分工表\n序号\t类别\t重点任务\t牵头单位\t配合单位\t完成时限\n"
                   "1\t工业污染治理\t完成钢铁企业超低排放改造\t市生态环境局\t市工信局\t2024年底\n"
                   "2\t推进工业炉窑深度治理\t市生态环境局\t市发改委\t2025年6月底\n"
                   "3\t交通污染治理\t淘汰老旧柴油货车\t市交通运输局\t市公安局\n")


def test_a_table_row_that_lost_a_merged_cell_keeps_its_columns():
    """Row 2 shares row 1's category (a merged cell, gone from the flattened row): its cells
    sit against the right end; row 3 lost only its empty last cell and keeps its order."""
    rows = segment(MERGED_CATEGORY)
    assert [r.cells.get("task") for r in rows] == ["完成钢铁企业超低排放改造", "推进工业炉窑深度治理", "淘汰老旧柴油货车"]
    assert (rows[1].cells["lead"], rows[1].cells["support"], rows[1].cells["deadline"]) == ("市生态环境局", "市发改委", "2025年6月底")
    assert rows[2].cells["support"] == "市公安局" and "deadline" not in rows[2].cells
    start, end = rows[1].cell_spans["lead"]
    assert MERGED_CATEGORY[start:end] == "市生态环境局"


def test_tasks_enumerated_after_a_frame_that_announces_them():
    """一是…。二是… after 做好以下工作： in a letter with no other marker: each is a task; the
    same enumeration in a reply (答复如下) tells work done, not tasks."""
    letter = ("关于对发现问题进行督办的函西安市人民政府：经排查，部分企业存在问题。请你市高度重视，督促相关单位做好以下工作："
              "一是加快淘汰落后产能。进一步排查淘汰类工业炉窑。二是加强无组织排放管控。依法责令停业整顿。\n")
    clauses = segment(letter)
    assert [(c.number, c.heading) for c in clauses] == [("一是", "加快淘汰落后产能"), ("二是", "加强无组织排放管控")]
    assert letter[clauses[1].start:clauses[1].end] == "二是加强无组织排放管控。依法责令停业整顿。"
    reply = "某代表：您提出的建议收悉。经认真研究，答复如下：我部主要开展了以下工作：一是印发方案。二是签订协议。\n"
    assert segment(reply) == []


def test_a_table_of_contents_and_an_emergency_plans_framing_are_no_tasks():
    """A plan's table of contents (一、总则... 1) is no clause; the numbered framing
    of an emergency plan (1.1 编制目的, 1.2 编制依据 and the acts it lists) is none
    either; its duties are; the plan's title is its kind's (预案), not a heading's."""
    from extract.pipeline import extract_text

    text = ("XX市重污染天气应急预案\n目录\n一、总则... 1\n（一）编制目的... 1\n二、组织体系... 3\n"
            "1 总则\n1.1 编制目的\n为及时有效应对重污染天气，制定本预案。\n1.2 编制依据\n"
            "1)《中华人民共和国大气污染防治法》2018.10.26\n2)国务院《大气污染防治行动计划》2013.9.10\n"
            "1.3 适用范围\n本预案适用于本市行政区域内的重污染天气应对工作。\n"
            "2 组织体系\n2.1 应急领导小组\n市生态环境局负责应急领导小组办公室的日常工作。\n"
            "2.2 信息报告\n2.2.1 报告时限\n各县（区）人民政府应当及时报告应急响应措施落实情况。\n")
    doc = extract_text(text, "plan.txt")
    assert doc.title == "XX市重污染天气应急预案"
    assert [ob.heading for ob in doc.obligations] == ["应急领导小组", "信息报告"]
    assert "及时报告" in doc.obligations[-1].text  # 2.2.1 and its text belong to 2.2


def test_a_notices_items_among_a_line_broken_inside_one():
    """A notice copied with one item broken over two lines (…给予警告、罚 / 款、拘留…) keeps every
    item: the broken one is read as a part with its text, the others stay items; the title line
    above the preamble is no heading, and the closing 本通告自发布之日起施行 is no task."""
    from extract.pipeline import extract_text

    text = ("桂东县人民政府\n关于禁止露天焚烧秸秆的通告\n为切实做好秸秆禁烧工作，改善城乡生态环境，防止引发火灾，维护公共安全，"
            "根据有关规定，现将有关事项通告如下：\n"
            "一、本县行政区域内禁止任何单位和个人露天焚烧秸秆和产生有毒有害烟尘恶臭气体的物质。\n"
            "二、各乡镇人民政府负责所辖行政区的禁止露天焚烧秸秆工作，切实做好宣传、巡查等工作。\n"
            "三、对阻碍国家机关工作人员依法执行公务的，由公安机关依法给予警告、罚\n款、拘留等行政处罚。\n"
            "四、设立举报电话：12369，接受社会各界的监督举报。\n五、本通告自发布之日起施行。\n桂东县人民政府\n2017年10月23日\n")
    doc = extract_text(text, "notice.txt")
    assert [ob.text[:2] for ob in doc.obligations] == ["一、", "二、", "三、", "四、"]


def test_a_plans_contents_without_page_numbers_are_no_tasks():
    """（一）建设基础 / 1.区域特征 …: most clauses are bare headings, a contents page copied
    without its page numbers; the transmittal under a document number is no headed clause."""
    contents = ("镇赉县生态文明建设示范区规划\n目录\n一、总论\n（一）建设基础\n1.区域特征\n2.工作基础\n（二）规划范围\n"
                "（三）规划期限\n二、主要任务\n（一）生态制度体系建设\n1.完善生态环境保护制度\n（二）生态安全体系建设\n")
    assert segment(contents) == []
    transmittal = ("常生环委发〔2019〕9号\n各区县市人民政府，市直有关单位：《推进方案》已经市人民政府同意，现印发给你们，"
                   "请认真贯彻执行。常德市生态环境保护委员会 2019年6月17日\n")
    assert segment(transmittal) == []


def test_a_public_notices_rules_among_headed_parts():
    """通告如下: parts with headings (一、禁燃禁放范围 / 五华县行政辖区全域。), then rules numbered 四、…
    with nothing under them (one with a stray space: 四 、): every one is a clause."""
    from extract.pipeline import extract_text

    text = ("五华县人民政府关于禁止燃放烟花爆竹的通告\n为改善环境空气质量，县人民政府决定实施禁燃禁放。现将有关事项通告如下：\n"
            "一、禁燃禁放范围\n五华县行政辖区全域。\n二、禁燃禁放时间\n2023年2月6日起至2023年4月30日止。\n"
            "三 、违反本通告规定的，由公安机关依法予以处罚。\n四、各镇人民政府要落实属地责任，负责辖区内的宣传和巡查。\n"
            "特此通告。\n五华县人民政府\n2022年11月22日\n")
    doc = extract_text(text, "fireworks.txt")
    assert [ob.text[:2] for ob in doc.obligations] == ["一、", "二、", "三、", "四、"]


@pytest.mark.parametrize("text, owners", [
    # one cell a line (a web page's table copied as text)
    ("某县2023年大气污染防治重点任务分解表\n序号\n重点任务\n责任单位\n完成时限\n"
     "1\n开展燃煤锅炉综合整治，淘汰10蒸吨以下燃煤锅炉。\n县生态环境局、县市场监管局\n2023年12月底\n"
     "2\n加强施工扬尘管控，落实“六个百分百”要求。\n县住建局\n长期坚持\n"
     "3\n强化秸秆禁烧，严防露天焚烧秸秆。\n县农业农村局\n2023年11月底\n附件2\n",
     [["生态环境局", "市场监督管理局"], ["住建局"], ["农业农村局"]]),
    # cells separated by spaces, the header on one line and each row under it likewise
    ("某县2023年大气污染防治重点任务分解表\n序号 重点任务 责任单位 完成时限\n"
     "1 开展燃煤锅炉综合整治，淘汰燃煤锅炉。 县生态环境局、县市场监管局 2023年12月底\n"
     "2 加强施工扬尘管控。  县住建局 长期坚持\n",
     [["生态环境局", "市场监督管理局"], ["住建局"]]),
])
def test_a_table_copied_as_text(text, owners):
    """序号 / 重点任务 / 责任单位 / 完成时限 without tabs: each row is a task owned by its 责任单位,
    with its deadline, and every owner's evidence is the text at its place in the file."""
    from extract.pipeline import extract_text

    doc = extract_text(text, "table.txt")
    assert [[ow.body.name for ow in ob.owners] for ob in doc.obligations] == owners
    assert doc.obligations[0].deadline == "2023年12月底"
    for ob in doc.obligations:
        for ow in ob.owners:
            assert text[ow.evidence.start:ow.evidence.end] == ow.evidence.quote


def test_a_title_broken_after_guanyu_and_a_date_above_the_body_are_no_headings():
    text = ("湘乡市人民政府关于\n禁止露天焚烧秸秆的通告\n为推进生态文明建设，根据有关法律法规规定，市人民政府决定在全市范围内禁止露天焚烧秸秆。\n"
            "2020年6月3日\n现将有关事项通告如下：\n一、本市行政区域内禁止任何单位和个人露天焚烧秸秆。\n"
            "二、乡镇人民政府要加强巡查。\n")
    assert [c.number for c in segment(text)] == ["一、", "二、"]

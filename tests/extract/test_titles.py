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
    # a masthead (版头) and document number run together before the title
    ("生态环境部国家发展和改革委员会文件环气候〔2020〕57号关于促进应对气候变化投融资的指导意见各省、自治区、直辖市生态环境厅（局）：为推动",
     "关于促进应对气候变化投融资的指导意见"),
    # a title restated in 《》 by the order that follows it
    ("环境监管重点单位名录管理办法《环境监管重点单位名录管理办法》已于2022年8月15日审议通过，现予公布。",
     "环境监管重点单位名录管理办法"),
])
def test_a_title_run_together_with_the_text(text, expected):
    assert title(text) == expected


def test_the_number_of_a_masthead_run_together():
    text = "生态环境部办公厅中央文明办秘书局文件环办宣教函〔2021〕266号关于公布先进典型名单的通知各省：现予公布。"
    assert find_doc_number(text) == "环办宣教函〔2021〕266号"


@pytest.mark.parametrize("kind", ["通报", "公报", "决议", "请示", "纪要"])
def test_the_formal_kinds_of_official_documents(kind):
    assert kind_of(f"关于某项工作的{kind}") == kind


def test_an_impact_report_is_no_kind_of_its_own():
    # 报告书 and 排放报告 end phrases inside titles: the document is the 批复
    text = "关于某水库工程环境影响报告书的批复某省水利厅：你厅报送的报告书收悉。"
    assert title(text) == "关于某水库工程环境影响报告书的批复"

"""A body the text sets up to do the work owns it: 省政府成立…领导小组，研究制定…
(成立/组建/设立 + a coordinating body, then its duties; extract/data/creation_verbs.txt)."""
from extract.pipeline import extract_text

TEXT = """福建省某某改革实施方案
（一）加强组织领导
省委和省政府统一领导全省改革工作。省政府成立改革工作领导小组，研究制定相关政策措施，协调解决改革工作中出现的困难和问题。
（二）完善制度
建立健全联席会议制度，定期会商。
"""


def _owners(doc, k):
    return {(w.body.name, w.role) for w in doc.obligations[k].owners}


def test_a_body_set_up_with_its_duties_owns_the_clause():
    doc = extract_text(TEXT, "fj.txt")
    assert ("改革工作领导小组", "responsible") in _owners(doc, 0)
    assert ("人民政府", "lead") in _owners(doc, 0)  # 统一领导 still reads as before


def test_setting_up_an_arrangement_is_not_a_body():
    doc = extract_text(TEXT, "fj.txt")
    assert not any("联席会议" in name for name, _ in _owners(doc, 1))


ARTICLE = """丰溪县生态环境网格化监管办法
第十条　县有关部门在各自职责范围内做好网格化监管相关工作：
（一）县农业农村局负责指导畜禽养殖污染防治；
（二）县自然资源局负责查处非法占用土地的行为；
3.县水务局负责河湖管理保护。
其他有关部门按照职责分工做好相关工作。
"""


def test_items_of_a_list_inside_an_article_name_their_owners():
    """（一）县农业农村局负责…: the item's marker is not part of the subject."""
    doc = extract_text(ARTICLE, "wg.txt")
    owners = {(w.body.name, w.role) for o in doc.obligations for w in o.owners}
    assert {("农业农村局", "responsible"), ("自然资源局", "responsible"), ("水务局", "responsible")} <= owners


def test_those_who_join_a_lead_support_it():
    """建立由A、B共同牵头，C、D等参与的…机制: A and B lead, C and D support."""
    doc = extract_text("浙江省某某方案\n（一）建立协调推进机制。建立由省生态环境厅、省财政厅共同牵头，"
                       "省发展改革委、省商务厅等参与的协调推进机制，定期会商重大事项。\n", "zj.txt")
    owners = {(w.body.name, w.role) for w in doc.obligations[0].owners}
    assert owners == {("生态环境厅", "lead"), ("财政厅", "lead"), ("发展改革委", "support"), ("商务厅", "support")}


def test_places_named_as_doers_are_their_governments():
    """支持丽水市深化…试点: a division below the document's place, named as the doer
    after 支持/鼓励 (data/place_actor_verbs.txt), is its people's government."""
    doc = extract_text("浙江省某某方案\n（一）开展试点。支持丽水市深化国家气候投融资试点建设。\n"
                       "（二）深化改革。支持湖州市、衢州市深化绿色金融改革创新试验区建设。\n"
                       "（三）其他。支持丽水市的企业发行绿色债券。鼓励金融机构加大支持。\n", "zj2.txt")
    got = [{(w.body.jurisdiction, w.body.name, w.role) for w in o.owners} for o in doc.obligations]
    assert got[0] == {("丽水市", "人民政府", "responsible")}
    assert got[1] == {("湖州市", "人民政府", "responsible"), ("衢州市", "人民政府", "responsible")}
    assert got[2] == set()

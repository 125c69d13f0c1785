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

"""A class of bodies (every county's government) is named as a class, never as a
body that does not exist (issue 11): 各州市人民政府 in an Ili plan is not
'伊犁哈萨克自治州州市人民政府'; a named zone stays one body."""
import pytest

from extract.bodies import BodyParser, make_context


@pytest.mark.parametrize("place, written, label", [
    ("伊犁哈萨克自治州", "各州市人民政府", "伊犁哈萨克自治州各州市人民政府"),
    ("漳州市", "各县(区)党委", "漳州市各县(区)党委"),
    ("漳州市", "开发区(投资区、高新区)管委会", "漳州市各开发区(投资区、高新区)管委会"),
    ("新疆维吾尔自治区", "地(州、市)人民政府", "新疆维吾尔自治区各地(州、市)人民政府"),
])
def test_a_class_reads_as_a_class(place, written, label):
    (body,) = BodyParser(make_context(place)).parse_list(written)
    assert body.of_class
    assert body.label == label


@pytest.mark.parametrize("place, written, label", [
    ("漳州市", "市生态环境局", "漳州市生态环境局"),
    ("漳州市", "古雷开发区管委会", "漳州市古雷开发区管委会"),
    ("伊犁哈萨克自治州", "州生态环境局", "伊犁哈萨克自治州生态环境局"),
])
def test_one_body_reads_as_one(place, written, label):
    (body,) = BodyParser(make_context(place)).parse_list(written)
    assert not body.of_class
    assert body.label == label


def test_class_flag_does_not_split_a_body():
    """Equality and hashing ignore the flag: the same body found two ways is one."""
    parser = BodyParser(make_context("漳州市"))
    (a,) = parser.parse_list("各县(区)人民政府")
    assert a == type(a)(a.name, a.jurisdiction, a.type, a.surface, of_class=False)


def test_the_bingtuan_has_no_peoples_government():
    """兵地各级党委和政府: the 兵团's side keeps 政府 as written (it has no 人民政府,
    extract/data/no_people_government.tsv); the region's side is its 人民政府."""
    bodies = BodyParser(make_context("新疆维吾尔自治区")).parse_list("兵地各级党委和政府")
    keys = {(b.jurisdiction, b.name) for b in bodies}
    assert ("新疆生产建设兵团", "政府") in keys
    assert ("新疆生产建设兵团", "人民政府") not in keys
    assert ("新疆维吾尔自治区", "人民政府") in keys


@pytest.mark.parametrize("written, names", [
    ("各级党委和政府", ["地方各级党委", "地方各级人民政府"]),
    ("地方党委和政府", ["地方各级党委", "地方各级人民政府"]),
    ("地方生态环境部门", ["地方各级生态环境部门"]),
])
def test_a_national_texts_party_committees_and_governments_are_the_local_ones(written, names):
    """The centre's own are 党中央 and 国务院: a national text's 各级党委和政府 is the
    class of local ones (地方各级…), never a 人民政府 @国家 that does not exist."""
    bodies = BodyParser(make_context("国家")).parse_list(written)
    assert [b.name for b in bodies] == names
    assert all(b.of_class and b.jurisdiction == "国家" for b in bodies)


def test_the_state_council_is_the_central_government():
    (body,) = BodyParser(make_context("国家")).parse_list("国务院")
    assert (body.name, body.type) == ("国务院", "government")  # not a 院 of the courts

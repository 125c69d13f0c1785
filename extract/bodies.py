"""Bodies: names of party committees, governments, departments … → canonical bodies.

A body as written carries a place (``伊犁州``), a level word (``市``, ``县(区)``)
or nothing, then a name (``生态环境局``, ``发改委``). This module splits the
three apart with the vocabulary in ``data/`` (levels, places, body names and
suffixes, folding rules) and code for what a list cannot do:

- lists (``市生态环境局、财政局``): later items inherit the first's place;
- distribution (``地(州、市)、县(市、区)党委和政府`` is four bodies;
  ``漳州开发区、常山开发区党工委和管委会`` is four);
- classes of lower-level bodies (``各县(区)党委``) keep the level in the name
  and take the document's place as jurisdiction.

Places come from the document (see :class:`PlaceContext`); a place that is in
no list still works when the document names it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .records import BODY_TYPES, Body
from .vocab import load_lines, load_tsv

LEVEL_RANK = {"国家": 0, "省级": 1, "地级": 2, "县级": 3, "乡级": 4}
# names whose first character is a level word but not a level
WORDS_STARTING_WITH_A_LEVEL = load_lines("level_lookalikes.txt")
# the villages' self-government (村, 社区, 村(社区) …: data/villages.txt), a catch-all written bare
VILLAGES = load_lines("villages.txt")
GENERIC_REST = re.compile(r"^(有关|相关|其他|各)?(部门|单位|机构|方面|地方|地区|组织|领导|人员|负责人|主要负责人|责任人|%s)$"
                          % "|".join(map(re.escape, VILLAGES)))
ZONE_SUFFIXES = load_lines("zone_suffixes.txt")
_ETHNIC = re.compile("(%s)$" % "|".join(map(re.escape, load_lines("ethnic_names.txt"))))
ZONE_RE = re.compile(r"^(.{0,10}?(?:%s)(?:\([^()]{1,12}\))?)" % "|".join(ZONE_SUFFIXES))
_EACH_MEMBER = re.compile(r"各(成员单位)$")
_ALT_NAME = re.compile(r"^(.+?)\(([^()]{1,10})\)$")
_NOT_IN_A_NAME = re.compile(r"[\d“”\"'‘’「」]|简称")  # dates, quotes, abbreviations: a sentence, not a name
_PUNCT = re.compile(r"[，,。；;：:、]")
_ETC = re.compile(r"等[^、，,]{0,8}$")
_ALL_LEVELS = re.compile(r"^(全[省区州市县国])?(各级|各)")
_CONCERNED = re.compile(r"^(有关|相关)")
# 所在地乡镇人民政府, 事发地区县人民政府: which of a class acts (data/locative_prefixes.txt); 或者 joins like 或
_LOCATIVE = re.compile("^(?:%s)" % "|".join(map(re.escape, load_lines("locative_prefixes.txt"))))
_GENERIC_LEAD = re.compile(r"^(各级|各|有关|相关)")
PAREN_NORM = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")"})  # 县〔区〕 is 县(区) in a name
LIST_SEPARATORS = "、，,；;"
CONJUNCTIONS = ("和", "及", "与", "以及", "并", "或")


@lru_cache(maxsize=1)
def _level_inside() -> re.Pattern[str]:
    """A level word with 级 (levels.tsv: 省级, 市级 …) after other words and not after a level
    character (地州市级 is one level word): a heading run into a name, which starts there
    (拓宽信息化管理新模式省级生态环境主管部门)."""
    words = sorted((w for w, _, _ in vocab().levels if w.endswith("级")), key=len, reverse=True)
    return re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![省市州县区])(?:%s)" % "|".join(map(re.escape, words)))


@lru_cache(maxsize=1)
def _tier_word() -> re.Pattern[str]:
    """A tier of government written alone with 级 (市级, 区级, 村(社区)级): a level word of
    levels.tsv below the province's, or a village word (data/villages.txt, named in
    tiered duties), then 级. The province's own (省级) is a class prefix, not a tier."""
    words = sorted({w for w, level, _ in vocab().levels if level in ("地级", "县级", "乡级") and not w.endswith("级")}
                   | set(VILLAGES), key=len, reverse=True)
    return re.compile(r"(%s)级" % "|".join(map(re.escape, words)))


@lru_cache(maxsize=1)
def _province_words() -> tuple[str, ...]:
    """The level words of a province (省, 自治区, 直辖市 … in levels.tsv)."""
    return tuple(w for w, level, cls in vocab().levels if level == "省级" and cls == "self" and not w.endswith("级"))


@lru_cache(maxsize=1)
def _one_character_suffixes() -> frozenset[str]:
    """部, 厅, 局, 委, 办 …: the one-character department suffixes (body_suffixes.tsv)."""
    return frozenset(sfx for sfx, typ, _ in vocab().suffixes if len(sfx) == 1 and typ == "department")


@lru_cache(maxsize=1)
def _joined_committee_government() -> re.Pattern[str]:
    """(the committee)(the government) of one level written as one word: 市委市政府, 党委政府."""
    words = "|".join(map(re.escape, _level_words()[1]))
    return re.compile(rf"((?:各级|各)?(?:{words})?(?:党)?委)((?:{words})?(?:人民)?政府)")


@lru_cache(maxsize=1)
def _level_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """(the class words of levels.tsv, every level word, longest first)."""
    levels = vocab().levels
    return frozenset(w for w, _, cls in levels if cls == "class"), tuple(w for w, _, _ in levels)


# a city ecology-environment bureau's branch named after a county: 韶岭市生态环境局丰溪分局
_CITY_BUREAU_BRANCH_RE = re.compile(r"^[\u4e00-\u9fff]{0,10}?(?:市|州|盟)生态环境局([\u4e00-\u9fff]{1,6}?)分局$")
# the last item of a list of sectors: 住房城乡建设等部门, 自然资源等有关部门, 水利主管部门
_SECTOR_TAIL_RE = re.compile(r"^(.{2,12}?)(?:等)?(?:有关|相关)?((?:主管)?部门)$")
# a bare place acts by its party committee and government, a zone by its 党工委 and 管委会
_BARE_ACTORS = ("党委", "人民政府", "党工委", "管委会")


@lru_cache(maxsize=1)
def stop_words() -> re.Pattern[str]:
    """Words never inside a suffix-only body name (data/body_name_stopwords.txt)."""
    return re.compile("|".join(re.escape(w) for w in load_lines("body_name_stopwords.txt")))


@lru_cache(maxsize=1)
def _class_prefixes() -> tuple[tuple[str, str, str], ...]:
    rows = [(norm(r["prefix"]), r["class"], r["scope"]) for r in load_tsv("class_prefixes.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _concatenated_central(s: str) -> list[str] | None:
    """Two or more central bodies written without separators (a signature block
    copied into one line), split by the central-body list; None otherwise."""
    from .divisions import central_body

    if len(s) < 6 or s[:2] not in _central_openings():
        return None
    best: list[list[str] | None] = [None] * (len(s) + 1)
    best[0] = []
    for i in range(len(s)):
        if best[i] is None:
            continue
        for j in range(i + 2, min(len(s), i + 24) + 1):
            if best[j] is None and central_body(s[i:j]) is not None and not central_body(s[i:j]).parent:
                best[j] = best[i] + [s[i:j]]
    return best[len(s)] if best[len(s)] and len(best[len(s)]) >= 2 else None


@lru_cache(maxsize=1)
def _central_openings() -> frozenset[str]:
    from .divisions import central_bodies

    return frozenset(n[:2] for b in central_bodies() for n in (b.name, *b.short) if len(n) >= 2)


def _central_type(name: str) -> str:
    from .divisions import central_body

    body = central_body(name)
    return body.type if body else "department"


@lru_cache(maxsize=1)
def _suffix_lookalikes() -> tuple[str, ...]:
    return tuple(load_lines("suffix_lookalikes.txt"))


@lru_cache(maxsize=1)
def _parallel_units() -> frozenset[str]:
    return frozenset(load_lines("parallel_units.txt"))


def _after_class(rest: str) -> str:
    """人民政府 written after a level class (市、县级人民政府) may lose its 人民: 政府 → 人民政府."""
    return "人民政府" if rest == "政府" else rest


@lru_cache(maxsize=1)
def _no_people_government() -> dict[str, str]:
    return {r["place"]: r["name"] for r in load_tsv("no_people_government.tsv")}


def government_of(place: str) -> str:
    """人民政府, or what a place without a people's government calls its administration (兵团: 政府)."""
    return _no_people_government().get(place, "人民政府")


_LOCAL_ONLY = frozenset(load_lines("local_only_bodies.txt"))  # the centre never calls them its own


@lru_cache(maxsize=1)
def _local_class() -> str:
    """The class word for every local level, from class_prefixes.tsv (地方各级)."""
    return next(cls for prefix, cls, _ in _class_prefixes() if prefix == "地方各级")


# a body set up under another (领导小组下设办公室, 环委会下设办公室): the office of that body
_SET_UP_UNDER = re.compile(r"(?<=[会组委部局厅])下设(?=[\u4e00-\u9fff]{0,8}(?:办公室|工作组|专班|办))")


# a national institution's branch named with its place inside (国家开发银行浙江省分行, 中国农业发展银行湖南省分行)
_PLACED_BRANCH_RE = re.compile(r"^(?:中国|国家)?([\u4e00-\u9fff]{2,6}?银行)([\u4e00-\u9fff]{2,8}?(?:省|市|自治区|州|县|区))(分行|支行|中心支行)$")


def _names_a_class(stem: str) -> bool:
    """Whether a name's stem makes it every body of a kind below the document's
    place: a class word (县(区), 州市, 地方各级, 省(自治区、直辖市)) or a zone
    word standing alone (开发区(园区)); a named zone (古雷开发区) is one place."""
    if not stem:
        return False
    bare = re.sub(r"\([^()]*\)", "", norm(stem))
    return not bare.endswith(ZONE_SUFFIXES) or bare in ZONE_SUFFIXES


@lru_cache(maxsize=65536)
def norm(s: str) -> str:
    """Brackets folded to half-width, spaces removed (memoised: names recur in every clause)."""
    return s.translate(PAREN_NORM).replace(" ", "").replace("\u3000", "")


@dataclass(frozen=True)
class _Vocab:
    names: dict[str, tuple[str, str]]  # alias or name → (canonical, type)
    suffixes: tuple[tuple[str, str, int], ...]
    rules: tuple[tuple[re.Pattern[str], str, str], ...]
    levels: tuple[tuple[str, str, str], ...]  # (word, level, class) longest first
    places: dict[str, tuple[str, str]]  # surface → (canonical, level)


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    names: dict[str, tuple[str, str]] = {}
    for row in load_tsv("bodies.tsv"):
        names[norm(row["name"])] = (norm(row["name"]), row["type"])
    for row in load_tsv("bodies.tsv"):
        for alias in filter(None, row["aliases"].split("|")):
            names.setdefault(norm(alias), (norm(row["name"]), row["type"]))
    suffixes = tuple(sorted(((r["suffix"], r["type"], int(r["min"])) for r in load_tsv("body_suffixes.tsv")),
                            key=lambda x: -len(x[0])))
    rules = tuple((re.compile(r["pattern"]), r["name"], r["type"]) for r in load_tsv("body_rules.tsv"))
    levels = tuple(sorted(((norm(r["word"]), r["level"], r["class"]) for r in load_tsv("levels.tsv")),
                          key=lambda x: -len(x[0])))
    places: dict[str, tuple[str, str]] = {}
    for r in load_tsv("places.tsv"):
        places[r["name"]] = (r["name"], r["level"])
        for short in filter(None, r["short"].split("|")):
            if len(short) >= 2:
                places.setdefault(short, (r["name"], r["level"]))
    return _Vocab(names, suffixes, rules, levels, places)


# A place the division data does not know is at most this long (县/市 names are
# two to four characters, a few five, plus the level word); every province is
# known, so an unknown name at a province's level (…省, …自治区) is a phrase run
# into a name (拓宽信息化管理新模式省级…).
MAX_UNKNOWN_PLACE = 7
PLACE_RE = re.compile(
    r"([\u4e00-\u9fff]{1,10}?(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|省|市|州|地区|盟|县|区|旗))"
)


def place_level(name: str) -> str:
    """省级/地级/县级 of a place: the division data's when it knows the place (a
    county-level city, 嵊州市, is 县级), else by how its name ends."""
    if name == "国家":
        return "国家"
    from .divisions import division

    known = division(name)
    if known is not None and known.level in ("省级", "地级", "县级"):
        return known.level
    if name.endswith(("省", "自治区", "特别行政区")) or name in ("北京市", "天津市", "上海市", "重庆市", "新疆生产建设兵团"):
        return "省级"
    if name.endswith(("自治州", "州", "地区", "盟", "市")):
        return "地级"
    if name.endswith(("县", "区", "旗", "自治县")):
        return "县级"
    if name.endswith(("镇", "乡", "街道", "苏木")):
        return "乡级"
    return "地级"


@dataclass
class PlaceContext:
    """The places a document speaks of, for resolving bare level words.

    place (str): the document's own jurisdiction (canonical).
    level (str): its level (省级/地级/县级).
    parent (str | None): the province-level place above it, when known.
    surfaces (dict): every spelling of a known place → canonical name.
    """

    place: str
    level: str
    parent: str | None = None
    surfaces: dict[str, str] = field(default_factory=dict)
    above: dict[str, str] = field(default_factory=dict)  # level → the division above the place at that level

    def add(self, surface: str, canonical: str) -> None:
        if len(surface) >= 2:
            self.surfaces.setdefault(surface, canonical)

    def by_level(self, level: str) -> str | None:
        if level == self.level:
            return self.place
        if level == "国家":
            return "国家"
        if LEVEL_RANK.get(level, 9) < LEVEL_RANK.get(self.level, 9):
            if level in self.above:  # the county's city, the city's province (divisions data)
                return self.above[level]
            if level == "省级" and self.parent:
                return self.parent
            return None
        return None


def make_context(place: str | None, text: str = "") -> PlaceContext:
    """Context for a document whose jurisdiction is ``place``; ``text`` supplies
    other places it names (the parent province, the 兵团 …)."""
    v = vocab()
    place = place or "国家"
    ctx = PlaceContext(place, place_level(place))
    for surface, (canon, _lvl) in v.places.items():
        ctx.add(surface, canon)
    ctx.add(place, place)
    stem = _stem(place)
    if stem:
        ctx.add(stem, place)
        for suffix in ("州", "市", "省", "县", "区", "地区"):
            ctx.add(stem + suffix, place)
    from .divisions import division, parents

    if division(place) is not None:  # a known division: its city and province, and their short forms
        for d in parents(place):
            ctx.above.setdefault(d.level, d.name)
            ctx.add(d.name, d.name)
            for short in d.short:
                ctx.add(short, d.name)
        if "省级" in ctx.above:
            ctx.parent = ctx.above["省级"]
    # the province above: a province-level place the document names most
    if ctx.level != "省级" and ctx.level != "国家" and not ctx.parent:
        counts: dict[str, int] = {}
        for surface, (canon, lvl) in v.places.items():
            if lvl == "省级" and canon != "新疆生产建设兵团" and surface in text:
                counts[canon] = counts.get(canon, 0) + text.count(surface)
        if counts:
            ctx.parent = max(counts, key=counts.get)
    return ctx


def _known_division(name: str) -> bool:
    from .divisions import division

    return division(name) is not None


def _stem(place: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "哈萨克自治州", "自治区", "自治州", "自治县", "地区", "省", "市", "州", "县", "区", "盟", "旗"):
        if place.endswith(suffix) and len(place) > len(suffix):
            stem = place[: -len(suffix)]
            # 伊犁哈萨克自治州 → 伊犁 (drop an ethnic-group name before 自治)
            stem = _ETHNIC.sub("", stem)
            return stem if len(stem) >= 2 else place[: -len(suffix)]
    return ""


# --------------------------------------------------------------------------- splitting lists

def split_top(text: str, seps: str = LIST_SEPARATORS) -> list[str]:
    """Split on separators outside brackets."""
    out, depth, cur = [], 0, []
    for c in text:
        if c in "(（〔[【《":
            depth += 1
        elif c in ")）〕]】》":
            depth = max(0, depth - 1)
        if c in seps and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    out.append("".join(cur))
    return [x.strip() for x in out if x.strip()]


@dataclass
class _Parsed:
    stem: str  # zone/class stem ("县(区)", "漳州高新区") that a bare next item inherits
    jurisdictions: tuple[str, ...]
    bodies: list[Body]


class BodyParser:
    """Turns written names and lists of names into :class:`Body` records."""

    def __init__(self, ctx: PlaceContext):
        self.ctx = ctx
        self.v = vocab()
        self.seen: dict[tuple[str, str], Body] = {}  # every body parsed in this document
        self._memo: dict[str, _Parsed | None] = {}
        self.self_refs: dict[str, Body] = {}  # 我部, 本局 …: the issuer speaking of itself

    @staticmethod
    def is_tier(body: Body) -> bool:
        """A tier of government written alone (市级, 区级, 村(社区)级): see :func:`_tier_word`."""
        return body.of_class and _tier_word().fullmatch(norm(body.surface)) is not None

    def refer_to_self(self, issuer: Body) -> None:
        """The issuer's words for itself (我部 in a ministry's text, 我厅, 本局 …): a
        body whose name ends in a one-character suffix is 我 or 本 + that suffix."""
        if issuer.type != "department":
            return
        if issuer.jurisdiction == "国家" and self.ctx.place == "国家" and issuer.name.endswith(("部", "办公厅")):
            # a ministry's text says 办公厅 for the ministry's general office, not the State Council's
            office = issuer if issuer.name.endswith("办公厅") else replace(
                issuer, name=issuer.name + "办公厅", surface="办公厅")
            self.self_refs.setdefault("办公厅", office)
        for office in ("办公厅", "办公室"):  # 生态环境部办公厅 writes 报我部 for its ministry
            if issuer.name.endswith(office) and len(issuer.name) > len(office) + 1:
                parent = self.parse_one(issuer.name[: -len(office)])
                if parent and len(parent.bodies) == 1:
                    self.refer_to_self(replace(parent.bodies[0], jurisdiction=issuer.jurisdiction))
        if issuer.name[-1:] not in _one_character_suffixes():
            return
        for pronoun in ("我", "本"):
            self.self_refs.setdefault(pronoun + issuer.name[-1], issuer)
        if issuer.jurisdiction == self.ctx.place:  # 报省厅 in a provincial department's text: itself
            for word, level, cls in self.v.levels:
                short = word + issuer.name[-1]
                # not a word of its own (省委, 市委: the level's party committee)
                if cls == "self" and level == self.ctx.level and len(word) == 1 and self._parse_one(short) is None:
                    self.self_refs.setdefault(short, issuer)
        self._memo.clear()  # names parsed before the issuer was known

    def refer_to_addressee(self, addressee: Body) -> None:
        """A letter's words for its one addressee (你市 to 西安市人民政府, 你厅, 你局, 你公司 …):
        你 + the last character of its name, and for a government or party committee
        你 + its place's level character (你市, 你省, 你县, 你区)."""
        endings = {addressee.name[-1:]}
        if addressee.type in ("government", "party") and addressee.jurisdiction[-1:] in "省市县区州旗盟":
            endings.add(addressee.jurisdiction[-1])
        for end in endings - {""}:
            self.self_refs.setdefault("你" + end, addressee)
        self._memo.clear()

    def copy(self) -> "BodyParser":
        """A parser with this one's state (places, bodies seen, memo) that goes on on its own."""
        from dataclasses import replace

        other = BodyParser.__new__(BodyParser)
        other.__dict__.update(self.__dict__)
        other.ctx = replace(self.ctx, surfaces=dict(self.ctx.surfaces), above=dict(self.ctx.above))
        other.seen, other._memo = dict(self.seen), dict(self._memo)
        other.__dict__.pop("_prefix_memo", None)
        return other

    # ---- single names
    def canonical(self, rest: str) -> tuple[str, str] | None:
        """(canonical name, type) for a name without place prefix, or None."""
        rest = norm(rest)
        if not rest or GENERIC_REST.match(rest) or rest.count("(") != rest.count(")"):
            return None
        rest = _EACH_MEMBER.sub(r"\1", rest)
        if rest in self.v.names:
            return self.v.names[rest]
        if rest.endswith("部门") and len(rest) > 3:  # 公安部门, 交通运输部门: the sector's bureau
            stem = rest[:-2]
            for word in ("局", "委", "厅", ""):
                if stem + word in self.v.names:
                    return self.v.names[stem + word]
        # drop a trailing alternative name in brackets: 党工委(党委), 党校(行政学院)
        m = _ALT_NAME.match(rest)
        if m and self.canonical(m.group(1)):
            return self.canonical(m.group(1))
        for rx, name, typ in self.v.rules:
            m = rx.search(rest)
            if m:
                return (m.expand(name) if "\\" in name else name, typ)
        if rest.endswith(_suffix_lookalikes()):  # 发展全局, 工作格局: a word, not a body
            return None
        for suffix, typ, least in self.v.suffixes:
            if rest.endswith(suffix) and len(rest) - len(suffix) >= least:
                head = rest[: -len(suffix)]
                if _PUNCT.search(head) or len(rest) > 30 or stop_words().search(head) or _NOT_IN_A_NAME.search(head) \
                        or _level_inside().search(head):
                    return None
                # a department of a known body: 州党委组织部 handled by alias; keep as is
                return (rest, typ)
        return None

    def _opens_with_place(self, s: str) -> bool:
        """Whether ``s`` starts with a place's full name (泰州市…, 海陵区…), not a level word (市委)."""
        if s[:1] in "省市县区州盟旗":
            return False
        if any(s[:k] in self.ctx.surfaces and s[k - 1] in "省市县区州盟旗" for k in range(2, min(len(s), 12) + 1)):
            return True
        m = PLACE_RE.match(s)
        return bool(m and 3 <= len(m.group(1)) <= MAX_UNKNOWN_PLACE and m.group(1)[-1] in "市县区州盟旗"
                    and not re.search(r"[局厅院部办委署、，,]|会同|和|及", m.group(1)))

    def _strip_place(self, s: str) -> tuple[tuple[str, ...], str, str]:
        """(jurisdictions, stem-for-inheritance, rest). Empty jurisdictions = unspecified."""
        ctx = self.ctx
        s = norm(s)
        national = False
        if s.startswith("中共"):
            s = s[2:]
            if s.startswith("中央"):
                national = True
        if s.startswith("党中央") or s.startswith("国务院") or s.startswith("中央") and not s.startswith("中央生态环境保护督察整改"):
            return (("国家",), "", s)
        if national:
            return (("国家",), "", s[2:])
        if s.startswith("兵地"):
            return (("新疆生产建设兵团", ctx.place), "", s[2:])
        # explicit place names, longest first
        best = ""
        for surface in self.ctx.surfaces:
            if s.startswith(surface) and len(surface) > len(best):
                best = surface
        m = PLACE_RE.match(s)
        if m and len(m.group(1)) > len(best) and m.group(1) not in ("自治区", "自治州", "自治县", "自治旗") \
                and 3 <= len(m.group(1)) <= MAX_UNKNOWN_PLACE and not m.group(1).endswith(_province_words()) \
                and not re.search(r"[局厅院部办委署、，,]|会同|和|及", m.group(1)) and not stop_words().search(m.group(1)):
            cand = m.group(1)
            if cand[0] in "市县省区州" and not self.ctx.surfaces.get(cand):  # 市城市管理…局 is 市 + 城市管理…局
                cand = ""
            elif ctx.place == "国家" and not _known_division(cand):
                cand = ""  # a national text's places are real ones (联合市场监管总局 is no 联合市)
            rest = s[len(cand):]
            if rest and self.canonical(self._after_place(rest.lstrip("各"))) and not cand.endswith(ZONE_SUFFIXES) and not any(
                cand.startswith(w) for w in WORDS_STARTING_WITH_A_LEVEL
            ):
                best = cand
                self.ctx.add(cand, cand)
        if s[:1] in "省市县区州" and ZONE_RE.match(s[1:]) and self._self_level(s[:1]):
            s = s[1:]  # 县工业园区管委会: the county's own zone
        zone = ZONE_RE.match(s)
        if zone and zone.end() < len(s) and not stop_words().search(zone.group(1)):
            # a development zone's own name (漳州高新区党工委): the zone is the stem
            return ((ctx.place,), zone.group(1), s[zone.end():])
        if best:
            rest = s[len(best):]
            canon = self.ctx.surfaces[best]
            if not rest:
                return ((), "", s)
            if self._opens_with_place(rest):  # 江苏省泰州市生态环境局, 上海市普陀区委: the inner place is the seat
                inner = self._strip_place(rest)
                if inner[0] and inner[2] != rest:
                    return inner
            return ((canon,), "", self._after_place(rest))
        for word, level, cls in self.v.levels:
            if s.startswith(word) and len(s) > len(word):
                rest = s[len(word):]
                if s.startswith(WORDS_STARTING_WITH_A_LEVEL) and self._after_place(rest) not in self.v.names:
                    continue
                if len(word) > 1 and s[len(word) - 1:].startswith(WORDS_STARTING_WITH_A_LEVEL):
                    continue  # 县市场监管局 is 县 + 市场监管局, not the class 县市 + 场监管局
                if cls == "class":
                    return ((ctx.place,), word, rest)
                if cls == "national":
                    return (("国家",), "", rest)
                # 市委 in a 北京市 (province-level) or 义乌市 (county-level) text is the city's own
                j = ctx.place if ctx.place != "国家" and ctx.place.endswith(word) else ctx.by_level(level)
                if j is None and LEVEL_RANK.get(level, 9) > LEVEL_RANK.get(ctx.level, 9):
                    return ((ctx.place,), word, self._after_place(rest))  # a lower level without a class word: 县党委
                return (((j or ctx.place),), "", self._after_place(rest))
        return ((), "", s)

    def _self_level(self, word: str) -> bool:
        return any(w == word and cls == "self" and self.ctx.by_level(level) == self.ctx.place
                   for w, level, cls in self.v.levels)

    def _after_place(self, rest: str) -> str:
        # 市委 / 州委组织部: a bare 委 after a place is the party committee
        if rest in self.v.names:
            return rest
        if rest == "委":
            return "党委"
        if rest.startswith("委") and len(rest) > 1 and not rest.startswith("委员会"):
            return "党委" + rest[1:]
        if rest.startswith("委员会"):
            return "党委" + rest[3:]
        return rest

    def parse_one(self, item: str, inherit: _Parsed | None = None) -> _Parsed | None:
        """One written name (possibly ``A和B``) → parsed bodies, or None.

        Results without an inherited context are memoised per document: the
        same names recur in every clause.
        """
        if inherit is None:
            if item in self._memo:
                return self._memo[item]
            result = self._parse_one(item, None)
            self._memo[item] = result
            return result
        return self._parse_one(item, inherit)

    def _parse_one(self, item: str, inherit: _Parsed | None = None) -> _Parsed | None:
        s = re.sub(r"^\d{1,2}[.．、]", "", norm(item).strip("：:。 "))  # a run-in item number (4.设区的市…)
        s = _ETC.sub("", s)  # 妇联等群团组织
        s = _ALL_LEVELS.sub("", s)
        s = _CONCERNED.sub("", s)
        s = _LOCATIVE.sub("", s.replace("或者", "或"))
        s = _SET_UP_UNDER.sub("", s)  # 环委会下设办公室: the committee's office
        if not s:
            return None
        own = self.self_refs.get(re.sub(r"[(（].*$", "", s))  # 我部(原环境保护部): the issuer
        if own is not None:
            return _Parsed("", (own.jurisdiction,), [replace(own, surface=item)])
        tier = _tier_word().fullmatch(s)
        if tier:  # 市级主要负责…，区级主要负责…: a tier of government acting as a class, named by its word
            name = tier.group(1) if tier.group(1).endswith(")") else tier.group(0)
            return _Parsed("", (self.ctx.place,), [Body(name, self.ctx.place, "government", item, True)])
        m = _ALT_NAME.match(s)
        if m and not m.group(1).endswith(ZONE_SUFFIXES):  # 党校(行政学院): an alternative name
            inner = self.parse_one(m.group(1), inherit)
            if inner and m.group(2) in _parallel_units():  # 乡镇人民政府(街道办事处): two tiers side by side
                other = self.parse_one(m.group(2), inner)
                if other:
                    return _Parsed(inner.stem, inner.jurisdictions, inner.bodies + other.bodies)
            if inner:
                return inner
        # distribution: 党委和政府, 自治区党委和自治区人民政府, 党工委(党委)和管委会
        for conj in CONJUNCTIONS:
            parts = split_top(s, conj) if conj in s else []
            if len(parts) == 2 and parts[1].startswith("其"):  # 本级人民代表大会或者其常务委员会: 其 is the first
                parts[1] = parts[0] + parts[1][1:]
            if len(parts) == 2:
                first = self.parse_one(parts[0], inherit)
                second = self.parse_one(parts[1], first) if first else None
                if first and second:
                    return _Parsed(first.stem, first.jurisdictions, first.bodies + second.bodies)
        if s.startswith("全国"):  # 全国人大, 全国政协: central bodies named with 全国, which is no place prefix here
            from .divisions import central_body

            central = central_body(s)
            if central is not None and central.type in BODY_TYPES:
                return self._make(inherit, ("国家",), "", s, central.name, central.type)
        local_branch = _PLACED_BRANCH_RE.match(s)
        if local_branch and "人民银行" not in s and not stop_words().search(local_branch.group(1)) \
                and not re.search(r"[、和与及]|引导", local_branch.group(1)):  # words run into the name: no bank's
            where = self.ctx.surfaces.get(local_branch.group(2)) or (
                local_branch.group(2) if _known_division(local_branch.group(2)) else None)
            if where:  # 国家开发银行浙江省分行: a national institution's branch in a place is that place's
                name = local_branch.group(1) + local_branch.group(3)
                return self._make(None, (where,), "", s, name, "financial_regulator")  # as body_suffixes.tsv types 分行
        joined = _concatenated_central(s)
        if joined:  # a signature run together: 自然资源部生态环境部国家林业和草原局
            return self._make(inherit, ("国家",), "", s, joined[0], "department") if len(joined) == 1 else _Parsed(
                "", ("国家",), [b for n in joined for b in self._make(None, ("国家",), "", n, n, _central_type(n)).bodies])
        branch = _CITY_BUREAU_BRANCH_RE.match(s)
        if branch and self.ctx.surfaces.get(branch.group(1)) == self.ctx.place:
            # 韶岭市生态环境局丰溪分局 in a 丰溪县 text: since the vertical-management reform the county's
            # ecology-environment bureau is a branch of the city's, named after the county
            return self._make(None, (self.ctx.place,), "", s, "生态环境分局", "department")
        stem = _stem(self.ctx.place)
        if stem and len(s) > len(stem) + 3 and s.endswith(("分局", "支队", "大队")) and not s.startswith(stem):
            # 环保拱墅分局 in a 拱墅区 text: the city bureau's branch named after the district is the district's
            inner = re.sub(re.escape(stem) + r"(?:区|县|市|旗)?(?=分局$|支队$|大队$)", "", s)
            if inner != s:
                k = next((k for k in range(min(len(inner), 12), 1, -1) if inner[:k] in self.ctx.surfaces), 0)
                inner = re.sub(r"^(?:市|州|盟)?(.+?)局(?=分局$)", r"\1", inner[k:])  # (杭州)市公安局…分局 → 公安分局
            if inner != s and self.canonical(inner):
                name, typ = self.canonical(inner)
                return self._make(None, (self.ctx.place,), "", s, name, typ)
        if s in self.v.names:  # whole-name aliases first: 团市委, 市场监管局
            name, typ = self.v.names[s]
            if self.ctx.place == "国家" and s.endswith("部门") and not name.endswith("部门"):
                name = s  # in a national text 税务部门 is the class of tax departments, not one bureau
            return self._make(inherit, (), "", s, name, typ)
        for rx, name, typ in self.v.rules:  # spelled-out bodies with a place inside
            m = rx.search(s)
            if m and "\\" not in name:  # a rule naming by a group applies after the place is read
                return self._make(inherit, (), "", s, name, typ)
        cls = self._class_prefix(s)
        if cls:
            return cls
        juris, stem, rest = self._strip_place(s)
        rest = _GENERIC_LEAD.sub("", rest)
        canon = self.canonical(rest)
        if canon is None:
            return None
        name, typ = canon
        if juris == ("国家",) and not stem:  # 国务院 is the central government, not a 院 of the courts
            from .divisions import central_body

            central = central_body(rest)
            if central is not None and central.type in BODY_TYPES:
                typ = central.type
        if self.ctx.place == "国家" and rest.endswith("部门") and not name.endswith("部门") and not juris:
            name = rest  # in a national text 税务部门 is the class of tax departments, not one bureau
        return self._make(inherit, juris, stem, item, name, typ)

    def _class_prefix(self, s: str) -> _Parsed | None:
        """A class of bodies across places (地方各级生态环境部门, 省(区、市)人民政府,
        国务院有关部门): one body at the document's place, named by the class."""
        for prefix, cls, scope in _class_prefixes():
            if not s.startswith(prefix) or scope == "national" and self.ctx.place != "国家":
                continue
            rest = s[len(prefix):]
            place = "国家" if scope == "central" else self.ctx.place
            if cls.endswith("有关") or cls.endswith("各"):  # 国务院有关部门, 部机关各部门: the generic word is the name
                if re.fullmatch(r"(各|有关|相关)?(部门|单位|司局|部委)", rest):
                    return self._make(None, (place,), "", s, cls + rest.lstrip("各有关相"), "department")
                return None
            rest = _GENERIC_LEAD.sub("", rest)
            canon = self.canonical(rest) or self.canonical(_after_class(rest))
            if canon is None:
                return None
            name, typ = canon
            # the class keeps the plain department word: 生态环境主管部门 → 生态环境部门
            plain = name.replace("主管部门", "部门")
            if plain != name and self.v.names.get(plain, (None,))[0] == name:
                name = plain
            return self._make(None, (place,), cls, s, name, typ)
        return None

    def _make(self, inherit, juris, stem, surface, name, typ) -> _Parsed:
        own_place = bool(juris)
        if not juris:
            juris = inherit.jurisdictions if inherit and inherit.jurisdictions else (self.ctx.place,)
            if juris == ("国家",) and not stem and norm(name) in _LOCAL_ONLY:
                # a national text's 各级党委和政府 are the local ones: the centre's are 党中央 and 国务院
                stem = _local_class()
        if stem and not name.startswith(stem):
            name = stem + name
        elif not stem and not own_place and inherit and inherit.stem and name in ("党委", "党工委", "人民政府", "管委会", "政府", "人大", "人大常委会"):
            stem = inherit.stem
            name = stem + name
        bodies = [Body(government_of(j) if name == "人民政府" else norm(name), j, typ, norm(surface),
                       of_class=_names_a_class(stem)) for j in juris]
        return _Parsed(stem, tuple(juris), bodies)

    # ---- lists
    def parse_list(self, text: str, strict: bool = False, expand_bare: bool = False) -> list[Body] | None:
        """Bodies of a written list; None when ``strict`` and an item is not a body.

        expand_bare (bool): a bare place or zone acting as a body (``各县市``,
            ``开发区``) stands for its party committee and government.
        """
        items = split_top(norm(text))
        for prefix, _cls, scope in _class_prefixes():  # 市、县级人民政府: the class word holds a separator
            if "、" in prefix and norm(text).startswith(prefix) and (scope == "any" or self.ctx.place == "国家"):
                items = split_top(norm(text)[len(prefix):])
                items[:1] = [prefix + items[0]] if items else []
                break
        items = [part for item in items for part in self._split_committee_and_government(item)]
        items = self._join_level_words(items)
        items = self._sector_list(items)
        if expand_bare:
            items = [p for item in items for p in (split_top(item, "及和与") if self.parse_one(item) is None else [item])]
        out: list[Body] = []
        held: list[str] = []
        prev: _Parsed | None = None
        for item in items:
            parsed = self.parse_one(item, prev)
            if parsed is None and " " not in item:
                # 如 "漳州开发区" or "地(州、市)": a prefix that the next item completes
                if self._is_prefix(item):
                    held.append(item)
                    continue
                if strict and not self.is_generic(item):  # "X、Y及有关部门", "县直各部门及各乡镇": a catch-all names nobody
                    return None
                continue
            if parsed is None:
                continue
            if held:
                suffix_names = self._suffix_names(item)
                for h in held:
                    for sfx in suffix_names:
                        p2 = self.parse_one(h + sfx, prev)
                        if p2:
                            out.extend(p2.bodies)
                held = []
            out.extend(parsed.bodies)
            prev = parsed
        if held and expand_bare:
            for h in held:
                if not self.is_generic(h):  # 各地区、各单位要…: every locality, no body
                    out.extend(self._expand(h))
            held = []
        if strict and held:
            return None
        # unique, in order
        seen, uniq = set(), []
        for b in out:
            if b.key not in seen:
                seen.add(b.key)
                uniq.append(b)
                self.seen.setdefault(b.key, b)
        return uniq

    def _split_committee_and_government(self, item: str) -> list[str]:
        """``市委市政府``, ``县委县政府``, ``各级党委政府``: a level's committee and government
        written together without a separator are two bodies (as 市委、市政府)."""
        m = _joined_committee_government().fullmatch(item)
        if m is None or self.parse_one(item) is not None:
            return [item]
        return [m.group(1), m.group(2)]

    def _sector_list(self, items: list[str]) -> list[str]:
        """Sector names listed before one 部门 share it: 市发展改革、生态环境、住房城乡建设等部门 →
        市发展改革部门, 生态环境部门, 住房城乡建设部门 (the place prefix stays with the first)."""
        if len(items) < 2:
            return items
        m = _SECTOR_TAIL_RE.match(items[-1])
        if not m:
            return items
        word, heads = m.group(2), items[:-1]
        if all(self.parse_one(x) for x in heads) or not all(self.parse_one(x + word) for x in heads):
            return items  # the items are bodies of their own, or not all of them name a sector
        return [x + word for x in heads] + [m.group(1) + word]

    def _join_level_words(self, items: list[str]) -> list[str]:
        """Bare level words listed before a body word name one class when together they
        spell a class word of levels.tsv: 各县、区人民政府 → 各县区人民政府, 各市、州人民政府
        → 各市州人民政府 (two levels, 地(州、市)、县(市、区)党委, stay two classes)."""
        classes, words = _level_words()
        if not any(item.lstrip("各") in words for item in items[:-1]):
            return items  # no bare level word listed: nothing to join (most lists)
        out: list[str] = []
        i = 0
        while i < len(items):
            lead = re.match(r"^(各级|各)?", items[i]).group(0)
            bare, j = [], i
            while j < len(items) - 1 and items[j][len(lead) if j == i else 0:] in words:
                bare.append(items[j][len(lead) if j == i else 0:])
                j += 1
            nxt = items[j] if bare else ""
            tail = next((w for w in words if nxt.startswith(w) and len(nxt) > len(w)), None)
            if tail and "".join(bare) + tail in classes:
                out.append(lead + "".join(bare) + nxt)
                i = j + 1
            else:
                out.append(items[i])
                i += 1
        return out

    def is_generic(self, item: str) -> bool:
        """有关部门, 党委、政府有关部门, 其他相关单位: a list's catch-all, no body."""
        # 州直有关部门: those under the 州; 县级相关部门, 市有关部门: a level's catch-all
        s = re.sub(r"^(各级|各|全[省区州市县]|[省市州县区][直级]?)", "", norm(item))
        s = re.sub(r"^(党委|政府|人民政府|党委政府|党委和政府)", "", s)
        return bool(GENERIC_REST.match(s) or GENERIC_REST.match(_CONCERNED.sub("", s)))

    def bare_class(self, text: str) -> Body | None:
        """A bare class of lower-level places acting as a body (协助乡镇…, 配合各县(区)…):
        the class itself, named as written (乡镇), at the document's place."""
        s = re.sub(r"^(各级|各)", "", norm(text))
        for word, level, cls in self.v.levels:
            if s == word and cls == "class" and LEVEL_RANK.get(level, 9) > LEVEL_RANK.get(self.ctx.level, 9):
                return Body(word, self.ctx.place, "government", norm(text))
        return None

    def _expand(self, bare: str) -> list[Body]:
        """A bare class or zone as actor: the bodies of that name seen in the
        document (开发区 → 开发区(园区)党工委, 管委会), else its party committee and government."""
        s = re.sub(r"^(各级|各)", "", norm(bare))
        known = [b for b in self.seen.values() if b.name.startswith(s) and b.type in ("party", "government")
                 and (b.name[len(s):] in _BARE_ACTORS or b.name[len(s):].startswith("("))]  # 县市: not 县市区党委
        place = self.ctx.surfaces.get(s)
        if place and place != self.ctx.place:  # a named place: its own committee and government, as written before
            known += [b for b in self.seen.values() if b.jurisdiction == place and b.name in _BARE_ACTORS]
        if known:
            return known
        words = _BARE_ACTORS[2:] if s.endswith(ZONE_SUFFIXES) else _BARE_ACTORS[:2]
        out = []
        for w in words:
            p = self.parse_one(s + w)
            if p:
                out.extend(p.bodies)
        return out

    def _is_prefix(self, item: str) -> bool:
        s = norm(item)
        s = re.sub(r"^(各级|各)", "", s)
        if s in [w for w, _, _ in self.v.levels]:
            return True
        if s.endswith(ZONE_SUFFIXES) and len(s) <= 12:
            return True
        return s in self.ctx.surfaces

    def _suffix_names(self, item: str) -> list[str]:
        """The body words at the end of a distributive item: 党工委(党委)和管委会 → [党工委, 管委会]."""
        s = re.sub(r"^(各级|各)", "", norm(item))
        juris, stem, rest = self._strip_place(s)
        parts = []
        for conj in CONJUNCTIONS:
            if conj in rest:
                parts = split_top(rest, conj)
                break
        parts = parts or [rest]
        names = []
        for p in parts:
            names.append(re.sub(r"\([^()]{1,10}\)$", "", p))
        return [n for n in names if n]

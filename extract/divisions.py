"""China's administrative divisions and central bodies, looked up by name.

Reads ``data/divisions.tsv`` (every province-, prefecture- and county-level
division, written by ``extract/make_divisions.py``) and ``data/central_bodies.tsv``
(党中央 departments, 国务院 bodies, courts, legislature and their old names).
Standard library only and loaded once (``functools.lru_cache``), so any part of
the extractor can ask "which place is this" or "which central body is this"
without the spaCy stage.

Public API::

    division(name_or_short) -> Division | None
    candidates(name_or_short) -> tuple[Division, ...]
    parents(name_or_short) -> list[Division]
    find_places(text) -> list[tuple[int, int, Division]]
    central_body(name, parent=None) -> CentralBody | None
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .vocab import load_tsv, word_regex


@dataclass(frozen=True)
class Division:
    """One division: ``code`` is the six-digit adcode, ``parent`` the parent's (None at province level)."""

    code: str
    name: str
    level: str  # 省级 | 地级 | 县级
    parent: str | None
    short: tuple[str, ...] = ()
    abbr: tuple[str, ...] = ()


@dataclass(frozen=True)
class CentralBody:
    """A central party or state body. ``successor``: for a renamed, merged or
    abolished body the body that took it over (环境保护部 → 生态环境部), for a name
    kept as a 牌子 the body that carries it (国家核安全局 → 生态环境部); else ""."""

    name: str
    short: tuple[str, ...]
    type: str
    category: str
    successor: str
    parent: str
    source: str


_rows = load_tsv


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x for x in cell.split("|") if x)


@dataclass(frozen=True)
class _Divisions:
    by_code: dict[str, Division]
    exact: dict[str, tuple[str, ...]]  # full name, short or abbr → codes (unique except shared full names)
    loose: dict[str, tuple[str, ...]]  # also the ambiguous forms: for qualified names (北京朝阳)
    weak: frozenset[str]  # full names that are everyday phrases (老城区, 解放区)


@lru_cache(maxsize=1)
def _divisions() -> _Divisions:
    by_code: dict[str, Division] = {}
    exact: dict[str, list[str]] = {}
    loose: dict[str, list[str]] = {}
    weak: set[str] = set()
    for r in _rows("divisions.tsv"):
        d = Division(r["adcode"], r["name"], r["level"], r["parent"] or None, _split(r["short"]), _split(r["abbr"]))
        by_code[d.code] = d
        for form in (d.name, *d.short, *d.abbr):
            exact.setdefault(form, []).append(d.code)
        amb = _split(r["ambiguous"])
        for form in (d.name, *d.short, *amb):
            loose.setdefault(form, []).append(d.code)
        if d.name in amb:
            weak.add(d.name)
    return _Divisions(by_code, {k: tuple(dict.fromkeys(v)) for k, v in exact.items()},
                      {k: tuple(dict.fromkeys(v)) for k, v in loose.items()}, frozenset(weak))


@lru_cache(maxsize=None)
def _ancestors(code: str) -> tuple[str, ...]:
    by_code = _divisions().by_code
    out = []
    while (p := by_code[code].parent) is not None:
        out.append(p)
        code = p
    return tuple(out)


def candidates(name_or_short: str) -> tuple[Division, ...]:
    """Every division a name, short form (also an ambiguous one: 朝阳) or adcode can mean."""
    ds = _divisions()
    key = name_or_short.strip()
    if key in ds.by_code:
        return (ds.by_code[key],)
    return tuple(ds.by_code[c] for c in ds.loose.get(key, ds.exact.get(key, ())))


def division(name_or_short: str) -> Division | None:
    """The one division a name means, or None when it is unknown or ambiguous.

    Accepts an adcode, a full name (石城县), an unambiguous short form (赣州, 伊犁州),
    a provincial abbreviation (赣) or a name qualified by its ancestors
    (北京市朝阳区, 北京朝阳, 江西省赣州市石城县), which is how documents tell the
    many 朝阳区 and 城关区 apart.
    """
    ds = _divisions()
    key = re.sub(r"\s+", "", name_or_short)
    if key in ds.by_code:
        return ds.by_code[key]
    codes = ds.exact.get(key, ())
    if len(codes) == 1:
        return ds.by_code[codes[0]]
    return _qualified(key)


def _qualified(key: str, within: str | None = None) -> Division | None:
    """Resolve 北京市朝阳区: the longest known prefix, then the rest among its descendants."""
    ds = _divisions()
    for i in range(len(key) - 1, 1, -1):
        head, rest = key[:i], key[i:]
        heads = [c for c in ds.exact.get(head, ()) if within is None or within in _ancestors(c)]
        if len(heads) != 1:
            continue
        under = [c for c in ds.loose.get(rest, ()) if heads[0] in _ancestors(c)]
        if len(under) == 1:
            return ds.by_code[under[0]]
        if len(rest) >= 2 and (d := _qualified(rest, heads[0])) is not None:
            return d
    return None


def parents(name_or_short: str) -> list[Division]:
    """The chain of divisions above one, nearest first (石城县 → [赣州市, 江西省]); [] if unknown."""
    d = division(name_or_short)
    if d is None:
        return []
    by_code = _divisions().by_code
    return [by_code[c] for c in _ancestors(d.code)]


# ---------------------------------------------------------------- find_places

# What may follow a two-character name for it to count as a place: the end,
# punctuation or a digit, a function word, a level or area word, or a word that
# in policy prose follows a place (赣州、 赣州等地 赣州全市 赣州经开区 江西南部).
_CONTINUATION = re.compile(
    r"$|[\s\W\d_a-zA-Z]|等|和|与|及|或|的|在|是|为|对|将|已|也|都|均|同|共|各|全|两|三|四|"
    r"省|市|州|县|区|盟|旗|乡|镇|人|地区|境|辖区|片区|城区|市区|县城|新区|高新|开发|经开|自贸|"
    r"试验|示范|都市|城市|段|籍|政府|党委|地方|生态|经济|东部|西部|南部|北部|中部|东北|"
    r"西北|东南|西南|一带|周边|沿线|流域|方向|特色|本地|当地"
)
# a level character before a two-character name that is not part of a place:
# 市和县 is not 和县
_LEVEL_BEFORE = frozenset("省市县区州乡镇")


@dataclass(frozen=True)
class _Matcher:
    starts: re.Pattern[str]  # a first character followed by a possible second one
    rest: dict[str, re.Pattern[str]]  # first character → regex of the rest of the forms
    forms: dict[str, tuple[str, ...]]  # form → codes; () for a blocker


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    """Forms to look for, dispatched on their first character.

    One regex alternation over ~6,000 names runs at 0.3 M characters a second
    (Python's engine tries the branches one by one); a character class finds
    the positions where a name can start, and a per-first-character regex,
    written as a trie, takes the longest form there: 30 times faster.
    Ambiguous short forms (朝阳, 九龙, 资源) are *blockers*: they are matched, so
    that no shorter name is found inside them (九龙江 is not 龙江县), and dropped.
    """
    ds = _divisions()
    forms: dict[str, tuple[str, ...]] = {}
    for form, codes in ds.loose.items():
        if len(form) >= 2:
            forms[form] = ds.exact.get(form, ())
    by_first: dict[str, list[str]] = {}
    for form in forms:
        by_first.setdefault(form[0], []).append(form[1:])
    firsts = "".join(sorted(by_first))
    seconds = "".join(sorted({f[1] for f in forms}))
    starts = re.compile("[%s](?=[%s])" % (re.escape(firsts), re.escape(seconds)))
    rest = {ch: re.compile(word_regex(tails)) for ch, tails in by_first.items()}
    return _Matcher(starts, rest, forms)


def _candidates_in(text: str) -> list[tuple[int, int, str]]:
    m = _matcher()
    out: list[tuple[int, int, str]] = []
    last = 0
    rest = m.rest
    for hit in m.starts.finditer(text):
        i = hit.start()
        if i < last:
            continue
        r = rest[text[i]].match(text, i + 1)
        if r is not None and r.end() > i + 1:
            last = r.end()
            out.append((i, last, text[i:last]))
    return out


def find_places(text: str) -> list[tuple[int, int, Division]]:
    """Divisions named in ``text``: (start, end, Division), non-overlapping, leftmost-longest.

    Rules, for precision in policy prose:

    - a full name or short form of three or more characters counts everywhere
      (石城县, 黑龙江, 伊犁州);
    - a two-character form (赣州, 江西, 和县) and a full name that is an everyday
      phrase (老城区) count only next to another place (江西赣州, 赣州石城县) or
      before a continuation (``_CONTINUATION``: punctuation, 等, 和, 全, 经开区,
      南部 …), and not right after a lone level character (市和县两级);
    - a full name several divisions share (朝阳区, 城关区) counts only when the
      place just before it is the ancestor of exactly one of them, or, for a
      name that is no everyday phrase, when exactly one of them has the most
      recently named ancestor (a 北京市 document's later 朝阳区);
    - ambiguous short forms (朝阳, 九龙) and abbreviations (赣) never count, and
      no name is found inside an ambiguous form (九龙江 has no 龙江县);
    - a rejected candidate does not let a shorter overlapping one in.

    Speed, measured on one core of the development machine (2 cores, Python
    3.11), rules included: ~50 MB of UTF-8 (18 M characters) a second on the
    sample corpus, ~8-10 MB a second on text that names a place every ten
    characters; ``test_find_places_speed`` asserts at least 1 MB a second.
    """
    ds = _divisions()
    forms = _matcher().forms
    cands = _candidates_in(text)
    out: list[tuple[int, int, Division]] = []
    seen: dict[str, int] = {}  # code → end of its last mention
    for i, (s, e, form) in enumerate(cands):
        codes = forms[form]
        if not codes:
            continue
        prev = out[-1] if out and out[-1][1] == s else None
        if len(codes) > 1:
            d = _by_context(codes, prev, seen, form in ds.weak)
            if d is not None:
                out.append((s, e, d))
                seen[d.code] = e
            continue
        if len(form) == 2 or form in ds.weak:
            next_adjacent = i + 1 < len(cands) and cands[i + 1][0] == e and bool(forms[cands[i + 1][2]])
            if prev is None and not next_adjacent:
                if s > 0 and text[s - 1] in _LEVEL_BEFORE:
                    continue
                if not _CONTINUATION.match(text, e):
                    continue
        out.append((s, e, ds.by_code[codes[0]]))
        seen[codes[0]] = e
    return out


def _by_context(codes, prev, seen: dict[str, int], weak: bool) -> Division | None:
    """Of several divisions sharing a name, the one whose ancestor was named just
    before it or, unless the name is an everyday phrase, most recently before."""
    by_code = _divisions().by_code
    if prev is not None:
        hits = [c for c in codes if prev[2].code in _ancestors(c)]
        if len(hits) == 1:
            return by_code[hits[0]]
    if weak or not seen:
        return None
    last = {c: max((seen.get(a, -1) for a in _ancestors(c)), default=-1) for c in codes}
    best = max(last.values())
    hits = [c for c, pos in last.items() if pos == best]
    return by_code[hits[0]] if best >= 0 and len(hits) == 1 else None


# ---------------------------------------------------------------- central bodies

_PREFIX = re.compile(r"^(中华人民共和国|中国共产党|中共)")
# Internal departments every ministry has: found only with their ministry
# (生态环境部办公厅, or central_body("综合司", parent="生态环境部")).
_GENERIC_INTERNAL = frozenset({"办公厅", "综合司", "国际合作司", "宣传教育司", "机关党委", "离退休干部办公室"})


@lru_cache(maxsize=1)
def _central() -> dict[str, CentralBody]:
    bodies = [CentralBody(r["name"], _split(r["short"]), r["type"], r["category"], r["successor"], r["parent"], r["source"])
              for r in _rows("central_bodies.tsv")]
    index: dict[str, CentralBody] = {}
    for b in bodies:  # full names first: a short form never hides a full name
        if b.parent:
            index[b.parent + b.name] = b
            if b.name not in _GENERIC_INTERNAL:
                index.setdefault(b.name, b)
        else:
            index[b.name] = b
    for b in bodies:
        for s in b.short:
            index.setdefault(s, b)
    return index


def central_body(name: str, parent: str | None = None) -> CentralBody | None:
    """The central body a full name or official short form names.

    国家发展改革委 → 国家发展和改革委员会; 环境保护部 → its own row, whose
    ``successor`` is 生态环境部. A leading 中华人民共和国 / 中国共产党 / 中共 is
    optional. An internal department is named with its ministry
    (生态环境部大气环境司) or given ``parent`` (central_body("综合司", parent="生态环境部")).
    """
    index = _central()
    key = re.sub(r"\s+", "", name)
    if parent:
        b = index.get(parent + key)
        if b is not None:
            return b
    if key in index:
        return index[key]
    bare = _PREFIX.sub("", key)
    return index.get(bare) or index.get("中共" + bare)


def central_bodies() -> tuple[CentralBody, ...]:
    """Every central body of ``data/central_bodies.tsv``, once each."""
    return tuple(dict.fromkeys(_central().values()))

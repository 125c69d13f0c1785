"""Document metadata: title, kind, jurisdiction, issuers, date, 文号, cited documents.

All read from the document's own header, transmittal notice, signature and
preamble with general rules (see each function's docstring).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .bodies import PLACE_RE, BodyParser, make_context, norm, vocab
from .records import Body
from .vocab import load_lines

DOC_NUMBER_RE = re.compile(r"([\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(?:19|20)\d\d\s*[〕\]］)）]\s*\d{1,4}\s*号)")
DATE_RE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
SHORT_DATE_RE = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
QUOTED_RE = re.compile(r"《([^《》]{4,120}(?:〈[^〈〉]*〉[^《》]*)?)》")


def kinds() -> tuple[str, ...]:
    return tuple(sorted(load_lines("document_kinds.txt"), key=len, reverse=True))


def kind_of(title: str | None) -> str | None:
    if not title:
        return None
    t = re.sub(r"[》”\"」）)]+$", "", title)
    for k in kinds():
        if t.endswith(k):
            return k
    return None


@dataclass
class Header:
    title: str | None
    title_span: tuple[int, int] | None
    kind: str | None
    jurisdiction: str | None
    date: str | None
    doc_number: str | None
    issuer_text: list[tuple[str, int, int]]  # (text, start, end) clean coordinates


def body_start(text: str) -> int:
    """Offset where the structured body begins (first part/chapter heading)."""
    m = re.search(r"(?m)^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+[章条]|[（(]一[）)])", text)
    return m.start() if m else min(len(text), 3000)


def find_title(text: str) -> tuple[str, int, int] | None:
    """A standalone line before the body that ends with a document kind.

    A transmittal notice's own title (``关于印发《…》的通知``) is passed over
    for the document it carries.
    """
    limit = body_start(text)
    best = None
    pos = 0
    for line in text[:limit].split("\n"):
        t = line.strip()
        if len(t) > 80 and t.endswith("。") and not re.search(r"印发|转发|全文如下", t):
            break  # the body has begun
        if 4 <= len(t) <= 80 and not re.search(r"[。，,；;！]", t) and kind_of(t) and not t.startswith("关于印发") \
                and not t.endswith("通知") and not t.startswith("《"):
            best = (t, pos, pos + len(line))
        pos += len(line) + 1
    if best:
        return best
    # a transmittal notice: 关于印发《X》的通知 → X
    m = re.search(r"关于印发《([^《》]+)》的通知", text[:limit])
    if m:
        return (m.group(1), m.start(1), m.end(1))
    # news style: "<issuer>提出/印发/出台<N条措施>"
    m = re.search(r"([\u4e00-\u9fff]{2,30}?)(?:提出|印发|出台|发布)了?([\u4e00-\u9fff\d“”\"]{2,30}?(?:条措施|条举措|条意见|项措施))", text[:limit])
    if m:
        return (m.group(1) + m.group(2), m.start(1), m.end(2))
    return None


def find_jurisdiction(title: str | None, text: str) -> str | None:
    """The place a document governs: the place its title starts with, else the
    place of 结合我市/我区实际 resolved against places the text names."""
    v = vocab()
    candidates: list[str] = []
    if title:
        t = re.sub(r"^(中共|关于)", "", title)
        best = ""
        for surface in v.places:
            if t.startswith(surface) and len(surface) > len(best):
                best = surface
        m = PLACE_RE.match(t)
        if m and len(m.group(1)) > len(best):
            best = m.group(1)
            while len(t) > len(best) and t[len(best)] in "市州县区盟旗" and not t[len(best):].startswith(("区域", "县域", "市场")):
                best = t[: len(best) + 1]
        if best:
            candidates.append(v.places[best][0] if best in v.places else best)
    if not candidates:
        m = re.search(r"([\u4e00-\u9fff]{2,12}?(?:省|自治区|市|自治州|州|县|区|盟|旗))[\u4e00-\u9fff]{0,20}(?:党委|人民政府|委员会|生态环境)", text[:2000])
        if m:
            candidates.append(m.group(1))
    if not candidates:
        return None
    place = candidates[0]
    # expand a short form (伊犁州) to the full name the text gives (伊犁哈萨克自治州)
    if place not in v.places.values():
        stem = re.sub(r"(州|市|县|区|省|地区)$", "", place)
        level_suffix = place[len(stem):]
        fuller = re.findall(rf"({re.escape(stem)}[\u4e00-\u9fff]{{0,8}}?自?治?{re.escape(level_suffix)})", text) if stem else []
        fuller = [f for f in fuller if len(f) > len(place) and f.endswith(level_suffix)]
        if fuller:
            place = max(set(fuller), key=lambda f: (text.count(f), -len(f)))
    return place


def find_date(text: str, original: str, title_pos: int | None) -> str | None:
    """Signature or issue date: a full date in the header/signature, else a
    month-day issue date (``12月2日…印发``) completed with the page's year."""
    limit = body_start(text)
    head = text[:limit]
    dates = list(DATE_RE.finditer(head))
    if dates:
        y, m, d = dates[-1].groups()
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    # signature at the end
    tail = text[-300:]
    dates = list(DATE_RE.finditer(tail))
    if dates:
        y, m, d = dates[-1].groups()
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    m = re.search(r"(\d{1,2})月(\d{1,2})日[，,]?[^。]{0,40}?(印发|发布|出台)", head)
    if m:
        years = re.findall(r"(?m)^\s*((?:19|20)\d\d)\s*$|((?:19|20)\d\d)[-/年]\d{1,2}", original[:3000])
        ys = [a or b for a, b in years]
        if ys:
            return f"{int(ys[0]):04d}-{int(m.group(1)):02d}-{int(m.group(2)):02d}"
    return None


def find_doc_number(text: str) -> str | None:
    """A 文号 standing alone on a header line (not a citation in brackets)."""
    limit = body_start(text)
    for line in text[:limit].split("\n"):
        t = line.strip()
        m = DOC_NUMBER_RE.fullmatch(t)
        if m:
            return re.sub(r"\s+", "", m.group(1))
    return None


def issuer_candidates(text: str, title: str | None) -> list[tuple[str, int, int]]:
    """Texts naming the issuer, best first: ``X印发《title》``, the signature
    line(s) before the date, ``已经X同意`` (who approved it), ``X提出…措施``."""
    limit = body_start(text)
    head = text[:limit]
    out = []
    if title:
        for m in re.finditer(r"([^，,。《》\n]{4,60}?)(?:联合)?印发(?:了)?《" + re.escape(title[:8]), head):
            out.append((m.group(1), m.start(1), m.end(1)))
    # signature: lines just before a full date line
    lines = head.split("\n")
    pos = 0
    starts = []
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    for i, line in enumerate(lines):
        if DATE_RE.fullmatch(line.strip()) and i > 0:
            j = i - 1
            parts = []
            while j >= 0 and 2 <= len(lines[j].strip()) <= 40 and not re.search(r"[。，,：:；《》]", lines[j]) \
                    and not DOC_NUMBER_RE.fullmatch(lines[j].strip()) and len(parts) < 3:
                parts.insert(0, (lines[j].strip(), starts[j]))
                j -= 1
            if parts:
                sig = "".join(p for p, _ in parts)
                out.append((sig, parts[0][1], starts[i - 1] + len(lines[i - 1])))
    m = re.search(r"已经([^，,。\n]{4,60}?)(?:同意|审议通过|研究同意)", head)
    if m:
        out.append((m.group(1), m.start(1), m.end(1)))
    m = re.search(r"([\u4e00-\u9fff]{4,30}?)(?:提出|出台|发布)了?[\u4e00-\u9fff\d]{0,6}(?:条|项)(?:措施|举措|意见)", head)
    if m:
        out.append((m.group(1), m.start(1), m.end(1)))
    return out


def parse_issuers(candidates: list[tuple[str, int, int]], parser: BodyParser) -> list[tuple[Body, int, int]]:
    for cand, s, e in candidates:
        cand = re.sub(r"^.*?\d{1,2}月\d{1,2}日[，,]?", "", cand)
        cand = re.sub(r"^(本报讯|近日|日前|今年|据悉)", "", cand)
        bodies = parser.parse_list(cand, strict=True)
        if not bodies:
            # 中共X委员会办公厅、X人民政府办公厅 separated by a space
            bodies = parser.parse_list(re.sub(r"\s+", "、", cand), strict=True)
        if bodies:
            return [(b, s, e) for b in bodies]
    return []


@dataclass
class Citation:
    title: str | None
    number: str | None
    issuers: str
    implements: bool
    start: int
    end: int


IMPLEMENT_CUES = re.compile(r"贯彻落实|贯彻|落实|按照|根据|依据|细化")


def find_citations(text: str, own_title: str | None) -> list[Citation]:
    """Documents cited in the preamble: ``《title》（number）``. Those cited
    after 贯彻落实/按照/根据 in the preamble are implemented."""
    limit = body_start(text)
    head = text[:limit]
    out: list[Citation] = []
    own = norm(own_title or "")
    for m in QUOTED_RE.finditer(head):
        title = m.group(1)
        if own and norm(title) == own:
            continue
        after = head[m.end():m.end() + 30]
        nm = re.match(r"\s*[（(]\s*([^）)]{3,30}?)\s*[）)]", after)
        number = None
        end = m.end()
        if nm and DOC_NUMBER_RE.search(nm.group(1)):
            number = re.sub(r"\s+", "", DOC_NUMBER_RE.search(nm.group(1)).group(1))
            end = m.end() + nm.end()
        sent_start = max(head.rfind("。", 0, m.start()), head.rfind("\n", 0, m.start())) + 1
        before = head[sent_start:m.start()]
        issuers = re.sub(r"^.*?(贯彻落实|落实|按照|根据|依据|关于对|对)", "", before).strip("，,的 印发")
        implements = bool(IMPLEMENT_CUES.search(before)) and "全文如下" not in head[m.end():m.end() + 6]
        out.append(Citation(title, number, issuers, implements, m.start(), end))
    return out

"""Document metadata: title, kind, jurisdiction, issuers, date, 文号, cited documents.

All read from the document's own header, transmittal notice, signature and
preamble with general rules (see each function's docstring).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .bodies import PLACE_RE, BodyParser, make_context, norm, stop_words, vocab
from .records import Body
from .vocab import load_lines

DOC_NUMBER_RE = re.compile(r"([\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(?:19|20)\d\d\s*[〕\]］)）]\s*\d{1,4}\s*号)")
DATE_RE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
SHORT_DATE_RE = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
QUOTED_RE = re.compile(r"《([^《》]{4,120}(?:〈[^〈〉]*〉[^《》]*)?)》")


def kinds() -> tuple[str, ...]:
    return tuple(sorted(load_lines("document_kinds.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _kinds_regex() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(k) for k in kinds()))


@lru_cache(maxsize=1)
def _title_note_re() -> re.Pattern[str]:
    notes = "|".join(map(re.escape, load_lines("title_notes.txt")))
    return re.compile(rf"[（(](?:[\d—\-－至年]+|[\d—\-－至年]*(?:{notes})版?)[）)]?$")


def kind_of(title: str | None) -> str | None:
    if not title:
        return None
    t = re.sub(r"[》”\"」）)]+$", "", title)
    t = _title_note_re().sub("", t)  # (试行), （2024—2027年）, (2023年修订): data/title_notes.txt
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


# a collapsed text's masthead (版头) and document number before its title: 生态环境部文件环办〔2020〕3号
RED_HEADER_RE = re.compile(r"^[^，。；：\n]{2,80}?(?:文件|函)\s*([\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(?:19|20)\d\d\s*[〕\]］)）]\s*\d{1,4}\s*号)\s*(?=关于)")
# a transmittal notice's title: 关于印发X的通知, 关于转发…关于Y的意见的通知
TRANSMITTAL_RE = re.compile(r"关于(?:印发|转发|公布)(.{4,70})的通知$")
NEWS_LEAD_RE = re.compile(r"(?:日前|近日|近期|\d{1,2}月\d{1,2}日)[，,]\s*([^，,。《》\n]{2,60}?)(?:联合)?(?:印发|出台|发布|公布)(?:了)?《([^《》]{4,100})》")
WEB_LABEL_RE = re.compile(r"^(?:全文|标题|正文|题目|名称|文件名称|文件标题)\s*[|｜:：]\s*")


def _starts_with_places(text: str) -> bool:
    """Addressees written as a list of places: 北京市、天津市、河北省…"""
    from .divisions import find_places

    found = find_places(text[:40])
    return len(found) >= 2 and found[0][0] == 0 and text[found[0][1]:found[0][1] + 1] in "、，,"


def find_title(text: str) -> tuple[str, int, int] | None:
    """A standalone line before the body that ends with a document kind.

    A transmittal notice's own title (``关于印发《…》的通知``) is passed over
    for the document it carries.
    """
    limit = body_start(text)
    best = None
    pos = 0
    previous = ""  # the last non-empty line before this one
    for line in text[:limit].split("\n"):
        t = line.strip().rstrip("|｜ ").lstrip("•·▪● ")  # 关于印发…的通知 | : a table cell's border; a list's bullet
        if len(t) > 80 and t.endswith("。") and not re.search(r"印发|转发|全文如下", t):
            break  # the body has begun
        label = WEB_LABEL_RE.match(t)  # a mirror's label before the title: 全文|, 标题：
        if label:
            t = t[label.end():]
        # the last line of a title broken over lines (关于印发…主要目标 / 任务分解的通知) is no title
        continued = "关于" in previous and not kind_of(previous) and not re.search(r"[。，,；;！：:]", previous) \
            and "关于" not in t and len(previous) <= 40
        # the carried document's title broken over lines (佳木斯市…水污染防治 / 重点工作 实施方案): the tail
        # of the title already found
        continued = continued or best is not None and len(t) < len(best[0]) \
            and re.sub(r"\s", "", previous + t) in re.sub(r"\s", "", best[0])
        if 4 <= len(t) <= 80 and not re.search(r"[。，,；;！]", t) and kind_of(t) and not t.startswith("《") \
                and not continued and not OUTLINE_MARK_RE.match(t):  # 4.3 应急响应措施: a heading, no title
            lead = pos + len(line) - len(line.lstrip().lstrip("•·▪● ")) + (label.end() if label else 0)
            carried = TRANSMITTAL_RE.search(t)
            x = carried.group(1) if carried else ""
            if carried and kind_of(x) and not (x.startswith("《") and x.endswith("》")):
                # 关于印发X的通知 with X not wholly quoted (《政府工作报告》任务分解表): the carried X
                # is the document (a wholly quoted 《X》: below)
                pad = len(x) - len(x.lstrip())  # 关于印发 抚顺市…规划的通知: the space is no part of it
                best = (x.strip(), lead + carried.start(1) + pad, lead + carried.start(1) + pad + len(x.strip()))
            elif not carried:  # a notice with its own tasks (关于做好…工作的通知) is titled by itself
                best = (t, lead, lead + len(t))
            elif not kind_of(x) and "《" not in x and best is None:
                # 关于印发2025年政府工作报告主要目标任务分解的通知: what it carries is no document
                # of a kind; the notice is titled by itself
                best = (t, lead, lead + len(t))
        if t:
            previous = t
        pos += len(line) + 1
    if best:
        return best
    # a news lead-in: 日前，X印发《Y》 / 3月4日，X出台《Y》 → Y
    m = NEWS_LEAD_RE.search(text[:min(limit, 600)])
    if m:
        return (m.group(2), m.start(2), m.end(2))
    # a transmittal notice: 关于印发《X》的通知 → X (〈〉 nested in 《》 are the title's own 《》)
    m = re.search(r"关于(?:印发|转发)《((?:[^《》]|〈[^〈〉]*〉)+)》的通知", text[:limit])
    if m:
        return (m.group(1).replace("〈", "《").replace("〉", "》"), m.start(1), m.end(1))
    # a text collapsed into one line: the title runs up to its kind word, then the addressees (各省…：)
    first = text.lstrip()[:200]
    offset = len(text) - len(text.lstrip())
    header = RED_HEADER_RE.match(first)  # 生态环境部…文件环环评〔2020〕63号关于…: the masthead and number go first
    if header:
        first, offset = first[header.end():], offset + header.end()
    if first.startswith("关于") or "\n" not in first:
        ends = [km for km in _kinds_regex().finditer(first)
                if km.start() > 2  # not the verb of 关于通报…
                and all(first[:km.end()].count(a) == first[:km.end()].count(b) for a, b in ("《》", "“”"))]  # not quoted
        if first.startswith("关于"):  # 关于…的通知: the kind after 的 ends it (规划 in 关于做好…规划环境影响评价工作的通知 does not)
            ends = [km for km in ends if first[km.start() - 1] == "的"][:1] or ends
        for km in ends:
            head, rest = first[:km.end()], first[km.end():]
            rest = re.sub(r"^[（(][^）)]{1,10}[）)]", "", rest)  # 督办的函(安阳)
            if rest.startswith(("各", "为", "根据", "按照", "依据", "近日", "日前")) \
                    or ADDRESSEE_RE.match(rest) or _starts_with_places(rest) \
                    or rest.startswith("《" + head) or head.startswith("关于") and first[km.start() - 1] == "的":
                return (head, offset, offset + km.end())
    # news style: "<issuer>提出/印发/出台<N条措施>"
    m = re.search(r"([\u4e00-\u9fff]{2,30}?)(?:提出|印发|出台|发布)了?([\u4e00-\u9fff\d“”\"]{2,30}?(?:条措施|条举措|条意见|项措施))", text[:limit])
    if m:
        return (m.group(1) + m.group(2), m.start(1), m.end(2))
    return None


# a national document addresses every province (各省、自治区、直辖市…) or is issued by a central body
NATIONAL_ADDRESSEE_RE = re.compile(r"各省[、，,]\s*自治区[、，,]\s*直辖市|各省[（(]区[、，,]\s*市[）)]|各省级")
BODY_AFTER_PLACE_RE = re.compile(r"(?:中共)?[^\s]{0,0}(?:人民政府|党委|委员会|政府|市委|县委|区委|州委|省委|人大|政协|生态环境|发展和改革|发展改革|财政|住房|自然资源|办公厅|办公室)")


ARTICLE_MARK_RE = re.compile(r"第[一二三四五六七八九十百零〇两\d]+[条章节款]")
# an outline marker opening a line: 一、 （一） 1. 1.1 4.3 第三章: a heading's, never a title's
OUTLINE_MARK_RE = re.compile(r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:[.．]\d+)*[\s、.．]|第[一二三四五六七八九十百零〇两\d]+[章节条])")


def _leading_place(t: str, text: str = "") -> str | None:
    """The place a title (or a signature) starts with, most specific first:
    江苏省泰州市… → 泰州市. A division the list knows, else a name of the
    form X市/X县/X区… that the text spells as a place (new or renamed places)."""
    from .divisions import find_places

    t = re.sub(r"^(中共|关于印发|关于转发|关于)", "", t)
    found, pos = None, 0
    for s, e, d in find_places(t[:40]):
        if s != pos or t[s:e] != d.name and t[e:e + 1] in "镇乡":
            break  # 镇安镇 is a township, not 镇安(县)
        found, pos = d.name, e
    if found:
        return found
    v = vocab()
    best = ""
    for surface in v.places:
        if t.startswith(surface) and len(surface) > len(best):
            best = surface
    m = PLACE_RE.match(t)
    if m and len(m.group(1)) > len(best) and m.group(1)[0] not in "省市县区州盟旗乡镇各全本我该" and "设区" not in m.group(1) \
            and not re.search(r"[、，,局厅委办]|关于|贯彻|落实|开展|推进|全面|加强|深入", m.group(1)) \
            and not ARTICLE_MARK_RE.match(m.group(1)) \
            and not re.search(r"[是的于在对和与及或为将把被向从指]", m.group(1)):  # 第七条市人民政府, 是指属于自治州
        guess = m.group(1)
        while len(t) > len(guess) and t[len(guess)] in "市州县区盟旗" and not t[len(guess):].startswith(("区域", "县域", "市场")):
            guess = t[: len(guess) + 1]
        # a place in no list (new, renamed) counts where the text seats bodies in it: 沱江市人民政府
        lvl = re.escape(guess[-1])
        if not text or re.search(re.escape(guess) + r"(?:人民政府|党委|委员会|人大|政协|生态环境|[^\s，。、市县区州]{0,8}(?:局|厅|委|办))", text) \
                or re.search(rf"[全本我]{lvl}|{lvl}(?:委|政府|人民政府|(?![场政容])[^\s，。、]{{1,6}}局)", text):  # …or speaks of it by its level (全市, 市政府)
            best = guess
    if best:
        return v.places[best][0] if best in v.places else best
    return None


# a township or a zone opening a title (中和镇生态环境保护委员会工作规则, 通州湾示范区…责任规定)
_TOWN_OR_ZONE_RE = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:镇|乡|街道|示范区|开发区|高新区|新区|实验区|试验区))(?=[\u4e00-\u9fff“])")


def _leading_town_or_zone(title: str, text: str) -> str | None:
    """A township's or a zone's own document: its title opens with the name, and the text speaks of
    it by its level (镇党委, 全镇, 我镇, 管委会, 党工委). Division data stops at counties."""
    m = _TOWN_OR_ZONE_RE.match(re.sub(r"^(中共|关于印发|关于转发|关于)", "", title))
    if not m or stop_words().search(m.group(1)):
        return None
    name = m.group(1)
    if name.endswith(("镇", "乡", "街道")):
        word = "街道" if name.endswith("街道") else name[-1]
        own = re.search(rf"(?:[全本我]{word}|{word}(?:党委|党工委|人民政府|政府|环保办|环委会))", text)
    else:
        own = re.search(r"党工委|管委会|管理委员会", text)
    return name if own else None


def _place_in_title(title: str) -> str | None:
    """关于…打好北京市污染防治攻坚战的意见: the one division a title names in full."""
    from .divisions import find_places

    names = {d.name for s, e, d in find_places(title) if title[s:e] == d.name}
    return names.pop() if len(names) == 1 else None


def _is_central(t: str) -> bool:
    from .divisions import central_body

    t = re.sub(r"^(关于印发|关于转发|关于|《)", "", t)
    if t.startswith(("中共中央", "党中央", "国务院", "全国人民代表大会", "全国人大", "最高人民")):
        return True
    for n in range(min(len(t), 24), 1, -1):
        if central_body(t[:n]) is not None:
            return True
    return False


def central_signature(text: str) -> str | None:
    """A central body signing before a date (``…清单生态环境部办公厅2019年12月25日``): its name."""
    from .divisions import central_body

    tail_at = max(0, len(text) - 1500)
    for m in DATE_RE.finditer(text, tail_at):
        before = text[max(0, m.start() - 24):m.start()].rstrip()
        for n in range(min(len(before), 24), 1, -1):
            if central_body(before[-n:]) is not None:
                return before[-n:]
    # a joint notice signed line by line above its date (生态环境部 发展改革委 / … / 上海市人民政府 …),
    # the carried plan after it: the first signer that is a central body
    head = text[:body_start(text)]
    for m in re.finditer(r"(?m)^[ \t　]*" + DATE_RE.pattern + r"[ \t　]*$", head):
        for line in _signature_block(head, m.start()):
            first = re.split(r"[\s、]+", line.strip())[0]
            if central_body(first) is not None:
                return first
    return None


def signature_lines(text: str, limit: int | None = None) -> list[tuple[str, int, int]]:
    """Signers on the lines above a date line: above the body (a transmittal's), then in the
    last 800 characters (after the body). ``limit``: where the body starts, if known."""
    limit = body_start(text) if limit is None else limit
    out = _signatures(text, 0, limit)
    if len(text) > limit:
        tail = text.rfind("\n", 0, max(limit, len(text) - 800)) + 1
        out += _signatures(text, max(tail, limit), len(text))
    return out


def _signatures(text: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Signers named on the short lines just above each full date line of ``text[lo:hi]``
    (which starts at a line): when there are several, the lines as a list of signers,
    then the lines joined as one name broken over lines (at most three)."""
    region = text[lo:hi]
    lines = region.split("\n")
    starts, pos = [], lo
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    out = []
    for i, line in enumerate(lines):
        if DATE_RE.fullmatch(line.strip()) and i > 0:
            j = i - 1
            parts = []
            while j >= 0 and 2 <= len(lines[j].strip()) <= 40 and not re.search(r"[。，,：:；《》]", lines[j]) \
                    and not DOC_NUMBER_RE.fullmatch(lines[j].strip()) and len(parts) < 3:
                parts.insert(0, (lines[j].strip(), starts[j]))
                j -= 1
            block = _signature_block(text[:hi], starts[i])
            if len(block) > 1:  # several signers, line by line (a joint notice); tried first
                at = text.rfind(block[0], lo, starts[i])
                out.append(("、".join(block), at, starts[i] - 1))
            if parts:
                sig = "".join(p for p, _ in parts)  # else a name broken over lines
                out.append((sig, parts[0][1], starts[i - 1] + len(lines[i - 1])))
    return out


def _signature_block(text: str, date_at: int) -> list[str]:
    """The short lines (names, no sentence punctuation) just above a date line, top first:
    a signature, one signer or several per line."""
    lines = text[:date_at].rstrip("\n").split("\n")
    block: list[str] = []
    for line in reversed(lines):
        t = line.strip()
        if not t and not block:
            continue
        if not (2 <= len(t) <= 40) or re.search(r"[。，,：:；《》]", t) or DOC_NUMBER_RE.fullmatch(t) or len(block) >= 8:
            break
        block.insert(0, t)
    return [b for b in block if b]


def find_jurisdiction(title: str | None, text: str) -> str | None:
    """The place a document governs, by the general habits of Chinese official writing:

    1. the place its title starts with (江苏省泰州市… → 泰州市, the most specific);
    2. 国家 when the title starts with a central body (国务院…, 生态环境部…), the
       document addresses every province (各省、自治区、直辖市…) or its signature is a
       central body;
    3. else the division the text names most often as the seat of bodies
       (泰州市人民政府, 浙江省生态环境厅 …), the lowest level on a tie.
    """
    from .divisions import find_places

    head = text[: max(body_start(text), 600)]
    if title and _is_central(title):
        return "国家"
    # a central body's act about a place (an approval of a project in 成都市) is national
    if central_signature(text) or re.search(r"我部|本部(?!门)", text):  # only a ministry speaks of itself as 部
        return "国家"
    if title:
        place = _leading_place(title, text) or _place_in_title(title) or _leading_town_or_zone(title, text)
        if place:
            return place
    for signer, _, _ in signature_lines(text):
        place = _leading_place(signer, text)  # 临漳县大气污染防治工作领导小组办公室 / 2019年2月13日
        if place:
            return place
    if NATIONAL_ADDRESSEE_RE.search(head[:1500]):
        return "国家"
    seat = _seat_of_bodies(text, broad=False)
    if seat:
        return seat
    m = re.search(r"([\u4e00-\u9fff]{2,12}?(?:省|自治区|市|自治州|州|县|区|盟|旗))(?:党委|人民政府|委员会)", text[:2000])
    if m and _leading_place(m.group(1), text):
        return _leading_place(m.group(1), text)
    local = LOCAL_SELF_RE.search(text)
    if local and (local.group(1) or local.group(2)) == "省":  # a provincial text that never names its province: that of its places
        province = _province_of_places(text)
        if province:
            return province
    if not local and _central_names().search(text[:3000]):  # a central body acts (由生态环境部…审议通过)
        return "国家"
    # last, a page that lost its head: where its rules hold (忠县境内) or a body of any name sits (衢州市…执法支队)
    return _seat_of_bodies(text, broad=True)


def _seat_of_bodies(text: str, broad: bool) -> str | None:
    """The division the text names most often as the seat of bodies (泰州市人民政府, 浙江省生态环境厅),
    the lowest level on a tie; places inside cited titles only when no other is named.
    ``broad``: a short name ending like a body (衢州市环境保护执法支队) or a scope word (忠县境内) counts too."""
    from .divisions import find_places

    counts: dict[str, int] = {}
    cited: dict[str, int] = {}
    levels: dict[str, str] = {}
    for s, e, d in find_places(text[:20000]):
        if _seats_a_body(text, e, broad):
            in_title = text.rfind("《", 0, s) > text.rfind("》", 0, s)  # 《重庆市大气污染防治条例》: another's act
            tally = cited if in_title else counts
            tally[d.name] = tally.get(d.name, 0) + 1
            levels[d.name] = d.level
    counts = counts or cited  # only cited titles name places (根据《平利县生态环境保护责任清单》…)
    if not counts:
        return None
    rank = {"省级": 0, "地级": 1, "县级": 2}
    return max(sorted(counts), key=lambda n: (counts[n], rank.get(levels[n], 3)))


def _seats_a_body(text: str, end: int, broad: bool = False) -> bool:
    """Whether the place ending at ``end`` is named as the seat of a body (泰州市人民政府); ``broad``:
    or of a short name ending like a body (衢州市环境保护执法支队), or as the ground of the text's
    rules (忠县境内)."""
    return bool(BODY_AFTER_PLACE_RE.match(text, end) or text[end:end + 1] == "委" or _scope_re().match(text, end)
                or broad and _after_place_re().match(text, end))


@lru_cache(maxsize=1)
def _after_place_re() -> re.Pattern[str]:
    """A known body (环境保护局), or a name of at most eight more characters ending in a body
    suffix of two or more (执法支队, 管理中心)."""
    from .vocab import word_regex

    v = vocab()
    names = [n for n in v.names if len(n) >= 2]
    suffixes = [sfx for sfx, _typ, _min in v.suffixes if len(sfx) >= 2]
    return re.compile("(?:" + word_regex(names) + "|[\u4e00-\u9fff]{0,8}?" + word_regex(suffixes) + ")")


@lru_cache(maxsize=1)
def _scope_re() -> re.Pattern[str]:
    """A scope word after a place (忠县境内, 余杭区行政区域内): the ground of the text's rules."""
    from .vocab import word_regex

    return re.compile(word_regex(load_lines("place_scopes.txt")))


# a text that speaks of its own province, city or county by level alone (省委, 全市, 县政府)
LOCAL_SELF_RE = re.compile(r"(?:[全本我]|^|[，。；、\n])(省|市|县|区|州)(?:委|政府|人民政府|[^\s，。、]{1,6}厅)|[本我](省|市|县|区|州)")
_ZONE_STEM_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:综合实验区|综合试验区|新区|经济技术开发区|高新技术产业开发区|开发区|高新区)")


def _province_of_places(text: str) -> str | None:
    """The one province above every division the text names (平潭综合实验区 → 平潭 → 福建省)."""
    from .divisions import division, find_places, parents

    found = [d for _, _, d in find_places(text)]
    found += [d for d in (division(m.group(1)) for m in _ZONE_STEM_RE.finditer(text)) if d is not None]
    provinces = set()
    for d in found:
        chain = [d] + parents(d.name)
        provinces |= {x.name for x in chain if x.level == "省级"}
    return provinces.pop() if len(provinces) == 1 else None


@lru_cache(maxsize=1)
def _central_names() -> re.Pattern[str]:
    """Full names of central bodies that cannot be a local body's name (生态环境部, 国务院办公厅)."""
    from .divisions import central_bodies

    names = {b.name for b in central_bodies() if len(b.name) >= 4 and not b.parent and b.name.endswith(("部", "院", "署", "总局", "委员会", "办公厅", "国家局")) or b.name.startswith(("国家", "国务院", "中央", "全国"))}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def find_date(text: str, original: str, title_pos: int | None) -> str | None:
    """Signature or issue date: a full date in the header/signature, else a
    month-day issue date (``12月2日…印发``) completed with the page's year."""
    limit = body_start(text)
    head = text[:limit]
    sig = next(inline_signatures(text), None)
    if sig:
        y, m, d = sig[3].groups()
        return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
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
    # a saved web page's own publication date, in the header the clean text leaves out (时间: 2020-12-28 13:41),
    # unless the page credits another website (来源:…网站): then it is a copy's posting time
    page = PAGE_DATE_RE.search(original[:3000])
    if page and not REPOST_RE.search(original[:3000]):
        y, mo, d = page.groups()
        return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return None


REPOST_RE = re.compile(r"(?:来源|來源|转载自|轉載自)\s*[:：][^\n]{0,40}?(?:网站|網站)")
PAGE_DATE_RE = re.compile(r"(?:发布|發布|成文|发文|發文)?(?:时间|時間|日期)\s*[:：]\s*((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")


# addressees before the colon that opens a letter: bodies, companies, units
ADDRESSEE_RE = re.compile(r"^[^。；;：:]{2,80}?(?:政府|厅|局|委|部门|单位|公司|院|所|中心|办|部|处|站|会)(?:[（(][^）)]{1,6}[）)])?[：:]")
SIGNER_END_RE = re.compile(r"(部|厅|局|委|政府|办公厅|办公室|委员会|院|署|总局|中心|党组|组)$")


def find_addressee(text: str, title_end: int) -> tuple[str, int, int] | None:
    """The addressee of a letter: the name before the colon that follows its title
    (关于…的函（西安）西安市人民政府：…, or on the title's next line), with its span;
    None where no such colon follows within the line after the title."""
    rest = text[title_end:title_end + 200]
    at = len(rest) - len(rest.lstrip())
    bracket = re.match(r"[（(][^）)]{1,10}[）)]\s*", rest[at:])  # 督办的函（西安）
    at += bracket.end() if bracket else 0
    m = ADDRESSEE_RE.match(rest[at:].split("\n", 1)[0])
    if m is None:
        return None
    name = m.group(0).rstrip("：:").strip()
    start = title_end + at
    return name, start, start + len(name)


def inline_signatures(text: str):
    """Signatures run into the text (``…贯彻落实。生态环境部2018年7月30日附件：``), as
    one-line texts deliver them: (signer, start, end, date match), in text order.
    A date followed by 印发/发布 is a cited act, not a signature."""
    for m in DATE_RE.finditer(text):
        seg_start = max(text.rfind(c, 0, m.start()) for c in "。\n：:；;）)》") + 1
        signer = text[seg_start:m.start()].strip()
        if not (2 <= len(signer) <= 40) or not SIGNER_END_RE.search(signer):
            continue
        if re.match(r"\s*(印发|发布|出台|召开|审议|通过|起)", text[m.end():m.end() + 4]):
            continue
        yield signer, seg_start, m.start(), m


def find_doc_number(text: str) -> str | None:
    """A 文号 standing alone on a header line (not a citation in brackets)."""
    limit = body_start(text)
    for line in text[:limit].split("\n"):
        t = line.strip()
        m = DOC_NUMBER_RE.fullmatch(t)
        if m:
            return re.sub(r"\s+", "", m.group(1))
        m = re.match(r"^(?:文\s*号|发文字号|索\s*引\s*号)\s*[：:]\s*", t)  # a web page's field: 文号：X〔2024〕2号
        if m and DOC_NUMBER_RE.match(t, m.end()):
            return re.sub(r"\s+", "", DOC_NUMBER_RE.match(t, m.end()).group(1))
    m = RED_HEADER_RE.match(text.lstrip())  # a masthead run together with its number and title
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
    # signature: lines just before a full date line, above the body (a transmittal's) or after it
    out.extend(signature_lines(text, limit))
    for signer, s, e, _ in inline_signatures(text):
        out.append((signer, s, e))
        break
    block = _issuer_block(head)
    if block:
        out.append(block)
    m = re.search(r"已经([^，,。\n]{4,60}?)(?:同意|审议通过|研究同意)", head)
    if m:
        out.append((m.group(1), m.start(1), m.end(1)))
    m = re.search(r"([\u4e00-\u9fff]{4,30}?)(?:提出|出台|发布)了?[\u4e00-\u9fff\d]{0,6}(?:条|项)(?:措施|举措|意见)", head)
    if m:
        out.append((m.group(1), m.start(1), m.end(1)))
    for m in re.finditer(r"(?m)^[ \t　]*([^\n，,。：:《》]{2,40}?)关于(?:印发|转发)", head):
        out.append((m.group(1), m.start(1), m.end(1)))  # the 发文机关 of the notice that carries it
    at = head.find(title) if title else -1
    if at >= 0:  # last: the 发文机关 the title opens with (X关于…的通知, X生态环境保护工作事项清单)
        m = re.match(r"(.{2,40}?)关于", title)
        ends = [m.end(1)] if m else [i for i in range(len(title) - 2, 1, -1)
                                     if SIGNER_END_RE.search(title[:i]) and title[i] not in _NAME_GOES_ON]
        out.extend((title[:i], at, at + i) for i in ends)
    return out


# what after 局/部/委… shows that the name goes on (生态环境部门, 委员会, 局长): no body ends there
_NAME_GOES_ON = "门员长会属机"


def _issuer_block(head: str) -> tuple[str, int, int] | None:
    """The issuing bodies' names stacked at the top of a joint document, one or
    more per line, down to its 文号 or title (浙江省生态环境厅 / 中国人民银行浙江省分行 / …,
    中共石城县委 石城县人民政府)."""
    lines, pos = [], 0
    for line in head.split("\n"):
        t = line.strip()
        if t:
            if DOC_NUMBER_RE.fullmatch(t) or kind_of(t) or re.search(r"[。，,：:；;]", t) or len(t) > 30:
                break
            if not SIGNER_END_RE.search(t) and not re.search(r"(分行|监管局|支行|分局)$", t):
                return None  # not a block of bodies (a site banner, a date)
            lines.append((t, pos))
        pos += len(line) + 1
    names = [part for t, _ in lines for part in t.split()]  # 中共石城县委 石城县人民政府: two on a line
    if len(names) < 2:
        return None
    return ("、".join(names), lines[0][1], lines[-1][1] + len(lines[-1][0]))


def _name_start(cand: str) -> int:
    """Where an issuer's name begins in words run into it (附件3：发电行业分类代码生态环境部办公厅,
    a flattened attachment list before the signature): where the rest is wholly a central
    body's name, else where the first place named after other words starts; 0 when the
    words begin with the name, name none, or are a title's (关于…)."""
    from .divisions import central_body, find_places

    if cand.startswith("关于"):
        return 0
    for i in range(1, len(cand) - 1):
        if central_body(cand[i:]) is not None:
            return i
    return next((start for start, _, _ in find_places(cand) if start > 0), 0)


def parse_issuers(candidates: list[tuple[str, int, int]], parser: BodyParser) -> list[tuple[Body, int, int]]:
    for cand, s, e in candidates:
        cand = re.sub(r"^.*?\d{1,2}月\d{1,2}日[，,]?", "", cand)
        cand = re.sub(r"^(本报讯|近日|日前|今年|据悉)", "", cand)
        # signers on one line are separated by spaces (三明市生态环境局 三明市发展和改革委员会): no name holds one
        spaced = re.sub(r"(?<=\S)[ \t\u3000]+(?=\S)", "、", cand.strip())
        bodies = parser.parse_list(spaced, strict=True) if spaced != cand.strip() else None
        if not bodies:
            k = _name_start(cand)
            if k and parser.parse_list(cand[k:], strict=True):
                cand, s = cand[k:], s + k
            bodies = parser.parse_list(cand, strict=True)
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
FIRST_ITEM_RE = re.compile(r"(?:^|(?<=[。；;：:！\s]))(?:一、|[（(]一[）)]|第一[章条])", re.M)


def _same_title(title: str) -> str:
    """A title as compared with another: brackets and dashes folded (（2018—2020年） = (2018-2020年))."""
    return re.sub(r"[—–－―‒-]+", "-", norm(title))


def find_citations(text: str, own_title: str | None) -> list[Citation]:
    """Documents cited in the preamble: ``《title》（number）``. Those cited
    after 贯彻落实/按照/根据 in the preamble are implemented."""
    limit = body_start(text)
    # a regulation cites its basis in its first article: 第一条 为…，根据《…》…，制定本办法。
    purpose = re.search(r"制定本(?:办法|规定|条例|细则|方案|意见|制度)", text[limit:limit + 800])
    head = text[:limit + purpose.end()] if purpose else text[:limit]
    # the preamble ends at the first item even where lines were lost (one-line texts: …意见如下。一、…):
    # a document cited inside an item is used there, not implemented by the whole
    first_item = FIRST_ITEM_RE.search(text, 0, limit)
    preamble_end = first_item.start() if first_item else limit
    out: list[Citation] = []
    own = _same_title(own_title or "")
    for m in QUOTED_RE.finditer(head):
        title = m.group(1)
        if own and _same_title(title) == own:
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
        implements = bool(IMPLEMENT_CUES.search(before)) and "全文如下" not in head[m.end():m.end() + 6] \
            and (m.start() < preamble_end or m.start() >= limit)  # the preamble, or a regulation's purpose article
        out.append(Citation(title, number, issuers, implements, m.start(), end))
    return out

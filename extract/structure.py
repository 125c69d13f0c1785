"""Structure: clean text → parts, chapters, sections and obligation clauses.

A policy document's tasks come in a few layouts, all handled here by
general rules, never by a document's own headings:

- numbered clauses ``（一）``/``(一)``/``1.``/``第一条`` under parts ``一、``;
- chapters ``第十一章`` and sections ``第一节`` holding *headed paragraphs*
  (``强化核技术利用监管。加强…``) or, when a section has none, the section
  itself as one obligation;
- *headed measures*: a short heading line followed by its paragraph;
- rows of tables of measures (附表), tab separated, columns found by their
  header words (``重点举措``, ``完成时限``, ``牵头部门`` …).

Headings that introduce rather than assign (``指导思想``, ``基本原则``) are
listed in ``data/non_obligation_headings.txt``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .metadata import DATE_RE, DOC_NUMBER_RE, kinds
from .vocab import load_lines, load_tsv

CN_NUM = "一二三四五六七八九十百零〇两"
PART_RE = re.compile(rf"^([{CN_NUM}]+)[、.．]\s*(.+)$")
CHAPTER_RE = re.compile(rf"^(第[{CN_NUM}\d]+[章篇部分])\s*(.*)$")
SECTION_RE = re.compile(rf"^(第[{CN_NUM}\d]+节)\s*(.*)$")
# an article's caption after its number: 第一条（目的和依据）, a few words in brackets
ARTICLE_CAPTION_RE = re.compile(r"\s*[（(][^（）()，,。；;]{1,12}[）)]")
ARTICLE_RE = re.compile(rf"^(第[{CN_NUM}\d]+条)\s*(.*)$")
PAREN_RE = re.compile(rf"^([（(][{CN_NUM}]+[）)])\s*(.*)$")
ARABIC_RE = re.compile(r"^(\d{1,3})[.、．](?!\d)\s*(.*)$")
PAREN_ARABIC_RE = re.compile(r"^([（(]\d{1,3}[）)])\s*(.*)$")
APPENDIX_RE = re.compile(r"^(附[表件]\s*\d*)\s*[:：]?\s*(.*)$")
HEADED_RE = re.compile(r"^([^。，,；;：:！？!?\t]{2,30}?)[。.](?=.)")
# a bare heading line: short, no sentence punctuation
BARE_HEADING_RE = re.compile(r"^[^。，,；;：:！？!?\t]{2,30}$")


@dataclass
class Paragraph:
    text: str
    start: int  # offset in clean text
    end: int


@dataclass
class Clause:
    """An obligation candidate in clean-text coordinates."""

    layout: str
    number: str | None
    heading: str | None
    section: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # table rows: role -> cell text
    cell_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    heading_line_is_chapter: bool = False

    @property
    def start(self) -> int:
        return self.paragraphs[0].start

    @property
    def end(self) -> int:
        return self.paragraphs[-1].end


def paragraphs(text: str) -> list[Paragraph]:
    """Lines, further split where an outline marker continues its sequence
    inside a line (texts collapsed into one line, copied pages)."""
    out, pos = [], 0
    outline = Outline()
    for line in text.split("\n"):
        if line.strip():
            cuts = [] if "\t" in line else outline.inline_breaks(line)
            bounds = [0] + cuts + [len(line)]
            for a, b in zip(bounds, bounds[1:]):
                piece = line[a:b]
                if piece.strip():
                    out.append(Paragraph(piece, pos + a, pos + b))
        pos += len(line) + 1
    return out


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_DIGITS.update({"〇": 0, "两": 2})


def cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105; Arabic digits and circled numbers too."""
    if len(s) == 1 and "①" <= s <= "⑳":  # before isdigit(), which is true for ①
        return ord(s) - ord("①") + 1
    if s.isdecimal():
        return int(s)
    total, num = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            num = _CN_DIGITS[c]
        elif c == "十":
            total += (num or 1) * 10
            num = 0
        elif c == "百":
            total += (num or 1) * 100
            num = 0
        else:
            return None
    return total + num


# Outline marker families, highest level first. A marker resets the count of
# every family below it.
OUTLINE_FAMILIES = (
    ("chapter", re.compile(rf"第([{CN_NUM}\d]+)[章篇]")),
    ("section", re.compile(rf"第([{CN_NUM}\d]+)节")),
    ("part", re.compile(rf"([{CN_NUM}]+)、(?![{CN_NUM}])")),
    ("article", re.compile(rf"第([{CN_NUM}\d]+)条")),
    ("paren", re.compile(rf"[（(]([{CN_NUM}]+)[）)]")),
    ("arabic", re.compile(r"(?<![\d.．])(\d{1,2})[.．、](?![\d%％])")),
    ("paren_arabic", re.compile(r"[（(](\d{1,2})[）)]")),
    ("circled", re.compile(r"([①-⑳])")),
)
_RANK = {name: i for i, (name, _) in enumerate(OUTLINE_FAMILIES)}
_CANDIDATE = re.compile(rf"第|[（(]|[{CN_NUM}]|\d|[①-⑳]")
SENTENCE_ENDS = "。；;：:！？!?"
_SECOND = {family: re.compile(rf"[。；;！？!?]\s*第(?:二|2){word}") for family, word in (("chapter", "章"), ("article", "条"))}
CLOSERS = "”’\"』」）)】"


class Outline:
    """The document outline read so far: the last number of each marker
    family. An inline marker is a clause boundary only where it continues
    its family's sequence (``（二）`` after ``（一）``, or a first ``（一）``
    right after a higher marker) and stands where a clause can start: after
    a sentence end, or right after a higher marker's short heading. A stray
    ``（3）`` inside a sentence is not a boundary."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.restartable: set[str] = set()  # families a higher marker has opened anew

    def _accepts(self, family: str, value: int) -> bool:
        """Next in sequence; or 1 where the family is new or a higher marker
        came since (numbering may also run on across parts: 二、…（三）)."""
        last = self.last.get(family)
        if last is None or family in self.restartable:
            return value == 1 or last is not None and value == last + 1
        return value == last + 1

    def _accept(self, family: str, value: int) -> None:
        self.last[family] = value
        self.restartable.discard(family)
        for name, _ in OUTLINE_FAMILIES[_RANK[family] + 1:]:
            self.restartable.add(name)

    def _marker_at(self, line: str, i: int) -> tuple[str, int, int] | None:
        for name, rx in OUTLINE_FAMILIES:
            m = rx.match(line, i)
            if m:
                v = cn_number(m.group(1))
                if v is not None:
                    return name, v, m.end()
        return None

    def inline_breaks(self, line: str) -> list[int]:
        cuts: list[int] = []
        lead = len(line) - len(line.lstrip())
        first = self._marker_at(line, lead)
        anchor_rank, anchor_end = None, 0
        if first:  # a line-start marker is part of the outline whatever its number
            self._accept(first[0], first[1])
            anchor_rank, anchor_end = _RANK[first[0]], first[2]
        i = first[2] if first else lead
        while True:
            cand = _CANDIDATE.search(line, i)
            if not cand:
                break
            i = cand.start()
            found = self._marker_at(line, i)
            if not found:
                i += 1
                continue
            family, value, end = found
            j = i
            while j > 0 and line[j - 1] in CLOSERS:
                j -= 1
            after_sentence = j > 0 and line[j - 1] in SENTENCE_ENDS
            heading = line[anchor_end:i]
            after_heading = (anchor_rank is not None and anchor_rank < _RANK[family] and len(heading) <= 40
                             and not re.search(r"[。；;！？!?]", heading))
            # 指南第一条为…。第二条… / 办法（试行）第一章总则第一条…: a first chapter or article run
            # into a title, which the second after a sentence's end confirms (《…》第一条 is a citation)
            first = (family in _SECOND and value == 1 and line[j - 1:j] not in ("》", "")
                     and _SECOND[family].search(line, end) is not None)
            if (after_sentence or after_heading or first) and self._accepts(family, value):
                self._accept(family, value)
                cuts.append(i)
                anchor_rank, anchor_end = _RANK[family], end
                i = end
                continue
            i += 1
        return cuts


SIGNATURE_DATE_RE = re.compile(rf"[（(]?(?:\d{{4}}|[{CN_NUM}]{{4}})\s*年\s*[\d{CN_NUM}]{{1,2}}\s*月\s*[\d{CN_NUM}]{{1,3}}\s*日[）)]?")


def _drop_signature(clause: Clause) -> None:
    """The last clause does not hold the signature that follows the text: a date on a line
    of its own, and the short lines just above it that name no sentence (嵊州市人民政府 /
    2021年6月3日). The clause keeps at least its first paragraph."""
    ps = clause.paragraphs
    if len(ps) < 2 or not SIGNATURE_DATE_RE.fullmatch(ps[-1].text.strip()):
        return
    k = len(ps) - 1
    while k > 1 and len(ps[k - 1].text.strip()) <= 40 and not re.search(r"[。，,：:；;！？]", ps[k - 1].text):
        k -= 1
    del ps[k:]


def _part_headings(paras: list[Paragraph]) -> set[int]:
    """The paragraphs (by ``id``) that head a part: 一、… lines that are headings
    (:func:`_is_part_heading`). In a text whose every such line is a sentence (ended
    by 。) with nothing under it before the next 一、… or the end, or right after an
    item of a run-in list (一、本市行政区域内禁止露天焚烧秸秆。 / 二、…，…。 /
    五、本通告自发布之日起施行。), there are no parts: those lines are items of a
    run-in list, as in a notice's 通告如下, where the items read as tasks
    (:func:`_tasks_in_run_in_parts`); otherwise they keep their reading as parts."""
    headings: set[int] = set()
    items: set[int] = set()
    item_before = False  # the paragraph before is an item of a run-in list
    for i, p in enumerate(paras):
        t = p.text.strip()
        is_part = bool(PART_RE.match(t))
        if is_part and _is_part_heading(t):
            headings.add(id(p))
            nxt = paras[i + 1].text.strip() if i + 1 < len(paras) else ""
            if t.endswith("。") and (item_before or not nxt or PART_RE.match(nxt)):
                items.add(id(p))
        item_before = is_part and (id(p) not in headings or id(p) in items)
    if headings and headings <= items and _tasks_in_run_in_parts(paras, set()):
        return set()
    return headings


@lru_cache(maxsize=1)
def _title_line_re() -> re.Pattern[str]:
    # 关于…的通告 (the 关于 may be on the line before: 湘乡市人民政府关于 / 禁止露天焚烧秸秆的通告)
    return re.compile(r"(?:[^。，,；;：:！？]{0,40}关于)?[^。，,；;：:！？]{2,70}的(?:%s)" % "|".join(map(re.escape, kinds())))



def _is_title_line(t: str) -> bool:
    """A document's title on a line of its own (关于…的通告, X人民政府关于…的通知), or its first
    line when it is broken after 关于 (湘乡市人民政府关于 / 禁止露天焚烧秸秆…的通告)."""
    return _title_line_re().fullmatch(t) is not None or bool(re.fullmatch(r"[^。，,；;：:！？]{2,40}关于", t))


def _next_is_part(paras: list[Paragraph], idx: int) -> bool:
    """Whether the paragraph after ``paras[idx]`` is another 一、… line, or a closing one (特此通告, none)."""
    if idx + 1 >= len(paras):
        return True
    nxt = paras[idx + 1].text.strip()
    return bool(PART_RE.match(nxt)) or bool(re.fullmatch(r"特此(?:通告|公告|通知)。?", nxt))


def _framed_as_tasks(paras: list[Paragraph]) -> bool:
    """Whether a public notice's frame (通告如下, 公告如下: item_frames.tsv) comes before the first 一、:
    a notice's items are its rules, whatever their form."""
    first = next((i for i, p in enumerate(paras) if PART_RE.match(p.text.strip())), 0)
    frame = _frames("public_notice")
    return any(frame.search(p.text) for p in paras[max(0, first - 3):first])


def _is_part_heading(t: str) -> bool:
    """一、总体要求 / 三、强化组织保障，确保任务落实: a part's heading is short and is no
    sentence; a short item of clauses joined by a comma and ended by 。 (三、综合执法局要
    勤勉履职，…查处。) is a task of a run-in list, not a heading."""
    t = t.strip()
    if len(t) > 40 or "。" in t[:-1]:
        return False
    return not (t.endswith("。") and re.search(r"[，,]", t))


_NUMBER_LEAD_RE = re.compile(r"^\s*\d+(?:[.．]\d+)*[.．、]?\s*")


# a list item that only names acts (编制依据: 1)《中华人民共和国环境保护法》1989.12.26；): a basis, no task
_CITATION_ITEM_RE = re.compile(r"\s*(?:\d{1,3}[)）.、．]|[（(][\d一二三四五六七八九十]{1,3}[）)])?\s*"
                               r"(?:(?:[\u4e00-\u9fff]{1,10}(?:院|部|委|局|厅|政府|办公厅|委员会))?《[^《》\n]{2,80}》[（(\[〔]?[^《》\n，。；]{0,24}?[）)\]〕]?[、，,；;。]?\s*)+")


def _only_headings(clause: Clause) -> bool:
    """Every line of the clause is a short heading: no sentence, no comma."""
    return clause.layout != "table_row" and all(
        len(p.text.strip()) <= 30 and not re.search(r"[，,。；;：:]", p.text) for p in clause.paragraphs)


def _only_citations(clause_text: str) -> bool:
    return _CITATION_ITEM_RE.fullmatch(clause_text) is not None


def _is_non_obligation(heading: str | None) -> bool:
    if not heading:
        return False
    h = re.sub(r"[。.：:\s]", "", _NUMBER_LEAD_RE.sub("", heading))  # 1.1 编制目的: the number is no word
    if re.fullmatch(r"[^，,；;]{0,6}原则", h):  # 基本原则, 工作原则, 考核原则, 编制原则: the principles
        return True
    return any(h == w or h.startswith(w) for w in load_lines("non_obligation_headings.txt"))


def _is_non_obligation_section(heading: str) -> bool:
    """Sections that score or adjust rather than assign (综合奖扣分项目, 加分项, 扣分项)."""
    return _is_non_obligation(re.sub(rf"^[{CN_NUM}]+[、.．]\s*", "", heading))


def _table_columns(header: list[str]) -> dict[int, str]:
    """Column index → role (number, task, deadline, lead, support, responsible, goal, note)."""
    roles = {}
    vocab = load_tsv("table_headers.tsv")
    for i, cell in enumerate(header):
        c = cell.strip()
        if len(c) > 8:  # a header cell is a short label, not a row's text
            continue
        for row in vocab:
            if c and (c == row["header"] or row["header"] in c):
                roles.setdefault(i, row["role"])
                break
    return roles


_ENUMERATION = re.compile(rf"(?<=[。；;：:])\s*([{CN_NUM}]+)是")


def _enumerated_tasks(paras: list[Paragraph]) -> list[Clause]:
    """Tasks written 一是…。二是…。 after a frame that announces them (做好以下工作：, 要求如下：),
    in a text with no other marker (a supervision letter): one clause from each 一是 to the
    next, the last to its paragraph's end. An enumeration without such a frame is an
    argument's points or a reply's answers, not tasks."""
    seen = ""  # the last 3,000 characters before the paragraph, where a reply says 答复如下
    for p in paras:
        marks = []
        for m in _ENUMERATION.finditer(p.text):
            if cn_number(m.group(1)) == len(marks) + 1:
                marks.append(m.start(1))
        if len(marks) < 2 or not _frames("enumerated_tasks").search(p.text[max(0, marks[0] - 12):marks[0]]) \
                or _frames("answers").search((seen + p.text[:marks[0]])[-3000:]):  # a reply: work done, not tasks
            seen = (seen + p.text)[-3000:]
            continue
        bounds = marks + [len(p.text.rstrip())]
        frame_start = max(p.text.rfind(c, 0, marks[0] - 1) for c in "。；;！？!?") + 1
        frame = p.text[frame_start:marks[0]].strip()  # 请你市…做好以下工作： (its actor owns the tasks)
        clauses = []
        for a, b in zip(bounds, bounds[1:]):
            piece = p.text[a:b]
            piece = piece[:len(piece.rstrip())]
            heading, _ = _split_heading(re.sub(rf"^[{CN_NUM}]+是", "", piece))
            clauses.append(Clause("numbered", piece[:piece.index("是") + 1], heading, frame or None,
                                  [Paragraph(piece, p.start + a, p.start + a + len(piece))]))
        return clauses
    return []


def _row_columns(cells: list[str], table_cols: dict[int, str], width: int) -> dict[int, int]:
    """Cell index → header column. A row with fewer cells than its header lost a merged
    cell (a category spanning rows) or its empty last cells: after the row's number its
    cells run in order or against the right end, whichever puts the row's longest cell
    (the task, a sentence among names and dates) under the task column."""
    in_order = {i: i for i in range(len(cells))}
    short = width - len(cells)
    task_col = next((c for c, role in table_cols.items() if role == "task"), None)
    if short <= 0 or task_col is None:
        return in_order
    numbered = table_cols.get(0) == "number" and bool(re.fullmatch(r"\d+", cells[0].strip()))
    to_right = {i: i if numbered and i == 0 else i + short for i in range(len(cells))}
    longest = max(range(len(cells)), key=lambda i: len(cells[i].strip()))
    return to_right if in_order[longest] != task_col and to_right[longest] == task_col else in_order


def _split_heading(text: str) -> tuple[str | None, str]:
    m = HEADED_RE.match(text)
    if m:
        return m.group(1).strip(), text
    bare = text.strip().rstrip("。.")
    if BARE_HEADING_RE.match(bare) and len(bare) <= 15:
        return bare, text
    return None, text


def segment(text: str) -> list[Clause]:
    """Split clean text into obligation clauses (see module docstring)."""
    paras = paragraphs(text)
    clauses: list[Clause] = []
    part: str | None = None
    chapter: str | None = None
    section: str | None = None
    # which numbered marker is the clause level: the first marker kind seen under a part
    clause_kind: str | None = None
    # where owners are annotated on items of a lower level only (（一）… then 1.…（省经信委、省发改委）),
    # those items are the obligations and the level above groups them
    annotated_kind = _annotated_level(paras) or _items_under_headings(paras)
    leading: list[Paragraph] = []
    headed_runs = _headed_runs(paras)
    body_headed = _body_headed_runs(paras)
    current: Clause | None = None
    table_cols: dict[int, str] | None = None
    table_width = 0
    table_skip = False  # inside a table section that assigns no tasks (加减分 rules)
    in_body = False
    # containers (part/chapter/section) waiting to see whether they hold clauses
    container: Clause | None = None
    container_has_children = False
    headings = _part_headings(paras)
    has_structure = any(
        id(p) in headings or CHAPTER_RE.match(p.text)
        or SECTION_RE.match(p.text) or ARTICLE_RE.match(p.text) or PAREN_RE.match(p.text)
        for p in paras
    )
    run_in_parts = not has_structure and _tasks_in_run_in_parts(paras, headings)
    decimal = not has_structure and _decimal_outline(paras)  # 1 总则 / 1.1 编制目的 / 1.1.1 …: an emergency plan's
    # a notice's items (现将有关事项通告如下：) among parts with headings (一、禁燃禁放范围 / 五华县行政辖区全域。):
    # a sentence numbered 四、… with nothing under it is an item, not a part to drop
    framed = bool(headings) and not run_in_parts and _framed_as_tasks(paras)
    position = {id(q): i for i, q in enumerate(paras)} if framed else {}
    part_kinds = _marker_kinds_by_part(paras, headings)
    kinds_here: set[str] | None = None  # the marker kinds of the current part (None before the first part)

    def flush_container():
        nonlocal container, container_has_children
        if container is not None and not container_has_children and len(container.paragraphs) > 1:
            if not _is_non_obligation(container.heading):
                clauses.append(container)
        container = None
        container_has_children = False

    def section_label() -> str | None:
        parts = [x for x in (part, chapter, section) if x]
        if chapter and section:
            return f"{chapter}/{section}"
        return parts[-1] if parts else None

    def open_container(layout: str, heading_line: str, title: str, p: Paragraph):
        nonlocal container, container_has_children
        flush_container()
        container = Clause(layout, None, title.strip() or heading_line, heading_line, [p])
        container_has_children = False

    def start_clause(clause: Clause):
        nonlocal current, container_has_children
        container_has_children = True
        current = clause
        # items of a part that introduces (一、基本原则 / （一）坚持…): statements, not tasks
        if not _is_non_obligation(clause.heading) and not (part and not chapter and _is_non_obligation_section(part)):
            clauses.append(clause)

    for p in paras:
        t = p.text.strip()
        # ---------------------------------------------------------------- tables
        if "\t" in t:
            cells = t.split("\t")
            cols = _table_columns(cells)
            if "task" in cols.values() and len(set(cols.values())) >= 2:
                table_cols, table_width = cols, len(cells)
                current = None
                continue
            if table_cols is not None:
                col_of = _row_columns(cells, table_cols, table_width)
                row = {table_cols[c]: cells[i].strip() for i, c in col_of.items() if c in table_cols}
                task = row.get("task", "")
                first = next((c.strip() for c in cells if c.strip()), "")
                if PART_RE.match(first) or re.fullmatch(rf"[{CN_NUM}]+[、.．]", first):
                    # a section row inside the table: 一、 通用考核项目（全部责任单位）
                    part = "".join(c.strip() for c in cells if c.strip() and not re.fullmatch(r"[\d.]+", c.strip()))
                    chapter = section = None
                    if _is_non_obligation_section(part):
                        table_skip = True
                    else:
                        table_skip = False
                    continue
                if task and not table_skip:
                    cl = Clause("table_row", row.get("number") or None, None, section_label(), [p])
                    cl.cells = {k: v for k, v in row.items() if v}
                    # spans of cells in clean coordinates; cells under no known header keep their index
                    pos = p.start + (len(p.text) - len(p.text.lstrip()))
                    for i, cell in enumerate(cells):
                        role = table_cols.get(col_of[i], f"col{col_of[i]}")
                        if col_of[i] not in table_cols and cell.strip():
                            cl.cells[role] = cell.strip()
                        cl.cell_spans.setdefault(role, (pos, pos + len(cell)))
                        pos += len(cell) + 1
                    start_clause(cl)
                    current = None
                continue
        elif table_cols is not None and not (PART_RE.match(t) or CHAPTER_RE.match(t) or APPENDIX_RE.match(t)):
            # a table's caption or a note between tables: keep the table open
            if len(t) <= 40 and not HEADED_RE.match(t):
                continue
            table_cols = None
        # ---------------------------------------------------------------- a decimal outline
        if decimal:
            m = DECIMAL_RE.match(t)
            top = DECIMAL_TOP_RE.match(t) if m is None else None
            if top:  # 2 组织指挥体系: a part (a clause if text follows it at once)
                in_body = True
                part, chapter, section = t, None, None
                current = None
                open_container("section", t, _NUMBER_LEAD_RE.sub("", t), p)
                continue
            if m and not m.group(3):  # 2.1 应急领导小组: a clause, its lower numbers (2.1.1 …) its text
                in_body = True
                heading, _ = _split_heading(m.group(4))
                start_clause(Clause("numbered", m.group(1), heading, section_label(), [p]))
                continue
            if m and current is not None:  # 2.1.1 指挥部组成与职责
                current.paragraphs.append(p)
                continue
        # ---------------------------------------------------------------- headings
        m = CHAPTER_RE.match(t)
        if m and len(t) <= 60:
            in_body = True
            chapter, section, part = t, None, None
            current = None
            open_container("section", t, m.group(2), p)
            container.heading_line_is_chapter = True
            continue
        m = SECTION_RE.match(t)
        if m and len(t) <= 60:
            in_body = True
            if container is not None and container.heading_line_is_chapter:
                container_has_children = True
            section = t
            current = None
            open_container("section", section_label() or t, m.group(2), p)
            continue
        m = APPENDIX_RE.match(t)
        if m and len(t) <= 60:
            flush_container()
            part = t if m.group(2) else (part or t)
            chapter = section = None
            current = None
            continue
        m = PART_RE.match(t)
        if m and id(p) not in headings and (run_in_parts or framed and _next_is_part(paras, position[id(p)])):
            # an item of a run-in list: 一、修订应急预案。… (items numbered 1. below it belong to it), or
            # a notice's rule among its headed parts (a part before it keeps its own clause)
            in_body = True
            if run_in_parts:
                clause_kind = "part"
            else:
                flush_container()
            heading, _ = _split_heading(m.group(2))
            start_clause(Clause("numbered", m.group(1) + t[len(m.group(1))], heading, section_label(), [p]))
            continue
        if m and id(p) in headings:
            in_body = True
            kinds_here = part_kinds.get(id(p), set())
            if clause_kind is not None and kinds_here and clause_kind not in kinds_here:
                # a part whose items are of another level (tasks 1. 2. …, then 三、保障措施 with （一）（二）):
                # its own items are its clauses
                clause_kind = None
            part, chapter, section = t, None, None
            current = None
            open_container("section", t, m.group(2).rstrip("。"), p)
            continue
        # ---------------------------------------------------------------- numbered clauses
        kind = None
        for name, rx in _LINE_KINDS:
            m = rx.match(t)
            if m:
                kind = name
                break
        if kind and (in_body or kind in ("article", "paren") or not has_structure and _opens_a_list(paras, p, kind)):
            in_body = True
            if clause_kind is None:
                annotated = annotated_kind if kinds_here is None or annotated_kind in kinds_here else None
                clause_kind = annotated if annotated and _KIND_ORDER.index(annotated) > _KIND_ORDER.index(kind) else kind
            if _KIND_ORDER.index(kind) < _KIND_ORDER.index(clause_kind):
                # a level above the annotated items: it groups them, as a section does
                section = t.rstrip("。")
                current = None
                continue
            if kind == clause_kind:
                heading, _ = _split_heading(m.group(2))
                if kind == "article" and not HEADED_RE.match(m.group(2)):
                    heading = None  # articles are sentences, not headings
                layout = "article" if kind == "article" else "numbered"
                start_clause(Clause(layout, m.group(1), heading, section_label(), [p]))
                continue
            # a lower-level item: part of the current clause
            if current is not None:
                current.paragraphs.append(p)
                continue
        if _is_title_line(t) or DOC_NUMBER_RE.fullmatch(t) or current is None and DATE_RE.fullmatch(t.strip("（）() ")):
            continue  # 关于…的通告, 常生环委发〔2019〕9号, 2016年5月11日 above the body: no heading
        if not in_body:
            # headed measures without any part headings: a short bare line followed by text
            if not has_structure and BARE_HEADING_RE.match(t) and clauses_possible(paras, p):
                in_body = True
            else:
                if len(t) >= 40 and not clauses:
                    leading.append(p)  # text before the first marker: a page's opening, maybe a task's tail
                continue
        # ---------------------------------------------------------------- headed paragraphs / measures
        if (chapter or section or not has_structure) and clause_kind is None:
            hm = HEADED_RE.match(t)
            if hm and len(hm.group(1)) <= 25:
                start_clause(Clause("headed", None, hm.group(1).strip(), section_label(), [p]))
                continue
            if BARE_HEADING_RE.match(t) and len(t) <= 25:
                start_clause(Clause("headed", None, t, section_label(), [p]))
                continue
        if id(p) in body_headed and clause_kind is None and (
                current is None and container is not None or current is not None and current.layout == "headed"):
            # a part listing its members' duties, each paragraph headed by the body (县环保局。负责…)
            start_clause(Clause("headed", None, HEADED_RE.match(t).group(1).strip(), section_label(), [p]))
            continue
        if current is not None and current.layout == "numbered" and id(p) in headed_runs \
                and not _is_non_obligation(current.heading):
            # headed paragraphs inside a numbered item (（一）…。 then 标题。正文 several times): each a task
            parent = f"{current.number}{current.heading or ''}"
            hm = HEADED_RE.match(t)
            clause = Clause("headed", None, hm.group(1).strip(), section_label() and f"{section_label()}/{parent}" or parent, [p])
            start_clause(clause)
            current = clause
            current.layout = "headed"
            continue
        if current is not None and current.layout == "headed" and id(p) in headed_runs and clause_kind is not None:
            hm = HEADED_RE.match(t)
            clause = Clause("headed", None, hm.group(1).strip(), current.section, [p])
            start_clause(clause)
            current = clause
            continue
        if current is not None:
            current.paragraphs.append(p)
        elif container is not None:
            container.paragraphs.append(p)
    flush_container()
    if not clauses and not has_structure:  # 请…做好以下工作：一是…。二是…: the enumeration is the tasks
        clauses = _enumerated_tasks(paras)
    first_marker = next((q for q in paras if q.start >= (leading[-1].end if leading else 0)
                         and (PART_RE.match(q.text.strip()) or any(rx.match(q.text.strip()) for _, rx in _LINE_KINDS)
                              or CHAPTER_RE.match(q.text.strip()))), None)
    if leading and clauses and first_marker is not None and first_marker.start == clauses[0].start \
            and _continues_a_list(clauses[0]):
        # a page that starts inside a list ((二) is its first marker): what precedes is the end of an item
        clauses.insert(0, Clause("paragraph", None, None, None, [leading[-1]]))
    # purpose, scope, commencement: an article's, or an item's of a run-in list (五、本通告自发布之日起施行。)
    clauses = [c for c in clauses if not (c.layout in ("article", "numbered") and _frames_the_text(text[c.start:c.end], c.number))]
    clauses = [c for c in clauses if not _only_citations(text[c.start:c.end])]
    if len(clauses) >= 3 and sum(map(_only_headings, clauses)) * 2 > len(clauses):
        # （一）建设基础 / 1.区域特征 / 2.工作基础 …: most clauses are headings with nothing under
        # them, a plan's table of contents copied without page numbers; they are no tasks
        clauses = [c for c in clauses if not _only_headings(c)]
    if decimal:  # 1.1 编制目的 with nothing under it: a table of contents' line
        clauses = [c for c in clauses if not (len(c.paragraphs) == 1 and DECIMAL_RE.match(c.paragraphs[0].text.strip())
                                              and len(c.paragraphs[0].text.strip()) <= 40 and "。" not in c.paragraphs[0].text)]
    if clauses and _cut_off(clauses[-1], text):
        clauses.pop()
    if clauses:
        _drop_signature(clauses[-1])
        last = clauses[-1]
        if last.layout == "section" and len(last.paragraphs) == 1 and _frames_the_text(text[last.start:last.end], None):
            clauses.pop()  # 六、本通告自发布之日起施行。 above the signature: a part's line framing the text
    if clauses and clauses[-1].layout == "numbered":
        closing = _closing_paragraph(clauses[-1], text)
        if closing is not None and not _frames_the_text(text[closing.start:closing.end], None):
            clauses.append(closing)
    return clauses


def _marker_kinds_by_part(paras: list[Paragraph], headings: set[int]) -> dict[int, set[str]]:
    """For each part heading (一、…), by ``id`` of its paragraph: the kinds of numbered
    markers (article, paren, arabic, paren_arabic) its paragraphs open with."""
    out: dict[int, set[str]] = {}
    kinds: set[str] | None = None
    for p in paras:
        t = p.text.strip()
        if id(p) in headings:
            kinds = out[id(p)] = set()
            continue
        if kinds is not None:
            for name, rx in _LINE_KINDS:
                if rx.match(t):
                    kinds.add(name)
                    break
    return out


# the closing paragraph after the last item: 地方各级生态环境部门要…按照本意见要求…
_CLOSING_RE = re.compile(r"[^。；;\n]{2,40}?(?:要|应当|应)[^。；;\n]{0,60}?(?:按照|根据|依照|对照)本(?:意见|方案|通知|办法|规划|计划|决定|要点)")


def _closing_paragraph(last: Clause, text: str) -> Clause | None:
    """A paragraph that addresses the whole document (…按照本意见要求…) after the last
    numbered item is a requirement of its own, not part of that item: split it off,
    on its own line or run into the item (texts collapsed into one line)."""
    start = last.paragraphs[0].start
    body = text[start:last.end]
    for m in re.finditer(r"(?<=[。\n])", body):
        cut = m.start()
        if cut <= 0 or cut >= len(body) or not _CLOSING_RE.match(body, cut):
            continue
        at = start + cut
        tail = Paragraph(text[at:last.end], at, last.end)
        kept = [p for p in last.paragraphs if p.end <= at]
        cut_p = next((p for p in last.paragraphs if p.start < at < p.end), None)
        if cut_p is not None:
            kept.append(Paragraph(text[cut_p.start:at], cut_p.start, at))
        if not kept:
            return None
        last.paragraphs[:] = kept
        return Clause("paragraph", None, None, None, [tail])
    return None


def _opens_a_list(paras: list[Paragraph], p: Paragraph, kind: str) -> bool:
    """Item 1 of a numbered list (1. / （1）) with item 2 after it: in a text with no
    other structure (a department's list of duties, a short notice) the items are its tasks."""
    rx = dict(_LINE_KINDS)[kind]
    if not re.fullmatch(r"[（(]?1[）)]?", rx.match(p.text.strip()).group(1)):
        return False
    idx = next(i for i, q in enumerate(paras) if q is p)
    for q in paras[idx + 1: idx + 12]:
        m = rx.match(q.text.strip())
        if m:
            return bool(re.fullmatch(r"[（(]?2[）)]?", m.group(1)))
    return False


def _tasks_in_run_in_parts(paras: list[Paragraph], headings: set[int]) -> bool:
    """A notice whose only markers are 一、二、… run into their text (一、修订应急预案。各省级…要…),
    framed as tasks (现将有关事项通知如下, 提出如下要求) or written as directives: those items are
    its tasks. A reply's answers (答复如下) and a bulletin's findings are not."""
    items = [p for p in paras if PART_RE.match(p.text.strip()) and id(p) not in headings]
    if len(items) < 2:
        return False
    before = "".join(p.text for p in paras if p.end <= items[0].start)[-3000:]
    if _frames("answers").search(before):
        return False
    return bool(_frames("tasks").search(before)) or sum(bool(_frames("directive").search(p.text)) for p in items) * 2 > len(items)


@lru_cache(maxsize=None)
def _frames(kind: str) -> re.Pattern[str]:
    """How a text introduces its items (data/item_frames.tsv): as tasks, or as answers and findings."""
    return re.compile("|".join(r["words"] for r in load_tsv("item_frames.tsv") if r["kind"] == kind))


def _continues_a_list(clause: Clause) -> bool:
    """A first clause numbered (二), 2., 第五条 …: the text began inside a list."""
    if not clause.number:
        return False
    m = re.search(rf"([{CN_NUM}]+|\d+)", clause.number)
    return bool(m) and (cn_number(m.group(1)) or 0) > 1


def _frames_the_text(clause: str, number: str | None) -> bool:
    """Purpose, scope, definitions, commencement: articles that assign no task."""
    body = clause.strip()
    if number and body.startswith(number):
        body = body[len(number):].lstrip()
    elif PART_RE.match(body):  # a part's line: 六、本通告自发布之日起施行。
        body = PART_RE.match(body).group(2)
    caption = ARTICLE_CAPTION_RE.match(body)  # the article's own caption: 第一条（目的和依据）
    body = body[caption.end():].lstrip() if caption else body
    return any(rx.search(body[:300]) for rx in _framing_articles())


def _framing_articles() -> tuple[re.Pattern[str], ...]:
    return _compiled_lines("non_obligation_articles.txt")


_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {}


def _compiled_lines(name: str) -> tuple[re.Pattern[str], ...]:
    if name not in _COMPILED:
        _COMPILED[name] = tuple(re.compile(x) for x in load_lines(name))
    return _COMPILED[name]


def _cut_off(clause: Clause, text: str) -> bool:
    """A page fragment that ends inside its last clause (``…禁止审批国家禁``): the
    clause is not whole, so it is no obligation. A clause that ends the text with a
    sentence end, a bracket, a date or a short signature line is whole."""
    if clause.layout == "table_row" or text[clause.end:].strip():
        return False
    last = clause.paragraphs[-1].text.strip()
    tail = re.split(r"[。；;！？!?]", last)[-1]  # what follows the last sentence end
    return len(last) > 20 and len(tail) > 8 and not re.search(r"[…”’」』）)】〕\]:：]$|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", tail)


_KIND_ORDER = ("part", "article", "paren", "arabic", "paren_arabic")  # part: run-in 一、 items only
# a decimal outline (应急预案, 技术指南): 1 总则 / 1.1 编制目的 / 1.1.1 …
DECIMAL_RE = re.compile(r"^(\d{1,2}[.．]\d{1,2})([.．](\d{1,2}(?:[.．]\d{1,2})*))?(?![\d%％])[.．、]?\s*(\D.*)$")
DECIMAL_TOP_RE = re.compile(r"^\d{1,2}[.．、]?\s*[^\d\s.．、%％][^。，,；;：:！？!?]{1,24}$")


def _decimal_outline(paras: list[Paragraph]) -> bool:
    """Whether the text is outlined by decimal numbers: three or more headings 1.1 …, 1.2 …
    (a short line after a two-level number)."""
    n = 0
    for p in paras:
        m = DECIMAL_RE.match(p.text.strip())
        if m and not m.group(3) and BARE_HEADING_RE.match(m.group(4).strip()) and len(m.group(4).strip()) <= 25:
            n += 1
            if n >= 3:
                return True
    return False


_LINE_KINDS = (("article", ARTICLE_RE), ("paren", PAREN_RE), ("arabic", ARABIC_RE), ("paren_arabic", PAREN_ARABIC_RE))
# a trailing bracket that names bodies: （省经信委、省发改委(省能源局)。列第一位者为牵头部门）
_OWNER_BRACKET_RE = re.compile(r"[（(](?:[^（()）]|[（(][^（()）]*[）)]){2,200}[）)][。.]?$")
_BODY_WORD_RE = re.compile(r"局|厅|委|办|政府|部门|单位|院|公司|中心")


def _headed_runs(paras: list[Paragraph]) -> set[int]:
    """Unmarked paragraphs that open with a short heading sentence (强化执法。加强…),
    two or more in a row: ids of their paragraphs."""
    def headed(p: Paragraph) -> bool:
        t = p.text.strip()
        if "\t" in t or any(rx.match(t) for _, rx in _LINE_KINDS) or PART_RE.match(t):
            return False
        hm = HEADED_RE.match(t)
        return bool(hm and 4 <= len(hm.group(1)) <= 20 and len(t) > len(hm.group(0)) + 10)

    return _in_runs(paras, headed)


def _in_runs(paras: list[Paragraph], flag) -> set[int]:
    """Ids of the paragraphs for which ``flag`` holds, two or more in a row."""
    flags = [flag(p) for p in paras]
    return {id(p) for i, p in enumerate(paras) if flags[i] and (i > 0 and flags[i - 1] or i + 1 < len(paras) and flags[i + 1])}


_BODY_AT_END_RE = re.compile(rf"(?:{_BODY_WORD_RE.pattern})$")


def _body_headed_runs(paras: list[Paragraph]) -> set[int]:
    """Unmarked paragraphs headed by a body's name alone (县环保局。负责…, 县交通局、公路局。负责…),
    two or more in a row: a list of who does what. Ids of their paragraphs."""
    def headed(p: Paragraph) -> bool:
        t = p.text.strip()
        if "\t" in t or any(rx.match(t) for _, rx in _LINE_KINDS) or PART_RE.match(t):
            return False
        hm = HEADED_RE.match(t)
        return bool(hm and 2 <= len(hm.group(1)) <= 20 and _BODY_AT_END_RE.search(hm.group(1))
                    and len(t) > len(hm.group(0)) + 4)

    return _in_runs(paras, headed)


def _annotated_level(paras: list[Paragraph]) -> str | None:
    """The highest marker level whose items carry owner brackets while the levels
    above carry none (None when the first level is annotated or nothing is)."""
    seen: dict[str, list[bool]] = {}
    for p in paras:
        t = p.text.strip()
        for name, rx in _LINE_KINDS:
            if rx.match(t):
                m = _OWNER_BRACKET_RE.search(t)
                seen.setdefault(name, []).append(bool(m and _BODY_WORD_RE.search(m.group(0))))
                break
    kinds = [k for k in _KIND_ORDER if k in seen]
    for k in kinds:
        if sum(seen[k]) >= max(1, len(seen[k]) // 2):
            return k
        if any(seen[k]):
            return None
    return None


def _items_under_headings(paras: list[Paragraph]) -> str | None:
    """The marker level of the tasks where every item of the level above is a bare
    heading line directly followed by items of that level (（一）环境建设 / 1、各乡镇
    政府继续推进… / 2、水务局加强…): the headings group tasks, as sections do.
    None when any item above has text of its own, or is followed by anything else."""
    kinds: list[tuple[str, bool]] = []  # each marked line: its kind and whether it is a bare heading
    after: dict[str, set[str | None]] = {}  # kind → kinds of the lines right after its items
    previous: str | None = None
    for p in paras:
        t = p.text.strip()
        kind = next((name for name, rx in _LINE_KINDS if rx.match(t)), None)
        if previous is not None:
            after.setdefault(previous, set()).add(kind)
        previous = None
        if kind is not None:
            m = dict(_LINE_KINDS)[kind].match(t)
            kinds.append((kind, bool(BARE_HEADING_RE.match(m.group(2).rstrip("。")))))
            previous = kind
    present = [k for k in _KIND_ORDER if any(k == name for name, _ in kinds)]
    if len(present) < 2:
        return None
    top, below = present[0], present[1]
    if top == "article":
        return None
    if all(bare for name, bare in kinds if name == top) and after.get(top) == {below}:
        return below
    return None


def clauses_possible(paras: list[Paragraph], p: Paragraph) -> bool:
    """A bare heading starts the body when it is followed by a longer paragraph."""
    idx = next(i for i, q in enumerate(paras) if q is p)
    return idx + 1 < len(paras) and len(paras[idx + 1].text) > 40 and idx > 0


DEADLINE_RE = re.compile(
    r"(?:(到|至|于|在|截至|截止到?|力争)\s*)?((?:20\d\d|19\d\d)\s*年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底前|底|前|上半年|下半年|末)?"
    r"(?:[、和及至到-](?:20\d\d|19\d\d)\s*年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底前|底|前|末)?)*)"
)
RECURRING_RE = re.compile(r"每(?:年|季度|半年)\d{1,2}月(?:上旬|中旬|下旬)?(?:底|末|\d{1,2}日)?前|每月\d{1,2}日前"
                          r"|每(?:月|季度|半年|年)(?=\d{0,2}日?前?(?:按时|按要求)?(?:上报|报送|报告|通报|调度|召开|开展|提交))"
                          r"|年内(?=[^，。；]{0,4}?(?:至少|完成|实现|查处|全部|基本))")
ONGOING_RE = re.compile(r"持续开展|长期坚持|持续推进|长期推进|常态化开展")


# a month with no year before a completion verb or a clause's end: 12月底前完成
MONTH_DEADLINE_RE = re.compile(r"(?<![\d年月每])(\d{1,2}月(?:底|末|上旬|中旬|下旬|\d{1,2}日)?前)(?=完成|实现|建成|出台|印发|报送|$|[，,。；;）)])")
@lru_cache(maxsize=1)
def _name_after_year() -> re.Pattern[str]:
    """A document named by the year it runs to (2030年前碳排放达峰行动方案): words, then a
    document kind (data/document_kinds.txt) ending them; not a verb of completion."""
    return re.compile(r"(?!完成|实现|建成|基本|全面|出台|制定|编制|印发)[\u4e00-\u9fff“”]{0,14}?(?:%s)(?![\u4e00-\u9fff])"
                      % "|".join(map(re.escape, kinds())))
_COMPLETION_AFTER_RE = re.compile(r"[，,]?\s*(?:前)?(?:基本|全面|全部|完成|实现|建成)")


def find_deadlines(text: str) -> str | None:
    """Completion dates a clause gives (``到2025年``), joined by ``；``.

    A year counts when it is introduced by 到/至/于/在/力争 or followed by
    底/前/末; years inside document numbers ``〔2020〕`` and baselines
    (``比2020年``) do not.
    """
    found: list[str] = []
    for m in DEADLINE_RE.finditer(text):
        before = text[max(0, m.start() - 1):m.start()]
        if before in ("〔", "[", "比", "较", "自", "从"):
            continue
        cue, when = m.group(1), re.sub(r"\s+", "", m.group(2))
        if not cue and not re.search(r"(底|前|末)$", when) \
                and not _COMPLETION_AFTER_RE.match(text, m.end()):  # 2018年基本实现…全覆盖: a year the work is done by
            continue
        if cue in ("于", "在") and not re.search(r"(底|前|末|完成|实现|建成|基本|开展)", text[m.end():m.end() + 12] + when):
            continue
        if not cue and when.endswith("年前") and _name_after_year().match(text, m.end()):
            continue  # 制定2030年前碳排放达峰行动方案: the year is part of a plan's name
        value = ("到" + when) if cue in ("到", "至", "力争", "截至", "截止", "截止到") else when
        if value not in found:
            found.append(value)
    for m in MONTH_DEADLINE_RE.finditer(text):  # （…按职责分工负责，12月底前完成）: the month of the plan's own year
        if m.group(1) not in found:
            found.append(m.group(1))
    for m in RECURRING_RE.finditer(text):  # 每年1月底前报送, 每月上报, 年内至少3次
        if m.group(0) not in found and not any(m.group(0) in f for f in found):
            found.append(m.group(0))
    return "；".join(found) if found else None

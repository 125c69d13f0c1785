"""Owners of obligations and relations between bodies, from the clause text.

Ownership phrasings handled (all general):

- responsibility brackets: ``（责任单位：市生态环境局、财政局）``,
  ``（州生态环境局负责）``, ``（各县市人民政府，州财政局按职责分工负责）``,
  ``（州发改委牵头，财政局配合）``;
- standing assignments: ``以下均需…落实，不再列出`` → implicit owners of every
  later clause;
- directive sentences whose subject is a list of bodies: ``…要…``,
  ``…负总责``, ``…承担具体责任``, ``…要牵头推进`` (lead), ``…会同…`` (lead and
  support), ``…配合…`` (support);
- table columns (牵头部门, 配合部门, 责任单位).

Relations: ``向…报告``/``报送…`` (reportsTo: every reporter × recipient),
``加强对…的监管``/``督促…`` (regulates), ``党委领导、政府主导`` (leads).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .bodies import BodyParser, government_of, norm, split_top, stop_words, vocab
from .divisions import division, parents
from .records import Body
from .vocab import load_lines, load_tsv

OPEN_CLOSE = {"（": "）", "(": ")", "〔": "〕", "[": "]", "【": "】"}
SENTENCE_END = "。；;！？!?"
DIRECTIVE_VERBS = load_lines("directive_verbs.txt")
NON_OWNER_TYPES = {"enterprise", "social_actor"}
OVERSEEN_TYPES = NON_OWNER_TYPES | {"grid_worker"}  # actors a body oversees: helping it is complying
OUTSIDE_AUTHORITY_TYPES = {"legislature", "judicial"}
_COMMA_SPLIT = re.compile(r"(?<=[，,])")
# a later comma chunk that names the partners of the sentence's subject
_PARTNERS_RE = re.compile(r"(?:^|(?<=[，,]))\s*(?:会同|联合|协同|配合)([^，,。；;]{2,80}?)(?:共同|等部门|等单位)?(?:负责|参与|实施|落实|推进)")
_COACTOR_RE = re.compile(r"(?:配合|协助|协同|(?<![参给])与|(?<!共)同)")
_FIRST_LEADS_RE = re.compile("|".join(load_lines("first_listed_lead.txt")))
_AFTER_ARTICLE = re.compile(r"^.*第[〇一二三四五六七八九十百\d]+条")  # a run-in article number ends what precedes it
# an adverbial between subject and verb: 在市委、市政府领导下, 在网格化监管工作中
_SETTING_TAIL = re.compile(r"在[^，,。；;]{1,30}?(?:领导下|指导下|中|方面|过程中|期间|基础上)$")
_ADVERB_TAIL = re.compile("(?:%s)+$" % "|".join(map(re.escape, load_lines("subject_adverbs.txt"))))
# an adverb right after a body list opens the predicate (各乡镇政府继续推进…): the list is the subject
_ADVERB_HEAD = re.compile("(?:%s)(?!的|负责人|负责同志|领导)" % "|".join(map(re.escape, sorted(load_lines("subject_adverbs.txt"), key=len, reverse=True))))
_CLASS_START = re.compile(r"(地方各级|各级|各)(?!.*(地方各级|各级|各))")
_WORDS_AFTER_A_NAME = ("会同", "组织", "部署", "处置", "处理", "办理", "所属", "科学", "统筹", "督促", "督查", "指导", "负责", "牵头", "配合", "协助", "参与", "落实")
_NAME_CONTINUES = set("门局厅委办院部署会处站所队司科组室中心")
# what after a verb shows it is inside a body's name (监督管理总局, 督查室, 监督检查处)
_IN_A_NAME_RE = re.compile(r"(?:管理|检查|执法)?(?:总局|分局|[%s])" % "".join(sorted(_NAME_CONTINUES - {"中", "心"})))
# a report and its recipient: 向X报告, 报送X, 送X, 汇总后报X, ，报X备案, 将结果报X (抄送, a copy list,
# 推送, sharing, and 移送, handing a case over, are no reports)
_REPORT_RE = re.compile(r"(?:向|报送|报告给?|提交|(?<![运输递发传护输抄推移])送|(?:后|并|及时|分别|逐级|统一|[，,])报(?![告送道表名刊])"
                        r"|(?<=[，,])[^，,。；;]{0,10}(?:结果|情况|材料|数据|名单|方案|清单)报(?![告送道表名刊])"  # ，审核结果报省厅
                        r"|将[^，,。；;报]{1,30}报(?![告送道表名刊]))"
                        r"([^，,。；;]{2,40}?)(报告|汇报|报送|备案|审定|审批|$|[，,。；;])")
_BY_AGENT_RE = re.compile(r"(?<![理经自])由")
_AGENT_VERB_RE = re.compile("|".join(map(re.escape, load_lines("agent_verbs.txt"))))  # 由X组织/拟定…, 与X加强…
_GLOSS_RE = re.compile(r"[（(]([^（）()，,。]{2,24})[）)]")  # 乡镇人民政府（街道办事处）: the other body of the same duty
_TIME_PREPOSITION_TAIL = re.compile(r"(?:于|在)$")
_LEADING_OR = re.compile(r"^(?:或者|或|以及|并且|并和|并与|并)")
# 听取（和审议）X…的报告 / 汇报: X reports to the clause's actor (人大听取和审议本级人民政府…的报告)
_HEARS_RE = re.compile(r"听取(?:和审议|并审议|、审议)?([^，,。；;]{2,60}?)(?:报告|汇报)")
_LIST_JOIN_RE = re.compile(r"以及|和|及|与|、")
_JOINTLY_RE = re.compile(r"会同|联合")
_ACCEPTS_SUPERVISION_RE = re.compile(r"接受")
_SUPERVISION_WORD_RE = re.compile(r"监督管理|监督检查|监督|监管|检查")
# what may stand between a subject and 接受: the subject adverbs (data/subject_adverbs.txt) and the modal verbs
_ACCEPT_MODALS_RE = re.compile("(?:%s)+$" % "|".join(
    map(re.escape, sorted(set(load_lines("subject_adverbs.txt")) | {"应当", "应", "必须", "须", "并"}, key=len, reverse=True))))
_ITEM_MARK_RE = re.compile(r"\s*(?:[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）]|\d{1,2}[.．、](?!\d)|[①-⑳])\s*")
_PLACE_ACTOR_RE = re.compile("|".join(map(re.escape, load_lines("place_actor_verbs.txt"))))
_PLACE_ITEM_RE = re.compile(r"([\u4e00-\u9fff]{2,10}?[市县区州盟旗])、?")
_MODAL_START = set("要应必需须")  # the modal verbs of directive_verbs.txt: a place list before one is a subject
_CREATES_RE = re.compile("|".join(map(re.escape, load_lines("creation_verbs.txt"))))
_ETC_LEAD = re.compile(r"^(有关|相关)")
_TOGETHER_RE = re.compile(r"共同|一起|联合|配合|协作")
_TASK_OPENING_RE = re.compile(r"(?:^|[。；;\n]|\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*$")
_ETC_TAIL = re.compile(r"等(部门|单位|有关部门)?$")
# 应 is no modal in 应急 (县政府应急委, 应急办: the emergency bodies)
DIRECTIVE_RE = re.compile("|".join(re.escape(v) + ("(?!急)" if v == "应" else "") for v in DIRECTIVE_VERBS))


@dataclass(frozen=True)
class OwnerHit:
    body: Body
    role: str
    start: int  # clean-text span of the evidence (relative to the clause text)
    end: int
    cue: str
    implicit: bool = False


@dataclass(frozen=True)
class RelationHit:
    predicate: str
    subject: Body
    object: Body
    start: int
    end: int
    implicit: bool = False


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, str, str], ...]:
    rows = [(r["cue"], r["kind"], r["role"]) for r in load_tsv("role_cues.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _joiners_re() -> re.Pattern[str]:
    """牵头，B、C等参与: the bodies listed after a lead, up to a support cue of role_cues.tsv."""
    support = "|".join(re.escape(c) for c, kind, role in _cues() if kind == "verb" and role == "support")
    return re.compile(r"牵头[，,、]\s*([^，,。；;]{2,80}?)(?:等)?(?:有关|相关)?(?:部门|单位)?(?:%s)" % support)


@lru_cache(maxsize=1)
def _regulators() -> dict[str, tuple[str, ...]]:
    return {r["regulated"]: tuple(r["regulators"].split("|")) for r in load_tsv("regulators.tsv")}


def _cue_at_end(part: str) -> bool:
    """Whether a bracket's part ends in a role verb (…牵头, …负责落实)."""
    return part.endswith(_verb_endings())


def _drop_verb_cue(part: str) -> str:
    """``A、B按职责分工负责`` → ``A、B``: the longest role verb ending the list."""
    for cue in _verb_endings():  # longest first
        if part.endswith(cue) and len(part) > len(cue):
            return part[: -len(cue)]
    return part


def _split_after_cues(part: str) -> list[str]:
    """``X牵头，Y、Z参与，W负责落实`` → the chunks that each end in a role cue: a comma
    or semicolon splits only after a cue, so a list of bodies stays whole."""
    verbs = _verb_endings()
    chunks, start = [], 0
    for m in re.finditer(r"[，,；;]", part):
        if part[start:m.start()].endswith(verbs):
            chunks.append(part[start:m.start()])
            start = m.end()
    chunks.append(part[start:])
    return chunks


def balanced_groups(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of top-level bracket groups, end exclusive, brackets included."""
    out, stack = [], []
    for m in _ANY_BRACKET_RE.finditer(text):  # only the brackets, not every character
        i, c = m.start(), m.group()
        if c in OPEN_CLOSE:
            stack.append(i)
        elif stack:
            start = stack.pop()
            if not stack:
                out.append((start, i + 1))
    return out


_SENTENCE_RE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?\n]?")
_BRACKETS_RE = re.compile(r"[（(〔\[【]")
_ANY_BRACKET_RE = re.compile("[%s]" % re.escape("".join(OPEN_CLOSE) + "".join(OPEN_CLOSE.values())))


@lru_cache(maxsize=1024)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans, not splitting inside brackets (memoised: each reader of a
    clause — directives, reports, regulation, brackets — splits the same text)."""
    if not _BRACKETS_RE.search(text):  # fast path: no brackets to respect
        return tuple((m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.group(0).strip())
    out, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in OPEN_CLOSE:
            depth += 1
        elif c in OPEN_CLOSE.values():
            depth = max(0, depth - 1)
        elif (c in SENTENCE_END or c == "\n") and depth == 0:
            if text[start:i].strip():
                out.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        out.append((start, len(text)))
    return tuple(out)


class OwnerFinder:
    def __init__(self, parser: BodyParser):
        self.parser = parser
        self.first_listed_leads = False  # set by 列第一位者为牵头部门 for the rest of the document

    # ------------------------------------------------------------------ brackets
    def brackets(self, text: str) -> tuple[list[OwnerHit], list[OwnerHit]]:
        """(owners, standing implicit owners) from responsibility brackets."""
        owners: list[OwnerHit] = []
        standing: list[OwnerHit] = []
        for s, e in balanced_groups(text):
            inner = text[s + 1:e - 1]
            hits, std = self._bracket_inner(inner, s, e)
            owners.extend(hits)
            standing.extend(std)
        return owners, standing

    def _bracket_inner(self, inner: str, s: int, e: int) -> tuple[list[OwnerHit], list[OwnerHit]]:
        hits: list[OwnerHit] = []
        standing: list[OwnerHit] = []
        if _FIRST_LEADS_RE.search(inner):
            self.first_listed_leads = True
        last_label = None
        for part_s, part_e in sentences(inner):
            part = inner[part_s:part_e].strip().rstrip("。；;")
            if self.first_listed_leads and not _FIRST_LEADS_RE.search(part):
                listed = self.parser.parse_list(part, strict=True)
                if listed:  # a bare list under the first-listed-leads rule
                    for i, b in enumerate(listed):
                        hits.append(OwnerHit(b, "lead" if i == 0 else "support", s, e, "列第一位者为牵头"))
                    continue
            m = re.match(r"^以下(?:各项|所有|各)?(?:工作|任务|措施|事项)?均?需?由?(.+?)(落实|负责|承担|参与)[，,]?\s*不再(一一)?列出", part)
            if m:
                for b in self.parser.parse_list(m.group(1)) or []:
                    standing.append(OwnerHit(b, "responsible", s, e, "以下均需…落实", True))
                continue
            label = None
            for cue, kind, role in _cues():
                if kind == "label" and re.match(rf"^{cue}\s*[:：]", part):
                    label = (cue, role)
                    part = re.sub(rf"^{cue}\s*[:：]\s*", "", part)
                    break
            if label:
                part = _drop_verb_cue(part)  # 责任单位：A、B、C按职责分工负责: the label gives the role
                for b in self.parser.parse_list(part) or []:
                    hits.append(OwnerHit(b, label[1], s, e, label[0]))
                last_label = label
                continue
            if last_label and not _cue_at_end(part):  # 责任单位：A、B；各县(区)人民政府: the list goes on
                listed = self.parser.parse_list(part, strict=True)
                if listed:
                    hits.extend(OwnerHit(b, last_label[1], s, e, last_label[0]) for b in listed)
                    continue
            # "A牵头，B配合" / "…按职责分工负责"
            for chunk in _split_after_cues(part):
                role, cue, body_text = None, "", chunk
                for c, kind, r in _cues():
                    if kind == "verb" and chunk.endswith(c):
                        role, cue, body_text = r, c, chunk[: -len(c)]
                        break
                if role is None:
                    continue
                bodies = self.parser.parse_list(body_text, strict=False) or []
                if not bodies and self.parser.bare_class(body_text):  # 各乡镇负责落实: the class of townships
                    bodies = [self.parser.bare_class(body_text)]
                items = split_top(norm(body_text))
                if not bodies or len(bodies) < max(1, len(items) // 2):
                    continue
                for b in bodies:
                    hits.append(OwnerHit(b, role, s, e, cue))
        return hits, standing

    def labelled_lines(self, text: str) -> list[OwnerHit]:
        """Owners on labelled lines after a task, outside brackets: 牵头单位：县住建局 /
        配合单位：县生态环境分局、县城管局 / 责任单位：… (the labels of data/role_cues.tsv)."""
        hits: list[OwnerHit] = []
        for m in _labelled_line_re().finditer(text):
            role = next(r for c, kind, r in _cues() if kind == "label" and c == m.group(1))
            for b in self.parser.parse_list(_drop_verb_cue(m.group(2).rstrip())) or []:
                hits.append(OwnerHit(b, role, m.start(1), m.end(2), m.group(1)))
        return hits

    def role_chunks(self, text: str) -> list[OwnerHit]:
        """Running text written like a responsibility bracket: comma chunks that are each a
        body list and a role cue and nothing else (各县（市、区）人民政府负责，市工信局督导，
        市生态环境局指导。): the roles of data/role_cues.tsv."""
        hits: list[OwnerHit] = []
        verbs, ends = _verb_cues(), _verb_endings()
        for s, e in sentences(text):
            pos = s
            for chunk in re.split(r"(?<=[，,；;])", text[s:e]):
                c_start, body = pos, chunk.rstrip("，,；;。 ")
                pos += len(chunk)
                lead = len(body) - len(body.lstrip())
                body = body.strip()
                if not body or body.startswith(("由", "请")):
                    continue  # 由X牵头: read as a directive
                if not body.endswith(ends):
                    continue
                cue = next(((c, r) for c, r in verbs if body.endswith(c) and len(body) > len(c)), None)
                if cue is None:
                    continue
                named = body[: -len(cue[0])]
                bodies = self.parser.parse_list(named, strict=True) or []
                for b in bodies:
                    if b.type not in NON_OWNER_TYPES:
                        hits.append(OwnerHit(b, cue[1], c_start + lead, c_start + lead + len(body), cue[0]))
        return hits

    # ------------------------------------------------------------------ directive sentences
    def subject(self, sentence: str) -> tuple[list[Body], str, int] | None:
        """Bodies that are the subject of a sentence, the verb after them, and its offset."""
        head = sentence.lstrip("，, ")
        if head.startswith(("由", "请")):  # 由市生态环境局牵头: the agent after 由
            head = head[1:]
        head = _LEADING_OR.sub("", head)  # …，或生态环境部主动邀请: a name never starts with 或
        lead_ws = len(sentence) - len(head)
        if head[:1] in OPEN_CLOSE:  # a bracket: handled by brackets()
            return None
        best = None
        for m in DIRECTIVE_RE.finditer(head[:80]):
            if head.startswith(_PERSON_AFTER_RESPONSIBLE, m.start()):
                continue  # 负责同志, 负责人: persons, not a body's duty
            subj = _ADVERB_TAIL.sub("", _SETTING_TAIL.sub("", _AFTER_ARTICLE.sub("", head[: m.start()]).strip("，, ")))
            subj = _TIME_PREPOSITION_TAIL.sub("", subj)  # …办公室于每年2月底前汇总: 于 opens a time
            if not subj:
                continue
            bodies = self.parser.parse_list(subj, strict=True)
            if not bodies:  # a heading run into its text (规范核发排污许可证各级生态环境主管部门要…)
                tail = _CLASS_START.search(subj)
                if tail and tail.start() > 0:
                    bodies = self.parser.parse_list(subj[tail.start():], strict=True)
            if not bodies and re.search(r"(?:^|[、，,及和与])各", subj) and m.group(0)[0] in _MODAL_START:
                # 各县市、开发区要…: bare classes of places and zones act by their committees and governments
                bodies = self.parser.parse_list(subj, strict=True, expand_bare=True)
            if not bodies and subj.endswith("后"):  # 县生态环境分局、县应急管理局接报后应当…: a time clause after the subject
                for cut in range(len(subj) - 2, max(1, len(subj) - 12), -1):
                    bodies = self.parser.parse_list(subj[:cut], strict=True)
                    if bodies:
                        break
            if bodies:
                best = (bodies, m.group(0), lead_ws + m.start())
                # 省人民政府承担…职责的部门负责…: the verb is inside a longer name, which is the subject
                for later in DIRECTIVE_RE.finditer(head, m.end(), 80):
                    if "的" not in head[m.end():later.start()]:
                        continue  # a name holding a verb is a relative clause: …职责的部门
                    longer = self.parser.parse_list(head[:later.start()], strict=True)
                    if longer and any(m.group(0) in b.name for b in longer):
                        best = (longer, later.group(0), lead_ws + later.start())
                        break
                break
        if best is None:  # no directive verb: a body list, then an adverb opening the predicate
            adverb = _ADVERB_HEAD.search(head, 0, 60)
            subj = _AFTER_ARTICLE.sub("", head[:adverb.start()]).strip("，, ") if adverb else ""
            bodies = self.parser.parse_list(subj, strict=True) if subj else None
            if bodies:
                best = (bodies, adverb.group(0), lead_ws + adverb.start())
        return best

    def subjects_in(self, sent: str) -> list[tuple[int, int, list[Body], str, int]]:
        """Subjects of the comma-separated predicates of a sentence:
        (chunk start, chunk end, bodies, verb, verb offset in chunk). A subject
        list may itself run across commas (``各县(区)党委、政府,开发区管委会承担…``)."""
        out = []
        if sent.lstrip("，, 。")[:1] in OPEN_CLOSE:  # a bracket: handled by brackets()
            return out
        chunks, pos = [], 0
        for chunk in _COMMA_SPLIT.split(sent):
            chunks.append((pos, chunk))
            pos += len(chunk)
        i = 0
        while i < len(chunks):
            start, chunk = chunks[i]
            found = self.subject(chunk)
            if not found and i > 0:  # "党委、人大、政府…有关部门,承担…": the subject is the whole chunk before
                head = chunk.lstrip("，, ")
                m = DIRECTIVE_RE.match(head)
                prev = chunks[i - 1][1].rstrip("，, ")
                listed = self.parser.parse_list(prev, strict=True) if m and (not out or out[-1][1] <= chunks[i - 1][0]) else None
                if listed:
                    found = (listed, m.group(0), len(chunk) - len(head))
                    out.append((chunks[i - 1][0], start + len(chunk), listed, found[1], start - chunks[i - 1][0] + found[2]))
                    i += 1
                    continue
            if found:
                # extend the subject leftwards over preceding comma chunks that are bodies only
                j = i
                while j > 0 and (not out or out[-1][1] <= chunks[j - 1][0]):
                    prev = chunks[j - 1][1].rstrip("，, ")
                    if self.parser.parse_list(prev, strict=True):
                        j -= 1
                    else:
                        break
                bodies = list(found[0])
                if j < i:
                    extra = self.parser.parse_list("，".join(c.rstrip("，, ") for _, c in chunks[j:i]), strict=True) or []
                    bodies = extra + [b for b in bodies if b.key not in {x.key for x in extra}]
                out.append((chunks[j][0], start + len(chunk), bodies, found[1], start + found[2] - chunks[j][0]))
            i += 1
        return out

    def directives(self, text: str) -> list[OwnerHit]:
        hits: list[OwnerHit] = []
        for s, e in sentences(text):
            mark = _ITEM_MARK_RE.match(text, s, e)  # （一）县农业农村局负责…: an item of a list inside the clause
            if mark:
                s = mark.end()
            sent = text[s:e]
            found = self.subjects_in(sent)
            if found:  # "由X牵头，会同Y、Z负责": the partners named after the subject's chunk support it
                for m in _PARTNERS_RE.finditer(sent, found[0][1]):
                    partners = self.parser.parse_list(_ETC_TAIL.sub("", m.group(1)), strict=True) or []
                    for b in partners:
                        if b.type not in NON_OWNER_TYPES:
                            hits.append(OwnerHit(b, "support", s + m.start(), s + m.end(), m.group(0)[:2]))
            for m in _BY_AGENT_RE.finditer(sent):  # 考核工作由市生态环境局会同市委组织部组织实施
                if any(c_start <= m.start() < c_end for c_start, c_end, *_ in found):
                    continue
                bodies, n = self.leading_bodies(sent[m.end():])
                after = sent[m.end() + n:]
                gloss = _GLOSS_RE.match(after) if bodies else None
                glossed = self.parser.parse_list(gloss.group(1), strict=True) if gloss else None
                if glossed:  # 由乡镇人民政府（街道办事处）…: the other body of the same duty
                    bodies = bodies + glossed
                    after, n = after[gloss.end():], n + gloss.end()
                if after.startswith("共同"):  # 由A、B共同牵头
                    after, n = after[2:], n + 2
                agent_verb = _AGENT_VERB_RE.match(after)
                if agent_verb and after[agent_verb.end():agent_verb.end() + 1] == "的":
                    agent_verb = None  # 由原环境保护部编制的《…》: who made a thing, no task
                if not bodies or not DIRECTIVE_RE.match(after) and not after.startswith(("会同", "牵头", "负责")) \
                        and not agent_verb:
                    continue
                role = "lead" if after.startswith(("牵头", "会同")) else "responsible"
                for b in bodies:
                    if b.type not in NON_OWNER_TYPES:
                        hits.append(OwnerHit(b, role, s + m.start(), s + m.end() + n, "由"))
                joined = _joiners_re().match(after) if role == "lead" else None
                if joined:  # 由A牵头，B、C等参与: those who join the lead support it
                    for b in self.parser.parse_list(_ETC_TAIL.sub("", joined.group(1)), strict=True) or []:
                        if b.type not in NON_OWNER_TYPES:
                            hits.append(OwnerHit(b, "support", s + m.end() + n + joined.start(1),
                                                 s + m.end() + n + joined.end(), "参与"))
                if after.startswith("会同"):
                    for b in self.leading_bodies(_ETC_LEAD.sub("", after[2:]))[0]:
                        hits.append(OwnerHit(b, "support", s + m.start(), s + m.end() + n, "会同"))
            for m in _CREATES_RE.finditer(sent):  # 成立…领导小组，研究制定…: the new body's duties follow
                bodies, n = self.leading_bodies(sent[m.end():])
                after = sent[m.end() + n:]
                duties = after[1:] if after[:1] in "，," else after if after.startswith("负责") else None
                if bodies and all(b.type == "coordinating_body" for b in bodies) and duties is not None \
                        and not self.leading_bodies(duties)[0]:  # …领导小组，各乡镇人民政府负总责: another subject
                    for b in bodies:
                        hits.append(OwnerHit(b, "responsible", s + m.start(), s + m.end() + n, m.group(0)))
            hits.extend(self._places_as_actors(sent, s))
            for c_start, c_end, bodies, verb, off in found:
                    chunk = sent[c_start:c_end]
                    pos = c_start
                    rest = re.sub(r"^(要|应当|应|需要|需|必须)(?=会同)", "", chunk[off:])
                    role, cue = "responsible", verb
                    if re.match(r"^(要|应|需)?(牵头|负责牵头)", rest):
                        role, cue = "lead", "牵头"
                    elif re.match(r"^(统一)?领导", rest):  # 省委和省政府统一领导…工作
                        role, cue = "lead", "领导"
                    elif rest.startswith("会同"):
                        role, cue = "lead", "会同"
                    elif rest.startswith("协同") and not self.leading_bodies(rest[2:])[0]:
                        role, cue = "support", "协同"  # …牵头，B协同: B helps the lead (协同X: X leads, partners)
                    elif re.match(r"^(要|应|需)?(配合|协助|参与)", rest):
                        role, cue = "support", "配合"
                    for b in bodies:
                        if b.type not in NON_OWNER_TYPES:
                            hits.append(OwnerHit(b, role, s + pos, s + pos + len(chunk), cue))
                    if cue == "会同":
                        for b in self.leading_bodies(_ETC_LEAD.sub("", rest[2:]))[0]:
                            hits.append(OwnerHit(b, "support", s + pos, s + pos + len(chunk), "会同"))
        return hits

    def _places_as_actors(self, sent: str, s: int) -> list[OwnerHit]:
        """Places below the document's own named as doers are their people's governments:
        after 支持/鼓励 (data/place_actor_verbs.txt: 支持丽水市深化…试点), or as the
        subject of a modal verb (武汉市、宜昌市应在…前制定)."""
        out = []
        for m in _PLACE_ACTOR_RE.finditer(sent):
            if self.leading_bodies(sent[m.end():])[0]:
                continue  # 支持丽水市生态环境局…: a body, read elsewhere
            named, pos = self._places_below(sent, m.end())
            if sent[pos:pos + 1] not in tuple("的和与及等"):  # 支持丽水市的企业…: the place is not the doer
                out.extend(OwnerHit(Body("人民政府", p, "government", p), "responsible", s + m.start(), s + end, m.group(0))
                           for p, end in named)
        head = len(sent) - len(sent.lstrip("，, "))
        named, pos = self._places_below(sent, head)
        if named and DIRECTIVE_RE.match(sent, pos) and sent[pos:pos + 1] in _MODAL_START:
            out.extend(OwnerHit(Body("人民政府", p, "government", p), "responsible", s + head, s + end, sent[pos])
                       for p, end in named)
        return out

    def _places_below(self, sent: str, pos: int) -> tuple[list[tuple[str, int]], int]:
        """The divisions below the document's place listed from ``pos`` (丽水市、衢州市),
        each with where its name ends, and where the list ends."""
        here, named = self.parser.ctx.place, []
        while item := _PLACE_ITEM_RE.match(sent, pos):
            place = division(item.group(1))
            if place is None or place.name != item.group(1) or here not in {p.name for p in parents(place.name)}:
                break
            named.append((place.name, item.end(1)))
            pos = item.end()
        return named, pos

    # ------------------------------------------------------------------ co-actors named after a verb
    def leading_bodies(self, text: str) -> tuple[list[Body], int]:
        """The longest body list that opens ``text`` (``县水利局、水保局技术人员开展…`` →
        水利局, 水保局) and its length; ([], 0) when none."""
        limit = min(len(text), 40)
        stop = re.search(r"[，,。；;：:（(\s]", text[:limit])
        limit = stop.start() if stop else limit
        finals = _name_finals()
        for end in range(limit, 1, -1):
            if text[end - 1] not in finals:  # a name ends with one of the characters names end with
                continue
            if text[end:end + 1] in _NAME_CONTINUES and not text.startswith(_WORDS_AFTER_A_NAME, end):
                continue  # 相关部|门: a cut inside a longer word (but 生态环境局|会同… is a name and a verb)
            if text[end:end + 1] == "各":
                continue  # 市级各牵头单位, 市生态环境局各科室: its members, not the body itself
            bodies = self.parser.parse_list(text[:end], strict=True)
            if bodies and all(self.parser.is_tier(b) for b in bodies):
                continue  # 县级财政…: a tier is a subject written alone before its verb, not a word's head
            if bodies:
                return self._with_bare_class(bodies, text, end)
        for end in range(min(limit, 8), 1, -1):
            bare = self.parser.bare_class(text[:end])
            if bare:
                return [bare], end
        return [], 0

    def _with_bare_class(self, bodies: list[Body], text: str, end: int) -> tuple[list[Body], int]:
        """A list of named bodies may end in a bare class of lower-level places
        (协助县级责任单位和乡（镇）…, 配合县直部门及各乡镇…): it joins the list."""
        conj = _LIST_JOIN_RE.match(text, end)
        if conj:
            for k in range(min(8, len(text) - conj.end()), 1, -1):
                bare = self.parser.bare_class(text[conj.end():conj.end() + k])
                if bare:
                    return bodies + [bare], conj.end() + k
        return bodies, end

    def partners(self, text: str) -> list[OwnerHit]:
        """Bodies a clause's actor works with: ``与X、Y共同推进`` (X, Y support the
        actor) and ``配合/协助/协同X开展…`` (X is the main actor of that task: lead)."""
        hits: list[OwnerHit] = []
        actors: list[tuple[int, list[Body]]] | None = None  # each sentence's start and actor, found once
        for m in _COACTOR_RE.finditer(text):
            together = m.group(0) in ("与", "同")  # not 协同, which names the main actor like 配合
            # 与 opening a task (3.与乡镇加强对违法用地的查处): its bodies act with the task's owner
            opening = m.group(0) == "与" and _TASK_OPENING_RE.search(text[max(0, m.start() - 8):m.start()])
            if together and not opening and not _TOGETHER_RE.search(text, m.end(), m.end() + 48):
                continue  # 与/同 makes a partner only before 共同/联合/配合…: skip the search
            bodies, n = self.leading_bodies(text[m.end():])
            if not bodies:
                continue
            after = text[m.end() + n:m.end() + n + 8]
            if together:
                if re.match(r"^(等?部门|等单位)?(相互)?(配合|协作)", after):  # 与X配合: X does the task
                    role = "lead"
                elif re.match(r"^(等?部门|等单位)?(共同|一起|联合)", after):
                    role = "support"
                elif opening and _AGENT_VERB_RE.match(after):
                    role = "support"
                else:
                    continue
            else:
                role = "lead"
                if actors is None:
                    actors = self._sentence_actors(text)
                helper = next((a for s, a in reversed(actors) if s <= m.start()), [])
                if helper and all(b.type in OVERSEEN_TYPES for b in helper):
                    continue  # 排污单位应当…配合网格员开展巡查: compliance with the overseer, no share of its task
            for b in bodies:
                # a plan cannot make a legislature, a court or a higher level answerable for helping it
                if b.type not in NON_OWNER_TYPES and b.type not in OUTSIDE_AUTHORITY_TYPES \
                        and not (b.jurisdiction == "国家" and self.parser.ctx.place != "国家"):
                    hits.append(OwnerHit(b, role, m.start(), m.end() + n, m.group(0)))
        return hits

    def _sentence_actors(self, text: str) -> list[tuple[int, list[Body]]]:
        """Each sentence's start and its actor: its subject, or the last one named before it
        (网格员应当履行下列职责：…（四）配合…). A 配合 whose actor is only regulated parties or
        grid workers (those a body oversees) helps as compliance, no share of the task."""
        out: list[tuple[int, list[Body]]] = []
        subjects: list[Body] = []
        for s, e in sentences(text):
            subjects = [b for _, _, bodies, _, _ in self.subjects_in(text[s:e]) for b in bodies] or subjects
            out.append((s, subjects))
        return out

    # ------------------------------------------------------------------ relations
    def reports(self, text: str) -> list[RelationHit]:
        out: list[RelationHit] = []
        if not _REPORT_RE.search(text):  # no reporting verb: the sentences' subjects are not needed
            return out
        last_subjects: list[Body] = []
        for s, e in sentences(text):
            sent = text[s:e]
            named = [b for _, _, bodies, _, _ in self.subjects_in(sent) for b in bodies]
            subjects: list[Body] = [b for b in named if b.type not in NON_OWNER_TYPES]
            # 交易双方应…向…报告, 排污单位应…报送: the sentence's own subject is a regulated party, whose
            # reports are no body's; the last sentence's subject does not report here
            regulated_subject = bool(named) and not subjects
            since = 0  # where this report's part of the sentence starts: after the last report verb
            for m in _REPORT_RE.finditer(sent):
                part_start, since = since, m.end()
                target = re.sub(r"^(上级|同级)", "", m.group(1))
                recipients = self.parser.parse_list(target, strict=True)
                if not recipients:
                    continue
                reporters = subjects or ([] if regulated_subject else last_subjects)
                reporter_from_here = bool(subjects)
                if not subjects:  # a new actor before a time word in this sentence outranks the last one
                    fresh = self._subjects_before(sent[: m.start()])
                    if fresh:
                        reporters, reporter_from_here = fresh, True
                # 由市生态环境局汇总后报…: the agent named in this clause of the sentence reports
                clause_start = _clause_start(sent, m.start())
                by = [b for a in _BY_AGENT_RE.finditer(sent, clause_start, m.start())
                      for b in self.leading_bodies(sent[a.end():m.start()])[0]]
                # 市生态环境局同时向省生态环境厅报告: a body opening this clause of the sentence that is
                # not among the sentence's subjects reports by itself
                own = [b for b in self.leading_bodies(sent[clause_start:m.start()].lstrip())[0]
                       if b.type not in NON_OWNER_TYPES]
                bare = False  # the reporters are places named bare (各设区市), read as committee and government
                if own and all(self.parser.bare_class(b.surface) for b in own):
                    # 各设区市和平潭综合实验区分别于…送: bare classes and places act by their committees and governments
                    own, bare = self._subjects_before(sent[clause_start:m.start()]) or own, True
                if all(b in subjects or any(x.name.startswith(b.name) for x in subjects) for b in own):
                    own = []  # the subject again, or its bare class (各设区市 of 设区市党委、设区市人民政府)
                if by:
                    reporters, reporter_from_here = by, True
                elif own:
                    reporters, reporter_from_here = own, True
                elif not subjects:  # "各县市、开发区…每年年初，要将…报送…": bare actors before a time word
                    local = self._subjects_before(sent[: m.start()])
                    if local:
                        reporters, reporter_from_here, bare = local, True, True
                # X会同Y…报送Z: the bodies X works with report with it
                for c in _JOINTLY_RE.finditer(sent, part_start, m.start()):
                    reporters = reporters + [b for b in self.leading_bodies(sent[c.end():m.start()])[0]
                                             if b.type not in NON_OWNER_TYPES and b not in reporters]
                for a in _APPROVED_BY_RE.finditer(sent, part_start, m.start()):  # 经省委和省政府同意后，报送…
                    recipients = recipients + [b for b in self.parser.parse_list(a.group(1), strict=True) or []
                                               if b not in recipients]  # approval is sought from them
                recipient_keys = {t.key for t in recipients}
                if not reporter_from_here and recipients and all(t.type == "legislature" for t in recipients) \
                        and not any(r.type == "government" for r in reporters):
                    # 依法向自治区人大常委会报告 with no subject of its own: a people's congress is reported to
                    # by the government of its level (地方组织法), not by the departments reporting to it
                    reporters = [Body(government_of(recipients[0].jurisdiction), recipients[0].jurisdiction,
                                      "government", "人民政府")]
                if bare and not any(t.type == "party" for t in recipients):
                    # a place's submission to an office or a department is its government's business; its
                    # party committee reports to party bodies (上级党委和政府), not to a 领导小组办公室
                    reporters = [r for r in reporters if r.type != "party"] or reporters
                reporters = [r for r in reporters if r.key not in recipient_keys]
                for r in reporters:
                    for t in recipients:
                        if r.key != t.key:
                            out.append(RelationHit("reportsTo", r, t, s, e, not reporter_from_here))
            if subjects:
                last_subjects = subjects
        return out

    def _subjects_before(self, text: str) -> list[Body]:
        bodies: list[Body] = []
        for chunk in re.split(r"(?<=[，,])", text):
            found = self.subject(chunk)
            if found:
                bodies.extend(b for b in found[0] if b.type not in NON_OWNER_TYPES)
            else:
                m = re.match(r"^(.{2,60}?)(?:于|在|要|应当|应|须)*(每年|每季度|定期|年初|年底|每月|分别)", chunk.strip("，, "))
                if m:
                    listed = self.parser.parse_list(m.group(1), strict=False, expand_bare=True) or \
                        self._trailing_bodies(m.group(1))  # 落实县级以上人民政府每年向…报告: after the verb
                    bodies.extend(b for b in listed if b.type not in NON_OWNER_TYPES)
        return bodies

    def _trailing_bodies(self, text: str) -> list[Body]:
        """The longest body list that ends ``text`` (督促县级以上人民政府 → 县级以上人民政府)."""
        for start in range(1, min(len(text) - 1, 12)):
            bodies = self.parser.parse_list(text[start:], strict=True)
            if bodies:
                return bodies
        return []

    def led_by(self, text: str) -> list[RelationHit]:
        """``X在Y领导下…`` and ``…在Y领导下，由X负责…``: Y leads X, X being the body
        before 在 in the same clause of the sentence, else the body (or 由-agent) after it."""
        out: list[RelationHit] = []
        for s, e in sentences(text):
            sent = text[s:e]
            for m in _UNDER_LEADERSHIP_RE.finditer(sent):
                leaders = [b for b in self.parser.parse_list(m.group(1), strict=True) or []
                           if b.type in LEADING_TYPES]
                if not leaders:
                    continue
                chunk = sent[_clause_start(sent, m.start()):m.start()].strip()
                led = self.leading_bodies(chunk)[0] if chunk else []
                if not led:
                    rest = sent[m.end():].lstrip("，, ")
                    led = self.leading_bodies(rest[1:] if rest.startswith("由") else rest)[0]
                leader_keys = {b.key for b in leaders}
                for a in leaders:
                    for b in led:
                        if b.key not in leader_keys and b.type not in NON_OWNER_TYPES:
                            out.append(RelationHit("leads", a, b, s, e))
        return out

    def accepts_supervision(self, text: str) -> list[RelationHit]:
        """``Y应当接受X的监督管理``: X regulates Y, Y being the subject of the sentence."""
        out: list[RelationHit] = []
        for s, e in sentences(text):
            sent = text[s:e]
            for m in _ACCEPTS_SUPERVISION_RE.finditer(sent):
                # the supervisor is what stands between 接受 and a supervision word (市场监管局 has one inside)
                regulators = []
                for w in _SUPERVISION_WORD_RE.finditer(sent, m.end(), min(len(sent), m.end() + 44)):
                    named = re.sub(r"(的|依法)+$", "", sent[m.end():w.start()])
                    listed = self.parser.parse_list(named, strict=True) if named else None
                    if not listed and named:  # 接受省生态环境厅组织的环境风险监督检查: X and what X runs
                        lead, n = self.leading_bodies(named)
                        listed = lead if re.match(r"(组织|开展|实施|依法)*的", named[n:]) else None
                    regulators = [b for b in listed or [] if b.type not in NON_OWNER_TYPES] or regulators
                if not regulators:
                    continue
                # the subject: what stands before 接受, without its modal verbs and adverbs
                head = _ACCEPT_MODALS_RE.sub("", sent[: m.start()]).strip("，, ")
                head = head[_clause_start(head, len(head)):]
                regulated = (self.parser.parse_list(head, strict=True) if head else None) \
                    or self._regulated_phrases(head) or self.leading_bodies(head)[0]
                keys = {b.key for b in regulators}
                out.extend(RelationHit("regulates", a, b, s, e) for a in regulators for b in regulated
                           if b.key not in keys)
        return out

    def hears_reports(self, text: str, actors: list[Body]) -> list[RelationHit]:
        """``听取（和审议）X…的报告``: the body named right after the verb, X, reports to
        the clause's actor (its first explicit owner), as in a people's congress's
        duties (听取和审议本级人民政府年度环境状况…的报告). A report with no body
        named (定期听取生态环境保护工作汇报) gives nothing."""
        out: list[RelationHit] = []
        if not actors:
            return out
        for m in _HEARS_RE.finditer(text):
            bodies, n = self.leading_bodies(m.group(1))
            for b in bodies:
                if b.key != actors[0].key and b.type not in NON_OWNER_TYPES:
                    out.append(RelationHit("reportsTo", b, actors[0], m.start(), m.end()))
        return out

    def under_supervision(self, text: str, actors: list[Body]) -> list[RelationHit]:
        """``在X（的）监督（指导支持）下…``: X regulates the clause's actor (its first explicit
        owner, else ``actors``' first, a plan's issuer), as it regulates one that 接受X的监督."""
        out: list[RelationHit] = []
        if not actors:
            return out
        for m in _UNDER_SUPERVISION_RE.finditer(text):
            for b in self.parser.parse_list(m.group(1), strict=True) or []:
                if b.key != actors[0].key and b.type not in NON_OWNER_TYPES:
                    out.append(RelationHit("regulates", b, actors[0], m.start(), m.end(),
                                           actors[0].surface not in text))  # implicit: the actor is not named here
        return out

    def supervises(self, text: str, actors: list[Body]) -> list[RelationHit]:
        """``督查指导乡镇…``, ``督促各级党委和政府…``: the clause's actor regulates the body
        named right after a supervision verb (data/supervision_verbs.txt). The actor is
        the clause's first explicit owner, else ``actors``' first (a plan's issuer)."""
        out: list[RelationHit] = []
        if not actors:
            return out
        inspections = list(_INSPECTS_RE.finditer(text)) + list(_INSPECTS_AFTER_VERB_RE.finditer(text))
        for m in inspections:  # 对各设区市党委和政府…开展一次例行督察, 对入河排污口设置单位实行…监督管理
            actor = self._actor_at(text, m.start(), actors)
            for b in self._inspected(_ETC_TAIL.sub("", m.group(1))):
                if b.key != actor.key and b.type not in ("legislature", "judicial") and self._named_body(b):
                    out.append(RelationHit("regulates", actor, b, m.start(), m.end()))
        for m in _supervision_regex().finditer(text):
            if _IN_A_NAME_RE.match(text, m.end()):
                continue  # 国家金融监督管理总局, 监督检查处: the verb is part of a body's name
            after = re.sub(r"^(和|、)?(检查|指导|推动|帮助)?", "", text[m.end():m.end() + 40])
            bodies, n = self.leading_bodies(after)
            if not bodies:  # 督促重点监管单位落实…, 督促省属企业提升…: a regulated party written as a phrase
                bodies, n = self._leading_regulated_phrase(after)
            actor = self._actor_at(text, m.start(), actors) if bodies else actors[0]
            for b in bodies:
                if b.key != actor.key and b.type not in ("legislature", "judicial") and self._named_body(b):
                    out.append(RelationHit("regulates", actor, b, m.start(), m.end() + n))
        return out

    def _actor_at(self, text: str, pos: int, actors: list[Body]) -> Body:
        """Who acts at ``pos``: the subject of its sentence when that is one of the
        clause's actors (（浙江证监局、省国资委按职责分工负责）…省国资委将…纳入考核，督促…
        → 省国资委), else the clause's first actor."""
        for s, e in sentences(text):
            if s <= pos < e:
                found = self.subject(text[s:e])
                opening = found[0] if found else self.leading_bodies(text[s:e].lstrip())[0]
                keys = {a.key for a in actors}
                named = [b for b in opening if b.key in keys]
                return named[0] if named else actors[0]
        return actors[0]

    def _regulated_phrases(self, text: str) -> list[Body]:
        """Regulated parties written as a descriptive phrase, each item a body or a phrase ending in
        企业/单位/机构/发行人/经营者 (投保企业, 碳普惠平台运营机构, 第三方核查机构和环境信息披露服务机构):
        in a regulation's context they name a class of regulated parties, as written."""
        out: list[Body] = []
        for item in re.split(r"、|以及|和|及", text):
            bodies = self.parser.parse_list(item, strict=True) if item else None
            if bodies:
                out.extend(bodies)
            elif _REGULATED_PHRASE_RE.fullmatch(item) and not stop_words().search(item):
                # 全县景区 → 景区, 矿产资源开发整治过程中矿山 → 矿山: the scope and the setting are no name
                name = _PARTY_SETTING_RE.split(_PARTY_SCOPE_RE.sub("", item))[-1]
                out.append(Body(name if len(name) >= 2 else item, self.parser.ctx.place, "enterprise", item))
            else:
                return []
        return out

    def _leading_regulated_phrase(self, text: str) -> tuple[list[Body], int]:
        """The shortest phrase opening ``text`` that names regulated parties
        (:meth:`_regulated_phrases`) and its length; ([], 0) when none."""
        stop = re.search(r"[，,。；;：:（(\s的]", text)
        limit = min(stop.start() if stop else len(text), 24)
        for m in _REGULATED_PHRASE_END_RE.finditer(text, 0, limit):
            bodies = self._regulated_phrases(text[:m.end()])
            if bodies:
                return bodies, m.end()
        return [], 0

    def _inspected(self, text: str) -> list[Body]:
        """The bodies of a list that each item names, generic items (省直有关部门) left out; none
        when an item is no body (对生态环境状况和各级党委…: a topic, not a list of bodies)."""
        out: list[Body] = []
        for item in re.split(r"、|以及|及", text):
            if not item or self.parser.is_generic(item):
                continue
            bodies = self.parser.parse_list(item, strict=True) or self._regulated_phrases(item)
            if not bodies:
                return []
            out.extend(bodies)
        return out

    def _named_body(self, b: Body) -> bool:
        """A body of the vocabulary, a class or a government: not a name guessed from a suffix alone."""
        names = canonical_names()
        return b.name in names or b.type in ("government", "party", "enterprise") or any(
            b.name.endswith(c) and b.name != c for c in ("人民政府", "党委", "部门", "单位", "企业")) \
            or b.of_class and any(b.name[i:] in names for i in range(1, len(b.name) - 1))  # 设区市生态环境局

    def regulates(self, text: str, owners: list[Body], fallback: list[Body] = ()) -> list[RelationHit]:
        """A sentence with a regulation verb that names a regulated class
        (排污单位, 第三方服务机构 …): the clause's competent owner regulates it.

        The competent owner is the owner that ``data/regulators.tsv`` names for
        the class, else the clause's only department, else ``fallback`` (the
        issuer of a department's own list of measures).
        """
        out: list[RelationHit] = []
        regs = _regulators()
        verbs = _regulation_verbs()
        targets_re = _regulated_regex()
        for s, e in sentences(text):
            sent = text[s:e]
            if not verbs.search(sent):
                continue
            for m in targets_re.finditer(sent):
                # the subject of the sentence is not regulated by it (排污企业应…)
                if not sent[: m.start()].strip("，, ") and not re.match(r"^(各类|有关)", sent):
                    continue
                t = self.parser.parse_one(m.group(0))
                if not t or not t.bodies:
                    continue
                target = t.bodies[0]
                competent = regs.get(target.name, ())
                subjects = [o for o in owners if o.name in competent]
                agent = _PASSIVE_AGENT_RE.search(sent, _clause_start(sent, m.start()), m.start())
                if agent:  # 被生态环境主管部门责令停产整治的企业: the agent of the passive regulates them
                    subjects = [b for b in self.parser.parse_list(agent.group(1), strict=True) or []
                                if b.type not in NON_OWNER_TYPES] or subjects
                if not subjects:
                    depts = [o for o in owners if o.type == "department"]
                    subjects = depts[:1] if len(depts) == 1 else list(fallback)
                for sub in subjects:
                    out.append(RelationHit("regulates", sub, target, s, e))
        return out


@lru_cache(maxsize=1)
def _verb_cues() -> tuple[tuple[str, str], ...]:
    """(cue, role) of the role verbs of role_cues.tsv, longest first."""
    return tuple(sorted(((c, r) for c, kind, r in _cues() if kind == "verb"), key=lambda x: -len(x[0])))


@lru_cache(maxsize=1)
def _verb_endings() -> tuple[str, ...]:
    """The role verbs alone, for str.endswith."""
    return tuple(c for c, _ in _verb_cues())


@lru_cache(maxsize=1)
def _labelled_line_re() -> re.Pattern[str]:
    """A role label opening a line or a sentence, and the list after it up to the line's or sentence's end."""
    labels = sorted((c for c, kind, _ in _cues() if kind == "label"), key=len, reverse=True)
    return re.compile(r"(?:^|(?<=[\n。；;]))[ \t　]*(%s)[ \t　]*[:：][ \t　]*([^\n。；;]+)" % "|".join(map(re.escape, labels)))


@lru_cache(maxsize=1)
def canonical_names() -> frozenset[str]:
    """Every canonical body name of the vocabulary (bodies.tsv), built once."""
    return frozenset(c for c, _ in vocab().names.values())


@lru_cache(maxsize=1)
def _name_finals() -> frozenset[str]:
    """Last characters of every body name, alias, suffix and class word of the vocabulary."""
    v = vocab()
    words = list(v.names) + [c for c, _ in v.names.values()] + [sfx for sfx, _, _ in v.suffixes] + [w for w, _, _ in v.levels]
    return frozenset(w[-1] for w in words if w) | frozenset(")）")


@lru_cache(maxsize=1)
def _supervision_regex() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(v) for v in sorted(load_lines("supervision_verbs.txt"), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _regulation_verbs() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(v) for v in sorted(load_lines("regulation_verbs.txt"), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _regulated_regex() -> re.Pattern[str]:
    names = {alias for alias, (canon, typ) in vocab().names.items() if typ in NON_OWNER_TYPES and typ == "enterprise"}
    names |= {"社会组织", "环保社会组织"}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _clause_start(sentence: str, end: int) -> int:
    """Where the comma-separated clause of ``sentence`` that runs up to ``end`` starts."""
    return max(sentence.rfind(c, 0, end) for c in "，,") + 1


LEADS_RE = re.compile(r"党委领导[、，,]\s*政府主导")
# 在市委、市政府(的统一)领导下: the bodies that lead the actor of the sentence
# 负责 heading a word for a person (各级环境保护部门负责同志): no directive
_PERSON_AFTER_RESPONSIBLE = ("负责同志", "负责人")


def _regulation_cues(kind: str) -> str:
    """An alternation of the words of data/regulation_cues.tsv of one kind, longest first."""
    words = [r["word"] for r in load_tsv("regulation_cues.tsv") if r["kind"] == kind]
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


# a regulated party written as a phrase: 投保企业, 碳普惠平台运营机构, 绿色债券发行人
_REGULATED_PHRASE_RE = re.compile(r"[\u4e00-\u9fff]{2,12}(?:%s)" % _regulation_cues("party_head"))
_PARTY_PHRASES = load_tsv("party_phrases.tsv")
_PARTY_SCOPE_RE = re.compile("^(?:%s)" % "|".join(re.escape(r["word"]) for r in _PARTY_PHRASES if r["kind"] == "scope"))
_PARTY_SETTING_RE = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:%s)"
                               % "|".join(re.escape(r["word"]) for r in _PARTY_PHRASES if r["kind"] == "setting"))
_REGULATED_PHRASE_END_RE = re.compile(r"(?:%s)" % _regulation_cues("party_head"))
# bodies that an inspection or an assessment is carried out on: 对X开展（一次）（例行）督察
_CARRY_OUT = "开展|进行|实施|实行|组织|加强|强化|严格"  # the verbs that carry out an inspection
_INSPECTS_RE = re.compile(r"对([^，,。；;对的]{2,60}?)(?:的)?(?:%s)[^，,。；;]{0,8}?(?:%s)"
                          % (_CARRY_OUT, _regulation_cues("inspection")))
# the same with the verb before 对: 加强对再生原料进口企业的查验监管, 强化对排污单位的执法检查
_INSPECTS_AFTER_VERB_RE = re.compile(r"(?:%s|纳入|列入|作为)对([^，,。；;对的]{2,60}?)的[^，,。；;]{0,8}?(?:%s)"
                                     % (_CARRY_OUT, _regulation_cues("inspection")))  # …列入对各省级生态环境部门的考核范围
# a report that first goes for approval: 经X同意后，报送Y (X is reported to as well)
_APPROVED_BY_RE = re.compile(r"经([^，,。；;经]{2,30}?)(?:同意|审定|批准|审议通过|审核)")
# the agent of a passive regulation: 被X责令…的企业, 被X依法查处的单位
_PASSIVE_AGENT_RE = re.compile(r"被([^，,。；;被]{2,30}?)(?:依法)?(?:%s)" % "|".join(
    map(re.escape, sorted(load_lines("regulation_verbs.txt"), key=len, reverse=True))))
_UNDER_SUPERVISION_RE = re.compile(r"在([^，,。；;在]{2,30}?)的?监督[^，,。；;下]{0,6}下")
_UNDER_LEADERSHIP_RE = re.compile(r"在([^，,。；;在]{2,30}?)的?(?:统一|坚强|集中统一)?领导下")
LEADING_TYPES = frozenset({"party", "government", "coordinating_body"})

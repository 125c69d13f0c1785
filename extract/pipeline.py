"""Text → records: the whole extraction of one document.

``extract_file(path)`` and ``extract_text(text, doc_id)`` return a
:class:`~extract.records.Document` whose every fact carries its evidence span
in the original file.
"""
from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from . import metadata as meta
from .bodies import BodyParser, make_context, norm
from .owners import LEADS_RE, NON_OWNER_TYPES, OwnerFinder, OwnerHit, RelationHit, canonical_names
from .read import Source, read_source, source_from_text
from .records import (Body, CitedDocument, Document, Evidence, InstrumentMention, Obligation, Ownership,
                      Relation)
from .structure import ARTICLE_CAPTION_RE, CHAPTER_RE, PAREN_RE, PART_RE, SECTION_RE, Clause, find_deadlines, segment

ROLE_RANK = {"lead": 0, "support": 1, "responsible": 2}


def extractor_version() -> str:
    """Fingerprint of the extraction code and vocabulary: a change to either
    makes ``kg build`` re-extract documents whose files did not change."""
    import hashlib

    from .vocab import DATA_DIR

    here = Path(__file__).parent
    h = hashlib.sha256()
    for p in sorted(here.glob("*.py")) + sorted(DATA_DIR.glob("*")):
        if p.is_file() and p.suffix != ".md":
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]
FUNCTIONAL_TYPES = {"department"}
# a clause headed by a body and its duties: 区委职责：, 县级以上党委生态环境保护工作职责：
DUTY_HEAD_RE = re.compile(r"([^，,。；;：:\s]{2,30})(?:职责|责任)(?:是|为|如下)?[：:。]")
DUTY_TOPIC_RE = re.compile(r"(的)?(生态环境保护|环境保护|生态环境|河长制|环保)?(工作)?(主要)?$")


def _instrument_finder():
    try:
        from .instruments import find_instruments
    except ImportError:  # the scheme is optional for extraction of owners
        return None
    return find_instruments


def _instrument_hits(text: str, clauses: list[Clause]):
    """A function of no arguments giving, per clause, its instruments as
    (concept, surface, candidate, start, end) with offsets into ``text``: a table
    row's in what the row asks (task, item, criteria), not in who does it. Plain
    tuples: at the size limit they cross from the mention process by the tens of
    thousands, and unpickling as many dataclasses costs the caller most of a second."""
    find_instruments = _instrument_finder()

    def hits() -> list[list[tuple]]:
        out = []
        for cl in clauses:
            if find_instruments is None:
                out.append([])
                continue
            if cl.layout == "table_row":
                parts = [(a, z) for col in ("heading", "task", "detail") if col in cl.cells
                         for a, z in [cl.cell_spans[col]]] or [(cl.start, cl.end)]
            else:
                parts = [(cl.start, cl.end)]
            out.append([(h.concept, h.surface, h.candidate, a + h.start, a + h.end)
                        for a, z in parts for h in find_instruments(text[a:z])])
        return out

    return hits


class _Builder:
    def __init__(self, src: Source):
        self.src = src
        self.text = src.text
        self._evidence: dict[tuple[int, int, str | None], Evidence] = {}

    def evidence(self, start: int, end: int, clause: str | None = None) -> Evidence:
        """One (immutable) Evidence per span and clause: a standing owner's
        statement backs every later clause with the same object, not a copy of its quote each."""
        start, end = max(0, start), min(len(self.text), end)
        key = (start, end, clause)
        ev = self._evidence.get(key)
        if ev is None:
            o_start, o_end = self.src.clean.span(start, end)
            ev = self._evidence[key] = Evidence(self.src.doc_id, o_start, o_end, self.text[start:end], clause)
        return ev


def extract_file(path: str | Path, doc_id: str | None = None, *, mentions: bool = True) -> Document:
    """Read and extract one file. Raises ``extract.read.ReadError`` on bad input.

    mentions (bool): run the spaCy stage that marks every body named in running
        text (``Obligation.mentions``). It costs about half the extraction time;
        owners, relations and instruments do not depend on it.
    """
    return extract_source(read_source(path, doc_id), mentions=mentions)


def extract_text(text: str, doc_id: str = "text.txt", *, mentions: bool = True) -> Document:
    return extract_source(source_from_text(text, doc_id), mentions=mentions)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while, as it was after.

    Extraction builds records by the hundred thousand and keeps them: each full
    collection re-examines all of them and finds nothing (records hold no
    cycles), 3 CPU-seconds of a 10 MB document's extraction. Objects are still
    freed by reference counting meanwhile; cycles made meanwhile are collected
    after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def extract_source(src: Source, *, mentions: bool = True) -> Document:
    with collector_paused():
        return _extract_source(src, mentions)


def _extract_source(src: Source, mentions: bool) -> Document:
    b = _Builder(src)
    text = src.text
    title_hit = meta.find_title(text)
    title = title_hit[0] if title_hit else None
    jurisdiction = meta.find_jurisdiction(title, text)
    ctx = make_context(jurisdiction, text)
    parser = BodyParser(ctx)
    finder = OwnerFinder(parser)
    issuers = meta.parse_issuers(meta.issuer_candidates(text, title), parser)
    for issuer, _, _ in issuers:  # 我部, 本局: the issuer speaking of itself
        parser.refer_to_self(issuer)
    addressee = meta.find_addressee(text, title_hit[2]) if title_hit else None
    if addressee:  # 请你市…: a letter to one body speaking to it (not to a class: 各乡镇人民政府)
        named = parser.copy().parse_list(addressee[0], strict=True) or []  # a copy: nothing seen yet
        if len(named) == 1 and not named[0].of_class and named[0].key not in {bd.key for bd, _, _ in issuers}:
            parser.refer_to_addressee(named[0])
    cites = [
        # a cited document's issuers are the names before it that are bodies (中共中央、国务院), nothing else
        CitedDocument(c.title, c.number, tuple(x for x in re.split(r"[、，,\s]+", c.issuers)
                                               if x and parser.parse_list(x, strict=True)), c.implements,
                      b.evidence(c.start, c.end))
        for c in meta.find_citations(text, title)
    ]
    clauses = segment(text)
    find_instrument_hits = _instrument_hits(text, clauses)
    pending_mentions = None
    if mentions:  # spaCy (blank zh + jieba) body recognition, beside the owners below (a parser of its own)
        from .nlp import start_body_mentions

        # the instruments depend on the clauses' text only: found there too, after the mentions
        pending_mentions = start_body_mentions(text, parser, side=find_instrument_hits)

    obligations: list[Obligation] = []
    relations: list[Relation] = []
    has_assignments = any(re.search(r"(责任单位|牵头单位|责任部门|牵头部门|按职责分工负责|负责[）)])", text[c.start:c.end]) or c.layout == "table_row" for c in clauses)
    # the issuer acts where a clause names nobody only in its own list of measures (the title names it)
    issuer_fallback = [bd for bd, _, _ in issuers if bd.type in FUNCTIONAL_TYPES and _own_list(title, bd)] \
        if len(issuers) == 1 and not has_assignments else []
    standing: dict[tuple[str, str], OwnerHit] = {}
    any_explicit = False
    named: list[tuple[list[str], set]] = []  # per clause: (regulated names, owner keys)
    for ordinal, cl in enumerate(clauses, start=1):
        cid = f"{src.doc_id}#{ordinal}"
        ctext = text[cl.start:cl.end]
        # the clause's own marker (第六条, （三）) is no part of a subject: blank it, keeping offsets
        owner_text = _blank_marker(ctext, cl.number)
        hits: list[OwnerHit] = []
        if cl.layout == "table_row":
            for role_col, role in (("lead", "lead"), ("support", "support"), ("responsible", "responsible")):
                if role_col in cl.cells:
                    s, e = cl.cell_spans[role_col]
                    for body in parser.parse_list(cl.cells[role_col]) or []:
                        hits.append(OwnerHit(body, role, s - cl.start, e - cl.start, {"lead": "牵头部门", "support": "配合部门", "responsible": "责任单位"}[role]))
            if not hits:  # a column under no owner header whose cell is wholly a body: the row's department
                for col, value in cl.cells.items():
                    if col.startswith("col"):
                        s, e = cl.cell_spans[col]
                        for body in parser.parse_list(value, strict=True) or []:
                            hits.append(OwnerHit(body, "responsible", s - cl.start, e - cl.start, "表格行"))
            partner_hits = finder.partners(owner_text)
        else:
            bracket_hits, new_standing = finder.brackets(owner_text)
            hits.extend(bracket_hits)
            any_explicit = any_explicit or bool(bracket_hits)
            hits.extend(finder.directives(owner_text))
            hits.extend(finder.labelled_lines(owner_text))
            hits.extend(finder.role_chunks(owner_text))
            partner_hits = finder.partners(owner_text)
        any_explicit = any_explicit or (cl.layout == "table_row" and bool(hits))
        if not hits:  # （一）区委职责：1.… / 第六条县级以上党委生态环境保护工作职责：
            duty = DUTY_HEAD_RE.match(owner_text.lstrip())
            if duty:
                at = len(owner_text) - len(owner_text.lstrip())
                for body in parser.parse_list(DUTY_TOPIC_RE.sub("", duty.group(1)), strict=True) or []:
                    hits.append(OwnerHit(body, "responsible", at, at + duty.end(), "职责"))
        if not hits and cl.layout == "headed" and cl.heading:  # 县环保局。负责…: a member's duties under its name
            at = owner_text.find(cl.heading)
            for body in (parser.parse_list(cl.heading, strict=True) or []) if at >= 0 else []:
                if body.type not in NON_OWNER_TYPES:
                    hits.append(OwnerHit(body, "responsible", at, at + len(cl.heading), "职责"))
        if not hits and cl.section:
            section_owners = _section_owners(finder, text, cl)
            if partner_hits and all(h.role == "lead" for h in partner_hits):  # its only duty is to help: 配合X…
                section_owners = [replace(h, role="support") for h in section_owners]
            hits.extend(section_owners)
        hits.extend(partner_hits)
        owners = _merge(hits)
        present = {o.body.key for o in owners}
        for st in standing.values():
            if st.body.key not in present:
                owners.append(OwnerHit(st.body, st.role, st.start, st.end, st.cue, True))
        if cl.layout != "table_row":  # standing spans are kept absolute; a later statement replaces an earlier
            for h in new_standing:
                standing[h.body.key] = OwnerHit(h.body, h.role, cl.start + h.start, cl.start + h.end, h.cue, True)
        ownerships = tuple(
            Ownership(o.body, o.role, b.evidence(*_abs(o, cl, standing_span=o.implicit), None if o.implicit else cid),
                      o.implicit, o.cue)
            for o in owners
        )
        deadline = cl.cells.get("deadline") if cl.layout == "table_row" else None
        deadline = deadline or find_deadlines(ctext)
        # relations stated in the clause
        rel_hits: list[RelationHit] = finder.reports(owner_text)
        rel_hits += finder.regulates(owner_text, [o.body for o in owners if not o.implicit], issuer_fallback)
        main_actors = [o.body for o in owners if not o.implicit and o.role != "support"] or issuer_fallback
        rel_hits += finder.supervises(owner_text, main_actors)
        rel_hits += finder.hears_reports(owner_text, [o.body for o in owners if not o.implicit and o.role != "support"])
        rel_hits += finder.led_by(owner_text)
        rel_hits += finder.accepts_supervision(owner_text)
        # the bodies the clause names besides its owners: the regulated now, running-text mentions below
        named.append(([r.object.name for r in rel_hits if r.predicate == "regulates"], {o.body.key for o in owners}))
        rel_hits += finder.under_supervision(owner_text, main_actors)  # the regulated is the clause's actor: no mention
        for r in rel_hits:
            relations.append(Relation(r.predicate, r.subject, r.object, b.evidence(cl.start + r.start, cl.start + r.end, cid), r.implicit))
        heading = cl.heading
        if cl.layout == "table_row":
            heading = cl.cells.get("task")
        obligations.append(Obligation(
            id=cid, doc_id=src.doc_id, ordinal=ordinal, number=cl.number, heading=heading, section=cl.section,
            layout=cl.layout, text=ctext, start=src.clean.span(cl.start, cl.end)[0], end=src.clean.span(cl.start, cl.end)[1],
            deadline=deadline, owners=ownerships,
        ))

    mentioned = _mentions_by_clause(pending_mentions() if pending_mentions else [], clauses)
    instrument_hits = pending_mentions.side() if pending_mentions else find_instrument_hits()
    obligations = [
        replace(o, mentions=tuple(dict.fromkeys(regulated + [bd.name for bd, _, _ in found
                                                             if bd.key not in owner_keys and _known(bd)])),
                instruments=tuple(InstrumentMention(concept, surface, b.evidence(start, end, o.id), candidate)
                                  for concept, surface, candidate, start, end in hits))
        for o, (regulated, owner_keys), found, hits in zip(obligations, named, mentioned, instrument_hits)
    ]

    # a department's own list of measures: its issuer owns every clause, implicitly
    if not any_explicit and len(issuers) == 1 and issuers[0][0].type in FUNCTIONAL_TYPES \
            and _own_list(title, issuers[0][0]):
        issuer, s, e = issuers[0]
        obligations = [
            _with_default_owner(o, issuer, b.evidence(s, e, None)) for o in obligations
        ]

    # standing leadership formula
    for m in LEADS_RE.finditer(text):
        party = Body("党委", ctx.place, "party", "党委")
        gov = Body("人民政府", ctx.place, "government", "政府")
        relations.append(Relation("leads", party, gov, b.evidence(m.start(), m.end())))
        break

    bodies: dict[tuple[str, str], Body] = {}
    for o in obligations:
        for ow in o.owners:
            bodies.setdefault(ow.body.key, ow.body)
    for r in relations:
        bodies.setdefault(r.subject.key, r.subject)
        bodies.setdefault(r.object.key, r.object)
    for body, _, _ in issuers:
        bodies.setdefault(body.key, body)

    return Document(
        doc_id=src.doc_id, path=src.path, sha256=src.sha256, encoding=src.encoding,
        title=title, kind=meta.kind_of(title), jurisdiction=jurisdiction,
        jurisdiction_level=ctx.level if jurisdiction else None,
        date=meta.find_date(text, src.original, None), doc_number=meta.find_doc_number(text),
        issuers=tuple(bd for bd, _, _ in issuers), cites=tuple(cites), obligations=tuple(obligations),
        relations=tuple(_unique_relations(relations)), bodies=tuple(bodies.values()), text=text,
        original_chars=len(src.original),
    )


def _mentions_by_clause(all_mentions: list[tuple[Body, int, int]], clauses: list[Clause]) -> list[list[tuple[Body, int, int]]]:
    """Each clause's mentions (those wholly inside it), with clause-relative offsets, in the order found.

    Mentions are looked up by start offset with bisect, so the whole is
    O((clauses + mentions) log mentions); testing every mention against every
    clause was quadratic (a 10 MB text: 11,789 clauses × 69,635 mentions,
    0.8 billion tests, about 100 s)."""
    import bisect

    order = sorted(range(len(all_mentions)), key=lambda i: all_mentions[i][1])
    starts = [all_mentions[i][1] for i in order]
    out = []
    for c in clauses:
        c_start, c_end = c.start, c.end
        lo, hi = bisect.bisect_left(starts, c_start), bisect.bisect_right(starts, c_end)
        picked = sorted(i for i in order[lo:hi] if all_mentions[i][2] <= c_end)
        out.append([(bd, s - c_start, e - c_start) for bd, s, e in (all_mentions[i] for i in picked)])
    return out


def _own_list(title: str | None, issuer: Body) -> bool:
    """A department's own list of measures: its title names it as the plan's subject
    (生态环境部贯彻落实…实施方案, 江西省生态环境厅20条措施), not only as the 发文机关 before
    关于 that every formal title has (生态环境部办公厅关于做好…工作的通知)."""
    if not title:
        return False
    own = re.sub(r"《[^《》]*》", "", norm(title))  # 关于 inside a cited title is not the title's own
    return issuer.name in re.split(r"关于", own, maxsplit=1)[-1]


def _section_owners(finder: OwnerFinder, text: str, cl: Clause) -> list[OwnerHit]:
    """A section heading that says whom its items bind (``一、通用考核项目（全部责任单位）``):
    those bodies own the section's items that name nobody, implicitly."""
    from .owners import balanced_groups

    heading = cl.section.split("/")[-1]
    out = []
    for s, e in balanced_groups(heading):
        group = heading[s:e]
        at = text.rfind(group, 0, cl.start)
        if at < 0:
            continue
        for body in finder.parser.parse_list(group[1:-1], strict=True) or []:
            out.append(OwnerHit(body, "responsible", at, at + len(group), "section", True))  # absolute, as standing spans
    if not out:  # a list of duties under each body's name (一、县生态环境局 / 1.负责… / 二、县发改委 …)
        numbered = next((m for rx in (PART_RE, PAREN_RE, CHAPTER_RE, SECTION_RE) for m in [rx.match(heading.strip())] if m), None)
        named = (numbered.group(2) if numbered else heading).strip()
        at = text.rfind(named, 0, cl.start) if named else -1
        if at >= 0:
            for body in finder.parser.parse_list(DUTY_TOPIC_RE.sub("", re.sub(r"(职责|责任)[：:。]?$", "", named)),
                                                 strict=True) or []:
                out.append(OwnerHit(body, "responsible", at, at + len(named), "section", True))
    if not out and heading.endswith(("：", ":")):  # 请你市…做好以下工作：: who is asked owns the tasks announced
        at = text.rfind(heading, 0, cl.start)
        if at >= 0:
            asked = re.match(r"(?:请|由)?", heading).end()
            bodies, n = finder.leading_bodies(heading[asked:])
            out.extend(OwnerHit(body, "responsible", at, at + asked + n, "section", True) for body in bodies)
    return out


def _blank_marker(ctext: str, number: str | None) -> str:
    """The clause's number blanked, and an article's caption after it (第五条（政府职责）): offsets kept."""
    lead = len(ctext) - len(ctext.lstrip())
    if number and ctext.startswith(number, lead):
        end = lead + len(number)
        if ctext[end:end + 1] in ("、", ".", "．"):  # 1.市委、市政府… : the separator after a bare number
            end += 1
        caption = ARTICLE_CAPTION_RE.match(ctext, end) if number.startswith("第") else None
        if caption:
            end = caption.end()
        return ctext[:lead] + " " * (end - lead) + ctext[end:]
    return ctext


def _known(body: Body) -> bool:
    """Free-text mentions are kept for vocabulary bodies only; unknown suffix-only
    names in running text are too often phrases (``宣传教育进机关``)."""
    return body.name in canonical_names()


def _abs(o: OwnerHit, cl: Clause, standing_span: bool = False) -> tuple[int, int]:
    """Clean-text span of an owner's evidence (standing owners' spans are already absolute)."""
    if standing_span:
        return (o.start, o.end)
    return (cl.start + o.start, cl.start + o.end)


def _merge(hits: list[OwnerHit]) -> list[OwnerHit]:
    """One ownership per body: the most specific role wins (lead, support, responsible)."""
    best: dict[tuple[str, str], OwnerHit] = {}
    order: list[tuple[str, str]] = []
    for h in hits:
        k = h.body.key
        if k not in best:
            best[k] = h
            order.append(k)
        elif ROLE_RANK[h.role] < ROLE_RANK[best[k].role]:
            best[k] = h
    return [best[k] for k in order]


def _with_default_owner(o: Obligation, issuer: Body, ev: Evidence) -> Obligation:
    from dataclasses import replace

    if any(ow.body.key == issuer.key for ow in o.owners):
        return o
    ev = Evidence(ev.doc_id, ev.start, ev.end, ev.quote, None)  # the issuer line, not a clause
    return replace(o, owners=o.owners + (Ownership(issuer, "responsible", ev, True, "issuer"),))


def _unique_relations(rels: list[Relation]) -> list[Relation]:
    seen, out = set(), []
    for r in rels:
        k = (r.predicate, r.subject.key, r.object.key)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out

"""Records: what extraction hands to the graph layer.

Frozen dataclasses of plain types. Every fact carries its document id and a
character span ``start``/``end`` into the *original* decoded file text, plus
the quoted evidence, so an auditor can always find the clause it came from.
No spaCy or rdflib object crosses this boundary.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read.

    doc_id (str): the source file's name.
    start (int), end (int): character offsets in the original decoded file.
    quote (str): the normalised (simplified) text of that span.
    clause (str | None): id of the clause the span lies in.
    """

    doc_id: str
    start: int
    end: int
    quote: str
    clause: str | None = None


@dataclass(frozen=True)
class Body:
    """A body (actor) with its canonical short name and jurisdiction.

    name (str): canonical short name without place prefix (``生态环境局``).
    jurisdiction (str): canonical place (``漳州市``; ``国家`` for central bodies).
    type (str): one of BODY_TYPES.
    surface (str): the text as written (``市生态环境局``).
    """

    name: str
    jurisdiction: str
    type: str
    surface: str = ""
    of_class: bool = field(default=False, compare=False)  # every body of a lower level, named as one (县(区)人民政府)

    @property
    def key(self) -> tuple[str, str]:
        return (self.jurisdiction, self.name)

    @property
    def label(self) -> str:
        """The full name a reader sees: the place, then the name (漳州市生态环境局).

        A class reads as a class (漳州市各县(区)人民政府, not 漳州市县(区)人民政府,
        and never 伊犁哈萨克自治州州市人民政府, which would be a body that does not exist).
        """
        if self.jurisdiction == "国家" or self.name.startswith(self.jurisdiction[:2]):
            return self.name
        if self.of_class and not self.name.startswith("各"):
            return f"{self.jurisdiction}各{self.name}"
        return f"{self.jurisdiction}{self.name}"


def _body_types() -> tuple[str, ...]:
    """The types of bodies, from extract/data/body_types.tsv (each with the reason a body gets it)."""
    from pathlib import Path

    lines = (Path(__file__).parent / "data" / "body_types.tsv").read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t", 1)[0] for ln in lines if ln.strip() and not ln.startswith("#")]
    return tuple(rows[1:])  # after the header


BODY_TYPES = _body_types()  # party, government, department, judicial, financial_regulator, legislature, …

ROLES = ("lead", "support", "responsible")


@dataclass(frozen=True)
class Ownership:
    """A body answerable for an obligation.

    role (str): ``lead``, ``support`` or ``responsible``.
    implicit (bool): assigned by a standing statement elsewhere in the document.
    cue (str): the phrase that set the role (``牵头``, ``责任单位``, ``负总责`` …).
    """

    body: Body
    role: str
    evidence: Evidence
    implicit: bool = False
    cue: str = ""


@dataclass(frozen=True)
class InstrumentMention:
    """A policy instrument named in a clause.

    concept (str): canonical name in the instrument scheme, or the candidate's
        own name when ``candidate`` is true.
    """

    concept: str
    surface: str
    evidence: Evidence
    candidate: bool = False


@dataclass(frozen=True)
class Obligation:
    """One task clause: numbered item, headed measure or table row."""

    id: str  # "<doc_id>#<ordinal>", stable for the same input
    doc_id: str
    ordinal: int
    number: str | None  # "（五）", "3", "第一条" … as written
    heading: str | None
    section: str | None
    layout: str  # numbered | article | headed | table_row | paragraph
    text: str
    start: int
    end: int
    deadline: str | None = None
    owners: tuple[Ownership, ...] = ()
    instruments: tuple[InstrumentMention, ...] = ()
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A stated relation between two bodies (reportsTo, regulates, leads, supports)."""

    predicate: str
    subject: Body
    object: Body
    evidence: Evidence
    implicit: bool = False


@dataclass(frozen=True)
class CitedDocument:
    """A higher document a document cites or implements."""

    title: str | None
    number: str | None  # 文号 such as 中办发〔2020〕6号
    issuers: tuple[str, ...]
    implements: bool
    evidence: Evidence


@dataclass(frozen=True)
class Document:
    """A whole extracted document."""

    doc_id: str
    path: str
    sha256: str
    encoding: str
    title: str | None
    kind: str | None
    jurisdiction: str | None
    jurisdiction_level: str | None
    date: str | None
    doc_number: str | None
    issuers: tuple[Body, ...]
    cites: tuple[CitedDocument, ...]
    obligations: tuple[Obligation, ...]
    relations: tuple[Relation, ...]
    bodies: tuple[Body, ...]
    text: str  # normalised text
    original_chars: int
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

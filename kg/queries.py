"""The named-query library in ``queries/``.

Each ``queries/<name>.rq`` opens with a comment header::

    # title: Owners of an instrument
    # description: Which bodies own obligations that use an instrument, with role.
    # param: instrument = 排污许可 (the instrument's preferred label)

Parameters are bound as SPARQL variables (``?instrument``), never pasted into
the query text: :func:`bind_values` adds a ``VALUES`` block of terms written by
pyoxigraph (escaped, IRIs checked) at the start of the query's WHERE group,
where it narrows everything after it. ``kg serve`` binds the query page's
parameter fields (``$name=value`` on ``/sparql``) this way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"


class QueryLibraryError(Exception):
    """Unknown named query or bad parameter."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[str, ...]
    defaults: dict = field(default_factory=dict, hash=False)
    text: str = ""
    hints: dict = field(default_factory=dict, hash=False)  # parameter → what to give (the header's "(…)")


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title = description = ""
    params: list[str] = []
    defaults: dict[str, str] = {}
    hints: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = re.match(r"#\s*(title|description|param)\s*:\s*(.*)$", line)
        if not m:
            continue
        key, value = m.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = (description + " " + value.strip()).strip()
        else:
            pm = re.match(r"(\w+)\s*(?:=\s*([^(]*?))?\s*(?:\((.*)\))?$", value.strip())
            if pm:
                params.append(pm.group(1))
                if pm.group(2):
                    defaults[pm.group(1)] = pm.group(2).strip()
                if pm.group(3):
                    hints[pm.group(1)] = pm.group(3).strip()
    return NamedQuery(path.stem, title or path.stem, description, tuple(params), defaults, text, hints)


def list_queries() -> list[NamedQuery]:
    return [_parse(p) for p in sorted(QUERIES_DIR.glob("*.rq"))]


def load_query(name: str) -> NamedQuery:
    path = QUERIES_DIR / f"{name}.rq"
    if not re.fullmatch(r"[\w-]+", name) or not path.exists():
        known = ", ".join(q.name for q in list_queries())
        raise QueryLibraryError(f"no named query {name!r}; known: {known}")
    return _parse(path)


def bindings_from_params(q: NamedQuery, params: list[str]) -> dict:
    """key=value pairs → variable bindings (IRIs for values in <…>, else plain literals)."""
    values = dict(q.defaults)
    for p in params:
        if "=" not in p:
            raise QueryLibraryError(f"parameter {p!r} is not key=value")
        k, v = p.split("=", 1)
        if k not in q.parameters:
            raise QueryLibraryError(f"query {q.name!r} has no parameter {k!r}; it takes: {', '.join(q.parameters) or 'none'}")
        values[k] = v
    return {k: parse_value(v) for k, v in values.items()}


def parse_value(value: str):
    """A parameter's text → an rdflib term: ``<iri>`` an IRI, an integer an ``xsd:integer``,
    an N-Triples literal (``"…"@zh``, ``"…"^^<…>``, as RDF4J's ``$var=`` takes) that literal,
    anything else a plain literal of the text as it is.

    Raises QueryLibraryError for an IRI or N-Triples literal that is not valid.
    """
    import pyoxigraph as ox

    from .terms import from_ox

    if value.startswith("<") and value.endswith(">"):
        try:
            return from_ox(ox.NamedNode(value[1:-1]))
        except ValueError as exc:
            raise QueryLibraryError(f"{value!r} is not a valid IRI: {exc}") from None
    if re.fullmatch(r"-?\d+", value):
        return Literal(int(value))
    if value.startswith('"') and "\n" not in value:
        try:  # the strict N-Triples parser decides what the term is; nothing is pasted
            triples = list(ox.parse(f"<urn:s> <urn:p> {value} .\n".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as exc:
            raise QueryLibraryError(f"{value!r} is not a valid N-Triples literal: {exc}") from None
        if len(triples) == 1 and isinstance(triples[0].object, ox.Literal):
            return from_ox(triples[0].object)
        raise QueryLibraryError(f"{value!r} is not one N-Triples literal")
    return Literal(value)


_VAR_NAME = re.compile(r"[A-Za-z_0-9\u00B7\u00C0-\uFFFF]+")


def _group_start(text: str) -> int:
    """Offset just after the ``{`` opening the query's WHERE group (after ``WHERE``, or the first
    ``{`` of ``SELECT … {`` / ``ASK {``), ignoring comments, strings and IRIs; -1 if there is none."""
    from .store import SPARQL_TOKENS  # the SPARQL lexer inspect_query reads FROM with

    first_brace = -1
    after_where = False
    for m in SPARQL_TOKENS.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "other" and m.group() == "{":
            if after_where:
                return m.end()
            if first_brace < 0:
                first_brace = m.end()
        after_where = kind == "word" and m.group().upper() == "WHERE"
    return first_brace


def bind_values(text: str, bindings: dict) -> str:
    """``text`` with ``VALUES ?k { term }`` for each of ``bindings`` (variable → rdflib term)
    at the start of its WHERE group, as ``kg.audit`` binds values.

    The terms are written by pyoxigraph, so a value can never be read as SPARQL.
    Raises QueryLibraryError for a variable name that is not one, or a query with no group.
    """
    if not bindings:
        return text
    from .terms import to_ox

    for k in bindings:
        if not _VAR_NAME.fullmatch(k):
            raise QueryLibraryError(f"{k!r} is not a SPARQL variable name")
    at = _group_start(text)
    if at < 0:
        raise QueryLibraryError("cannot bind parameters: the query has no WHERE group")
    values = " ".join(f"VALUES ?{k} {{ {to_ox(v)} }}" for k, v in bindings.items())
    # on the line of the brace, so the parser's line numbers still match the user's text
    return text[:at] + " " + values + " " + text[at:]

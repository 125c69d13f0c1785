"""The named-query library in ``queries/``.

Each ``queries/<name>.rq`` opens with a comment header::

    # title: Owners of an instrument
    # description: Which bodies own obligations that use an instrument, with role.
    # param: instrument = 排污许可 (the instrument's preferred label)

Parameters are bound as SPARQL variables (``?instrument``), never pasted into
the query text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

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


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title = description = ""
    params: list[str] = []
    defaults: dict[str, str] = {}
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
    return NamedQuery(path.stem, title or path.stem, description, tuple(params), defaults, text)


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
    out = {}
    for k, v in values.items():
        if v.startswith("<") and v.endswith(">"):
            out[k] = URIRef(v[1:-1])
        elif re.fullmatch(r"-?\d+", v):
            out[k] = Literal(int(v))
        else:
            out[k] = Literal(v)
    return out

"""Validate a graph against ``ontology/shapes.ttl`` (the model of ontology/MODEL.md).

>>> report = validate(dataset)
>>> report.conforms, len(report.violations)
>>> print(format_report(report))

The library only returns data; callers print.

Inference: pySHACL runs with ``inference="none"``. SHACL itself already
follows ``rdfs:subClassOf`` chains in the data graph for ``sh:targetClass`` and
``sh:class`` (SHACL 1.0: "SHACL instance", §2.1.3.3 and §4.1.1), so once the ontology is merged
into the data graph an ``egov:RegulatedParty`` is validated as an
``egov:Body`` and an ``egov:CitedDocument`` satisfies ``sh:class
eli:LegalResource``. RDFS inference would add nothing the shapes need and
would hide errors: the ``rdfs:range`` axioms of envgov.ttl would type every
value of e.g. ``egov:body`` as an ``egov:Body`` and every value of
``egov:hasOwnership`` as an ``egov:Ownership``, so the ``sh:class`` checks on
those properties could never fail; and ``rdfs:subPropertyOf`` would fill
``odrl:assignee`` from ``egov:leadBy`` and mask a missing shortcut.
Without inference the shapes check what is actually
written, which is what consumers of the graph without a reasoner will see.

SHACL-SPARQL rules of shapes.ttl are run by this module with Oxigraph, one
query per rule, instead of by pySHACL (see the comment above
:func:`_split_shapes`); the results are the same, only much faster.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
import rdflib
from pyshacl import validate as _shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from .namespace import PREFIXES

__all__ = [
    "Violation",
    "ValidationReport",
    "validate",
    "format_report",
    "ontology_graph",
    "shapes_graph",
]

_ONTOLOGY_FILES = ("envgov.ttl", "instruments.ttl")
_SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    focus: the focus node (IRI as a plain string, blank node as ``_:id``).
    path: the result path (IRI string, or a SPARQL-like path such as
        ``^<iri>`` or ``<a>/<b>``), None for node-level results.
    message: the shape's sh:message (the rule, in plain English).
    severity: ``Violation``, ``Warning`` or ``Info``.
    value: the offending value (IRI string, ``_:id`` or a literal in Turtle
        form such as ``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``), or None.
    """

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of :func:`validate`.

    conforms: True when there are no results at all (of any severity).
    violations: every result, sorted by message, focus, path, value.
    text: pySHACL's text report, with the results of the SPARQL rules appended.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""


def _read_package_file(name: str) -> str | None:
    """Text of a file of the ``ontology`` package (ontology/ beside kg/), None if absent."""
    try:
        res = resources.files("ontology").joinpath(name)
    except ModuleNotFoundError:
        res = Path(__file__).resolve().parent.parent / "ontology" / name
    if not res.is_file():
        return None
    return res.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple[tuple, ...]:
    g = Graph()
    for name in _ONTOLOGY_FILES:
        text = _read_package_file(name)
        if text is not None:  # instruments.ttl is generated and may be absent
            g.parse(data=text, format="turtle")
    return tuple(g)


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    text = _read_package_file(_SHAPES_FILE)
    if text is None:
        raise FileNotFoundError(f"ontology/{_SHAPES_FILE} not found")
    return Graph().parse(data=text, format="turtle")


def ontology_graph() -> Graph:
    """A fresh Graph with ontology/envgov.ttl plus ontology/instruments.ttl if present."""
    g = Graph()
    for t in _ontology_triples():
        g.add(t)
    return g


def shapes_graph() -> Graph:
    """A fresh copy of ontology/shapes.ttl as a Graph."""
    g = Graph()
    for t in _shapes():
        g.add(t)
    return g


def _merged(data_graph: Graph | rdflib.Dataset, include_ontology: bool) -> tuple[Graph, bool]:
    """Return (graph to validate, whether it is our own copy).

    A Dataset/ConjunctiveGraph is flattened into one Graph (union of all named
    graphs and the default graph): pySHACL would otherwise validate each named
    graph on its own, and a document graph refers to the ontology graph.
    """
    is_multi = isinstance(data_graph, (rdflib.Dataset, rdflib.ConjunctiveGraph))
    if not is_multi and not include_ontology:
        return data_graph, False
    g = Graph()
    if is_multi:
        for s, p, o, _ctx in data_graph.quads((None, None, None, None)):
            g.add((s, p, o))
    else:
        for t in data_graph:
            g.add(t)
    if include_ontology:
        for t in _ontology_triples():
            g.add(t)
    return g, True


def validate(data_graph: Graph | rdflib.Dataset, *, include_ontology: bool = True) -> ValidationReport:
    """Validate ``data_graph`` against ontology/shapes.ttl.

    data_graph: a Graph, or a Dataset whose named graphs are validated as one
        union graph. It is never modified.
    include_ontology: merge ontology/envgov.ttl (and ontology/instruments.ttl
        when it exists) into the data before validating, so that subclass
        targets and sh:class checks see the class hierarchy. Turn it off when
        the data already holds the ontology (e.g. a built Dataset with
        egid:graph/ontology).
    """
    graph, own_copy = _merged(data_graph, include_ontology)
    core_shapes, rules = _split_shapes()
    conforms, results, text = _shacl_validate(
        graph,
        shacl_graph=core_shapes,
        inference="none",  # see module docstring
        abort_on_first=False,
        allow_warnings=False,
        allow_infos=False,
        advanced=False,
        inplace=own_copy,
    )
    if not isinstance(results, Graph):  # pySHACL's ValidationFailure: the shapes themselves are broken
        raise RuntimeError(f"SHACL validation could not run: {results}")
    violations = _violations(results)
    extra = _run_rules(graph, rules) if rules else []
    if extra:
        violations = sorted(violations + extra, key=_sort_key)
        text = _merge_text(str(text), extra, len(violations))
    return ValidationReport(conforms=bool(conforms) and not extra, violations=violations, text=str(text))


# --- SHACL-SPARQL constraints, evaluated once per rule --------------------------
#
# pySHACL evaluates an sh:sparql constraint once per focus node and re-parses the
# query text every time (~20 ms each with rdflib), and rdflib's SPARQL joins are
# nested loops: the SPARQL rules alone took minutes on the 5-document sample.
# Node shapes whose only constraints are sh:sparql with sh:targetClass targets
# are therefore deactivated for pySHACL and run here as ONE query each on an
# in-memory Oxigraph copy of the data, with the target pattern joined in
# instead of pre-binding $this. For these queries (a single WHERE group, $this
# bound by its triple patterns) the results are the same as SHACL's
# pre-binding (tests/kg/test_validate.py compares both on every fixture); any
# shape that does not fit that form is left to pySHACL unchanged.

_RULE_SHAPE_PREDICATES = {
    RDF.type, SH.targetClass, SH.message, SH.sparql, SH.severity, SH.name, SH.description,
    RDFS.label, RDFS.comment,
}
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SELECT_VARS = re.compile(r"[?$](\w+)")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class _SparqlRule:
    shape: URIRef
    query: str
    message: str
    severity: str
    variables: frozenset[str]


def _prefix_lines(shapes: Graph, constraint) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def _split_shapes() -> tuple[Graph, tuple[_SparqlRule, ...]]:
    """(shapes graph for pySHACL, SPARQL rules run by :func:`_run_rule`)."""
    shapes = _shapes()
    core = Graph()
    for t in shapes:
        core.add(t)
    rules: list[_SparqlRule] = []
    for shape in set(shapes.subjects(SH.sparql, None)):
        if not isinstance(shape, URIRef) or shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        if set(shapes.predicates(shape, None)) - _RULE_SHAPE_PREDICATES:
            continue  # has other constraints: leave the whole shape to pySHACL
        targets = sorted(shapes.objects(shape, SH.targetClass))
        constraints = list(shapes.objects(shape, SH.sparql))
        built: list[_SparqlRule] = []
        for c in constraints:
            select = shapes.value(c, SH.select)
            if select is None or shapes.value(c, SH.deactivated) == Literal(True):
                continue
            m = _WHERE.search(str(select))
            if not targets or m is None or len(_WHERE.findall(str(select))) != 1:
                built = []
                break
            values = " ".join(f"<{t}>" for t in targets)
            target = (
                f" ?this <{RDF.type}> ?__cls . ?__cls <{RDFS.subClassOf}>* ?__target ."
                f" VALUES ?__target {{ {values} }} "
            )
            q = str(select)
            query = _prefix_lines(shapes, c) + q[: m.end()] + target + q[m.end():]
            msg = shapes.value(c, SH.message) or shapes.value(shape, SH.message)
            sev = shapes.value(shape, SH.severity) or SH.Violation
            built.append(
                _SparqlRule(
                    shape=shape,
                    query=query,
                    message=str(msg) if msg is not None else f"SPARQL constraint of {shape} failed",
                    severity=str(sev).rsplit("#", 1)[-1],
                    variables=frozenset(_SELECT_VARS.findall(q[: m.start()])),
                )
            )
        if built and len(built) == len(constraints):
            rules.extend(built)
            core.add((shape, SH.deactivated, Literal(True)))
    return core, tuple(sorted(rules, key=lambda r: (str(r.shape), r.query)))


def _to_ox(term, bnodes: dict):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        if term not in bnodes:
            bnodes[term] = ox.BlankNode()
        return bnodes[term]
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected RDF term {term!r}")


def _from_ox(term, bnodes_back: dict):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return bnodes_back.get(term.value, BNode(term.value))
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    return None


def _run_rules(graph: Graph, rules: tuple[_SparqlRule, ...]) -> list[Violation]:
    """Run the SPARQL rules on an in-memory Oxigraph copy of ``graph``.

    rdflib's SPARQL engine joins with nested loops and needed minutes for
    these queries on the sample corpus; Oxigraph needs well under a second.
    """
    bnodes: dict = {}
    store = ox.Store()
    store.extend(
        ox.Quad(_to_ox(s, bnodes), _to_ox(p, bnodes), _to_ox(o, bnodes), ox.DefaultGraph()) for s, p, o in graph
    )
    bnodes_back = {b.value: t for t, b in bnodes.items()}
    out: list[Violation] = []
    for rule in rules:
        seen: set[tuple] = set()
        for row in store.query(rule.query):
            focus = _from_ox(row["this"], bnodes_back)
            if focus is None:
                continue
            value = _from_ox(row["value"], bnodes_back) if "value" in rule.variables else None
            if value is None:
                value = focus  # SHACL: without ?value, a node shape reports the focus node
            path = _from_ox(row["path"], bnodes_back) if "path" in rule.variables else None
            key = (focus, path, value)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Violation(
                    focus=_term(focus),
                    path=_term(path) if path is not None else None,
                    message=rule.message,
                    severity=rule.severity,
                    value=_term(value),
                )
            )
    return out


def _merge_text(text: str, extra: list[Violation], total: int) -> str:
    """pySHACL's text report with the SPARQL rule results appended."""
    text = re.sub(r"^Conforms: \w+", "Conforms: False", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^Results \(\d+\):", f"Results ({total}):", text, count=1, flags=re.MULTILINE)
    if "Results (" not in text:
        text = text.rstrip("\n") + f"\nResults ({total}):\n"
    blocks = []
    for v in extra:
        block = [
            "Constraint Violation in SPARQLConstraintComponent (http://www.w3.org/ns/shacl#SPARQLConstraintComponent):",
            f"\tSeverity: sh:{v.severity}",
            f"\tFocus Node: {v.focus}",
        ]
        if v.value is not None:
            block.append(f"\tValue Node: {v.value}")
        if v.path is not None:
            block.append(f"\tResult Path: {v.path}")
        block.append(f"\tMessage: {v.message}")
        blocks.append("\n".join(block))
    return text.rstrip("\n") + "\n" + "\n".join(blocks) + "\n"


def _term(node) -> str:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def _path(results: Graph, node) -> str:
    """Render a SHACL property path from the results graph."""
    if isinstance(node, URIRef):
        return str(node)
    inv = results.value(node, SH.inversePath)
    if inv is not None:
        return "^" + _bracket(results, inv)
    for pred, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = results.value(node, pred)
        if inner is not None:
            return _bracket(results, inner) + op
    alt = results.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(_bracket(results, x) for x in Collection(results, alt)) + ")"
    if results.value(node, RDF.first) is not None:
        return "/".join(_bracket(results, x) for x in Collection(results, node))
    return _term(node)


def _bracket(results: Graph, node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else _path(results, node)


def _violations(results: Graph) -> list[Violation]:
    out: list[Violation] = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        severity = results.value(r, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        if messages:
            message = messages[0]
        else:
            shape = results.value(r, SH.sourceShape)
            message = f"Constraint {results.value(r, SH.sourceConstraintComponent)} failed (shape {shape})"
        out.append(
            Violation(
                focus=_term(focus) if focus is not None else "",
                path=_path(results, path) if path is not None else None,
                message=message,
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                value=_term(value) if value is not None else None,
            )
        )
    out.sort(key=_sort_key)
    return out


def _sort_key(v: Violation) -> tuple[str, str, str, str]:
    return (v.message, v.focus, v.path or "", v.value or "")


def _compact(s: str | None, prefixes: Iterable[tuple[str, str]]) -> str:
    if s is None:
        return "-"
    for prefix, iri in prefixes:
        if s.startswith(iri):
            return f"{prefix}:{s[len(iri):]}"
    return s


def format_report(report: ValidationReport, limit: int = 50) -> str:
    """Readable text: a count per rule (message), then up to ``limit`` examples grouped by rule."""
    # longest namespace first so egid:doc/… wins over a shorter overlapping IRI
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    n = len(report.violations)
    if report.conforms:
        head = "Conforms: yes" + (f" ({n} non-blocking results)" if n else "")
    else:
        head = f"Conforms: no — {n} result{'s' if n != 1 else ''}"
    lines = [head]
    if not n:
        return "\n".join(lines)

    groups: dict[tuple[str, str], list[Violation]] = {}
    for v in report.violations:
        groups.setdefault((v.severity, v.message), []).append(v)
    counts = Counter({k: len(vs) for k, vs in groups.items()})
    order = sorted(groups, key=lambda k: (-counts[k], k[1]))

    lines.append("")
    lines.append("By rule:")
    width = len(str(max(counts.values())))
    for key in order:
        sev, msg = key
        lines.append(f"  {counts[key]:>{width}}  [{sev}] {msg}")

    lines.append("")
    lines.append("Examples:")
    # share the limit between rules so that every rule gets an example
    per_rule = max(1, -(-limit // len(order)))
    shown = 0
    for key in order:
        if shown >= limit:
            break
        sev, msg = key
        lines.append(f"  [{sev}] {msg}")
        for v in groups[key][: min(per_rule, limit - shown)]:
            parts = [f"focus {_compact(v.focus, prefixes)}"]
            if v.path is not None:
                parts.append(f"path {_compact(v.path, prefixes)}")
            if v.value is not None and v.value != v.focus:
                parts.append(f"value {_compact(v.value, prefixes)}")
            lines.append("    - " + ", ".join(parts))
            shown += 1
    if shown < n:
        lines.append(f"  … {n - shown} more not shown (limit {limit})")
    return "\n".join(lines)

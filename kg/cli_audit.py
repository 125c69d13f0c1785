"""``kg`` commands for auditors and analysts: owners, actor, obligations, gaps, compare, stats,
and the output helpers every ``kg`` command shares (``cli.py`` imports them from here).

Thin wrappers over ``kg.audit``: parse options, call one library function,
print its rows. Exit codes: 0 ok; 1 bad input (nothing matches, ambiguous
name, unreadable store); 2 usage error.

This module never imports ``cli.py``: the library does not depend on the
command line (cli.py registers these commands, not the other way round).
"""
from __future__ import annotations

import json
import sys
from enum import Enum

import typer

FORMAT_HELP = "Output format: table, csv, tsv or json."
STORE_HELP = "Directory of the embedded graph store."
ENDPOINT_HELP = "Use a SPARQL 1.1 server at this URL instead of --store."

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def fail(message: str, code: int = EXIT_BAD_INPUT):
    """Print ``Error: message`` on stderr (one line) and end the command with ``code``."""
    if not message.isprintable():  # a name with a newline must not start a line of its own
        from kg.build import one_line

        message = one_line(message)
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def open_or_fail(store: str, endpoint: str | None, read_only: bool = True):
    """The store a command works on, or exit 1 with the reason."""
    from kg.store import StoreError, open_store

    try:
        return open_store(store, endpoint=endpoint, read_only=read_only)
    except StoreError as exc:
        fail(str(exc))


def _cell(value):
    """Table cells are plain text, never rich markup (a name may contain ``[/]``)."""
    from rich.text import Text

    return Text("" if value is None else str(value))


LEAST_WIDTH = 10  # cells a column keeps while narrower ones get their whole width (5 Chinese characters)


def column_widths(natural: list[int], budget: int, least: int = LEAST_WIDTH,
                  order: list[int] | None = None) -> list[int]:
    """Widths for columns whose widest cells are NATURAL, in BUDGET cells in all.

    Columns in ORDER (default: narrowest first) get their whole width as long as
    each later one still has LEAST cells (or its fair share), so names, numbers
    and roles stay whole and long texts (headings, quotes) take what is left
    and wrap. All of them fit when they can."""
    widths = [0] * len(natural)
    if order is None:
        order = sorted(range(len(natural)), key=lambda i: natural[i])
    remaining = budget
    for k, i in enumerate(order):
        later = len(order) - k - 1
        w = min(natural[i], max(remaining - least * later, remaining // (later + 1)))
        widths[i] = max(w, 2)  # a Chinese character needs two cells
        remaining -= widths[i]
    return widths


def _width_of(value) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in str(value).splitlines()), default=0)


def _print_table(columns: list[str], cells: list[list], title=None, narrow: list[str] | None = None,
                 group: str | None = None, console=None) -> None:
    """A rich table that fits the terminal: cells wrap (fold) instead of ending in "…".

    When the whole table is wider than the terminal, only the NARROW columns are
    shown (in the order of COLUMNS; NARROW lists them by priority: the first keep
    their whole width), and with GROUP, one table per value of that column,
    titled with it (so a long file name is not repeated in a narrow column)."""
    from rich.console import Console
    from rich.table import Column, Table

    console = console or Console()
    texts = [[_cell(v) for v in row] for row in cells]

    def natural(i: int) -> int:
        return max([_width_of(columns[i])] + [_width_of(t.plain) for t in (row[i] for row in texts)])

    def fits(idx: list[int]) -> bool:
        return sum(natural(i) for i in idx) + 3 * len(idx) + 1 <= console.width

    def readable(idx: list[int]) -> bool:  # every column keeps its width or at least 2 × LEAST_WIDTH cells
        nat = [natural(i) for i in idx]
        got = column_widths(nat, console.width - 3 * len(idx) - 1)
        return all(w >= min(n, 2 * LEAST_WIDTH) for w, n in zip(got, nat))

    idx = list(range(len(columns)))
    order = None
    groups: list[tuple[object, list]] = [(None if title is None else _cell(title), texts)]
    if narrow and not fits(idx) and not readable(idx):
        if group in columns:
            g = columns.index(group)
            groups = []
            for row in texts:
                if not groups or groups[-1][0].plain != row[g].plain:
                    groups.append((row[g], []))
                groups[-1][1].append(row)
            if title is not None:
                console.print(_cell(title), style="bold")
        idx = [i for i, c in enumerate(columns) if c in narrow and c != group]
        order = [idx.index(columns.index(c)) for c in narrow if c in columns and c != group]
    budget = console.width - 3 * len(idx) - 1
    # one set of widths for every group's table, so that they line up
    widths = [natural(i) for i in idx] if fits(idx) else column_widths([natural(i) for i in idx], budget,
                                                                        order=order)
    for name, rows in groups:
        table = Table(*[Column(columns[i], width=w, overflow="fold", no_wrap=False) for i, w in zip(idx, widths)],
                      title=name, title_justify="left" if group else "center")
        for row in rows:
            table.add_row(*[row[i] for i in idx])
        console.print(table)


def print_result(result, fmt: Fmt) -> None:
    """Print a QueryResult as a rich table, CSV, TSV or SPARQL JSON."""
    from kg.store import to_json_text

    if fmt == Fmt.json:
        typer.echo(to_json_text(result))
    elif fmt in (Fmt.csv, Fmt.tsv):
        sys.stdout.write(result.to_csv("," if fmt == Fmt.csv else "\t"))
    else:
        from rich.console import Console

        console = Console()
        if result.kind == "ask":
            console.print(str(bool(result.boolean)).lower())
            return
        if result.kind == "graph":
            _print_table(["subject", "predicate", "object"], [list(t) for t in result.triples], console=console)
        else:
            _print_table(list(result.variables), [[row[v] for v in result.variables] for row in result.values()],
                         console=console)
        console.print(f"{len(result.rows) if result.kind == 'select' else len(result.triples)} rows", style="dim")


def print_rows(rows: list[dict], columns: list[str], fmt: Fmt, title: str | None = None,
               narrow: list[str] | None = None, group: str | None = None) -> None:
    """Print plain dict rows (library results) in the chosen format.

    A table that is wider than the terminal shows the NARROW columns only (one
    table per GROUP value, titled with it), and wraps cells rather than cutting them."""
    if fmt == Fmt.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if fmt in (Fmt.csv, Fmt.tsv):
        import csv

        w = csv.writer(sys.stdout, delimiter="," if fmt == Fmt.csv else "\t", lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else str(r.get(c)).replace("\n", " ") for c in columns])
        return
    _print_table(columns, [[r.get(c) for c in columns] for r in rows], title=title, narrow=narrow, group=group)


def _fmt(value: str):
    try:
        return Fmt(value.lower())
    except ValueError:
        fail(f"unknown --format {value!r}; use table, csv, tsv or json", EXIT_USAGE)


def _run(store: str, endpoint: str | None, fn, *args, **kwargs):
    """Open the store read-only, call FN(store, …), turn library errors into exit 1."""
    from kg.audit import Ambiguous, AuditError
    from kg.store import QueryError

    st = open_or_fail(store, endpoint, read_only=True)
    try:
        return fn(st, *args, **kwargs)
    except Ambiguous as exc:
        fail(str(exc))
    except (AuditError, QueryError) as exc:
        fail(str(exc))
    finally:
        st.close()


def owners(
    text: str = typer.Argument(..., help="Text to look for in obligation headings, texts and instrument labels."),
    jurisdiction: str = typer.Option(None, "--jurisdiction", "-j", help="Only owners of this jurisdiction, e.g. 漳州市."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    store: str = typer.Option("./kg-store", "--store", help=STORE_HELP),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
):
    """Who owns the obligations about TEXT (role, jurisdiction, clause, deadline, evidence with offsets).

    Clauses about TEXT that have no owner are listed too, with an empty owner,
    and a last line says how many (on stderr for csv, tsv and json).

    Example: kg owners 排污许可 --jurisdiction 漳州市 --store ./kg-store
    """
    from kg.audit import owners as run
    from kg.build import one_line

    f = _fmt(fmt)
    rows = _run(store, endpoint, run, text, jurisdiction=jurisdiction)
    if not rows:
        fail(f"no obligation matches {text!r}" + (f" in {jurisdiction}" if jurisdiction else ""))
    cols = ["document", "clause", "heading", "owner_label", "role", "implicit", "jurisdiction", "deadline",
            "quote", "start", "end"]
    print_rows(rows, cols if f.value == "table" else list(rows[0]), f,
               narrow=["clause", "role", "implicit", "owner_label", "heading"], group="document")
    unowned = sum(r["owner"] is None for r in rows)
    if unowned:  # never silent: an empty owner is a finding, not a gap in the output
        one = unowned == 1
        typer.echo(f"{unowned} clause{'' if one else 's'} name{'s' if one else ''} {one_line(text.strip())} "
                   f"but {'has' if one else 'have'} no owner" + (f" (in documents of {one_line(jurisdiction)})"
                                                                  if jurisdiction else ""),
                   err=f.value != "table")


def actor(
    name: str = typer.Argument(..., help="A body's full name (漳州市生态环境局), short name or alternative label."),
    jurisdiction: str = typer.Option(None, "--jurisdiction", "-j", help="Pick the body of this jurisdiction."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    store: str = typer.Option("./kg-store", "--store", help=STORE_HELP),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
):
    """Profile of a body: obligations it leads, supports or is responsible for, its reporting chain
    up and down, whom it regulates, instruments it administers and documents it appears in.

    Example: kg actor 生态环境局 --jurisdiction 漳州市 --store ./kg-store
    """
    from kg.audit import actor as run
    from kg.audit import profile_rows

    f = _fmt(fmt)
    profile = _run(store, endpoint, run, name, jurisdiction=jurisdiction)
    if f.value == "json":
        typer.echo(json.dumps(profile, ensure_ascii=False, indent=1))
        return
    print_rows(profile_rows(profile), ["section", "item", "detail"], f, title=profile["body"]["label"])


def obligations(
    actor: str = typer.Option(None, "--actor", help="An owner's full name, short name or alternative label."),
    jurisdiction: str = typer.Option(None, "--jurisdiction", help="An owner's jurisdiction, e.g. 漳州市."),
    role: str = typer.Option(None, "--role", help="lead, support or responsible (牵头, 配合, 负责)."),
    instrument: str = typer.Option(None, "--instrument", help="A label of an instrument the obligation uses."),
    doc: str = typer.Option(None, "--doc", help="Document: file name, prefix (001), 文号 or title."),
    deadline_before: str = typer.Option(None, "--deadline-before", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    store: str = typer.Option("./kg-store", "--store", help=STORE_HELP),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
):
    """List obligations with their owners and instruments, filtered.

    Example: kg obligations --actor 漳州市生态环境局 --role responsible --format csv
    """
    from kg.audit import obligations as run

    f = _fmt(fmt)
    rows = _run(store, endpoint, run, actor=actor, jurisdiction=jurisdiction, role=role, instrument=instrument,
                doc=doc, deadline_before=deadline_before)
    if not rows:
        fail("no obligation matches these filters")
    cols = ["document", "clause", "heading", "deadline", "owners", "instruments"]
    print_rows(rows, cols if f.value == "table" else list(rows[0]), f,
               narrow=["clause", "owners", "heading", "instruments"], group="document")


def gaps(
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    store: str = typer.Option("./kg-store", "--store", help=STORE_HELP),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
):
    """Accountability gaps: obligations nobody owns, and obligations whose only owners are implicit.

    Example: kg gaps --format csv --store ./kg-store
    """
    from kg.audit import gaps as run

    f = _fmt(fmt)
    rows = _run(store, endpoint, run)
    cols = ["gap", "document", "clause", "heading", "implicit_owners", "excerpt"]
    print_rows(rows, cols if f.value == "table" or not rows else list(rows[0]), f,
               narrow=["gap", "clause", "implicit_owners", "heading"], group="document")


def compare(
    doc_a: str = typer.Argument(..., help="A document (file name, prefix such as 000, 文号 or title)."),
    doc_b: str = typer.Argument(..., help="Another document; the one that implements the other is the lower."),
    threshold: float = typer.Option(0.5, "--threshold", min=0.0, max=1.0, help="Heading similarity to match."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    store: str = typer.Option("./kg-store", "--store", help=STORE_HELP),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
):
    """How a lower-level document carries out a higher one: clauses matched by heading, instruments
    and owner bodies kept, added or dropped.

    Example: kg compare 000 004 --store ./kg-store
    """
    from kg.audit import compare as run

    f = _fmt(fmt)
    rows = _run(store, endpoint, run, doc_a, doc_b, threshold=threshold)
    title = f"{rows[0]['higher_doc']} → {rows[0]['lower_doc']}" if rows else None
    print_rows(rows, ["aspect", "status", "higher", "lower", "score"] if f.value == "table"
               else ["aspect", "status", "higher", "lower", "score", "higher_doc", "lower_doc"], f, title=title)


def stats(
    top: int = typer.Option(10, "--top", min=1, help="How many bodies to rank."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    store: str = typer.Option("./kg-store", "--store", help=STORE_HELP),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
):
    """Counts by class, top bodies by obligations carried, betweenness in the co-responsibility
    network, and the reporting hierarchy (json gives it as a nested tree).

    Example: kg stats --format json --store ./kg-store
    """
    from kg.audit import stats as run

    f = _fmt(fmt)
    data = _run(store, endpoint, run, top=top)
    if f.value == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    rows = [{"section": "count", "item": c["class"], "value": c["count"], "detail": ""} for c in data["counts"]]
    rows += [{"section": "top_bodies", "item": b["body"], "value": b["obligations"], "detail": b["jurisdiction"]}
             for b in data["top_bodies"]]
    rows += [{"section": "betweenness", "item": b["body"], "value": b["betweenness"],
              "detail": f"degree {b['degree']}"} for b in data["betweenness"]]

    def walk(tree: dict, depth: int):
        for k in tree:
            rows.append({"section": "hierarchy", "item": "  " * depth + k, "value": depth, "detail": ""})
            walk(tree[k], depth + 1)

    walk(data["hierarchy"], 0)
    print_rows(rows, ["section", "item", "value", "detail"], f)

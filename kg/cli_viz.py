"""``kg viz``: the interactive graph page (registered in cli.py).

Exit codes: 0 ok; 1 bad input (nothing matches, an ambiguous --actor, an
output file that cannot be written, an unreadable store); 2 usage error.
"""
from __future__ import annotations

import os
from pathlib import Path

import typer

from kg.cli_audit import EXIT_BAD_INPUT, EXIT_USAGE, fail, open_or_fail


def _fail_listing(message: str, items: list[str]):
    """``Error: message`` on stderr, then one indented line per item; exit 1 (as :func:`kg.cli_audit.fail`)."""
    from kg.build import one_line

    typer.echo(f"Error: {one_line(message)}", err=True)
    for item in items:
        typer.echo(f"  {one_line(item)}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _writable(output: Path) -> str | None:
    """Why OUTPUT cannot be written, or None (checked before the network is read)."""
    parent = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        return f"cannot write {output}: it is a directory; give a file name such as {output / 'graph.html'}"
    if not parent.exists():
        return f"cannot write {output}: the folder {parent} does not exist"
    if not parent.is_dir():
        return f"cannot write {output}: {parent} is not a folder"
    if not os.access(parent, os.W_OK | os.X_OK) or (output.exists() and not os.access(output, os.W_OK)):
        return f"cannot write {output}: permission denied"
    return None


def viz(
    output: Path = typer.Option("graph.html", "-o", "--output", help="HTML file to write."),
    open_: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
    actor: str = typer.Option(None, "--actor", help="Ego network around the body with this name or IRI "
                                                    "(an ambiguous name lists the candidates)."),
    instrument: str = typer.Option(None, "--instrument", help="The clauses that use this instrument and the "
                                                              "bodies that own them."),
    doc: str = typer.Option(None, "--doc", help="Only what this document says (file name, id or title)."),
    depth: int = typer.Option(1, "--depth", help="Hops around --actor/--instrument."),
    relations: str = typer.Option(None, "--relations",
                                  help="Comma list of relations to keep, e.g. lead,support,reportsTo."),
    jurisdiction: str = typer.Option(None, "--jurisdiction", help="Only nodes of this jurisdiction (name); "
                                                                  "also picks among --actor candidates."),
    view: str = typer.Option("all", "--view", help="all | bodies (bodies only: who works with whom, "
                                                   "by shared obligations, lead→support, reportsTo, regulates)."),
    layout: str = typer.Option("auto", "--layout", help="auto | physics | precomputed."),
    store: str = typer.Option("./kg-store", "--store", help="Directory of the embedded graph store."),
    endpoint: str = typer.Option(None, "--endpoint", help="Use a SPARQL 1.1 server at this URL instead of --store."),
):
    """Write one self-contained, offline HTML page showing the actor network.

    Example: kg viz --store ./kg-store -o graph.html --actor 漳州市生态环境局 --depth 2
    """
    from kg.audit import Ambiguous
    from kg.network import VIEWS, body_network
    from kg.viz import render_html

    if layout not in ("auto", "physics", "precomputed"):
        fail(f"unknown --layout {layout!r}: auto, physics or precomputed", EXIT_USAGE)
    if view not in VIEWS:
        fail(f"unknown --view {view!r}: {' or '.join(VIEWS)}", EXIT_USAGE)
    why = _writable(output)
    if why:
        fail(why)
    st = open_or_fail(store, endpoint)
    try:
        G = body_network(st, doc=doc, jurisdiction=jurisdiction, relations=relations, actor=actor,
                         instrument=instrument, depth=depth, view=view)
    except Ambiguous as exc:
        _fail_listing(f"{actor!r} matches {len(exc.candidates)} bodies; give one of these names, "
                      "or add --jurisdiction:", [f"{c['label']} ({c['jurisdiction']})" for c in exc.candidates])
    except ValueError as exc:
        fail(str(exc))
    finally:
        st.close()
    what = actor or instrument or doc
    title = "envgov-kg " + ("机构关系图" if view == "bodies" else "网络图") + (f" — {what}" if what else "")
    page = render_html(G, layout=layout, title=title)
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    typer.echo(f"wrote {output} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    if open_:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())

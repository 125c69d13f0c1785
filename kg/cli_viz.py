"""``kg viz``: the interactive graph page (registered in cli.py)."""
from __future__ import annotations

from pathlib import Path

import typer


def viz(
    output: Path = typer.Option("graph.html", "-o", "--output", help="HTML file to write."),
    open_: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
    actor: str = typer.Option(None, "--actor", help="Ego network around the bodies matching this name or IRI."),
    instrument: str = typer.Option(None, "--instrument", help="Ego network around this instrument."),
    doc: str = typer.Option(None, "--doc", help="Only what this document says (file name, id or title)."),
    depth: int = typer.Option(1, "--depth", help="Hops around --actor/--instrument."),
    relations: str = typer.Option(None, "--relations",
                                  help="Comma list of relations to keep, e.g. lead,support,reportsTo."),
    jurisdiction: str = typer.Option(None, "--jurisdiction", help="Only nodes of this jurisdiction (name)."),
    layout: str = typer.Option("auto", "--layout", help="auto | physics | precomputed."),
    store: str = typer.Option("./kg-store", "--store", help="Directory of the embedded graph store."),
    endpoint: str = typer.Option(None, "--endpoint", help="Use a SPARQL 1.1 server at this URL instead of --store."),
):
    """Write one self-contained, offline HTML page showing the actor network.

    Example: kg viz --store ./kg-store -o graph.html --actor 生态环境局 --depth 2
    """
    from kg.network import body_network
    from kg.store import StoreError, open_store
    from kg.viz import render_html

    def fail(message: str, code: int = 1):
        typer.echo(f"Error: {message}", err=True)
        raise typer.Exit(code)

    if layout not in ("auto", "physics", "precomputed"):
        fail(f"unknown --layout {layout!r}: auto, physics or precomputed", 2)
    try:
        st = open_store(store, endpoint=endpoint, read_only=True)
    except StoreError as exc:
        fail(str(exc))
    try:
        G = body_network(st, doc=doc, jurisdiction=jurisdiction, relations=relations, actor=actor,
                         instrument=instrument, depth=depth)
    except ValueError as exc:
        fail(str(exc))
    finally:
        st.close()
    title = "envgov-kg 网络图" + (f" — {actor or instrument or doc}" if (actor or instrument or doc) else "")
    output.write_text(render_html(G, layout=layout, title=title), encoding="utf-8")
    typer.echo(f"wrote {output} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    if open_:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())

"""The ``kg`` command: thin wrappers that parse options, call one library
function and format its result.

Exit codes: 0 ok; 1 bad input (unreadable file, SPARQL error, graph does not
conform); 2 usage error; 3 built, but some inputs were skipped.
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from kg.cli_audit import EXIT_BAD_INPUT, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, Fmt, fail, print_result, print_rows  # noqa: F401
from kg.cli_audit import open_or_fail as _open

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build and query a knowledge graph of Chinese environmental-governance policy documents.")

StoreOpt = typer.Option("./kg-store", "--store", help="Directory of the embedded graph store.")
EndpointOpt = typer.Option(None, "--endpoint", help="Use a SPARQL 1.1 server at this URL instead of --store.")


@app.command()
def build(
    inputs: list[Path] = typer.Argument(None, help="Files or directories; default: the bundled sample corpus."),
    store: str = StoreOpt,
    endpoint: str = EndpointOpt,
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Extract with this many processes."),
    glob: str = typer.Option(None, "--glob", help="Only files matching this pattern, e.g. '*.txt'."),
    force: bool = typer.Option(False, "--force", help="Rebuild documents even when unchanged."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) if any input is skipped."),
    fast: bool = typer.Option(False, "--fast", help="Skip the spaCy stage that lists bodies merely mentioned in "
                              "clauses (about twice as fast; owners, relations and instruments are the same)."),
):
    """Build the graph of policy documents into a store.

    Example: kg build corpus/ --store ./kg-store
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kg.build import SAMPLE_CORPUS, display_name, one_line
    from kg.build import build as run_build

    console = Console(stderr=True)
    paths = inputs or [SAMPLE_CORPUS]
    st = _open(store, endpoint, read_only=False)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console,
                      transient=True) as bar:
            task = bar.add_task("extracting", total=None)

            def progress(doc_id: str, done: int, total: int):
                bar.update(task, total=total, completed=done,
                           description=f"extracting {escape(display_name(doc_id)[:30])}")

            report = run_build(paths, st, jobs=jobs, glob=glob, force=force, progress=progress, mentions=not fast)
        n_triples = len(st)
    finally:
        st.close()
    for s in report.skipped:  # one plain line each, never wrapped; odd names quoted (a newline cannot forge a line)
        typer.echo(f"skipped: {display_name(s.path)}: {one_line(s.reason)}", err=True)
    ignored = report.ignored.summary()  # one line for a folder's other files, never one line each
    typer.echo(
        f"documents: {len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.skipped)} skipped\n"
        + (f"ignored: {one_line(ignored)}\n" if ignored else "")
        + f"obligations: {report.obligations}\nowner links: {report.owners}\nbodies in store: {report.bodies}\n"
        f"instruments: {report.instruments}\ntriples in store: {n_triples}\nseconds: {report.seconds:.2f}"
    )
    if report.skipped and (strict or not report.built and not report.unchanged):
        raise typer.Exit(EXIT_BAD_INPUT)
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def remove(doc: str = typer.Argument(..., help="Document file name as built, e.g. 001_x.txt"),
           store: str = StoreOpt, endpoint: str = EndpointOpt):
    """Remove one document's graph from the store.

    Example: kg remove 002_e2154617fca44299.txt
    """
    from kg.build import display_name, remove_document
    from kg.store import QueryError

    st = _open(store, endpoint, read_only=False)
    try:
        removed = remove_document(st, doc)
    except (QueryError, ValueError) as exc:
        fail(f"cannot remove {doc!r}: {exc}")
    finally:
        st.close()
    if not removed:
        fail(f"no document {doc!r} in the store; `kg query --name documents` lists them")
    typer.echo(f"removed {display_name(doc)}")


@app.command()
def query(
    sparql: str = typer.Argument(None, help="A SPARQL query, or @file.rq. Common prefixes are predeclared."),
    name: str = typer.Option(None, "--name", "-n", help="Run a named query from queries/."),
    param: list[str] = typer.Option(None, "--param", "-p", help="key=value for a named query's parameter."),
    list_: bool = typer.Option(False, "--list", help="List the named queries."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f"),
    store: str = StoreOpt,
    endpoint: str = EndpointOpt,
    update: bool = typer.Option(False, "--update", help="Allow a SPARQL UPDATE."),
    timeout: float = typer.Option(None, "--timeout", min=0, help="Stop the query after this many seconds; 0: no limit."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Allow SERVICE (federated queries), which send requests to the URLs "
                                            "they name. Refused by default."),
):
    """Run SPARQL over the store.

    Example: kg query 'SELECT ?b WHERE { ?o egov:leadBy ?b }' --format csv
    """
    from kg.queries import QueryLibraryError, bindings_from_params, list_queries, load_query
    from kg.store import QueryError, check_query, is_update

    if list_:
        rows = [{"name": q.name, "title": q.title, "parameters": ", ".join(q.parameters)} for q in list_queries()]
        print_rows(rows, ["name", "title", "parameters"], fmt)
        return
    bindings = None
    try:
        if name:
            q = load_query(name)
            sparql = q.text
            bindings = bindings_from_params(q, param or [])
        elif sparql and sparql.startswith("@"):
            raw = Path(sparql[1:]).read_bytes()
            try:
                sparql = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                fail(f"{sparql[1:]!r} is not UTF-8 text; a query file holds a SPARQL query in UTF-8")
    except (QueryLibraryError, OSError) as exc:
        fail(str(exc), EXIT_USAGE)
    if not sparql:
        fail("give a query, --name NAME or --list", EXIT_USAGE)
    st = _open(store, endpoint, read_only=not update)
    try:
        if is_update(sparql):
            if not update:
                fail("this is a SPARQL UPDATE; the store is read-only unless you pass --update")
            check_query(sparql, allow_service)  # INSERT … WHERE { SERVICE … } would send requests too
            st.update(sparql)
            typer.echo("update done")
            return
        if fmt != Fmt.table and hasattr(st, "stream"):
            # large results stream to stdout instead of filling memory
            if st.stream(sparql, fmt.value, sys.stdout.buffer, bindings=bindings, timeout=timeout or None,
                         allow_service=allow_service):
                sys.stdout.buffer.flush()
                return
        result = st.query(sparql, bindings=bindings, timeout=timeout or None, allow_service=allow_service)
    except QueryError as exc:
        fail(str(exc))
    finally:
        st.close()
    print_result(result, fmt)


class ExportFmt(str, Enum):
    json = "json"
    ttl = "ttl"
    trig = "trig"
    nq = "nq"
    jsonld = "jsonld"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


@app.command()
def export(
    fmt: ExportFmt = typer.Option(ExportFmt.json, "--format", "-f"),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (CSV: a directory); default stdout."),
    store: str = StoreOpt,
    endpoint: str = EndpointOpt,
    ontology: bool = typer.Option(False, "--with-ontology", help="Include the ontology graph in RDF exports."),
    view: str = typer.Option("all", "--view", help="Networks (graphml, gexf, csv): all | bodies (bodies only, "
                             "linked by co-ownership, lead→support, reportsTo, regulates, as kg viz --view bodies)."),
):
    """Export the graph: JSON summary, RDF (ttl, trig, nq, jsonld), or networks (graphml, gexf, csv).

    Example: kg export --format json -o graph.json
    """
    from kg.network import VIEWS

    if view not in VIEWS:
        fail(f"unknown --view {view!r}: {' or '.join(VIEWS)}", EXIT_USAGE)
    st = _open(store, endpoint)
    try:
        if fmt == ExportFmt.json:
            from kg.export import export_json_text

            data = export_json_text(st).encode("utf-8")
        elif fmt in (ExportFmt.graphml, ExportFmt.gexf, ExportFmt.csv):
            from kg.network import export_network

            if fmt == ExportFmt.csv and output is None:
                fail("--format csv writes nodes.csv and edges.csv: give a directory with -o", EXIT_USAGE)
            data = export_network(st, fmt.value, output if fmt == ExportFmt.csv else None, view=view)
            if fmt == ExportFmt.csv:
                typer.echo(f"wrote {output}/nodes.csv and {output}/edges.csv", err=True)
                return
        else:
            from kg.export import export_rdf

            data = export_rdf(st, fmt.value, include_ontology=ontology)
    finally:
        st.close()
    if output:
        output.write_bytes(data)
        typer.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def validate(store: str = StoreOpt, endpoint: str = EndpointOpt,
             limit: int = typer.Option(50, help="Show at most this many violations.")):
    """Check the stored graph against the SHACL shapes (exit 1 if it does not conform).

    Example: kg validate --store ./kg-store
    """
    from kg.export import as_dataset
    from kg.validate import format_report
    from kg.validate import validate as run_validate

    st = _open(store, endpoint)
    try:
        ds = as_dataset(st)
    finally:
        st.close()
    report = run_validate(ds)
    typer.echo(format_report(report, limit=limit))
    if not report.conforms:
        raise typer.Exit(EXIT_BAD_INPUT)


from kg.cli_serve import serve as _serve  # noqa: E402

app.command(name="serve")(_serve)


from kg.cli_viz import viz as _viz  # noqa: E402
app.command(name="viz")(_viz)


from kg.cli_audit import owners as _owners  # noqa: E402
app.command(name="owners")(_owners)
from kg.cli_audit import actor as _actor  # noqa: E402
app.command(name="actor")(_actor)
from kg.cli_audit import obligations as _obligations  # noqa: E402
app.command(name="obligations")(_obligations)
from kg.cli_audit import gaps as _gaps  # noqa: E402
app.command(name="gaps")(_gaps)
from kg.cli_audit import compare as _compare  # noqa: E402
app.command(name="compare")(_compare)
from kg.cli_audit import stats as _stats  # noqa: E402
app.command(name="stats")(_stats)


@app.command()
def instruments(
    candidates: bool = typer.Option(False, "--candidates", help="Candidate instruments not yet in the scheme."),
    limit: int = typer.Option(None, "--limit", help="Show at most this many."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f"),
    store: str = StoreOpt,
    endpoint: str = EndpointOpt,
):
    """Instruments in use with counts; --candidates lists novel ones for a curator to promote.

    Example: kg instruments --candidates --format csv
    """
    from kg.instrument_report import instrument_usage

    st = _open(store, endpoint)
    try:
        rows = instrument_usage(st, candidates=candidates, limit=limit)
    finally:
        st.close()
    print_rows(rows, ["instrument", "obligations", "documents", "administered_by", "example"], fmt,
               title="candidate instruments" if candidates else "instruments")


def main():  # console-script entry point
    app()


if __name__ == "__main__":
    main()

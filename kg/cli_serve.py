"""``kg serve``: a read-only SPARQL endpoint and query page over the embedded store."""
from __future__ import annotations

import sys

import typer


def serve(
    store: str = typer.Option("./kg-store", "--store", help="Directory of the embedded graph store."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to bind. Other than loopback, requests from other hosts are answered."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port (0: any free port)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0,
                                  help="Stop a query (its evaluation too) after this many seconds; 0: no limit."),
    memory: int = typer.Option(1024, "--memory", min=0,
                               help="Memory ceiling per query in MiB (503 above it); 0: no ceiling."),
    workers: int = typer.Option(None, "--workers", min=1,
                                help="Query worker processes (queries evaluated at once); default: CPUs, at most 8."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Allow SERVICE (federated queries): the server then sends requests "
                                            "to any URL a query names. Refused (400) by default."),
    read_timeout: float = typer.Option(10.0, "--read-timeout", min=0.1,
                                       help="Seconds a client has to send its whole request (and to take each "
                                            "256 KiB of an answer) before it is cut off."),
    cors: list[str] = typer.Option(None, "--cors", metavar="ORIGIN",
                                   help="Let pages from ORIGIN (scheme://host[:port], e.g. https://yasgui.triply.cc) "
                                        "query /sparql from a browser: CORS headers for that origin only. "
                                        "Repeat for several; '*' for any page. Default: none."),
    get: str = typer.Option(None, "--get",
                            help="Answer one request path, e.g. '/sparql?query=...', print it and exit (no socket)"),
    accept: str = typer.Option(None, "--accept", help="With --get: the Accept header to send."),
):
    """Serve the graph read-only over the SPARQL 1.1 Protocol at /sparql, with a query page at /.

    Example: kg serve --store ./kg-store --port 8000
    """
    from kg.serve import SparqlApp, normalize_origin, serve as run_serve
    from kg.store import StoreError

    origins: list[str] = []
    for value in cors or []:
        for origin in value.split(","):
            try:
                origins.append(normalize_origin(origin))
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--cors") from None
    try:
        if get is not None:
            app = SparqlApp(store, timeout=timeout, workers=1, memory_mb=memory, allow_service=allow_service,
                            cors=origins)
            try:
                status, headers, body = app.handle_path(get if get.startswith("/") else "/" + get, accept=accept)
            finally:
                app.close()
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
            if not status.startswith("2"):
                typer.echo(f"HTTP {status}", err=True)
                raise typer.Exit(1)
            return

        def ready(url: str, app) -> None:
            bound = host if host in ("127.0.0.1", "localhost", "::1") else f"{host}; other hosts are answered"
            typer.echo(f"Serving SPARQL at {url} (read-only, bound to {bound})")
            typer.echo(f"Limits: {app.limits()}")
            if origins:
                typer.echo("CORS: pages from " + ", ".join(origins) + " may query /sparql")
            typer.echo("Query page at " + url[: -len("/sparql")] + "/ ; press Ctrl-C to stop.")

        run_serve(store, host, port, timeout=timeout, ready=ready, workers=workers, memory_mb=memory,
                  allow_service=allow_service, read_timeout=read_timeout, cors=origins)
    except StoreError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"Error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None

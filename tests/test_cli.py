"""The kg command end to end on real stores: exit codes and output."""
import json

from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_build_is_idempotent(tmp_path):
    store = str(tmp_path / "st")
    first = runner.invoke(app, ["build", "--store", store])
    assert first.exit_code == 0, first.output
    assert "documents: 5 built, 0 unchanged, 0 skipped" in first.output
    a = runner.invoke(app, ["export", "--store", store, "--format", "nq"]).stdout_bytes
    second = runner.invoke(app, ["build", "--store", store])
    assert "0 built, 5 unchanged" in second.output
    forced = runner.invoke(app, ["build", "--store", store, "--force"])
    assert "5 built" in forced.output
    b = runner.invoke(app, ["export", "--store", store, "--format", "nq"]).stdout_bytes
    assert sorted(a.splitlines()) == sorted(b.splitlines())


def test_remove_and_readd(tmp_path):
    store = str(tmp_path / "st")
    runner.invoke(app, ["build", "--store", store])
    r = runner.invoke(app, ["remove", "002_e2154617fca44299.txt", "--store", store])
    assert r.exit_code == 0 and "removed" in r.output
    q = runner.invoke(app, ["query", "--store", store, "--format", "csv",
                            "SELECT (COUNT(?d) AS ?n) WHERE { ?d a egov:PolicyDocument }"])
    assert q.output.splitlines()[-1] == "4"
    r = runner.invoke(app, ["remove", "nope.txt", "--store", store])
    assert r.exit_code == 1 and "Error: no document 'nope.txt'" in r.output


def test_query_formats_and_errors(sample_store_path):
    store = str(sample_store_path)
    q = "SELECT ?name WHERE { ?d egov:sourceFile ?name } ORDER BY ?name"
    csv_out = runner.invoke(app, ["query", q, "--store", store, "--format", "csv"])
    assert csv_out.exit_code == 0
    assert csv_out.output.splitlines() == ["name", "000_53a58f5cc7cc4c84.txt", "001_2b16a58583755083.txt",
                                           "002_e2154617fca44299.txt", "003_b1d43e737547c5e4.txt", "004_5826063d369361f3.txt"]
    js = json.loads(runner.invoke(app, ["query", q, "--store", store, "--format", "json"]).output)
    assert len(js["results"]["bindings"]) == 5
    bad = runner.invoke(app, ["query", "SELECT ?x WHERE { ?x ?y }", "--store", store])
    assert bad.exit_code == 1
    assert "SPARQL syntax error at line 1, column" in bad.output
    upd = runner.invoke(app, ["query", "DELETE WHERE { ?s ?p ?o }", "--store", store])
    assert upd.exit_code == 1 and "read-only unless you pass --update" in upd.output


def test_export_json_has_evidence_in_source(sample_store_path):
    from pathlib import Path

    r = runner.invoke(app, ["export", "--store", str(sample_store_path), "--format", "json"])
    data = json.loads(r.stdout)
    assert len(data["documents"]) == 5 and len(data["obligations"]) == 163
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    originals = {p.name: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}
    import opencc

    t2s = opencc.OpenCC("t2s").convert
    n = 0
    for ob in data["obligations"]:
        for owner in ob["owners"]:
            ev = owner["evidence"]
            span = originals[ob["doc"]][ev["start"]:ev["end"]]
            # the quote is the span of the original, converted and with breaks repaired
            assert ev["quote"].replace("\n", "")[:10] in t2s(span).replace("\n", "").replace(" ", "") or \
                ev["quote"][:5] in t2s(span)
            n += 1
    assert n > 400


def test_rdf_exports_parse(sample_store_path, tmp_path):
    import rdflib

    for fmt, parser in (("ttl", "turtle"), ("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")):
        out = tmp_path / f"g.{fmt}"
        r = runner.invoke(app, ["export", "--store", str(sample_store_path), "--format", fmt, "-o", str(out)])
        assert r.exit_code == 0, r.output
        g = rdflib.Dataset() if fmt in ("trig", "nq", "jsonld") else rdflib.Graph()
        g.parse(out, format=parser)
        assert len(g) > 1000 or sum(1 for _ in g.quads()) > 1000


def test_bad_inputs_are_skipped_with_reasons(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (docs / "gbk.txt").write_bytes("某市实施方案\n一、任务\n（一）落实排污许可。加强监管。（市生态环境局负责）\n".encode("gbk"))
    r = runner.invoke(app, ["build", str(docs), "--store", str(tmp_path / "st")])
    assert r.exit_code == 3
    assert "empty.txt: is empty" in r.output
    assert "binary.txt: is a binary file, not text" in r.output
    assert "1 built" in r.output
    strict = runner.invoke(app, ["build", str(docs), "--store", str(tmp_path / "st2"), "--strict"])
    assert strict.exit_code == 1


def test_validate_sample(sample_store_path):
    r = runner.invoke(app, ["validate", "--store", str(sample_store_path)])
    assert r.exit_code == 0, r.output[-2000:]


def test_runaway_query_stops_at_timeout(sample_store_path):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g1 { ?a ?b ?c } GRAPH ?g2 { ?d ?e ?f } GRAPH ?g3 { ?x ?y ?z } }"
    r = runner.invoke(app, ["query", heavy, "--store", str(sample_store_path), "--format", "csv", "--timeout", "0.5"])
    assert r.exit_code == 1
    assert "Error: query stopped after the 0.5 s timeout" in r.output


def test_large_results_stream(sample_store_path):
    r = runner.invoke(app, ["query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--store", str(sample_store_path), "--format", "tsv"])
    assert r.exit_code == 0
    lines = r.stdout_bytes.splitlines()
    assert lines[0] == b"?s\t?p\t?o"  # W3C SPARQL TSV, written as it is produced
    assert len(lines) > 20000


def test_a_new_extractor_rebuilds_unchanged_files(tmp_path, monkeypatch):
    import extract.pipeline

    store = str(tmp_path / "st")
    assert "5 built" in runner.invoke(app, ["build", "--store", store]).output
    assert "0 built, 5 unchanged" in runner.invoke(app, ["build", "--store", store]).output
    monkeypatch.setattr(extract.pipeline, "extractor_version", lambda: "a-newer-extractor")
    assert "5 built, 0 unchanged" in runner.invoke(app, ["build", "--store", store]).output


def _one_line_error(r, code: int) -> str:
    """The command ended with exit CODE and one `Error: …` line, no traceback."""
    assert r.exit_code == code, (r.exit_code, r.output)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    err = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("Error: "), err
    return err[0]


def test_query_from_a_binary_file_is_a_one_line_error(sample_store_path, tmp_path):
    binary = tmp_path / "q.rq"
    binary.write_bytes(bytes(range(256)) * 4)
    r = runner.invoke(app, ["query", f"@{binary}", "--store", str(sample_store_path)])
    assert "UTF-8" in _one_line_error(r, 1)
    r = runner.invoke(app, ["query", f"@{tmp_path / 'missing.rq'}", "--store", str(sample_store_path)])
    _one_line_error(r, 2)


def test_failed_update_is_a_one_line_error(tmp_path):
    store = str(tmp_path / "st")
    assert runner.invoke(app, ["build", "--store", store]).exit_code == 0
    r = runner.invoke(app, ["query", "--update", "DROP GRAPH <urn:none>", "--store", store])
    assert "urn:none" in _one_line_error(r, 1)
    r = runner.invoke(app, ["query", "--update", "DROP SILENT GRAPH <urn:none>", "--store", store])
    assert r.exit_code == 0, r.output


def test_remove_of_a_name_with_brackets_is_a_one_line_error(sample_store_path, tmp_path):
    store = str(tmp_path / "st")
    assert runner.invoke(app, ["build", "--store", store]).exit_code == 0
    r = runner.invoke(app, ["remove", "a[1].txt", "--store", store])
    assert "no document 'a[1].txt'" in _one_line_error(r, 1)


def test_table_output_shows_brackets_as_text(sample_store_path):
    """Values are never read as rich markup (`[/]` would end the command)."""
    r = runner.invoke(app, ["query", 'SELECT ("[/] [bold]x" AS ?v) WHERE {}', "--store", str(sample_store_path)])
    assert r.exit_code == 0, r.output
    assert "[/] [bold]x" in r.output


def test_export_bodies_view_for_gephi(sample_store_path, tmp_path):
    """kg export --view bodies: the bodies view of kg viz, as GEXF (issue 11)."""
    import networkx as nx

    out = tmp_path / "bodies.gexf"
    r = runner.invoke(app, ["export", "--store", str(sample_store_path), "--format", "gexf", "--view", "bodies",
                            "-o", str(out)])
    assert r.exit_code == 0, r.output
    G = nx.read_gexf(out)
    assert G.number_of_nodes() > 100 and {d.get("kind") for _, d in G.nodes(data=True)} == {"body"}
    bad = runner.invoke(app, ["export", "--store", str(sample_store_path), "--format", "gexf", "--view", "nope"])
    assert bad.exit_code == 2 and "unknown --view" in bad.output

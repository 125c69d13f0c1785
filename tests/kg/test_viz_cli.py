"""``kg viz`` on the command line: exit codes and exact messages (issue 11 items 4, 5, 8).

The command is registered on an app of our own, so these tests never load cli.py.
"""
from __future__ import annotations

import typer
from typer.testing import CliRunner

from kg.cli_viz import viz
from kg.network import body_network

app = typer.Typer()
app.command(name="viz")(viz)
app.command(name="noop")(lambda: None)  # two commands: typer keeps "viz" as a subcommand
runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["viz", *args])


def assert_wrote(r, out, G):
    """The command succeeded and reported the page it wrote with G's counts."""
    assert r.exit_code == 0, r.output
    assert r.stdout == f"wrote {out} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)\n"


def test_issue11_ambiguous_actor_lists_candidates(sample_store_path, tmp_path):
    out = tmp_path / "eco.html"
    r = run("--store", str(sample_store_path), "--actor", "生态环境局", "-o", str(out))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        "Error: '生态环境局' matches 2 bodies; give one of these names, or add --jurisdiction:",
        "  伊犁哈萨克自治州生态环境局 (伊犁哈萨克自治州)",
        "  漳州市生态环境局 (漳州市)",
    ]
    assert not out.exists()
    # a jurisdiction picks one; the full name is one
    r = run("--store", str(sample_store_path), "--actor", "生态环境局", "--jurisdiction", "漳州", "-o", str(out))
    assert r.exit_code == 0, r.output
    r2 = run("--store", str(sample_store_path), "--actor", "漳州市生态环境局", "-o", str(tmp_path / "b.html"))
    assert r2.exit_code == 0 and r2.stdout.split("(")[1] == r.stdout.split("(")[1]


def test_issue11_unwritable_output_is_one_error_line(sample_store_path, tmp_path):
    store = str(sample_store_path)
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        ("/nonexistent/dir/x.html", "Error: cannot write /nonexistent/dir/x.html: the folder /nonexistent/dir does not exist"),
        (f"{a_file}/x.html", f"Error: cannot write {a_file}/x.html: {a_file} is not a folder"),
        (str(tmp_path), f"Error: cannot write {tmp_path}: it is a directory; give a file name such as {tmp_path}/graph.html"),
    ]
    for target, message in cases:
        r = run("--store", store, "-o", target)
        assert r.exit_code == 1, (target, r.output)
        assert r.stderr.splitlines() == [message]
        assert r.exception is None or isinstance(r.exception, SystemExit)


def test_issue11_bodies_view_command(sample_store, sample_store_path, tmp_path):
    B = body_network(sample_store, view="bodies")
    out = tmp_path / "bodies.html"
    assert_wrote(run("--store", str(sample_store_path), "--view", "bodies", "-o", str(out)), out, B)
    page = out.read_text(encoding="utf-8")
    assert "机构关系图" in page and '"view":"bodies"' in page
    r = run("--store", str(sample_store_path), "--view", "nonsense", "-o", str(out))
    assert r.exit_code == 2 and r.stderr == "Error: unknown --view 'nonsense': all or bodies\n"
    r = run("--store", str(sample_store_path), "--view", "bodies", "--instrument", "排污许可", "-o", str(out))
    assert r.exit_code == 1
    assert r.stderr == "Error: the bodies view has no instruments: use --actor, or the default view\n"


def test_issue11_instrument_command(sample_store, sample_store_path, tmp_path):
    G = body_network(sample_store, instrument="排污许可")
    out = tmp_path / "inst.html"
    assert_wrote(run("--store", str(sample_store_path), "--instrument", "排污许可", "-o", str(out)), out, G)

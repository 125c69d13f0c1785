"""Issue 11: what `kg build` walks, the one count of bodies, owners without an
owner, tables at 80 columns, and what `make test` says it is doing.

Real stores and the real command (typer's CliRunner, or a subprocess where the
terminal width must be the child's own).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from kg.build import SAMPLE_CORPUS, Ignored, collect_files

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = sorted(SAMPLE_CORPUS.glob("*.txt"))[0]
runner = CliRunner()


# --------------------------------------------------------------------------- 1. what a walk builds

def _project_like(root: Path) -> Path:
    """A folder laid out like a project: one document among tools, docs and environments."""
    (root / "corpus").mkdir(parents=True)
    shutil.copy(DOC, root / "corpus" / DOC.name)
    for rel, text in {
        ".venv/pyvenv.cfg": "home = /usr/bin\n",
        ".venv/lib/python3/site-packages/jieba/dict.txt": "的 1 uj\n",
        "env/pyvenv.cfg": "home = /usr/bin\n",  # a virtual env without a dot
        "env/lib/python3/site-packages/jieba/dict.txt": "的 1 uj\n",
        ".git/HEAD": "ref: refs/heads/main\n",
        ".hidden/notes.txt": "某市实施方案\n",
        "src/__pycache__/x.txt": "x\n",
        "web/node_modules/pkg/README.txt": "x\n",
        "lib/site-packages/a.txt": "x\n",
        "pkg.egg-info/SOURCES.txt": "x\n",
        "docs/GUIDE.md": "# guide\n",
        "README.md": "# readme\n",
        "tool.py": "print(1)\n",
        "Makefile": "all:\n",
        ".gitignore": ".venv\n",
    }.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def test_issue11_walk_takes_documents_only(tmp_path):
    root = _project_like(tmp_path / "proj")
    ignored = Ignored()
    files, skipped = collect_files([root], ignored=ignored)
    assert files == [root / "corpus" / DOC.name] and skipped == []
    assert ignored.suffixes == {".md": 2, ".py": 1, "no suffix": 1, "hidden": 1}
    assert sorted(Path(f).name for f in ignored.folders) == [
        ".git", ".hidden", ".venv", "__pycache__", "env", "node_modules", "pkg.egg-info", "site-packages"]
    assert ignored.summary() == ("5 files that are not documents (.md, .py, hidden, no suffix) and "
                                 "8 hidden or virtual-env folders (.git, .hidden, .venv, __pycache__, …)")


def test_issue11_files_named_on_the_command_line_are_read_whatever_their_suffix(tmp_path):
    root = _project_like(tmp_path / "proj")
    md = root / "plan.md"
    shutil.copy(DOC, md)
    hidden = root / ".hidden"
    files, skipped = collect_files([md, root / "README.md", hidden])
    assert files == [md, root / "README.md", hidden / "notes.txt"] and skipped == []  # a named folder is walked
    # a glob names the files it matches: any type the reader knows
    files, _ = collect_files([root], glob="*.md")
    assert sorted(f.name for f in files) == ["GUIDE.md", "README.md", "plan.md"]


def test_issue11_build_of_a_project_folder_says_what_it_ignored_in_one_line(tmp_path):
    root = _project_like(tmp_path / "proj")
    r = runner.invoke(app, ["build", str(root), "--store", str(tmp_path / "st")])
    assert r.exit_code == 0, r.output
    assert "documents: 1 built, 0 unchanged, 0 skipped\n" in r.stdout
    ignored = [line for line in r.output.splitlines() if "ignored" in line]
    assert ignored == ["ignored: 5 files that are not documents (.md, .py, hidden, no suffix) and "
                       "8 hidden or virtual-env folders (.git, .hidden, .venv, __pycache__, …)"]
    assert "skipped:" not in r.output


def test_issue11_real_inputs_that_fail_keep_their_reasons(tmp_path):
    root = _project_like(tmp_path / "proj")
    (root / "corpus" / "empty.txt").write_bytes(b"")
    (root / "corpus" / "scan.pdf").write_bytes(b"not a pdf at all")
    r = runner.invoke(app, ["build", str(root), "--store", str(tmp_path / "st")])
    assert r.exit_code == 3, r.output
    skipped = [line for line in r.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == 2 and skipped[0] == f"skipped: {root / 'corpus' / 'empty.txt'}: is empty", skipped
    assert skipped[1].startswith(f"skipped: {root / 'corpus' / 'scan.pdf'}: ")
    assert "documents: 1 built, 0 unchanged, 2 skipped" in r.stdout


def test_issue11_walking_the_project_root_takes_no_tool_files():
    """`kg build .` in this project: nothing from .venv, .git or docs/, no .md, .py or dictionaries."""
    ignored = Ignored()
    files, skipped = collect_files([ROOT], ignored=ignored)
    rel = [f.relative_to(ROOT).as_posix() for f in files]
    assert {f"corpus/{p.name}" for p in SAMPLE_CORPUS.glob("*.txt")} <= set(rel)
    assert not [p for p in rel if p.startswith((".", "docs/")) or "site-packages" in p or "egg-info" in p], rel
    assert {Path(p).suffix for p in rel} <= {".txt", ".text", ".htm", ".html", ".xhtml", ".docx", ".pdf"}
    assert ".venv" in {Path(f).name for f in ignored.folders} or not (ROOT / ".venv").exists()
    assert ignored.files > 0 and skipped == []


# --------------------------------------------------------------------------- 3. one count of bodies

def _summary_value(output: str, label: str) -> int:
    m = re.search(rf"^{re.escape(label)}: (\d+)$", output, re.MULTILINE)
    assert m, output
    return int(m.group(1))


def test_issue11_build_and_stats_print_the_same_number_of_bodies(tmp_path):
    store = str(tmp_path / "st")
    built = runner.invoke(app, ["build", "--store", store])
    assert built.exit_code == 0, built.output
    stats = runner.invoke(app, ["stats", "--store", store, "--format", "json"])
    counts = {c["class"]: c["count"] for c in json.loads(stats.stdout)["counts"]}
    table = runner.invoke(app, ["stats", "--store", store, "--format", "csv"])
    csv_bodies = next(int(line.split(",")[2]) for line in table.stdout.splitlines()
                      if line.startswith("count,egov:Body,"))
    assert _summary_value(built.stdout, "bodies in store") == counts["egov:Body"] == csv_bodies == 151
    # a build that changes nothing still says how many bodies the store holds
    again = runner.invoke(app, ["build", "--store", store])
    assert "0 built, 5 unchanged" in again.stdout and _summary_value(again.stdout, "bodies in store") == 151

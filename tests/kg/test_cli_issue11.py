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
    assert _summary_value(built.stdout, "bodies in store") == counts["egov:Body"] == csv_bodies == 153
    # a build that changes nothing still says how many bodies the store holds
    again = runner.invoke(app, ["build", "--store", store])
    assert "0 built, 5 unchanged" in again.stdout and _summary_value(again.stdout, "bodies in store") == 153


# --------------------------------------------------------------------------- 2. clauses about X that nobody owns

def test_issue11_owners_lists_the_clauses_nobody_owns(store):
    from kg import audit

    rows = audit.owners(store, "排污许可")
    unowned = [r for r in rows if r["owner"] is None]
    # 003 has a measure headed 加强环评与排污许可监管 and no owner anywhere in it (kg gaps: no_owner)
    assert {(r["document"], r["heading"]) for r in unowned} == {
        ("000_53a58f5cc7cc4c84.txt", "严格落实排污许可制度"), ("000_53a58f5cc7cc4c84.txt", "提高治污能力和水平"),
        ("003_b1d43e737547c5e4.txt", "加强企业自行监测管理"), ("003_b1d43e737547c5e4.txt", "加强环评与排污许可监管")}
    no_owner = {g["obligation"] for g in audit.gaps(store) if g["gap"] == "no_owner"}
    assert {r["obligation"] for r in unowned} <= no_owner
    for r in unowned:
        assert [r[k] for k in ("owner", "owner_label", "jurisdiction", "role", "implicit", "quote", "start", "end")] \
            == [None] * 8
    # the owned rows are those of before, and come first within their document's order
    assert [r for r in rows if r["owner"] is not None] == audit.owners(store, "排污许可", unowned=False)
    # with a jurisdiction, the unowned clauses of that place's documents
    assert not [r for r in audit.owners(store, "排污许可", jurisdiction="漳州市") if r["owner"] is None]
    xj = [r for r in audit.owners(store, "排污许可", jurisdiction="新疆维吾尔自治区") if r["owner"] is None]
    assert {r["obligation"] for r in xj} == {r["obligation"] for r in unowned}


def test_issue11_kg_owners_says_how_many_clauses_have_no_owner(sample_store_path):
    store = ["--store", str(sample_store_path)]
    table = runner.invoke(app, ["owners", "排污许可", *store], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert table.stdout.rstrip().splitlines()[-1] == "4 clauses name 排污许可 but have no owner"
    assert "加强环评与排污许可监管" in table.stdout

    csv_out = runner.invoke(app, ["owners", "排污许可", "--format", "csv", *store])
    assert csv_out.exit_code == 0
    assert csv_out.stderr == "4 clauses name 排污许可 but have no owner\n"  # stdout stays CSV
    line = next(x for x in csv_out.stdout.splitlines() if ",加强环评与排污许可监管," in x)
    assert line.startswith("003_b1d43e737547c5e4.txt,新疆生态环境保护“十四五”规划,,27,加强环评与排污许可监管,,,,,,,,,,,heading,")

    js = runner.invoke(app, ["owners", "排污许可", "--format", "json", *store])
    rows = json.loads(js.stdout)
    assert sum(r["owner"] is None and r["role"] is None for r in rows) == 4
    assert js.stderr == "4 clauses name 排污许可 but have no owner\n"

    # a text only unowned clauses name is an answer, not an error
    one = runner.invoke(app, ["owners", "加强环评与排污许可监管", "--format", "csv", *store])
    assert one.exit_code == 0 and len(one.stdout.splitlines()) == 2
    assert one.stderr == "1 clause names 加强环评与排污许可监管 but has no owner\n"
    jur = runner.invoke(app, ["owners", "排污许可", "-j", "新疆维吾尔自治区", "--format", "csv", *store])
    assert jur.stderr == "4 clauses name 排污许可 but have no owner (in documents of 新疆维吾尔自治区)\n"
    none = runner.invoke(app, ["owners", "完全不存在的制度名称", *store])
    assert none.exit_code == 1 and none.stderr == "Error: no obligation matches '完全不存在的制度名称'\n"
    owned_only = runner.invoke(app, ["owners", "排污许可", "-j", "漳州市", *store])
    assert owned_only.exit_code == 0 and "no owner" not in owned_only.output


# --------------------------------------------------------------------------- 4. tables at 80 columns

def _narrow(args, store_path, columns=80):
    r = runner.invoke(app, [*args, "--store", str(store_path)], env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.output
    from rich.cells import cell_len

    assert max(cell_len(line) for line in r.stdout.splitlines()) <= columns
    return r.stdout


def _cells(table: str) -> set[str]:
    """Every cell's text on each line of a rich table."""
    return {c.strip() for line in table.splitlines() for c in re.split(r"[│┃]", line) if c.strip()}


def test_issue11_owners_at_80_columns_shows_whole_names(sample_store_path):
    out = _narrow(["owners", "排污许可"], sample_store_path)
    assert "…" not in out
    cells = _cells(out)
    # whole names on one line each, the document as each group's title
    assert {"漳州市生态环境局", "伊犁哈萨克自治州生态环境局", "漳州市各县(区)人民政府", "江西省生态环境厅",
            "responsible", "(五)", "（八）", "True", "False"} <= cells
    assert {f"{d}" for d in ("000_53a58f5cc7cc4c84.txt", "001_2b16a58583755083.txt", "004_5826063d369361f3.txt")} \
        <= {line.strip() for line in out.splitlines()}
    assert out.rstrip().endswith("4 clauses name 排污许可 but have no owner")
    # wide enough, every column as before
    wide = _narrow(["owners", "排污许可"], sample_store_path, columns=240)
    assert "(责任单位:市生态环境局)" in _cells(wide) and "1806" in _cells(wide)


def test_issue11_other_tables_at_80_columns_are_wrapped_not_cut(sample_store_path):
    for args, names in (
        (["stats"], {"伊犁哈萨克自治州各县市人民政府", "egov:Body"}),
        (["gaps"], {"江西省生态环境厅[responsible]", "implicit_only"}),
        (["obligations", "--jurisdiction", "漳州市", "--role", "lead"],
         {"漳州市生态环境局[lead];", "漳州台商投资区党工委[responsible*];"}),
        (["actor", "生态环境局", "--jurisdiction", "漳州市"], {"(二十八) 加强组织实施", "leads"}),
        (["compare", "004", "000"], {"(三) 主要目标", "matched"}),
        (["instruments", "--limit", "3"], {"环境信息依法披露", "信息公开制度"}),
        (["query", "--list"], {"reporting_chain", "body_profile"}),
        (["query", "SELECT ?label WHERE { ?b a egov:Body ; rdfs:label ?label } ORDER BY ?label LIMIT 20"],
         {"伊犁哈萨克自治州人民政府"}),
    ):
        out = _narrow(args, sample_store_path)
        assert "…" not in out, (args, out)
        lines = out.splitlines()  # each name whole on one line (wrapped between names, not inside one)
        assert all(any(n in line for line in lines) for n in names), (args, out)


def test_issue11_csv_is_the_same_at_any_width(sample_store_path):
    for args in (["owners", "排污许可"], ["gaps"], ["stats"]):
        a = runner.invoke(app, [*args, "--format", "csv", "--store", str(sample_store_path)], env={"COLUMNS": "80"})
        b = runner.invoke(app, [*args, "--format", "csv", "--store", str(sample_store_path)], env={"COLUMNS": "300"})
        assert a.stdout == b.stdout and a.stdout.count("\n") > 5


def test_issue11_a_real_terminal_width_of_80(sample_store_path):
    """The kg process itself, at COLUMNS=80 (what a user's terminal sets)."""
    env = {**os.environ, "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "owners", "排污许可", "--store", str(sample_store_path)],
                       capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "…" not in r.stdout and "漳州市生态环境局" in _cells(r.stdout)


# --------------------------------------------------------------------------- 5. make test says what it is doing

def _fake_tree(tmp_path: Path, exit_code: int) -> tuple[Path, dict]:
    """A venv whose python only says it ran, and a chromium already there: `make test` runs its
    real recipe without installing anything or running the suite."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    py = venv / "bin" / "python"
    py.write_text(f"#!/bin/sh\necho \"fake pytest $*\"\nexit {exit_code}\n")
    py.chmod(0o755)
    (venv / ".installed").touch()
    os.utime(venv / ".installed", (2 ** 33, 2 ** 33))  # newer than pyproject.toml: nothing to install
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    chromium = bin_dir / "chromium"
    chromium.write_text("#!/bin/sh\nexit 0\n")
    chromium.chmod(0o755)
    return venv, {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_issue11_make_test_says_what_it_does_and_how_long_it_took(tmp_path):
    venv, env = _fake_tree(tmp_path, 0)
    r = subprocess.run(["make", "-s", "test", f"VENV={venv}"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "running the test suite (about 8 minutes on 2 cores; one dot per test)..."
    assert lines[1] == "fake pytest -m pytest -q -p no:cacheprovider"
    assert re.fullmatch(r"test suite took \d+ s", lines[2]), lines
    # a failing suite still fails make (CI runs `make test`)
    venv, env = _fake_tree(tmp_path / "failing", 1)
    r = subprocess.run(["make", "-s", "test", f"VENV={venv}"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode != 0 and re.search(r"test suite took \d+ s", r.stdout)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_issue11_make_says_it_installs_the_browser_before_the_quiet_minute():
    r = subprocess.run(["make", "-n", "browser"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    recipe = r.stdout
    say = recipe.index('echo "installing chromium and a CJK font for the browser tests (about a minute)..."')
    assert say < recipe.index("apt-get install")
    # CI and the README still run exactly `make test`
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == "make test"
    assert re.search(r"^make test\s+# the test suite", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)

"""Library modules (kg/) never import the command module cli.py.

cli.py registers commands from kg/; if kg/ imported cli.py back, the library
could not be used without the command line, and the two would import each
other in a cycle.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_kg_module_imports_cli():
    offenders = [p.name for p in sorted((ROOT / "kg").glob("*.py")) if "cli" in imported_modules(p)]
    assert offenders == []


def test_audit_commands_run_without_cli_py(sample_store_path):
    """The auditor commands, registered on an app of our own, work and never load cli.py."""
    code = f"""
import sys, typer
from typer.testing import CliRunner
import kg.cli_audit as c
app = typer.Typer()
for f in (c.owners, c.actor, c.obligations, c.gaps, c.compare, c.stats):
    app.command(name=f.__name__)(f)
r = CliRunner()
res = r.invoke(app, ["stats", "--store", {str(sample_store_path)!r}, "--format", "csv"])
assert res.exit_code == 0, res.output
bad = r.invoke(app, ["gaps", "--store", {str(sample_store_path)!r}, "--format", "yaml"])
assert bad.exit_code == 2 and "unknown --format" in bad.output, bad.output
missing = r.invoke(app, ["owners", "x", "--store", "/nonexistent/store"])
assert missing.exit_code == 1 and "Error:" in missing.output, missing.output
assert "cli" not in sys.modules, "kg.cli_audit imported cli.py"
print("ok")
"""
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and res.stdout.strip().endswith("ok"), res.stdout + res.stderr

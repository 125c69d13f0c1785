"""An unreadable subdirectory is a skipped input with its reason, never silence (issue 15).

Root reads every folder, so the walk runs in a child process that has dropped to "nobody"; what a skipped
input then means for the exit code (3, or 1 with --strict) is the build's rule for every skipped input."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys
sys.path.insert(0, {root!r})
from kg.build import collect_files
if os.getuid() == 0:
    os.setgid(65534); os.setuid(65534)
files, skipped = collect_files([sys.argv[1]])
print(json.dumps({{"files": [str(f) for f in files], "skipped": [[s.path, s.reason] for s in skipped]}}))
"""


def test_unreadable_subdirectory_is_a_skipped_input():
    import tempfile

    # pytest's own temporary folders are private to root: "nobody" must be able to reach this one
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        _check(Path(tmp))


def _check(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "a.txt").write_text("某县实施方案\n", encoding="utf-8")
    (src / "locked" / "b.txt").write_text("某县实施方案\n", encoding="utf-8")
    os.chmod(src / "locked", 0)
    os.chmod(tmp_path, 0o755)
    os.chmod(src, 0o755)
    try:
        if os.getuid() != 0 and os.access(src / "locked", os.R_OK):
            pytest.skip("this user can read a mode-000 folder")
        res = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), str(src)],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        out = json.loads(res.stdout)
    finally:
        os.chmod(src / "locked", 0o755)
    assert out["files"] == [str(src / "a.txt")]
    assert [(Path(p).name, r.startswith("cannot be read")) for p, r in out["skipped"]] == [("locked", True)]

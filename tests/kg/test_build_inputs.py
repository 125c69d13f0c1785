"""Inputs that are not regular files are reported as skipped, never read (a FIFO would block)."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from kg.build import SAMPLE_CORPUS, build, collect_files
from kg.store import OxigraphStore

DOC = sorted(SAMPLE_CORPUS.glob("*.txt"))[0]

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")


def _build_in_thread(inputs, store_dir):
    result: list = []
    t = threading.Thread(target=lambda: result.append(build(inputs, OxigraphStore(store_dir))), daemon=True)
    t.start()
    t.join(30)
    if t.is_alive():  # unblock the reader so the thread ends, then fail
        for p in inputs:
            if Path(p).is_fifo():
                os.close(os.open(p, os.O_WRONLY | os.O_NONBLOCK))
        t.join(60)
        pytest.fail("kg build blocked on a FIFO")
    return result[0]


def test_a_fifo_given_directly_is_reported_not_ignored(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    files, skipped = collect_files([fifo])
    assert files == [fifo] and skipped == []  # handed to build, which refuses it with a reason
    doc = tmp_path / DOC.name
    shutil.copy(DOC, doc)
    rep = _build_in_thread([fifo, doc], tmp_path / "store")
    assert rep.built == [DOC.name]
    assert [(Path(s.path).name, s.reason) for s in rep.skipped] == [("pipe.txt", "is a named pipe (FIFO), not a regular file")]


def test_a_device_given_directly_is_skipped_with_a_reason(tmp_path):
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    doc = tmp_path / DOC.name
    shutil.copy(DOC, doc)
    rep = _build_in_thread(["/dev/null", doc], tmp_path / "store")
    assert rep.built == [DOC.name]
    assert len(rep.skipped) == 1 and rep.skipped[0].path == "/dev/null"
    assert "device" in rep.skipped[0].reason


def test_an_empty_file_is_skipped_before_extraction(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    shutil.copy(DOC, tmp_path / "in" / DOC.name)
    rep = _build_in_thread([tmp_path / "in"], tmp_path / "store")
    assert [(Path(s.path).name, s.reason) for s in rep.skipped] == [("empty.txt", "is empty")]

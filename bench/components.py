"""Throughput of the extractor's text scanners on one megabyte, one core.

    .venv/bin/python bench/components.py

Timing goals live here, not in the tests (the tests check what these find).
Each scanner runs over about 1 MB of UTF-8 made from the bundled corpus
(``corpus/*.txt``) repeated, after one warm-up call; the best of three runs is
printed in MB/s beside its goal, and the script exits 1 if one is missed.

- ``find_places`` (extract.divisions): the divisions a text names, goal 1 MB/s
  (measured here: about 40 MB/s);
- ``find_instruments`` (extract.instruments): scheme instruments and candidates,
  goal 0.33 MB/s (1 MB in 3 s; measured here: about 8 MB/s).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.divisions import find_places  # noqa: E402
from extract.instruments import find_instruments  # noqa: E402

GOALS = {"find_places": (find_places, 1.0), "find_instruments": (find_instruments, 1 / 3)}


def megabyte() -> str:
    sample = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    return sample * (1_000_000 // len(sample.encode()) + 1)


def main() -> int:
    text = megabyte()
    mb = len(text.encode()) / 1e6
    missed = 0
    for name, (scan, goal) in GOALS.items():
        scan("预热")
        best = min(_seconds(scan, text) for _ in range(3))
        rate = mb / best
        ok = rate >= goal
        missed += not ok
        print(f"{name:18s} {mb:.2f} MB in {best:.2f} s = {rate:6.2f} MB/s   goal ≥ {goal:.2f} MB/s {'met' if ok else 'NOT met'}")
    return 1 if missed else 0


def _seconds(scan, text: str) -> float:
    t = time.perf_counter()
    scan(text)
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())

"""Access to the vocabulary data files in ``extract/data`` (see its README)."""
from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a plain list file."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@lru_cache(maxsize=None)
def load_jsonl(name: str) -> tuple[dict, ...]:
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(json.loads(line))
    return tuple(rows)


@lru_cache(maxsize=None)
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a TSV file with a header line, as dicts."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t")]
    return tuple({k: (v or "").strip() for k, v in r.items()} for r in rows)


def word_regex(words) -> str:
    """A regular expression matching any of ``words``, the longest where several
    start at one place, factored as a trie: an alternation of hundreds of names
    is tried name by name at every position, the trie one character at a time."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        kids = sorted(k for k in node if k)
        if not kids:
            return ""
        leaves = [k for k in kids if list(node[k]) == [""]]
        alts = [re.escape(k) + emit(node[k]) for k in kids if k not in leaves]
        if leaves:
            alts.append(re.escape(leaves[0]) if len(leaves) == 1 else "[" + "".join(map(re.escape, leaves)) + "]")
        body = alts[0] if len(alts) == 1 and not end else "(?:" + "|".join(alts) + ")"
        return body + ("?" if end else "")

    return emit(trie)

"""Policy instruments named in a text: scheme concepts and candidates.

Pure Python, no RDF. The vocabulary lives in ``extract/data`` (see its README):

- ``instruments.tsv``: the instrument scheme, one concept per row with its
  preferred label, alternative labels and classification;
- ``instrument_suffixes.txt``: endings of instrument names (…制度, …机制,
  …交易 …) used to find *candidate* instruments that the scheme lacks;
- ``instrument_stopwords.txt``: generic phrases that must not become
  candidates, and the words that bound a candidate on the left and right.

:func:`find_instruments` reports every scheme label or alias in a text
(longest match wins, no overlaps) folded to the concept's preferred label,
plus candidates. Matching ignores quote marks (“”「」‘’"') and spaces and
treats full- and half-width parentheses and ASCII alike, but every hit's
``start``/``end`` are offsets into the text as given.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .vocab import load_lines, load_tsv, word_regex

__all__ = [
    "InstrumentHit",
    "find_instruments",
    "scheme",
    "load_scheme_labels",
    "normalise_label",
    "TYPES",
    "PINE_TYPES",
    "NATO_RESOURCES",
    "GOVERNANCE_SYSTEMS",
]

SCHEME_FILE = "instruments.tsv"
SUFFIX_FILE = "instrument_suffixes.txt"
STOPWORD_FILE = "instrument_stopwords.txt"

TYPES = ("command_control", "market", "information_participation", "voluntary")
PINE_TYPES = ("tax", "fee_charge", "tradable_permit", "deposit_refund", "subsidy", "financial", "liability")
NATO_RESOURCES = ("nodality", "authority", "treasure", "organisation")
GOVERNANCE_SYSTEMS = ("领导责任体系", "企业责任体系", "全民行动体系", "监管体系", "市场体系", "信用体系",
                      "法律法规政策体系", "风险防控体系")

MIN_CANDIDATE = 4   # hanzi
MAX_CANDIDATE = 14  # hanzi


@dataclass(frozen=True)
class InstrumentHit:
    """One instrument named in a text.

    concept: the scheme concept's preferred label, or the candidate's name
        (its text with quote marks dropped).
    surface: the text as written, ``text[start:end]``.
    start, end: offsets into the text given to :func:`find_instruments`.
    candidate: True for a candidate not in the scheme.
    concept_id: the scheme id (``instruments.tsv`` column ``id``), None for
        candidates.
    """

    concept: str
    surface: str
    start: int
    end: int
    candidate: bool
    concept_id: str | None


# --------------------------------------------------------------------------- normalising

_QUOTES = "“”「」『』‘’\"'〝〞＂＇"
_SPACES = " \u3000\u00a0"
_DROP = _QUOTES + _SPACES
# one-to-one folds (offsets are kept): parentheses and full-width letters, digits and
# signs to ASCII, ASCII letters to lower case
_FOLD = {"（": "(", "）": ")", "＋": "+", "／": "/", "－": "-", "＆": "&"}
_FOLD.update({chr(c): chr(c - 0xFEE0) for c in range(ord("０"), ord("９") + 1)})
_FOLD.update({chr(c): chr(c - 0xFEE0).lower() for c in range(ord("Ａ"), ord("Ｚ") + 1)})
_FOLD.update({chr(c): chr(c - 0xFEE0) for c in range(ord("ａ"), ord("ｚ") + 1)})
_FOLD.update({chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)})
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD)) + "]")
# quote marks always; spaces unless they separate two ASCII words ("ISO 14001" keeps its space)
_DROP_RE = re.compile(
    "[" + re.escape(_QUOTES) + "]+|[" + _SPACES + "]+(?![a-z0-9])|(?<![a-z0-9])[" + _SPACES + "]+"
)
_HANZI_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_NON_HANZI_RE = re.compile("[^\u3400-\u4dbf\u4e00-\u9fff]")


def _fold(text: str) -> str:
    return _FOLD_RE.sub(lambda m: _FOLD[m.group()], text)


def normalise_label(label: str) -> str:
    """The matching key of a label: quotes and spaces dropped, widths and case folded."""
    return _DROP_RE.sub("", _fold(label))


class _Normalised:
    """Normalised text plus the map from its offsets back to the original."""

    __slots__ = ("text", "_norm_starts", "_orig_starts")

    def __init__(self, original: str):
        folded = _fold(original)  # one-to-one, keeps offsets
        parts: list[str] = []
        self._norm_starts: list[int] = []
        self._orig_starts: list[int] = []
        pos = n = 0
        for m in _DROP_RE.finditer(folded):
            if m.start() > pos:
                self._norm_starts.append(n)
                self._orig_starts.append(pos)
                parts.append(folded[pos:m.start()])
                n += m.start() - pos
            pos = m.end()
        if pos < len(folded):
            self._norm_starts.append(n)
            self._orig_starts.append(pos)
            parts.append(folded[pos:])
            n += len(folded) - pos
        self.text = "".join(parts)

    def orig(self, i: int) -> int:
        """Original offset of normalised character ``i``."""
        k = bisect.bisect_right(self._norm_starts, i) - 1
        if k < 0:
            return 0
        return self._orig_starts[k] + (i - self._norm_starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the normalised span [start, end) (end > start)."""
        return self.orig(start), self.orig(end - 1) + 1


def _is_hanzi(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _hanzi_count(s: str) -> int:
    return len(_HANZI_RE.findall(s))


def _is_ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


# --------------------------------------------------------------------------- the scheme

@lru_cache(maxsize=1)
def _scheme_rows() -> tuple[dict, ...]:
    rows = []
    for raw in load_tsv(SCHEME_FILE):
        alts = [a.strip() for a in raw.get("altLabels", "").split("|") if a.strip()]
        rows.append({
            "id": raw["id"],
            "prefLabel": raw["prefLabel"],
            "altLabels": tuple(dict.fromkeys(a for a in alts if a != raw["prefLabel"])),
            "type": raw.get("type", ""),
            "pine": raw.get("pine", ""),
            "nato": raw.get("nato", ""),
            "broader": raw.get("broader", ""),
            "system": raw.get("system", ""),
        })
    return tuple(rows)


def scheme() -> list[dict]:
    """The rows of ``instruments.tsv``: dicts with keys id, prefLabel, altLabels (a tuple),
    type, pine, nato, broader, system (empty string when not given). Parsed once, cached."""
    return [dict(r) for r in _scheme_rows()]


@lru_cache(maxsize=1)
def _label_index() -> dict[str, dict]:
    index: dict[str, dict] = {}
    for row in _scheme_rows():
        for label in (row["prefLabel"], *row["altLabels"]):
            key = normalise_label(label)
            if len(key) < 2:
                raise ValueError(f"{SCHEME_FILE}: label {label!r} of {row['id']} is too short to match safely")
            other = index.get(key)
            if other is not None and other["id"] != row["id"]:
                raise ValueError(f"{SCHEME_FILE}: label {label!r} belongs to both {other['id']} and {row['id']}")
            index[key] = row
    # 行政执法与刑事司法衔接 = 行政执法和刑事司法衔接: policy prose writes 与 and 和 alike in a name
    for key, row in list(index.items()):
        for a, b in (("与", "和"), ("和", "与")):
            if a in key:
                index.setdefault(key.replace(a, b), row)
    return index


def load_scheme_labels() -> dict[str, dict]:
    """Every normalised label and alias of the scheme → its row (see :func:`scheme`)."""
    return dict(_label_index())


@lru_cache(maxsize=1)
def _label_heads() -> frozenset[str]:
    """The first two characters of every label (labels have at least two)."""
    return frozenset(label[:2] for label in _label_index())


@lru_cache(maxsize=1)
def _label_regex() -> re.Pattern[str]:
    return re.compile(word_regex(_label_index()))


# --------------------------------------------------------------------------- candidate rules

@dataclass(frozen=True)
class _CandidateRules:
    suffix_re: re.Pattern[str]
    min_len: dict[str, int]
    extends: frozenset[str]
    exact: frozenset[str]
    heads: tuple[str, ...]
    left_re: re.Pattern[str] | None
    right_words: tuple[str, ...]
    right_chars: frozenset[str]
    actors: tuple[str, ...]
    body_heads: tuple[str, ...]
    bad_first: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _CandidateRules:
    min_len: dict[str, int] = {}
    extends: set[str] = set()
    for line in load_lines(SUFFIX_FILE):
        fields = line.split()
        suffix = normalise_label(fields[0])
        min_len[suffix] = MIN_CANDIDATE
        for field in fields[1:]:
            if field.isdigit():
                min_len[suffix] = int(field)
            elif field == "extends":
                extends.add(suffix)
            else:
                raise ValueError(f"{SUFFIX_FILE}: unknown field {field!r} in line {line!r}")
    exact, heads, left, right, actors, body_heads, bad_first = set(), [], [], [], [], [], set()
    for line in load_lines(STOPWORD_FILE):
        kind, word = line[0], normalise_label(line[1:])
        if kind == "*":
            heads.append(word)
        elif kind == "<":
            left.append(word)
        elif kind == ">":
            right.append(word)
        elif kind == "-":
            actors.append(word)
        elif kind == "!":
            body_heads.append(word)
        elif kind == "^":
            bad_first.update(word)
        else:
            exact.add(normalise_label(line))
    suffixes = sorted(min_len, key=lambda s: (-len(s), s))
    return _CandidateRules(
        suffix_re=re.compile("|".join(re.escape(s) for s in suffixes)),
        min_len=min_len,
        extends=frozenset(extends),
        exact=frozenset(exact),
        heads=tuple(sorted(heads, key=len, reverse=True)),
        left_re=re.compile("(?=(" + word_regex(left) + "))") if left else None,
        right_words=tuple(sorted((w for w in right if len(w) > 1), key=len, reverse=True)),
        right_chars=frozenset(w for w in right if len(w) == 1),
        actors=tuple(actors),
        body_heads=tuple(body_heads),
        bad_first=frozenset(bad_first),
    )


def _right_ok(text: str, end: int, suffix: str, rules: _CandidateRules) -> bool:
    if end >= len(text):
        return True
    c = text[end]
    if not _is_hanzi(c):
        return True
    if c in rules.right_chars:
        return True
    if len(suffix) == 1:
        return False
    return text.startswith(rules.right_words, end)


def _left_start(nt: str, s: int, occupied: bytearray, rules: _CandidateRules) -> tuple[int, bool]:
    """Where a name ending before ``s`` starts, and whether it directly follows a scheme hit."""
    # the run of hanzi before s, within a window, not crossing a scheme hit; a run longer
    # than the window is cut there and the length check rejects it unless a boundary
    # word starts the name later
    limit = max(0, s - (MAX_CANDIDATE + 12))
    occ = occupied.rfind(1, limit, s)
    lo = occ + 1 if occ >= 0 else limit
    last_other = -1
    for other in _NON_HANZI_RE.finditer(nt, lo, s):
        last_other = other.start()
    if last_other >= 0:
        start, after_scheme = last_other + 1, False
    else:
        start, after_scheme = lo, occ >= 0
    if rules.left_re is not None and start < s:
        last = -1
        for lm in rules.left_re.finditer(nt, start, s):
            last = max(last, lm.start() + len(lm.group(1)))
        if last > start:
            start, after_scheme = min(last, s), False
    return start, after_scheme


def _acceptable(name: str, suffix: str, rules: _CandidateRules) -> bool:
    n = _hanzi_count(name)
    if n < max(rules.min_len.get(suffix, MIN_CANDIDATE), len(suffix) + 2) or n > MAX_CANDIDATE:
        return False
    return not (name in rules.exact or name.endswith(rules.heads) or name in _label_index()
                or name[:1] in rules.bad_first)


def _candidates(nt: str, occupied: bytearray, hit_starts: dict[int, int]) -> list[tuple[int, int, str]]:
    """Candidate spans (normalised offsets) and names in ``nt``.

    ``occupied`` marks the characters of scheme hits, ``hit_starts`` maps the
    end of each scheme hit to its start. A candidate never overlaps a scheme
    hit, except an *extension*: a scheme hit that ends in a suffix, preceded
    by a modifier of two or more hanzi that is not an actor
    (秸秆焚烧 + 有奖举报制度) is reported as a candidate as well.
    """
    rules = _rules()
    found: list[tuple[int, int, str]] = []
    for m in rules.suffix_re.finditer(nt):
        s, e = m.span()
        suffix = m.group()
        if not _right_ok(nt, e, suffix, rules):
            continue
        if any(occupied[s:e]):
            hit_start = hit_starts.get(e)
            if suffix not in rules.extends or hit_start is None or hit_start == 0:
                continue
            start, after_scheme = _left_start(nt, hit_start, occupied, rules)
            modifier = nt[start:hit_start]
            if after_scheme or _hanzi_count(modifier) < 2 or modifier.endswith(rules.actors):
                continue
        else:
            start, after_scheme = _left_start(nt, s, occupied, rules)
            if after_scheme:
                continue  # a modifier of a scheme instrument (…排污许可 + 证后管理制度)
        name = nt[start:e]
        if _acceptable(name, suffix, rules):
            found.append((start, e, name))
    # overlapping candidates (X清单 inside X清单管理制度): keep the longer
    found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    kept: list[tuple[int, int, str]] = []
    taken = bytearray(len(nt))
    for start, end, name in found:
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            kept.append((start, end, name))
    return kept


# --------------------------------------------------------------------------- matching

def _scheme_spans(nt: str) -> list[tuple[int, int, dict]]:
    index = _label_index()
    rx = _label_regex()
    heads = _label_heads()
    # the longest label at every position that starts one: finditer skips the positions
    # inside its matches, so try those one by one (a longer label may start there)
    found: list[tuple[int, str]] = []
    for m in rx.finditer(nt):
        start, end = m.span()
        found.append((start, m.group()))
        for p in range(start + 1, end):
            if nt[p:p + 2] not in heads:
                continue
            inner = rx.match(nt, p)
            if inner is not None and inner.end() > end:
                found.append((p, inner.group()))
    spans: list[tuple[int, int, dict]] = []
    for start, label in found:
        end = start + len(label)
        if (_is_ascii_alnum(label[0]) and start > 0 and _is_ascii_alnum(nt[start - 1])) or \
                (_is_ascii_alnum(label[-1]) and end < len(nt) and _is_ascii_alnum(nt[end])):
            # an ASCII label glued to letters or digits (12369 in 123690): try shorter labels here
            end = 0
            for k in range(len(label) - 1, 0, -1):
                short = label[:k]
                if short in index and not (_is_ascii_alnum(short[-1]) and _is_ascii_alnum(nt[start + k])) \
                        and not (_is_ascii_alnum(short[0]) and start > 0 and _is_ascii_alnum(nt[start - 1])):
                    end, label = start + k, short
                    break
            if not end:
                continue
        spans.append((start, end, index[label]))
    # longest match wins; ties go to the leftmost
    spans.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    occupied = bytearray(len(nt))
    kept = []
    body_heads = _rules().body_heads
    for start, end, row in spans:
        if not any(occupied[start:end]):
            occupied[start:end] = b"\x01" * (end - start)
            if body_heads and nt.startswith(body_heads, end):
                continue  # part of a body's name (综合行政执法机关), not the instrument
            kept.append((start, end, row))
    for rx, row in _patterns():  # an instrument written as a verb and its object (公开…环境监测数据)
        for m in rx.finditer(nt):
            if not any(occupied[m.start():m.end()]):
                occupied[m.start():m.end()] = b"\x01" * (m.end() - m.start())
                kept.append((m.start(), m.end(), row))
    return kept


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], dict], ...]:
    """data/instrument_patterns.tsv: a regular expression over normalised text → its scheme row."""
    rows = {r["id"]: r for r in _scheme_rows()}
    out = []
    for r in load_tsv("instrument_patterns.tsv"):
        if r["id"] not in rows:
            raise ValueError(f"instrument_patterns.tsv: {r['id']!r} is no instrument of {SCHEME_FILE}")
        out.append((re.compile(r["pattern"]), rows[r["id"]]))
    return tuple(out)


def find_instruments(text: str, candidates: bool = True) -> list[InstrumentHit]:
    """Every instrument named in ``text``, in text order.

    Scheme labels and aliases are folded to the concept's preferred label
    (longest match wins, hits never overlap). With ``candidates`` (default),
    also phrases ending in an instrument suffix (…制度, …机制 …) that the
    scheme lacks, bounded on the left by punctuation, a policy verb or a
    function word (建立排污企业黑名单制度 → 排污企业黑名单制度), 4–14 hanzi, not
    a generic phrase. Candidates do not overlap scheme hits, except where a
    modifier turns a scheme instrument into a more specific one
    (建立秸秆焚烧有奖举报制度 → 举报奖励制度 and the candidate 秸秆焚烧有奖举报制度).
    """
    if not text:
        return []
    norm = _Normalised(text)
    nt = norm.text
    spans = _scheme_spans(nt)
    hits: list[InstrumentHit] = []
    occupied = bytearray(len(nt))
    hit_starts: dict[int, int] = {}
    starts_at = {start: row["id"] for start, _, row in spans}
    for start, end, row in spans:
        occupied[start:end] = b"\x01" * (end - start)
        hit_starts[end] = start
        o_start, o_end = norm.span(start, end)
        hits.append(InstrumentHit(row["prefLabel"], text[o_start:o_end], o_start, o_end, False, row["id"]))
        # a list spelled out as one instrument (生态保护红线、…和生态环境准入清单: 三线一单) also names each
        # instrument it lists, unless the short name follows it as its definition (…准入清单「三线一单」)
        if "、" in nt[start:end] and row["id"] not in (starts_at.get(end), starts_at.get(end + 1)):
            for item in re.finditer(r"[^、和及与]+", nt[start:end]):
                for i_start, i_end, inner in _scheme_spans(item.group(0)):
                    if inner["id"] != row["id"]:
                        o_start, o_end = norm.span(start + item.start() + i_start, start + item.start() + i_end)
                        hits.append(InstrumentHit(inner["prefLabel"], text[o_start:o_end], o_start, o_end, False, inner["id"]))
    if candidates:
        for start, end, name in _candidates(nt, occupied, hit_starts):
            o_start, o_end = norm.span(start, end)
            hits.append(InstrumentHit(name, text[o_start:o_end], o_start, o_end, True, None))
    hits.sort(key=lambda h: (h.start, h.end))
    return hits

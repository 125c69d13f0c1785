"""The spaCy pipeline: blank Chinese with jieba's segmentation (by jieba-rs) and our components.

Trained Chinese pipelines cannot be downloaded here, so recognition is built
from general administrative vocabulary (``data/bodies.tsv``,
``data/body_suffixes.tsv``, ``data/levels.tsv``) loaded in ``initialize``:

- ``envgov_bodies`` finds every body named in running text: a PhraseMatcher
  over known names and aliases, and any token ending in a
  department suffix (局/委/厅/办/院/部/分局/支行/管委会/党工委 …), extended
  leftwards over place and level tokens. Each candidate is resolved by
  :class:`extract.bodies.BodyParser` against the document's own places, so a
  county that is in no list still works. Results: ``doc.spans["envgov_bodies"]``
  with the body type as label and ``jurisdiction/name`` as ``kb_id``.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import weakref
from collections.abc import Callable
from functools import lru_cache

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .bodies import CONJUNCTIONS, ZONE_SUFFIXES, BodyParser, vocab
from .records import Body
from .vocab import word_regex

BODIES_KEY = "envgov_bodies"
TEXT_KEY = "envgov_text"  # doc.user_data: the text the tokenizer was given
MAX_LEFT_TOKENS = 6

if not Doc.has_extension("envgov_parser"):
    Doc.set_extension("envgov_parser", default=None)
if not Span.has_extension("envgov_body"):
    Span.set_extension("envgov_body", default=None)


@Language.factory(
    "envgov_bodies",
    assigns=["doc.spans", "span._.envgov_body"],
    default_config={"spans_key": BODIES_KEY},
)
def make_envgov_bodies(nlp: Language, name: str, spans_key: str) -> "BodyRecognizer":
    return BodyRecognizer(nlp, name, spans_key)


def _resolve(parser: BodyParser, text: str) -> Body | None:
    parsed = parser.parse_one(text)
    return parsed.bodies[0] if parsed and len(parsed.bodies) == 1 else None


class BodyRecognizer:
    """Marks body mentions; see the module docstring.

    spans_key (str): the ``doc.spans`` key results go to.
    """

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key
        self.vocab = nlp.vocab
        self.phrases = PhraseMatcher(nlp.vocab)
        self._nlp = nlp
        self.initialized = False

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the vocabulary from the data files (names, aliases, suffixes)."""
        v = vocab()
        tokenizer = (nlp or self._nlp).tokenizer
        names = sorted(set(v.names))
        self.phrases = PhraseMatcher(self.vocab)
        self.phrases.add("BODY", [tokenizer(n) for n in names])
        long_alt = "|".join(sorted((re.escape(s) for s, _, _ in v.suffixes if len(s) > 1), key=len, reverse=True))
        self._long_suffix = re.compile(f"(?:{long_alt})$")
        # a one-character suffix (局, 委 …) must be its own token: 部署, 干部 and 格局 are words, not bodies
        self._short_suffixes = frozenset(s for s, _, _ in v.suffixes if len(s) == 1)
        self._is_suffix: dict[int, bool] = {}  # token ORTH → ends in a department suffix
        self.initialized = True

    def _suffix_ends(self, orths: list[int]) -> list[int]:
        """The token positions after each token that ends in a department suffix.
        Decided once per distinct token (a token Matcher with a REGEX pattern tests
        every token and makes a Token object of each: a third of the stage)."""
        memo, strings = self._is_suffix, self.vocab.strings
        out = []
        for i, orth in enumerate(orths):
            hit = memo.get(orth)
            if hit is None:
                text = strings[orth]
                hit = memo[orth] = text in self._short_suffixes or self._long_suffix.search(text) is not None
            if hit:
                out.append(i + 1)
        return out

    @staticmethod
    def _extent(tokens: "_Tokens", first: int, end: int, ends: dict, taken: set, parser: BodyParser):
        """The shortest extent ending at ``end`` that names a body, then extended
        leftwards over place, level and bracket tokens only (not over verbs or nouns)."""
        best = None
        start = first
        full, idx = tokens.text, tokens.idx
        stop = idx[end - 1] + tokens.length[end - 1]

        def text_from(i: int) -> str:  # cheaper than slicing a Span
            return full[idx[i]:stop]

        while start >= 0 and first - start <= MAX_LEFT_TOKENS and start not in taken:
            text = tokens[start]
            if tokens.is_space[start] or tokens.is_punct[start] and text not in "()（）" \
                    or start < first and text in CONJUNCTIONS:
                break
            body = _resolve(parser, text_from(start))
            if body is not None:
                best = (start, body)
                break
            start -= 1
        if best is None:
            return None
        start = best[0] - 1
        depth = 0
        while start >= 0 and start not in taken and best[0] - start <= MAX_LEFT_TOKENS:
            text = tokens[start]
            if text in ")）":
                depth += 1
            elif text in "(（":
                depth -= 1
            elif depth <= 0 and not _is_prefix_token(text, parser):
                break
            if depth < 0 or (start + 1) in ends and depth == 0 and text not in "(（":
                break
            body = _resolve(parser, text_from(start))
            if body is not None and depth == 0:
                best = (start, body)
            start -= 1
        return best

    def __call__(self, doc: Doc) -> Doc:
        if not self.initialized:
            self.initialize()
        parser: BodyParser | None = doc._.envgov_parser
        spans: list[Span] = []
        if parser is None:
            doc.spans[self.spans_key] = spans
            return doc
        tokens = _Tokens(doc)
        ends = {e: s for _, s, e in self.phrases(doc)}
        for e in self._suffix_ends(tokens.orth):
            ends.setdefault(e, e - 1)
        taken: set[int] = set()
        for end in sorted(ends, reverse=True):
            found = self._extent(tokens, ends[end], end, ends, taken, parser)
            if found is None:
                continue
            start, body = found
            if body.name.startswith(("(", "（")):
                continue
            span = Span(doc, start, end, label=body.type, kb_id=f"{body.jurisdiction}/{body.name}")
            span._.envgov_body = body
            spans.append(span)
            taken.update(range(start, end))
        doc.spans[self.spans_key] = sorted(spans, key=lambda sp: sp.start)
        return doc


class _Tokens:
    """A Doc's tokens as plain lists (``Doc.to_array``): reading ``doc[i].idx`` or
    iterating the Doc makes a Token object each time, most of the stage's cost.
    ``tokens[i]`` is the i-th token's text."""

    def __init__(self, doc: Doc):
        self.text = doc.user_data.get(TEXT_KEY) or doc.text  # Doc.text joins every token
        columns = doc.to_array([ORTH, IDX, LENGTH, IS_SPACE, IS_PUNCT]).T.tolist() if len(doc) else [[]] * 5
        self.orth, self.idx, self.length, self.is_space, self.is_punct = columns

    def __getitem__(self, i: int) -> str:
        start = self.idx[i]
        return self.text[start:start + self.length[i]]


def _is_prefix_token(text: str, parser: BodyParser) -> bool:
    """A token that may stand before a body name: a place, a level word, 各/各级, a zone."""
    memo = parser.__dict__.setdefault("_prefix_memo", {})
    if text not in memo:
        memo[text] = _prefix_token(text, parser)
    return memo[text]


def _prefix_token(text: str, parser: BodyParser) -> bool:
    t = text
    for lead in ("各级", "各", "全", "上级", "同级", "中共"):
        if t.startswith(lead) and len(t) > len(lead):
            t = t[len(lead):]
            break
    if t in ("各级", "各", "上级", "中共", "兵地") or t in parser.ctx.surfaces:
        return True
    if any(t == w or t.endswith(w) and len(t) <= len(w) + 4 for w, _, _ in vocab().levels):
        return True
    return t.endswith(ZONE_SUFFIXES)


class JiebaRsTokenizer:
    """spaCy tokenizer for Chinese: jieba's segmentation by jieba-rs (the ``rjieba``
    wheel), set as ``nlp.tokenizer`` the way spaCy documents custom tokenizers.

    jieba-rs ports jieba's dictionary and its DAG + HMM algorithm, so the tokens are
    jieba's: on 226 documents (the sample, the three keys, every sixth MEE document)
    the extracted mentions, owners and relations are identical to those of spaCy's
    own jieba segmenter; a large document is extracted in half the time (1 MB:
    4.8 s → 2.4 s) and Python jieba's dictionary load (about a second) is gone.
    ``words`` are kept whole (department words, so suffix and phrase matching see them).
    """

    def __init__(self, vocab, words=()):
        import rjieba

        self.vocab = vocab
        self._seg = rjieba.Jieba()
        for word in words:
            self._seg.add_word(word, 50000, None)

    def __call__(self, text: str) -> Doc:
        words, spaces = _words_and_spaces([w for w in self._seg.cut(text) if w], text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text  # what Doc.text would join again token by token
        return doc


def _words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """``spacy.util.get_words_and_spaces``, the same words and spaces, in linear
    time: it finds each word in a copy of the rest of the text (``text[pos:].index``),
    quadratic in a chunk's length (a 10 MB document: 2.5 s of the stage)."""
    if "".join("".join(words).split()) != "".join(text.split()):
        raise ValueError(f"the words do not spell the text: {text[:40]!r}")
    out_words: list[str] = []
    out_spaces: list[bool] = []
    pos = 0
    for word in words:
        if word.isspace():
            continue
        at = text.find(word, pos)
        if at < 0:
            raise ValueError(f"the words do not spell the text: {text[:40]!r}")
        if at > pos:
            out_words.append(text[pos:at])
            out_spaces.append(False)
        out_words.append(word)
        out_spaces.append(False)
        pos = at + len(word)
        if pos < len(text) and text[pos] == " ":
            out_spaces[-1] = True
            pos += 1
    if pos < len(text):
        out_words.append(text[pos:])
        out_spaces.append(False)
    return out_words, out_spaces


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """The blank ``zh`` pipeline with :class:`JiebaRsTokenizer` and ``envgov_bodies``, built once."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})  # replaced below
    nlp.tokenizer = JiebaRsTokenizer(nlp.vocab, (word for word in vocab().names if len(word) >= 2))
    nlp.add_pipe("envgov_bodies")
    nlp.initialize()
    return nlp


CHUNK_CHARS = 100_000  # one spaCy Doc per chunk of whole lines: bounded memory, under nlp.max_length


def _chunks(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            nl = text.rfind("\n", start, end)
            end = nl + 1 if nl > start else end
        out.append((start, text[start:end]))
        start = end
    return out


_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?\n]?")


@lru_cache(maxsize=1)
def _vocabulary_cue() -> re.Pattern[str]:
    """A sentence with none of these cannot name a vocabulary body: every known
    name, alias or folding rule needs one of them (市委 = the city's 党委 needs the
    level word before 委)."""
    return re.compile(word_regex(vocab().names) + r"|(?:自治区|省|市|州|县|区|旗|盟)委(?!员)")


def _sieve(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The sentences that may name a known body, joined by newlines, and for each
    (offset in the sieved text, offset in ``text``). Tokenising only these is
    what makes the spaCy stage affordable (about 40 % of policy text)."""
    cue = _vocabulary_cue()
    parts, spans, pos = [], [], 0
    for m in _SENTENCE.finditer(text):
        if cue.search(m.group(0)):
            sentence = m.group(0).rstrip("\n")
            spans.append((pos, m.start()))
            parts.append(sentence)
            pos += len(sentence) + 1
    return "\n".join(parts), spans


def body_mentions(texts: list[str], parser: BodyParser) -> list[list[tuple[Body, int, int]]]:
    """Bodies from the vocabulary named in each text, with character offsets into that text."""
    import bisect

    nlp = make_nlp()
    out = []
    for original in texts:
        text, spans = _sieve(original)
        starts = [s for s, _ in spans]

        def back(i: int) -> int:
            k = bisect.bisect_right(starts, i) - 1
            return spans[k][1] + (i - spans[k][0])

        found = []
        for offset, chunk in _chunks(text):
            doc = nlp.make_doc(chunk)
            doc._.envgov_parser = parser
            for _, proc in nlp.pipeline:  # direct calls: Language.pipe looks up entry points on every call
                doc = proc(doc)
            found.extend((sp._.envgov_body, back(offset + sp.start_char), back(offset + sp.start_char) + len(sp.text))
                         for sp in doc.spans[BODIES_KEY])
        out.append(found)
    return out


PARALLEL_CHARS = 300_000  # a text this long is read in a second process: below it, forking costs more than it saves


class PendingMentions:
    """The result of :func:`body_mentions` on one text, being computed; call it to get it.

    Started by :func:`start_body_mentions`, on a copy of the caller's parser, so
    the caller may go on parsing meanwhile: neither sees what the other parses,
    and the results are the same whichever finishes first. ``close()`` stops a
    computation whose result is no longer wanted.

    ``side``, a function of no arguments whose result does not depend on what the
    caller parses meanwhile (the instruments of each clause), runs after the
    mentions in the same process; :meth:`side` returns its result. It evens out
    the two processes: the caller's owner loop is the longer of them.
    """

    _NOTHING = object()

    def __init__(self, text: str, parser: BodyParser, side: Callable[[], object] | None = None):
        self._text, self._parser, self._side = text, parser.copy(), side
        self._result: list[tuple[Body, int, int]] | None = None
        self._side_result = self._NOTHING
        self._process = self._conn = None
        if len(text) >= PARALLEL_CHARS and _may_fork():
            ctx = multiprocessing.get_context("fork")
            self._conn, child_end = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_mentions_child, args=(child_end, text, self._parser, side),
                                        name="envgov-mentions", daemon=True)
            self._process.start()
            child_end.close()
            # an extraction that fails before asking for the result leaves no process behind
            weakref.finalize(self, _stop, self._process, self._conn)
        else:
            self._result = body_mentions([text], self._parser)[0]

    def __call__(self) -> list[tuple[Body, int, int]]:
        if self._result is None:
            try:
                status, value = self._conn.recv()
            except (EOFError, OSError):  # the process died (killed, out of memory): do the work here
                status, value = "lost", None
            if status == "ok":
                self._process.join()  # it ends once it has sent
            self.close()
            if status == "error":
                raise RuntimeError(f"the mention stage failed: {value}")
            if status == "ok":
                self._result, self._side_result = value
            else:
                self._result = body_mentions([self._text], self._parser)[0]
        return self._result

    def side(self):
        """The result of ``side()`` (None without one), computed here if it was not there."""
        self()
        if self._side_result is self._NOTHING:
            self._side_result = self._side() if self._side is not None else None
        return self._side_result

    def close(self) -> None:
        if self._process is not None:
            _stop(self._process, self._conn)
            self._process = None


def _stop(process, conn) -> None:
    if process.is_alive():
        process.kill()
    process.join()
    conn.close()


def _may_fork() -> bool:
    """A second process helps on a second CPU, where fork() exists (not on Windows),
    from the main process only: the workers of ``kg build --jobs N`` already share out the CPUs."""
    return ((os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()
            and multiprocessing.parent_process() is None)


def _mentions_child(conn, text: str, parser: BodyParser, side: Callable[[], object] | None = None) -> None:
    try:
        conn.send(("ok", (body_mentions([text], parser)[0], side() if side is not None else None)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def start_body_mentions(text: str, parser: BodyParser, side: Callable[[], object] | None = None) -> PendingMentions:
    """:func:`body_mentions` of ``text``, beside the caller: in a forked process when
    the text is long (the mention stage is half of a large document's extraction,
    and runs there on the second CPU while the owners are found), else at once.
    ``side`` runs there too (see :class:`PendingMentions`)."""
    return PendingMentions(text, parser, side)

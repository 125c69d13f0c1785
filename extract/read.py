"""Reading: bytes on disk → clean simplified text with a map back to the file.

Every transformation (HTML stripping, traditional→simplified, clutter removal,
repair of line and page breaks inside words) goes through :class:`MappedText`,
which keeps, for each character of the clean text, the offset of the
character it came from in the decoded original. Evidence spans are therefore
always spans of the file the user gave us.
"""
from __future__ import annotations

import codecs
import hashlib
import html
import io
import os
import re
import stat
import zipfile
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .vocab import load_lines

# One document's limit: a merged file above it is skipped with a reason (split it
# into its documents). Extraction keeps per-character offsets and every record
# of a document in memory: about 1 GB per 1 M characters at the limit.
MAX_BYTES = 10 * 1024 * 1024
# The same limit holds for the text a file gives (measured as UTF-8), in every
# format: a small .docx or PDF can hold far more text than its size suggests.

# Zip bombs in .docx. Only the XML parts are ever inflated (pictures, fonts and
# embedded objects are not needed for the text). A part may inflate at most
# _ZIP_MAX_RATIO times its packed size once it is over _ZIP_RATIO_GRACE (Apache
# POI refuses the same ratio), and all XML together at most _DOCX_XML_FACTOR
# times the text limit: Word markup is a few times the size of its text.
_ZIP_MAX_RATIO = 100
_ZIP_RATIO_GRACE = 1024 * 1024
_DOCX_XML_FACTOR = 8
_ZIP_MAX_ENTRIES = 10_000


class ReadError(Exception):
    """A file that cannot be read as a policy document; the message says why."""


def offsets(values=()) -> array:
    """A sequence of character offsets: machine integers, not Python ints. A map
    holds one per character (3.6 M at the size limit), so a list of ints would
    cost 36 bytes each and every copy of it a pass of reference counting."""
    return array("q", values)


@dataclass
class MappedText:
    """Text plus, for every character, its offset in the original string.

    ``origin`` is an :func:`offsets` array (a list given is made one).
    """

    text: str
    origin: array

    def __post_init__(self):
        if not isinstance(self.origin, array):
            self.origin = offsets(self.origin)

    @classmethod
    def identity(cls, text: str) -> "MappedText":
        return cls(text, offsets(range(len(text))))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the clean span [start, end)."""
        if not self.origin:
            return (0, 0)
        start = min(max(start, 0), len(self.origin) - 1)
        last = min(max(end - 1, start), len(self.origin) - 1)
        return (self.origin[start], self.origin[last] + 1)

    def sub(self, pattern: re.Pattern[str], repl) -> "MappedText":
        """Regex substitution; inserted characters map to the match start."""
        out: list[str] = []
        origin = offsets()
        pos = 0
        for m in pattern.finditer(self.text):
            out.append(self.text[pos:m.start()])
            origin.extend(self.origin[pos:m.start()])
            new = repl(m) if callable(repl) else m.expand(repl)
            out.append(new)
            anchor = self.origin[m.start()] if m.start() < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            if new == m.group(0):
                origin.extend(self.origin[m.start():m.end()])
            else:
                origin.extend([anchor] * len(new))
            pos = m.end()
        if not out:  # nothing matched
            return self
        out.append(self.text[pos:])
        origin.extend(self.origin[pos:])
        return MappedText("".join(out), origin)

    def convert_lines(self, convert) -> "MappedText":
        """Apply a string converter line by line, keeping the map where lengths agree."""
        out: list[str] = []
        origin = offsets()
        pos = 0
        for line in self.text.splitlines(keepends=True):
            new = convert(line)
            seg = self.origin[pos:pos + len(line)]
            if len(new) == len(line):
                origin.extend(seg)
            else:  # rare phrase conversions that change length: spread evenly
                origin.extend(seg[min(len(seg) - 1, i * len(seg) // max(len(new), 1))] for i in range(len(new)))
            out.append(new)
            pos += len(line)
        return MappedText("".join(out), origin)


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in order after UTF-8; the first that decodes with mostly common hanzi wins.
_CANDIDATES = ("gb18030", "big5", "utf-16-le", "utf-16-be")


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample and not (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4):
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) // 20


def _cjk_ratio(text: str) -> float:
    sample = text[:5000]
    if not sample:
        return 0.0
    good = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff" or c.isascii() or c in "，。、；：？！（）《》“”‘’【】〔〕—…·　\n")
    return good / len(sample)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of a Chinese text file; returns (text, encoding).

    The encoding is detected from BOMs and by trial decoding, not guessed
    from the file name. Raises ReadError when nothing fits.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "") + " (BOM)"
            except UnicodeDecodeError as exc:
                raise ReadError(f"has a {enc} byte-order mark but does not decode as {enc}: {exc.reason}") from None
    # UTF-16 without BOM: many NULs, or (Chinese-heavy text) NULs only in alternate positions
    head = data[:2000]
    if head.count(0) > len(head) // 4 or (len(data) % 2 == 0 and head.count(0) and not (head[0::2].count(0) and head[1::2].count(0))):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _cjk_ratio(text) > 0.9:
                return text, enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:  # UTF-16 without BOM: Chinese text has few NULs, so try decoding
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _cjk_ratio(text) > 0.95 and sum("\u4e00" <= c <= "\u9fff" for c in text[:2000]) > len(text[:2000]) // 3:
                return text, enc
    if _looks_binary(data):
        raise ReadError("is a binary file, not text")
    best: tuple[float, str, str] | None = None
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _cjk_ratio(text) + (0.01 if enc == "gb18030" else 0)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.8:
        try:
            from charset_normalizer import from_bytes

            match = from_bytes(data).best()
        except Exception:  # pragma: no cover - detector failure is just "no match"
            match = None
        if match is not None and _cjk_ratio(str(match)) >= 0.8:
            return str(match), match.encoding
        raise ReadError("cannot be decoded as UTF-8, GB18030/GBK, Big5 or UTF-16")
    return best[1], best[2]


# --------------------------------------------------------------------------- HTML
#
# HTML is parsed by libxml2 (through lxml), whose HTML5 tokenizer is linear in
# the input: no regular expression ever runs over markup. The parser says what
# is text and which element holds it; a linear scan of the same input finds
# where each run of text lies, so every clean character keeps the offset of
# the character it came from.

_DROP_TAGS = {"script", "style", "noscript", "head", "nav", "footer", "template"}
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul", "ol", "title", "hr"}
# elements whose content is not markup (HTML5 raw text; RCDATA also decodes entities)
_RAW_TAGS = {"script", "style", "xmp", "iframe", "noembed", "noframes"}
_RCDATA_TAGS = {"title", "textarea"}
_ENTITY_AT = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[a-zA-Z][a-zA-Z0-9]{0,31};?)")
_ALIGN_WINDOW = 256


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<p" in head and "</p>" in text[:20000].lower()) or "<body" in head


def _decode_entity(ref: str) -> str:
    """One character reference as an HTML5 parser reads it."""
    if ref.startswith("&#"):
        digits = ref[2:].rstrip(";")
        hexa = digits[:1] in ("x", "X")
        digits = digits[1:] if hexa else digits
        if len(digits.lstrip("0")) > 8:  # far beyond U+10FFFF: do not make a huge int
            return "\ufffd"
        return html.unescape(f"&#{'x' if hexa else ''}{digits};")
    return html.unescape(ref)


def _text_runs(s: str):
    """(start, end, decode) for each run of text content in ``s``, in order.

    A linear scan in the manner of the HTML5 tokenizer: tags, comments,
    doctypes and processing instructions are markup; the content of raw-text
    elements (script, style …) is text that is not decoded.
    """
    n = len(s)
    i = 0
    while i < n:
        lt = s.find("<", i)
        if lt < 0:
            yield (i, n, True)
            return
        if lt > i:
            yield (i, lt, True)
        nxt = s[lt + 1:lt + 2]
        if nxt.isascii() and nxt.isalpha():  # start tag
            j = lt + 1
            while j < n and s[j] not in " \t\n\f/>":
                j += 1
            name = s[lt + 1:j].lower()
            end = _tag_end(s, j)
            if end >= n:
                return
            i = end
            if name in _RAW_TAGS or name in _RCDATA_TAGS or name == "plaintext":
                close = n if name == "plaintext" else _close_tag(s, i, name)
                if close > i:
                    yield (i, close, name in _RCDATA_TAGS)
                i = close
        elif s.startswith("<!--", lt):
            if s.startswith(">", lt + 4) or s.startswith("->", lt + 4):
                i = lt + (5 if s[lt + 4] == ">" else 6)
            else:
                close = s.find("-->", lt + 4)
                i = n if close < 0 else close + 3
        elif nxt == "/" and lt + 2 >= n:  # "</" at the end is text
            yield (lt, n, True)
            return
        elif nxt in ("!", "?") or (nxt == "/" and not (s[lt + 2:lt + 3].isascii() and s[lt + 2:lt + 3].isalpha())):
            close = s.find(">", lt + 1)
            i = n if close < 0 else close + 1
        elif nxt == "/":  # end tag
            i = _tag_end(s, lt + 2)
        else:  # a "<" that starts nothing is text
            yield (lt, lt + 1, True)
            i = lt + 1


def _tag_end(s: str, j: int) -> int:
    """Offset after the ">" that closes the tag whose attributes start at ``j``."""
    n = len(s)
    last = ""
    while j < n:
        c = s[j]
        if c == ">":
            return j + 1
        if c in "\"'" and last == "=":
            close = s.find(c, j + 1)
            if close < 0:
                return n
            j = close + 1
            last = c
            continue
        if c not in " \t\n\f":
            last = c
        j += 1
    return n


def _close_tag(s: str, i: int, name: str) -> int:
    """Offset of the ``</name`` that ends a raw-text element opened before ``i``."""
    pattern = _close_patterns.get(name)
    if pattern is None:
        pattern = _close_patterns[name] = re.compile(f"</{name}(?=[\\t\\n\\f />]|$)", re.I)
    m = pattern.search(s, i)
    return m.start() if m else len(s)


_close_patterns: dict[str, re.Pattern[str]] = {}


def _source_text(s: str) -> tuple[str, array]:
    """All text content of ``s`` as a parser decodes it, with each character's offset in ``s``."""
    out: list[str] = []
    origin = offsets()
    for start, end, decode_refs in _text_runs(s):
        pos = start
        if decode_refs:
            amp = s.find("&", pos, end)
            while amp >= 0:
                m = _ENTITY_AT.match(s, amp, end)
                if m is None:
                    amp = s.find("&", amp + 1, end)
                    continue
                out.append(s[pos:amp])
                origin.extend(range(pos, amp))
                ref = m.group(0)
                value = _decode_entity(ref)
                out.append(value)
                if value == ref:
                    origin.extend(range(amp, m.end()))
                else:
                    origin.extend([amp] * len(value))
                pos = m.end()
                amp = s.find("&", pos, end)
        out.append(s[pos:end])
        origin.extend(range(pos, end))
    return "".join(out), origin


def _html_chunks(root):
    """("text", str, kept) and ("sep", "\\n" | "\\t") items in document order."""
    # content after </html> becomes further top-level elements: walk them all
    top = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    dropped = 0
    stack: list[tuple[bool, object]] = [(True, node) for node in reversed(top)]
    while stack:
        entering, node = stack.pop()
        tag = node.tag
        is_element = isinstance(tag, str)
        name = tag.rsplit("}", 1)[-1].lower() if is_element else ""
        if entering:
            if is_element:
                if name in _DROP_TAGS:
                    dropped += 1
                if not dropped:
                    if name in _BLOCK_TAGS:
                        yield ("sep", "\n")
                    elif name in ("td", "th"):
                        yield ("sep", "\t")
                if node.text:
                    yield ("text", node.text, not dropped)
                stack.append((False, node))
                stack.extend((True, child) for child in reversed(node))
            else:  # comment, processing instruction: only its tail is text
                stack.append((False, node))
            continue
        if is_element:
            if not dropped and name in _BLOCK_TAGS:
                yield ("sep", "\n")
            if name in _DROP_TAGS:
                dropped -= 1
        if node.tail:
            yield ("text", node.tail, not dropped)


def html_text(s: str) -> tuple[str, array]:
    """Visible text of an HTML string and, for each character, its offset in ``s``.

    Script, style, head, navigation and footer are dropped; block elements
    become line breaks and table cells tabs. Offsets of synthetic breaks are
    those of the end of the text before them.
    """
    from lxml import etree

    if not s.strip():
        return "", []
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=False, remove_pis=False, huge_tree=True,
                              no_network=True)
    try:
        root = etree.fromstring(s.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError):
        root = None
    if root is None:
        return "", []
    src, src_origin = _source_text(s)
    out: list[str] = []
    origin = offsets()
    d = 0  # how far the source text has been matched
    long_searches = 0
    for kind, value, *rest in _html_chunks(root):
        if kind == "sep":
            out.append(value)
            origin.append(src_origin[d - 1] + 1 if d else 0)
            continue
        kept = rest[0]
        n = len(value)
        if src.startswith(value, d):
            p = d
        else:
            p = src.find(value, d, d + n + _ALIGN_WINDOW)
            if p < 0 and n >= 8 and long_searches < 64:  # the parser skipped a long stretch: resynchronise
                long_searches += 1
                p = src.find(value, d)
        if p >= 0:
            if kept:
                out.append(value)
                origin.extend(src_origin[p:p + n])
            d = p + n
            continue
        # the parser's text differs from ours (an unusual reference, a repaired
        # character): match what can be matched, one character at a time
        for c in value:
            q = src.find(c, d, d + _ALIGN_WINDOW)
            if q >= 0:
                at = src_origin[q]
                d = q + 1
            else:
                at = src_origin[d] if d < len(src_origin) else (src_origin[-1] + 1 if src_origin else 0)
            if kept:
                out.append(c)
                origin.append(at)
    return "".join(out), origin


def strip_html(mt: MappedText) -> MappedText:
    """``mt`` without markup; the map still leads to the original."""
    text, origin = html_text(mt.text)
    end = mt.origin[-1] + 1 if mt.origin else 0
    return MappedText(text, [mt.origin[o] if o < len(mt.origin) else end for o in origin])


# --------------------------------------------------------------------------- normalising

@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover
        raise ImportError("OpenCC is required for traditional Chinese: pip install opencc") from None
    return opencc.OpenCC("t2s").convert


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (``a|(b|c)|d`` → a, (b|c), d)."""
    parts, cur, depth, in_class, i = [], [], 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


@lru_cache(maxsize=1)
def _clutter():
    """Whether a stripped line is clutter (``clutter.txt``). The alternatives anchored at
    the line's start are one pattern, tried there only; the others are searched. One
    pattern of both was tried at every position of every line: a 10 MB text's lines
    took 0.9 s that way, 0.1 s this way."""
    alternatives = [a for p in load_lines("clutter.txt") for a in _alternatives(p)]
    anchored = re.compile("|".join(f"(?:{a})" for a in alternatives if a.startswith("^")) or "(?!)")
    anywhere = re.compile("|".join(f"(?:{a})" for a in alternatives if not a.startswith("^")) or "(?!)")
    return lambda line: bool(anchored.match(line) or anywhere.search(line))


_TERMINAL = "。！？；：!?;:”」』）)》〕】…"
_OPENERS = {"（": "）", "(": ")", "《": "》", "〈": "〉", "“": "”", "「": "」", "〔": "〕", "【": "】"}
_CONTINUES = "、，,。；;：:）)》〉”」〕】"
_BLOCK_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,3}[.、．](?!\d)|第[一二三四五六七八九十百零〇\d]+[章节条部分篇]|附[表件]|——|序号\t)"
)


_CLOSERS = "".join(_OPENERS.values())
_NOT_BRACKET = re.compile("[^" + re.escape("".join(_OPENERS) + _CLOSERS) + "]+")


def _unbalanced(line: str) -> bool:
    depth = 0
    for c in _NOT_BRACKET.sub("", line):
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            depth = max(depth - 1, 0)
    return depth > 0


def _should_join(prev: str, nxt: str) -> bool:
    p, n = prev.rstrip(), nxt.strip()
    if not p or not n:
        return False
    if "\t" in p or "\t" in n:  # table rows are kept whole
        return False
    if n[0] in _CONTINUES:
        return True
    if _BLOCK_START.match(n):
        return False
    if len(p) < 400 and _unbalanced(p):  # the length first: p grows as lines are joined
        return True
    if p[-1] in "、，,和及与或":
        return True
    if len(p) >= 60 and p[-1] not in _TERMINAL:
        return True
    # a sentence broken inside a word (…依法给予警告、罚 / 款、拘留…): a copied page's hard wrap
    return bool(re.search(r"[，,]", p)) and _word_across(p, n)


def _word_across(p: str, n: str) -> bool:
    """Whether a word of the segmenter's dictionary runs from the end of ``p`` into ``n``."""
    if not (_HANZI.fullmatch(p[-1]) and _HANZI.fullmatch(n[0])):
        return False
    head, tail = p[-4:], n[:4]
    at = 0
    for token in _segmenter().cut(head + tail, False):
        if at < len(head) < at + len(token):
            return True
        at += len(token)
    return False


_HANZI = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _segmenter():
    import rjieba

    return rjieba.Jieba()


_SPACES = re.compile(r"[\u00a0\u3000\u2002\u2003\u200b\ufeff]")
# full-width digits (a Word habit): the dates, numbers and markers read as ASCII digits
_FULLWIDTH_DIGIT = re.compile(r"[\uff10-\uff19]")
# pinyin with tone marks in brackets right after a hanzi: a web page's ruby annotation
# flattened into the text (生态(tài)环(huán)境); Chinese prose never writes it so
# question marks padding a line: spaces (or ideographic spaces) lost to a wrong encoding on the way
# (????????? ?泰州市人民政府 is a signature); Chinese prose writes its question mark full-width
_LOST_SPACES = re.compile(r"(?m)^[ \t]*\?[? \t]*")
_RUBY_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
_CRLF = re.compile(r"\r\n?")
_MARKER_SPACE = re.compile(r"(?m)^([ \t]*[一二三四五六七八九十]{1,3})[ \t\u3000]+(?=[、．.])")
# Control characters break XML exports (GraphML, GEXF) and CSV: page and line
# separators become line breaks, every other control character goes (as do
# U+FFFE/U+FFFF and lone surrogates, which no UTF encodes). Tab, LF, CR stay.
_LINE_BREAKS = re.compile(r"[\f\v\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]+")
# "20 号", "到 2025 年": spaces between digits and hanzi are typesetting, not words
_INLINE_SPACE = re.compile(r"(?<=\d) +(?=[\u4e00-\u9fff%％])|(?<=[\u4e00-\u9fff]) +(?=\d)")


def normalise(original: str, html_input: bool | None = None) -> MappedText:
    """Clean text of one document, with its map back to ``original``."""
    mt = MappedText.identity(original)
    if html_input is None:
        html_input = looks_like_html(original)
    mt = mt.sub(_CRLF, "\n")
    mt = mt.sub(_LINE_BREAKS, "\n")
    mt = mt.sub(_CONTROLS, "")
    if html_input:
        mt = strip_html(mt)
        mt = mt.sub(_LINE_BREAKS, "\n")  # character references can name control characters too
        mt = mt.sub(_CONTROLS, "")
    mt = mt.sub(_SPACES, " ")
    mt = mt.sub(_FULLWIDTH_DIGIT, lambda m: chr(ord(m.group()) - 0xFEE0))  # ２０２４年 is 2024年
    mt = mt.sub(_RUBY_PINYIN, "")
    mt = mt.sub(_MARKER_SPACE, lambda m: m.group(1))  # 四 、违反…: a part's number with a stray space
    mt = mt.sub(_LOST_SPACES, "")
    mt = mt.convert_lines(_t2s())
    mt = MappedText(_table_rows(mt.text), mt.origin)  # same length: breaks and spaces become tabs
    lines = _split_lines(mt)
    clutter = _clutter()
    kept = [(s, e) for s, e in lines if mt.text[s:e].strip() and not clutter(mt.text[s:e].strip())]
    # rebuild: paragraphs separated by a single newline, broken lines joined
    out: list[str] = []
    origin = offsets()
    prev_text = ""
    for s, e in kept:
        seg = mt.text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        s2, e2 = s + lead, s + trail
        seg = mt.text[s2:e2]
        if out:
            if _should_join(prev_text, seg):
                pass
            else:
                out.append("\n")
                origin.append(mt.origin[s2] if s2 < len(mt.origin) else len(original))
                prev_text = ""
        out.append(seg)
        origin.extend(mt.origin[s2:e2])
        prev_text = prev_text + seg
    result = MappedText("".join(out), origin)
    return result.sub(_INLINE_SPACE, "")


@lru_cache(maxsize=1)
def _table_headers() -> tuple[frozenset[str], tuple[str, ...]]:
    """The header words of tables (data/table_headers.tsv), and those of the rows' number column (序号, 编号)."""
    from .vocab import load_tsv

    rows = load_tsv("table_headers.tsv")
    return frozenset(r["header"] for r in rows), tuple(r["header"] for r in rows if r["role"] == "number")


@lru_cache(maxsize=1)
def _number_header_lines() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """序号 alone on its line (a table copied a cell a line); 序号 then words after spaces (cells
    separated by spaces)."""
    words = "|".join(map(re.escape, _table_headers()[1]))
    return re.compile(rf"(?m)^[ \t]*(?:{words})[ \t]*$"), re.compile(rf"(?m)^[ \t]*(?:{words}) +\S")


def _table_rows(text: str) -> str:
    """Tables copied from web pages and documents as text, written back as rows of
    tab-separated cells of the same length (every offset stays where it was): cells
    separated by spaces (:func:`_rows_of_spaced_cells`) or one a line
    (:func:`_rows_of_cell_lines`). Other texts are returned as they are."""
    numbers = _table_headers()[1]
    if not any(word in text for word in numbers):
        return text
    one_a_line, spaced = _number_header_lines()
    if spaced.search(text):
        text = _rows_of_spaced_cells(text)
    return _rows_of_cell_lines(text) if one_a_line.search(text) else text


def _rows_of_cell_lines(text: str) -> str:
    """A table copied from a web page one cell a line (序号 / 重点任务 / 责任单位 / 完成时限 /
    1 / 开展… / 县生态环境局 / 2023年12月底 / 2 / …) written back as rows: the line breaks
    between the cells of a row become a tab (and spaces), so each row is one line of
    tab-separated cells, as a copied table's rows are. The header is the short lines
    between 序号 and the first row's number, two of them header words
    (data/table_headers.tsv); a row runs from its number to the next number in sequence."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    cells = [text[a:b].strip() for a, b in spans]
    headers, numbers = _table_headers()
    out: list[str] = []  # the text's characters, made on the first table found

    def join(first: int, last: int) -> None:  # spans[first..last] onto one line
        if not out:
            out.extend(text)
        for i in range(first, last):
            gap_start, gap_end = spans[i][1], spans[i + 1][0]
            for j in range(gap_start, gap_end):
                out[j] = "\t" if j == gap_start else (" " if text[j] == "\n" else text[j])

    i = 0
    while i < len(cells):
        if cells[i] not in numbers:
            i += 1
            continue
        # the header: the short lines between 序号 and the first row's number, two of them known headers
        one = next((j for j in range(i + 1, min(len(cells), i + 10)) if re.fullmatch(r"1[.、．]?", cells[j])), None)
        k = (one - 1) if one is not None else i
        width = k - i + 1
        if width < 3 or sum(c in headers for c in cells[i + 1:k + 1]) < 2 \
                or any(len(c) > 8 or re.search(r"[，,。；;：:]", c) for c in cells[i + 1:k + 1]):
            i += 1
            continue
        join(i, k)
        row, n = k + 1, 1
        while row < len(cells) and re.fullmatch(rf"{n}[.、．]?", cells[row]):
            nxt = next((j for j in range(row + 1, min(len(cells), row + 3 * width))
                        if re.fullmatch(rf"{n + 1}[.、．]?", cells[j])), None)
            end = (nxt - 1) if nxt is not None else min(len(cells) - 1, row + width - 1)
            join(row, end)
            if nxt is None:
                break
            row, n = nxt, n + 1
        i = row + 1
    return "".join(out) if out else text


def _rows_of_spaced_cells(text: str) -> str:
    """A table whose cells are separated by spaces (序号 重点任务 责任单位 完成时限 / 1 开展… 县住建局
    长期坚持): the first space of each gap between cells becomes a tab, in the header line and
    in the numbered rows under it (1, 2, … in sequence)."""
    headers, numbers = _table_headers()
    lines = text.split("\n")
    out = lines[:]
    i = 0
    while i < len(lines):
        words = lines[i].split()
        if len(words) >= 3 and words[0] in numbers and all(w in headers for w in words) and "\t" not in lines[i]:
            out[i] = _tabbed(lines[i])
            n, j = 1, i + 1
            while j < len(lines) and re.match(rf"\s*{n}[.、．]?\s+\S", lines[j]) and "\t" not in lines[j]:
                out[j] = _tabbed(lines[j])
                n, j = n + 1, j + 1
            i = j
        else:
            i += 1
    return "\n".join(out)


def _tabbed(line: str) -> str:
    """Each run of spaces inside a line: a tab then spaces (same length)."""
    lead = len(line) - len(line.lstrip())
    body = re.sub(r"[ \u3000]+", lambda m: "\t" + m.group()[1:], line[lead:].rstrip())
    return line[:lead] + body + line[lead + len(line[lead:].rstrip()):]


def _split_lines(mt: MappedText) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in mt.text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


# --------------------------------------------------------------------------- files

@dataclass
class Source:
    """One document as read: original text, clean text and the map between them."""

    doc_id: str
    path: str
    original: str
    clean: MappedText
    encoding: str
    sha256: str

    @property
    def text(self) -> str:
        return self.clean.text


SUPPORTED_SUFFIXES = {".txt", ".text", ".htm", ".html", ".xhtml", ".md", ".docx", ".pdf", ""}


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def _limit() -> str:
    return f"the {MAX_BYTES // (1024 * 1024)} MB limit for one document" if MAX_BYTES >= 1024 * 1024 else \
        f"the {_mb(MAX_BYTES)} limit for one document"


def check_text_size(text: str) -> None:
    """Raise ReadError when the text of one document is over the limit (as UTF-8)."""
    n = len(text)
    if n * 4 <= MAX_BYTES:
        return
    size = n if n > MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        what = f"over {_mb(MAX_BYTES)}" if n > MAX_BYTES else _mb(size)
        raise ReadError(f"has {what} of text ({n:,} characters), over {_limit()}; split it into its documents")


# ---- Word

_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _inflated_part(name: str) -> bool:
    """Parts whose content text extraction needs: XML and relationships."""
    low = name.lower()
    return low.endswith(".xml") or low.endswith(".rels")


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One part, read in bounded steps; zipfile stops at the declared size and checks the CRC."""
    chunks: list[bytes] = []
    got = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                got += len(chunk)
                chunks.append(chunk)
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc):  # zipfile stops at the declared size, so a part that lies about it fails here
            raise ReadError(f"is a damaged Word document or a zip bomb: {info.filename} does not match its zip header "
                            f"(declared {_mb(info.file_size)}, bad CRC-32)") from None
        raise
    return b"".join(chunks)


class _TextCounter:
    """lxml parser target: UTF-8 size of the w:t text of a Word part, without building a tree."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.depth = 0  # inside w:t

    def start(self, tag, attrib):
        if tag == _W_NS + "t":
            self.depth += 1
        elif tag == _W_NS + "p":
            self.size += 1

    def end(self, tag):
        if tag == _W_NS + "t":
            self.depth -= 1

    def data(self, text):
        if self.depth:
            self.size += len(text.encode("utf-8", "surrogatepass"))
            if self.size > self.limit:
                raise _TooMuchText()

    def close(self):
        return self.size


class _TooMuchText(Exception):
    pass


def _docx_text_size_ok(xml: bytes) -> bool:
    from lxml import etree

    parser = etree.XMLParser(target=_TextCounter(MAX_BYTES), resolve_entities=False, no_network=True, huge_tree=True)
    try:
        etree.fromstring(xml, parser)
    except _TooMuchText:
        return False
    except etree.LxmlError:
        return True  # damaged XML: python-docx gives the reason
    return True


def safe_docx(data: bytes) -> bytes:
    """The .docx ``data`` repacked with only its XML parts, after checks against zip bombs.

    Declared sizes and compression ratios are checked before anything is
    inflated; XML parts are inflated in bounded steps (zipfile stops at the
    declared size); pictures and other binary parts are left empty, since the
    text does not need them. Raises ReadError with the reason.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ReadError(f"is not a readable Word document ({type(exc).__name__})") from None
    if len(infos) > _ZIP_MAX_ENTRIES:
        raise ReadError(f"is a zip of {len(infos):,} parts, over the {_ZIP_MAX_ENTRIES:,} a Word document can have")
    parts: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if not info.is_dir():
            parts[info.filename] = info  # as zipfile does, the last entry of a name wins
    xml_limit = _DOCX_XML_FACTOR * MAX_BYTES
    total = 0
    for name, info in parts.items():
        if not _inflated_part(name):
            continue
        size, packed = info.file_size, info.compress_size
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReadError(f"is not a Word document: {name} uses zip compression method {info.compress_type}, "
                            "not deflate")
        if info.flag_bits & 0x1:
            raise ReadError(f"is an encrypted zip, not a Word document ({name} needs a password)")
        if size > _ZIP_RATIO_GRACE and size > _ZIP_MAX_RATIO * max(packed, 1):
            raise ReadError(f"is a zip bomb: {name} declares {_mb(size)} packed into {_mb(packed)} "
                            f"({size // max(packed, 1):,}:1, over {_ZIP_MAX_RATIO}:1)")
        total += size
        if size > xml_limit or total > xml_limit:
            raise ReadError(f"is a zip bomb or not a Word document: its XML would inflate to over {_mb(max(size, total))}, "
                            f"more than {_mb(xml_limit)} (the markup of {_mb(MAX_BYTES)} of text)")
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as packed_zip:
            for name, info in parts.items():
                if not _inflated_part(name):
                    packed_zip.writestr(name, b"")
                    continue
                blob = _inflate(zf, info)
                if name.lower().startswith("word/") and len(blob) > MAX_BYTES and not _docx_text_size_ok(blob):
                    raise ReadError(f"has over {_mb(MAX_BYTES)} of text ({name}: {_mb(len(blob))} of XML), "
                                    f"over {_limit()}; split it into its documents")
                packed_zip.writestr(name, blob)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
        raise ReadError(f"is not a readable Word document ({type(exc).__name__}: {str(exc)[:80]})") from None
    return out.getvalue()


# ---- PDF

def check_pdf_opens(data: bytes) -> None:
    """ReadError when a PDF is encrypted in a way we cannot open; other damage is left to pdf_text."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError
    except ImportError:
        return
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception:
        return
    if not encrypted:
        return
    try:
        opened = reader.decrypt("")
    except DependencyError:
        raise ReadError("is an encrypted PDF and reading it needs the 'cryptography' package "
                        "(pip install 'pypdf[crypto]')") from None
    except Exception as exc:
        raise ReadError(f"is an encrypted PDF that cannot be decrypted ({type(exc).__name__}: {str(exc)[:80]})") from None
    if not opened:
        raise ReadError("is a password-protected PDF: it opens only with a user password; "
                        "save a copy without the password")


# ---- any file

def read_bytes_as_text(path: Path, data: bytes) -> tuple[str, str, bool | None]:
    """Decode a file's bytes by its real format; returns (text, encoding, is_html)."""
    suffix = path.suffix.lower()
    if data[:4] == b"PK\x03\x04" and suffix in (".docx", ""):
        from .formats import docx_text

        text = docx_text(safe_docx(data))
        check_text_size(text)
        return text, "docx", False
    if data[:5] == b"%PDF-":
        from .formats import pdf_text

        check_pdf_opens(data)
        text = pdf_text(data)
        check_text_size(text)
        return text, "pdf", False
    if suffix == ".docx":
        if data[:8] == _OLE_MAGIC:
            raise ReadError("is named .docx but is an old Word .doc or a password-protected Word file; "
                            "save it as .docx without a password")
        raise ReadError("is named .docx but is not a Word document")
    if suffix == ".pdf":
        raise ReadError("is named .pdf but is not a PDF")
    text, enc = decode(data)
    check_text_size(text)
    return text, enc, (True if suffix in (".htm", ".html", ".xhtml") else None)


_FILE_KINDS = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def _check_regular(mode: int) -> None:
    for test, reason in _FILE_KINDS:
        if test(mode):
            raise ReadError(reason)
    if not stat.S_ISREG(mode):
        raise ReadError("is not a regular file")


def _check_size(size: int) -> None:
    if size == 0:
        raise ReadError("is empty")
    if size > MAX_BYTES:
        raise ReadError(f"is {size // (1024 * 1024)} MB, over {_limit()}; split it into its documents")


def read_file_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; ReadError with the reason otherwise.

    Pipes, devices, sockets and directories are refused before they are opened
    for reading (a FIFO would block, /dev/zero never ends), and the size is
    checked before reading and again while reading (a file can grow).
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    _check_regular(st.st_mode)
    _check_size(st.st_size)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)  # the file opened may not be the file checked
        _check_regular(st.st_mode)
        _check_size(st.st_size)
        chunks: list[bytes] = []
        got = 0
        while got <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if got > MAX_BYTES:
        raise ReadError(f"grew over {_limit()} while it was read; split it into its documents")
    data = b"".join(chunks)
    if not data:
        raise ReadError("is empty")
    return data


def read_source(path: str | Path, doc_id: str | None = None) -> Source:
    """Read and normalise a document file. Raises ReadError with a one-line reason."""
    p = Path(path)
    data = read_file_bytes(p)
    text, enc, is_html = read_bytes_as_text(p, data)
    return source_from_text(text, doc_id or p.name, str(p), enc, hashlib.sha256(data).hexdigest(), is_html)


def source_from_text(text: str, doc_id: str, path: str = "", encoding: str = "utf-8", sha256: str | None = None,
                     html_input: bool | None = None) -> Source:
    check_text_size(text)
    clean = normalise(text, html_input)
    if sum(1 for _ in zip(range(10), _HANZI.finditer(clean.text))) < 10:  # stops at the tenth
        raise ReadError("contains no Chinese text to extract from")
    digest = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Source(doc_id, path, text, clean, encoding, digest)

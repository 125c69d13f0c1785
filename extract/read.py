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
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .vocab import load_lines

# One document's limit: a merged file above it is skipped with a reason (split it
# into its documents). Extraction keeps per-character offsets and every record
# of a document in memory: about 1 GB per 1 M characters at the limit.
MAX_BYTES = 10 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as a policy document; the message says why."""


@dataclass
class MappedText:
    """Text plus, for every character, its offset in the original string."""

    text: str
    origin: list[int]

    @classmethod
    def identity(cls, text: str) -> "MappedText":
        return cls(text, list(range(len(text))))

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
        origin: list[int] = []
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
        out.append(self.text[pos:])
        origin.extend(self.origin[pos:])
        return MappedText("".join(out), origin)

    def convert_lines(self, convert) -> "MappedText":
        """Apply a string converter line by line, keeping the map where lengths agree."""
        out: list[str] = []
        origin: list[int] = []
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

_HTML_DROP = re.compile(r"(?is)<(script|style|noscript|head|nav|footer)\b.*?</\1\s*>|<!--.*?-->")
_HTML_TAG = re.compile(r"(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul", "ol", "title", "hr"}
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<p" in head and "</p>" in text[:20000].lower()) or "<body" in head


def strip_html(mt: MappedText) -> MappedText:
    mt = mt.sub(_HTML_DROP, "")

    def tag(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name in ("td", "th") and not m.group(1):
            return "\t"
        return "\n" if name in _BLOCK_TAGS else ""

    mt = mt.sub(_HTML_TAG, tag)
    return mt.sub(_ENTITY, lambda m: html.unescape(m.group(0)))


# --------------------------------------------------------------------------- normalising

@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover
        raise ImportError("OpenCC is required for traditional Chinese: pip install opencc") from None
    return opencc.OpenCC("t2s").convert


@lru_cache(maxsize=1)
def _clutter() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_lines("clutter.txt")))


_TERMINAL = "。！？；：!?;:”」』）)》〕】…"
_OPENERS = {"（": "）", "(": ")", "《": "》", "〈": "〉", "“": "”", "「": "」", "〔": "〕", "【": "】"}
_CONTINUES = "、，,。；;：:）)》〉”」〕】"
_BLOCK_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d{1,3}[.、．](?!\d)|第[一二三四五六七八九十百零〇\d]+[章节条部分篇]|附[表件]|——|序号\t)"
)


def _unbalanced(line: str) -> bool:
    depth = 0
    for c in line:
        if c in _OPENERS:
            depth += 1
        elif c in _OPENERS.values():
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
    if _unbalanced(p) and len(p) < 400:
        return True
    if p[-1] in "、，,和及与或":
        return True
    return len(p) >= 60 and p[-1] not in _TERMINAL


_SPACES = re.compile(r"[\u00a0\u3000\u2002\u2003\u200b\ufeff]")
_CRLF = re.compile(r"\r\n?")
# "20 号", "到 2025 年": spaces between digits and hanzi are typesetting, not words
_INLINE_SPACE = re.compile(r"(?<=\d) +(?=[\u4e00-\u9fff%％])|(?<=[\u4e00-\u9fff]) +(?=\d)")


def normalise(original: str, html_input: bool | None = None) -> MappedText:
    """Clean text of one document, with its map back to ``original``."""
    mt = MappedText.identity(original)
    if html_input is None:
        html_input = looks_like_html(original)
    if html_input:
        mt = strip_html(mt)
    mt = mt.sub(_CRLF, "\n")
    mt = mt.sub(_SPACES, " ")
    mt = mt.convert_lines(_t2s())
    lines = _split_lines(mt)
    clutter = _clutter()
    kept = [(s, e) for s, e in lines if mt.text[s:e].strip() and not clutter.search(mt.text[s:e].strip())]
    # rebuild: paragraphs separated by a single newline, broken lines joined
    out: list[str] = []
    origin: list[int] = []
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


def read_bytes_as_text(path: Path, data: bytes) -> tuple[str, str, bool | None]:
    """Decode a file's bytes by its real format; returns (text, encoding, is_html)."""
    suffix = path.suffix.lower()
    if data[:4] == b"PK\x03\x04" and suffix in (".docx", ""):
        from .formats import docx_text

        return docx_text(data), "docx", False
    if data[:5] == b"%PDF-":
        from .formats import pdf_text

        return pdf_text(data), "pdf", False
    if suffix == ".docx":
        raise ReadError("is named .docx but is not a Word document")
    if suffix == ".pdf":
        raise ReadError("is named .pdf but is not a PDF")
    text, enc = decode(data)
    return text, enc, (True if suffix in (".htm", ".html", ".xhtml") else None)


def read_source(path: str | Path, doc_id: str | None = None) -> Source:
    """Read and normalise a document file. Raises ReadError with a one-line reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    if size == 0:
        raise ReadError("is empty")
    if size > MAX_BYTES:
        raise ReadError(f"is {size // (1024 * 1024)} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit for one document; "
                        "split it into its documents")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    text, enc, is_html = read_bytes_as_text(p, data)
    return source_from_text(text, doc_id or p.name, str(p), enc, hashlib.sha256(data).hexdigest(), is_html)


def source_from_text(text: str, doc_id: str, path: str = "", encoding: str = "utf-8", sha256: str | None = None,
                     html_input: bool | None = None) -> Source:
    clean = normalise(text, html_input)
    if len(re.findall(r"[\u4e00-\u9fff]", clean.text)) < 10:
        raise ReadError("contains no Chinese text to extract from")
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(doc_id, path, text, clean, encoding, digest)

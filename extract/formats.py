"""Text of binary document formats: Word (.docx) and PDF.

Both return plain text that then goes through the same normalising as a
``.txt`` file. Word tables become one line per row with cells separated by
tabs, so a table of measures (任务 / 牵头单位 / 完成时限) is segmented like
a tab-separated 附表.
"""
from __future__ import annotations

import io

from .read import ReadError


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows of a .docx, in document order."""
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise ImportError("reading .docx files needs python-docx: pip install python-docx") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zip or XML damage: python-docx raises many kinds
        raise ReadError(f"is not a readable Word document ({type(exc).__name__})") from None

    lines: list[str] = []

    def cell_text(cell) -> str:
        return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())

    def table_lines(table: Table) -> None:
        for row in table.rows:
            cells: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:  # merged cells repeat: keep each once
                key = id(cell._tc)
                if key in seen:
                    continue
                seen.add(key)
                cells.append(cell_text(cell).replace("\t", " "))
            if any(cells):
                lines.append("\t".join(cells))

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table_lines(Table(child, document))
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, pages joined by newlines."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise ImportError("reading PDF files needs pypdf: pip install pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ReadError("is an encrypted PDF") from None
        pages = [(page.extract_text() or "") for page in reader.pages]
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"is not a readable PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError("is a PDF with no text layer (scanned?)")
    return text

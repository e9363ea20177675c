"""PDF files, through the text layer pypdfium2 (PDFium) exposes.

A PDF knows glyphs and positions, not paragraphs. PDFium gives each page's text in reading order
with a line break after every printed line; this reader rebuilds paragraphs from that:

* Running heads and feet are dropped: a line among the first or last two of a page that recurs
  (digits ignored) on most pages, and bare page numbers there ("- 3 -", "第 3 页", "3 / 10").
* Lines are rejoined. A printed line break is kept only where a paragraph really ends: the line
  ends with 。；！？：… ; or the next line starts a heading or a number (一、 1. （一）); or, using
  the characters' positions, the line stops short of the page's right margin or the next line is
  indented. Without usable positions the running-text rule of ``prose`` decides. CJK text is
  joined with nothing in between, Latin text with a space; pages join the same way, so a word
  broken across a page break is mended.
* Headings are recognised by pattern: 一、/第一章 as level 1, （一） as level 2.

No text at all on any page means a scan without a text layer, which is an error here (OCR is not
part of reading). Tables in PDFs are read as lines of text.
"""

from __future__ import annotations

import re
import statistics
import threading
import warnings
from dataclasses import dataclass

from ..blocks import ReadDocument
from . import errors, limits, prose
from .builder import TextBuilder

# PDFium is not thread-safe; the web server may read two uploads at once.
_PDFIUM_LOCK = threading.Lock()
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
EDGE_LINES = 2
RUNNING_HEAD_SHARE = 0.6
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–_·\s]*\d{1,4}[-—–_·\s]*|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_NO_TEXT_LAYER = "PDF 没有文字层（可能是扫描件），无法提取文字"


@dataclass
class _Line:
    text: str
    left: float | None = None
    right: float | None = None


@dataclass
class _Geometry:
    left: float
    right: float
    char_width: float


def read_pdf(data: bytes, name: str, sha256: str) -> ReadDocument:
    limits.check_pdf_streams(data)  # before PDFium, which aborts the process when memory ends
    pages = _read_pages(data)
    if not any(line.text.strip() for page in pages for line in page):
        raise errors.ReadError(_NO_TEXT_LAYER, errors.NO_TEXT)
    lines = [line for page in _drop_running_heads(pages) for line in page]
    builder = TextBuilder()
    for paragraph in _rejoin(lines, _geometry(lines)):
        builder.add_paragraph(paragraph, prose.pattern_heading_level(paragraph))
    return builder.build(name, "pdf", sha256)


def _read_pages(data: bytes) -> list[list[_Line]]:
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdfium2 warns about things it recovers from
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
                raise errors.ReadError("PDF 已加密，无法读取", errors.ENCRYPTED) from exc
            raise errors.corrupt("PDF") from exc
        try:
            return [_page_lines(document[i]) for i in range(len(document))]
        finally:
            document.close()


def _page_lines(page) -> list[_Line]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range() if count > 0 else ""
        # Text offsets are char indices when PDFium returned one character per char box.
        positioned = len(text) == count
        lines = []
        for match in re.finditer(r"[^\r\n]+", text):
            raw = match.group()
            content = _CONTROL.sub("", raw).strip()
            if not content:
                continue
            line = _Line(content)
            if positioned:
                first = match.start() + len(raw) - len(raw.lstrip())
                last = match.start() + len(raw.rstrip()) - 1
                line.left = textpage.get_charbox(first)[0]
                line.right = textpage.get_charbox(last)[2]
            lines.append(line)
        return lines
    finally:
        textpage.close()
        page.close()


def _geometry(lines: list[_Line]) -> _Geometry | None:
    """The text block's left and right margins and the typical character width.

    Taken over the whole document, so that a page holding only a signature has the same margins as
    the others: the right margin is where the longest lines end (90th percentile, to ignore the odd
    line that runs into the margin), the left one where most lines start (25th percentile, below
    the indented first lines of paragraphs).
    """
    placed = [ln for ln in lines if ln.left is not None and ln.right is not None]
    if len(placed) < 2:
        return None
    widths = [(ln.right - ln.left) / len(ln.text) for ln in placed if ln.right > ln.left]
    if not widths:
        return None
    lefts = statistics.quantiles([ln.left for ln in placed], n=4, method="inclusive")
    rights = statistics.quantiles([ln.right for ln in placed], n=10, method="inclusive")
    return _Geometry(lefts[0], rights[-1], statistics.median(widths))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _drop_running_heads(pages: list[list[_Line]]) -> list[list[_Line]]:
    def edges(page: list[_Line]) -> set[int]:
        head = range(min(EDGE_LINES, len(page)))
        tail = range(max(len(page) - EDGE_LINES, 0), len(page))
        return set(head) | set(tail)

    counts: dict[str, int] = {}
    for page in pages:
        for key in {_key(page[i].text) for i in edges(page)}:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, round(RUNNING_HEAD_SHARE * len(pages)))
    repeated = {key for key, n in counts.items() if n >= needed}
    kept = []
    for page in pages:
        drop = {
            i
            for i in edges(page)
            if _key(page[i].text) in repeated or _PAGE_NUMBER.match(page[i].text)
        }
        kept.append([line for i, line in enumerate(page) if i not in drop])
    return kept


def _paragraph_ends(line: _Line, after: _Line, geometry: _Geometry | None) -> bool:
    if prose.ends_sentence(line.text) or prose.starts_new_unit(after.text):
        return True
    if geometry and line.right is not None and after.left is not None:
        stops_short = line.right < geometry.right - 1.5 * geometry.char_width
        indented = after.left > geometry.left + 0.9 * geometry.char_width
        return stops_short or indented
    return not prose.looks_cut_off(line.text)


def _joiner(before: str, after: str) -> str:
    if _CJK.match(before[-1]) or _CJK.match(after[0]):
        return ""
    if before.endswith("-") and before[-2:-1].isalpha():
        return ""
    return " "


def _rejoin(lines: list[_Line], geometry: _Geometry | None) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if current:
            current.append(_joiner(lines[i - 1].text, line.text))
        current.append(line.text)
        if i + 1 == len(lines) or _paragraph_ends(line, lines[i + 1], geometry):
            paragraphs.append("".join(current))
            current = []
    return paragraphs

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
part of reading).

Tables are found by their ruling lines (a Word table printed to PDF draws every border): the
horizontal and vertical lines a page draws are gathered, each band between two horizontal
lines that two or more vertical lines cross is a row, and the vertical lines' positions are the
columns. A cell's text is what PDFium finds inside its box, its wrapped lines joined; a border
missing inside a row or between two rows merges the cells. The text lines inside a table are
left out of the running text, where the table takes their place; a table continued on the next
page (same columns) is one table. A table without ruling lines stays lines of text.
"""

from __future__ import annotations

import re
import statistics
import threading
import warnings
from dataclasses import dataclass

from ..blocks import ReadDocument
from . import errors, limits, prose
from .builder import RawCell, TextBuilder

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
    table: list[list[RawCell]] | None = None  # a table in the flow of lines (text is "")


@dataclass
class _Geometry:
    left: float
    right: float
    char_width: float


def read_pdf(data: bytes, name: str, sha256: str) -> ReadDocument:
    limits.check_pdf_streams(data)  # before PDFium, which aborts the process when memory ends
    pages = _read_pages(data)
    if not any(line.text.strip() or line.table for page in pages for line in page):
        raise errors.ReadError(_NO_TEXT_LAYER, errors.NO_TEXT)
    lines = [line for page in _drop_running_heads(pages) for line in page]
    geometry = _geometry([line for line in lines if line.table is None])
    builder = TextBuilder()
    run: list[_Line] = []
    pending: list[list[RawCell]] | None = None  # a table, until it is known not to go on
    for line in [*lines, _Line("", table=[])]:
        if line.table is None:
            run.append(line)
            continue
        if run:
            if pending:
                builder.add_table(pending)
                pending = None
            for paragraph in _rejoin(run, geometry):
                builder.add_paragraph(paragraph, prose.pattern_heading_level(paragraph))
            run = []
        if pending and line.table and len(line.table[0]) == len(pending[0]):
            pending += _continued_rows(pending, line.table)  # the table goes on a new page
        else:
            if pending:
                builder.add_table(pending)
            pending = line.table or None
    return builder.build(name, "pdf", sha256)


def _continued_rows(table: list[list[RawCell]], more: list[list[RawCell]]) -> list:
    """The rows a table's continuation adds, without its header repeated on the new page; a
    merge is re-pointed at the row it lands on."""
    dropped = 1 if [c.text for c in more[0]] == [c.text for c in table[0]] else 0
    offset = len(table) - dropped
    return [
        [
            RawCell(c.text, (c.merged_from[0] + offset, c.merged_from[1])) if c.merged_from else c
            for c in row
        ]
        for row in more[dropped:]
    ]


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
        tables = _page_tables(page, textpage) if positioned else []
        shown: set[int] = set()
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
                box = textpage.get_charbox(first)
                inside = _table_at(tables, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                if inside is not None:
                    if inside not in shown:  # the table takes the place of its lines
                        shown.add(inside)
                        lines.append(_Line("", table=tables[inside].grid))
                    continue
                line.left = box[0]
                line.right = textpage.get_charbox(last)[2]
            lines.append(line)
        return lines
    finally:
        textpage.close()
        page.close()


# --- tables, from their ruling lines ----------------------------------------------------------

RULE_THICKNESS = 2.5  # a ruling line is at most this thick …
RULE_MIN_LENGTH = 8.0  # … and at least this long (points)
RULE_TOLERANCE = 2.0  # positions this close are the same line
MAX_RULES = 4000  # a page drawing more paths is a drawing, not a table


@dataclass
class _PageTable:
    left: float
    bottom: float
    right: float
    top: float
    grid: list[list[RawCell]]


def _table_at(tables: list[_PageTable], x: float, y: float) -> int | None:
    for index, table in enumerate(tables):
        if table.left <= x <= table.right and table.bottom <= y <= table.top:
            return index
    return None


def _rules(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) lines a page draws, a rectangle's
    sides included."""
    import pypdfium2.raw as pdfium_c

    horizontal, vertical = [], []
    for n, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])):
        if n > MAX_RULES:
            return [], []
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if height <= RULE_THICKNESS and width >= RULE_MIN_LENGTH:
            horizontal.append(((bottom + top) / 2, left, right))
        elif width <= RULE_THICKNESS and height >= RULE_MIN_LENGTH:
            vertical.append(((left + right) / 2, bottom, top))
        elif width >= RULE_MIN_LENGTH and height >= RULE_MIN_LENGTH:
            horizontal += [(bottom, left, right), (top, left, right)]
            vertical += [(left, bottom, top), (right, bottom, top)]
    return horizontal, vertical


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= RULE_TOLERANCE:
            continue
        out.append(value)
    return out


def _covers(segments, at: float, low: float, high: float) -> bool:
    """Whether a segment at ``at`` runs over the middle of [low, high]."""
    middle = (low + high) / 2
    return any(
        abs(pos - at) <= RULE_TOLERANCE and start - RULE_TOLERANCE <= middle <= end + RULE_TOLERANCE
        for pos, start, end in segments
    )


def _page_tables(page, textpage) -> list[_PageTable]:
    horizontal, vertical = _rules(page)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    ys = sorted(_cluster([y for y, _a, _b in horizontal]), reverse=True)
    xs_all = _cluster([x for x, _a, _b in vertical])
    tables: list[_PageTable] = []
    bands: list[tuple[float, float, list[float]]] = []  # (top, bottom, crossing xs) of a table
    for top, bottom in zip(ys, ys[1:], strict=False):
        crossing = [x for x in xs_all if _covers(vertical, x, bottom, top)]
        if len(crossing) >= 2:
            bands.append((top, bottom, crossing))
            continue
        if bands:
            tables.append(_table(bands, horizontal, textpage))
            bands = []
    if bands:
        tables.append(_table(bands, horizontal, textpage))
    return [t for t in tables if any(c.text for row in t.grid for c in row)]


def _table(bands, horizontal, textpage) -> _PageTable:
    xs = _cluster([x for _t, _b, crossing in bands for x in crossing])
    grid: list[list[RawCell]] = []
    for r, (top, bottom, crossing) in enumerate(bands):
        row: list[RawCell] = []
        for c, (left, right) in enumerate(zip(xs, xs[1:], strict=False)):
            text = _cell_text(textpage, left, bottom, right, top)
            opens_left = c == 0 or any(abs(x - left) <= RULE_TOLERANCE for x in crossing)
            opens_top = r == 0 or _covers(horizontal, top, left, right)
            if not opens_left:
                origin = row[c - 1].merged_from or (r, c - 1)
            elif not opens_top:
                above = grid[r - 1][c]
                origin = above.merged_from or (r - 1, c)
            else:
                row.append(RawCell(text))
                continue
            if text:  # the text of a merged region belongs to its origin
                target = grid[origin[0]][origin[1]] if origin[0] < r else row[origin[1]]
                target.text = _join(target.text, text)
            row.append(RawCell("", origin))
        grid.append(row)
    return _PageTable(xs[0], bands[-1][1], xs[-1], bands[0][0], grid)


def _cell_text(textpage, left: float, bottom: float, right: float, top: float) -> str:
    """The cell's text: its wrapped lines joined, its paragraphs one a line."""
    raw = textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
    lines = (_CONTROL.sub("", line).strip() for line in re.split(r"[\r\n]+", raw))
    return _unwrap([line for line in lines if line])


# A cell narrower than this (in half-width characters) holds names or dates, one a line.
MIN_WRAPPING_WIDTH = 12


def _unwrap(lines: list[str]) -> str:
    """Joins the lines a cell wrapped. A wrapped line fills the cell: it is as wide as the
    widest line (within one full-width character) and does not end its sentence; a shorter
    line ended its paragraph. Widths count full-width characters twice, as they print."""
    if len(lines) < 2:
        return "".join(lines)
    widths = [_print_width(line) for line in lines]
    full = max(widths)
    if full < MIN_WRAPPING_WIDTH:
        return "\n".join(lines)
    parts = [lines[0]]
    for before, width, after in zip(lines, widths, lines[1:], strict=False):
        wrapped = (
            width >= full - 2
            and not prose.ends_sentence(before)
            and not prose.starts_new_unit(after)
        )
        parts.append(_joiner(before, after) if wrapped else "\n")
        parts.append(after)
    return "".join(parts)


def _print_width(line: str) -> int:
    return len(line) + len(_CJK.findall(line))


def _join(before: str, after: str) -> str:
    return "\n".join(part for part in (before, after) if part)


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
        return {i for i in set(head) | set(tail) if page[i].table is None}

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

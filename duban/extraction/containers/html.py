"""HTML pages (.html, .htm) as published by government sites.

Decoding: a BOM wins, then the page's own ``<meta charset>`` (gb2312/gbk are read as GB18030,
their superset, because pages labelled gb2312 routinely hold GBK characters), then the text-file
detection of ``encoding.decode``.

The page is parsed with lxml.html. Dropped: ``head``, scripts, styles, forms, ``nav``, ``aside``,
page-level ``header``/``footer`` (an ``article``'s own header is kept, it holds the title),
elements whose class or id names page furniture (breadcrumb, share, footer …), and any paragraph
that is a chrome line (see ``chrome``). Block elements become paragraphs, ``<br>`` a line break
inside one, whitespace collapses as a browser would; ``h1``–``h6`` give ``heading_level`` and
items of an ``ol`` their printed number in ``Paragraph.numbering``.

A ``<table>`` with at least two rows and two columns and no table inside it is a data table: it
becomes a :class:`Table` with ``rowspan``/``colspan`` regions expanded (``merged_from`` set), a
``<caption>`` as its title. Any other table is page layout and is read through like a ``div``.
"""

from __future__ import annotations

import re

from ..blocks import ReadDocument
from . import chrome, encoding, errors, limits
from .builder import RawCell, TextBuilder
from .numfmt import format_number

# fmt: off
_DROP_TAGS = frozenset((
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
    "canvas", "nav", "aside", "form", "button", "select", "input", "textarea", "option",
))
_PAGE_LEVEL_ONLY = frozenset(("header", "footer"))
_BLOCK_TAGS = frozenset((
    "html", "body", "div", "p", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
    "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "caption", "address", "figure", "figcaption", "hr", "center",
    "fieldset", "header", "footer", "details", "summary",
))
# fmt: on
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_OL_TYPES = {
    "1": "decimal",
    "a": "lowerLetter",
    "A": "upperLetter",
    "i": "lowerRoman",
    "I": "upperRoman",
}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
MAX_SPAN = 1000  # rowspan/colspan beyond this are taken as typos


def read_html(data: bytes, name: str, sha256: str) -> ReadDocument:
    import lxml.html

    text, warnings = _decode_html(data)
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        raise errors.empty()
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml's ParserError ("Document is empty") and friends
        raise errors.corrupt("网页") from exc
    builder = TextBuilder()
    _Walker(builder).walk(root)
    doc = builder.build(name, "html", sha256)
    doc.warnings.extend(warnings)
    doc.published_year = chrome.published_year(root.text_content())
    return doc


def decode_html(data: bytes) -> str:
    return _decode_html(data)[0]


def _decode_html(data: bytes) -> tuple[str, list[str]]:
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            codec = declared.group(1).decode("ascii").lower()
            if codec in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"):
                codec = "gb18030"
            try:
                return data.decode(codec), []
            except (LookupError, UnicodeDecodeError):
                pass
    text, warnings = encoding.decode_with_warnings(data)
    return encoding.normalise(text), warnings


def _is_chrome_element(el) -> bool:
    return chrome.is_chrome_element(f"{el.get('class') or ''} {el.get('id') or ''}")


def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


class _Walker:
    """Walks the DOM in document order, writing paragraphs and tables to a builder."""

    def __init__(self, builder: TextBuilder) -> None:
        self.builder = builder
        self.pieces: list[str] = []
        self.heading: int | None = None
        self.numbering: str | None = None
        self.preformatted = 0
        self.in_article = 0

    # inline text -----------------------------------------------------------------------------
    def add_text(self, text: str | None) -> None:
        if text:
            self.pieces.append(text if self.preformatted else _SPACES.sub(" ", text))

    def flush(self) -> None:
        if not self.pieces:
            return
        lines = [line.strip() for line in "".join(self.pieces).split("\n")]
        self.pieces = []
        text = "\n".join(line for line in lines if line and not chrome.is_chrome_line(line))
        if self.builder.add_paragraph(text, self.heading, self.numbering):
            self.numbering = None  # only an item's first paragraph carries its number

    # elements --------------------------------------------------------------------------------
    def walk(self, el) -> None:
        tag = _tag(el)
        if tag is None or tag in _DROP_TAGS or _is_chrome_element(el):
            return
        if tag in _PAGE_LEVEL_ONLY and not self.in_article:
            return
        if tag == "br":
            self.pieces.append("\n")
            return
        if tag == "table" and _is_data_table(el):
            self.flush()
            self.add_table(el)
            return
        if tag not in _BLOCK_TAGS:
            self.walk_children(el)
            return
        self.flush()
        saved = (self.heading, self.numbering)
        if tag in _HEADINGS:
            self.heading = _HEADINGS[tag]
        elif tag == "li":
            self.numbering = _list_number(el)
        self.preformatted += tag == "pre"
        self.in_article += tag in ("article", "main")
        self.walk_children(el)
        self.flush()
        self.preformatted -= tag == "pre"
        self.in_article -= tag in ("article", "main")
        self.heading, self.numbering = saved

    def walk_children(self, el) -> None:
        self.add_text(el.text)
        for child in el:
            self.walk(child)
            self.add_text(child.tail)

    def add_table(self, table) -> None:
        caption = table.find("caption")
        title = _cell_text(caption) if caption is not None else None
        self.builder.add_table(_table_grid(table), title or None)


def _list_number(li) -> str | None:
    parent = li.getparent()
    if parent is None or _tag(parent) != "ol":
        return None
    try:
        number = int(li.get("value") or 0)
    except ValueError:
        number = 0
    if not number:
        try:
            start = int(parent.get("start") or 1)
        except ValueError:
            start = 1
        siblings = [c for c in parent if _tag(c) == "li"]
        number = start + siblings.index(li)
    return format_number(number, _OL_TYPES.get(parent.get("type") or "1")) + "."


def _rows(table) -> list:
    """The table's rows, directly or inside thead/tbody/tfoot, in document order."""
    rows = []
    for child in table.iterchildren():
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child.iterchildren() if _tag(row) == "tr")
    return rows


def _cells(row) -> list:
    return [cell for cell in row.iterchildren() if _tag(cell) in ("td", "th")]


def _is_data_table(table) -> bool:
    if (table.get("role") or "").lower() == "presentation":
        return False
    if any(_tag(d) == "table" for d in table.iterdescendants()):
        return False
    rows = _rows(table)
    return len(rows) >= 2 and max(len(_cells(r)) for r in rows) >= 2


def _span(cell, attribute: str) -> int:
    try:
        value = int((cell.get(attribute) or "1").strip())
    except ValueError:
        return 1
    return min(max(value, 1), MAX_SPAN)


def _table_grid(table) -> list[list[RawCell]]:
    rows = _rows(table)
    height = len(rows)
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    grid: list[dict[int, RawCell]] = [{} for _ in rows]
    # The cells the spans cover are counted before they are marked: a span may widen a table,
    # not make a thousand cells a billion (limits.check_grid).
    cells = sum(len(_cells(row)) for row in rows)
    area = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in _cells(row):
            while (r, c) in covered:
                c += 1
            rowspan = min(_span(cell, "rowspan"), height - r)
            colspan = _span(cell, "colspan")
            area += rowspan * colspan
            if area > max(limits.GRID_FLOOR, limits.GRID_FACTOR * cells):
                raise limits.grid_too_large(height, c + colspan, cells)
            grid[r][c] = RawCell(_cell_text(cell))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        covered[(r + dr, c + dc)] = (r, c)
            c += colspan
    for (r, c), origin in covered.items():
        grid[r].setdefault(c, RawCell("", origin))
    width = max((max(row) + 1 for row in grid if row), default=0)
    limits.check_grid(height, width, cells)
    return [[row.get(c, RawCell()) for c in range(width)] for row in grid]


def _cell_text(el) -> str:
    """A cell's text: block boundaries and <br> as line breaks, a nested table's cells by tabs."""
    pieces: list[str] = []

    def visit(node) -> None:
        tag = _tag(node)
        if tag is None or tag in _DROP_TAGS:
            return
        if tag == "br":
            pieces.append("\n")
            return
        block = tag in _BLOCK_TAGS
        if tag in ("td", "th") and node is not el:
            pieces.append("\t")
        elif block:
            pieces.append("\n")
        if node.text:
            pieces.append(_SPACES.sub(" ", node.text))
        for child in node:
            visit(child)
            if child.tail:
                pieces.append(_SPACES.sub(" ", child.tail))
        if block and tag not in ("td", "th"):
            pieces.append("\n")

    visit(el)
    lines = ["\t".join(p.strip() for p in line.split("\t")) for line in "".join(pieces).split("\n")]
    return "\n".join(line.strip("\t ") for line in lines if line.strip("\t "))

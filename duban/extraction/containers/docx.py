"""Word documents (.docx), read from ``word/document.xml`` with zipfile and lxml directly.

What WordprocessingML does that matters here:

* Text lives in ``w:t`` inside runs; ``w:tab`` is a tab and ``w:br``/``w:cr`` a line break.
  Deleted (``w:del``, ``w:delText``) and moved-away (``w:moveFrom``) text is not part of the
  document; neither are field instructions (``w:instrText``), bookmarks, comment marks, text boxes
  (``w:txbxContent``, a floating shape, and duplicated in ``mc:Fallback``) or paragraph/run
  properties (``w:pPr`` holds ``w:tab`` elements that are tab *stops*).
* A heading is a paragraph whose style (followed through ``w:basedOn``) is named
  ``heading N``/``标题 N`` or has an outline level, or that has an outline level of its own.
* Automatic list numbers are not in the text: ``w:numPr`` (on the paragraph or its style) points at
  ``numbering.xml``, whose levels give a start, a format (decimal, chineseCounting …) and a template
  (``%1.``, ``（%1）``, ``%1.%2``). Counters run per abstract numbering definition, restart deeper
  levels when a shallower one advances, and honour ``w:startOverride``. The rendered number goes to
  ``Paragraph.numbering`` (and, inside table cells, which have no such field, in front of the text).
* Tables are a grid: ``w:gridSpan`` widens a cell over several columns, ``w:vMerge`` continues a
  cell downwards (``restart`` opens the region, a bare ``w:vMerge`` continues it), and
  ``w:gridBefore`` leaves columns empty at the start of a row. Nested tables are flattened into
  their cell's text (rows by line breaks, cells by tabs).

The body is streamed with ``iterparse`` and every top-level paragraph or table is dropped once
written, so memory stays proportional to the largest table, not to the document.

A 10 MB document has some 100,000 paragraphs, so the per-paragraph work is kept small: children
are looked up without ``find`` (lxml's ElementPath is written in Python), the parser reports
where the tabs, breaks and skipped subtrees are, so that a block without any has its paragraphs
read without searching each, and style and numbering look-ups are memoised.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass

from ..blocks import ReadDocument
from . import errors, limits
from .builder import RawCell, TextBuilder
from .numfmt import format_number

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@functools.cache
def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, T, TAB, BR, CR = (_w(t) for t in ("p", "tbl", "tr", "tc", "t", "tab", "br", "cr"))
PPR, VAL, NO_BREAK_HYPHEN, BODY = _w("pPr"), _w("val"), _w("noBreakHyphen"), _w("body")
PSTYLE, OUTLINE, NUMPR, NUMID, ILVL = (
    _w(t) for t in ("pStyle", "outlineLvl", "numPr", "numId", "ilvl")
)
TRPR, TCPR, GRID_BEFORE, GRID_SPAN, VMERGE = (
    _w(t) for t in ("trPr", "tcPr", "gridBefore", "gridSpan", "vMerge")
)
# Subtrees whose w:t/w:tab/w:br are not document text: tab stops in paragraph properties, deleted
# and moved-away runs, text boxes (and their legacy fallback copy), content-control properties,
# ruby annotations (the phonetic guide above the base text).
_TEXT_SKIP = (
    *(_w(t) for t in ("pPr", "del", "moveFrom", "txbxContent", "sdtPr", "rt")),
    f"{{{MC}}}Fallback",
)
_WRAPPERS = frozenset(_w(t) for t in ("sdt", "sdtContent", "customXml", "smartTag", "ins"))
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
MAX_PART_SIZE = 256 * 1024 * 1024  # uncompressed XML part; beyond this it is a zip bomb
MAX_LEVELS = 9
_KIND = "Word 文档"


def read_docx(data: bytes, name: str, sha256: str) -> ReadDocument:
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), OSError …
        raise errors.corrupt(_KIND) from exc
    with archive:
        package = limits.Package(archive, "文档")  # every part's inflated size is counted
        main = _main_part(package)
        styles = _Styles(_parse_part(package, "word/styles.xml"))
        numbering = _Numbering(_parse_part(package, "word/numbering.xml"))
        reader = _BodyReader(styles, numbering)
        with package.open(_checked(archive, main).filename, MAX_PART_SIZE) as stream:
            # The elements of _SPECIAL are reported as well, only to be noted: a block inside
            # which none of them ended (none since the block before) is plain w:t text.
            events = etree.iterparse(
                stream,
                events=("end",),
                tag=(P, TBL, *_SPECIAL),
                resolve_entities=False,
                no_network=True,
                huge_tree=True,
                remove_comments=True,
            )
            special = False
            for _event, element in events:
                tag = element.tag
                if tag != P and tag != TBL:
                    special = True
                    continue
                if _is_nested(element):
                    continue
                reader.add(element, plain=not special)
                special = False
                _release(element)
    return reader.builder.build(name, "docx", sha256)


# package ---------------------------------------------------------------------------------------
def _checked(archive: zipfile.ZipFile, part: str) -> zipfile.ZipInfo:
    try:
        info = archive.getinfo(part)
    except KeyError as exc:
        raise errors.corrupt(_KIND) from exc
    if info.file_size > MAX_PART_SIZE:
        limit = MAX_PART_SIZE // (1024 * 1024)
        raise errors.ReadError(f"文档内容过大（解压后超过 {limit} MB），无法读取", errors.TOO_LARGE)
    return info


def _parse_part(package: limits.Package, part: str):
    from lxml import etree

    if part not in package.names:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(package.read(part, min(MAX_PART_SIZE, limits.MAX_AUX_PART)), parser)


def _main_part(package: limits.Package) -> str:
    """The main document part named by the package relationships (normally word/document.xml)."""
    names = package.names
    if "_rels/.rels" in names:
        rels = _parse_part(package, "_rels/.rels")
        for rel in rels.iter(f"{{{REL}}}Relationship"):
            if rel.get("Type") == R_OFFICE_DOCUMENT:
                target = (rel.get("Target") or "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise errors.corrupt(_KIND)


def _is_nested(element) -> bool:
    """True for a paragraph or table inside a table or a text box (read with its container)."""
    parent = element.getparent()
    if parent is not None:
        if parent.tag == BODY:
            return False  # the common case, answered without walking up
        if parent.tag == TC:
            return True  # a cell is always inside a table
    return any(True for _ in element.iterancestors(P, TBL))


def _release(element) -> None:
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# styles and numbering --------------------------------------------------------------------------
@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    num_level: int


class _Styles:
    def __init__(self, root) -> None:
        self.styles: dict[str, _Style] = {}
        # Memoised answers per style id: every paragraph asks, and documents use few styles.
        self._headings: dict[str | None, int | None] = {}
        self._numberings: dict[str | None, tuple[str | None, int]] = {}
        if root is None:
            return
        for style in root.iter(_w("style")):
            sid = style.get(_w("styleId"))
            if not sid:
                continue
            ppr = style.find(PPR)
            num_id, num_level = _num_pr(_child(ppr, NUMPR) if ppr is not None else None)
            self.styles[sid] = _Style(
                _val(style.find(_w("name"))) or "",
                _val(style.find(_w("basedOn"))),
                _int(_val(ppr.find(_w("outlineLvl")))) if ppr is not None else None,
                num_id,
                num_level,
            )

    def _chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def heading_level(self, style_id: str | None) -> int | None:
        if style_id not in self._headings:
            self._headings[style_id] = self._heading_level(style_id)
        return self._headings[style_id]

    def _heading_level(self, style_id: str | None) -> int | None:
        for style in self._chain(style_id):
            match = _HEADING_STYLE.match(style.name.strip())
            if match and int(match.group(1)) > 0:
                return int(match.group(1))
            if style.outline is not None:
                return style.outline + 1 if 0 <= style.outline < MAX_LEVELS else None
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int]:
        if style_id not in self._numberings:
            self._numberings[style_id] = self._numbering(style_id)
        return self._numberings[style_id]

    def _numbering(self, style_id: str | None) -> tuple[str | None, int]:
        for style in self._chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.num_level
        return None, 0


_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass
class _Level:
    start: int
    fmt: str
    text: str
    legal: bool

    def __post_init__(self) -> None:
        # The template split once into [literal, level digit, literal, …] (what re.sub would
        # match), so that rendering a label is a join, not a regex substitution per paragraph.
        self.parts = _PLACEHOLDER.split(self.text)


class _Numbering:
    def __init__(self, root) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in abstract.iter(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")))
                if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                    continue
                levels[ilvl] = _Level(
                    _int(_val(lvl.find(_w("start")))) or 0,
                    _val(lvl.find(_w("numFmt"))) or "decimal",
                    _val(lvl.find(_w("lvlText"))) or "",
                    lvl.find(_w("isLgl")) is not None,
                )
            self.abstract[abstract.get(_w("abstractNumId")) or ""] = levels
        for num in root.iter(_w("num")):
            overrides = {}
            for override in num.iter(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")))
                start = _int(_val(override.find(_w("startOverride"))))
                if ilvl is not None and start is not None and 0 <= ilvl < MAX_LEVELS:
                    overrides[ilvl] = start
            abstract_id = _val(num.find(_w("abstractNumId"))) or ""
            self.nums[num.get(_w("numId")) or ""] = (abstract_id, overrides)

    def next_label(self, num_id: str | None, ilvl: int) -> str | None:
        """Advance the counter of (num_id, ilvl) and render the label Word prints."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        ilvl = min(max(ilvl, 0), MAX_LEVELS - 1)
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(abstract_id, [None] * MAX_LEVELS)
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        current = counters[ilvl]
        counters[ilvl] = (levels[ilvl].start - 1 if current is None else current) + 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            counters[deeper] = None
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return None
        out = []
        for i, part in enumerate(level.parts):
            if i % 2 == 0:
                out.append(part)  # literal text of the template
                continue
            n = int(part) - 1
            template = levels.get(n)
            if template is not None:
                value = counters[n] if counters[n] is not None else template.start
                out.append(format_number(value, "decimal" if level.legal else template.fmt))
        return "".join(out).strip() or None


def _val(element) -> str | None:
    return element.get(VAL) if element is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _child(element, tag: str):
    """The first child named ``tag``, as ``element.find(tag)``.

    For the property elements (w:pPr, w:tcPr, w:numPr …), which have a few children: stepping
    through them costs less than ``find`` (lxml's ElementPath is Python) or ``iterchildren(tag)``
    (which sets up a tag matcher on every call).
    """
    child = element[0] if len(element) else None
    while child is not None and child.tag != tag:
        child = child.getnext()
    return child


def _num_pr(num_pr) -> tuple[str | None, int]:
    """(numId, ilvl) of a ``w:numPr`` element (None: no numbering)."""
    if num_pr is None:
        return None, 0
    return _val(_child(num_pr, NUMID)), _int(_val(_child(num_pr, ILVL))) or 0


# body ------------------------------------------------------------------------------------------
class _BodyReader:
    def __init__(self, styles: _Styles, numbering: _Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.builder = TextBuilder()
        self.plain = False  # whether the block being read has only plain w:t text

    def add(self, element, plain: bool = False) -> None:
        """Read a top-level paragraph or table. ``plain``: the block is known to hold none of
        _SPECIAL, so its paragraphs need not be searched for them one by one (lxml's
        tag-filtered iter costs mostly in setting up its matcher, once per call)."""
        self.plain = plain
        if element.tag == P:
            text, heading, label = self.paragraph(element)
            self.builder.add_paragraph(text, heading, label)
        else:
            self.builder.add_table(self.table_grid(element))

    def paragraph(self, p) -> tuple[str, int | None, str | None]:
        style_id = outline = num_pr = None
        ppr = p[0] if len(p) and p[0].tag == PPR else next(p.iterchildren(PPR), None)
        for prop in ppr if ppr is not None else ():
            tag = prop.tag
            if tag == PSTYLE:
                style_id = prop.get(VAL)
            elif tag == OUTLINE:
                outline = _int(prop.get(VAL))
            elif tag == NUMPR and num_pr is None:
                num_pr = prop  # the first w:numPr counts, as with find()
        num_id, ilvl = _num_pr(num_pr)
        if outline is not None:
            heading = outline + 1 if 0 <= outline < MAX_LEVELS else None
        else:
            heading = self.styles.heading_level(style_id)
        if num_id is None:
            num_id, ilvl = self.styles.numbering(style_id)
        label = self.numbering.next_label(num_id, ilvl)
        return _paragraph_text(p, self.plain), heading, label

    def cell_text(self, tc) -> str:
        lines = []
        for child in _content(tc):
            if child.tag == P:
                text, _heading, label = self.paragraph(child)
                lines.append((label or "") + text if text.strip() else "")
            elif child.tag == TBL:
                grid = self.table_grid(child)
                lines.extend(
                    "\t".join(c.text for c in row if c.merged_from is None) for row in grid
                )
        return "\n".join(line.strip() for line in lines if line.strip())

    def table_grid(self, tbl) -> list[list[RawCell]]:
        grid: list[dict[int, RawCell]] = []
        for r, tr in enumerate(_content(tbl, TR)):
            trpr = _child(tr, TRPR)
            col = _int(_val(_child(trpr, GRID_BEFORE))) or 0 if trpr is not None else 0
            col = min(max(col, 0), 64)
            row: dict[int, RawCell] = {}
            for tc in _content(tr, TC):
                tcpr = _child(tc, TCPR)
                span = max(_int(_val(_child(tcpr, GRID_SPAN))) or 1, 1) if tcpr is not None else 1
                span = min(span, 64)
                vmerge = _child(tcpr, VMERGE) if tcpr is not None else None
                continues = vmerge is not None and (_val(vmerge) or "continue") == "continue"
                if continues and r > 0 and col in grid[r - 1]:
                    row[col] = RawCell("", (r - 1, col))
                else:
                    row[col] = RawCell(self.cell_text(tc))
                for extra in range(1, span):
                    row[col + extra] = RawCell("", (r, col))
                col += span
            grid.append(row)
        width = max((max(row) + 1 for row in grid if row), default=0)
        limits.check_grid(len(grid), width, sum(map(len, grid)))
        return [[row.get(c, RawCell()) for c in range(width)] for row in grid]


def _content(element, tag: str | None = None):
    """Children of ``element``, looking through content controls and other wrappers."""
    for child in element:
        if child.tag in _WRAPPERS:
            yield from _content(child, tag)
        elif tag is None or child.tag == tag:
            yield child


_TEXT_TAGS = (T, TAB, BR, CR, NO_BREAK_HYPHEN)
# Anything that needs more than concatenating w:t (the tab stops in w:pPr are w:tab too).
_SPECIAL = (TAB, BR, CR, NO_BREAK_HYPHEN, *_TEXT_SKIP[1:])


def _paragraph_text(p, plain: bool = False) -> str:
    """The text of a paragraph, leaving out the subtrees listed in _TEXT_SKIP.

    ``plain`` says the paragraph is known to hold none of _SPECIAL. lxml's tag-filtered
    ``iter`` walks the tree in C; a skipped subtree is remembered and the elements inside it are
    passed over until the walk leaves it.
    """
    if plain or next(p.iter(*_SPECIAL), None) is None:
        # The common case, plain runs only: let lxml gather the w:t texts in C.
        return "".join(p.itertext(T, with_tail=False))
    out: list[str] = []
    skipped = None
    for element in p.iter(*_TEXT_TAGS, *_TEXT_SKIP):
        if skipped is not None:
            if _inside(element, skipped, p):
                continue
            skipped = None
        tag = element.tag
        if tag == T:
            if len(element):  # entity references (never written by Word) split the text
                out.extend(element.itertext())
            elif element.text:
                out.append(element.text)
        elif tag == TAB:
            out.append("\t")
        elif tag in (BR, CR):
            out.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            out.append("-")
        else:
            skipped = element
    return "".join(out)


def _inside(element, ancestor, stop) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False

"""Plain text and Markdown (.txt, .md): running text, Markdown headings, and text-exported tables.

The text spans index into is the file decoded (see ``encoding``), with newlines normalised,
export artefacts removed, and — when the text was copied from a web page (a 首页> breadcrumb at the
top, 发布日期 / 【打印本页】 / Produced By lines at the ends) — those chrome lines dropped.
Everything else is kept exactly, including line breaks inside words that a PDF conversion left.

The text is then cut into regions: tables in the table-as-text layout (``tabbed``) or Markdown
pipe tables (``mdtable``), a table flattened onto one line between pipes (``flattened``), a table
of figures aligned with spaces (``aligned``), tab-separated rows (``tsv``), a task table
flattened a row a line (``spaced``), a table printed one cell per line (``cellstream``), and
running text between them (``prose``). A table takes as its title
the title line above it (skipping 联系人：/单位名称： lines), which also stays a paragraph.
"""

from __future__ import annotations

from ..blocks import Block, Paragraph, ReadDocument
from . import (
    aligned,
    cellstream,
    chrome,
    encoding,
    errors,
    flattened,
    mdtable,
    prose,
    spaced,
    tabbed,
    tsv,
)
from .builder import guess_table_title


def read_text(data: bytes, name: str, fmt: str, sha256: str) -> ReadDocument:
    text, warnings = encoding.decode_with_warnings(data)
    text = encoding.normalise(text)
    if not text.strip():
        raise errors.empty()
    published = chrome.published_year(text)
    text = chrome.strip_chrome_lines(text)
    return ReadDocument(name, fmt, sha256, text, parse_blocks(text), warnings, published)


def parse_blocks(text: str) -> list[Block]:
    """Paragraphs and tables of a normalised plain text, in order."""
    lines = prose.line_spans(text)
    blocks: list[Block] = []
    since_table: list[Paragraph] = []  # paragraphs above the next table
    prose_from = 0  # first line of the running text not yet turned into paragraphs
    i = 0

    def flush_prose(until: int) -> None:
        paragraphs = prose.split_paragraphs(text, lines[prose_from:until])
        blocks.extend(paragraphs)
        since_table.extend(paragraphs)

    while i < len(lines):
        line = text[lines[i][0] : lines[i][1]]
        if tabbed.starts_table(line):
            parsed = tabbed.parse(text, lines, i)
            if parsed is None:
                i = tabbed.header_end(text, lines, i)
                continue
            flush_prose(i)
            blocks.append(tabbed.to_table(text, parsed, guess_table_title(since_table)))
            since_table = []
            prose_from = i = parsed.end_line
        elif line.lstrip().startswith("|") and mdtable.starts_table(text, lines, i):
            flush_prose(i)
            table, after = mdtable.parse(text, lines, i, guess_table_title(since_table))
            blocks.append(table)
            since_table = []
            prose_from = i = after
        elif (
            found_grid := _aligned(text, lines, i) or _delimited(text, lines, i, line)
        ) is not None:
            flush_prose(i)
            table, after = found_grid
            table.title = guess_table_title(since_table)
            blocks.append(table)
            since_table = []
            prose_from = i = after
        elif (found := flattened.parse_line(text, *lines[i])) is not None:
            flush_prose(i)
            blocks.extend(found)
            since_table = []
            prose_from = i = i + 1
        elif (meanings := spaced.header_columns(line)) and (
            flat := spaced.parse(text, lines, i, meanings)
        ):
            flush_prose(i)
            blocks.append(spaced.to_table(text, flat[0], guess_table_title(since_table)))
            since_table = []
            prose_from = i = flat[1]
        elif (stream := _cell_stream(text, lines, i)) is not None:
            first, after, prefix, table = stream
            flush_prose(first)
            if prefix is not None:  # the cells before the header, on the table's own line
                paragraphs = prose.split_paragraphs(text, [prefix])
                blocks.extend(paragraphs)
                since_table.extend(paragraphs)
            table.title = guess_table_title(since_table)
            blocks.append(table)
            since_table = []
            prose_from = i = after
        else:
            i = _skip_short_run(text, lines, i)
    flush_prose(len(lines))
    return blocks


def _aligned(text: str, lines: list, i: int):
    """A table of figures aligned with spaces whose header is ``lines[i]`` (see ``aligned``):
    (the table, the line after it), or None."""
    if aligned.starts_table(text, *lines[i]):
        return aligned.parse(text, lines, i)
    return None


def _delimited(text: str, lines: list, i: int, line: str):
    """A table delimited by tabs, wide spaces or commas whose header is ``lines[i]`` (see
    ``tsv``): (the table, the line after it), or None."""
    if tsv.is_header(line):
        return tsv.parse(text, lines, i)
    if separator := tsv.unmarked_separator(line):
        return tsv.parse(text, lines, i, separator=separator)
    return None


def _is_cell_line(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= cellstream.MAX_CELL_LENGTH
        and not line.startswith(("\t", " \t"))
        and not stripped.startswith("|")
    )


def _short_run(text: str, lines: list, i: int) -> int:
    """The line after the run of blank and short lines starting at ``i``."""
    j = i
    while j < len(lines) and _is_cell_line(line := text[lines[j][0] : lines[j][1]]):
        if (
            j > i
            and " " in line.strip()
            and (spaced.header_columns(line) or aligned.starts_table(text, *lines[j]))
        ):
            break  # the header of a table flattened or aligned with spaces ends the run
        if j > i and ("\t" in line and tsv.is_header(line) or tsv.unmarked_separator(line)):
            break  # so does the header of a table delimited by tabs, wide spaces or commas
        j += 1
    return j


def _skip_short_run(text: str, lines: list, i: int) -> int:
    """Where to look for the next table: past a run of short lines that held none."""
    line = text[lines[i][0] : lines[i][1]]
    if line.strip() and _is_cell_line(line):
        return max(_short_run(text, lines, i), i + 1)
    return i + 1


def _cell_stream(text: str, lines: list, i: int):
    """A table printed one cell per line from line ``i``, or on line ``i`` with ``|`` between
    cells (see ``cellstream``): (first line of the table, line after it, the span of the cells
    before its header on its own line or None, the table), or None."""
    line_start, line_end = lines[i]
    line = text[line_start:line_end]
    if not line.strip():
        return None
    if (cells := cellstream.pipe_cells(text, line_start, line_end)) is not None:
        found = cellstream.find([text[s:e] for s, e in cells])
        if found is None:
            return None
        start, columns, rows = found
        table = cellstream.build(text, cells, start, columns, rows)
        prefix = (line_start, cells[start - 1][1]) if start else None
        return i, i + 1, prefix, table
    if not _is_cell_line(line):
        return None
    end = _short_run(text, lines, i)
    cells, line_of = [], []
    for j in range(i, end):
        for span in cellstream.line_cells(text, [lines[j]]):
            cells.append(span)
            line_of.append(j)
    found = cellstream.find([text[s:e] for s, e in cells])
    if found is None:
        return None
    start, columns, rows = found
    table = cellstream.build(text, cells, start, columns, rows)
    return line_of[start], line_of[start + (rows + 1) * columns - 1] + 1, None, table

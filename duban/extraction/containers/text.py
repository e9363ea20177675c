"""Plain text and Markdown (.txt, .md): running text, Markdown headings, and text-exported tables.

The text spans index into is the file decoded (see ``encoding``), with newlines normalised,
export artefacts removed, and — when the text was copied from a web page (a 首页> breadcrumb at the
top, 发布日期 / 【打印本页】 / Produced By lines at the ends) — those chrome lines dropped.
Everything else is kept exactly, including line breaks inside words that a PDF conversion left.

The text is then cut into regions: tables in the table-as-text layout (``tabbed``) or Markdown
pipe tables (``mdtable``), a table flattened onto one line between pipes (``flattened``), a table of figures
aligned with spaces (``aligned``), and running text between them (``prose``). A table takes as its title
the title line above it (skipping 联系人：/单位名称： lines), which also stays a paragraph.
"""

from __future__ import annotations

from ..blocks import Block, Paragraph, ReadDocument
from . import aligned, chrome, encoding, errors, flattened, mdtable, prose, tabbed
from .builder import guess_table_title


def read_text(data: bytes, name: str, fmt: str, sha256: str) -> ReadDocument:
    text, warnings = encoding.decode_with_warnings(data)
    text = encoding.normalise(text)
    if not text.strip():
        raise errors.empty()
    text = chrome.strip_chrome_lines(text)
    return ReadDocument(name, fmt, sha256, text, parse_blocks(text), warnings)


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
        elif aligned.starts_table(text, *lines[i]) and (
            found_aligned := aligned.parse(text, lines, i)
        ):
            flush_prose(i)
            table, after = found_aligned
            table.title = guess_table_title(since_table)
            blocks.append(table)
            since_table = []
            prose_from = i = after
        elif (found := flattened.parse_line(text, *lines[i])) is not None:
            flush_prose(i)
            blocks.extend(found)
            since_table = []
            prose_from = i = i + 1
        else:
            i += 1
    flush_prose(len(lines))
    return blocks

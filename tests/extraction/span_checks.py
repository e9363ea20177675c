"""Invariants every ReadDocument must satisfy, shared by the container tests."""

from __future__ import annotations

from duban.extraction.blocks import Cell, Paragraph, ReadDocument, Table


def assert_valid(doc: ReadDocument) -> None:
    """Spans index into doc.text, paragraphs match exactly, tables are rectangular and ordered."""
    text = doc.text
    previous_end = 0
    for block in doc.blocks:
        start, end = block.span
        assert 0 <= start <= end <= len(text), block.span
        assert start >= previous_end, ("blocks out of order", block.span, previous_end)
        previous_end = end
        if isinstance(block, Paragraph):
            assert block.text == text[start:end]
            assert block.text.strip() == block.text and block.text
        else:
            assert isinstance(block, Table)
            _assert_table(text, block)


def _assert_table(text: str, table: Table) -> None:
    width = len(table.rows[0])
    assert width >= 1
    for r, row in enumerate(table.rows):
        assert len(row) == width, f"row {r} has {len(row)} cells, header has {width}"
        for c, cell in enumerate(row):
            assert isinstance(cell, Cell)
            assert (cell.row, cell.col) == (r, c)
            start, end = cell.span
            assert table.span[0] <= start <= end <= table.span[1]
            if cell.merged_from is not None:
                origin = table.rows[cell.merged_from[0]][cell.merged_from[1]]
                assert origin.merged_from is None
                assert cell.merged_from < (r, c)
                assert (cell.text, cell.span) == (origin.text, origin.span)
            else:
                assert_cell_text_in_span(text, cell)


def assert_cell_text_in_span(text: str, cell: Cell) -> None:
    """The cell text is the spanned text, up to whitespace between spilled words."""
    spanned = text[cell.span[0] : cell.span[1]]
    if cell.text == spanned:
        return
    assert "".join(cell.text.split()) == "".join(spanned.split()), (cell.text, spanned)

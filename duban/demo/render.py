"""Renders the demo documents to text in the layouts offices use, remembering the span of
every piece, so the demo's targets are grounded exactly as imported ones are."""

from dataclasses import dataclass, field


@dataclass
class Rendered:
    text: str = ""
    spans: dict = field(default_factory=dict)

    def add(self, piece: str, key=None) -> tuple[int, int]:
        start = len(self.text)
        self.text += piece
        span = (start, len(self.text))
        if key is not None:
            self.spans[key] = span
        return span


def render_prose(title: str, intro: str, sections, numerals: str) -> Rendered:
    """A work plan: a title, headings 一、二、…, items 1. 2. … numbered through the whole
    document, and 一是/二是 sub-points on lines of their own."""
    doc = Rendered()
    doc.add(f"{title}\n\n", None)
    doc.add(f"{intro}\n\n")
    number = 0
    for s, (heading, items) in enumerate(sections):
        doc.add(f"{numerals[s]}、{heading}\n\n", ("heading", s))
        for item_title, body, sub_points, *_ in items:
            number += 1
            start = len(doc.text)
            doc.add(f"{number}.{item_title}。")
            doc.add(body, ("body", str(number)))
            for p, point in enumerate(sub_points):
                doc.add("\n")
                doc.add(point, ("point", str(number), p))
            doc.spans[("item", str(number))] = (start, len(doc.text))
            doc.add("\n\n")
    return doc


def render_table(
    title_lines: list[str], header: list[str], rows: list[list[str]], notes: list[str]
) -> Rendered:
    """A Word table exported to text: each cell opens with a tab at the start of a line, a
    blank line ends a row, an empty cell stands for one merged with the row above."""
    doc = Rendered()
    doc.add("\n")
    for line in title_lines:
        doc.add(f"{line}\n")
    for cell in header:
        doc.add(f"\t{cell}\n")
    doc.add("\n")
    for r, row in enumerate(rows):
        row_start = len(doc.text)
        for c, cell in enumerate(row):
            doc.add("\t")
            doc.add(cell, ("cell", r, c))
            doc.add("\n")
        doc.spans[("row", r)] = (row_start, len(doc.text) - 1)
        doc.add("\n")
    for line in notes:
        doc.add(f"{line}\n")
    return doc

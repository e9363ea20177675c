"""`extract`: one document in, the extraction contract's JSON out (docs/extraction-contract.md)."""

from .blocks import ReadDocument
from .containers import read_document
from .document import find_issuer, find_period, find_title, find_year, guess_genre
from .items import Item
from .layouts.headers import header_map
from .layouts.prose import prose_items
from .layouts.tables import find_header, table_items
from .numbers import find_indicators

SCHEMA = "duban.extraction/1"


def extract(path_or_bytes, name: str | None = None) -> dict:
    """Reads and extracts one document; raises ReadError with a Chinese message if unreadable."""
    return extract_document(read_document(path_or_bytes, name=name))


def extract_document(doc: ReadDocument) -> dict:
    title = find_title(doc)
    year = find_year(title, doc.text)
    items: list[Item] = []
    column_fields: set[str] = set()
    for table in doc.tables:
        found = find_header(table)
        if found:
            column_fields |= set(header_map(table.rows[found[0]]).values())
            items.extend(table_items(table, year=year))
    if not items:
        genre = guess_genre(title, column_fields, set())
        items = prose_items(doc.paragraphs, doc.text, year=year, genre=genre)
    part_genres = {i.genre for i in items if i.kind == "part"}
    genre = guess_genre(title, column_fields, part_genres)
    if not part_genres:
        for item in items:
            item.genre = item.genre or genre
    for number, item in enumerate(items, start=1):
        item.id = f"i{number}"
    return {
        "schema": SCHEMA,
        "source": {"name": doc.name, "format": doc.format, "sha256": doc.sha256},
        "text": doc.text,
        "document": {
            "title": title,
            "genre": genre,
            "issuer": find_issuer(doc),
            "year": year,
            "period": find_period(title, year),
        },
        "items": [_item_json(item, doc.text, year) for item in items],
    }


def _item_json(item: Item, text: str, year: int | None) -> dict:
    indicators = []
    for (start, end), kind, default_year in item.number_sources:
        for found in find_indicators(
            text[start:end], kind=kind, default_year=default_year or year, offset=start
        ):
            indicators.append(
                {
                    "subject": found.subject,
                    "kind": found.kind,
                    "measure": found.measure,
                    "comparator": found.comparator,
                    "value": _plain(found.value),
                    "value_max": _plain(found.value_max),
                    "unit": found.unit,
                    "year": found.year,
                    "span": list(found.span),
                    "hedge": found.hedge,
                    "approximate": found.approximate,
                }
            )
    return {
        "id": item.id,
        "parent": item.parent.id if item.parent else None,
        "number": item.number,
        "title": item.title,
        "text": item.text,
        "span": list(item.span),
        "kind": item.kind,
        "genre": item.genre,
        "year": item.year or year,
        "fields": item.fields,
        "field_spans": item.field_spans,
        "indicators": indicators,
    }


def _plain(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value

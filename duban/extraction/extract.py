"""`extract`: one document in, the extraction contract's JSON out (docs/extraction-contract.md)."""

import contextlib
import gc
import re

from .blocks import Paragraph, ReadDocument, Table
from .containers import read_document
from .document import (
    default_kind,
    find_issuer,
    find_own_unit,
    find_period,
    find_title,
    find_year,
    guess_genre,
)
from .items import BRACKETED, Item
from .layouts.figures import figures_items
from .layouts.metrics import find_metrics_header, has_achievements, metrics_items, period_label
from .layouts.prose import prose_items
from .layouts.tables import find_header, period_of_header, table_items
from .numbers import find_indicators
from .numbers.subjects import heading_subject

SCHEMA = "duban.extraction/1"


def extract(path_or_bytes, name: str | None = None, default_year: int | None = None) -> dict:
    """Reads and extracts one document; raises ReadError with a Chinese message if unreadable.
    ``default_year`` is the year of a document that names none (a bare completion table), as
    the importing office knows it."""
    with _collector_paused():
        return extract_document(read_document(path_or_bytes, name=name), default_year)


@contextlib.contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while one document is extracted.

    A large document makes millions of small objects (blocks, cells, items, indicators) that all
    live until the result is returned; the collector would walk them over and over (some 10% of
    the time for a 10 MB .docx) and find next to nothing: extraction makes hardly any reference
    cycles (a few from a failed read's traceback, collected once it runs again). Reference
    counting frees everything else as usual. Process-wide, so it is only re-enabled if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                # The first young collection after this would walk every object made while
                # paused, the result's among them (half a second for a large ledger), and find
                # next to nothing. Frozen and unfrozen (two list splices), they join the oldest
                # generation, which only a full collection walks; nobody else's frozen objects
                # are thawed.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def extract_document(doc: ReadDocument, default_year: int | None = None) -> dict:
    title = find_title(doc)
    year = (
        find_year(title, doc.text, dated_by_dates=bool(doc.tables), published=doc.published_year)
        or default_year
    )
    items: list[Item] = []
    column_fields: set[str] = set()
    header_period = None
    own_unit = find_own_unit(doc)
    unread: list[Paragraph] = []  # the rows of tables no layout reads
    for table in doc.tables:
        if find_metrics_header(table):
            if has_achievements(table):
                column_fields.add("progress")  # a table of figures reached: a report
                label = period_label(table)
                header_period = header_period or _period_part(find_period(label, year))
            items.extend(metrics_items(table, year=year))
            continue
        header = find_header(table)
        if header:
            column_fields |= set(header.columns.values())
            items.extend(table_items(table, year=year, unit=own_unit))
            header_period = header_period or period_of_header(table)
            continue
        # A table of figures (a yearbook table, a score table): each value cell an actual.
        found = figures_items(table, year=year)
        items.extend(found)
        if not found:
            unread += _row_paragraphs(table, doc.text)
    # The running text around the tables (a notice's own tasks, a plan's targets before its
    # division of labour) gives items too, in document order with the rows.
    genre = guess_genre(title, column_fields, set())
    kind = default_kind(title, genre, doc.text)
    paragraphs = doc.paragraphs
    if unread:
        paragraphs = sorted(paragraphs + unread, key=lambda p: p.span[0])
    prose = prose_items(paragraphs, doc.text, year=year, genre=genre, kind=kind)
    if items and prose:
        items = sorted(items + _without_parts(prose), key=lambda item: item.span[0])
    else:
        items = items or prose
    # The genres of the parts (and of sections a heading names: "三、2024年工作打算").
    part_genres = {i.genre for i in items if i.kind == "part"} or {
        i.genre for i in items if i.kind == "heading" and i.genre in ("summary", "plan")
    }
    genre = guess_genre(title, column_fields, part_genres)
    if not part_genres:
        for item in items:
            item.genre = item.genre or genre
    for number, item in enumerate(items, start=1):
        item.id = f"i{number}"
    memo: dict = {}
    result = {
        "schema": SCHEMA,
        "source": {"name": doc.name, "format": doc.format, "sha256": doc.sha256},
        "text": doc.text,
        "document": {
            "title": title,
            "genre": genre,
            "issuer": find_issuer(doc),
            "year": year,
            "period": find_period(title, year, header_period, column_fields),
        },
        "items": [_item_json(item, doc.text, year, memo) for item in items],
    }
    if doc.warnings:
        # Added key (the contract allows it): what was read with doubt, e.g. broken UTF-8 bytes.
        result["warnings"] = list(doc.warnings)
    return result


def _item_json(item: Item, text: str, year: int | None, memo: dict) -> dict:
    found = list(item.cell_indicators)
    for (start, end), kind, default_year in item.number_sources:
        found += _indicators_at(text[start:end], kind, default_year or year, start, memo, year)
    indicators = [_indicator_json(indicator) for indicator in found]
    _answer_subjects(indicators)
    _heading_subjects(item, indicators)
    _respectively_subjects(indicators, text)
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


_MEMO_SIZE = 4096


def _indicators_at(
    source: str,
    kind: str,
    default_year: int | None,
    offset: int,
    memo: dict,
    now_year: int | None = None,
):
    """``find_indicators`` of one piece of the text, read once per document for pieces that
    repeat (a ledger's rows of the same task, status or unit): what it finds depends on the
    piece alone, its spans on where the piece is. ``now_year``: the document's year, which
    去年/明年 count from."""
    key = (source, kind, default_year, now_year)
    seen = memo.get(key)
    if seen is None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        found = find_indicators(
            source, kind=kind, default_year=default_year, offset=offset, now_year=now_year
        )
        memo[key] = (offset, found)
        return found
    at, found = seen
    if at == offset:
        return found
    shift = offset - at
    return [i._replace(span=(i.span[0] + shift, i.span[1] + shift)) for i in found]


def _row_paragraphs(table: Table, text: str) -> list[Paragraph]:
    """A table whose columns no layout knows is read as running text, a paragraph a row, so
    its figures are not lost."""
    paragraphs = []
    for row in table.rows:
        own = [c for c in row if c.merged_from is None and c.text.strip()]
        if not own:
            continue
        start, end = min(c.span[0] for c in own), max(c.span[1] for c in own)
        paragraphs.append(Paragraph(text[start:end], (start, end)))
    return paragraphs


def _without_parts(items: list[Item]) -> list[Item]:
    """Prose items beside tables, without the parts a title line opened: the tables' rows
    belong to no part, so the document is one, as it was read before the prose beside it."""
    for item in items:
        while item.parent is not None and item.parent.kind == "part":
            item.parent = item.parent.parent
    return [item for item in items if item.kind != "part"]


def _period_part(period: str | None) -> str | None:
    """ "2023-H1" -> "H1": the part of a period a column label named, without its year."""
    return period.split("-", 1)[1] if period and "-" in period else None


def _indicator_json(found) -> dict:
    return {
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


def _heading_subjects(item: Item, indicators: list[dict]) -> None:
    """Numbers without a subject under a short heading that names a thing ("（一）高新技术企业
    培育" / "全年新增45家，总数达到410家") count that thing; so do those of an item whose first
    sentence only names it ("1.R&D经费投入强度（10分）。目标值：不低于2.2%")."""
    if item.kind not in ("heading", "item") or not item.title:
        return
    title = BRACKETED.sub("", item.title)
    if len(title) > MAX_HEADING_SUBJECT:
        return
    after_title = item.text.find(item.title) + len(item.title)
    labelled = item.text[after_title : after_title + 1] in ("：", ":")
    if item.kind == "item" and not labelled and not _TARGET_LABEL.match(item.text, after_title):
        return
    if not any(i["subject"] is None for i in indicators):
        return
    subject = heading_subject(title)
    if subject is None:
        return
    for indicator in indicators:
        if indicator["subject"] is None:
            indicator["subject"] = subject


MAX_HEADING_SUBJECT = 16
# After an item's naming sentence, the figure asked of it: "。目标值：…"
_TARGET_LABEL = re.compile(r"[。．.\s]*(?:目标值?|指标值?|考核目标|目标任务)[:：]")


def _answer_subjects(indicators: list[dict]) -> None:
    """A reported number without a subject answers the item's target of the same unit and
    measure ("新增科技型中小企业30家" / progress "已完成，新增34家")."""
    unanswered = [i for i in indicators if i["kind"] == "actual" and not i["subject"]]
    if not unanswered:
        return
    targets = [i for i in indicators if i["kind"] == "target" and i["subject"]]
    for indicator in unanswered:
        same = [
            t
            for t in targets
            if (t["unit"], t["measure"]) == (indicator["unit"], indicator["measure"])
        ]
        if len({t["subject"] for t in same}) == 1:
            indicator["subject"] = same[0]["subject"]


# Between the values of one list: separators only ("9%、12%、15%和18%").
_LIST_GAP = re.compile(r"[\s、，,和及与]*")
# A line break is no clause break here: a PDF cell wraps a list anywhere ("分别完成\n9%\n、12%").
_CLAUSE_BREAK = re.compile(r"[，,；;。:：]")
# How far back a list after 分别 looks for the figure it breaks down: a task's cells or lines.
RESPECTIVELY_REACH = 400


def _respectively_subjects(indicators: list[dict], text: str) -> None:
    """A list of values with no subject after 分别 ("一、二、三、四季度分别完成9%、12%、15%、
    18%", "占比分别达18%、19%") breaks down the figure of the same unit the task stated before
    it, in an earlier sentence or cell: it takes that figure's subject, and its measure when
    that is a rate (a quarter's share of a share, its growth of a growth)."""
    for index, indicator in enumerate(indicators):
        if indicator["subject"] is not None:
            continue
        list_start = indicator["span"][0]
        for before in reversed(indicators[:index]):
            if before["subject"] is not None or before["unit"] != indicator["unit"]:
                break
            if not _LIST_GAP.fullmatch(text, before["span"][1], list_start):
                break
            list_start = before["span"][0]
        lead = text[max(0, list_start - 30) : list_start]
        clause = lead[max((m.end() for m in _CLAUSE_BREAK.finditer(lead)), default=0) :]
        if "分别" not in clause:
            continue
        for before in reversed(indicators[:index]):
            if list_start - before["span"][1] > RESPECTIVELY_REACH:
                break
            if before["subject"] and before["unit"] == indicator["unit"]:
                indicator["subject"] = before["subject"]
                if before["measure"] in ("growth", "share"):
                    indicator["measure"] = before["measure"]
                break


def _plain(value):
    """A value as a JSON number, exact as printed: an int when whole (at any size), else a
    float whose repr is the printed decimal (numbers/ refuses any other)."""
    if value is None:
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return int(value)

"""Items as the layouts produce them, and the text clean-ups they share."""

import functools
import re
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass
class Item:
    """One extracted target (or heading, or part) with its fields and their spans."""

    span: Span
    text: str
    number: str | None = None
    title: str | None = None
    parent: "Item | None" = None
    kind: str = "item"  # part | heading | item | point | row
    genre: str | None = None  # the genre of the part of the document it is in
    year: int | None = None  # the year of that part, when it differs from the document's
    fields: dict = field(default_factory=dict)
    field_spans: dict = field(default_factory=dict)
    # (span, kind, default year) of the text the number grammar should read for this item.
    number_sources: list = field(default_factory=list)
    # Indicators read from cells of their own (an indicator table's values), spans included.
    cell_indicators: list = field(default_factory=list)
    id: str = ""

    def set(self, name: str, value, span: Span | None = None):
        """Sets a field only when the document has it: empty values are left out."""
        if value is None or value == "" or value == []:
            return
        self.fields[name] = value
        if span is not None:
            self.field_spans[name] = list(span)


# A bracketed aside (（10分）, （责任）): what a label or a title says apart from its words.
BRACKETED = re.compile(r"[（(][^（）()]*[)）]")
# A two-character name padded to the width of three: 陈  忠, 林　芳
_PADDED_NAME = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])[ \u3000]+([\u4e00-\u9fff])(?![\u4e00-\u9fff])"
)


def join_padded_names(text: str) -> str:
    """People's names with the padding a layout put inside two-character ones taken out."""
    return _PADDED_NAME.sub(r"\1\2", text)


_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]|\[/?(?:comment|footnote)[^\]]*\]")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_LINE_START_NUMBER = re.compile(
    r"^\s*(?:\d{1,3}\s*[.、．)）]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+(?:是|、))"
)
_SENTENCE_END = "。；！？：;!?:…”"
_JOINABLE = re.compile(rf"[{_CJK}，、（）《》“”%\w]")


# A space a converter put beside a Chinese character or punctuation mark ("2020 年", "3-5 个").
_SPACE_BY_CJK = re.compile(
    rf"(?<=[{_CJK}\u3000-\u303f\uff00-\uffef])[ \u00a0]+|[ \u00a0]+(?=[{_CJK}\u3000-\u303f\uff00-\uffef])"
)


# Memoised (a few recent texts): a ledger repeats its statuses, units and notes down the rows.
@functools.lru_cache(maxsize=1024)
def clean_text(raw: str) -> str:
    """Text as a reader would quote it: export artefacts dropped, words that a PDF or a
    table export broke across lines joined again, numbered lines kept on lines of their own,
    and spaces a converter put beside Chinese characters removed."""
    raw = _drop_artefacts(raw).replace("\u3000", " ")
    lines = [line.strip() for line in raw.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        broken_word = (
            out[-1] not in _SENTENCE_END
            and not _LINE_START_NUMBER.match(line)
            and _JOINABLE.match(line[0])
            and _JOINABLE.match(out[-1])
        )
        out += line if broken_word else "\n" + line
    # Looked for only where there is a space: the pattern is tried at every character.
    return _SPACE_BY_CJK.sub("", out) if " " in out or "\u00a0" in out else out


# Memoised (a few recent texts): the table layout squashes every cell of a row several times
# over, to compare the row with the header, find single values, statuses and numbers.
@functools.lru_cache(maxsize=1024)
def squash(text: str) -> str:
    """All white space removed: for short values such as 持续\\n推进 or unit names."""
    # str.split() splits at exactly the characters re's \s matches (str.isspace), and is several
    # times faster than re.sub(r"\s+", "", …).
    return "".join(_drop_artefacts(text or "").split())


def _drop_artefacts(text: str) -> str:
    # Every artefact starts with "[": most texts have none and skip the regex.
    return _ARTEFACT.sub("", text) if "[" in text else text


UNIT_END = _UNIT_END = re.compile(
    r"(局|委|办|厅|院|会|府|部|中心|公司|馆|所|站|队|行|社|团|室|处|科|司|集团|政府|管委会|"
    r"办公室|分局|支队|大队|银行|学校|大学|协会|联合会|总工会|团市委|妇联|科协|法院|检察院|"
    r"研究院|园区|区|县|市)$"
)
# Words that end like a unit but are the middle of one (人力资源社会 / 保障局).
_UNIT_MIDDLE = re.compile(r"(社会|和社会)$")
_UNIT_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def split_units(cell: str) -> list[str]:
    """Unit names from a 责任单位 cell. An export may break one name across lines
    (市人力资源社会 / 保障局): a piece that does not end like a unit joins the next."""
    pieces = [p for p in _UNIT_SEPARATORS.split(_drop_artefacts(cell or "")) if p]
    units, pending = [], ""
    for piece in pieces:
        pending += piece
        if _UNIT_END.search(pending) and not _UNIT_MIDDLE.search(pending):
            units.append(pending)
            pending = ""
    if pending:
        if units and len(pending) <= 3:
            units[-1] += pending
        else:
            units.append(pending)
    return [u for u in units if u not in {"无", "/"}]

"""Task breakdowns written as labelled lists: a numbered task, then its fields on lines of their own.

    1.推进青溪实验室二期建设，年内完成主体工程。
    牵头负责领导：周明远                       leaders
    牵头责任单位：高新科                       lead_unit, as printed (two units both lead)
    协同责任单位：市发展改革委、市财政局        co_units
    完成时限：2026年10月                       deadline

A 责任单位 line follows the ledger's rule: the first unit leads, the others co-operate. A label
line is a field of the task above it, never a paragraph of its own, and not part of its text.

Offices also write several labels on one line (承办单位：…　责任领导：副市长 孔令杰　办理时限：…),
labels beside the task's particulars (目标任务：… / 当前进展：…, which stay the task's text), and
labels in brackets after the task's sentence (……。（牵头单位：…；责任单位：…）). A leader's title
before the name is dropped.
"""

import re

from ..items import BRACKETED, Item, clean_text, join_padded_names, split_units, squash

_LINE = re.compile(
    r"^[ \t\u3000]*([\u4e00-\u9fff（）()]{2,14})[ \t\u3000]*[:：][ \t\u3000]*(\S.*?)[ \t\u3000。；;，,]*$"
)
_FIELDS = (
    ("leaders", re.compile(r"领导(同志)?$|^(主要)?责任人$")),
    ("co_units", re.compile(r"^(协同|配合|协办|参与|协助|协作)(责任)?(单位|部门|科室|处室|股室)$")),
    ("lead_unit", re.compile(r"^(牵头|主办|主责)(责任)?(单位|部门|科室|处室|股室)$")),
    ("units", re.compile(r"^(责任|承办|落实)(单位|部门|科室|处室|股室)$")),
    ("deadline", re.compile(r"^(计划)?(完成|办结|办理)?(时限|时间|期限)(要求)?$|^时间节点$")),
    ("status", re.compile(r"^(办理|办结|完成|进展)状态$|^是否(完成|办结)$")),
)
# Any label, known or not (目标任务：…, 当前进展：…, 分值：15分): a line of them is a task's
# particulars, whose figures are read with the task.
_ANY_LABEL = re.compile(r"[ \t\u3000]*[\u4e00-\u9fff（）()]{2,10}[ \t\u3000]*[:：]")
# Several labels on one line: 责任单位：市科技局；配合单位：… / 承办单位：…　责任领导：…
_LABEL_SEPARATOR = re.compile(r"[；;]|[ \u3000]{1,}(?=[\u4e00-\u9fff（）()]{2,10}[:：])")
# A title before a leader's name: 副市长 孔令杰, 镇长 邵明辉
_TITLE = re.compile(
    r"^(?:[市县区镇乡]?(?:委|党委|党组))?(?:常务)?副?(?:市长|县长|区长|镇长|乡长|书记|主任|局长|"
    r"厅长|处长|科长|股长|部长|主席|秘书长|巡视员|调研员|委员)[ \u3000]*"
)
_NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def label_pieces(line: str) -> list[tuple[int, int]] | None:
    """The (start, end) of each label piece of a line of labels, or None when some piece of
    the line is no label."""
    pieces, at = [], 0
    for m in [*_LABEL_SEPARATOR.finditer(line), None]:
        stop = m.start() if m else len(line)
        if line[at:stop].strip():
            if not _ANY_LABEL.match(line, at):
                return None
            pieces.append((at, stop))
        at = m.end() if m else len(line)
    return pieces or None


def line_fields(text: str, start: int, end: int) -> tuple[list[tuple[str, int, int]], bool]:
    """The fields of the label lines between ``start`` and ``end`` of ``text``, as (field,
    value start, value end), and whether that is all the lines hold: every non-blank line a
    line of labels, every label a known field."""
    found, fields_only, at = [], True, start
    for line in text[start:end].split("\n"):
        pieces = label_pieces(line)
        if pieces is None:
            fields_only = fields_only and not line.strip()
        for piece_start, piece_end in pieces or ():
            field = label_field(line[piece_start:piece_end])
            if field is None:
                fields_only = False
            else:
                offset = at + piece_start
                found.append((field[0], offset + field[1], offset + field[2]))
        at += len(line) + 1
    return found, fields_only


def set_label_fields(item: Item, text: str, fields: list[tuple[str, int, int]]) -> None:
    for name, value_start, value_end in fields:
        set_label_field(item, name, text[value_start:value_end], (value_start, value_end))


def label_field(line: str) -> tuple[str, int, int] | None:
    """(field, start, end of the value in ``line``) for a label line, else None."""
    m = _LINE.match(line)
    if m is None:
        return None
    label = squash(BRACKETED.sub("", m.group(1)))
    for name, pattern in _FIELDS:
        if pattern.search(label):
            return name, m.start(2), m.end(2)
    return None


# one level of brackets inside: （牵头单位：市科技局；责任单位：各县（区）人民政府）
_BRACKET = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]{0,10}[)）]){4,160})[)）]")
_PIECE_SEPARATOR = re.compile(r"[；;]")


def bracketed_labels(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Fields written in brackets after a task's sentence ("……。（责任领导：黄志明；责任股室：
    农村科技股；完成时限：2015年11月底）"): (field, value start, value end) in ``text``, from the
    first bracket between ``start`` and ``end`` whose every piece is a label line."""
    for bracket in _BRACKET.finditer(text, start, end):
        found, at = [], bracket.start(1)
        pieces = _PIECE_SEPARATOR.split(bracket.group(1))
        for piece in pieces:
            field = label_field(piece) if piece.strip() else None
            if field is not None:
                found.append((field[0], at + field[1], at + field[2]))
            elif piece.strip():
                break
            at += len(piece) + 1
        else:
            if found:
                return found
    return []


def set_label_field(item: Item, name: str, value: str, span: tuple[int, int]) -> None:
    """Sets one labelled field on ``item``; a field already set is kept (the first line wins)."""
    if name == "leaders":
        value = join_padded_names(_TITLE.sub("", value))
        names = [_TITLE.sub("", n) for n in _NAME_SEPARATORS.split(value)]
        names = [n for n in names if n and n not in ("无", "/") and not _TITLE.fullmatch(n)]
        if "leaders" not in item.fields:
            item.set("leaders", names, span)
    elif name == "status":
        if "status" not in item.fields:
            item.set("status", squash(value), span)
    elif name == "deadline":
        if "deadline" not in item.fields:
            item.set("deadline", squash(value), span)
    elif name == "lead_unit":
        if "lead_unit" not in item.fields:
            item.set("lead_unit", clean_text(value), span)
    elif name == "co_units":
        _add_co_units(item, split_units(value), span)
    elif name == "units":
        units = split_units(value)
        if units and "lead_unit" not in item.fields:
            item.set("lead_unit", units[0], (span[0], span[0] + len(units[0])))
            units = units[1:]
        _add_co_units(item, units, span)


def _add_co_units(item: Item, units: list[str], span: tuple[int, int]) -> None:
    known = [item.fields.get("lead_unit"), *item.fields.get("co_units", [])]
    new = [u for u in dict.fromkeys(units) if u not in known]
    if new:
        item.set("co_units", item.fields.get("co_units", []) + new, span)

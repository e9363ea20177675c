"""What an indicator is: the record ``find_indicators`` and ``read_cell_value`` return."""

from __future__ import annotations

from typing import NamedTuple


class Indicator(NamedTuple):
    """One indicator read from the text. A named tuple rather than a frozen dataclass: a large
    document makes one per figure, and a frozen dataclass sets each of its fields through
    ``object.__setattr__``, which made building them cost three times as much. Immutable all
    the same; ``_replace`` gives a changed copy."""

    subject: str | None  # what is counted; None if it can't be found
    kind: str  # "target" | "actual"
    measure: str  # "total" | "increase" | "share" | "growth" | "rank" | "other"
    comparator: str  # ">=" | ">" | "=" | "~" | "<=" | "<" | "range"
    value: int | float  # exact as printed: int when whole, else a float that prints the same
    value_max: int | float | None  # only with comparator "range"
    unit: str  # as printed (full-width ％ is given as %); "" for a rank printed without one
    year: int | None
    span: tuple[int, int]  # offsets into the original text, plus `offset`
    hedge: str | None = None  # 力争 / 争取 / 确保 … when present
    approximate: bool = False  # 余 多 近 约 左右 …


KINDS = ("target", "actual")

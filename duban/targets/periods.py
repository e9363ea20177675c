"""Reporting periods, written as 2022 (a year), 2022-Q1, 2022-H1 or 2022-M03."""

import calendar
import datetime
import re
from dataclasses import dataclass

_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|M(?:0[1-9]|1[0-2])))?$")
_CN_QUARTER = "一二三四"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # "Y", "Q", "H" or "M"
    index: int  # quarter, half or month; 1 for a year

    @classmethod
    def parse(cls, value: str) -> "Period":
        match = _PERIOD.match((value or "").strip())
        if not match:
            raise ValueError(
                f"无法识别的期次：{value!r}（应为 2022、2022-Q1、2022-H1 或 2022-M03）"
            )
        year, part = int(match.group(1)), match.group(2)
        if part is None:
            return cls(year, "Y", 1)
        return cls(year, part[0], int(part[1:]))

    @classmethod
    def quarter_of(cls, day: datetime.date) -> "Period":
        return cls(day.year, "Q", (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        if self.kind == "Y":
            return str(self.year)
        if self.kind == "M":
            return f"{self.year}-M{self.index:02d}"
        return f"{self.year}-{self.kind}{self.index}"

    @property
    def label(self) -> str:
        """As an office writes it: 2022年第一季度."""
        if self.kind == "Y":
            return f"{self.year}年"
        if self.kind == "Q":
            return f"{self.year}年第{_CN_QUARTER[self.index - 1]}季度"
        if self.kind == "H":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        return f"{self.year}年{self.index}月"

    @property
    def last_month(self) -> int:
        return {"Y": 12, "Q": self.index * 3, "H": self.index * 6, "M": self.index}[self.kind]

    @property
    def end_date(self) -> datetime.date:
        month = self.last_month
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def quarters(self) -> list["Period"]:
        if self.kind != "Y":
            return [self]
        return [Period(self.year, "Q", q) for q in range(1, 5)]


def period_label(value: str) -> str:
    try:
        return Period.parse(value).label
    except ValueError:
        return value

"""Helpers the number-phrase tests share: the one indicator of a text, its printed span, and
chosen fields of every indicator found."""

from duban.extraction.numbers import Indicator, find_indicators


def only(text: str, **kwargs) -> Indicator:
    found = find_indicators(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def printed(text: str, ind: Indicator) -> str:
    return text[ind.span[0] : ind.span[1]]


def rows(text: str, *fields: str, **kwargs) -> list[tuple]:
    return [tuple(getattr(i, f) for f in fields) for i in find_indicators(text, **kwargs)]

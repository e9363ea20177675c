"""The contract every extraction result must keep (docs/extraction-contract.md), as assertions
shared by the seed, layout and robustness tests."""

from __future__ import annotations

import re

SCHEMA = "duban.extraction/1"
GENRES = {"plan", "summary", "progress", "goals", "commitments", "mixed", "unknown"}
KINDS = {"part", "heading", "item", "point", "row"}
MEASURES = {"total", "increase", "share", "growth", "rank", "other"}
COMPARATORS = {">=", ">", "=", "~", "<=", "<", "range"}
# Markdown an export leaves: bold, a heading's or quote's marks at a line's start and the
# closing hashes of a heading at its end (both are markup, not text, to the extractor).
_MARKUP = re.compile(r"\*\*|^[#>\s]+|#+\s*$|\[bookmark:[^\]]*\]", re.MULTILINE)
_NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", _MARKUP.sub("", text or ""))


def assert_contract(result: dict) -> None:
    """Keys, types and spans: every span indexes the text and says what the result says."""
    assert result["schema"] == SCHEMA
    assert set(result["source"]) >= {"name", "format", "sha256"}
    text = result["text"]
    assert isinstance(text, str)
    document = result["document"]
    assert set(document) >= {"title", "genre", "issuer", "year", "period"}
    assert document["genre"] in GENRES
    ids = {item["id"] for item in result["items"]}
    for item in result["items"]:
        assert_item(item, text, ids)


def assert_item(item: dict, text: str, ids: set[str]) -> None:
    start, end = item["span"]
    assert 0 <= start <= end <= len(text), item["span"]
    assert item["kind"] in KINDS
    assert item["parent"] is None or item["parent"] in ids
    # The span is the item: its characters, cleaned, are the item's text.
    assert squashed(text[start:end]) == squashed(item["text"]), (item["id"], item["text"][:40])
    for name, value in item["fields"].items():
        assert value not in ("", [], None), (item["id"], name)
    for name, span in item.get("field_spans", {}).items():
        assert 0 <= span[0] <= span[1] <= len(text), (item["id"], name, span)
    sources = [item["span"], *item.get("field_spans", {}).values()]
    for indicator in item["indicators"]:
        assert_indicator(indicator, text, sources)


def assert_indicator(indicator: dict, text: str, sources: list) -> None:
    start, end = indicator["span"]
    assert 0 <= start < end <= len(text), indicator
    printed = text[start:end]
    assert _NUMERAL.search(printed), printed
    # The number is read from the item's own characters or one of its cells.
    assert any(s[0] <= start and end <= s[1] for s in sources), (printed, sources)
    assert indicator["kind"] in ("target", "actual")
    assert indicator["measure"] in MEASURES
    assert indicator["comparator"] in COMPARATORS
    assert isinstance(indicator["value"], int | float)
    if indicator["comparator"] == "range":
        assert indicator["value_max"] is not None and indicator["value_max"] > indicator["value"]
    else:
        assert indicator["value_max"] is None
    digits = re.findall(
        r"[0-9]+", printed.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    )
    if digits:
        assert str(int(digits[0])) in re.sub(r"[.,]", "", f"{abs(indicator['value']):f}") or (
            "万" in printed or "亿" in printed or "千" in printed or "百" in printed
        ), (printed, indicator["value"])

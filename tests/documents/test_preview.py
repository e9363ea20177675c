"""The preview's marked-up source text and readable numbers."""

import re
from html.parser import HTMLParser

from duban.documents.preview import build_preview, indicator_label

TEXT = "1.高新技术企业达到320家。一是培育<b>企业</b>。\n2.新增平台8家以上。"


def item(id, span, parent=None, kind="item", indicators=(), **extra):
    return {
        "id": id,
        "parent": parent,
        "number": None,
        "title": None,
        "text": TEXT[span[0] : span[1]],
        "span": list(span),
        "kind": kind,
        "genre": "plan",
        "fields": {},
        "indicators": [{"value": 1, "span": list(s)} for s in indicators],
        **extra,
    }


def span(piece):
    start = TEXT.index(piece)
    return start, start + len(piece)


class Checker(HTMLParser):
    """Rebuilds the text and the characters under each mark; fails on badly nested tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.open, self.under = "", [], {}

    def handle_starttag(self, tag, attrs):
        assert tag == "mark"
        attrs = dict(attrs)
        self.open.append(attrs.get("data-ind") or attrs["data-item"])

    def handle_endtag(self, tag):
        assert tag == "mark" and self.open
        self.open.pop()

    def handle_data(self, data):
        self.text += data
        for key in self.open:
            self.under[key] = self.under.get(key, "") + data


def check(result):
    html = str(build_preview(result).marked_text)
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert not checker.open
    return html, checker


def test_nested_spans_mark_the_right_characters_and_the_text_is_unchanged():
    first = span("1.高新技术企业达到320家。一是培育<b>企业</b>。")
    point = span("一是培育<b>企业</b>。")
    result = {
        "text": TEXT,
        "items": [
            item("i1", first, indicators=[span("达到320家")]),
            item("i2", point, parent="i1", kind="point"),
            item("i3", span("2.新增平台8家以上。"), indicators=[span("8家以上")]),
        ],
    }
    html, checker = check(result)
    assert checker.text == TEXT
    assert checker.under["i1"] == TEXT[first[0] : first[1]]
    assert checker.under["i2"] == "一是培育<b>企业</b>。"
    assert checker.under["i1-0"] == "达到320家" and checker.under["i3-0"] == "8家以上"
    assert "&lt;b&gt;企业&lt;/b&gt;" in html and "<b>" not in html
    assert html.count('id="src-i1"') == 1


def test_crossing_spans_are_split_so_the_html_stays_well_formed():
    result = {
        "text": TEXT,
        "items": [
            item("i1", (0, 12)),
            item("i2", (8, 20)),
            item("i3", (10, 11)),
        ],
    }
    html, checker = check(result)
    assert checker.text == TEXT
    assert checker.under["i1"] == TEXT[0:12]
    assert checker.under["i2"] == TEXT[8:20]
    assert checker.under["i3"] == TEXT[10:11]
    assert html.count('id="src-i2"') == 1, "a continued mark does not repeat its id"
    assert len(re.findall(r'data-item="i2"', html)) == 2


def test_empty_and_out_of_range_spans_are_left_out():
    result = {"text": TEXT, "items": [item("i1", (3, 3)), item("i2", (5, 10_000))]}
    html, checker = check(result)
    assert checker.text == TEXT and "<mark" not in html


def test_exclusion_carries_down_to_children_and_counts():
    result = {
        "text": TEXT,
        "items": [
            item("i1", span("1.高新技术企业达到320家。"), indicators=[span("达到320家")]),
            item("i2", span("一是培育<b>企业</b>。"), parent="i1", kind="point"),
            item("i3", span("2.新增平台8家以上。"), excluded=True),
            item("i4", span("8家以上"), parent="i3", kind="point"),
        ],
    }
    preview = build_preview(result)
    rows = {row.id: row for row in preview.rows}
    assert not rows["i1"].excluded and rows["i3"].own_excluded
    assert rows["i4"].excluded and rows["i4"].excluded_by_parent and not rows["i4"].own_excluded
    assert (preview.target_count, preview.excluded_count, preview.number_count) == (2, 2, 1)
    assert [row.depth for row in preview.rows] == [0, 1, 0, 1]


def test_numbers_read_as_a_person_writes_them():
    assert (
        indicator_label(
            {
                "subject": "高新技术企业",
                "kind": "target",
                "measure": "total",
                "comparator": ">=",
                "value": 15,
                "unit": "家",
                "year": 2022,
            }
        )
        == "高新技术企业 ≥ 15 家 (2022, 目标)"
    )
    assert (
        indicator_label(
            {
                "subject": "省级实验室",
                "kind": "actual",
                "measure": "increase",
                "comparator": "range",
                "value": 3,
                "value_max": 5,
                "unit": "家",
                "year": None,
                "hedge": "力争",
            }
        )
        == "省级实验室 新增 3–5 家 (实际, 力争)"
    )
    assert indicator_label({"comparator": "~", "value": 47.13, "unit": "%"}).startswith(
        "（未识别指标） 约 47.13 %"
    )

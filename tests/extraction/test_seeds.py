"""The five real seeds against what a careful clerk reads from them (``expected/NNN.json``).

Each item is compared field by field; a failure names the seed, the item and every wrong field.
The quirks the domain notes list (docs/domain.md, "Data quirks worth a test each") have a test
of their own below. Seed text stays out of the repository: fixtures hold digests of sentences.
"""

from __future__ import annotations

import functools

import pytest

from duban.extraction.extract import extract

from .result_checks import assert_contract
from .seed_expectations import (
    SEED_PREFIXES,
    SEEDS,
    align,
    compare,
    digest,
    load_expected,
    seed_path,
)

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")


@functools.cache
def result_of(prefix: str) -> dict:
    path = seed_path(prefix)
    return extract(path.read_bytes(), name=path.name)


def _item_cases():
    cases = []
    for prefix in SEED_PREFIXES:
        try:
            items = load_expected(prefix)["items"]
        except FileNotFoundError:
            continue
        for index, item in enumerate(items):
            label = item["number"] or item["kind"]
            cases.append(pytest.param(prefix, index, id=f"{prefix}-#{index + 1}-{label}"))
    return cases


def _problems(prefix: str) -> list:
    problems, _score = compare(load_expected(prefix), result_of(prefix))
    return problems


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_document(prefix):
    wrong = [str(p) for p in _problems(prefix) if p.where == "document"]
    assert not wrong, f"seed {prefix}: " + "; ".join(wrong)


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_no_items_missing_or_extra(prefix):
    expected, result = load_expected(prefix), result_of(prefix)
    alignment = align(expected["items"], result["items"])
    missing = [i + 1 for i, k in enumerate(alignment) if k is None]
    extra = len(result["items"]) - len([k for k in alignment if k is not None])
    assert not missing and not extra, f"seed {prefix}: items missing {missing}, extra {extra}"


@pytest.mark.parametrize(("prefix", "index"), _item_cases())
def test_item(prefix, index):
    expected = load_expected(prefix)["items"][index]
    where = f"item #{index + 1} "
    wrong = [str(p) for p in _problems(prefix) if p.where.startswith(where)]
    label = expected["number"] or expected["kind"]
    assert not wrong, f"seed {prefix} item {label}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_every_span_is_real(prefix):
    assert_contract(result_of(prefix))


# --- the quirks ------------------------------------------------------------------------------


def _row(prefix: str, number: str) -> dict:
    (item,) = [i for i in result_of(prefix)["items"] if i["number"] == number]
    return item


def _numbers(item: dict) -> list[tuple]:
    return [
        (i["subject"], i["kind"], i["measure"], i["comparator"], i["value"], i["unit"], i["year"])
        for i in item["indicators"]
    ]


def test_003_row_54_keeps_its_reason_although_complete():
    fields = _row("003", "54")["fields"]
    assert (fields["status"], fields["reason"]) == ("完成", "是")


def test_003_unit_name_spilled_past_the_row_is_joined():
    text = result_of("003")["text"]
    for number in ("45", "54"):
        row = _row("003", number)
        assert "市人力资源社会保障局" in row["fields"]["co_units"]
        start, end = row["field_spans"]["co_units"]
        assert text[start:end].endswith("保障局")
    assert _row("003", "54")["fields"]["co_units"] == ["市委组织部", "市人力资源社会保障局"]


def test_000_merged_task_source_is_carried_to_every_row():
    items = result_of("000")["items"]
    assert len(items) == 11
    assert {i["fields"]["source_category"] for i in items} == {"省直重点任务公开承诺事项"}


def test_000_task_4_continuation_row_is_more_progress_of_task_4():
    task = _row("000", "4")
    assert not any(i["number"] is None for i in result_of("000")["items"])
    # Both blocks of progress, and the numbers of the second block, belong to task 4.
    assert ("省级创新创业共同体", "actual", "other", "=", 30, "家", 2020) in _numbers(task)
    assert task["fields"]["progress"].count("\n4.") == 1
    # One part is closed (办结), the others go on: the task goes on.
    assert task["fields"]["status"] == "持续推进"
    assert "办结" not in task["fields"]["next_steps"]


def test_004_category_is_carried_down_and_benchmarks_split_off():
    items = result_of("004")["items"]
    assert [i["fields"]["category"] for i in items] == ["重点目标"] * 7 + ["创优目标"] * 2
    for item in items:
        has_benchmark = "benchmark" in item["fields"]
        assert has_benchmark == (item["fields"]["category"] == "创优目标")
        assert "标杆城市" not in item["text"]
        assert item["fields"]["lead_unit"] == "市科技局"


def test_002_holds_a_summary_of_2021_and_a_plan_for_2022():
    result = result_of("002")
    assert result["document"]["genre"] == "mixed"
    parts = [i for i in result["items"] if i["kind"] == "part"]
    assert [(p["genre"], p["year"]) for p in parts] == [("summary", 2021), ("plan", 2022)]
    by_id = {i["id"]: i for i in result["items"]}

    def part_of(item):
        while item["parent"]:
            item = by_id[item["parent"]]
        return item

    for item in result["items"]:
        if item["kind"] == "part":
            continue
        part = part_of(item)
        assert (item["genre"], item["year"]) == (part["genre"], part["year"])
        expected_kind = "actual" if part["genre"] == "summary" else "target"
        assert all(i["kind"] == expected_kind for i in item["indicators"])


def test_002_summary_numbering_restarts_in_each_section():
    result = result_of("002")
    headings = [i for i in result["items"] if i["kind"] == "heading"]
    assert [h["number"] for h in headings] == ["一", "二", "三", "四", "五", "六", "七"]
    for heading in headings:
        numbers = [i["number"] for i in result["items"] if i["parent"] == heading["id"]]
        assert numbers[0] == "1", heading["number"]


def test_002_main_goals_paragraph_distributes_its_values():
    (goals,) = [i for i in result_of("002")["items"] if i["title"] == "主要工作目标"]
    numbers = _numbers(goals)
    assert ("高新技术企业", "target", "total", "=", 1260, "家", 2022) in numbers
    assert ("科技型中小企业", "target", "total", "=", 1700, "家", 2022) in numbers
    assert ("省级以上创新平台", "target", "increase", "=", 10, "家", 2022) in numbers


def test_001_words_broken_across_lines_and_pages_are_joined():
    result = result_of("001")
    expected = load_expected("001")["items"]
    for item, want in zip(result["items"], expected, strict=True):
        assert digest(item["text"]) == want["text"] or item["text"] == want["text"]
        assert "\n\n" not in item["text"]
    (heading,) = [i for i in result["items"] if i["kind"] == "heading" and i["number"] == "二"]
    assert heading["title"].endswith("活力") and "\n" not in heading["title"]
    # The span still covers the characters as printed, line breaks and all.
    start, end = heading["span"]
    assert "\n" in result["text"][start:end]


def _all_numbers() -> list[tuple]:
    found = []
    for prefix in ("002", "003"):
        for item in result_of(prefix)["items"]:
            found += [(prefix, *n) for n in _numbers(item)]
    return found


def test_two_sources_give_conflicting_targets_for_2022():
    numbers = _all_numbers()
    assert ("003", "高新技术企业", "target", "total", "=", 1200, "家", 2022) in numbers
    assert ("002", "高新技术企业", "target", "total", "=", 1260, "家", 2022) in numbers
    assert ("003", "省级以上创新平台", "target", "increase", ">=", 15, "家", 2022) in numbers
    assert ("002", "省级以上创新平台", "target", "increase", "=", 10, "家", 2022) in numbers
    assert ("002", "高新技术企业", "actual", "total", "=", 1027, "家", 2021) in numbers
    assert ("002", "科技型中小企业", "actual", "total", "=", 1379, "家", 2021) in numbers


@pytest.mark.parametrize(
    ("task", "promise", "report"),
    [
        (
            "6",
            ("国家科技型中小企业", "target", "increase", "=", 3000, "家", 2020),
            ("国家科技型入库企业", "actual", "increase", "=", 8720, "家", 2020),
        ),
        (
            "9",
            ("科技特派员", "target", "total", "=", 7000, "人", 2020),
            ("科技特派员", "actual", "total", "=", 7835, "名", 2020),
        ),
        (
            "10",
            ("省级临床医学研究中心", "target", "other", "range", 3, "家", 2020),
            ("省级临床医学研究中心", "actual", "increase", "=", 4, "个", 2020),
        ),
        (
            "3",
            ("重大科技创新工程", "target", "other", "~", 100, "项", 2020),
            ("项目", "actual", "other", "=", 100, "个", 2020),
        ),
    ],
)
def test_000_promise_and_report_are_read_as_printed(task, promise, report):
    numbers = _numbers(_row("000", task))
    assert promise in numbers and report in numbers


def test_dates_document_numbers_names_and_list_numbers_are_not_indicators():
    for prefix in SEED_PREFIXES:
        result = result_of(prefix)
        for item in result["items"]:
            for indicator in item["indicators"]:
                printed = result["text"][indicator["span"][0] : indicator["span"][1]]
                assert not any(mark in printed for mark in ("〔", "号", "第33", "+", "年", "月")), (
                    prefix,
                    printed,
                )
                assert indicator["unit"] not in ("", "号") or indicator["measure"] == "rank"
                assert not 1990 <= indicator["value"] <= 2030 or indicator["unit"] != "", printed


def test_placeholders_give_no_number():
    from duban.extraction.numbers import find_indicators

    assert find_indicators("新增高新技术企业X家，科技型中小企业**家") == []

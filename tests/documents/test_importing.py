"""Storing extraction results: structure, fields, idempotence, new versions, roll-back."""

import copy
import hashlib

import pytest

from duban.audit.models import AuditEvent
from duban.documents.importing import ImportError_, classify_source, completion, import_extraction
from duban.documents.models import SourceDocument
from duban.organisations.models import Organisation, Person
from duban.targets.models import Indicator, Milestone, ProgressReport, SourceCategory, Target

TEXT = (
    "2026年第二季度重点任务完成情况\n"
    "\t序号\n\t年度目标\n\t第2季度目标\n\t是否完成\n\t具体工作进展\n\t未完成原因\n\t下步工作打算\n"
    "\t分管领导\n\t责任单位\n\n"
    "\t12\n\t新增省级以上创新平台{n}家以上。\n\t完成平台申报。\n\t未完成\n\t已申报4家。\n"
    "\t评审推迟。\n\t跟进评审。\n\t李副市长\n\t市科技局\n市财政局\n\n"
)


def span_of(piece, text=TEXT):
    start = text.index(piece)
    return [start, start + len(piece)]


def extraction(n=6, **document):
    text = TEXT.format(n=n)
    meta = {
        "title": "2026年第二季度重点任务完成情况",
        "genre": "progress",
        "issuer": None,
        "year": 2026,
        "period": "2026-Q2",
    }
    meta.update(document)
    goal = f"新增省级以上创新平台{n}家以上。"
    return {
        "schema": "duban.extraction/1",
        "source": {
            "name": "q2.txt",
            "format": "txt",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        },
        "text": text,
        "document": meta,
        "items": [
            {
                "id": "i1",
                "parent": None,
                "number": "12",
                "title": None,
                "text": goal,
                "span": span_of(goal, text),
                "fields": {
                    "source_category": "政府工作报告",
                    "annual_target": goal,
                    "period_target": "完成平台申报。",
                    "status": "未完成",
                    "progress": "已申报4家。",
                    "reason": "评审推迟。",
                    "next_steps": "跟进评审。",
                    "leaders": ["李副市长"],
                    "lead_unit": "市科技局",
                    "co_units": ["市财政局"],
                },
                "indicators": [
                    {
                        "subject": "省级以上创新平台",
                        "kind": "target",
                        "measure": "increase",
                        "comparator": ">=",
                        "value": 6,
                        "value_max": None,
                        "unit": "家",
                        "year": 2026,
                        "span": span_of(f"{n}家以上", text),
                    },
                ],
            }
        ],
    }


@pytest.fixture
def bureau(db):
    return Organisation.objects.create(name="白沙市科学技术局", short_name="市科技局")


def test_import_stores_document_target_fields_period_data_and_indicators(bureau):
    result = import_extraction(extraction())
    assert result.summary.endswith("新建目标 1 项，未涉及 0 项")
    target = Target.objects.get()
    assert target.number == "12"
    assert target.source_category == SourceCategory.WORK_REPORT
    assert target.source_text == "新增省级以上创新平台6家以上。"
    assert target.lead_unit == bureau
    assert [u.name for u in target.co_units.all()] == ["市财政局"]
    assert target.leader == Person.objects.get(name="李副市长", role="leader")
    milestone = Milestone.objects.get()
    assert (milestone.period, milestone.text) == ("2026-Q2", "完成平台申报。")
    report = ProgressReport.objects.get()
    assert report.is_complete is False and report.reason == "评审推迟。"
    # The table's answer is the office's record of the period, with the table as its source.
    assert report.review_state == ProgressReport.Review.ACCEPTED
    assert report.reviewed_at is not None and "按《" in report.review_comment
    indicator = Indicator.objects.get()
    assert (indicator.comparator, indicator.value, indicator.unit) == (">=", 6, "家")
    assert indicator.source_text == "6家以上"


def test_same_file_twice_changes_nothing(bureau):
    import_extraction(extraction())
    before = (Target.objects.count(), AuditEvent.objects.count(), ProgressReport.objects.count())
    again = import_extraction(extraction())
    assert again.already_imported
    assert "已导入过" in again.summary
    after = (Target.objects.count(), AuditEvent.objects.count(), ProgressReport.objects.count())
    assert after == before


def test_newer_version_updates_matching_targets_and_records_the_change(bureau):
    first = import_extraction(extraction())
    target = first.created[0]
    newer = extraction(8)
    newer["items"][0]["indicators"][0]["value"] = 8
    result = import_extraction(newer)
    assert result.updated == [target] and result.created == []
    assert Target.objects.count() == 1
    target.refresh_from_db()
    assert target.text == "新增省级以上创新平台8家以上。"
    assert target.source_document == result.document
    assert result.document.previous_version == first.document
    change = AuditEvent.objects.for_target(target.pk).filter(action="update").last()
    assert change.before["目标内容"] == "新增省级以上创新平台6家以上。"
    assert change.after["目标内容"] == "新增省级以上创新平台8家以上。"
    assert [i.value for i in target.indicators.all()] == [8]


def test_a_failing_document_leaves_nothing_behind(bureau):
    broken = extraction()
    broken["items"].append(
        {
            "id": "i2",
            "parent": None,
            "number": "13",
            "text": "x",
            "span": [0, 1],
            "fields": {},
            "indicators": [{"value": 1}],
        }
    )
    with pytest.raises(KeyError):
        import_extraction(broken)
    assert not SourceDocument.objects.exists()
    assert not Target.objects.exists()


def test_a_document_without_a_year_is_refused_in_chinese(db):
    with pytest.raises(ImportError_, match="无法确定《q2.txt》的年度"):
        import_extraction(extraction(year=None))
    assert not SourceDocument.objects.exists()


def test_children_keep_their_parent(bureau):
    data = extraction()
    data["items"].append(
        {
            "id": "i2",
            "parent": "i1",
            "number": "一是",
            "text": "完成平台申报",
            "span": [0, 4],
            "fields": {},
            "indicators": [],
        }
    )
    import_extraction(data)
    child = Target.objects.get(number="一是")
    assert child.parent.number == "12"


@pytest.mark.parametrize(
    "label,genre,title,expected",
    [
        ("省直重点任务公开承诺事项", "commitments", "", SourceCategory.COMMITMENT),
        ("", "progress", "第一季度完成情况（政府工作报告部分）", SourceCategory.WORK_REPORT),
        ("", "plan", "2020年全市科技工作要点", SourceCategory.WORK_PLAN),
        ("", "goals", "2021年度市直单位业务目标", SourceCategory.BUSINESS_GOAL),
        ("市长批示事项", "unknown", "", SourceCategory.INSTRUCTION),
        ("", "unknown", "", SourceCategory.OTHER),
    ],
)
def test_source_category(label, genre, title, expected):
    assert classify_source(label, genre, title) == expected


@pytest.mark.parametrize(
    "status,expected",
    [
        ("完成", True),
        ("已完成", True),
        ("未完成", False),
        ("完\n成", True),
        ("持续推进", None),
        ("", None),
    ],
)
def test_completion_is_read_from_the_printed_status(status, expected):
    assert completion(status) is expected


def test_commitments_are_public(db):
    data = copy.deepcopy(extraction(genre="commitments", period=None))
    data["items"][0]["fields"] = {"source_category": "省直重点任务公开承诺事项"}
    import_extraction(data)
    assert Target.objects.get().is_public
    # Marked as a public commitment, not published: that is the office's own step.
    assert Target.objects.get().published_at is None

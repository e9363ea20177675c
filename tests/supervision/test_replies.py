"""Replies by file: a unit's form for 2022-Q2 exported, filled in the way units fill it,
read back, matched row by row to its targets, and stored as the unit's submitted reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.audit.models import AuditEvent
from duban.supervision import replies
from duban.supervision.models import ReplyDraft
from duban.targets.models import Evidence, Milestone, ProgressReport, Target
from duban.targets.periods import Period

from .filling import fill_docx, fill_xlsx
from .reply_fixtures import ANSWERS, Q2, qingxi_city, qingxi_tasks, unit_form  # noqa: F401

pytestmark = pytest.mark.usefixtures("file_storage")


def upload(user, unit, data, name="回传.xlsx", period=Q2):
    return replies.create_draft(user, SimpleUploadedFile(name, data), unit=unit, period=period)


def plan_of(user, draft):
    return replies.plan_reply(user, draft.unit, Period.parse(draft.period), draft.result)


def actions_by_number(plan):
    return {r.row["number"]: r.action for r in plan.rows}


def answered(target, period=Q2):
    return list(target.reports.filter(period=str(period)))


def check_landed(report, number):
    expected = ANSWERS[number]
    assert replies.flat(report.progress) == replies.flat(expected["具体工作进展"])
    assert report.is_complete is (expected["是否完成"] == "完成")
    assert replies.flat(report.reason) == replies.flat(expected["未完成原因"])
    assert replies.flat(report.next_steps) == replies.flat(expected["下步工作打算"])


# --- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "fill"),
    [("xlsx", fill_xlsx), ("docx", fill_docx)],
    ids=["xlsx", "xlsx-saved-as-docx"],
)
def test_round_trip_reordered_deleted_rewrapped(fmt, fill, city, tasks, bureau_user):
    form = unit_form(city["bureau"], fmt)
    filled = fill(
        form,
        ANSWERS,
        order=["46", "52", "45", "43"],
        drop=["47"],
        wrap={"43": ["年度目标", "具体工作进展"], "45": ["年度目标"]},
    )
    draft = upload(bureau_user, city["bureau"], filled, name=f"科技局二季度回传.{fmt}")
    plan = plan_of(bureau_user, draft)
    assert actions_by_number(plan) == {
        "46": "new",
        "52": "refused",
        "45": "new",
        "43": "new",
    }
    matched = {r.row["number"]: r.target.number for r in plan.rows if r.target}
    assert matched == {"43": "43", "45": "45", "46": "46", "52": "52"}
    assert "协办单位" in next(r.message for r in plan.rows if r.row["number"] == "52")

    done = replies.confirm(bureau_user, draft.pk)

    assert {r.target.number for r in done.reports} == {"43", "45", "46"}
    for number in ("43", "45", "46"):
        (report,) = answered(tasks[number])
        assert report.review_state == ProgressReport.Review.SUBMITTED
        assert report.unit == city["bureau"]
        assert report.submitted_by == bureau_user
        check_landed(report, number)
        (evidence,) = report.evidence.all()
        assert evidence.name == f"科技局二季度回传.{fmt}"
        assert evidence.file.read() == filled
    # Nowhere else: the deleted row, the co-unit's row and the other unit's target stay empty.
    for number in ("47", "52", "60"):
        assert answered(tasks[number]) == []
    assert ProgressReport.objects.count() == 3
    draft.refresh_from_db()
    assert draft.status == ReplyDraft.Status.CONFIRMED


def test_reports_from_a_file_leave_the_same_trail_as_online(city, tasks, bureau_user):
    filled = fill_xlsx(unit_form(city["bureau"]), {"43": ANSWERS["43"]})
    draft = upload(bureau_user, city["bureau"], filled)
    replies.confirm(bureau_user, draft.pk)
    (report,) = answered(tasks["43"])
    events = AuditEvent.objects.filter(target_id=tasks["43"].pk).order_by("pk")
    assert [e.summary for e in events if e.action == "transition"][-1] == "报送进展"
    assert events.filter(object_id=str(report.pk)).exists()
    assert Evidence.objects.filter(report=report).count() == 1


def test_office_staff_upload_on_a_units_behalf(city, tasks, office_user):
    filled = fill_xlsx(unit_form(city["bureau"]), {"45": ANSWERS["45"]})
    draft = upload(office_user, city["bureau"], filled)
    done = replies.confirm(office_user, draft.pk)
    (report,) = done.reports
    assert report.target == tasks["45"]
    assert report.unit == city["bureau"]
    assert report.submitted_by == office_user
    check_landed(report, "45")


def test_period_taken_from_the_title_when_none_is_chosen(city, tasks, bureau_user):
    filled = fill_xlsx(unit_form(city["bureau"]), {"46": ANSWERS["46"]})
    draft = upload(bureau_user, city["bureau"], filled, period=None)
    assert draft.period == "2022-Q2"


# --- what a unit may not answer ---------------------------------------------------------------


def test_a_unit_cannot_answer_another_units_target_by_file(city, tasks, finance_user, make_target):
    # The finance bureau sends back the science bureau's form, its own answers typed in.
    form = unit_form(city["bureau"], targets=Target.objects.filter(number__in=["43", "52", "60"]))
    answers = {"43": ANSWERS["43"], "52": ANSWERS["52"], "60": ANSWERS["43"]}
    draft = upload(finance_user, city["finance"], fill_xlsx(form, answers))
    plan = plan_of(finance_user, draft)
    assert actions_by_number(plan) == {"43": "refused", "52": "new", "60": "refused"}
    refused = [r for r in plan.rows if r.action == "refused"]
    assert all("不能报送" in r.message for r in refused)
    # A unit is not shown which other unit leads a target it may not see.
    assert not any(r.shows_target for r in refused)
    replies.confirm(finance_user, draft.pk)
    assert answered(tasks["43"]) == [] and answered(tasks["60"]) == []
    assert [r.unit for r in answered(tasks["52"])] == [city["finance"]]


def test_a_target_not_yet_acknowledged_is_refused(city, make_target, bureau_user, leader):
    target = make_target(year=2022, number="70", text="建设青溪科技大市场线上平台")
    target.approve()
    target.assign(lead_unit=city["bureau"], leader=leader, deadline_text="12月底前")
    Milestone.objects.create(target=target, period=str(Q2), text="完成平台招标")
    form = unit_form(city["bureau"])
    draft = upload(bureau_user, city["bureau"], fill_xlsx(form, {"70": ANSWERS["43"]}))
    (row,) = plan_of(bureau_user, draft).rows
    assert row.action == "refused" and "待签收" in row.message


# --- a second upload --------------------------------------------------------------------------


def test_second_upload_replaces_unaccepted_answers_and_keeps_accepted(
    city, tasks, bureau_user, office_user
):
    first = fill_xlsx(unit_form(city["bureau"]), ANSWERS)
    replies.confirm(bureau_user, upload(bureau_user, city["bureau"], first).pk)
    (accepted,) = answered(tasks["45"])
    accepted.accept(office_user, "同意")

    changed = {n: dict(a) for n, a in ANSWERS.items()}
    changed["43"]["具体工作进展"] = "全市高新技术企业达到1250家（更正）。"
    changed["45"]["具体工作进展"] = "新增省级创新平台9家。"
    second = fill_docx(unit_form(city["bureau"], "docx"), changed)
    draft = upload(bureau_user, city["bureau"], second, name="更正后.docx")
    plan = plan_of(bureau_user, draft)
    by_number = {r.row["number"]: r for r in plan.rows}
    assert by_number["43"].action == "replace"
    assert [c.label for c in by_number["43"].changes] == ["具体工作进展"]
    assert by_number["46"].action == "replace" and by_number["46"].changes == []
    assert by_number["45"].action == "kept"
    assert "审核通过" in by_number["45"].message
    assert "替换" in plan.summary() and "未覆盖 1 项" in plan.summary()

    replies.confirm(bureau_user, draft.pk)

    (report43,) = answered(tasks["43"])  # replaced in place, not a second report
    assert report43.progress == "全市高新技术企业达到1250家（更正）。"
    assert report43.review_state == ProgressReport.Review.SUBMITTED
    assert {e.name for e in report43.evidence.all()} == {"更正后.docx", "回传.xlsx"}
    (report45,) = answered(tasks["45"])
    assert report45.review_state == ProgressReport.Review.ACCEPTED
    assert report45.progress == ANSWERS["45"]["具体工作进展"]
    summaries = AuditEvent.objects.filter(target_id=tasks["43"].pk).values_list(
        "summary", flat=True
    )
    assert replies.REPLACED_SUMMARY in summaries


def test_a_returned_report_is_revised_and_sent_again(city, tasks, bureau_user, office_user):
    first = fill_xlsx(unit_form(city["bureau"]), {"46": ANSWERS["46"]})
    replies.confirm(bureau_user, upload(bureau_user, city["bureau"], first).pk)
    (report,) = answered(tasks["46"])
    report.return_for_revision(office_user, "请补充研发投入数据")
    again = dict(ANSWERS["46"], 具体工作进展="技术合同成交额41.3亿元，研发投入同比增长13.2%。")
    draft = upload(bureau_user, city["bureau"], fill_xlsx(unit_form(city["bureau"]), {"46": again}))
    (row,) = [r for r in plan_of(bureau_user, draft).rows if r.stores]
    assert row.action == "revise"
    replies.confirm(bureau_user, draft.pk)
    (report,) = answered(tasks["46"])
    assert report.review_state == ProgressReport.Review.SUBMITTED
    assert "13.2%" in report.progress


# --- bad input --------------------------------------------------------------------------------


def test_a_form_of_another_period_is_named(city, tasks, bureau_user):
    form = unit_form(city["bureau"], period=Period.parse("2022-Q1"))
    with pytest.raises(
        replies.ReplyError, match="2022年第一季度的报送表.*不是所选的2022年第二季度"
    ):
        upload(bureau_user, city["bureau"], fill_xlsx(form, ANSWERS))
    assert not ReplyDraft.objects.exists()


def test_a_form_naming_another_unit_is_named(city, tasks, bureau_user):
    title = "青溪市财政局2022年第二季度政府工作报告目标任务完成情况"
    filled = fill_xlsx(unit_form(city["bureau"]), ANSWERS, title=title)
    with pytest.raises(replies.ReplyError, match="这是市财政局的报送表"):
        upload(bureau_user, city["bureau"], filled)


def test_the_units_own_name_in_the_title_is_fine(city, tasks, bureau_user):
    title = "市科技局2022年第二季度政府工作报告目标任务完成情况"
    filled = fill_xlsx(unit_form(city["bureau"]), {"43": ANSWERS["43"]}, title=title)
    assert upload(bureau_user, city["bureau"], filled).period == "2022-Q2"


@pytest.mark.parametrize(
    ("name", "data"),
    [("回传.xlsx", b""), ("回传.xlsx", b"PK\x03\x04 not a workbook"), ("回传.docx", b"\x00" * 50)],
    ids=["empty", "corrupt-xlsx", "corrupt-docx"],
)
def test_unreadable_files_give_the_extractions_message(city, tasks, bureau_user, name, data):
    from duban.extraction.containers import ReadError
    from duban.extraction.extract import extract

    with pytest.raises(ReadError) as expected:
        extract(data, name=name)
    with pytest.raises(replies.ReplyError) as raised:
        upload(bureau_user, city["bureau"], data, name=name)
    assert str(raised.value) == str(expected.value)


def test_rows_that_match_no_target_are_listed_not_stored(city, tasks, bureau_user):
    form = fill_xlsx(unit_form(city["bureau"]), {"43": ANSWERS["43"], "47": ANSWERS["47"]})
    # The unit retypes row 47 as a task nobody assigned it.
    form = fill_xlsx(form, {"47": {"序号": "99", "年度目标": "举办青溪市首届无人机表演大赛"}})
    draft = upload(bureau_user, city["bureau"], form)
    plan = plan_of(bureau_user, draft)
    assert actions_by_number(plan)["99"] == "unmatched"
    assert actions_by_number(plan)["45"] == "empty"
    replies.confirm(bureau_user, draft.pk)
    assert answered(tasks["47"]) == []
    assert ProgressReport.objects.count() == 1


def test_an_incomplete_row_says_what_is_missing(city, tasks, bureau_user):
    answers = {
        "45": dict(ANSWERS["45"], 未完成原因=""),
        "46": dict(ANSWERS["46"], 是否完成="基本完成"),
    }
    draft = upload(bureau_user, city["bureau"], fill_xlsx(unit_form(city["bureau"]), answers))
    rows = {r.row["number"]: r for r in plan_of(bureau_user, draft).rows}
    assert rows["45"].action == "incomplete" and "未完成原因" in rows["45"].message
    assert rows["46"].action == "incomplete" and "基本完成" in rows["46"].message


def test_a_draft_is_stored_once(city, tasks, bureau_user):
    filled = fill_xlsx(unit_form(city["bureau"]), {"43": ANSWERS["43"]})
    draft = upload(bureau_user, city["bureau"], filled)
    assert replies.confirm(bureau_user, draft.pk) is not None
    assert replies.confirm(bureau_user, draft.pk) is None
    assert len(answered(tasks["43"])) == 1


def test_nothing_is_half_stored(city, tasks, bureau_user, monkeypatch):
    filled = fill_xlsx(unit_form(city["bureau"]), ANSWERS)
    draft = upload(bureau_user, city["bureau"], filled)
    calls = []
    original = replies.actions.save_report

    def failing_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(replies.actions, "save_report", failing_on_the_second)
    with pytest.raises(RuntimeError):
        replies.confirm(bureau_user, draft.pk)
    assert ProgressReport.objects.count() == 0
    draft.refresh_from_db()
    assert draft.is_pending


def test_rows_renumbered_by_the_unit_are_matched_by_their_text(city, tasks, bureau_user):
    form = fill_xlsx(unit_form(city["bureau"]), {"45": ANSWERS["45"], "46": ANSWERS["46"]})
    form = fill_xlsx(form, {"45": {"序号": "1"}, "46": {"序号": "2"}}, drop=["43", "47", "52"])
    draft = upload(bureau_user, city["bureau"], form)
    rows = {r.row["number"]: r for r in plan_of(bureau_user, draft).rows}
    assert (rows["1"].target, rows["2"].target) == (tasks["45"], tasks["46"])
    assert not rows["1"].row["by_number"] and rows["1"].row["similarity"] == 100
    replies.confirm(bureau_user, draft.pk)
    check_landed(answered(tasks["45"])[0], "45")
    check_landed(answered(tasks["46"])[0], "46")

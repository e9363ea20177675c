"""The loop's actions added for the API (in duban.supervision.actions): registering and
correcting targets and milestones, starting and revising reports, adding evidence."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.supervision import actions
from duban.targets.models import ProgressReport, Target, TransitionError

from .conftest import pdf, period_now, write_report


def test_register(office_user):
    target = actions.register(office_user, year=2026, text="新增孵化器3家", deadline_text="6月底")
    assert target.state == Target.State.REGISTERED
    assert target.deadline == datetime.date(2026, 6, 30)


def test_register_refuses_others_and_incomplete_targets(bureau_user, office_user):
    with pytest.raises(PermissionDenied):
        actions.register(bureau_user, year=2026, text="x")
    with pytest.raises(ValidationError) as refused:
        actions.register(office_user, year=2026, text="")
    assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.register(office_user, year=2026, text="x", state="closed")
    assert not Target.objects.exists()


def test_update_target_reads_a_new_deadline_text(office_user, acknowledged):
    actions.update_target(office_user, acknowledged, deadline_text="9月底前")
    assert acknowledged.deadline == datetime.date(acknowledged.year, 9, 30)
    actions.update_target(office_user, acknowledged, deadline_text="9月底前", title="孵化器")
    assert acknowledged.deadline == datetime.date(acknowledged.year, 9, 30)
    actions.update_target(
        office_user, acknowledged, deadline_text="年内", deadline=datetime.date(2026, 10, 1)
    )
    assert acknowledged.deadline == datetime.date(2026, 10, 1)


def test_update_target_refuses_others_and_loop_fields(bureau_user, office_user, acknowledged):
    with pytest.raises(PermissionDenied):
        actions.update_target(bureau_user, acknowledged, title="x")
    with pytest.raises(ValidationError):
        actions.update_target(office_user, acknowledged, state=Target.State.CLOSED)
    acknowledged.refresh_from_db()
    assert acknowledged.state == Target.State.IN_PROGRESS and acknowledged.title == ""


def test_update_milestone(office_user, bureau_user, acknowledged):
    milestone = acknowledged.milestones.create(period=f"{acknowledged.year}-Q4", text="选址")
    with pytest.raises(PermissionDenied):
        actions.update_milestone(bureau_user, milestone, text="改")
    with pytest.raises(ValidationError):
        actions.update_milestone(office_user, milestone, period="2020-Q1")
    actions.update_milestone(office_user, milestone, text="选址和设计", due_date=None)
    milestone.refresh_from_db()
    assert milestone.text == "选址和设计"
    assert milestone.due_date == datetime.date(acknowledged.year, 12, 31)


def test_start_report_refuses_a_second_open_report_for_the_period(bureau_user, draft):
    with pytest.raises(TransitionError, match=f"编号 {draft.pk}"):
        actions.start_report(
            bureau_user, draft.target, period=draft.period, progress="又一份", is_complete=True
        )
    other = actions.start_report(
        bureau_user, draft.target, period="2020-Q1", progress="上一年的", is_complete=True
    )
    assert other.review_state == ProgressReport.Review.SUBMITTED


def test_start_report_checks_the_role_first(leader_user, draft):
    with pytest.raises(PermissionDenied):
        actions.start_report(leader_user, draft.target, period=draft.period, progress="x")


def test_revise_report_keeps_what_is_not_given(bureau_user, draft):
    revised = actions.revise_report(
        bureau_user, draft, expected_version=draft.version, progress="新进展"
    )
    assert (revised.progress, revised.next_steps) == ("新进展", "推进建设")
    assert revised.review_state == ProgressReport.Review.DRAFT


def test_revise_report_refuses_a_stale_version_writing_nothing(bureau_user, draft):
    actions.revise_report(bureau_user, draft, expected_version=draft.version, progress="甲")
    with pytest.raises(TransitionError):
        actions.revise_report(bureau_user, draft, expected_version=draft.version, progress="乙")
    draft.refresh_from_db()
    assert draft.progress == "甲"


def test_revise_report_refuses_reports_not_open(bureau_user, submitted, document):
    with pytest.raises(TransitionError, match="待审核"):
        actions.revise_report(bureau_user, submitted, expected_version=submitted.version)
    imported = ProgressReport.objects.create(
        target=submitted.target,
        period="2026-Q1",
        progress="导入的",
        source_document=document,
        span_start=0,
        span_end=3,
        review_state=ProgressReport.Review.RETURNED,
    )
    with pytest.raises(TransitionError, match="由文件导入"):
        actions.revise_report(bureau_user, imported, expected_version=imported.version)


def test_revise_report_refuses_other_fields(bureau_user, draft):
    with pytest.raises(ValidationError):
        actions.revise_report(bureau_user, draft, expected_version=draft.version, period="2020")


def test_add_evidence(bureau_user, finance_user, draft, submitted_elsewhere):
    with pytest.raises(PermissionDenied):
        actions.add_evidence(finance_user, draft, [pdf()])
    with pytest.raises(ValidationError):
        actions.add_evidence(bureau_user, draft, [])
    with pytest.raises(TransitionError):
        actions.add_evidence(bureau_user, submitted_elsewhere, [pdf()])
    [stored] = actions.add_evidence(bureau_user, draft, [pdf("a.pdf")])
    assert stored.report == draft and stored.uploaded_by == bureau_user


@pytest.fixture
def submitted_elsewhere(bureau_user, draft):
    return write_report(bureau_user, draft.target, period=f"{period_now()[:4]}-Q1")

import datetime

import pytest
from django.core.exceptions import ValidationError

from duban.targets.models import (
    Indicator,
    Milestone,
    ProgressReport,
    Target,
    TransitionError,
)


def test_printed_deadline_gives_a_date_in_the_targets_year(make_target):
    target = make_target(year=2022, deadline_text="12月")
    assert str(target.deadline) == "2022-12-31"
    assert target.deadline_label == "12月"
    ongoing = make_target(deadline_text="持续推进")
    assert ongoing.deadline is None
    assert ongoing.deadline_label == "持续推进"


def test_assigning_with_a_new_printed_deadline_reads_its_date_anew(make_target, city):
    target = make_target(year=2022, deadline_text="12月", state=Target.State.APPROVED)
    target.assign(lead_unit=city["bureau"], deadline_text="9月底前")
    target.refresh_from_db()
    assert (str(target.deadline), target.deadline_text) == ("2022-09-30", "9月底前")
    target.assign(lead_unit=city["bureau"], deadline_text="9月底前")
    assert str(target.deadline) == "2022-09-30"
    given = datetime.date(2022, 9, 15)
    target.assign(lead_unit=city["bureau"], deadline=given, deadline_text="9月中旬")
    target.refresh_from_db()
    assert (target.deadline, target.deadline_text) == (given, "9月中旬")


def test_parent_cannot_be_itself_or_a_descendant(make_target):
    parent = make_target()
    child = make_target(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError) as error:
        parent.full_clean()
    assert "上级目标不能是本目标或其下级目标" in str(error.value)


def test_the_loop_moves_through_its_states(make_target, city, leader):
    target = make_target()
    target.approve()
    target.assign(
        lead_unit=city["bureau"],
        co_units=[city["finance"], city["bureau"]],
        leader=leader,
        deadline_text="9月底",
    )
    target.refresh_from_db()
    assert target.state == Target.State.ASSIGNED
    assert list(target.co_units.all()) == [city["finance"]]  # the lead unit is not its own co-unit
    assert [u.pk for u in target.units] == [city["bureau"].pk, city["finance"].pk]
    assert str(target.deadline) == "2026-09-30"
    target.acknowledge()
    assert target.acknowledged_at is not None
    target.close()
    assert target.state == Target.State.CLOSED and target.closed_at is not None


@pytest.mark.parametrize("step", ["acknowledge", "close"])
def test_steps_out_of_order_are_refused(make_target, step):
    target = make_target()
    with pytest.raises(TransitionError, match="待审核"):
        getattr(target, step)()
    target.refresh_from_db()
    assert target.state == Target.State.REGISTERED


def test_assign_needs_an_approved_target(make_target, city):
    target = make_target()
    with pytest.raises(TransitionError):
        target.assign(lead_unit=city["bureau"])
    assert not target.co_units.exists()


def test_search_text_covers_units_and_leader(make_target, city, leader):
    target = make_target(text="建设科技企业孵化器")
    target.approve()
    target.assign(lead_unit=city["bureau"], co_units=[city["finance"]], leader=leader)
    assert Target.objects.search("孵化器 财政局").get() == target
    assert Target.objects.search("王副市长").get() == target
    assert not Target.objects.search("孵化器 教育局").exists()


def test_visibility_by_role(
    make_target,
    city,
    office_user,
    bureau_user,
    finance_user,
    leader,
    leader_user,
    django_user_model,
):
    led = make_target(lead_unit=city["bureau"], leader=leader)
    co = make_target(lead_unit=city["industry"], co_units=[city["finance"]])
    other = make_target(lead_unit=city["industry"])
    visible = Target.objects.visible_to
    assert set(visible(office_user)) == {led, co, other}
    assert set(visible(bureau_user)) == {led}
    assert set(visible(finance_user)) == {co}
    assert set(visible(leader_user)) == {led}
    assert not visible(django_user_model.objects.create_user("stranger", password="x")).exists()


def test_is_in_answers_as_visible_to_does(
    make_target,
    city,
    leader,
    office_user,
    bureau_user,
    finance_user,
    leader_user,
    django_user_model,
):
    """A target page decides visibility on the target it read (`Target.is_in`); it must agree
    with the query every list uses, for every role and every way a unit is tied to a target."""
    targets = [
        make_target(lead_unit=city["bureau"], leader=leader),
        make_target(lead_unit=city["industry"], co_units=[city["finance"]]),
        make_target(lead_unit=city["finance"], co_units=[city["bureau"], city["industry"]]),
        make_target(lead_unit=city["industry"]),
        make_target(),
    ]
    stranger = django_user_model.objects.create_user("stranger", password="x")
    for user in (office_user, bureau_user, finance_user, leader_user, stranger):
        scope = Target.objects.visibility_key(user)
        visible = set(Target.objects.visible_to(user))
        for target in targets:
            co_unit_ids = {unit.pk for unit in target.co_units.all()}
            assert target.is_in(scope, co_unit_ids) == (target in visible), (user, target)


def test_milestone_due_date_is_the_end_of_its_period(make_target):
    milestone = Milestone.objects.create(target=make_target(), period="2026-Q2", text="完成方案")
    assert str(milestone.due_date) == "2026-06-30"
    assert milestone.period_label == "2026年第二季度"


def test_a_period_has_one_milestone_per_target(make_target):
    from django.db import IntegrityError, transaction

    target = make_target()
    Milestone.objects.create(target=target, period="2026-Q2", text="甲")
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(target=target, period="2026-Q2", text="乙")


def report(target, **fields):
    defaults = {"target": target, "period": "2026-Q2", "progress": "已完成方案编制"}
    defaults.update(fields)
    return ProgressReport.objects.create(**defaults)


def test_report_flags_a_reason_given_for_a_completed_task(make_target):
    # As in a real quarterly table: 是否完成 says 完成 but 未完成原因 says 是.
    assert report(make_target(), is_complete=True, status_text="完成", reason="是").flags() == [
        "已标为完成，但“未完成原因”填写了“是”"
    ]
    assert report(make_target(), is_complete=True, reason="无").flags() == []
    assert report(make_target(), is_complete=False, reason="").flags() == [
        "未完成，但没有说明未完成原因"
    ]


def test_submitting_an_incomplete_report_needs_a_reason(make_target):
    r = report(make_target(), is_complete=False)
    with pytest.raises(ValidationError) as error:
        r.submit()
    assert "未完成时必须填写未完成原因" in str(error.value)
    r.refresh_from_db()
    assert r.review_state == ProgressReport.Review.DRAFT
    r.reason = "资金尚未到位"
    r.submit()
    assert r.review_state == ProgressReport.Review.SUBMITTED


def test_returning_needs_a_comment_and_counts_returns(make_target, office_user):
    target = make_target()
    r = report(target, is_complete=True)
    r.submit()
    with pytest.raises(ValidationError):
        r.return_for_revision(office_user, " ")
    r.return_for_revision(office_user, "请补充佐证材料")
    r.submit()
    r.return_for_revision(office_user, "仍缺少佐证材料")
    target.refresh_from_db()
    assert target.return_count == 2
    assert target.light() == "red"
    with pytest.raises(TransitionError):
        r.accept(office_user)


def test_second_save_of_a_stale_report_is_refused(make_target):
    r = report(make_target(), is_complete=True)
    first, second = ProgressReport.objects.get(pk=r.pk), ProgressReport.objects.get(pk=r.pk)
    first.progress = "第一人的修改"
    assert first.save_if_unchanged(expected_version=1)
    second.progress = "第二人的修改"
    assert not second.save_if_unchanged(expected_version=1)
    r.refresh_from_db()
    assert r.progress == "第一人的修改"
    assert r.version == 2


def test_indicator_rules(make_target):
    target = make_target()
    ranged = Indicator(
        target=target, subject="研发团队", comparator="range", value=3, value_max=5, unit="个"
    )
    ranged.full_clean()
    assert ranged.display_value == "3—5个"
    with pytest.raises(ValidationError, match="区间指标必须有上限"):
        Indicator(target=target, subject="x", comparator="range", value=3).full_clean()
    with pytest.raises(ValidationError, match="上限不能小于下限"):
        Indicator(target=target, subject="x", comparator="range", value=5, value_max=3).full_clean()
    with pytest.raises(ValidationError, match="只有区间指标才有上限"):
        Indicator(target=target, subject="x", comparator=">=", value=5, value_max=9).full_clean()
    from decimal import Decimal

    at_least = Indicator(
        target=target, subject="平台", comparator=">=", value=Decimal("15"), unit="家"
    )
    assert at_least.display_value == "≥15家"


def test_co_units_keep_the_order_the_office_assigned_them_in(make_target, city):
    """Ledgers print the co-units in the order recorded: the office's, not a set of ids'."""
    from duban.audit.models import AuditEvent

    gov, finance, industry = city["gov"], city["finance"], city["industry"]
    target = make_target(state=Target.State.APPROVED)
    target.assign(lead_unit=city["bureau"], co_units=[industry, gov, finance])
    assert target.units == [city["bureau"], industry, gov, finance]
    added = AuditEvent.objects.for_target(target.pk).filter(summary="增加协办单位")
    assert [e.after for e in added] == [{"协办单位": sorted(map(str, [industry, gov, finance]))}]

    # Reordering moves the rows without announcing a unit as removed and added again.
    target.assign(lead_unit=city["bureau"], co_units=[finance, industry])
    assert target.units == [city["bureau"], finance, industry]
    trail = AuditEvent.objects.for_target(target.pk)
    assert [e.before for e in trail.filter(summary="移除协办单位")] == [{"协办单位": [str(gov)]}]
    assert trail.filter(summary="增加协办单位").count() == 1
    assert target.co_units.count() == 2

"""Deadline extensions (延期) in the bulletin (情况通报) and in scoring (考评): the period's
approved extensions listed with each target's count, the deadline as it stood at the period's
end, and a weight per extension that a scoring rule may set."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from duban.reports.models import DEFAULTS, ScoringRule
from duban.reports.overview import bulletin, exports
from duban.reports.overview.scoring import Measures, measure, ranking, score
from duban.supervision import extensions
from duban.supervision.models import DeadlineExtension
from duban.targets.models import Target
from duban.targets.periods import Period
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def approve_now(target, office, new_deadline, **fields):
    """An extension the office approves now (no leader rule), recorded in the trail now."""
    extension = DeadlineExtension.objects.create(
        target=target,
        unit=target.lead_unit,
        old_deadline=target.deadline,
        requested_deadline=new_deadline,
        reason="汛期影响施工",
        **fields,
    )
    extensions.decide_extension(office, extension, approve=True)
    return extension


@pytest.fixture
def no_leader_rule(settings):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False


def test_the_bulletin_lists_the_periods_extensions(no_leader_rule, make_qx_target, qx_office):
    today = timezone.localdate()
    period = Period.quarter_of(today)
    target = make_qx_target(text="建设云台县科技馆", created_at=at(today.year, 1, 5))
    first = target.deadline
    approve_now(target, qx_office, first + datetime.timedelta(days=30))
    target.refresh_from_db()
    approve_now(target, qx_office, first + datetime.timedelta(days=60))
    make_qx_target(text="举办科技活动周", created_at=at(today.year, 1, 5))

    b = bulletin.build(qx_office, period, today)
    assert [(r.target.pk, r.times) for r in b.extensions] == [(target.pk, 1), (target.pk, 2)]
    assert b.extensions[0].old_deadline == first
    assert b.extensions[1].new_deadline == first + datetime.timedelta(days=60)
    assert "本期批准延期2次，涉及目标任务1项。" in b.summary()
    tables = {table[0]: table for table in exports.bulletin_tables(b)}
    heading, header, rows, _ = tables["延期事项"]
    assert header[-1] == "累计延期次数"
    assert [row[-1] for row in rows] == [1, 2]


def test_the_bulletin_page_shows_the_extensions(client, no_leader_rule, make_qx_target, qx_office):
    today = timezone.localdate()
    target = make_qx_target(text="建设云台县科技馆", created_at=at(today.year, 1, 5))
    approve_now(target, qx_office, target.deadline + datetime.timedelta(days=30))
    client.force_login(qx_office)
    html = client.get(
        "/reports/bulletin/", {"period": str(Period.quarter_of(today))}
    ).content.decode()
    assert 'id="bulletin-extensions"' in html and "建设云台县科技馆" in html


def test_an_earlier_periods_bulletin_keeps_the_deadline_it_had(
    no_leader_rule, make_qx_target, qx_office
):
    """Approved now, an extension changes nothing in the bulletin of a period already over:
    the target stood overdue at that period's end, with the deadline it had then."""
    today = timezone.localdate()
    earlier = Period(today.year - 1, "Q", 2)
    target = make_qx_target(
        year=today.year - 1,
        deadline=datetime.date(today.year - 1, 6, 10),
        created_at=at(today.year - 1, 4, 1),
    )
    approve_now(target, qx_office, today + datetime.timedelta(days=30))
    b = bulletin.build(qx_office, earlier, today)
    assert [(r.target.pk, r.days) for r in b.overdue] == [(target.pk, 20)]
    assert b.extensions == []


def test_a_refused_extension_is_not_listed(no_leader_rule, make_qx_target, qx_office):
    today = timezone.localdate()
    target = make_qx_target(created_at=at(today.year, 1, 5))
    extension = DeadlineExtension.objects.create(
        target=target,
        unit=target.lead_unit,
        old_deadline=target.deadline,
        requested_deadline=target.deadline + datetime.timedelta(days=9),
        reason="无",
    )
    extensions.decide_extension(qx_office, extension, approve=False, comment="请按期完成")
    assert bulletin.build(qx_office, Period.quarter_of(today), today).extensions == []


# --- scoring -------------------------------------------------------------------------------


def test_extensions_cost_nothing_by_default():
    items, total = score(
        Measures(owing=1, on_time=1, complete=1, extensions=3), ScoringRule(name="默认", **DEFAULTS)
    )
    deduction = next(i for i in items if i.key == "extensions")
    assert deduction.points == 0 and deduction.detail == "延期3次"
    assert total == Decimal("100.00")


def test_a_weight_per_extension_capped():
    rule = ScoringRule(
        name="青溪市考评规则",
        **{**DEFAULTS, "extension_deduction": Decimal("1.5"), "extension_cap": Decimal("4")},
    )
    items, total = score(Measures(owing=1, on_time=1, complete=1, extensions=2), rule)
    assert next(i for i in items if i.key == "extensions").points == Decimal("-3.00")
    items, total = score(Measures(owing=1, on_time=1, complete=1, extensions=5), rule)
    assert next(i for i in items if i.key == "extensions").points == Decimal("-4.00")
    assert total == Decimal("96.00")


def test_the_periods_approved_extensions_are_counted_for_the_unit_that_asked(
    no_leader_rule, make_qx_target, qx, qx_office
):
    today = timezone.localdate()
    period = Period.quarter_of(today)
    bureau_target = make_qx_target(state=Target.State.IN_PROGRESS)
    county_target = make_qx_target(lead_unit=qx["yuntai"])
    approve_now(bureau_target, qx_office, bureau_target.deadline + datetime.timedelta(days=9))
    approve_now(county_target, qx_office, county_target.deadline + datetime.timedelta(days=9))
    bureau_target.refresh_from_db()
    approve_now(bureau_target, qx_office, bureau_target.deadline + datetime.timedelta(days=9))
    # A refused one and one from before the period are not counted.
    DeadlineExtension.objects.create(
        target=bureau_target,
        unit=qx["bureau"],
        old_deadline=bureau_target.deadline,
        requested_deadline=bureau_target.deadline,
        reason="旧",
        state="approved",
        decided_at=at(today.year - 1, 12, 1),
    )
    found = measure(period, today)
    assert found[qx["bureau"].pk].extensions == 2
    assert found[qx["yuntai"].pk].extensions == 1

    ScoringRule.objects.update_or_create(
        year=None, period="", defaults={**DEFAULTS, "extension_deduction": Decimal("2")}
    )
    scores = {s.unit.pk: s for s in ranking(period, today).scores}
    assert scores[qx["bureau"].pk].item("extensions").points == Decimal("-4.00")
    assert scores[qx["yuntai"].pk].item("extensions").points == Decimal("-2.00")


def test_the_scores_page_states_the_extension_rule(client, qx_office):
    client.force_login(qx_office)
    html = client.get("/reports/scores/").content.decode()
    assert "延期扣分" in html and "未设权重，不扣分" in html

"""考评: one test per scoring rule against hand-built data, the caps, the ranking with ties,
the rule sets per period and year, the page and the .xlsx read back."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import load_workbook

from duban.audit.models import AuditEvent
from duban.reports.models import DEFAULTS, ScoringRule
from duban.reports.overview import scoring
from duban.reports.overview.exports import XLSX_TYPE, ranking_header
from duban.reports.overview.scoring import Measures, measure, rule_for, score
from duban.targets.models import ProgressReport, Target
from duban.targets.periods import Period

Q2 = Period.parse("2026-Q2")
TODAY = datetime.date(2026, 7, 20)


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def assigned_on(target, when):
    """The trail's record of the assignment, as Target.assign writes it, at a given moment."""
    AuditEvent.objects.create(
        created_at=when,
        actor_name="督查员甲",
        action=AuditEvent.Action.TRANSITION,
        summary="交办",
        object_type=ContentType.objects.get_for_model(Target),
        object_id=str(target.pk),
        object_repr=str(target),
        target_id=target.pk,
        before={"办理状态": "待交办"},
        after={"办理状态": "待签收", "牵头单位": str(target.lead_unit)},
    )


def sent(target, when, *, state="accepted", complete=True, period="2026-Q2"):
    return ProgressReport.objects.create(
        target=target,
        period=period,
        unit=target.lead_unit,
        progress="按计划推进。",
        is_complete=complete,
        review_state=state,
        submitted_at=when,
    )


def rule(**changes):
    return ScoringRule(name="测试规则", **{**DEFAULTS, **changes})


@pytest.fixture
def going(make_target, city):
    def make(unit="bureau", **fields):
        defaults = {
            "lead_unit": city[unit],
            "state": Target.State.IN_PROGRESS,
            "acknowledged_at": at(2026, 1, 20),
        }
        return make_target(**{**defaults, **fields})

    return make


# --- one test per rule ----------------------------------------------------------------------


def test_rule_on_time_acknowledgement(going, make_target, city):
    on_time = going(acknowledged_at=at(2026, 4, 3))
    assigned_on(on_time, at(2026, 4, 1))
    late = going(acknowledged_at=at(2026, 4, 20))
    assigned_on(late, at(2026, 4, 10))
    never = going(state=Target.State.ASSIGNED, acknowledged_at=None)
    assigned_on(never, at(2026, 5, 1))
    not_yet_due = going(state=Target.State.ASSIGNED, acknowledged_at=None)
    assigned_on(not_yet_due, at(2026, 6, 29))
    earlier = going(acknowledged_at=at(2026, 3, 30))
    assigned_on(earlier, at(2026, 3, 20))  # assigned in Q1: not this period's
    unknown = going(acknowledged_at=None)  # no trail, no acknowledgement time: not counted
    assigned_on(unknown, at(2026, 4, 2))

    m = measure(Q2, TODAY, now=at(2026, 6, 30), ack_days=3)[city["bureau"].pk]
    assert (m.ack_due, m.ack_on_time) == (3, 1)
    items, _total = score(m, rule())
    assert items[0].points == Decimal("6.67")  # 20 × 1/3
    assert items[0].detail == "按时签收1/3项"


def test_rule_acknowledgement_read_from_the_real_trail(city, make_target, office_user):
    target = make_target(lead_unit=city["bureau"])
    target.approve()
    target.assign(lead_unit=city["bureau"])
    target.acknowledge()
    now = timezone.localdate()
    m = measure(Period.quarter_of(now), now)[city["bureau"].pk]
    assert (m.ack_due, m.ack_on_time) == (1, 1)


def test_rule_on_time_reports(going, city):
    sent(going(), at(2026, 7, 1))
    sent(going(), at(2026, 7, 10, 23))  # the last day of the grace
    sent(going(), at(2026, 7, 11, 0))  # a day late
    going()  # nothing sent
    sent(going(unit="finance"), at(2026, 7, 2))
    measures = measure(Q2, TODAY)
    m = measures[city["bureau"].pk]
    assert (m.owing, m.on_time) == (4, 2)
    items, _ = score(m, rule())
    assert items[1].points == Decimal("20.00")  # 40 × 2/4
    assert score(measures[city["finance"].pk], rule())[0][1].points == Decimal("40.00")


def test_rule_completion(going, city):
    sent(going(), at(2026, 7, 1))  # accepted, complete
    sent(going(), at(2026, 7, 1), complete=False)  # accepted, not complete
    sent(going(), at(2026, 7, 1), state="submitted")  # complete, not yet accepted
    going(state=Target.State.CLOSED, closed_at=at(2026, 6, 1))  # closed in the period
    going(state=Target.State.CLOSED, closed_at=at(2026, 8, 1))  # closed after it
    m = measure(Q2, TODAY)[city["bureau"].pk]
    assert (m.owing, m.complete) == (5, 2)
    assert score(m, rule())[0][2].points == Decimal("16.00")  # 40 × 2/5


def test_rule_returned_reports(going, city, office_user):
    twice = sent(going(), at(2026, 7, 1), state="submitted")
    twice.return_for_revision(office_user, "请补充佐证材料")
    twice.submit(office_user)
    twice.return_for_revision(office_user, "数据不一致")
    once = sent(going(), at(2026, 7, 1), state="submitted")
    once.return_for_revision(office_user, "请补充进展")
    once.submit(office_user)
    once.accept(office_user)
    sent(going(), at(2026, 7, 1), state="returned")  # returned without a trail: counts once
    other_period = sent(going(), at(2026, 4, 1), state="submitted", period="2026-Q1")
    other_period.return_for_revision(office_user, "上期的退回")
    m = measure(Q2, TODAY)[city["bureau"].pk]
    assert m.returns == 4
    assert score(m, rule())[0][3].points == Decimal("-8.00")


def test_rule_overdue_days(going, city):
    going(deadline=datetime.date(2026, 6, 20))  # 06-21 … 06-30: 10 days in Q2
    going(deadline=datetime.date(2026, 5, 10), state=Target.State.CLOSED, closed_at=at(2026, 5, 15))
    going(deadline=datetime.date(2026, 6, 20), state=Target.State.CLOSED, closed_at=at(2026, 6, 1))
    going(deadline=datetime.date(2026, 8, 1))  # not yet due
    going(deadline=datetime.date(2026, 3, 25), unit="finance")  # overdue all Q2: 91 days
    measures = measure(Q2, TODAY)
    m = measures[city["bureau"].pk]
    assert m.overdue_days == 10 + 5
    assert score(m, rule())[0][4].points == Decimal("-7.50")
    assert measures[city["finance"].pk].overdue_days == 91
    # Inside a period still running, days count up to today.
    assert measure(Q2, datetime.date(2026, 6, 25))[city["bureau"].pk].overdue_days == 5 + 5


# --- caps, totals, ranking ------------------------------------------------------------------


def test_deductions_are_capped():
    items, total = score(Measures(returns=7, overdue_days=91), rule())
    assert [i.points for i in items[3:5]] == [Decimal("-10.00"), Decimal("-20.00")]
    assert total == Decimal("70.00")  # 100 with nothing to measure, less the two caps
    items, _ = score(Measures(returns=2, overdue_days=3), rule(return_cap=3, overdue_cap=1))
    assert [i.points for i in items[3:5]] == [Decimal("-3.00"), Decimal("-1.00")]


def test_nothing_to_measure_earns_full_points_and_a_total_never_goes_below_zero():
    items, total = score(Measures(), rule())
    assert [i.points for i in items[:3]] == [Decimal("20"), Decimal("40"), Decimal("40")]
    assert "按满分计" in items[0].detail
    _, total = score(
        Measures(ack_due=1, owing=1, returns=10, overdue_days=100),
        rule(return_cap=50, overdue_cap=100),
    )
    assert total == Decimal("0.00")


def test_ranking_order_and_ties(going, city, make_target):
    from duban.organisations.models import Organisation

    science = Organisation.objects.create(name="白沙市科学技术协会", short_name="市科协")
    sent(going(), at(2026, 7, 1))  # bureau: 100
    sent(going(unit="finance"), at(2026, 7, 1))  # finance: 100
    sent(going(unit="industry"), at(2026, 7, 20))  # industry: late, 60
    late = make_target(lead_unit=science, state=Target.State.IN_PROGRESS)
    sent(late, at(2026, 7, 1), complete=False)  # science: on time, not complete: 60
    ranking = scoring.ranking(Q2, TODAY)
    table = [(s.rank, str(s.unit), s.total) for s in ranking.scores]
    assert table == [
        (1, "市科技局", Decimal("100.00")),
        (1, "市财政局", Decimal("100.00")),
        (3, "市工业和信息化局", Decimal("60.00")),
        (3, "市科协", Decimal("60.00")),
    ]


def test_units_without_assigned_targets_are_not_ranked(make_target, city):
    make_target(lead_unit=city["bureau"])  # registered only
    ranking = scoring.ranking(Q2, TODAY)
    assert ranking.scores == [] and ranking.unmeasured == []


def test_units_with_nothing_to_measure_are_listed_apart(going, city):
    sent(going(unit="finance"), at(2026, 7, 20))  # late: 60
    going(acknowledged_at=at(2026, 8, 1))  # bureau: acknowledged after Q2's reports were due
    ranking = scoring.ranking(Q2, TODAY)
    assert [(s.rank, str(s.unit), s.total) for s in ranking.scores] == [
        (1, "市财政局", Decimal("60.00"))
    ]
    assert [str(u) for u in ranking.unmeasured] == ["市科技局"]


# --- rule sets ------------------------------------------------------------------------------


def test_default_rule_set_is_created_by_the_migration(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("duban.reports.migrations.0002_default_scoring_rule")
    ScoringRule.objects.all().delete()
    migration.create_default(apps, None)
    migration.create_default(apps, None)  # twice: still one
    default = ScoringRule.objects.get(year__isnull=True, period="")
    assert default.full_marks == Decimal("100")
    assert {name: getattr(default, name) for name in DEFAULTS} == DEFAULTS
    assert rule_for(Q2) == default


def test_most_specific_rule_set_wins(db):
    ScoringRule.objects.all().delete()
    fallback = rule_for(Q2)
    assert fallback.pk is None and fallback.report_points == DEFAULTS["report_points"]
    default = ScoringRule.objects.create(name="默认")
    year = ScoringRule.objects.create(name="2026年", year=2026, report_points=50)
    quarter = ScoringRule.objects.create(name="二季度", year=2026, period="2026-Q2")
    assert rule_for(Q2) == quarter
    assert rule_for(Period.parse("2026-Q3")) == year
    assert rule_for(Period.parse("2025-Q3")) == default


def test_rule_set_validation(db):
    from django.core.exceptions import ValidationError

    rule_set = ScoringRule(name="错配", year=2025, period="2026-Q1")
    with pytest.raises(ValidationError, match="不一致"):
        rule_set.full_clean()
    filled = ScoringRule(name="按期", period="2026-Q1")
    filled.full_clean()
    assert filled.year == 2026


def test_rule_set_drives_the_scores(going, city):
    sent(going(), at(2026, 7, 20))  # late
    ScoringRule.objects.create(name="重报送", year=2026, report_points=80, completion_points=0)
    ranking = scoring.ranking(Q2, TODAY)
    assert ranking.rule.name == "重报送"
    assert ranking.scores[0].item("report").points == Decimal("0.00")
    assert ranking.scores[0].total == Decimal("20.00")  # acknowledgement only


# --- page and export ------------------------------------------------------------------------


@pytest.fixture
def scored(going, city):
    sent(going(), at(2026, 7, 1))
    sent(going(unit="finance"), at(2026, 7, 20))


def test_page_for_office_and_leader(client, scored, office_user, leader_user):
    for user in (office_user, leader_user):
        client.force_login(user)
        response = client.get("/reports/scores/", {"period": "2026-Q2"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "市科技局" in page and "60.00" in page
        assert "/reports/scores.xlsx?period=2026-Q2" in page


def test_page_refused_to_units_and_anonymous(client, scored, bureau_user):
    assert client.get("/reports/scores/").status_code == 302
    client.force_login(bureau_user)
    assert client.get("/reports/scores/").status_code == 403
    assert client.get("/reports/scores.xlsx").status_code == 403


def test_bad_period_is_400(client, office_user):
    client.force_login(office_user)
    response = client.get("/reports/scores/", {"period": "第二季度"})
    assert response.status_code == 400
    assert "无法识别的期次" in response.content.decode()


def test_xlsx_read_back(client, scored, office_user):
    client.force_login(office_user)
    response = client.get("/reports/scores.xlsx", {"period": "2026-Q2"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "2026年第二季度单位考评排名"
    assert "默认考评规则" in rows[1][0]
    assert rows[2] == ranking_header()
    assert rows[3][:9] == [1, "市科技局", 20, 40, 40, 0, 0, 0, 100]
    assert rows[4][:9] == [2, "市财政局", 20, 0, 40, 0, 0, 0, 60]
    assert rows[3][9:] == [0, 0, 1, 1, 1, 0, 0, 0]
    assert sheet["B4"].font.name == "宋体"


def test_rules_are_edited_in_the_admin_and_kept_in_the_trail(client, office_user):
    client.force_login(office_user)
    assert client.get("/admin/reports/scoringrule/").status_code == 200
    response = client.post(
        "/admin/reports/scoringrule/add/",
        {
            "name": "三季度考评",
            "year": "",
            "period": "2026-Q3",
            "note": "",
            **{name: str(value) for name, value in DEFAULTS.items()},
            "report_points": "50",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ScoringRule.objects.get(period="2026-Q3")
    assert (created.year, created.report_points) == (2026, Decimal("50"))
    assert rule_for(Period.parse("2026-Q3")) == created
    assert AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(ScoringRule), object_id=str(created.pk)
    ).exists()

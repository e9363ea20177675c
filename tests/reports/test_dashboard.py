"""统计分析: the dashboard's numbers against the database, what each role sees, the filters,
the goal-against-actual bars, and that its query count does not grow with the targets."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.documents.models import Genre, SourceDocument
from duban.reports.overview import dashboard
from duban.reports.overview.achievements import achievements_by_target, progress_rows
from duban.targets.comparisons import achievements_for
from duban.targets.models import Indicator, ProgressReport, SourceCategory, Target
from tests.pages import external_references

URL = "/reports/dashboard/"


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def accepted(target, period, complete=True):
    return ProgressReport.objects.create(
        target=target,
        period=period,
        unit=target.lead_unit,
        progress="按计划推进。",
        is_complete=complete,
        review_state=ProgressReport.Review.ACCEPTED,
        submitted_at=at(2026, 7, 3),
    )


@pytest.fixture
def board(city, make_target, leader):
    """白沙市 2026: nine targets over three sources, three units and one leader."""
    bureau, finance, industry = city["bureau"], city["finance"], city["industry"]
    going = {"state": Target.State.IN_PROGRESS, "acknowledged_at": at(2026, 2, 1)}
    t = {
        "plan_done": make_target(lead_unit=bureau, leader=leader, **going),
        "plan_open": make_target(lead_unit=bureau, leader=leader, **going),
        "plan_closed": make_target(
            lead_unit=finance, state=Target.State.CLOSED, closed_at=at(2026, 5, 1)
        ),
        "report_q3": make_target(
            lead_unit=industry, source_category=SourceCategory.WORK_REPORT, **going
        ),
        "report_incomplete": make_target(
            lead_unit=industry, source_category=SourceCategory.WORK_REPORT, **going
        ),
        "report_closed_late": make_target(
            lead_unit=industry,
            source_category=SourceCategory.WORK_REPORT,
            state=Target.State.CLOSED,
            closed_at=at(2026, 10, 20),
        ),
        "goal_unassigned": make_target(source_category=SourceCategory.BUSINESS_GOAL),
        "goal_assigned": make_target(
            source_category=SourceCategory.BUSINESS_GOAL,
            lead_unit=finance,
            leader=leader,
            state=Target.State.ASSIGNED,
        ),
        "other_year": make_target(year=2025, lead_unit=bureau, state=Target.State.CLOSED),
    }
    accepted(t["plan_done"], "2026-Q2")
    accepted(t["report_q3"], "2026-Q3")
    accepted(t["report_incomplete"], "2026-Q2", complete=False)
    ProgressReport.objects.create(  # complete, but not yet accepted: does not count
        target=t["plan_open"],
        period="2026-Q2",
        unit=t["plan_open"].lead_unit,
        progress="已完成。",
        is_complete=True,
        review_state=ProgressReport.Review.SUBMITTED,
        submitted_at=at(2026, 7, 20),
    )
    return t


def expected_completion(targets, periods, end):
    """The rule, target by target, in plain Python."""
    done = set()
    for target in targets:
        closed = target.state == Target.State.CLOSED and (
            end is None or target.closed_at is None or target.closed_at < end
        )
        reports = target.reports.filter(
            review_state="accepted", is_complete=True, period__in=periods
        )
        if closed or reports.exists():
            done.add(target.pk)
    return done


def groups(rows):
    return {g.label: (g.total, g.done) for g in rows}


def get(client, user, **query):
    client.force_login(user)
    return client.get(URL, query)


def test_completion_by_source_unit_and_leader_for_the_year(client, office_user, board):
    response = get(client, office_user, year="2026")
    assert response.status_code == 200
    d = response.context["d"]
    assert (d.total, d.done) == (8, 4)  # plan_done, plan_closed, report_q3, report_closed_late
    assert groups(d.by_source) == {"政府工作报告": (3, 2), "工作要点": (3, 2), "业务目标": (2, 0)}
    assert groups(d.by_unit) == {
        "市科技局": (2, 1),
        "市财政局": (2, 1),
        "市工业和信息化局": (3, 2),
        "（未交办）": (1, 0),
    }
    assert groups(d.by_leader) == {"王副市长": (3, 1), "（未定）": (5, 3)}
    targets = Target.objects.filter(year=2026)
    assert d.done == len(
        expected_completion(targets, dashboard.Filters(2026, None, []).periods(), None)
    )


def test_completion_in_a_period(client, office_user, board):
    d = get(client, office_user, year="2026", period="2026-Q2").context["d"]
    # Q2: plan_done's accepted report, plan_closed closed in May; report_q3 reported in Q3 and
    # report_closed_late closed in October do not count yet.
    assert (d.total, d.done) == (8, 2)
    end = at(2026, 7, 1)
    assert d.done == len(expected_completion(Target.objects.filter(year=2026), ["2026-Q2"], end))
    # Q3: report_q3's accepted report and plan_closed; a Q2 "complete" was Q2's work.
    d = get(client, office_user, period="2026-Q3").context["d"]
    assert (d.filters.year, d.done) == (2026, 2)


def test_light_counts_match_the_database(client, office_user, board):
    d = get(client, office_user, year="2026").context["d"]
    today = timezone.localdate()
    expected = {}
    for target in Target.objects.filter(year=2026):
        light = target.light(today)
        expected[light] = expected.get(light, 0) + 1
    assert {g.key: g.total for g in d.lights if g.total} == expected
    assert sum(g.total for g in d.lights) == 8


def test_trend_per_quarter(client, office_user, board):
    d = get(client, office_user, year="2026").context["d"]
    rows = {str(row.period): (row.submitted, row.accepted, row.on_time) for row in d.trend}
    # Q2: plan_done (07-03, accepted), report_incomplete (07-03, accepted), plan_open (07-20,
    # late); Q3: report_q3, sent 07-03, before the quarter even ended.
    assert rows == {
        "2026-Q1": (0, 0, 0),
        "2026-Q2": (3, 2, 2),
        "2026-Q3": (1, 1, 1),
        "2026-Q4": (0, 0, 0),
    }


def test_chart_data_is_the_tables(client, office_user, board):
    response = get(client, office_user, year="2026")
    page = response.content.decode()
    d = response.context["d"]
    for key, rows in (("source", d.by_source), ("unit", d.by_unit), ("leader", d.by_leader)):
        start = page.index(f'id="chart-data-{key}"')
        data = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
        assert data["categories"] == [g.label for g in rows]
        assert data["done"] == [g.done for g in rows]
        assert data["open"] == [g.total - g.done for g in rows]
    assert 'src="/static/reports/vendor/echarts/echarts.min.js"' in page
    assert external_references(page) == []


def test_leader_sees_only_their_targets(client, leader_user, board):
    d = get(client, leader_user, year="2026").context["d"]
    assert d.total == 3
    assert groups(d.by_leader) == {"王副市长": (3, 1)}
    assert set(groups(d.by_unit)) == {"市科技局", "市财政局"}
    assert "市工业和信息化局" not in get(client, leader_user).content.decode()


def test_unit_sees_only_its_unit(client, finance_user, board):
    d = get(client, finance_user, year="2026").context["d"]
    assert groups(d.by_unit) == {"市财政局": (2, 1)}


def test_user_without_a_role_sees_nothing(client, django_user_model, board):
    nobody = django_user_model.objects.create_user("nobody", password="x-y-z-123456")
    d = get(client, nobody).context["d"]
    assert d.total == 0


def test_anonymous_is_sent_to_sign_in(client, board, office_user):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "query,message",
    [
        ({"year": "abc"}, "年度应为"),
        ({"year": "1800"}, "年度应为"),
        ({"period": "2026-Q5"}, "无法识别的期次"),
        ({"year": "2026", "period": "2025-Q1"}, "不属于2026年"),
    ],
)
def test_bad_filters_are_400_in_chinese(client, office_user, board, query, message):
    response = get(client, office_user, **query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_default_year(client, office_user, board):
    d = get(client, office_user).context["d"]
    expected = timezone.localdate().year if timezone.localdate().year == 2026 else 2026
    assert d.filters.year == expected


# --- goals against actuals ----------------------------------------------------------------


def indicator(target, kind, value, *, subject="高新技术企业", unit="家", year=2026, **fields):
    return Indicator.objects.create(
        target=target,
        kind=kind,
        subject=subject,
        measure=fields.pop("measure", Indicator.Measure.TOTAL),
        comparator=fields.pop(
            "comparator", Indicator.Comparator.GE if kind == "target" else Indicator.Comparator.EQ
        ),
        value=Decimal(value),
        unit=unit,
        year=year,
        **fields,
    )


@pytest.fixture
def figures(city, make_target):
    older = SourceDocument.objects.create(
        name="summary-2026-h1.txt",
        format="txt",
        sha256="b" * 64,
        genre=Genre.SUMMARY,
        year=2026,
        text="上半年全市高新技术企业总量达到250家。",
    )
    newer = SourceDocument.objects.create(
        name="summary-2026-q3.txt",
        format="txt",
        sha256="c" * 64,
        genre=Genre.SUMMARY,
        year=2026,
        text="前三季度全市高新技术企业总量达到280家。",
    )
    SourceDocument.objects.filter(pk=older.pk).update(imported_at=at(2026, 7, 1))
    SourceDocument.objects.filter(pk=newer.pk).update(imported_at=at(2026, 10, 1))
    t = {
        "own": make_target(lead_unit=city["bureau"], text="高新技术企业总数达到300家"),
        "loose": make_target(lead_unit=city["bureau"], text="全市高新技术企业总量达到300家"),
        "none": make_target(lead_unit=city["finance"], text="科技型中小企业达到500家"),
        "rank": make_target(lead_unit=city["industry"], text="创新能力居全省前3位"),
        "plain": make_target(lead_unit=city["industry"], text="完成科技奖励办法修订"),
    }
    indicator(t["own"], "target", "300")
    indicator(t["own"], "actual", "240")
    indicator(t["own"], "actual", "270")  # the latest of its own
    indicator(t["own"], "target", "12", subject="研发投入", unit="亿元")
    indicator(t["loose"], "target", "300", subject="全市高新技术企业")
    indicator(None, "actual", "250", source_document=older)
    indicator(None, "actual", "280", source_document=newer)  # the newest document wins
    indicator(None, "actual", "260", unit="个")  # another unit: not comparable
    indicator(t["none"], "target", "500", subject="科技型中小企业")
    indicator(
        t["rank"],
        "target",
        "3",
        subject="全省位次",
        unit="位",
        measure=Indicator.Measure.RANK,
        comparator=Indicator.Comparator.LE,
    )
    indicator(t["rank"], "actual", "2", subject="全省位次", unit="位", measure="rank")
    return t


def pairs(achievements):
    return [(a.goal.pk, a.actual.pk) for a in achievements]


def test_batched_achievements_equal_achievements_for(figures):
    batched = achievements_by_target(Target.objects.all())
    for target in figures.values():
        assert pairs(batched.get(target.pk, [])) == pairs(achievements_for(target)), target


def test_progress_rows(figures):
    rows = {row.target.pk: row for row in progress_rows(Target.objects.all())}
    assert set(rows) == {figures[k].pk for k in ("own", "loose", "none", "rank")}
    own = rows[figures["own"].pk].bars
    assert [(b.goal.display_value, b.actual and b.actual.display_value) for b in own] == [
        ("≥300家", "270家"),
        ("≥12亿元", None),
    ]
    assert own[0].percent == Decimal("90.0") and not own[0].met
    assert rows[figures["loose"].pk].bars[0].actual.value == Decimal("280")
    rank = rows[figures["rank"].pk].bars[0]
    assert rank.met and rank.percent is None and rank.bar_value == 100


def test_progress_is_paged(client, office_user, city, make_target):
    for i in range(dashboard.PROGRESS_PAGE_SIZE + 5):
        indicator(make_target(lead_unit=city["bureau"]), "target", str(100 + i))
    first = get(client, office_user, year="2026").context["d"]
    assert len(first.progress) == dashboard.PROGRESS_PAGE_SIZE
    assert first.progress_page.paginator.count == dashboard.PROGRESS_PAGE_SIZE + 5
    second = get(client, office_user, year="2026", progress_page="2").context["d"]
    assert len(second.progress) == 5
    assert {r.target.pk for r in first.progress}.isdisjoint(r.target.pk for r in second.progress)
    page = client.get(URL, {"year": "2026", "progress_page": "x"})  # nonsense: the first page
    assert page.status_code == 200 and page.context["d"].progress_page.number == 1


def test_page_shows_progress_bars(client, office_user, figures):
    response = get(client, office_user, year="2026")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<progress max="100" value="90.0"' in page
    assert "270家" in page and "≥300家" in page and "尚无报告值" in page


def test_queries_do_not_grow_with_targets(client, office_user, city, make_target, leader):
    def count_queries():
        client.force_login(office_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"year": "2026"}).status_code == 200
        return len(queries)

    def add(n):
        for i in range(n):
            target = make_target(
                lead_unit=[city["bureau"], city["finance"]][i % 2],
                leader=leader,
                state=Target.State.IN_PROGRESS,
            )
            accepted(target, "2026-Q2", complete=i % 3 == 0)
            indicator(target, "target", "100")
            indicator(target, "actual", str(50 + i))

    add(3)
    few = count_queries()
    add(30)
    assert count_queries() == few
    assert few <= 16

"""The dashboard in a real browser: every chart is drawn on its canvas, and the numbers in the
tables beside the charts are the database's."""

import datetime
import random
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.models import Indicator, ProgressReport, SourceCategory, Target
from duban.targets.periods import Period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "dashboard-test-password-1"
YEAR = 2026
CHARTS = ["lights", "source", "unit", "leader", "trend"]


def at(month, day):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, 9))


@pytest.fixture
def city(transactional_db):
    """白沙市: four units, two leaders, forty targets in every state, with reports."""
    rng = random.Random(7)
    units = [
        Organisation.objects.create(name=f"白沙市{name}", short_name=f"市{name}")
        for name in ("科学技术局", "财政局", "工业和信息化局", "农业农村局")
    ]
    leaders = [Person.objects.create(name=n, role="leader") for n in ("王副市长", "李副市长")]
    office = get_user_model().objects.create_user(
        "office", password=PASSWORD, is_staff=True, is_superuser=True
    )
    Person.objects.create(name="督查员甲", role="office", organisation=units[0], user=office)
    states = list(Target.State.values)
    sources = [SourceCategory.WORK_REPORT, SourceCategory.WORK_PLAN, SourceCategory.BUSINESS_GOAL]
    for i in range(40):
        state = states[i % len(states)]
        target = Target.objects.create(
            year=YEAR,
            number=str(i + 1),
            text=f"第{i + 1}项：推进白沙市科技创新重点工作",
            source_category=sources[i % 3],
            lead_unit=units[i % 4] if i % 7 else None,
            leader=leaders[i % 2] if i % 5 else None,
            state=state,
            deadline=timezone.localdate() + datetime.timedelta(days=rng.randint(-30, 90)),
            return_count=i % 4 == 0 and 2 or 0,
            acknowledged_at=at(2, 1) if state in ("in_progress", "closed") else None,
            closed_at=at(6, 1) if state == "closed" else None,
        )
        for quarter in (1, 2, 3):
            if rng.random() < 0.6:
                ProgressReport.objects.create(
                    target=target,
                    period=f"{YEAR}-Q{quarter}",
                    unit=target.lead_unit,
                    progress="按计划推进。",
                    is_complete=rng.random() < 0.7,
                    review_state=rng.choice(["submitted", "accepted", "returned"]),
                    submitted_at=at(quarter * 3 + 1, rng.choice([2, 8, 25])),
                )
        if i % 6 == 0:
            for kind, value in (("target", "300"), ("actual", str(150 + i))):
                Indicator.objects.create(
                    target=target,
                    kind=kind,
                    subject="高新技术企业",
                    comparator=">=" if kind == "target" else "=",
                    value=Decimal(value),
                    unit="家",
                    year=YEAR,
                )
    return {"units": units, "leaders": leaders}


def sign_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def table(page, table_id, columns):
    """{first cell: [numbers of the next columns]} of a table's body."""
    rows = {}
    for row in page.locator(f"#{table_id} tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows[cells[0].strip()] = [int(c) for c in cells[1 : 1 + columns]]
    return rows


def complete(target: Target) -> bool:
    """The dashboard's rule for a whole year, written out again against the database."""
    if target.state == Target.State.CLOSED:
        return True
    return target.reports.filter(
        review_state="accepted", is_complete=True, period__startswith=str(YEAR)
    ).exists()


def test_charts_render_and_tables_match_the_database(page, live_server, city):
    sign_in(page, live_server, f"/reports/dashboard/?year={YEAR}")
    page.wait_for_selector("#table-source")

    for key in CHARTS:
        canvas = page.locator(f"#chart-{key} canvas").first
        canvas.wait_for(state="attached")
        box = canvas.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, key
        drawn = page.evaluate(
            """(selector) => {
                const canvas = document.querySelector(selector);
                const data = canvas.getContext("2d")
                    .getImageData(0, 0, canvas.width, canvas.height).data;
                let painted = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
                return painted;
            }""",
            f"#chart-{key} canvas",
        )
        assert drawn > 100, f"chart {key} drew nothing"

    targets = list(Target.objects.filter(year=YEAR).prefetch_related("reports"))
    done = {t.pk for t in targets if complete(t)}

    def expected(label_of):
        found = {}
        for t in targets:
            total_done = found.setdefault(label_of(t), [0, 0, 0])
            total_done[0] += 1
            total_done[1] += t.pk in done
            total_done[2] += t.pk not in done
        return found

    labels = dict(SourceCategory.choices)
    assert table(page, "table-source", 3) == expected(lambda t: labels[t.source_category])
    assert table(page, "table-unit", 3) == expected(
        lambda t: str(t.lead_unit) if t.lead_unit else "（未交办）"
    )
    assert table(page, "table-leader", 3) == expected(
        lambda t: t.leader.name if t.leader else "（未定）"
    )

    today = timezone.localdate()
    lights = {}
    for t in targets:
        lights[t.light(today)] = lights.get(t.light(today), 0) + 1
    shown = {
        row.get_attribute("data-light"): int(row.locator("td").nth(1).inner_text())
        for row in page.locator("#table-lights tbody tr").all()
    }
    assert {k: v for k, v in shown.items() if v} == lights
    assert sum(shown.values()) == len(targets) == 40

    trend = table(page, "table-trend", 3)
    for quarter, label in enumerate(["第一季度", "第二季度", "第三季度", "第四季度"], 1):
        reports = ProgressReport.objects.filter(period=f"{YEAR}-Q{quarter}").exclude(
            review_state="draft"
        )
        assert trend[label][0] == reports.count()
        assert trend[label][1] == reports.filter(review_state="accepted").count()
        # On time: by the end of the tenth day after the quarter (the default grace).
        last_day = Period(YEAR, "Q", quarter).end_date + datetime.timedelta(days=10)
        due = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time.max))
        on_time = reports.filter(submitted_at__lte=due).count()
        assert trend[label][2] == on_time

    assert page.inner_text("#stat-total") == "40"
    assert page.inner_text("#stat-done") == str(len(done))
    bars = page.locator("#table-progress progress")
    assert bars.count() == Indicator.objects.filter(kind="target").count()

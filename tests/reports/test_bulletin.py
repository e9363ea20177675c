"""情况通报: the numbers and lists of a period's bulletin against hand-built data, the .docx
read back, and who sees what."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from lxml import etree

from duban.extraction.containers import read_document
from duban.reports.overview import bulletin, exports
from duban.reports.overview.common import FilterError, Window, last_ended_quarter, parse_period
from duban.targets.models import ProgressReport, Target
from duban.targets.periods import Period

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Q2 = Period.parse("2026-Q2")
TODAY = datetime.date(2026, 7, 20)
URL = "/reports/bulletin/"


def at(year, month, day, hour=12, minute=0, second=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute, second))


def report(target, *, period="2026-Q2", submitted_at=None, state="submitted", **fields):
    fields.setdefault("is_complete", True)
    return ProgressReport.objects.create(
        target=target,
        period=period,
        unit=target.lead_unit,
        progress="本期按计划推进，完成阶段任务。",
        status_text="完成" if fields["is_complete"] else "未完成",
        review_state=state,
        submitted_at=submitted_at,
        **fields,
    )


# When the fixtures' targets were registered: before the periods their bulletins tell.
REGISTERED = at(2026, 1, 5)


@pytest.fixture
def quarter(city, make_target, leader, office_user):
    """白沙市 2026 Q2: reports due by 2026-07-10 (period end + 10 days). The targets are made
    in their states, registered on 2026-01-05; the trail says only that (see `qingxi` for a
    history step by step)."""
    bureau, finance, industry = city["bureau"], city["finance"], city["industry"]

    def make(**fields):
        return make_target(created_at=REGISTERED, **fields)

    acked = {"state": Target.State.IN_PROGRESS, "acknowledged_at": at(2026, 3, 1)}
    t = {}
    t["on_time"] = make(
        lead_unit=bureau,
        co_units=[finance],
        leader=leader,
        deadline=datetime.date(2026, 12, 31),
        **acked,
    )
    report(t["on_time"], submitted_at=at(2026, 7, 5), state="accepted")
    t["late"] = make(lead_unit=bureau, deadline=datetime.date(2026, 12, 31), **acked)
    report(
        t["late"],
        submitted_at=at(2026, 7, 11, 0, 0, 1),
        is_complete=False,
        reason="项目资金尚未到位",
        next_steps="协调财政部门加快拨付",
    )
    t["missing"] = make(lead_unit=bureau, deadline=datetime.date(2026, 7, 1), **acked)
    t["closed"] = make(
        lead_unit=finance,
        leader=leader,
        state=Target.State.CLOSED,
        acknowledged_at=at(2026, 2, 1),
        closed_at=at(2026, 5, 20),
    )
    report(t["closed"], submitted_at=at(2026, 5, 20), state="accepted")
    t["returned"] = make(lead_unit=finance, deadline=datetime.date(2026, 12, 31), **acked)
    returned = report(t["returned"], submitted_at=at(2026, 7, 10, 23, 30))
    returned.return_for_revision(office_user, "请补充佐证材料")
    t["closed_before"] = make(
        lead_unit=industry,
        state=Target.State.CLOSED,
        acknowledged_at=at(2026, 1, 10),
        closed_at=at(2026, 3, 20),
    )
    t["unacknowledged"] = make(
        lead_unit=industry, state=Target.State.ASSIGNED, deadline=datetime.date(2026, 5, 31)
    )
    t["registered"] = make()
    t["acked_late"] = make(
        lead_unit=bureau,
        state=Target.State.IN_PROGRESS,
        acknowledged_at=at(2026, 8, 1),
        deadline=datetime.date(2026, 7, 25),
    )
    t["last_year"] = make(year=2025, lead_unit=bureau, **acked)
    report(t["last_year"], period="2025-Q2", submitted_at=at(2025, 7, 1))
    return t


def units_of(b):
    return {u.name: (u.owing, u.on_time, u.late, u.missing, u.rate) for u in b.units}


def test_counts_by_state_and_light(quarter, office_user):
    b = bulletin.build(office_user, Q2, TODAY)
    assert b.total == 9
    assert b.as_of == datetime.date(2026, 6, 30)  # the period's end, not the day it is made
    # acked_late was acknowledged only on 08-01: at the period's end it awaited acknowledgement.
    assert b.state_counts == {
        "registered": 1,
        "approved": 0,
        "assigned": 2,
        "in_progress": 4,
        "closed": 2,
    }
    # On 06-30: red past its deadline (unacknowledged 05-31); yellow due within 7 days
    # (missing 07-01) or awaiting acknowledgement (acked_late).
    assert b.light_counts == {"green": 4, "yellow": 2, "red": 1, "done": 2}
    assert b.complete == 3  # accepted complete, closed in the period, closed before it


def test_on_time_rate_per_unit(quarter, office_user):
    b = bulletin.build(office_user, Q2, TODAY)
    assert units_of(b) == {
        "市科技局": (3, 1, 1, 1, Decimal("33.3")),
        "市财政局": (2, 2, 0, 0, Decimal("100.0")),
    }
    assert (b.totals.owing, b.totals.on_time, b.totals.late, b.totals.missing) == (5, 3, 1, 1)
    assert b.totals.rate == Decimal("60.0")
    assert b.window.due == datetime.date(2026, 7, 10)


def test_the_grace_is_a_setting(quarter, office_user):
    with override_settings(DUBAN_REPORT_GRACE_DAYS=3):
        b = bulletin.build(office_user, Q2, TODAY)
    assert b.window.due == datetime.date(2026, 7, 3)
    # With three days' grace, of all the reports only the closing one of 05-20 is on time.
    assert units_of(b)["市科技局"][:2] == (3, 0)
    assert units_of(b)["市财政局"][:2] == (2, 1)


def test_lists(quarter, office_user):
    b = bulletin.build(office_user, Q2, TODAY)
    assert [(r.target, r.status) for r in b.late] == [
        (quarter["late"], "逾期报送（2026-07-11）"),
        (quarter["missing"], "未报送"),
    ]
    # Overdue on 06-30: missing (due 07-01) was not yet.
    assert [(r.target, r.days) for r in b.overdue] == [(quarter["unacknowledged"], 30)]
    assert [(r.report.target, r.times, r.comment) for r in b.returned] == [
        (quarter["returned"], 1, "请补充佐证材料")
    ]
    assert [(r.target, r.reason, r.next_steps) for r in b.incomplete] == [
        (quarter["late"], "项目资金尚未到位", "协调财政部门加快拨付")
    ]
    summary = b.summary()
    assert "2026年度目标任务共9项" in summary
    assert "按时报送率60.0%" in summary


def test_a_report_returned_twice_is_listed_once_with_both_returns(quarter, office_user):
    returned = quarter["returned"].reports.get()
    returned.submit(office_user)
    returned.return_for_revision(office_user, "数据与佐证材料不一致")
    b = bulletin.build(office_user, Q2, TODAY)
    assert [(r.times, r.comment) for r in b.returned] == [(2, "数据与佐证材料不一致")]


def test_an_imported_report_counts_from_when_it_was_stored(city, make_target, office_user):
    target = make_target(
        lead_unit=city["bureau"], state=Target.State.IN_PROGRESS, created_at=REGISTERED
    )
    stored = report(target, submitted_at=None)
    ProgressReport.objects.filter(pk=stored.pk).update(created_at=at(2026, 7, 2))
    assert units_of(bulletin.build(office_user, Q2, TODAY))["市科技局"][:2] == (1, 1)


def test_a_draft_is_not_a_report(city, make_target, office_user):
    target = make_target(
        lead_unit=city["bureau"], state=Target.State.IN_PROGRESS, created_at=REGISTERED
    )
    report(target, state="draft")
    assert units_of(bulletin.build(office_user, Q2, TODAY))["市科技局"][:4] == (1, 0, 0, 1)


def test_leader_and_unit_see_their_own(quarter, leader_user, finance_user):
    mine = bulletin.build(leader_user, Q2, TODAY)
    assert mine.total == 2
    assert units_of(mine) == {
        "市科技局": (1, 1, 0, 0, Decimal("100.0")),
        "市财政局": (1, 1, 0, 0, Decimal("100.0")),
    }
    assert mine.scope == "王副市长分管的"
    unit = bulletin.build(finance_user, Q2, TODAY)
    assert unit.total == 3  # leads two, co-operates on one
    assert {r.report.target for r in unit.returned} == {quarter["returned"]}
    assert unit.late == [] and unit.incomplete == []


def test_page(client, quarter, office_user):
    client.force_login(office_user)
    response = client.get(URL, {"period": "2026-Q2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年第二季度目标任务推进情况通报" in page
    assert "请补充佐证材料" in page and "项目资金尚未到位" in page
    assert response.context["b"].totals.rate == Decimal("60.0")
    assert "/reports/bulletin.docx?period=2026-Q2" in page


def test_page_scope_for_leader_and_unit(client, quarter, leader_user, finance_user):
    client.force_login(leader_user)
    assert client.get(URL, {"period": "2026-Q2"}).context["b"].total == 2
    client.force_login(finance_user)
    response = client.get(URL, {"period": "2026-Q2"})
    assert response.context["b"].total == 3
    assert quarter["late"].text not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, quarter):
    for url in (URL, "/reports/bulletin.docx"):
        response = client.get(url, {"period": "2026-Q2"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("value", ["2026-Q5", "明年", "1900-Q1", "2026-Q1x"])
def test_bad_period_is_400_in_chinese(client, office_user, value):
    client.force_login(office_user)
    response = client.get(URL, {"period": value})
    assert response.status_code == 400
    assert "期次" in response.content.decode()
    assert client.get("/reports/bulletin.docx", {"period": value}).status_code == 400


def test_default_period_is_the_last_ended_quarter(client, office_user):
    assert last_ended_quarter(datetime.date(2026, 11, 22)) == Period(2026, "Q", 3)
    assert last_ended_quarter(datetime.date(2026, 2, 1)) == Period(2025, "Q", 4)
    client.force_login(office_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["b"].period == last_ended_quarter(timezone.localdate())


def docx_tables(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        styles = archive.read("word/styles.xml").decode()
    tables = []
    for tbl in document.iter(f"{W}tbl"):
        rows = []
        for tr in tbl.iter(f"{W}tr"):
            rows.append(
                ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.iter(f"{W}tc")]
            )
        tables.append(rows)
    return document, styles, tables


def test_docx_holds_the_tables_and_numbers(client, quarter, office_user):
    client.force_login(office_user)
    response = client.get("/reports/bulletin.docx", {"period": "2026-Q2"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.DOCX_TYPE
    assert "filename*=utf-8''2026" in response["Content-Disposition"]
    document, styles, tables = docx_tables(response.content)
    text = "".join(t.text or "" for t in document.iter(f"{W}t"))
    assert "2026年第二季度目标任务推进情况通报" in text
    assert "按时报送率60.0%" in text
    states, lights, units, late, overdue, returned, incomplete = tables
    now = bulletin.build(office_user, Q2, timezone.localdate())  # lights and overdue: today's
    assert states[-1] == ["合计", "9"]
    assert lights[1:-1] == [[label, str(n)] for _value, label, n in now.by_light]
    assert units[0] == [
        "序号",
        "牵头单位",
        "应报送",
        "按时报送",
        "逾期报送",
        "未报送",
        "按时报送率",
    ]
    assert units[1:] == [
        ["1", "市科技局", "3", "1", "1", "1", "33.3%"],
        ["2", "市财政局", "2", "2", "0", "0", "100.0%"],
        ["", "合计", "5", "3", "1", "1", "60.0%"],
    ]
    assert [row[3] for row in late[1:]] == ["逾期报送（2026-07-11）", "未报送"]
    assert [row[-1] for row in overdue[1:]] == [str(r.days) for r in now.overdue]
    assert returned[1][3:5] == ["1", "请补充佐证材料"]
    assert incomplete[1][3:] == ["项目资金尚未到位", "协调财政部门加快拨付"]
    # A4, Chinese East Asian fonts, the header row repeated on each page.
    section = document.find(f".//{W}sectPr/{W}pgSz")
    assert (section.get(f"{W}w"), section.get(f"{W}h")) == ("11906", "16838")
    assert 'w:eastAsia="仿宋"' in styles and 'w:eastAsia="黑体"' in styles
    assert document.find(f".//{W}tblHeader") is not None


def test_docx_reads_back_through_our_own_reader(quarter, office_user):
    data = exports.bulletin_docx(bulletin.build(office_user, Q2, TODAY))
    read = read_document(data, name="通报.docx")
    assert "2026年第二季度目标任务推进情况通报" in read.text
    assert "项目资金尚未到位" in read.text


def test_docx_for_an_empty_period(office_user, city):
    data = exports.bulletin_docx(bulletin.build(office_user, Q2, TODAY))
    document, _styles, tables = docx_tables(data)
    text = "".join(t.text or "" for t in document.iter(f"{W}t"))
    assert "无。" in text
    assert len(tables) == 2  # only the state and light tables


def test_command_writes_the_docx(quarter, tmp_path):
    out = tmp_path / "通报.docx"
    call_command("bulletin", str(out), period="2026-Q2")
    _document, _styles, tables = docx_tables(out.read_bytes())
    assert tables[2][-1][:3] == ["", "合计", "5"]


def test_parse_period():
    assert parse_period("2026-Q3") == Period(2026, "Q", 3)
    assert parse_period("", default=Q2) == Q2
    with pytest.raises(FilterError, match="无法识别的期次"):
        parse_period("2026Q3")
    window = Window.of(Period.parse("2026-H1"))
    assert (window.start, window.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


def test_queries_do_not_grow_with_the_lists(quarter, office_user, make_target, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            b = bulletin.build(office_user, Q2, TODAY)
            exports.bulletin_docx(b)
        return len(queries), b

    few, _ = count()
    for _ in range(8):
        target = make_target(
            created_at=REGISTERED,
            lead_unit=city["industry"],
            state=Target.State.IN_PROGRESS,
            deadline=datetime.date(2026, 6, 1),
        )
        sent = report(target, submitted_at=at(2026, 7, 20), is_complete=False, reason="进度滞后")
        sent.return_for_revision(office_user, "请补充")
        report(target, submitted_at=at(2026, 7, 21), is_complete=False, reason="进度滞后")
    many, b = count()
    assert len(b.returned) == 9 and len(b.incomplete) == 9 and len(b.overdue) == 9
    assert many == few

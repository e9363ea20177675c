"""情况通报: the numbers and lists of a period's bulletin against hand-built data, the .docx
read back, and who sees what."""

import contextlib
import datetime
import io
import zipfile
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from lxml import etree

from duban.audit.models import AuditEvent
from duban.documents.models import Genre, SourceDocument
from duban.extraction.containers import read_document
from duban.organisations.models import Organisation, Person
from duban.reports.overview import bulletin, exports
from duban.reports.overview.common import FilterError, Window, last_ended_quarter, parse_period
from duban.targets.models import ProgressReport, SourceCategory, Target
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


# --- 青溪市 2025 Q1, step by step: the bulletin as the quarter stood at its end -------------

Q1_2025 = Period.parse("2025-Q1")  # ends 2025-03-31; reports due by 2025-04-10


@contextlib.contextmanager
def clock(moment):
    """What is done inside happens at `moment`: timezone.now() and the times rows and audit
    events are created with."""
    stamped = [
        AuditEvent._meta.get_field("created_at"),
        Target._meta.get_field("created_at"),
        ProgressReport._meta.get_field("created_at"),
    ]
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", lambda: moment))
        for stamped_field in stamped:
            stack.enter_context(mock.patch.object(stamped_field, "_get_default", lambda: moment))
        yield


@pytest.fixture
def qingxi(db):
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="市政府", level=2, kind="government", sort_order=0
    )
    bureau = Organisation.objects.create(
        name="青溪市科学技术局", short_name="市科技局", parent=gov, sort_order=1
    )
    reform = Organisation.objects.create(
        name="青溪市发展和改革委员会", short_name="市发展改革委", parent=gov, sort_order=2
    )
    industry = Organisation.objects.create(
        name="青溪市工业和信息化局", short_name="市工业和信息化局", parent=gov, sort_order=3
    )
    User = get_user_model()
    office = User.objects.create_user("qx-office", is_staff=True)
    Person.objects.create(name="督查员乙", role="office", organisation=bureau, user=office)
    reporter = User.objects.create_user("qx-reform")
    Person.objects.create(name="发改委填报员", role="unit", organisation=reform, user=reporter)
    return {
        "gov": gov,
        "bureau": bureau,
        "reform": reform,
        "industry": industry,
        "office": office,
        "reporter": reporter,
    }


def registered(text, source, when=None):
    with clock(when or at(2025, 1, 5)):
        return Target.objects.create(year=2025, text=text, source_category=source)


def assigned(target, unit, deadline, *, approved=None, when=None):
    with clock(approved or at(2025, 1, 6)):
        target.approve()
    with clock(when or at(2025, 1, 8)):
        target.assign(lead_unit=unit, deadline=deadline)
    return target


def step(when, action, *args, **kwargs):
    with clock(when):
        action(*args, **kwargs)


def drafted(target, *, complete=True, reason="", when=None):
    with clock(when or at(2025, 3, 1)):
        return ProgressReport.objects.create(
            target=target,
            period="2025-Q1",
            unit=target.lead_unit,
            progress="青溪市一季度按计划推进，完成阶段任务。",
            status_text="完成" if complete else "未完成",
            is_complete=complete,
            reason=reason,
        )


@pytest.fixture
def history(qingxi):
    """Nine targets of 青溪市 for 2025 moved through the loop on known days. On 2025-03-31:

    A closed in the quarter (03-18), reported 03-15 and accepted;
    B closed only on 05-10: open at the quarter's end; reported 04-08 (in the grace), not done;
    C due 03-01 (extended to 09-30 on 05-01): red and overdue then; reported late (04-15);
    D assigned 03-25, acknowledged 04-03 within the grace: owed a report, sent none;
    E acknowledged only on 06-01: awaited acknowledgement, owed nothing;
    F registered on 04-02, after the quarter: not in its bulletin;
    H returned once before the end and once after, accepted 04-09: green then, red now;
    I read in from the quarter's completion table on 2026-11-29: reported, on time, done;
    J answered by the unit's filled form, uploaded on 04-20: late.
    """
    office, reporter = qingxi["office"], qingxi["reporter"]
    bureau, reform, industry = qingxi["bureau"], qingxi["reform"], qingxi["industry"]
    report_source, plan = SourceCategory.WORK_REPORT, SourceCategory.WORK_PLAN
    year_end = datetime.date(2025, 12, 31)
    t = {}

    t["A"] = assigned(
        registered("建设青溪科创走廊起步区", report_source), bureau, datetime.date(2025, 3, 20)
    )
    step(at(2025, 1, 10), t["A"].acknowledge)
    a = drafted(t["A"])
    step(at(2025, 3, 15), a.submit, office)
    step(at(2025, 3, 16), a.accept, office)
    step(at(2025, 3, 18), t["A"].close)

    t["B"] = assigned(
        registered("新增省级以上创新平台8家", report_source), bureau, datetime.date(2025, 6, 30)
    )
    step(at(2025, 1, 12), t["B"].acknowledge)
    b = drafted(t["B"], complete=False, reason="两家平台评审尚未完成")
    step(at(2025, 4, 8), b.submit, office)
    step(at(2025, 4, 9), b.accept, office)
    step(at(2025, 5, 10), t["B"].close)

    t["C"] = assigned(
        registered("出台青溪市科技金融十条", report_source), reform, datetime.date(2025, 3, 1)
    )
    step(at(2025, 1, 20), t["C"].acknowledge)
    c = drafted(t["C"])
    step(at(2025, 4, 15), c.submit, reporter)
    step(at(2025, 4, 16), c.accept, office)
    with clock(at(2025, 5, 1)):
        t["C"].deadline = datetime.date(2025, 9, 30)
        t["C"].save()

    t["D"] = assigned(
        registered("培育专精特新企业20家", plan),
        industry,
        year_end,
        approved=at(2025, 3, 24),
        when=at(2025, 3, 25),
    )
    step(at(2025, 4, 3), t["D"].acknowledge)

    t["E"] = assigned(
        registered("推进青溪智能制造示范工厂建设", plan), industry, year_end, when=at(2025, 2, 1)
    )
    step(at(2025, 6, 1), t["E"].acknowledge)

    t["F"] = assigned(
        registered("筹建青溪实验室", report_source, when=at(2025, 4, 2)),
        bureau,
        year_end,
        approved=at(2025, 4, 2, 15),
        when=at(2025, 4, 2, 16),
    )
    step(at(2025, 4, 3), t["F"].acknowledge)
    f = drafted(t["F"], when=at(2025, 4, 4))
    step(at(2025, 4, 5), f.submit, office)

    t["H"] = assigned(registered("技术合同成交额突破60亿元", report_source), bureau, year_end)
    step(at(2025, 1, 10), t["H"].acknowledge)
    h = drafted(t["H"])
    step(at(2025, 3, 20), h.submit, office)
    step(at(2025, 3, 28), h.return_for_revision, office, "请补充合同登记数据")
    step(at(2025, 4, 2), h.submit, office)
    step(at(2025, 4, 5), h.return_for_revision, office, "数据口径与统计局不一致")
    step(at(2025, 4, 8), h.submit, office)
    step(at(2025, 4, 9), h.accept, office)

    table = SourceDocument.objects.create(
        name="青溪市2025年一季度重点任务完成情况表.docx",
        format="docx",
        sha256="a" * 64,
        text="青溪市2025年一季度重点任务完成情况表……",
        genre=Genre.PROGRESS,
        year=2025,
        period="2025-Q1",
    )
    t["I"] = Target.objects.create(
        year=2025,
        text="高新技术企业达到420家",
        source_category=report_source,
        lead_unit=bureau,
        deadline=year_end,
        source_document=table,
    )
    ProgressReport.objects.create(
        target=t["I"],
        period="2025-Q1",
        unit=bureau,
        progress="一季度新认定高新技术企业36家。",
        status_text="完成",
        is_complete=True,
        review_state=ProgressReport.Review.ACCEPTED,
        submitted_at=timezone.now(),
        reviewed_at=timezone.now(),
        source_document=table,
    )

    t["J"] = assigned(registered("开展科技特派员服务乡村行动", plan), reform, year_end)
    step(at(2025, 1, 15), t["J"].acknowledge)
    form = SourceDocument.objects.create(
        name="市发展改革委2025年一季度进展填报表.xlsx",
        format="xlsx",
        sha256="b" * 64,
        text="市发展改革委2025年一季度进展填报表……",
        genre=Genre.PROGRESS,
        year=2025,
        period="2025-Q1",
    )
    j = drafted(t["J"], when=at(2025, 4, 20))
    j.source_document = form
    j.save()
    step(at(2025, 4, 20, 9), j.submit, reporter)
    return t


def test_a_past_period_counts_as_it_stood_at_its_end(history, qingxi):
    b = bulletin.build(qingxi["office"], Q1_2025)
    assert b.as_of == datetime.date(2025, 3, 31)
    assert b.total == 8  # F came later
    assert b.state_counts == {
        "registered": 0,
        "approved": 0,
        "assigned": 2,  # D, E
        "in_progress": 5,  # B, C, H, I, J
        "closed": 1,  # A
    }
    # red: C past the deadline it had then; yellow: D, E awaiting acknowledgement;
    # green: B, H (returned once by then), I, J.
    assert b.light_counts == {"green": 4, "yellow": 2, "red": 1, "done": 1}
    assert b.complete == 3  # A closed, H and I accepted complete on time; C's came late
    assert units_of(b) == {
        "市科技局": (4, 4, 0, 0, Decimal("100.0")),  # A, B, H, I
        "市发展改革委": (2, 0, 2, 0, Decimal("0.0")),  # C, J late
        "市工业和信息化局": (1, 0, 0, 1, Decimal("0.0")),  # D missing; E owed nothing
    }
    assert b.totals.rate == Decimal("57.1")
    # By lead unit, then source (工作要点 before 政府工作报告), then as registered.
    assert [(r.target, r.status) for r in b.late] == [
        (history["J"], "逾期报送（2025-04-20）"),
        (history["C"], "逾期报送（2025-04-15）"),
        (history["D"], "未报送"),
    ]
    assert [(r.target, r.days) for r in b.overdue] == [(history["C"], 30)]
    assert [r.target for r in b.incomplete] == [history["B"]]
    assert b.summary().startswith(
        "截至2025年3月31日，市科技局2025年度目标任务共8项，其中已办结1项、办理中5项、"
        "待签收2项、待交办0项、待审核0项；红灯1项、黄灯2项、绿灯4项。"
        "2025年第一季度应报送进展7项，按时报送4项，逾期报送2项，未报送1项，按时报送率57.1%。"
        "本期完成3项；超过完成时限未办结1项；"
    )


def test_today_the_same_targets_stand_otherwise(history):
    """What the bulletin must not count: the state of today."""
    for key in "BEF":
        history[key].refresh_from_db()
    assert history["B"].state == Target.State.CLOSED
    assert history["E"].state == Target.State.IN_PROGRESS
    history["C"].refresh_from_db()
    assert history["C"].deadline == datetime.date(2025, 9, 30)  # 03-01 at the quarter's end
    assert Target.objects.get(pk=history["H"].pk).light() == "red"  # returned twice


def test_a_target_closed_after_the_period_counts_as_open(history, qingxi):
    standing = bulletin.standings(
        Target.objects.filter(pk=history["B"].pk), Window.of(Q1_2025), datetime.date(2025, 3, 31)
    )[history["B"].pk]
    assert (standing.state, standing.light, standing.complete) == ("in_progress", "green", False)
    # The quarter after: B closed on 05-10, so done; F is in it; I is not (the table read in
    # later answers only the first quarter); H, returned twice by then, is red.
    q2 = bulletin.build(qingxi["office"], Period.parse("2025-Q2"))
    assert (q2.as_of, q2.total) == (datetime.date(2025, 6, 30), 8)
    assert q2.state_counts["closed"] == 2 and q2.state_counts["in_progress"] == 6
    assert q2.light_counts == {"green": 5, "yellow": 0, "red": 1, "done": 2}
    assert q2.overdue == []  # C's deadline was 09-30 by then


def test_a_report_after_the_grace_is_late_and_the_grace_is_a_setting(history, qingxi):
    with override_settings(DUBAN_REPORT_GRACE_DAYS=20):  # due 2025-04-20: C (04-15) in time
        b = bulletin.build(qingxi["office"], Q1_2025)
    assert units_of(b)["市发展改革委"][:3] == (2, 2, 0)  # and J (04-20 09:00) too
    assert b.complete == 4  # C's complete answer now came within the window
    with override_settings(DUBAN_REPORT_GRACE_DAYS=5):  # due 2025-04-05: B, H late
        b = bulletin.build(qingxi["office"], Q1_2025)
    assert units_of(b)["市科技局"][:3] == (4, 2, 2)  # A and I (imported history) on time


def test_imported_history_is_reported_on_time_and_owed(history, qingxi):
    """The period's table read in long after: its answers count as sent at the period's end,
    and their targets as owing them, though not yet acknowledged in duban."""
    i = history["I"]
    assert i.state == Target.State.REGISTERED and i.created_at.year == 2026
    b = bulletin.build(qingxi["office"], Q1_2025, targets=Target.objects.filter(pk=i.pk))
    assert (b.total, b.state_counts["in_progress"], b.complete) == (1, 1, 1)
    assert units_of(b) == {"市科技局": (1, 1, 0, 0, Decimal("100.0"))}


def test_a_reply_by_file_counts_from_its_submission(history, qingxi):
    """A unit's filled form is its report, sent when it was uploaded: not imported history."""
    b = bulletin.build(qingxi["office"], Q1_2025, targets=Target.objects.filter(pk=history["J"].pk))
    assert [(r.target, r.status) for r in b.late] == [(history["J"], "逾期报送（2025-04-20）")]


def test_the_source_filter(history, qingxi):
    b = bulletin.build(qingxi["office"], Q1_2025, sources=[SourceCategory.WORK_REPORT])
    assert b.total == 5  # A, B, C, H, I
    assert (b.totals.owing, b.totals.on_time, b.totals.late, b.totals.missing) == (5, 4, 1, 0)
    assert "市科技局2025年度政府工作报告目标任务共5项" in b.summary()
    plan = bulletin.build(qingxi["office"], Q1_2025, sources=[SourceCategory.WORK_PLAN])
    assert plan.total == 3 and plan.state_counts["assigned"] == 2  # D, E; and J


def test_the_source_filter_on_the_page_and_docx(client, history, qingxi):
    client.force_login(qingxi["office"])
    response = client.get(URL, {"period": "2025-Q1", "source": ["政府工作报告"]})
    assert response.status_code == 200
    assert response.context["b"].total == 5
    page = response.content.decode()
    assert "/reports/bulletin.docx?period=2025-Q1&amp;source=work_report" in page
    assert 'value="work_report" checked' in page
    docx = client.get("/reports/bulletin.docx", {"period": "2025-Q1", "source": "work_report"})
    _document, _styles, tables = docx_tables(docx.content)
    assert tables[0][-1] == ["合计", "5"]
    both = client.get(URL, {"period": "2025-Q1", "source": ["work_report", "work_plan"]})
    assert both.context["b"].total == 8
    bad = client.get(URL, {"period": "2025-Q1", "source": "年终总结"})
    assert bad.status_code == 400 and "没有“年终总结”这种任务来源" in bad.content.decode()


def test_the_office_is_named(history, qingxi, settings):
    office = qingxi["office"]
    assert bulletin.build(office, Q1_2025).scope == "市科技局"
    person = office.person
    person.organisation = qingxi["gov"]  # the city government's own office
    person.save()
    office.refresh_from_db()
    assert bulletin.build(office, Q1_2025).scope == "全市"
    settings.DUBAN_OFFICE_NAME = "青溪市科学技术局"
    b = bulletin.build(office, Q1_2025)
    assert "青溪市科学技术局2025年度目标任务共8项" in b.summary()
    settings.DUBAN_OFFICE_NAME = ""
    person.organisation = None
    person.save()
    office.refresh_from_db()
    assert bulletin.build(office, Q1_2025).scope == ""
    assert bulletin.build(None, Q1_2025, targets=Target.objects.all()).scope == ""


def test_value_at_reads_the_trail():
    from duban.audit.models import value_at

    def event(action, day, before=None, after=None):
        return AuditEvent(action=action, created_at=at(2025, 1, day), before=before, after=after)

    trail = [
        event("create", 1, after={"办理状态": "待审核"}),
        event("transition", 5, {"办理状态": "待审核"}, {"办理状态": "待交办"}),
        event("update", 7, {"标题": "甲"}, {"标题": "乙"}),
        event("transition", 9, {"办理状态": "待交办"}, {"办理状态": "待签收"}),
    ]
    assert value_at(trail, "办理状态", at(2025, 1, 6), "办理中") == "待交办"
    assert value_at(trail, "办理状态", at(2025, 1, 5), "办理中") == "待审核"  # not yet
    assert value_at(trail, "办理状态", at(2025, 1, 20), "办理中") == "待签收"
    assert value_at(trail[1:], "办理状态", at(2025, 1, 2), "办理中") == "待审核"
    assert value_at(trail, "完成时限（日期）", at(2025, 1, 6), "2025-12-31") is None
    assert value_at([], "办理状态", at(2025, 1, 6), "办理中") == "办理中"

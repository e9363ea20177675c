"""Issue 10's measure of done, in a real browser: an office runs a whole quarter in duban.

The office (督查室 of 青溪市人民政府) opens the quarter's reporting round and sends every unit
its notice and fill-in form by e-mail (a real SMTP server on loopback). 市科技局 fills in the
attached form the way a unit does (rows reordered, a cell re-wrapped) and uploads it;
市财政局 answers online; 市工业和信息化局 does not answer and is chased. The office returns one
of the science bureau's answers and accepts the rest in bulk; the bureau revises it online and
the office accepts it. The merged ledger and the quarter's bulletin then come out of duban with
every answer where it belongs, and no cell was typed twice or pasted.

The quarter is the one the test runs in: reports sent today are on time for it, and its
bulletin counts the targets as they stand today (a past quarter's would leave out targets
registered after its end and count today's answers as late).
"""

import datetime
import io
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.supervision.models import Notification, RoundDispatch
from duban.targets.models import Milestone, ProgressReport, SourceCategory, Target
from duban.targets.periods import Period
from tests.conftest import PASSWORD, _user

from ..supervision.filling import fill_xlsx
from ..supervision.test_remind import Inbox, free_port, use_smtp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# number, annual target, lead unit, co-units
TASKS = [
    ("1", "全市高新技术企业总数达到1300家，新增科技型中小企业500家", "kjj", ["czj"]),
    ("2", "新建省级以上创新平台12家，推进青溪湖实验室二期建设", "kjj", []),
    ("3", "技术合同成交额突破90亿元，建设科技成果转化中试基地2个", "kjj", ["gxj", "czj"]),
    ("4", "市级财政科技投入增长10%以上，发放科技创新券3500万元", "czj", ["kjj"]),
    ("5", "设立规模5亿元的青溪市科技成果转化引导基金并完成首批投资", "czj", []),
    ("6", "新培育省级专精特新中小企业60家", "gxj", ["kjj"]),
    ("7", "规模以上工业企业研发机构覆盖率达到48%", "gxj", []),
]
UNIT_NAMES = {
    "kjj": ("青溪市科学技术局", "市科技局"),
    "czj": ("青溪市财政局", "市财政局"),
    "gxj": ("青溪市工业和信息化局", "市工业和信息化局"),
}
REPORTERS = {  # unit -> (username, name, e-mail)
    "kjj": ("kejiju", "林晓", "linxiao@kjj.qingxi.example"),
    "czj": ("caizheng", "吴倩", "wuqian@czj.qingxi.example"),
    "gxj": ("gongxin", "郑涛", "zhengtao@gxj.qingxi.example"),
}

# What 市科技局 types into the form it was e-mailed (number -> cells by header label).
FILE_ANSWERS = {
    "1": {
        "是否完成": "未完成",
        "具体工作进展": "全市高新技术企业达到1186家，本季度新增科技型中小企业168家。",
        "未完成原因": "高企认定集中在四季度，年度认定结果尚未公布。",
        "下步工作打算": "做好第二批高企申报辅导。",
    },
    "2": {
        "是否完成": "未完成",
        "具体工作进展": "新增省级创新平台3家。",
        "未完成原因": "部分平台评审推迟。",
        "下步工作打算": "跟进评审结果。",
    },
    "3": {
        "是否完成": "完成",
        "具体工作进展": "技术合同成交额累计92.6亿元，两个中试基地已挂牌运行。",
        "未完成原因": "",
        "下步工作打算": "开展技术经纪人培训两期。",
    },
}
# Row 2 as the bureau revises it online after the office returns it.
RETURN_COMMENT = "请补充青溪湖实验室二期建设进度"
REVISED_2 = "新增省级创新平台3家；青溪湖实验室二期主体结构封顶，完成投资2.1亿元。"
# What 市财政局 reports online.
ONLINE_ANSWERS = {
    "4": ("yes", "市级财政科技投入同比增长11.4%，科技创新券已发放3620万元。", ""),
    "5": ("no", "引导基金已完成设立登记，首批3个项目进入尽调。", "首批投资待投委会审议。"),
}


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def quarter(transactional_db, settings, tmp_path):
    """青溪市: the government's office, three units with a reporter each, a leader, and the
    year's work-report tasks assigned and acknowledged, each with a milestone for the quarter
    the test runs in."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    settings.DUBAN_REPORT_GRACE_DAYS = 10
    settings.DUBAN_OFFICE_NAME = ""
    period = Period.quarter_of(timezone.localdate())
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="市政府", level=2, kind="government", sort_order=1
    )
    units = {
        key: Organisation.objects.create(
            name=name, short_name=short, parent=gov, sort_order=10 * (index + 1)
        )
        for index, (key, (name, short)) in enumerate(UNIT_NAMES.items())
    }
    office = _user(
        "duchayuan", role=Person.Role.OFFICE, organisation=gov, name="陈督查", staff=True
    )
    Person.objects.filter(user=office).update(email="chendc@gov.qingxi.example")
    reporters = {}
    for key, (username, name, address) in REPORTERS.items():
        reporters[key] = _user(username, role=Person.Role.UNIT, organisation=units[key], name=name)
        Person.objects.filter(user=reporters[key]).update(email=address)
    leader = Person.objects.create(
        name="周副市长", title="副市长", role=Person.Role.LEADER, organisation=gov
    )
    targets = {}
    for number, text, lead, co in TASKS:
        target = Target.objects.create(
            year=period.year,
            number=number,
            text=text,
            source_category=SourceCategory.WORK_REPORT,
        )
        target.approve()
        target.assign(
            lead_unit=units[lead],
            co_units=[units[c] for c in co],
            leader=leader,
            deadline=datetime.date(period.year, 12, 31),
        )
        target.acknowledge()
        Milestone.objects.create(
            target=target, period=str(period), text=f"第{number}项{period.label}阶段任务过半"
        )
        targets[number] = target
    return {
        "period": period,
        "units": units,
        "office": office,
        "reporters": reporters,
        "targets": targets,
    }


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("header .whoami")
    return page


@pytest.fixture
def unit_page(browser, live_server):
    """A page in a browser context of its own (its own session), signed in as `username`."""
    contexts = []

    def open_page(username):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return sign_in(page, live_server, username)

    yield open_page
    for context in contexts:
        context.close()


def download(page, selector) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()  # saved without an extension


def unit_heading(page, unit) -> str:
    return page.locator(f"section.round-unit#unit-{unit.pk} h2").inner_text()


def attachment(message) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    return part.get_filename(), part.get_content()


def test_an_office_runs_a_whole_quarter(page, unit_page, live_server, quarter, smtp):
    period, units, targets = quarter["period"], quarter["units"], quarter["targets"]
    kjj, czj, gxj = units["kjj"], units["czj"], units["gxj"]
    url = live_server.url

    # --- Out: the office opens the round and sends every unit its form ---------------------
    office = sign_in(page, live_server, "duchayuan")
    office.click("header >> text=报送轮次")
    office.fill("#id_period", str(period))
    office.click("text=发起本期报送")
    office.wait_for_selector(f"h1:has-text('{period.label}报送')")
    round_url = office.url
    assert unit_heading(office, kjj) == "市科技局 应报 3 项，已报送 0，未报送 3，被退回 0"
    assert unit_heading(office, czj) == "市财政局 应报 2 项，已报送 0，未报送 2，被退回 0"
    assert unit_heading(office, gxj) == "市工业和信息化局 应报 2 项，已报送 0，未报送 2，被退回 0"

    office.click("text=向全部单位发送报送通知")
    office.wait_for_selector("ul.messages")
    assert office.locator("ul.messages li").all_inner_texts() == [
        "市科技局：已发送，3 项目标任务，站内通知 1 条，邮件 1 封",
        "市财政局：已发送，2 项目标任务，站内通知 1 条，邮件 1 封",
        "市工业和信息化局：已发送，2 项目标任务，站内通知 1 条，邮件 1 封",
    ]
    assert RoundDispatch.objects.count() == 3
    mails = {m.envelope_to[0]: m for m in smtp.messages}
    assert set(mails) == {address for _u, _n, address in REPORTERS.values()}
    forms = {}
    for key, (_username, _name, address) in REPORTERS.items():
        message = mails[address]
        assert f"（{units[key].short_name}）" in message.subject
        filename, content = attachment(message)
        assert filename.startswith(f"{units[key].short_name}{period.label}")
        assert filename.endswith(".xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        numbers = [str(c.value) for c in sheet["A"][3:] if c.value and str(c.value).isdigit()]
        due = sorted(n for n, _t, lead, _co in TASKS if lead == key)
        assert numbers == due, key
        forms[key] = content

    # --- In by file: 市科技局 fills in the e-mailed form and uploads it --------------------
    bureau = unit_page("kejiju")
    filled = fill_xlsx(
        forms["kjj"],
        FILE_ANSWERS,
        order=["3", "1", "2"],
        wrap={"1": ["具体工作进展"], "3": ["年度目标"]},
    )
    bureau.click("header >> text=上传报送表")
    bureau.wait_for_selector("h1:has-text('上传报送表')")
    bureau.fill("#id_period", str(period))
    bureau.set_input_files(
        "#id_file",
        files=[
            {
                "name": "市科技局报送表（已填）.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": filled,
            }
        ],
    )
    bureau.click("button:has-text('上传并预览')")
    bureau.wait_for_selector("table.reply-rows")
    assert "确认后将：报送 3 项（待审核）" in bureau.inner_text("#reply-summary")
    rows = bureau.locator("table.reply-rows tbody tr")
    assert rows.count() == 3
    # In the file's order; each row on its own target, all new.
    shown = [(r.get_attribute("data-action"), r.get_attribute("data-target")) for r in rows.all()]
    assert shown == [("new", str(targets[n].pk)) for n in ("3", "1", "2")]
    assert "全市高新技术企业达到1186家" in rows.nth(1).inner_text()
    bureau.click("button:has-text('确认报送（3 项）')")
    bureau.wait_for_selector("#reply-status")
    assert "市科技局" in bureau.inner_text("ul.messages")
    assert "报送 3 项（待审核）" in bureau.inner_text("ul.messages")

    # --- In online: 市财政局 reports on each of its targets --------------------------------
    finance = unit_page("caizheng")
    for number, (complete, progress, reason) in ONLINE_ANSWERS.items():
        finance.goto(f"{url}/targets/{targets[number].pk}/")
        finance.click("#actions a:has-text('报送进展')")
        assert finance.locator("#id_period").input_value() == str(period)
        finance.fill("#id_progress", progress)
        finance.check(f"input[name=is_complete][value={complete}]")
        if reason:
            finance.fill("#id_reason", reason)
        finance.click("button[name=submit]")
        finance.wait_for_selector("text=进展已报送，等待审核。")

    # --- The round page: who has answered; chase the unit that has not ---------------------
    office.goto(round_url)
    assert unit_heading(office, kjj) == "市科技局 应报 3 项，已报送 3，未报送 0，被退回 0"
    assert unit_heading(office, czj) == "市财政局 应报 2 项，已报送 2，未报送 0，被退回 0"
    assert unit_heading(office, gxj) == "市工业和信息化局 应报 2 项，已报送 0，未报送 2，被退回 0"
    industry = office.locator(f"section#unit-{gxj.pk}")
    assert industry.locator("tr.answer-unanswered").count() == 2
    chase_urls = [
        f"{url}{href}"
        for href in industry.locator("table.round-targets a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    ]
    assert len(chase_urls) == 2
    for target_url in chase_urls:
        office.goto(target_url)
        office.fill("#actions input[name=message]", f"请于{period.label}报送截止前在线报送进展")
        office.click("#actions button:has-text('催办')")
        office.wait_for_selector("text=已催办，通知 1 人。")

    # --- Review: return one of the bureau's answers, accept the rest in bulk ---------------
    office.goto(f"{url}/targets/{targets['2'].pk}/")
    office.fill(".review-form textarea", RETURN_COMMENT)
    office.click(".review-form button[value=return]")
    office.wait_for_selector("text=报送已退回")

    office.click("nav.mainnav a:text-is('目标任务')")
    office.wait_for_selector("#select-all")
    assert office.locator("input[name=ids]").count() == len(TASKS)
    office.check("#select-all")
    with office.expect_navigation():
        office.click("button[name=step][value=accept_reports]")
    assert "已批量审核通过报送 4 份（4 项目标）。" in office.inner_text("ul.messages")
    office.goto(round_url)
    assert unit_heading(office, kjj) == "市科技局 应报 3 项，已报送 2，未报送 0，被退回 1"
    assert office.locator(f"section#unit-{kjj.pk} tr.answer-returned").count() == 1

    # The bureau sees the return, revises its answer online and sends it again.
    bureau.goto(f"{url}/notifications/")
    kinds_shown = bureau.locator("table.notifications tbody td:nth-child(2)").all_inner_texts()
    assert sorted(kinds_shown) == sorted(["报送通知", "报送已通过", "报送已通过", "报送退回"])
    returned = bureau.locator("table.notifications tbody tr", has_text="报送退回")
    assert RETURN_COMMENT in returned.inner_text()
    bureau.goto(f"{url}/targets/{targets['2'].pk}/")
    bureau.click("#actions a:has-text('报送进展')")
    assert RETURN_COMMENT in bureau.inner_text("main")
    # The form holds what the file said: only the progress is retyped.
    assert bureau.locator("#id_progress").input_value() == FILE_ANSWERS["2"]["具体工作进展"]
    bureau.fill("#id_progress", REVISED_2)
    bureau.click("button[name=submit]")
    bureau.wait_for_selector("text=进展已报送，等待审核。")

    office.goto(f"{url}/targets/{targets['2'].pk}/")
    assert REVISED_2 in office.inner_text("main")
    office.click(".review-form button[value=accept]")
    office.wait_for_selector("text=报送已审核通过。")

    # --- The round page and the merged ledger ----------------------------------------------
    office.goto(round_url)
    assert unit_heading(office, kjj) == "市科技局 应报 3 项，已报送 3，未报送 0，被退回 0"
    assert unit_heading(office, gxj) == "市工业和信息化局 应报 2 项，已报送 0，未报送 2，被退回 0"
    totals = office.inner_text("ul.round-totals")
    assert re.sub(r"\s+", "", totals) == "应报送单位：3应报送目标：7已报送：5未报送：2被退回：0"
    ledger = download(office, "a:has-text('本期完成情况表（.xlsx）')")
    sheet = openpyxl.load_workbook(io.BytesIO(ledger)).worksheets[0]
    grid = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header = grid[2]
    assert header[:4] == ["序号", "年度目标", f"第{period.index}季度目标", "是否完成"]
    col = {label: header.index(label) for label in header if label}
    body = {row[0]: row for row in grid[3:] if row[0].isdigit()}
    assert list(body) == [n for n, *_ in TASKS]
    expected = {
        "1": ("未完成", FILE_ANSWERS["1"]["具体工作进展"], FILE_ANSWERS["1"]["未完成原因"]),
        "2": ("未完成", REVISED_2, FILE_ANSWERS["2"]["未完成原因"]),
        "3": ("完成", FILE_ANSWERS["3"]["具体工作进展"], ""),
        "4": ("完成", ONLINE_ANSWERS["4"][1], ""),
        "5": ("未完成", ONLINE_ANSWERS["5"][1], ONLINE_ANSWERS["5"][2]),
        "6": ("", "", ""),
        "7": ("", "", ""),
    }
    unit_cells = {key: short for key, (_name, short) in UNIT_NAMES.items()}
    for number, text, lead, co in TASKS:
        row = body[number]
        status, progress, reason = expected[number]
        assert row[col["是否完成"]] == status, number
        assert re.sub(r"\s+", "", row[col["具体工作进展"]]) == progress, number
        assert row[col["未完成原因"]] == reason, number
        # The lead unit first, then the co-units in the order the office assigned them.
        assert row[col["责任单位"]].split("\n") == [unit_cells[u] for u in [lead, *co]], number
        assert re.sub(r"\s+", "", row[1]) == text, number
    assert FILE_ANSWERS["2"]["具体工作进展"] not in "".join(body["2"])

    # --- The quarter's bulletin ------------------------------------------------------------
    office.click("nav.mainnav >> text=统计分析")
    office.click("nav.subnav >> text=情况通报")
    office.select_option("#id_period", str(period))
    office.click("form.filters button[type=submit]")
    office.wait_for_url(f"**period={period}**")
    # By hand: seven targets, all being handled; five answered (3 by file, 2 online), all
    # within the window; two never answered; complete: the accepted reports saying 完成 (3, 4);
    # one report returned once; reports saying not complete: 1, 2 and 5.
    summary = office.inner_text("article.bulletin p.lead")
    for figure in (
        f"全市{period.year}年度目标任务共7项",
        "已办结0项、办理中7项、待签收0项",
        f"{period.label}应报送进展7项，按时报送5项，逾期报送0项，未报送2项，按时报送率71.4%",
        "本期完成2项",
        "本期报送被退回修改1项",
        "报送未完成3项",
    ):
        assert figure in summary, figure
    per_unit = [
        row.split("\t") for row in office.locator("#bulletin-units tbody tr").all_inner_texts()
    ]
    assert [cells[1:6] for cells in per_unit] == [
        ["市科技局", "3", "3", "0", "0"],
        ["市财政局", "2", "2", "0", "0"],
        ["市工业和信息化局", "2", "0", "0", "2"],
    ]

    # --- Notifications along the way ------------------------------------------------------
    staff = quarter["office"]
    reporters = quarter["reporters"]
    kinds = Notification.Kind

    def notified(user, kind):
        return sorted(
            Notification.objects.filter(user=user, kind=kind).values_list(
                "target__number", flat=True
            )
        )

    assert notified(staff, kinds.SUBMITTED) == ["1", "2", "3", "4", "5"]
    assert notified(staff, kinds.RESUBMITTED) == ["2"]
    assert notified(reporters["kjj"], kinds.RETURNED) == ["2"]
    assert notified(reporters["kjj"], kinds.ACCEPTED) == ["1", "2", "3"]
    assert notified(reporters["czj"], kinds.ACCEPTED) == ["4", "5"]
    assert notified(reporters["gxj"], kinds.CHASE) == ["6", "7"]
    for key in REPORTERS:
        assert Notification.objects.filter(user=reporters[key], kind=kinds.ROUND).count() == 1
    office.goto(f"{url}/notifications/")
    kinds_shown = office.locator("table.notifications tbody td:nth-child(2)").all_inner_texts()
    assert sorted(kinds_shown) == sorted(["报送待审核"] * 5 + ["重新报送"])
    # Each notice also went out by e-mail: the office's of the five reports and the one sent
    # again; each unit's round notice, and its returns, acceptances or chases.
    emailed = Counter(m.envelope_to[0] for m in smtp.messages)
    assert emailed == {
        "chendc@gov.qingxi.example": 5 + 1,
        REPORTERS["kjj"][2]: 1 + 1 + 3,
        REPORTERS["czj"][2]: 1 + 2,
        REPORTERS["gxj"][2]: 1 + 2,
    }
    # Nothing answered twice: one report per target, the returned one revised in place.
    reports = ProgressReport.objects.filter(period=str(period))
    assert reports.count() == 5
    assert set(reports.values_list("review_state", flat=True)) == {"accepted"}

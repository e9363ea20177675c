"""A new office moves in, in a real browser and only through the product's pages: setup on an
empty database, its units and reporters from a roster spreadsheet, a reporter invited by a
printable link who sets a password and signs in, a work plan naming those units imported
onto the SAME units the roster created, and a target assigned to a unit showing on its
reporter's home. The ORM is used only to check the outcome ("without typing any unit twice")."""

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from duban.accounts.models import Office
from duban.organisations import roster
from duban.organisations.models import Organisation, Person
from duban.targets.models import Target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PASSWORD = "Qingxi-kejiju-2026"
REPORTER_PASSWORD = "Yuntai-Kjj-7h3x!q"

# The roster of the fictional 青溪市: the city government, a city commission under it (by its
# full name, with the short name documents use for it), two county bureaus under the office's
# own unit (named once by its full name, once by the short name it gave at setup), one
# reporter each.
ROSTER = [
    ["青溪市人民政府", "", "市级人民政府", "", "", "", "", "市政府"],
    [
        "青溪市发展和改革委员会",
        "青溪市人民政府",
        "市级政府部门",
        "郑凯",
        "13900001003",
        "zhengk@qingxi.example.cn",
        "单位填报员",
        "市发展改革委",
    ],
    [
        "云台县科技局",
        "青溪市科学技术局",
        "县级政府部门",
        "孙海",
        "13900001001",
        "sunh@yuntai.example.cn",
        "单位填报员",
        "",
    ],
    [
        "青石县科技局",
        "市科技局",
        "县级政府部门",
        "林静",
        "13900001002",
        "linj@qingshi.example.cn",
        "单位填报员",
        "",
    ],
]

# A task breakdown of the city's work plan, as offices send it round: a title, a header, one
# row per task with its lead and co units, the commission and the office by their short names.
PLAN_TITLE = "青溪市2026年科技创新工作任务分解表"
PLAN_HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
PLAN_ROWS = [
    [
        1,
        "推动云台县高新技术企业扩量提质，全县高新技术企业达到40家以上。",
        "云台县科技局",
        "市发展改革委",
        "2026年12月底前",
    ],
    [
        2,
        "建设青石县农业科技园区，新增省级以上农业科技创新平台2家。",
        "青石县科技局",
        "市科技局",
        "2026年11月底前",
    ],
    [
        3,
        "谋划实施重大科技基础设施项目，争取纳入省级重点项目库。",
        "市发展改革委",
        "云台县科技局、青石县科技局",
        "2026年10月底前",
    ],
]


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def write_xlsx(path, rows, *, title=None):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def watch_csp(page):
    """As the `page` fixture does, for a second browser context."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def sign_out(page):
    page.click("header .whoami button")
    page.wait_for_selector("#id_username")


def sign_in(page, url, username, password):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("header .whoami")


def test_a_new_office_moves_in_without_the_admin_or_typing_a_unit_twice(
    browser, page, live_server, storage, settings, tmp_path
):
    # The address the office configured, printed on invitation links.
    settings.DUBAN_BASE_URL = live_server.url
    url = live_server.url

    # 1. An empty database opens the setup page: the office and its first staff account.
    assert not get_user_model().objects.exists()
    assert not Organisation.objects.exists()
    page.goto(f"{url}/")
    page.wait_for_url("**/setup/")
    page.fill("#id_office_name", "青溪市科学技术局")
    page.fill("#id_short_name", "市科技局")
    page.select_option("#id_level", label="市级")
    page.fill("#id_name", "张伟")
    page.fill("#id_phone", "0533-6120001")
    page.fill("#id_email", "zhangwei@qingxi.example.cn")
    page.fill("#id_username", "zhangwei")
    page.fill("#id_password1", STAFF_PASSWORD)
    page.fill("#id_password2", STAFF_PASSWORD)
    page.click("form.setup-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "初始设置完成" in page.inner_text(".messages")
    assert "张伟 · 市科技局 · 督查员" in page.inner_text("header .whoami")

    # 2. Units and people: the template downloads, then the office's own roster.
    page.click("nav.mainnav >> text=单位和人员")
    page.wait_for_url("**/units/")
    assert "青溪市科学技术局" in page.inner_text("table.unit-tree")
    with page.expect_download() as download_info:
        page.click("text=下载模板 .xlsx")
    download = download_info.value
    assert download.suggested_filename == "单位和人员导入模板.xlsx"
    template_path = tmp_path / download.suggested_filename
    download.save_as(template_path)
    template = openpyxl.load_workbook(template_path, read_only=True)
    header = next(template.active.iter_rows(max_row=1, values_only=True))
    template.close()
    assert list(header[: len(roster.COLUMNS)]) == roster.COLUMNS

    roster_path = write_xlsx(tmp_path / "青溪市单位和填报员名单.xlsx", [roster.COLUMNS, *ROSTER])
    page.click("text=导入名单…")
    page.set_input_files("#id_file", str(roster_path))
    page.click("form.loop-form button[type=submit]")
    page.wait_for_selector("#roster-summary")
    summary = page.inner_text("#roster-summary")
    assert "单位新建4个" in summary, summary
    units_table = page.inner_text("table.roster-units")
    people_table = page.inner_text("table.roster-people")
    for name in ("青溪市人民政府", "青溪市发展和改革委员会", "云台县科技局", "青石县科技局"):
        assert name in units_table
    assert "（市发展改革委）" in units_table
    for name in ("郑凯", "孙海", "林静"):
        assert name in people_table
    assert not Organisation.objects.filter(name="云台县科技局").exists(), "nothing before confirm"
    page.click("button:has-text('确认导入')")
    page.wait_for_url("**/units/")
    assert "已导入“青溪市单位和填报员名单.xlsx”" in page.inner_text(".messages")
    for unit, reporter, phone, email in (
        ("云台县科技局", "孙海", "13900001001", "sunh@yuntai.example.cn"),
        ("青石县科技局", "林静", "13900001002", "linj@qingshi.example.cn"),
        ("青溪市发展和改革委员会", "郑凯", "13900001003", "zhengk@qingxi.example.cn"),
    ):
        row = page.inner_text(f'tr[data-unit="{unit}"]')
        assert reporter in row and phone in row and email in row and "未开通" in row, row
    # The county bureaus sit under the office's own unit, the commission under the government.
    assert "尚无填报员" in page.inner_text('tr[data-unit="青溪市人民政府"]')

    # 3. A printable invitation for 孙海, opened in another browser.
    page.click('tr[data-unit="云台县科技局"] a.button:has-text("邀请")')
    page.wait_for_selector("text=孙海 的账号")
    page.click("button:has-text('生成一次性链接（可打印）')")
    page.wait_for_selector("#invitation-url")
    link = page.inner_text("#invitation-url").strip()
    assert link.startswith(f"{url}/accounts/invite/"), link
    assert "云台县科技局" in page.inner_text(".invitation-sheet")

    reporter_context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    try:
        reporter_page = reporter_context.new_page()
        reporter_page.set_default_timeout(15_000)
        reporter_violations = watch_csp(reporter_page)
        reporter_page.goto(link)
        reporter_page.wait_for_selector("text=设置登录密码")
        assert "孙海" in reporter_page.inner_text("main")
        username_field = reporter_page.locator("#id_username")
        username = (
            username_field.input_value()
            if username_field.count()
            else Person.objects.get(name="孙海").user.username
        )
        assert username
        reporter_page.fill("#id_password1", REPORTER_PASSWORD)
        reporter_page.fill("#id_password2", REPORTER_PASSWORD)
        reporter_page.click("form.loop-form button[type=submit]")
        reporter_page.wait_for_selector(".messages")
        assert "孙海，您的账号已开通" in reporter_page.inner_text(".messages")
        # Signed out and in again with the password just set: the reporter's own, empty home.
        sign_out(reporter_page)
        sign_in(reporter_page, url, username, REPORTER_PASSWORD)
        assert "孙海 · 云台县科技局 · 单位填报员" in reporter_page.inner_text("header .whoami")
        home = reporter_page.inner_text("main")
        assert "待签收" in home
        assert reporter_page.locator("main table.ledger tbody tr").count() == 0, home
        # The link is spent.
        reporter_page.goto(link)
        assert "设置登录密码" not in reporter_page.inner_text("main")

        # 4. The office imports its work plan; the units it names are the roster's.
        plan_path = write_xlsx(
            tmp_path / f"{PLAN_TITLE}.xlsx", [PLAN_HEADER, *PLAN_ROWS], title=PLAN_TITLE
        )
        page.click("nav.mainnav >> text=导入文件")
        page.set_input_files("input[type=file]", str(plan_path))
        page.click("form.upload-form button[type=submit]")
        page.click("text=预览并确认")
        page.wait_for_selector("#confirm-import")
        page.click("#confirm-import")
        page.wait_for_url("**/targets/")
        assert "新建目标 3 项" in page.inner_text(".messages")

        # Every unit the plan names is the roster's (or the office's own): none typed twice.
        names = sorted(Organisation.objects.values_list("name", flat=True))
        for name in ("云台县科技局", "青石县科技局", "青溪市发展和改革委员会", "青溪市科学技术局"):
            assert names.count(name) == 1, names
        assert not Organisation.objects.filter(name="市发展改革委").exists(), names
        assert (
            not Organisation.objects.filter(short_name="市科技局")
            .exclude(pk=Office.current().organisation.pk)
            .exists()
        ), names
        assert len(names) == 5, names
        yuntai = Organisation.objects.get(name="云台县科技局")
        assert yuntai.people.get().name == "孙海"
        leads = dict(Target.objects.values_list("number", "lead_unit__name"))
        assert leads == {"1": "云台县科技局", "2": "青石县科技局", "3": "青溪市发展和改革委员会"}, (
            leads
        )
        third = Target.objects.get(number="3")
        assert set(third.co_units.values_list("name", flat=True)) == {
            "云台县科技局",
            "青石县科技局",
        }
        assert set(Target.objects.get(number="2").co_units.all()) == {Office.current().organisation}

        # Approve and assign task 1 to 云台县科技局 from its page.
        page.click("table.ledger a:has-text('推动云台县高新技术企业扩量提质')")
        page.click("#actions button:has-text('审核通过')")
        page.click("#actions a:has-text('交办')")
        page.wait_for_selector("#id_lead_unit")
        assert page.locator("#id_lead_unit option:checked").inner_text() == "云台县科技局"
        page.click("text=确认交办")
        page.wait_for_selector("text=已交办给云台县科技局")

        # 孙海 sees it waiting on his home.
        reporter_page.goto(f"{url}/")
        reporter_page.wait_for_selector("header .whoami")
        home = reporter_page.inner_text("main")
        assert "推动云台县高新技术企业扩量提质" in home, home
        assert reporter_violations == [], reporter_violations
    finally:
        reporter_context.close()
    assert Target.objects.get(number="1").state == Target.State.ASSIGNED

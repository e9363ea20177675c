"""The round pages (报送轮次): the list and opening a round, a period's units and targets with
who has answered, the forms to download, sending from the page; office staff only."""

import datetime
import io
import zipfile
from urllib.parse import unquote

import pytest

from duban.supervision.models import Notification, ReportingRound, RoundDispatch
from tests.conftest import login

from .round_city import Q2, build_city


@pytest.fixture
def city(db, settings):
    settings.DUBAN_REPORT_GRACE_DAYS = 10
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return build_city()


@pytest.fixture
def office(client, city):
    return login(client, city.office)


def _round():
    return ReportingRound.objects.create(period=Q2, deadline=datetime.date(2022, 7, 10))


def test_the_list_offers_the_current_quarter_and_opens_a_round(office, city):
    page = office.get("/rounds/")
    assert page.status_code == 200
    assert 'name="period"' in page.content.decode()
    response = office.post("/rounds/", {"period": Q2, "deadline": "2022-07-12", "note": ""})
    assert response.status_code == 302 and response["Location"] == "/rounds/2022-Q2/"
    found = ReportingRound.objects.get(period=Q2)
    assert found.deadline == datetime.date(2022, 7, 12) and found.opened_by == city.office
    listed = office.get("/rounds/").content.decode()
    assert "2022年第二季度（2022-Q2）" in listed and "2022-07-12" in listed


def test_opening_with_a_bad_period_or_deadline_is_a_400_in_chinese(office, city):
    response = office.post("/rounds/", {"period": "2022-Q9"})
    assert response.status_code == 400
    assert "期次“2022-Q9”无法识别" in response.content.decode()
    response = office.post("/rounds/", {"period": Q2, "deadline": "2022-05-01"})
    assert response.status_code == 400
    assert "报送截止日期不能早于期末" in response.content.decode()
    assert not ReportingRound.objects.exists()


def test_the_round_page_shows_units_counts_targets_and_links(office, city):
    _round()
    page = office.get("/rounds/2022-Q2/")
    assert page.status_code == 200
    html = page.content.decode()
    units = page.context["units"]
    assert [(u.unit, u.due, u.answered, u.unanswered, u.returned) for u in units] == [
        (city.bureau, 3, 1, 1, 1),
        (city.reform, 1, 0, 1, 0),
    ]
    assert page.context["totals"] == {"due": 4, "answered": 1, "unanswered": 2, "returned": 1}
    assert "应报 3 项，已报送 1，未报送 1，被退回 1" in html
    assert "报送截止日期：<strong>2022年7月10日</strong>" in html
    for unit in (city.bureau, city.reform):
        for fmt in ("xlsx", "docx"):
            assert f"/rounds/2022-Q2/forms/{unit.pk}.{fmt}" in html
    assert "/rounds/2022-Q2/forms.xlsx.zip" in html
    assert (
        "/reports/ledgers/export/?layout=progress&amp;period=2022-Q2&amp;year=2022&amp;format=xlsx"
        in html
    )
    row = html.split(f'id="unit-{city.bureau.pk}"')[1]
    assert "待审核" in row and "已退回" in row and "被退回" in row
    assert "一季度完成科技计划项目申报指南发布" not in html  # not due in Q2


def test_a_period_without_a_round_offers_to_open_it(office, city):
    html = office.get("/rounds/2022-Q2/").content.decode()
    assert "本期尚未发起报送" in html
    assert "/rounds/2022-Q2/send/" not in html
    assert 'value="2022-Q2"' in html  # the form to open it names the period


def test_a_nonsense_period_is_a_400_in_chinese(office, city):
    for period in ("2022-Q5", "上季度", "22-Q2"):
        response = office.get(f"/rounds/{period}/")
        assert response.status_code == 400
        assert "无法识别" in response.content.decode()


def test_unit_users_and_leaders_may_not_see_the_round(client, city):
    _round()
    login(client, city.bureau_user)
    for url in ("/rounds/", "/rounds/2022-Q2/", f"/rounds/2022-Q2/forms/{city.bureau.pk}.xlsx"):
        assert client.get(url).status_code == 403
    assert client.post("/rounds/2022-Q2/send/").status_code == 403
    assert client.post("/rounds/", {"period": "2022-Q3"}).status_code == 403
    assert not RoundDispatch.objects.exists() and ReportingRound.objects.count() == 1
    client.logout()
    assert client.get("/rounds/2022-Q2/").status_code == 302  # to sign in


def test_download_a_units_form(office, city):
    response = office.get(f"/rounds/2022-Q2/forms/{city.bureau.pk}.docx")
    assert response.status_code == 200
    assert "wordprocessingml" in response["Content-Type"]
    assert "市科技局2022年第二季度政府工作报告目标任务完成情况填报表.docx" in unquote(
        response["Content-Disposition"]
    )
    assert office.get(f"/rounds/2022-Q2/forms/{city.industry.pk}.xlsx").status_code == 404
    assert office.get(f"/rounds/2022-Q2/forms/{city.bureau.pk}.pdf").status_code == 404


def test_download_all_forms_as_one_zip_of_per_unit_files(office, city):
    response = office.get("/rounds/2022-Q2/forms.xlsx.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == [
        "市科技局2022年第二季度政府工作报告目标任务完成情况填报表.xlsx",
        "市发展改革委2022年第二季度政府工作报告目标任务完成情况填报表.xlsx",
    ]


def test_send_to_all_then_resend_to_one(office, city, mailoutbox):
    _round()
    response = office.post("/rounds/2022-Q2/send/", follow=True)
    html = response.content.decode()
    assert "市科技局：已发送，3 项目标任务，站内通知 1 条，邮件 1 封" in html
    assert "市发展改革委：已发送，1 项目标任务" in html
    assert len(mailoutbox) == 2
    assert "重新发送" in html  # each unit now offers to send again
    again = office.post("/rounds/2022-Q2/send/", follow=True).content.decode()
    assert "已于此前发送，未重复发送" in again and len(mailoutbox) == 2
    resent = office.post(
        "/rounds/2022-Q2/send/", {"unit": city.bureau.pk, "resend": "1"}, follow=True
    ).content.decode()
    assert "市科技局：已重新发送" in resent and "市发展改革委" not in resent.split("</ul>")[0]
    assert len(mailoutbox) == 3
    assert Notification.objects.filter(user=city.bureau_user, kind="round").count() == 2
    assert "（共 2 次）" in resent


def test_sending_needs_an_opened_round_and_a_known_unit(office, city):
    assert office.post("/rounds/2022-Q2/send/").status_code == 404
    _round()
    response = office.post("/rounds/2022-Q2/send/", {"unit": "99999"})
    assert response.status_code == 400 and "没有这个单位" in response.content.decode()
    assert office.get("/rounds/2022-Q2/send/").status_code == 405


def test_the_unit_sees_the_notice_in_its_notifications(client, city, settings):
    from duban.supervision import rounds

    rounds.send_round(_round())
    login(client, city.bureau_user)
    html = client.get("/notifications/").content.decode()
    assert "报送通知" in html and "2022年第二季度报送：去报送" in html

"""The number of approved extensions (延期次数) on the target page and in the list, with the
list's filter (有延期 / 未延期)."""

import datetime

import pytest

from duban.supervision import extensions
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def extended(settings, make_qx_target, qx_bureau, qx_office):
    settings.DUBAN_EXTENSION_LEADER_APPROVAL = False
    target = make_qx_target(text="建设云台县科技成果转化中心")
    for days in (20, 40):
        extension = extensions.request_extension(
            qx_bureau,
            target,
            requested_deadline=target.deadline + datetime.timedelta(days=days),
            reason="土建工程延后",
        )
        extensions.decide_extension(qx_office, extension, approve=True)
        target.refresh_from_db()
    return target


@pytest.fixture
def plain(make_qx_target):
    return make_qx_target(text="举办青溪市科技活动周")


def test_the_target_page_shows_the_count_and_every_request(client, qx_office, extended):
    client.force_login(qx_office)
    html = client.get(f"/targets/{extended.pk}/").content.decode()
    assert '<dd id="extension-count">2</dd>' in html
    assert "已延期 2 次" in html
    assert html.count('class="extension-approved"') == 2


def test_the_list_shows_the_count(client, qx_office, extended, plain):
    client.force_login(qx_office)
    html = client.get("/targets/").content.decode()
    assert html.count("已延期2次") == 1


@pytest.mark.parametrize(("value", "shown", "hidden"), [("yes", 0, 1), ("no", 1, 0)])
def test_the_list_filters_by_extension(client, qx_office, extended, plain, value, shown, hidden):
    client.force_login(qx_office)
    html = client.get("/targets/", {"extended": value}).content.decode()
    texts = [extended.text, plain.text]
    assert texts[shown] in html
    assert texts[hidden] not in html
    assert '<option value="' + value + '" selected>' in html


def test_a_nonsense_filter_value_is_refused(client, qx_office, extended):
    client.force_login(qx_office)
    response = client.get("/targets/", {"extended": "maybe"})
    assert response.status_code == 400
    assert "“maybe”不是有效的选项" in response.content.decode()

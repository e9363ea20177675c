"""The workbench (工作台) lists the deadline extensions waiting for the signed-in person: office
staff those to review, the leader in charge those waiting for their approval."""

import datetime

import pytest

from duban.supervision import extensions
from tests.qingxi import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(qx_target, qx_bureau):
    return extensions.request_extension(
        qx_bureau,
        qx_target,
        requested_deadline=qx_target.deadline + datetime.timedelta(days=30),
        reason="等待云台县用地批复",
    )


def test_office_staff_see_the_requests_to_review(client, asked, qx_office):
    client.force_login(qx_office)
    html = client.get("/").content.decode()
    assert 'id="waiting-extensions"' in html and "等待云台县用地批复" in html


def test_the_leader_sees_only_what_waits_for_them(
    client, asked, qx_office, qx_leader, qx_other_leader
):
    client.force_login(qx_leader)
    assert 'id="waiting-extensions"' not in client.get("/").content.decode()  # not yet
    extensions.decide_extension(qx_office, asked, approve=True)
    assert "待您审批的延期申请" in client.get("/").content.decode()
    client.force_login(qx_other_leader)
    assert 'id="waiting-extensions"' not in client.get("/").content.decode()
    client.force_login(qx_office)
    assert 'id="waiting-extensions"' not in client.get("/").content.decode()  # reviewed


def test_a_unit_sees_no_such_list(client, asked, qx_bureau):
    client.force_login(qx_bureau)
    assert 'id="waiting-extensions"' not in client.get("/").content.decode()


def test_the_admin_lists_requests_without_changing_them(client, asked, qx):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root_qx", password="x-9-long-pass")
    client.force_login(admin)
    assert client.get("/admin/supervision/deadlineextension/").status_code == 200
    page = client.get(f"/admin/supervision/deadlineextension/{asked.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/supervision/instruction/").status_code == 200

"""The API takes the loop's steps through the same actions as the pages, so it notifies the
same people: a report submitted, returned, sent again, accepted and its target closed, each in
the app and by e-mail to a real SMTP server on loopback."""

import pytest

from duban.organisations.models import Person
from duban.supervision.models import Notification

from ..supervision.test_remind import loopback_smtp
from .conftest import period_now


@pytest.fixture
def smtp(settings):
    with loopback_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def addresses(office_user, bureau_user, finance_user):
    for user in (office_user, bureau_user, finance_user):
        Person.objects.filter(user=user).update(email=f"{user.username}@baisha.example")


def delivered(smtp) -> list[tuple[str, str]]:
    """(recipient, kind of subject) of the messages received since the last call."""
    got = [(m.envelope_to[0].split("@")[0], m.subject.split("”")[-1]) for m in smtp.messages]
    smtp.messages.clear()
    return got


def kinds_of(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )


def test_the_loop_through_the_api_notifies_office_and_unit(
    smtp,
    addresses,
    office,
    bureau,
    acknowledged,
    office_user,
    bureau_user,
    finance_user,
    django_capture_on_commit_callbacks,
):
    def call(method, *args):
        with django_capture_on_commit_callbacks(execute=True):
            response = method(*args)
        assert response.status_code in (200, 201), response.content
        return response.json()

    report = call(
        bureau.post,
        f"/targets/{acknowledged.pk}/reports",
        {"period": period_now(), "progress": "已完成选址", "is_complete": True},
    )
    assert delivered(smtp) == [("office", "进展报送待审核")]
    call(office.post, f"/reports/{report['id']}/return", {"comment": "请补充佐证"})
    assert delivered(smtp) == [("bureau", "报送被退回")]
    version = call(bureau.get, f"/reports/{report['id']}")["version"]
    call(
        bureau.patch,
        f"/reports/{report['id']}",
        {"version": version, "progress": "已补充", "submit": True},
    )
    assert delivered(smtp) == [("office", "进展重新报送待审核")]
    call(office.post, f"/reports/{report['id']}/accept", {"comment": ""})
    assert delivered(smtp) == [("bureau", "进展报送已通过")]
    call(office.post, f"/targets/{acknowledged.pk}/close", {"note": "已全部完成"})
    assert delivered(smtp) == [("bureau", "已办结")]

    assert kinds_of(office_user) == ["submitted", "resubmitted"]
    assert kinds_of(bureau_user) == ["returned", "accepted", "closed"]
    assert kinds_of(finance_user) == []  # the co-unit takes no step of these

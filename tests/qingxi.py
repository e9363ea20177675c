"""青溪市: the fixtures of the deadline-extension (延期申请) and leaders'-instruction (领导批示)
tests. A city government and its science bureau, 云台县 (a county), 市财政局 (a co-unit), two
leaders in charge with their own accounts, office staff, and a target handled by the bureau
with 陈副市长 in charge, due in thirty days.

Import the fixtures into a test module: `from tests.qingxi import *  # noqa: F403`."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.models import SourceCategory, Target

PASSWORD = "qingxi-yuntai-2026"

__all__ = [
    "PASSWORD",
    "qx",
    "qx_office",
    "qx_bureau",
    "qx_yuntai",
    "qx_finance",
    "qx_leader",
    "qx_other_leader",
    "qx_target",
    "qx_extension_asked",
    "make_qx_target",
    "account",
]


def account(username, *, role, organisation=None, name="", title=""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=name)
    Person.objects.create(
        name=name or username, title=title, role=role, organisation=organisation, user=user
    )
    return user


@pytest.fixture
def qx(db):
    gov = Organisation.objects.create(
        name="青溪市人民政府", short_name="青溪市政府", level=2, kind="government"
    )
    return {
        "gov": gov,
        "bureau": Organisation.objects.create(
            name="青溪市科学技术局", short_name="市科技局", parent=gov
        ),
        "yuntai": Organisation.objects.create(
            name="云台县人民政府", short_name="云台县政府", level=3, kind="government", parent=gov
        ),
        "finance": Organisation.objects.create(
            name="青溪市财政局", short_name="市财政局", parent=gov
        ),
    }


@pytest.fixture
def qx_office(qx):
    return account("lin_dc", role=Person.Role.OFFICE, organisation=qx["gov"], name="林督查")


@pytest.fixture
def qx_bureau(qx):
    return account(
        "zhou_kj", role=Person.Role.UNIT, organisation=qx["bureau"], name="周科技局填报员"
    )


@pytest.fixture
def qx_yuntai(qx):
    return account("wu_yt", role=Person.Role.UNIT, organisation=qx["yuntai"], name="吴云台县填报员")


@pytest.fixture
def qx_finance(qx):
    return account(
        "qian_cz", role=Person.Role.UNIT, organisation=qx["finance"], name="钱财政局填报员"
    )


@pytest.fixture
def qx_leader(qx):
    return account(
        "chen_fsz", role=Person.Role.LEADER, organisation=qx["gov"], name="陈明", title="副市长"
    )


@pytest.fixture
def qx_other_leader(qx):
    return account(
        "liu_fsz", role=Person.Role.LEADER, organisation=qx["gov"], name="刘华", title="副市长"
    )


@pytest.fixture
def make_qx_target(qx, qx_leader):
    counter = iter(range(1, 1000))

    def make(*, days=30, state=Target.State.IN_PROGRESS, lead_unit=None, leader=True, **fields):
        today = timezone.localdate()
        values = {
            "year": today.year,
            "number": str(next(counter)),
            "text": "推进青溪科创走廊建设，新增科技企业孵化器2家",
            "source_category": SourceCategory.WORK_PLAN,
            "lead_unit": lead_unit or qx["bureau"],
            "leader": qx_leader.person if leader is True else (leader or None),
            "deadline": today + datetime.timedelta(days=days) if days is not None else None,
            "state": state,
        }
        values.update(fields)
        target = Target.objects.create(**values)
        target.co_units.set([qx["finance"]])
        return target

    return make


@pytest.fixture
def qx_target(make_qx_target):
    return make_qx_target()


@pytest.fixture
def qx_extension_asked(qx_target, qx_bureau):
    """The bureau's request to move the target's deadline from thirty days on to ninety."""
    from duban.supervision import extensions

    return extensions.request_extension(
        qx_bureau,
        qx_target,
        requested_deadline=timezone.localdate() + datetime.timedelta(days=90),
        reason="云台县配套用地手续尚在办理",
    )

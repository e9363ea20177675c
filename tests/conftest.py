"""Shared fixtures: a small city with units, people in each role, and a target factory."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from duban.documents.models import Genre, SourceDocument
from duban.organisations.models import Organisation, Person
from duban.targets.models import SourceCategory, Target

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def seeds_dir():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    return SEEDS


@pytest.fixture
def file_storage(settings, tmp_path):
    """Uploaded and stored files go to a temporary directory, not the data directory."""
    location = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def city(db):
    gov = Organisation.objects.create(
        name="白沙市人民政府", short_name="市政府", level=2, kind="government"
    )
    bureau = Organisation.objects.create(
        name="白沙市科学技术局", short_name="市科技局", parent=gov, aliases="市科技局\n科技局"
    )
    finance = Organisation.objects.create(name="白沙市财政局", short_name="市财政局", parent=gov)
    industry = Organisation.objects.create(
        name="白沙市工业和信息化局", short_name="市工业和信息化局", parent=gov
    )
    return {"gov": gov, "bureau": bureau, "finance": finance, "industry": industry}


def _user(username, *, role=None, organisation=None, staff=False, name=""):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=name, is_staff=staff, is_superuser=staff
    )
    if role:
        Person.objects.create(
            name=name or username, role=role, organisation=organisation, user=user
        )
    return user


@pytest.fixture
def office_user(city):
    return _user(
        "office", role=Person.Role.OFFICE, organisation=city["bureau"], name="督查员甲", staff=True
    )


@pytest.fixture
def bureau_user(city):
    return _user("bureau", role=Person.Role.UNIT, organisation=city["bureau"], name="科技局填报员")


@pytest.fixture
def finance_user(city):
    return _user(
        "finance", role=Person.Role.UNIT, organisation=city["finance"], name="财政局填报员"
    )


@pytest.fixture
def leader(city):
    return Person.objects.create(
        name="王副市长", title="副市长", role=Person.Role.LEADER, organisation=city["gov"]
    )


@pytest.fixture
def leader_user(leader):
    user = _user("leader", name="王副市长")
    leader.user = user
    leader.save()
    return user


@pytest.fixture
def document(db):
    text = "白沙市2026年科技工作要点\n1.高新技术企业总数达到300家。\n2.新增省级创新平台5家以上。\n"
    return SourceDocument.objects.create(
        name="plan.txt",
        format="txt",
        sha256="a" * 64,
        title="白沙市2026年科技工作要点",
        genre=Genre.PLAN,
        year=2026,
        text=text,
    )


@pytest.fixture
def make_target(db):
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        defaults = {
            "year": 2026,
            "number": str(n),
            "text": f"第{n}项测试目标：推进科技创新工作",
            "source_category": SourceCategory.WORK_PLAN,
        }
        defaults.update(fields)
        co_units = defaults.pop("co_units", ())
        target = Target.objects.create(**defaults)
        if co_units:
            target.co_units.set(co_units)
        return target

    return make


@pytest.fixture
def today():
    return datetime.date(2026, 6, 15)


def login(client, user):
    client.force_login(user)
    return client


def make_account(username, name, role, unit, staff=False):
    """A user with its Person record (name, role, unit), signed in with PASSWORD."""
    from django.contrib.auth import get_user_model

    from duban.organisations.models import Person

    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=staff, is_superuser=staff
    )
    Person.objects.create(name=name, role=role, organisation=unit, user=user)
    return user


@pytest.fixture
def robot(settings):
    """A WeCom or DingTalk robot on loopback, with the webhook hosts pointed at it."""
    from tests.robots import Robot

    server = Robot()
    settings.DUBAN_WEBHOOK_HOSTS = {"wecom": server.host, "dingtalk": server.host}
    settings.DUBAN_WEBHOOK_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()

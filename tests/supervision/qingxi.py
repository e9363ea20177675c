"""青溪市 and its two counties, 云台县 and 青石县: a city target split across the counties.

Imported by the decomposition, closing and publishing tests (`from .qingxi import *` brings
the fixtures in)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.organisations.models import Organisation, Person
from duban.targets.models import SourceCategory, Target

__all__ = [
    "qingxi",
    "qx_office",
    "qx_bureau",
    "yuntai",
    "qingshi",
    "city_target",
    "files_in_tmp",
    "pdf",
    "this_year",
    "period_now",
    "year_end",
]


def this_year() -> int:
    return timezone.localdate().year


def year_end() -> datetime.date:
    """The city target's deadline: next year's end, so the lights do not hang on today."""
    return datetime.date(this_year() + 1, 12, 31)


def period_now() -> str:
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def pdf(name="佐证.pdf", body=b"qingxi evidence"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + body, content_type="application/pdf")


@pytest.fixture
def files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"


def _person(username, role, unit, name):
    user = get_user_model().objects.create_user(
        username, password="qingxi-pass-2026", first_name=name, is_staff=role == "office"
    )
    Person.objects.create(name=name, role=role, organisation=unit, user=user)
    return user


@pytest.fixture
def qingxi(db):
    gov = Organisation.objects.create(name="青溪市人民政府", short_name="青溪市政府", level=2)
    return {
        "gov": gov,
        "bureau": Organisation.objects.create(
            name="青溪市科学技术局", short_name="青溪市科技局", parent=gov
        ),
        "yuntai": Organisation.objects.create(
            name="云台县人民政府", short_name="云台县政府", parent=gov
        ),
        "qingshi": Organisation.objects.create(
            name="青石县人民政府", short_name="青石县政府", parent=gov
        ),
    }


@pytest.fixture
def qx_office(qingxi):
    return _person("qx_office", Person.Role.OFFICE, qingxi["bureau"], "督查员林")


@pytest.fixture
def qx_bureau(qingxi):
    return _person("qx_bureau", Person.Role.UNIT, qingxi["bureau"], "市科技局填报员")


@pytest.fixture
def yuntai(qingxi):
    return _person("qx_yuntai", Person.Role.UNIT, qingxi["yuntai"], "云台县填报员")


@pytest.fixture
def qingshi(qingxi):
    return _person("qx_qingshi", Person.Role.UNIT, qingxi["qingshi"], "青石县填报员")


@pytest.fixture
def city_target(qingxi):
    """青溪市's target, assigned to the city bureau and acknowledged: ready to be split."""
    target = Target.objects.create(
        year=this_year(),
        number="7",
        text="全市新增科技型中小企业200家",
        source_category=SourceCategory.WORK_PLAN,
        deadline=year_end(),
    )
    target.approve()
    target.assign(lead_unit=qingxi["bureau"])
    target.acknowledge()
    return target

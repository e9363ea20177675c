"""Callers of the API in each role (by personal token unless a test says otherwise), and
targets at each step of the loop."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from duban.api.models import ApiToken
from duban.supervision import actions
from duban.targets.models import Target


class Api:
    """A client of /api/ speaking JSON."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, path, params=None):
        return self.client.get(f"/api{path}", params or {})

    def post(self, path, data=None):
        return self.client.post(f"/api{path}", data or {}, content_type="application/json")

    def patch(self, path, data=None):
        return self.client.patch(f"/api{path}", data or {}, content_type="application/json")

    def upload(self, path, *files):
        return self.client.post(f"/api{path}", {"files": list(files)})


def token_client(user) -> Api:
    _, secret = ApiToken.issue(user, name="测试")
    return Api(Client(headers={"authorization": f"Bearer {secret}"}))


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


@pytest.fixture
def office(office_user):
    return token_client(office_user)


@pytest.fixture
def bureau(bureau_user):
    """The lead unit's reporter."""
    return token_client(bureau_user)


@pytest.fixture
def finance(finance_user):
    """The co-unit's reporter."""
    return token_client(finance_user)


@pytest.fixture
def leader_api(leader_user):
    return token_client(leader_user)


@pytest.fixture
def anonymous(db):
    return Api(Client())


def period_now() -> str:
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def pdf(name="进展佐证.pdf", content=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def registered(make_target):
    return make_target(year=timezone.localdate().year, text="新增高新技术企业100家")


@pytest.fixture
def assigned(make_target, city, leader):
    """Assigned to the bureau (lead) and finance (co-unit), not yet acknowledged."""
    target = make_target(year=timezone.localdate().year, text="建设科技企业孵化器3家")
    target.approve()
    target.assign(
        lead_unit=city["bureau"],
        co_units=[city["finance"]],
        leader=leader,
        deadline_text="12月底前",
    )
    return target


@pytest.fixture
def acknowledged(assigned):
    assigned.acknowledge()
    return assigned


@pytest.fixture
def foreign(make_target, city):
    """Another unit's target, in progress: the bureau and finance may not see it."""
    return make_target(
        text="工业技改投资增长10%", lead_unit=city["industry"], state=Target.State.IN_PROGRESS
    )


def write_report(user, target, *, submit=True, **fields):
    values = {
        "period": period_now(),
        "progress": "已完成孵化器选址",
        "is_complete": True,
        "reason": "",
        "next_steps": "推进建设",
    }
    values.update(fields)
    return actions.save_report(user, target, submit=submit, **values)


@pytest.fixture
def submitted(acknowledged, bureau_user):
    return write_report(bureau_user, acknowledged)


@pytest.fixture
def draft(acknowledged, bureau_user):
    return write_report(bureau_user, acknowledged, submit=False)

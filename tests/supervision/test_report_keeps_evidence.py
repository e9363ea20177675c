"""A report form refused for a missing field keeps the chosen evidence for the next try, or
says in plain words that it must be chosen again."""

import re

import pytest
from django.core import signing

from duban.supervision import stash
from duban.targets.models import ProgressReport

from .qingxi import *  # noqa: F403
from .qingxi import pdf, period_now


@pytest.fixture(autouse=True)
def _files(files_in_tmp):
    return files_in_tmp


def form(**fields):
    return {"period": period_now(), "progress": "已入库150家", "is_complete": "yes", **fields}


def token_of(response) -> str:
    match = re.search(r'name="evidence_token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


def test_a_refused_form_keeps_the_file_and_the_next_try_stores_it(
    client, qx_bureau, city_target, files_in_tmp, django_capture_on_commit_callbacks
):
    client.force_login(qx_bureau)
    refused = client.post(
        f"/targets/{city_target.pk}/report/",
        form(progress="", evidence=[pdf("入库名单.pdf")]),
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "请填写具体工作进展" in body
    assert "已选择的佐证材料（已保留，无需重新选择）：入库名单.pdf" in body
    assert not ProgressReport.objects.exists()
    token = token_of(refused)
    stashed = list((files_in_tmp / "drafts" / "evidence-stash").rglob("*.pdf"))
    assert len(stashed) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/targets/{city_target.pk}/report/", form(evidence_token=token))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert list(report.evidence.values_list("name", flat=True)) == ["入库名单.pdf"]
    assert not stashed[0].exists()  # the stash is removed once the report has its copy


def test_files_chosen_over_two_refusals_are_all_kept(client, qx_bureau, city_target):
    client.force_login(qx_bureau)
    first = client.post(
        f"/targets/{city_target.pk}/report/", form(progress="", evidence=[pdf("一.pdf")])
    )
    second = client.post(
        f"/targets/{city_target.pk}/report/",
        form(
            progress="",
            evidence_token=token_of(first),
            evidence=[pdf("二.pdf", body=b"two")],
        ),
    )
    assert "一.pdf、二.pdf" in second.content.decode()
    client.post(f"/targets/{city_target.pk}/report/", form(evidence_token=token_of(second)))
    names = sorted(ProgressReport.objects.get().evidence.values_list("name", flat=True))
    assert names == ["一.pdf", "二.pdf"]


@pytest.mark.parametrize("kind", ["forged", "someone_else", "gone"])
def test_a_lost_stash_asks_for_the_file_again(
    client, qx_bureau, qx_office, city_target, files_in_tmp, kind
):
    client.force_login(qx_bureau)
    refused = client.post(f"/targets/{city_target.pk}/report/", form(progress="", evidence=[pdf()]))
    token = token_of(refused)
    if kind == "forged":
        token = token[:-3] + "abc"
    elif kind == "someone_else":
        data = signing.loads(token, salt=stash.SALT)
        token = signing.dumps({**data, "u": qx_office.pk}, salt=stash.SALT)
    else:
        for path in (files_in_tmp / "drafts" / "evidence-stash").rglob("*.pdf"):
            path.unlink()
    response = client.post(f"/targets/{city_target.pk}/report/", form(evidence_token=token))
    assert response.status_code == 400
    assert "选择的佐证材料未保存，请重新选择" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_refused_file_type_is_not_kept(client, qx_bureau, city_target):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(qx_bureau)
    refused = client.post(
        f"/targets/{city_target.pk}/report/",
        form(progress="", evidence=[SimpleUploadedFile("脚本.exe", b"MZ")]),
    )
    assert refused.status_code == 400
    assert token_of(refused) == ""

"""Evidence sent again with a revised report is listed once (one entry per content)."""

import pytest

from duban.supervision import actions
from duban.targets.models import Evidence, ProgressReport

from .qingxi import *  # noqa: F403
from .qingxi import pdf, period_now


@pytest.fixture(autouse=True)
def _files(files_in_tmp):
    return files_in_tmp


def form(**fields):
    return {
        "period": period_now(),
        "progress": "已入库150家",
        "is_complete": "no",
        "reason": "部分企业材料未齐",
        **fields,
    }


def test_the_same_file_sent_again_after_a_return_is_listed_once(
    client, qx_bureau, qx_office, city_target
):
    client.force_login(qx_bureau)
    response = client.post(
        f"/targets/{city_target.pk}/report/", form(evidence=[pdf("入库名单.pdf")])
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(target=city_target)
    actions.return_report(qx_office, report, "请补充说明")
    report.refresh_from_db()
    response = client.post(
        f"/targets/{city_target.pk}/report/",
        form(progress="已补充", version=report.version, evidence=[pdf("入库名单.pdf")]),
    )
    assert response.status_code == 302
    assert list(report.evidence.values_list("name", flat=True)) == ["入库名单.pdf"]
    body = client.get(f"/targets/{city_target.pk}/").content.decode()
    reports = body.split("<h2>进展报送</h2>")[1].split("<h2>办理留痕</h2>")[0]
    assert reports.count("入库名单.pdf") == 1


def test_the_same_content_under_another_name_is_listed_once(qx_bureau, city_target):
    report = actions.save_report(
        qx_bureau,
        city_target,
        period=period_now(),
        progress="草稿",
        is_complete=None,
        submit=False,
        uploads=[pdf("名单.pdf"), pdf("名单（副本）.pdf")],
    )
    assert report.evidence.count() == 1
    actions.add_evidence(qx_bureau, report, [pdf("又一份.pdf")])
    assert report.evidence.count() == 1
    actions.add_evidence(qx_bureau, report, [pdf("新材料.pdf", body=b"other")])
    assert sorted(report.evidence.values_list("name", flat=True)) == ["名单.pdf", "新材料.pdf"]
    assert all(len(e.sha256) == 64 for e in Evidence.objects.all())


def test_a_file_stored_before_hashes_is_still_recognised(qx_bureau, city_target):
    report = actions.save_report(
        qx_bureau,
        city_target,
        period=period_now(),
        progress="草稿",
        is_complete=None,
        submit=False,
        uploads=[pdf("旧.pdf")],
    )
    Evidence.objects.update(sha256="")
    actions.add_evidence(qx_bureau, report, [pdf("旧.pdf")])
    assert report.evidence.count() == 1

"""The loop through its pages: each step for the right role, refusals for the others."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.audit.models import AuditEvent
from duban.supervision.models import Contribution, Notification
from duban.targets.models import Evidence, Milestone, ProgressReport, Target


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def pdf(name="进展佐证.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


@pytest.fixture
def assigned(make_target, city, leader):
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


def period_now():
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def report_data(**overrides):
    data = {
        "period": period_now(),
        "progress": "已完成孵化器选址",
        "is_complete": "yes",
        "reason": "",
        "next_steps": "推进建设",
        "submit": "1",
    }
    data.update(overrides)
    return data


def test_whole_loop_through_the_pages(client, office_user, bureau_user, city, leader):
    client.force_login(office_user)
    year = timezone.localdate().year
    response = client.post(
        "/targets/new/",
        {
            "year": year,
            "text": "新增省级创新平台5家",
            "source_category": "work_plan",
            "number": "7",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(text="新增省级创新平台5家")
    assert client.post(f"/targets/{target.pk}/approve/").status_code == 302
    response = client.post(
        f"/targets/{target.pk}/assign/",
        {
            "lead_unit": city["bureau"].pk,
            "co_units": [city["finance"].pk],
            "leader": leader.pk,
            "deadline": f"{year}-12-31",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.state == Target.State.ASSIGNED
    assert Milestone.objects.filter(target=target).exists()
    assert Notification.objects.filter(user=bureau_user, target=target, kind="assigned").exists()

    client.force_login(bureau_user)
    assert client.post(f"/targets/{target.pk}/acknowledge/").status_code == 302
    response = client.post(f"/targets/{target.pk}/report/", {**report_data(), "evidence": [pdf()]})
    assert response.status_code == 302, response.content.decode()[:500]
    report = ProgressReport.objects.get(target=target)
    assert report.review_state == "submitted"
    assert report.evidence.get().name == "进展佐证.pdf"

    client.force_login(office_user)
    response = client.post(
        f"/reports/{report.pk}/review/", {"decision": "return", "comment": "请补充平台认定文件"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == "returned"

    client.force_login(bureau_user)
    page = client.get(f"/targets/{target.pk}/report/?period={report.period}")
    assert "请补充平台认定文件" in page.content.decode()
    response = client.post(
        f"/targets/{target.pk}/report/",
        report_data(period=report.period, progress="已补充认定文件", version=report.version),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == "submitted" and report.progress == "已补充认定文件"

    client.force_login(office_user)
    client.post(f"/reports/{report.pk}/review/", {"decision": "accept", "comment": ""})
    response = client.post(
        f"/targets/{target.pk}/close/", {"note": "5家平台均已获批", "evidence": [pdf("批复.pdf")]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.state == Target.State.CLOSED
    summaries = [e.summary for e in AuditEvent.objects.for_target(target.pk)]
    for step in ("审核通过", "交办", "签收", "报送进展", "退回修改", "办结销号"):
        assert step in summaries, step
    body = client.get(f"/targets/{target.pk}/").content.decode()
    assert "办结销号" in body and "批复.pdf" in body


@pytest.mark.parametrize("step", ["approve", "carry-over", "chase"])
def test_unit_users_cannot_supervise(client, bureau_user, acknowledged, step):
    client.force_login(bureau_user)
    response = client.post(f"/targets/{acknowledged.pk}/{step}/")
    assert response.status_code == 403
    assert "督查员" in response.content.decode()


@pytest.mark.parametrize("page", ["assign", "close"])
def test_unit_users_cannot_open_supervisor_forms(client, bureau_user, acknowledged, page):
    client.force_login(bureau_user)
    assert client.get(f"/targets/{acknowledged.pk}/{page}/").status_code == 403
    assert client.post(f"/targets/{acknowledged.pk}/{page}/", {"note": "x"}).status_code == 403
    acknowledged.refresh_from_db()
    assert acknowledged.state == Target.State.IN_PROGRESS


def test_unit_users_cannot_review(client, bureau_user, acknowledged):
    report = ProgressReport.objects.create(
        target=acknowledged, period=period_now(), progress="x", is_complete=True
    )
    report.submit()
    client.force_login(bureau_user)
    response = client.post(f"/reports/{report.pk}/review/", {"decision": "accept"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.review_state == "submitted"


def test_other_units_cannot_reach_the_target_by_url(
    client, make_target, city, finance_user, acknowledged
):
    hidden = make_target(lead_unit=city["industry"], state=Target.State.IN_PROGRESS)
    client.force_login(finance_user)
    for url in (
        f"/targets/{hidden.pk}/",
        f"/targets/{hidden.pk}/report/",
        f"/targets/{hidden.pk}/acknowledge/",
    ):
        assert client.post(url).status_code == 404, url
    response = client.post(f"/targets/{hidden.pk}/report/", report_data())
    assert response.status_code == 404
    assert not ProgressReport.objects.filter(target=hidden).exists()


def test_co_unit_cannot_report_but_can_contribute(client, finance_user, bureau_user, acknowledged):
    client.force_login(finance_user)
    assert client.post(f"/targets/{acknowledged.pk}/report/", report_data()).status_code == 403
    response = client.post(
        f"/targets/{acknowledged.pk}/contribute/",
        {"period": period_now(), "text": "已安排配套资金200万元"},
    )
    assert response.status_code == 302
    assert Contribution.objects.get().unit.name == "白沙市财政局"
    client.force_login(bureau_user)
    assert (
        "已安排配套资金200万元"
        in client.get(f"/targets/{acknowledged.pk}/report/").content.decode()
    )


def test_leader_reads_but_cannot_act(client, leader_user, acknowledged):
    client.force_login(leader_user)
    body = client.get(f"/targets/{acknowledged.pk}/").content.decode()
    assert "当前没有需要您办理的事项" in body
    assert client.post(f"/targets/{acknowledged.pk}/report/", report_data()).status_code == 403
    assert client.post(f"/targets/{acknowledged.pk}/approve/").status_code == 403


def test_reporting_before_acknowledging_is_refused(client, bureau_user, assigned):
    client.force_login(bureau_user)
    response = client.post(f"/targets/{assigned.pk}/report/", report_data())
    assert response.status_code == 403
    assert "已签收" in response.content.decode()


def test_steps_out_of_order_answer_409(client, office_user, assigned):
    client.force_login(office_user)
    response = client.post(f"/targets/{assigned.pk}/approve/")
    assert response.status_code == 409
    assert "待签收" in response.content.decode()


def test_incomplete_report_needs_a_reason(client, bureau_user, acknowledged):
    client.force_login(bureau_user)
    response = client.post(
        f"/targets/{acknowledged.pk}/report/", report_data(is_complete="no", reason="")
    )
    assert response.status_code == 400
    assert "未完成时必须填写未完成原因" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_missing_fields_on_assign_and_review(client, office_user, make_target, acknowledged):
    target = make_target()
    target.approve()
    client.force_login(office_user)
    response = client.post(f"/targets/{target.pk}/assign/", {"deadline_text": "12月"})
    assert response.status_code == 400
    assert "请选择牵头单位" in response.content.decode()
    report = ProgressReport.objects.create(
        target=acknowledged, period=period_now(), progress="x", is_complete=True
    )
    report.submit()
    response = client.post(f"/reports/{report.pk}/review/", {"decision": "return"})
    assert response.status_code == 400
    assert "退回时必须填写退回意见" in response.content.decode()


@pytest.mark.parametrize(
    "upload,message",
    [
        (SimpleUploadedFile("run.exe", b"MZ" * 10), "文件类型不允许上传"),
        (SimpleUploadedFile("empty.pdf", b""), "空文件"),
    ],
)
def test_evidence_rules(client, bureau_user, acknowledged, upload, message):
    client.force_login(bureau_user)
    response = client.post(
        f"/targets/{acknowledged.pk}/report/", {**report_data(), "evidence": [upload]}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_evidence_size_limit(client, bureau_user, acknowledged, settings):
    settings.DUBAN_EVIDENCE_MAX_BYTES = 1024 * 1024
    client.force_login(bureau_user)
    response = client.post(
        f"/targets/{acknowledged.pk}/report/",
        {**report_data(), "evidence": [pdf(size=2 * 1024 * 1024)]},
    )
    assert response.status_code == 400
    assert "超过 1 MB 的大小限制" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_served_only_to_those_who_see_the_target(
    client, bureau_user, finance_user, acknowledged, make_target, city, django_user_model
):
    client.force_login(bureau_user)
    client.post(f"/targets/{acknowledged.pk}/report/", {**report_data(), "evidence": [pdf()]})
    evidence = Evidence.objects.get()
    response = client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    client.force_login(finance_user)  # a co-unit sees the target, so its evidence too
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 200
    from duban.organisations.models import Person

    stranger = django_user_model.objects.create_user("industry", password="x")
    Person.objects.create(
        name="工信局填报员", role="unit", organisation=city["industry"], user=stranger
    )
    client.force_login(stranger)
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 302
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_second_save_of_the_same_report_is_refused(
    client, bureau_user, acknowledged, django_user_model, city
):
    from duban.organisations.models import Person

    colleague = django_user_model.objects.create_user("bureau2", password="x")
    Person.objects.create(
        name="科技局填报员乙", role="unit", organisation=city["bureau"], user=colleague
    )
    client.force_login(bureau_user)
    client.post(f"/targets/{acknowledged.pk}/report/", {**report_data(), "draft": "1"})
    draft = ProgressReport.objects.get()
    first_version = draft.version
    client.post(
        f"/targets/{acknowledged.pk}/report/",
        {**report_data(progress="第一位的修改"), "draft": "1", "version": first_version},
    )
    client.force_login(colleague)
    response = client.post(
        f"/targets/{acknowledged.pk}/report/",
        {**report_data(progress="第二位的修改"), "draft": "1", "version": first_version},
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.progress == "第一位的修改"


def test_ongoing_targets_carry_over_into_the_next_year(client, office_user, make_target, city):
    target = make_target(year=2026, deadline_text="持续推进")
    target.approve()
    target.assign(lead_unit=city["bureau"], co_units=[city["finance"]])
    client.force_login(office_user)
    assert "结转到下一年度" in client.get(f"/targets/{target.pk}/").content.decode()
    response = client.post(f"/targets/{target.pk}/carry-over/")
    assert response.status_code == 302
    successor = Target.objects.get(carried_from=target)
    assert successor.year == 2027 and successor.state == Target.State.ASSIGNED
    assert list(successor.co_units.all()) == [city["finance"]]
    assert client.post(f"/targets/{target.pk}/carry-over/").status_code == 409
    # Once carried over, its page no longer offers the step.
    assert "结转到下一年度" not in client.get(f"/targets/{target.pk}/").content.decode()


def test_targets_with_a_date_do_not_carry_over(client, office_user, assigned):
    client.force_login(office_user)
    response = client.post(f"/targets/{assigned.pk}/carry-over/")
    assert response.status_code == 409
    assert "持续推进" in response.content.decode()


def test_chase_notifies_the_lead_unit_and_is_recorded(client, office_user, bureau_user, assigned):
    client.force_login(office_user)
    response = client.post(f"/targets/{assigned.pk}/chase/", {"message": "请于周五前签收"})
    assert response.status_code == 302
    notice = Notification.objects.get(kind="chase")
    assert notice.user == bureau_user and notice.message == "请于周五前签收"
    assert AuditEvent.objects.for_target(assigned.pk).filter(summary="人工催办").exists()


def test_register_form_reports_missing_fields(client, office_user):
    client.force_login(office_user)
    response = client.post("/targets/new/", {"year": "", "text": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写年度" in body and "请填写目标内容" in body
    assert not Target.objects.exists()


def test_unit_users_cannot_register(client, bureau_user):
    client.force_login(bureau_user)
    assert client.get("/targets/new/").status_code == 403


def test_milestone_lights(make_target, today):
    from duban.targets.lights import milestone_light

    target = make_target()
    due = Milestone.objects.create(
        target=target, period="2026-Q2", text="x", due_date=today + datetime.timedelta(days=3)
    )
    late = Milestone.objects.create(target=target, period="2026-Q1", text="y")
    assert milestone_light(due, [], today) == "yellow"
    assert milestone_light(late, [], today) == "red"
    accepted = ProgressReport(target=target, period="2026-Q1", review_state="accepted")
    assert milestone_light(late, [accepted], today) == "done"
    waiting = ProgressReport(target=target, period="2026-Q2", review_state="submitted")
    assert milestone_light(due, [waiting], today) == "green"


def test_a_submitted_report_cannot_be_edited_as_a_draft(bureau_user, acknowledged):
    from duban.supervision import actions

    report = actions.save_report(
        bureau_user, acknowledged, period=period_now(), progress="已报送的内容", is_complete=True
    )
    with pytest.raises(actions.TransitionError, match="待审核"):
        actions.save_report(
            bureau_user,
            acknowledged,
            period=period_now(),
            progress="改写",
            is_complete=True,
            submit=False,
            report=report,
            expected_version=report.version,
        )
    report.refresh_from_db()
    assert report.progress == "已报送的内容"


def test_a_bad_period_is_a_validation_error(bureau_user, acknowledged):
    from django.core.exceptions import ValidationError

    from duban.supervision import actions

    with pytest.raises(ValidationError, match="无法识别的期次"):
        actions.save_report(
            bureau_user, acknowledged, period="2026年二季度", progress="x", is_complete=True
        )
    assert not ProgressReport.objects.exists()


def test_assign_without_any_deadline_is_refused_and_writes_nothing(office_user, make_target, city):
    from django.core.exceptions import ValidationError

    from duban.supervision import actions

    target = make_target()
    target.approve()
    with pytest.raises(ValidationError, match="请填写完成时限"):
        actions.assign(office_user, target, lead_unit=city["bureau"])
    target.refresh_from_db()
    assert target.state == Target.State.APPROVED and target.lead_unit is None
    assert not Milestone.objects.filter(target=target).exists()

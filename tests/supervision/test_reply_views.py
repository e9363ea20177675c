"""The reply pages: upload a filled-in form, preview it, confirm or discard it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.supervision import replies
from duban.supervision.models import ReplyDraft
from duban.targets.models import ProgressReport
from duban.targets.periods import Period

from .filling import fill_docx, fill_xlsx
from .reply_fixtures import ANSWERS, Q2, qingxi_city, qingxi_tasks, unit_form  # noqa: F401

pytestmark = pytest.mark.usefixtures("file_storage")


def form_file(data, name="科技局回传.xlsx"):
    return SimpleUploadedFile(name, data)


def post_upload(client, data, name="科技局回传.xlsx", **fields):
    return client.post("/replies/upload/", {"file": form_file(data, name), **fields})


def test_upload_page_for_a_unit_has_no_unit_choice(client, bureau_user, city):
    client.force_login(bureau_user)
    response = client.get("/replies/upload/?period=2022-Q2")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="unit"' not in page
    assert 'value="2022-Q2"' in page
    assert "市科技局" in page


def test_upload_page_for_office_staff_chooses_the_unit(client, office_user, city):
    client.force_login(office_user)
    url = replies.upload_url(city["finance"], Q2)
    assert url == f"/replies/upload/?unit={city['finance'].pk}&period=2022-Q2"
    page = client.get(url).content.decode()
    assert f'<option value="{city["finance"].pk}" selected>' in page


def test_leaders_and_strangers_may_not_upload(client, leader_user, city):
    client.force_login(leader_user)
    assert client.get("/replies/upload/").status_code == 403
    client.logout()
    assert client.get("/replies/upload/").status_code == 302  # to the sign-in page


def test_upload_preview_confirm_through_the_pages(client, bureau_user, city, tasks):
    client.force_login(bureau_user)
    filled = fill_docx(unit_form(city["bureau"], "docx"), ANSWERS, order=["52", "46"], drop=["45"])
    response = post_upload(client, filled, "科技局回传.docx", period="2022-Q2")
    draft = ReplyDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/replies/{draft.pk}/"

    page = client.get(f"/replies/{draft.pk}/").content.decode()
    assert page.count('data-action="new"') == 3  # 43, 46, 47
    assert page.count('data-action="refused"') == 1  # 52: the bureau is a co-unit
    assert "相似度" in page and "协办单位" in page

    response = client.post(f"/replies/{draft.pk}/confirm/", follow=True)
    assert response.status_code == 200
    assert "报送 3 项（待审核）" in response.content.decode()
    submitted = ProgressReport.objects.filter(review_state=ProgressReport.Review.SUBMITTED)
    assert sorted(r.target.number for r in submitted) == ["43", "46", "47"]
    assert not tasks["45"].reports.exists() and not tasks["52"].reports.exists()
    page = client.get(f"/replies/{draft.pk}/").content.decode()
    assert "已保存" in page


def test_a_second_confirm_stores_nothing(client, bureau_user, city, tasks):
    client.force_login(bureau_user)
    post_upload(client, fill_xlsx(unit_form(city["bureau"]), {"43": ANSWERS["43"]}))
    draft = ReplyDraft.objects.get()
    client.post(f"/replies/{draft.pk}/confirm/")
    response = client.post(f"/replies/{draft.pk}/confirm/", follow=True)
    assert "未做任何改动" in response.content.decode()
    assert tasks["43"].reports.count() == 1


def test_second_upload_says_what_it_replaces(client, bureau_user, office_user, city, tasks):
    client.force_login(bureau_user)
    post_upload(client, fill_xlsx(unit_form(city["bureau"]), ANSWERS))
    client.post(f"/replies/{ReplyDraft.objects.get().pk}/confirm/")
    tasks["43"].reports.get().accept(office_user, "")
    changed = {n: dict(a, 下步工作打算="按季度推进。") for n, a in ANSWERS.items()}
    post_upload(client, fill_xlsx(unit_form(city["bureau"]), changed), "第二次.xlsx")
    draft = ReplyDraft.objects.filter(status=ReplyDraft.Status.PENDING).get()
    page = client.get(f"/replies/{draft.pk}/").content.decode()
    assert 'id="reply-replacing"' in page and 'id="reply-kept"' in page
    assert "按季度推进" in page
    response = client.post(f"/replies/{draft.pk}/confirm/", follow=True)
    text = response.content.decode()
    assert "此前待审核的报送已被本次上传替换" in text
    assert "本期报送已审核通过，未覆盖：43." in text


def test_a_unit_cannot_choose_another_unit_by_a_forged_post(client, bureau_user, city, tasks):
    client.force_login(bureau_user)
    form = fill_xlsx(unit_form(city["finance"]), {"52": ANSWERS["52"]})
    post_upload(client, form, unit=city["finance"].pk, period="2022-Q2")
    draft = ReplyDraft.objects.get()
    assert draft.unit == city["bureau"]
    client.post(f"/replies/{draft.pk}/confirm/")
    assert not tasks["52"].reports.exists()


def test_another_users_draft_is_not_found(client, bureau_user, office_user, city, tasks):
    client.force_login(office_user)
    post_upload(client, fill_xlsx(unit_form(city["bureau"]), ANSWERS), unit=city["bureau"].pk)
    draft = ReplyDraft.objects.get()
    client.force_login(bureau_user)
    assert client.get(f"/replies/{draft.pk}/").status_code == 404
    assert client.post(f"/replies/{draft.pk}/confirm/").status_code == 404
    assert client.post(f"/replies/{draft.pk}/discard/").status_code == 404
    assert not ProgressReport.objects.exists()


def test_office_staff_confirm_on_a_units_behalf(client, office_user, city, tasks):
    client.force_login(office_user)
    post_upload(
        client, fill_xlsx(unit_form(city["bureau"]), {"46": ANSWERS["46"]}), unit=city["bureau"].pk
    )
    draft = ReplyDraft.objects.get()
    client.post(f"/replies/{draft.pk}/confirm/")
    report = tasks["46"].reports.get()
    assert (report.unit, report.submitted_by) == (city["bureau"], office_user)


@pytest.mark.parametrize(
    ("data", "name", "period", "message"),
    [
        (b"", "空.xlsx", "2022-Q2", "文件为空"),
        (b"PK\x03\x04 broken", "坏.xlsx", "2022-Q2", "文件已损坏"),
        (None, "一季度.xlsx", "2022-Q2", "这是2022年第一季度的报送表"),
        (None, "一季度.xlsx", "2022-13", "期次“2022-13”无法识别"),
    ],
    ids=["empty", "corrupt", "other-period", "bad-period"],
)
def test_bad_uploads_say_why(client, bureau_user, city, tasks, data, name, period, message):
    client.force_login(bureau_user)
    if data is None:
        data = unit_form(city["bureau"], period=Period.parse("2022-Q1"))
    response = post_upload(client, data, name, period=period)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReplyDraft.objects.exists()


def test_a_form_of_another_unit_is_refused_with_its_name(client, bureau_user, city, tasks):
    client.force_login(bureau_user)
    title = "青溪市工业和信息化局2022年第二季度政府工作报告目标任务完成情况"
    response = post_upload(client, fill_xlsx(unit_form(city["bureau"]), ANSWERS, title=title))
    assert response.status_code == 400
    assert "这是市工业和信息化局的报送表" in response.content.decode()


def test_discard_deletes_the_file(client, bureau_user, city, tasks, file_storage):
    client.force_login(bureau_user)
    post_upload(client, fill_xlsx(unit_form(city["bureau"]), ANSWERS))
    draft = ReplyDraft.objects.get()
    stored = file_storage / draft.file.name
    assert stored.exists()
    response = client.post(f"/replies/{draft.pk}/discard/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReplyDraft.Status.DISCARDED
    assert not stored.exists()
    assert client.post(f"/replies/{draft.pk}/confirm/", follow=True).status_code == 200
    assert not ProgressReport.objects.exists()


def test_a_unit_fetches_its_own_form_for_an_open_round(
    client, bureau_user, office_user, city, tasks
):
    from duban.supervision import rounds

    rounds.open_round(Q2)
    client.force_login(bureau_user)
    page = client.get("/replies/upload/").content.decode()
    assert "本单位的填报表" in page and "/replies/form/2022-Q2.xlsx" in page
    response = client.get("/replies/form/2022-Q2.xlsx")
    assert response.status_code == 200
    from duban.extraction.extract import extract

    read = extract(response.content, name="form.xlsx")
    assert read["document"]["period"] == "2022-Q2"
    led = rounds.due_targets(Q2).filter(lead_unit=city["bureau"])
    assert [i["number"] for i in read["items"]] == sorted(led.values_list("number", flat=True))
    assert "52" not in [i["number"] for i in read["items"]]  # the bureau only co-operates
    # A period without a round, or a format there is none of, is not found.
    assert client.get("/replies/form/2022-Q3.xlsx").status_code == 404
    assert client.get("/replies/form/2022-Q2.pdf").status_code == 404
    # Office staff fetch any unit's form from the round page instead.
    client.force_login(office_user)
    assert client.get("/replies/form/2022-Q2.xlsx").status_code == 403

"""The import preview says what the import will do with each item, lets the office choose
another target or a new one, and sets the document's defaults; the confirm does just that."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from duban.documents.models import ImportDraft
from duban.targets.models import ProgressReport, Target

from .test_import_views import PLAN, PROGRESS, draft_of, txt, upload

SECOND = (
    PROGRESS.replace("第一季度", "第二季度")
    .replace("第1季度目标", "第2季度目标")
    .replace("入库企业210家", "入库企业260家")
    .replace("摸底平台12家", "申报平台5家")
)


def confirm(client, draft, data=None):
    return client.post(reverse("documents:confirm", args=[draft.pk]), data or {})


def preview(client, draft):
    return client.get(draft.get_absolute_url()).content.decode()


@pytest.fixture
def first_quarter(office, city):
    upload(office, txt("q1.txt", PROGRESS))
    response = confirm(office, draft_of("q1.txt"))
    assert response.status_code == 302
    return {t.number: t for t in Target.objects.all()}


def test_a_later_quarter_is_shown_as_the_continuation_of_each_target(office, first_quarter):
    upload(office, txt("q2.txt", SECOND))
    draft = draft_of("q2.txt")
    page = preview(office, draft)
    for number, target in first_quarter.items():
        label = escape(f"与已有目标「{number}. {target.text[:37]}")
        assert label in page, number
    assert page.count("导入为2026年第二季度进展") == 2
    assert '将新建目标 <strong id="count-new">0</strong> 项' in page
    assert '延续已有目标 <strong id="count-continued">2</strong> 项' in page
    assert confirm(office, draft).status_code == 302
    assert Target.objects.count() == 2
    for target in Target.objects.all():
        assert sorted(target.reports.values_list("period", flat=True)) == ["2026-Q1", "2026-Q2"]


def test_the_office_can_make_an_item_new_instead(office, first_quarter):
    upload(office, txt("q2.txt", SECOND))
    draft = draft_of("q2.txt")
    row = next(i for i in draft.result["items"] if i.get("number") == "7")
    page = preview(office, draft)
    assert f'name="item-{row["id"]}-match"' in page and "作为新目标" in page
    response = confirm(office, draft, {"corrections": "1", f"item-{row['id']}-match": "new"})
    assert response.status_code == 302
    assert Target.objects.filter(number="7").count() == 2
    assert ProgressReport.objects.filter(target=first_quarter["7"], period="2026-Q2").count() == 0


def test_two_items_choosing_one_target_are_refused_with_a_message(office, first_quarter):
    upload(office, txt("q2.txt", SECOND))
    draft = draft_of("q2.txt")
    ids = [i["id"] for i in draft.result["items"]]
    target = first_quarter["7"]
    data = {"corrections": "1", **{f"item-{i}-match": str(target.pk) for i in ids}}
    response = confirm(office, draft, data)
    assert response.status_code == 400
    assert "对应同一个已有目标" in response.content.decode()
    assert not ProgressReport.objects.filter(period="2026-Q2").exists()
    assert draft_of("q2.txt").status == ImportDraft.Status.PENDING


def test_a_nonsense_choice_is_refused(office, first_quarter):
    upload(office, txt("q2.txt", SECOND))
    draft = draft_of("q2.txt")
    row = draft.result["items"][0]
    response = confirm(office, draft, {"corrections": "1", f"item-{row['id']}-match": "43;drop"})
    assert response.status_code == 400
    assert "请从列表中选择对应的目标" in response.content.decode()


def test_the_plan_defaults_are_prefilled_and_applied(office, city, leader):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    page = preview(office, draft)
    # The office's own unit leads what the document does not assign.
    assert draft.result["options"]["lead_unit"] == city["bureau"].pk
    assert "标题，不建目标" in page and "子目标" in page
    data = {"corrections": "1", "opt-leader": str(leader.pk), "opt-deadline": "11月底前"}
    response = confirm(office, draft, data)
    assert response.status_code == 302
    roots = Target.objects.filter(parent__isnull=True)
    assert roots.count() == 3
    assert {(t.lead_unit, t.leader) for t in roots} == {(city["bureau"], leader)}
    assert {t.deadline_text for t in roots} == {"11月底前"}
    assert {str(t.deadline) for t in roots} == {"2026-11-30"}


def test_a_level_chosen_in_the_preview_changes_what_becomes_a_target(office, city):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    response = office.post(draft.get_absolute_url(), {"corrections": "1", "opt-level": "point"})
    assert response.status_code == 302
    page = preview(office, draft)
    assert 'value="point" selected' in page
    assert confirm(office, draft).status_code == 302
    assert not Target.objects.filter(parent__isnull=False).exists()
    assert Target.objects.count() == 4  # the two points, and items 2 and 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("opt-deadline", "等通知", "看不出这是哪一天"),
        ("opt-lead_unit", "999999", "所选单位不存在或已停用"),
        ("opt-level", "paragraph", "选择一个有效的选项"),
    ],
)
def test_bad_defaults_are_refused_in_chinese_and_nothing_is_stored(
    office, city, field, value, message
):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    response = confirm(office, draft, {"corrections": "1", field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists()

"""Office staff upload a file, find an item's characters in the source, correct it, confirm."""

import pytest

from duban.documents.models import ImportDraft
from duban.targets.models import Target
from tests.conftest import PASSWORD

from .test_browse_targets import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 14


def progress_table() -> str:
    """A quarterly completion table of the fictional 白沙市, long enough to scroll."""
    header = ["序号", "年度目标", "第1季度目标", "是否完成", "具体工作进展", "责任单位"]
    lines = ["白沙市2026年第一季度重点任务完成情况", ""]
    lines += [f"\t{cell}" for cell in header] + [""]
    for n in range(1, ROWS + 1):
        lines += [
            f"\t{n}",
            f"\t实施白沙市第{n}批科技攻关项目，新增省级以上创新平台{n + 2}家以上。",
            f"\t完成第{n}批项目申报。",
            "\t完成",
            f"\t已组织{n * 10}家企业申报，召开推进会{n}次，项目评审工作按计划推进。",
            "\t市科技局",
            "",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def mark_is_in_view(page, selector) -> bool:
    return page.evaluate(
        """(selector) => {
            const mark = document.querySelector(selector);
            const pane = document.getElementById("source-text").getBoundingClientRect();
            const box = mark.getBoundingClientRect();
            return box.top >= pane.top && box.bottom <= pane.bottom
                && box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_preview_links_items_to_their_characters_then_confirm(
    page, live_server, office_user, city, storage, tmp_path
):
    path = tmp_path / "白沙市一季度完成情况.txt"
    path.write_text(progress_table(), encoding="utf-8")

    sign_in(page, live_server, "office", PASSWORD)
    page.click("nav.mainnav >> text=导入文件")
    page.set_input_files("input[type=file]", str(path))
    page.click("form.upload-form button[type=submit]")
    page.click("text=预览并确认")
    page.wait_for_selector("#source-text mark")
    draft = ImportDraft.objects.get()
    items = {item["number"]: item["id"] for item in draft.result["items"]}
    assert len(items) == ROWS

    last = items[str(ROWS)]
    first_mark = f'#source-text mark[data-item="{last}"]'
    assert not page.locator(f"{first_mark}.is-selected").count()
    assert not mark_is_in_view(page, f"#src-{last}"), "the last row starts out of view"
    page.click(f"#item-{last} .locate")
    page.wait_for_selector(f"#src-{last}.is-selected")
    assert "is-selected" in page.get_attribute(f"#item-{last}", "class")
    assert mark_is_in_view(page, f"#src-{last}")
    assert page.locator("#source-text mark.is-selected").count() >= 2, "its number too"

    # And the other way: a mark in the source selects its item in the list.
    page.click(f"#item-{items['1']} .locate")
    page.click(f"#src-{items['1']}")
    page.wait_for_selector(f"#item-{items['1']}.is-selected")
    assert not page.locator(f"#item-{last}.is-selected").count()

    # Correct one row's lead unit, leave another out, and confirm.
    second = items["2"]
    page.click(f"#item-{second} details.entry-edit summary")
    page.fill(f"input[name='item-{second}-lead_unit']", "市财政局")
    page.check(f"#item-{items['3']} input[name=exclude]")
    assert "excluded" in page.get_attribute(f"#src-{items['3']}", "class")
    page.click("#confirm-import")
    page.wait_for_url("**/targets/")
    assert f"新建目标 {ROWS - 1} 项" in page.inner_text(".messages")
    assert page.locator("table.ledger tbody tr").count() == ROWS - 1
    assert Target.objects.get(number="2").lead_unit == city["finance"]
    assert Target.objects.get(number="1").lead_unit == city["bureau"]
    assert not Target.objects.filter(number="3").exists()

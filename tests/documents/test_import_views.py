"""The import page: upload, preview with marks, corrections, confirm, discard."""

import os
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from duban.audit.models import AuditEvent
from duban.documents.models import ImportDraft, SourceDocument
from duban.documents.preview import indicator_label
from duban.extraction import containers
from duban.organisations.models import Person
from duban.targets.models import Indicator, Target

IMPORT_URL = "/documents/import/"

PLAN = """白沙市2026年科技工作要点

一、培育创新主体
1.壮大科技企业。高新技术企业总数达到320家，新增科技型中小企业150家以上。一是实施高企倍增计划。二是开展政策宣讲20场。
2.建设创新平台。新增省级以上创新平台8家以上。

二、集聚创新人才
3.引进高层次人才。全年引进领军人才30人左右。
"""

PROGRESS = """
白沙市2026年第一季度重点任务完成情况

\t序号
\t年度目标
\t第1季度目标
\t是否完成
\t具体工作进展
\t未完成原因
\t下步工作打算
\t市政府
分管领导
\t责任单位

\t7
\t高新技术企业总数达到320家。
\t启动高企培育库建设。
\t完成
\t入库企业210家。
\t无
\t组织申报辅导。
\t林副市长
\t市科技局

\t8
\t新增省级以上创新平台8家以上。
\t完成平台摸底。
\t完成
\t摸底平台12家。
\t无
\t指导平台申报。
\t林副市长
\t市科技局
市财政局

"""

# A table without a year anywhere: the office has to supply it before confirming.
GBK_TABLE = "\t序号\n\t年度目标\n\t责任单位\n\n\t1\n\t白沙市高新技术企业达到320家。\n\t市科技局\n\n"


def txt(name, text, encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")


def upload(client, *files):
    return client.post(IMPORT_URL, {"files": list(files)})


def draft_of(name) -> ImportDraft:
    return ImportDraft.objects.get(name=name)


def item_by_number(draft, number):
    return next(i for i in draft.result["items"] if i.get("number") == number)


class Marks(HTMLParser):
    """Collects the characters inside every <mark> of the source pane, by item and number."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: dict[str, str] = {}
        self.numbers: dict[str, str] = {}
        self.source = ""
        self._depth = 0  # inside the source pane's div
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("id") == "source-text":
            self._depth = 1
        elif self._depth and tag == "div":
            self._depth += 1
        elif self._depth and tag == "mark":
            self._open.append((attrs["data-item"], attrs.get("data-ind")))

    def handle_endtag(self, tag):
        if self._depth and tag == "mark":
            self._open.pop()
        elif self._depth and tag == "div":
            self._depth -= 1

    def handle_data(self, data):
        if not self._depth:
            return
        self.source += data
        for item, number in self._open:
            if number is None:
                self.items[item] = self.items.get(item, "") + data
            else:
                self.numbers[number] = self.numbers.get(number, "") + data


def squeeze(text: str) -> str:
    return "".join(text.split())


def marks_of(response) -> Marks:
    parser = Marks()
    parser.feed(response.content.decode())
    assert not parser._open, "every <mark> is closed"
    return parser


def test_login_required(client, office_user):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unit_user_gets_the_403_page(client, bureau_user):
    client.force_login(bureau_user)
    response = client.get(IMPORT_URL)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert upload(client, txt("plan.txt", PLAN)).status_code == 403
    assert not ImportDraft.objects.exists()
    assert "导入文件" not in client.get(reverse("targets:list")).content.decode()


def test_office_staff_see_the_nav_link_and_the_form(office):
    page = office.get(reverse("targets:list")).content.decode()
    assert f'href="{IMPORT_URL}"' in page and "导入文件" in page
    response = office.get(IMPORT_URL)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_a_seed_becomes_a_draft_whose_preview_marks_every_item_and_number(
    office, office_user, seeds_dir, seed
):
    path = next(seeds_dir.glob(f"{seed}_*.txt"))
    response = upload(office, SimpleUploadedFile(path.name, path.read_bytes()))
    assert response.status_code == 200
    draft = draft_of(path.name)
    assert draft.uploaded_by == office_user and draft.status == "pending"
    assert draft.file and default_storage.exists(draft.file.name)
    assert draft.get_absolute_url() in response.content.decode()

    preview = office.get(draft.get_absolute_url())
    assert preview.status_code == 200
    page, marks, result = preview.content.decode(), marks_of(preview), draft.result
    text = result["text"]
    assert marks.source == text, "the source pane shows the whole text, unchanged"
    for item in result["items"]:
        start, end = item["span"]
        if start < end:
            assert marks.items[item["id"]] == text[start:end]
            # The item's text is the marked characters (a PDF's line breaks joined up).
            assert squeeze(item["text"])[:12] in squeeze(marks.items[item["id"]])
        for n, found in enumerate(item["indicators"]):
            start, end = found["span"]
            assert marks.numbers[f"{item['id']}-{n}"] == text[start:end]
            assert escape(indicator_label(found)) in page
    assert not SourceDocument.objects.exists() and not Target.objects.exists()


def test_several_files_at_once_each_get_their_own_answer(office):
    response = upload(
        office,
        txt("plan.txt", PLAN),
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("x.docx", os.urandom(4000)),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "empty.txt</strong>：文件为空" in page
    assert "x.docx</strong>：文件已损坏，无法作为 Word 文档读取" in page
    assert list(ImportDraft.objects.values_list("name", flat=True)) == ["plan.txt"]
    assert draft_of("plan.txt").get_absolute_url() in page


def test_an_empty_file_is_refused(office):
    response = upload(office, SimpleUploadedFile("empty.txt", b""))
    assert response.status_code == 400
    assert "文件为空" in response.content.decode()
    assert not ImportDraft.objects.exists() and not Target.objects.exists()


def test_no_file_chosen(office):
    response = office.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert "请选择要导入的文件" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_a_corrupt_docx_is_refused_without_a_traceback(office):
    response = upload(office, SimpleUploadedFile("x.docx", os.urandom(4000)))
    page = response.content.decode()
    assert response.status_code == 400
    assert "文件已损坏，无法作为 Word 文档读取" in page
    assert "Traceback" not in page
    assert not ImportDraft.objects.exists() and not Target.objects.exists()


def test_an_unsupported_file_is_refused(office):
    response = upload(office, SimpleUploadedFile("tool.exe", b"MZ\x90\x00 not a document"))
    assert response.status_code == 400
    assert "无法识别的文件格式：.exe" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_a_file_over_the_size_limit_is_refused(office, monkeypatch):
    monkeypatch.setattr(containers, "MAX_FILE_SIZE", 1024 * 1024)
    big = PLAN + "。" * (1024 * 1024 // 3)
    response = upload(office, txt("big.txt", big))
    assert response.status_code == 400
    assert "文件过大（超过 1 MB）" in response.content.decode()
    assert not ImportDraft.objects.exists() and not Target.objects.exists()


def test_a_gbk_text_is_read_and_needs_a_year_before_it_is_imported(office, city):
    response = upload(office, txt("gbk.txt", GBK_TABLE, encoding="gbk"))
    assert response.status_code == 200
    draft = draft_of("gbk.txt")
    assert draft.result["document"]["year"] is None
    preview = office.get(draft.get_absolute_url()).content.decode()
    assert "白沙市高新技术企业达到320家。" in preview

    confirm = reverse("documents:confirm", args=[draft.pk])
    refused = office.post(confirm, {"corrections": "1"})
    assert refused.status_code == 400
    assert "年度：请填写年度" in refused.content.decode()
    assert not Target.objects.exists() and not SourceDocument.objects.exists()

    done = office.post(confirm, {"corrections": "1", "doc-year": "2026"})
    assert done.status_code == 302
    target = Target.objects.get()
    assert (target.year, target.lead_unit) == (2026, city["bureau"])


def test_corrections_are_saved_into_the_draft_in_the_contracts_shape(office, city):
    upload(office, txt("progress.txt", PROGRESS))
    draft = draft_of("progress.txt")
    row8 = item_by_number(draft, "8")
    prefix = f"item-{row8['id']}"
    response = office.post(
        draft.get_absolute_url(),
        {
            "corrections": "1",
            "doc-title": "白沙市2026年一季度重点任务完成情况（更正）",
            f"{prefix}-lead_unit": "",
            f"{prefix}-co_units": "市财政局，市工业和信息化局、 市科技局",
            f"{prefix}-deadline": "6月底",
            f"{prefix}-leaders": "林副市长",  # unchanged
        },
    )
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    row8 = item_by_number(draft, "8")
    assert "lead_unit" not in row8["fields"], "a blanked field is removed, not set to ''"
    assert row8["fields"]["co_units"] == ["市财政局", "市工业和信息化局", "市科技局"]
    assert row8["fields"]["deadline"] == "6月底"
    assert row8["fields"]["leaders"] == ["林副市长"]
    assert draft.result["document"]["title"] == "白沙市2026年一季度重点任务完成情况（更正）"
    row7 = item_by_number(draft, "7")
    assert row7["fields"]["lead_unit"] == "市科技局", "fields not sent are left as they were"
    assert "已保存更正" in office.get(draft.get_absolute_url()).content.decode()


def test_excluding_an_item_excludes_its_children_and_corrections_apply_on_confirm(office, city):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    headings = [i for i in draft.result["items"] if i["kind"] == "heading"]
    heading = headings[-1]  # 二、集聚创新人才
    talent = item_by_number(draft, "3")
    assert talent["parent"] == heading["id"]
    companies = item_by_number(draft, "1")
    prefix = f"item-{companies['id']}"
    response = office.post(
        reverse("documents:confirm", args=[draft.pk]),
        {
            "corrections": "1",
            "exclude": [heading["id"]],
            f"{prefix}-lead_unit": "市财政局",
            f"{prefix}-co_units": "市工业和信息化局、市科技局",
            f"{prefix}-leaders": "王副市长",
        },
    )
    assert response.status_code == 302 and response.url == reverse("targets:list")
    texts = set(Target.objects.values_list("text", flat=True))
    assert heading["text"] not in texts and talent["text"] not in texts
    target = Target.objects.get(text=companies["text"])
    assert target.lead_unit == city["finance"]
    assert set(target.co_units.all()) == {city["industry"], city["bureau"]}
    assert target.leader == Person.objects.get(name="王副市长", role="leader")
    assert not Indicator.objects.filter(subject="领军人才").exists()
    draft.refresh_from_db()
    assert draft.status == "imported" and draft.document is not None
    # The numbered items are the targets; headings are not.
    expected = sum(
        1
        for i in draft.result["items"]
        if i["kind"] not in ("part", "heading") and i["id"] not in (heading["id"], talent["id"])
    )
    assert Target.objects.count() == expected
    listing = office.get(response.url).content.decode()
    roots = Target.objects.filter(parent__isnull=True).count()
    summary = (
        f"已导入《白沙市2026年科技工作要点》：新建目标 {roots} 项，子目标 {expected - roots} 项"
    )
    assert summary in listing


def test_a_saved_exclusion_is_shown_and_can_be_undone(office):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    heading = [i for i in draft.result["items"] if i["kind"] == "heading"][-1]
    talent = item_by_number(draft, "3")
    office.post(draft.get_absolute_url(), {"corrections": "1", "exclude": heading["id"]})
    draft.refresh_from_db()
    assert [i["id"] for i in draft.result["items"] if i.get("excluded")] == [heading["id"]]
    assert talent["id"] not in {i["id"] for i in draft.result_for_import()["items"]}

    page = office.get(draft.get_absolute_url()).content.decode()
    assert f'name="exclude" value="{heading["id"]}" checked' in page
    child = page[page.index(f'id="item-{talent["id"]}"') :]
    assert child.index("随上级排除") < child.index("</li>")
    assert "已排除 <strong>2</strong> 项" in page
    assert f'class="src src-item kind-item excluded" data-item="{talent["id"]}"' in page

    office.post(draft.get_absolute_url(), {"corrections": "1"})
    draft.refresh_from_db()
    assert not any(i.get("excluded") for i in draft.result["items"])


def test_a_bad_year_or_period_is_refused_with_a_message_and_nothing_is_written(office):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    before = draft.result
    companies = item_by_number(draft, "1")
    bad = {
        "corrections": "1",
        "doc-year": "1899",
        "doc-period": "2026-Q5",
        f"item-{companies['id']}-lead_unit": "市财政局",
    }
    for url in (draft.get_absolute_url(), reverse("documents:confirm", args=[draft.pk])):
        response = office.post(url, bad)
        page = response.content.decode()
        assert response.status_code == 400
        assert "年度应在 1990 至 2100 之间" in page
        assert "期次格式应为 2022、2022-Q1、2022-H1 或 2022-M03" in page
        assert 'value="1899"' in page, "the form shows what was typed"
        draft.refresh_from_db()
        assert draft.result == before and draft.status == "pending"
    assert not Target.objects.exists() and not SourceDocument.objects.exists()

    response = office.post(draft.get_absolute_url(), {"corrections": "1", "doc-year": "二〇二六"})
    assert response.status_code == 400
    assert "年度应为四位数字" in response.content.decode()


def test_confirm_creates_targets_whose_spans_point_at_the_right_characters(office, city):
    upload(office, txt("progress.txt", PROGRESS))
    draft = draft_of("progress.txt")
    text = draft.result["text"]
    row7 = item_by_number(draft, "7")
    response = office.post(
        reverse("documents:confirm", args=[draft.pk]),
        {"corrections": "1", f"item-{row7['id']}-text": "高新技术企业总数达到330家。"},
    )
    assert response.status_code == 302
    document = SourceDocument.objects.get()
    assert document.text == text and document.imported_by.username == "office"
    assert document.file and document.file.read() == PROGRESS.encode()
    for item in draft.result["items"]:
        target = Target.objects.get(number=item["number"])
        assert target.source_text == text[item["span"][0] : item["span"][1]]
        for found in item["indicators"]:
            indicator = Indicator.objects.get(source_document=document, span_start=found["span"][0])
            assert indicator.source_text == text[found["span"][0] : found["span"][1]]
    edited = Target.objects.get(number="7")
    assert edited.text == "高新技术企业总数达到330家。"
    assert edited.source_text == "高新技术企业总数达到320家。", "spans are kept as they were"
    assert "已导入《白沙市2026年第一季度重点任务完成情况》：新建目标 2 项" in (
        office.get(reverse("targets:list")).content.decode()
    )
    draft.refresh_from_db()
    assert not draft.file, "the document keeps its own copy of the bytes"


def test_the_importer_records_the_uploader_as_the_actor(office, office_user):
    upload(office, txt("progress.txt", PROGRESS))
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    office.post(reverse("documents:confirm", args=[draft_of("progress.txt").pk]))
    events = AuditEvent.objects.filter(pk__gt=before)
    assert events.exists()
    assert {(e.actor, e.channel) for e in events} == {(office_user, "web")}


def test_a_summarys_items_are_achievements_not_targets(office):
    mixed = (
        "白沙市2025年科技工作总结\n\n一、科技企业加快成长\n"
        "1.高新技术企业稳步增加。全市高新技术企业总量达到286家。\n"
    )
    upload(office, txt("summary.txt", mixed))
    draft = draft_of("summary.txt")
    assert draft.result["document"]["genre"] == "summary"
    page = office.get(draft.get_absolute_url()).content.decode()
    assert "成绩，不建目标" in page
    assert "达到286家" in page
    response = office.post(reverse("documents:confirm", args=[draft.pk]), {"corrections": "1"})
    assert response.status_code == 302
    assert not Target.objects.exists()
    achieved = Indicator.objects.get(value=286)
    assert achieved.target is None and achieved.source_text.endswith("286家")


def test_the_same_file_twice_says_it_is_already_imported(office):
    upload(office, txt("plan.txt", PLAN))
    office.post(reverse("documents:confirm", args=[draft_of("plan.txt").pk]))
    document = SourceDocument.objects.get()
    targets = Target.objects.count()

    response = upload(office, txt("again.txt", PLAN))
    page = response.content.decode()
    assert response.status_code == 200
    assert "again.txt</strong>：此文件已于" in page and "导入过，不再重复导入" in page
    assert reverse("admin:documents_sourcedocument_change", args=[document.pk]) in page
    assert ImportDraft.objects.count() == 1 and Target.objects.count() == targets


def test_the_same_file_while_a_draft_is_pending_leads_to_that_draft(office):
    upload(office, txt("plan.txt", PLAN))
    response = upload(office, txt("plan-copy.txt", PLAN))
    assert "已有待确认的草稿" in response.content.decode()
    assert draft_of("plan.txt").get_absolute_url() in response.content.decode()
    assert ImportDraft.objects.count() == 1


def test_confirming_twice_does_nothing_the_second_time(office):
    upload(office, txt("plan.txt", PLAN))
    confirm = reverse("documents:confirm", args=[draft_of("plan.txt").pk])
    office.post(confirm, {"corrections": "1"})
    counts = (Target.objects.count(), Indicator.objects.count(), SourceDocument.objects.count())
    again = office.post(confirm, {"corrections": "1", "doc-year": "2030"})
    assert again.status_code == 302
    assert (
        Target.objects.count(),
        Indicator.objects.count(),
        SourceDocument.objects.count(),
    ) == counts
    assert "已经导入，无需再次确认" in office.get(again.url).content.decode()
    saved = office.post(draft_of("plan.txt").get_absolute_url(), {"corrections": "1"})
    assert saved.status_code == 302
    assert SourceDocument.objects.get().year == 2026


def test_another_users_draft_is_not_found(office, client, city):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    other = get_user_model().objects.create_user("office2", password="x", is_staff=True)
    Person.objects.create(name="督查员乙", role="office", organisation=city["bureau"], user=other)
    client.force_login(other)
    assert client.get(draft.get_absolute_url()).status_code == 404
    for name in ("confirm", "discard"):
        response = client.post(reverse(f"documents:{name}", args=[draft.pk]))
        assert response.status_code == 404
        assert "没有找到这份导入草稿" in response.content.decode()
    assert client.post(draft.get_absolute_url(), {"corrections": "1"}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "pending" and not Target.objects.exists()
    assert "plan.txt" not in client.get(IMPORT_URL).content.decode()


def test_discard_deletes_the_file_and_the_draft_cannot_be_imported(office, storage):
    upload(office, txt("plan.txt", PLAN))
    draft = draft_of("plan.txt")
    stored = storage / draft.file.name
    assert stored.exists()
    response = office.post(reverse("documents:discard", args=[draft.pk]))
    assert response.status_code == 302 and response.url == IMPORT_URL
    draft.refresh_from_db()
    assert draft.status == "discarded" and not draft.file and not stored.exists()
    page = office.get(IMPORT_URL).content.decode()
    assert "已放弃《白沙市2026年科技工作要点》" in page
    assert "没有待确认的草稿" in page

    confirm = office.post(reverse("documents:confirm", args=[draft.pk]))
    assert confirm.status_code == 302 and not Target.objects.exists()
    preview = office.get(draft.get_absolute_url()).content.decode()
    assert "已放弃" in preview and "确认导入" not in preview


def test_the_source_text_is_escaped(office):
    hostile = (
        '白沙市2026年科技工作要点\n\n1.<script>alert("x")</script>高新技术企业达到320家。\n'
        "2.<img src=x onerror=alert(1)>新增平台8家以上。\n"
    )
    upload(office, txt("hostile.txt", hostile))
    draft = draft_of("hostile.txt")
    response = office.get(draft.get_absolute_url())
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert marks_of(response).source == draft.result["text"]


def test_confirm_only_by_post(office):
    upload(office, txt("plan.txt", PLAN))
    response = office.get(reverse("documents:confirm", args=[draft_of("plan.txt").pk]))
    assert response.status_code == 405
    assert not Target.objects.exists()


class FormFields(HTMLParser):
    """The name/value pairs a browser without scripts would send for the preview's form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.pairs.append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.pairs.append((self._textarea, ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.pairs.append((self._select, a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.pairs[-1]
            self.pairs[-1] = (name, value + data)


def test_a_long_document_imports_without_scripts(office, city):
    lines = ["白沙市2026年科技工作要点", "", "一、重点任务"]
    lines += [f"{n}.推进第{n}项工作。全年完成{n * 10}项。" for n in range(1, 161)]
    upload(office, txt("long-plan.txt", "\n".join(lines) + "\n"))
    draft = draft_of("long-plan.txt")
    preview = office.get(draft.get_absolute_url()).content.decode()
    parser = FormFields()
    parser.feed(preview)
    assert len(parser.pairs) > 1000, "more inputs than Django's default limit"
    data: dict[str, list[str]] = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value.removeprefix("\n"))
    data["doc-year"] = ["2026"]
    response = office.post(reverse("documents:confirm", args=[draft.pk]), data)
    assert response.status_code == 302
    # The numbered items are the targets, their heading is not.
    assert Target.objects.filter(parent__isnull=True).count() == 160
    assert not Target.objects.filter(text="重点任务").exists()


def test_a_file_name_with_a_line_break_is_shown_on_one_line(office, office_user):
    # The test client cannot send such a name in a multipart header; the view reads each upload
    # with read_upload, so the name is given to it directly.
    from duban.documents.forms import read_upload

    outcome = read_upload(SimpleUploadedFile("坏\n文件\u202e.txt", b""), office_user)
    assert (outcome.name, outcome.error) == ("坏 文件 .txt", "文件为空")
    outcome = read_upload(txt("计划\r\n2026.txt", PLAN), office_user)
    assert outcome.draft.name == "计划 2026.txt"


def test_a_utf8_file_with_a_few_broken_bytes_is_previewed_with_a_warning(office):
    data = PLAN.encode()
    at = data.index("培育".encode())
    response = upload(office, SimpleUploadedFile("plan.txt", data[:at] + b"\xff" + data[at:]))
    assert response.status_code in (200, 302)
    draft = draft_of("plan.txt")
    assert "\ufffd培育创新主体" in draft.result["text"]
    preview = office.get(draft.get_absolute_url()).content.decode()
    assert "读取文件时发现问题" in preview
    assert "1 处无法识别的字节" in preview
    plain = office.get(draft_of_clean(office).get_absolute_url()).content.decode()
    assert "读取文件时发现问题" not in plain


def draft_of_clean(office):
    upload(office, txt("clean.txt", PLAN.replace("白沙市", "黑水市")))
    return draft_of("clean.txt")

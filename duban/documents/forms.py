"""Forms of the import page: the upload, and the corrections made on a draft's preview.

Corrections are written into the draft's extraction result without changing its shape (see
docs/extraction-contract.md): spans stay as they were, and a field left blank is removed from
``fields`` rather than set to "". A field the browser does not send counts as unchanged, so the
preview's script sends only what the person changed: a long document has more inputs than
Django accepts in one request (DATA_UPLOAD_MAX_NUMBER_FIELDS, 1000).
"""

import copy
import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from duban.extraction import containers
from duban.extraction.containers import ReadError, errors
from duban.extraction.isolated import extract_isolated
from duban.organisations.models import Organisation, Person, person_of
from duban.targets.deadlines import parse_deadline
from duban.targets.models import SourceCategory
from duban.web.threads import waiting_elsewhere

from .models import Genre, ImportDraft, SourceDocument, validate_period
from .planning import DEFAULT_LEVEL, LEVEL_CHOICES, options_of

logger = logging.getLogger(__name__)

MAX_FILES = 20
_NAME_SEPARATORS = re.compile(r"[,，、;；]+")
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def split_names(value: str) -> list[str]:
    """市发展改革委、市财政局, 市教育局 → three names."""
    return [name.strip() for name in _NAME_SEPARATORS.split(value or "") if name.strip()]


# The upload ---------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each is judged on its own when it is read, not here."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise ValidationError(f"一次最多上传 {MAX_FILES} 个文件", code="too_many")
        return files


@dataclass
class UploadOutcome:
    """What became of one uploaded file."""

    name: str
    draft: ImportDraft | None = None
    document: SourceDocument | None = None  # the same file, imported before
    error: str = ""
    earlier_draft: bool = False  # the uploader already has a pending draft of this file


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="选择文件",
        error_messages={"required": "请选择要导入的文件"},
        widget=MultipleFileInput(
            attrs={"accept": ".txt,.md,.html,.htm,.docx,.xlsx,.pdf", "multiple": True}
        ),
    )

    def save(self, user) -> list[UploadOutcome]:
        return [read_upload(upload, user) for upload in self.cleaned_data["files"]]


def _stored_name(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    return uuid.uuid4().hex + (suffix if _SAFE_SUFFIX.match(suffix) else "")


def read_upload(upload, user) -> UploadOutcome:
    """Reads one uploaded file into a draft, or says in Chinese why it cannot be read."""
    # One line: the name is shown in messages and lists (a name may hold a line break).
    name = errors.one_line(PurePath(upload.name or "").name)[:255] or "未命名文件"
    limit = containers.MAX_FILE_SIZE
    if not upload.size:
        return UploadOutcome(name, error=str(errors.empty()))
    if upload.size > limit:
        return UploadOutcome(name, error=str(errors.too_large(limit)))
    data = b"".join(upload.chunks())
    sha256 = hashlib.sha256(data).hexdigest()
    document = SourceDocument.objects.filter(sha256=sha256).first()
    if document is not None:
        return UploadOutcome(name, document=document)
    earlier = ImportDraft.objects.filter(
        uploaded_by=user, sha256=sha256, status=ImportDraft.Status.PENDING
    ).first()
    if earlier is not None:
        return UploadOutcome(name, draft=earlier, earlier_draft=True)
    try:
        # In a child process with a memory and CPU limit: no upload can take the server down.
        with waiting_elsewhere():  # another thread serves meanwhile (duban.web.threads)
            result = extract_isolated(data, name=name)
    except ReadError as exc:
        return UploadOutcome(name, error=str(exc))
    except Exception:  # the extractor promises ReadError only; one bad file must not stop a batch
        logger.exception("extracting an uploaded file failed: %s", name)
        return UploadOutcome(name, error="无法读取文件内容")
    result["options"] = initial_options(result, user)
    draft = ImportDraft(uploaded_by=user, name=name, sha256=sha256, result=result)
    draft.file.save(_stored_name(name), ContentFile(data), save=False)
    try:
        with transaction.atomic():
            draft.save()
    except Exception:  # a result the database refuses must not leave its file behind
        logger.exception("storing the draft of an uploaded file failed: %s", name)
        draft.file.delete(save=False)
        return UploadOutcome(name, error="无法保存提取结果，请检查文件内容")
    return UploadOutcome(name, draft=draft)


def initial_options(result: dict, user) -> dict:
    """What the preview proposes before anyone changes it: the numbered items tracked, the
    answers a table prints taken as the office's record, and, for a task that names no lead
    unit, the unit the document comes from, else the importing office's own unit."""
    issuer = (result.get("document") or {}).get("issuer")
    unit = Organisation.find_by_name(issuer) if issuer else None
    if unit is None:
        person = person_of(user)
        unit = person.organisation if person is not None else None
    return {
        "level": DEFAULT_LEVEL,
        "lead_unit": unit.pk if unit is not None else "",
        "leader": "",
        "deadline": "",
        "source_category": "",
        "answers": "accepted",
    }


# Corrections ---------------------------------------------------------------------------------


class _Line(forms.CharField):
    """One line of text. Line breaks a table export left in a value are not a change: browsers
    drop them from single-line inputs."""

    def to_python(self, value):
        return re.sub(r"[\r\n]+", "", super().to_python(value)).strip()

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class _Text(forms.CharField):
    """Several lines; the browser's \\r\\n line breaks and outer blanks are not a change."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n").strip()

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


def _merged(data, prefix: str, initial: dict) -> dict:
    """The submitted values, with the initial value for every field that was not sent."""
    merged = {}
    for name, value in initial.items():
        key = f"{prefix}-{name}"
        merged[key] = data.get(key, "" if value is None else value)
    return merged


class DraftDocumentForm(forms.Form):
    title = _Line(label="标题", max_length=300, required=False)
    genre = forms.ChoiceField(
        label="类型",
        choices=Genre.choices,
        error_messages={"invalid_choice": "“%(value)s”不是有效的文件类型"},
    )
    issuer = _Line(label="发文单位", max_length=200, required=False)
    year = forms.IntegerField(
        label="年度",
        min_value=1990,
        max_value=2100,
        error_messages={
            "required": "请填写年度",
            "invalid": "年度应为四位数字，如 2022",
            "min_value": "年度应在 1990 至 2100 之间",
            "max_value": "年度应在 1990 至 2100 之间",
        },
    )
    period = _Line(
        label="期次",
        max_length=10,
        required=False,
        validators=[validate_period],
        help_text="如 2022-Q1（季度）、2022-H1（半年）、2022-M03（月）；全年可不填",
        error_messages={"max_length": "期次格式应为 2022、2022-Q1、2022-H1 或 2022-M03"},
    )

    def __init__(self, document: dict, data=None):
        document = document or {}
        genre = document.get("genre")
        initial = {
            "title": document.get("title") or "",
            "genre": genre if genre in Genre.values else Genre.UNKNOWN,
            "issuer": document.get("issuer") or "",
            "year": document.get("year"),
            "period": document.get("period") or "",
        }
        if data is not None:
            data = _merged(data, "doc", initial)
        super().__init__(data=data, initial=initial, prefix="doc")

    def clean(self):
        data = super().clean()
        year, period = data.get("year"), data.get("period")
        if year and period and not period.startswith(str(year)):
            self.add_error("period", f"期次应属于 {year} 年，如 {year}-Q1")
        return data

    def apply(self, result: dict) -> None:
        old = dict(result.get("document") or {})
        data = self.cleaned_data
        result["document"] = {
            **old,
            "title": data["title"] or None,
            "genre": data["genre"],
            "issuer": data["issuer"] or None,
            "year": data["year"],
            "period": data["period"] or None,
        }
        # Items (and numbers) that took the document's year or genre follow its correction;
        # those that print a year or a genre of their own (a summary part) keep theirs.
        for item in result.get("items") or []:
            if old.get("year") != data["year"] and item.get("year") == old.get("year"):
                item["year"] = data["year"]
                for found in item.get("indicators") or []:
                    if found.get("year") == old.get("year"):
                        found["year"] = data["year"]
            if old.get("genre") != data["genre"] and item.get("genre") == old.get("genre"):
                item["genre"] = data["genre"]


class DraftOptionsForm(forms.Form):
    """How the document starts the loop: which level is tracked, and the lead unit, leader,
    deadline and source every item takes unless it says otherwise."""

    level = forms.ChoiceField(label="作为目标的层级", choices=LEVEL_CHOICES)
    lead_unit = forms.ModelChoiceField(
        label="默认牵头单位",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        empty_label="（按原文，未写则不设）",
        help_text="原文未写牵头单位的条目，由此单位牵头",
        error_messages={"invalid_choice": "所选单位不存在或已停用，请重新选择"},
    )
    leader = forms.ModelChoiceField(
        label="默认分管领导",
        queryset=Person.objects.filter(role=Person.Role.LEADER, is_active=True),
        required=False,
        empty_label="（按原文，未写则不设）",
        error_messages={"invalid_choice": "所选领导不存在，请重新选择"},
    )
    deadline = _Line(
        label="默认完成时限",
        max_length=100,
        required=False,
        help_text="原文未写时限的条目，如 年底前、6月底前、2022-12-31、持续推进",
    )
    source_category = forms.ChoiceField(
        label="任务来源",
        choices=[("", "（按原文或文件类型判断）"), *SourceCategory.choices],
        required=False,
    )
    answers = forms.ChoiceField(
        label="文件中的进展",
        choices=[
            ("accepted", "作为本期已审核的记录（以本文件为依据）"),
            ("submitted", "作为待审核的报送，逐项审核"),
        ],
    )

    def __init__(self, result: dict, data=None):
        options = options_of(result)
        initial = {
            "level": options["level"],
            "lead_unit": options.get("lead_unit") or "",
            "leader": options.get("leader") or "",
            "deadline": options.get("deadline") or "",
            "source_category": options.get("source_category") or "",
            "answers": options.get("answers") or "accepted",
        }
        if data is not None:
            data = _merged(data, "opt", initial)
        super().__init__(data=data, initial=initial, prefix="opt")
        self.year = (result.get("document") or {}).get("year")

    def clean_deadline(self):
        text = self.cleaned_data["deadline"]
        if not text or any(word in text for word in ("持续", "长期")):
            return text
        if parse_deadline(text, self.year or 2000) is None:
            raise ValidationError("看不出这是哪一天，请写成 年底前、6月底前 或 2022-12-31")
        return text

    def apply(self, result: dict) -> None:
        data = self.cleaned_data
        result["options"] = {
            "level": data["level"],
            "lead_unit": data["lead_unit"].pk if data["lead_unit"] else "",
            "leader": data["leader"].pk if data["leader"] else "",
            "deadline": data["deadline"],
            "source_category": data["source_category"],
            "answers": data["answers"],
        }


def is_editable(item: dict) -> bool:
    """Parts are dividers and a summary's items are achievements: neither becomes a target."""
    return item.get("kind") != "part" and item.get("genre") != Genre.SUMMARY


class ItemCorrectionForm(forms.Form):
    number = _Line(label="编号", max_length=30, required=False)
    title = _Line(label="标题", max_length=300, required=False)
    text = _Text(label="目标内容", required=False, widget=forms.Textarea)
    deadline = _Line(label="完成时限", max_length=100, required=False)
    lead_unit = _Line(label="牵头单位", max_length=100, required=False)
    co_units = _Line(
        label="协办单位", max_length=2000, required=False, help_text="多个单位用“、”或逗号分隔"
    )
    leaders = _Line(
        label="分管领导", max_length=500, required=False, help_text="多人时用“、”分隔，第一位为主"
    )
    category = _Line(label="目标类别", max_length=50, required=False)
    match = _Line(label="对应目标", max_length=20, required=False)

    def __init__(self, item: dict, data=None):
        fields = item.get("fields") or {}
        initial = {
            "match": str(item.get("match") or ""),
            "number": item.get("number") or "",
            "title": item.get("title") or "",
            "text": item.get("text") or "",
            "deadline": fields.get("deadline") or "",
            "lead_unit": fields.get("lead_unit") or "",
            "co_units": "、".join(fields.get("co_units") or []),
            "leaders": "、".join(fields.get("leaders") or []),
            "category": fields.get("category") or "",
        }
        prefix = f"item-{item.get('id')}"
        if data is not None:
            data = _merged(data, prefix, initial)
        super().__init__(data=data, initial=initial, prefix=prefix)
        self.item = item

    def clean(self):
        data = super().clean()
        # Only what the person changed is checked: a value stored as extracted stays as it is
        # (the importer fits it to the database), so an over-long cell never blocks a preview.
        for name in list(self._errors):
            if name not in self.changed_data:
                del self._errors[name]
        return data

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text and self.initial.get("text"):
            raise ValidationError("目标内容不能为空")
        return text

    def clean_match(self):
        value = self.cleaned_data["match"]
        if value not in ("", "new") and not value.isdigit():
            raise ValidationError("请从列表中选择对应的目标，或选择作为新目标")
        return value

    def clean_co_units(self):
        names = split_names(self.cleaned_data["co_units"])
        if any(len(name) > 100 for name in names):
            raise ValidationError("单位名称不能超过 100 个字")
        return names

    def clean_leaders(self):
        names = split_names(self.cleaned_data["leaders"])
        if any(len(name) > 50 for name in names):
            raise ValidationError("姓名不能超过 50 个字")
        return names

    def apply(self, item: dict) -> None:
        """Writes the changed values into the item, in the contract's shape."""
        fields = item.setdefault("fields", {})
        for name in self.changed_data:
            value = self.cleaned_data[name]
            if name == "match":
                if value:
                    item["match"] = value
                else:
                    item.pop("match", None)
            elif name in ("number", "title"):
                item[name] = value or None
            elif name == "text":
                item["text"] = value
            elif value:
                fields[name] = value
            else:
                fields.pop(name, None)

    @property
    def label(self) -> str:
        """How the error summary names the item: 【43 实施科技企业梯次培育…】."""
        words = self.item.get("title") or self.item.get("text") or ""
        if len(words) > 15:
            words = words[:15] + "…"
        return f"【{' '.join(w for w in (self.item.get('number') or '', words) if w)}】"


class DraftCorrections:
    """Everything the preview's form corrects: the document's metadata, which items are left
    out (leaving one out leaves out everything under it), and each item's values."""

    def __init__(self, result: dict, data=None):
        self.result = result
        items = result.get("items") or []
        self.document_form = DraftDocumentForm(result.get("document"), data)
        self.options_form = DraftOptionsForm(result, data)
        if data is None:
            self.excluded = {str(item.get("id")) for item in items if item.get("excluded")}
        else:
            ids = {str(item.get("id")) for item in items}
            self.excluded = {value for value in data.getlist("exclude") if value in ids}
        self.item_forms = {
            str(item.get("id")): ItemCorrectionForm(item, data)
            for item in items
            if is_editable(item)
        }

    def is_valid(self) -> bool:
        results = [self.document_form.is_valid(), self.options_form.is_valid()]
        results += [form.is_valid() for form in self.item_forms.values()]
        return all(results)

    @property
    def error_list(self) -> list[str]:
        """Every problem, one line each, for the summary above the form."""
        lines = []
        for form in (self.document_form, self.options_form):
            for field, messages in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                lines += [f"{label}：{m}" if label else m for m in messages]
        for form in self.item_forms.values():
            for field, messages in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                lines += [f"{form.label}{label}：{m}" for m in messages]
        return lines

    def for_display(self) -> dict:
        """The result as it stands, with the submitted choice of items left out."""
        shown = dict(self.result)
        if self.options_form.is_bound and self.options_form.is_valid():
            self.options_form.apply(shown)
        shown["items"] = [
            {**item, "excluded": str(item.get("id")) in self.excluded}
            for item in self.result.get("items") or []
        ]
        return shown

    def corrected(self) -> dict:
        """A corrected copy of the result; call after is_valid()."""
        result = copy.deepcopy(self.result)
        self.document_form.apply(result)
        self.options_form.apply(result)
        for item in result.get("items") or []:
            item_id = str(item.get("id"))
            if item_id in self.excluded:
                item["excluded"] = True
            else:
                item.pop("excluded", None)
            form = self.item_forms.get(item_id)
            if form is not None:
                form.apply(item)
        return result

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Greatest, Length, Substr
from django.urls import reverse
from django.utils import timezone

PERIOD_PATTERN = r"^\d{4}(-(Q[1-4]|H[12]|M(0[1-9]|1[0-2])))?$"
validate_period = RegexValidator(PERIOD_PATTERN, "期次格式应为 2022、2022-Q1、2022-H1 或 2022-M03")


class Genre(models.TextChoices):
    PLAN = "plan", "工作要点/计划"
    SUMMARY = "summary", "工作总结"
    PROGRESS = "progress", "完成情况表"
    GOALS = "goals", "业务目标表"
    COMMITMENTS = "commitments", "公开承诺事项"
    MIXED = "mixed", "多份文件合编"
    UNKNOWN = "unknown", "未识别"


class SourceDocument(models.Model):
    """A document as the office received it, with the plain text every span indexes into."""

    name = models.CharField("文件名", max_length=255)
    file = models.FileField("原文件", upload_to="documents/%Y/", blank=True)
    format = models.CharField("格式", max_length=10)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    title = models.CharField("标题", max_length=300, blank=True)
    genre = models.CharField("类型", max_length=20, choices=Genre.choices, default=Genre.UNKNOWN)
    issuer = models.CharField("发文单位", max_length=200, blank=True)
    issuer_org = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="发文单位（已识别）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    period = models.CharField("期次", max_length=10, blank=True, validators=[validate_period])
    text = models.TextField("提取文本")
    previous_version = models.ForeignKey(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newer_versions",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    audit_exclude = ("text",)

    class Meta:
        verbose_name = "来源文件"
        verbose_name_plural = "来源文件"
        ordering = ["-imported_at"]

    def __str__(self):
        return self.title or self.name


EXCERPT_CONTEXT = 120


@dataclass(frozen=True)
class Excerpt:
    """A span of a document with some context either side, for showing where a value came from."""

    before: str
    selected: str
    after: str
    start: int
    end: int
    clipped_before: bool
    clipped_after: bool


class Grounded(models.Model):
    """Something read from a document: it remembers the document and the characters."""

    source_document = models.ForeignKey(
        SourceDocument,
        verbose_name="来源文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    span_start = models.PositiveIntegerField("原文起点", null=True, blank=True)
    span_end = models.PositiveIntegerField("原文终点", null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        has_start, has_end = self.span_start is not None, self.span_end is not None
        if has_start != has_end:
            raise ValidationError("原文位置须同时给出起点和终点")
        if not has_start:
            return
        if self.source_document_id is None:
            raise ValidationError("有原文位置时必须指明来源文件")
        if not 0 <= self.span_start <= self.span_end <= len(self.source_document.text):
            raise ValidationError("原文位置超出了来源文件的范围")

    @property
    def source_text(self) -> str:
        if "span_text" in self.__dict__:  # cut by the database: see `with_source_cuts`
            return self.span_text or ""
        if self.source_document_id is None or self.span_start is None:
            return ""
        return self.source_document.text[self.span_start : self.span_end]

    def source_excerpt(self, context: int = EXCERPT_CONTEXT) -> Excerpt | None:
        if self.source_document_id is None or self.span_start is None:
            return None
        if "excerpt_window" in self.__dict__:  # cut by the database: see `with_source_cuts`
            text, offset = self.excerpt_window or "", self.excerpt_offset
            length = self.document_length
        else:
            text, offset = self.source_document.text, 0
            length = len(text)
        start, end = self.span_start - offset, self.span_end - offset
        lo = max(0, start - context)
        hi = min(len(text), end + context)
        # Show the whole paragraph (or table row) when it fits in the window, else the line.
        for boundary in ("\n\n", "\n"):
            found = text.rfind(boundary, lo, start)
            if found != -1:
                lo = found + len(boundary)
                break
        for boundary in ("\n\n", "\n"):
            found = text.find(boundary, end, hi)
            if found != -1:
                hi = found
                break
        return Excerpt(
            before=text[lo:start],
            selected=text[start:end],
            after=text[end:hi],
            start=self.span_start,
            end=self.span_end,
            clipped_before=lo + offset > 0,
            clipped_after=hi + offset < length,
        )


def with_source_cuts(queryset, *, excerpt: bool = False):
    """Has the database cut out each row's characters of its source document (`span_text`),
    and with `excerpt` the window `source_excerpt` shows around them, so that a page naming
    figures or showing one excerpt does not bring whole documents into memory."""
    text = "source_document__text"
    cuts = {
        "span_text": Substr(text, F("span_start") + 1, F("span_end") - F("span_start")),
    }
    if excerpt:
        offset = Greatest(F("span_start") - EXCERPT_CONTEXT, Value(0))
        cuts["excerpt_offset"] = offset
        cuts["excerpt_window"] = Substr(text, offset + 1, F("span_end") + EXCERPT_CONTEXT - offset)
        cuts["document_length"] = Length(text)
    return queryset.annotate(**cuts)


class UploadedDraft:
    """What an uploaded file waiting for confirmation offers, whichever draft holds it (an
    import's, a unit's filled form): its status and its bytes. Needs `status` and `file`."""

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def read_file(self) -> bytes | None:
        """The uploaded bytes, or None once the file is gone."""
        if not self.file:
            return None
        try:
            with self.file.open("rb") as handle:
                return handle.read()
        except OSError:
            return None

    def delete_file(self) -> None:
        if self.file:
            self.file.delete(save=False)


class ImportDraft(UploadedDraft, models.Model):
    """An uploaded file read but not yet stored: its extraction result, as corrected so far.

    A draft belongs to the person who uploaded it. Confirming it stores the (corrected) result
    through ``duban.documents.importing.import_extraction``; discarding it deletes the file.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        IMPORTED = "imported", "已导入"
        DISCARDED = "discarded", "已放弃"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.CASCADE,
        related_name="import_drafts",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    name = models.CharField("文件名", max_length=255)
    file = models.FileField("上传的文件", upload_to="drafts/", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    result = models.JSONField("提取结果")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    document = models.ForeignKey(
        SourceDocument,
        verbose_name="导入后的来源文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "导入草稿"
        verbose_name_plural = "导入草稿"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title or self.name

    def get_absolute_url(self):
        return reverse("documents:draft", args=[self.pk])

    @property
    def title(self) -> str:
        return ((self.result or {}).get("document") or {}).get("title") or ""

    def result_for_import(self) -> dict:
        """The result to store: excluded items, and everything under them, are left out."""
        result = dict(self.result)
        excluded: set[str] = set()
        items = []
        for item in result.get("items") or []:
            if item.get("excluded") or item.get("parent") in excluded:
                excluded.add(item.get("id"))
                continue
            items.append({key: value for key, value in item.items() if key != "excluded"})
        result["items"] = items
        return result

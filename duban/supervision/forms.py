from django import forms
from django.core.exceptions import ValidationError

from duban.organisations.models import Organisation, Person
from duban.targets.models import SourceCategory, Target
from duban.targets.periods import Period

from .bulk import MAX_TARGETS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one field; each is checked by the loop's evidence rules."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class RegisterForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "year",
            "number",
            "title",
            "text",
            "source_category",
            "source_label",
            "category",
            "deadline_text",
            "is_public",
            "parent",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_category"].choices = SourceCategory.choices
        self.fields["parent"].queryset = Target.objects.filter(parent__isnull=True)
        self.fields["year"].min_value = 1990
        self.fields["year"].error_messages["required"] = "请填写年度"
        self.fields["text"].error_messages["required"] = "请填写目标内容"

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1990 <= year <= 2100:
            raise ValidationError("年度应在 1990 到 2100 之间")
        return year


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(
        label="牵头单位",
        queryset=Organisation.objects.filter(is_active=True),
        error_messages={"required": "请选择牵头单位", "invalid_choice": "所选单位不存在"},
    )
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": "所选协办单位不存在"},
    )
    leader = forms.ModelChoiceField(
        label="分管领导",
        required=False,
        queryset=Person.objects.filter(role=Person.Role.LEADER, is_active=True),
        error_messages={"invalid_choice": "所选领导不存在"},
    )
    deadline = forms.DateField(
        label="完成时限（日期）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期"},
    )
    deadline_text = forms.CharField(
        label="完成时限（文字，如 持续推进）", required=False, max_length=100
    )

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and not data.get("deadline_text"):
            raise ValidationError("请填写完成时限：日期或文字（如“持续推进”）")
        return data


class ReportForm(forms.Form):
    period = forms.ChoiceField(label="报送期次")
    progress = forms.CharField(
        label="具体工作进展",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写具体工作进展"},
    )
    is_complete = forms.TypedChoiceField(
        label="是否完成",
        choices=[("yes", "完成"), ("no", "未完成")],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        error_messages={"required": "请选择是否完成"},
    )
    reason = forms.CharField(
        label="未完成原因", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label="下步工作打算", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(label="佐证材料")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(str(p), p.label) for p in periods]
        self.fields["period"].error_messages["invalid_choice"] = "请选择有效的报送期次"

    def clean(self):
        data = super().clean()
        if data.get("is_complete") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", "未完成时必须填写未完成原因")
        return data


def report_periods(target: Target, today) -> list[Period]:
    """The periods a unit may report on: the target's milestones, else the current quarter."""
    periods = sorted({Period.parse(m.period) for m in target.milestones.all()})
    current = Period.quarter_of(today)
    if current not in periods:
        periods.append(current)
    return periods


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "通过"), ("return", "退回")],
        error_messages={"required": "请选择审核结果", "invalid_choice": "请选择审核结果"},
    )
    comment = forms.CharField(
        label="审核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "退回时必须填写退回意见")
        return data


class CloseForm(forms.Form):
    note = forms.CharField(
        label="办结说明",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写办结说明"},
    )
    evidence = MultipleFileField(label="办结佐证材料")
    confirm_incomplete = forms.BooleanField(
        label="确认：最近一次审核通过的报送为“未完成”，仍要办结销号", required=False
    )
    reason = forms.CharField(
        label="未完成即办结的理由",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, needs_confirmation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_confirmation:
            del self.fields["confirm_incomplete"], self.fields["reason"]


class SubTargetForm(forms.Form):
    """One row of a split (任务分解): a sub-target with its own unit, deadline, milestones."""

    text = forms.CharField(
        label="子目标内容",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lead_unit = forms.ModelChoiceField(
        label="牵头单位",
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        error_messages={"invalid_choice": "所选单位不存在"},
    )
    deadline = forms.DateField(
        label="完成时限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期"},
    )
    milestones = forms.CharField(
        label="阶段目标（可不填）",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "每行一个，如：2026-Q3 完成选址"}),
        help_text="每行一个：期次 阶段目标，如“2026-Q3 完成选址”；不填则按季度生成",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the table's header labels the columns
            field.widget.attrs["aria-label"] = field.label

    def is_blank(self) -> bool:
        """A row left empty on the page (the form offers more rows than most splits use)."""
        return not self.has_changed()

    def clean_milestones(self):
        rows = []
        for line in (self.cleaned_data.get("milestones") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            period, _, text = line.replace("：", " ").replace(":", " ").partition(" ")
            rows.append((period.strip(), text.strip()))
        return rows

    def row(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data.get("text") or "",
            "lead_unit": data.get("lead_unit"),
            "deadline": data.get("deadline"),
            "milestones": data.get("milestones") or [],
        }


class _SubTargetRows(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "表单数据不完整，请刷新页面后重新填写。",
        "too_many_forms": "一次最多分解 %(num)d 个子目标。",
        "too_few_forms": "请至少填写一个子目标。",
    }

    def rows(self) -> list[dict]:
        return [form.row() for form in self.forms if form.is_valid() and not form.is_blank()]


SubTargetFormSet = forms.formset_factory(
    SubTargetForm, formset=_SubTargetRows, extra=5, max_num=50, absolute_max=50
)


class ContributionForm(forms.Form):
    period = forms.ChoiceField(label="期次")
    text = forms.CharField(
        label="协办情况",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写协办情况"},
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(str(p), p.label) for p in periods]


class ChaseForm(forms.Form):
    message = forms.CharField(
        label="催办内容", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TargetIdsField(forms.Field):
    """The ticked targets' ids, carried as hidden fields from the list to the bulk edit."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if any(not str(v).isdigit() for v in values):
            raise ValidationError("所选目标无效，请回到目标列表重新勾选。")
        return sorted({int(v) for v in values})

    def validate(self, value):
        if not value:
            raise ValidationError("请先勾选要修改的目标。")
        if len(value) > self.max_count:
            raise ValidationError(f"一次最多批量修改 {self.max_count} 项，请分批操作。")


def _change_box():
    return forms.BooleanField(label="修改此项", required=False)


class BulkEditForm(forms.Form):
    """批量修改: a field is changed on every ticked target when it is filled, or when its
    修改此项 box is ticked (left empty, it is then cleared). `changes` holds what to change."""

    EDITABLE = ("lead_unit", "co_units", "leader", "deadline", "source_category", "category")
    CO_UNITS_ADD, CO_UNITS_REPLACE = "add", "replace"

    ids = TargetIdsField(max_count=MAX_TARGETS)
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    lead_unit = forms.ModelChoiceField(
        label="牵头单位",
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        empty_label="（不修改）",
        error_messages={"invalid_choice": "所选牵头单位不存在"},
    )
    change_lead_unit = _change_box()
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={
            "invalid_choice": "所选协办单位不存在",
            "invalid_pk_value": "所选协办单位不存在",
        },
    )
    co_units_mode = forms.ChoiceField(
        label="协办单位的修改方式",
        choices=[
            (CO_UNITS_ADD, "增加到原有协办单位"),
            (CO_UNITS_REPLACE, "替换原有协办单位"),
        ],
        initial=CO_UNITS_ADD,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择协办单位的修改方式",
            "invalid_choice": "请选择协办单位的修改方式",
        },
    )
    change_co_units = _change_box()
    leader = forms.ModelChoiceField(
        label="分管领导",
        required=False,
        queryset=Person.objects.filter(role=Person.Role.LEADER, is_active=True),
        empty_label="（不修改）",
        error_messages={"invalid_choice": "所选领导不存在"},
    )
    change_leader = _change_box()
    deadline = forms.DateField(
        label="完成时限（日期）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期"},
    )
    deadline_text = forms.CharField(
        label="完成时限（文字，如 年底前、持续推进）",
        required=False,
        max_length=100,
        help_text="只填文字时，按各目标的年度从文字算出日期（如“年底前”为当年12月31日）",
        error_messages={"max_length": "完成时限文字最多 %(limit_value)d 个字"},
    )
    change_deadline = _change_box()
    source_category = forms.ChoiceField(
        label="任务来源",
        required=False,
        choices=[("", "（不修改）"), *SourceCategory.choices],
        error_messages={"invalid_choice": "“%(value)s”不是有效的任务来源"},
    )
    change_source_category = _change_box()
    category = forms.CharField(
        label="目标类别",
        required=False,
        max_length=50,
        help_text="如 重点目标、创优目标",
        error_messages={"max_length": "目标类别最多 %(limit_value)d 个字"},
    )
    change_category = _change_box()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes: dict = {}
        for name in ("lead_unit", "co_units", "leader", "source_category", "category"):
            # The page heads these with a legend of the same words instead of a label.
            self.fields[name].widget.attrs["aria-label"] = self.fields[name].label

    def clean(self):
        data = super().clean()
        changes = {}

        def chosen(name, *values):
            return data.get(f"change_{name}") or any(v not in (None, "", []) for v in values)

        if chosen("lead_unit", data.get("lead_unit")):
            changes["lead_unit"] = data.get("lead_unit")
        units = list(data.get("co_units") or [])
        if chosen("co_units", units):
            mode = data.get("co_units_mode")
            if mode == self.CO_UNITS_ADD and not units:
                self.add_error("co_units", "请选择要增加的协办单位；要清空协办单位请选择“替换”")
            elif mode:
                changes["co_units"] = (mode, units)
        if chosen("leader", data.get("leader")):
            changes["leader"] = data.get("leader")
        text = (data.get("deadline_text") or "").strip()
        if chosen("deadline", data.get("deadline"), text):
            changes["deadline"] = (data.get("deadline"), text)
        if chosen("source_category", data.get("source_category")):
            if data.get("source_category"):
                changes["source_category"] = data["source_category"]
            elif "source_category" not in self.errors:
                self.add_error("source_category", "任务来源不能清空，请选择一个来源")
        category = (data.get("category") or "").strip()
        if chosen("category", category):
            changes["category"] = category
        if not changes and not self.errors:
            raise ValidationError("请至少填写或勾选一项要修改的内容。")
        self.changes = changes
        return data

    def edit_rows(self):
        """(label, the fields that set the value, the 修改此项 box) per editable value."""
        fields = {
            "co_units": ("co_units", "co_units_mode"),
            "deadline": ("deadline", "deadline_text"),
        }
        labels = {"deadline": "完成时限"}
        return [
            (
                labels.get(name) or self.fields[name].label,
                [self[f] for f in fields.get(name, (name,))],
                self[f"change_{name}"],
            )
            for name in self.EDITABLE
        ]

from django import forms
from django.core.exceptions import ValidationError

from duban.organisations.models import Organisation, Person
from duban.targets.models import SourceCategory, Target
from duban.targets.periods import Period


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

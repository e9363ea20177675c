"""The forms of deadline extensions (延期申请) and leaders' instructions (领导批示)."""

from django import forms

from duban.organisations.models import Person


def _date_field(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"请填写{label}", "invalid": "请输入有效的日期"},
    )


class ExtensionRequestForm(forms.Form):
    requested_deadline = _date_field("申请延至")
    reason = forms.CharField(
        label="延期理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写延期理由",
            "max_length": "延期理由不能超过 2000 字",
        },
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "同意"), ("refuse", "不同意")],
        error_messages={"required": "请选择审批结果", "invalid_choice": "请选择审批结果"},
    )
    comment = forms.CharField(
        label="意见",
        required=False,
        max_length=2000,
        error_messages={"max_length": "意见不能超过 2000 字"},
    )


class InstructionForm(forms.Form):
    text = forms.CharField(
        label="批示内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写批示内容", "max_length": "批示内容不能超过 2000 字"},
    )


class InstructionDocumentForm(forms.Form):
    """A 批示件 registered as a new target of source 领导批示, in one form."""

    year = forms.IntegerField(
        label="年度",
        error_messages={"required": "请填写年度", "invalid": "年度应为数字"},
    )
    source_label = forms.CharField(
        label="批示件文号或名称",
        required=False,
        max_length=100,
        help_text="如 青溪领批〔2026〕12号",
    )
    leader = forms.ModelChoiceField(
        label="批示领导",
        queryset=Person.objects.filter(role=Person.Role.LEADER, is_active=True),
        error_messages={"required": "请选择批示领导", "invalid_choice": "所选领导不存在"},
    )
    instruction = forms.CharField(
        label="批示内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写批示内容", "max_length": "批示内容不能超过 2000 字"},
    )
    number = forms.CharField(label="编号", required=False, max_length=30)
    title = forms.CharField(label="标题", required=False, max_length=300)
    text = forms.CharField(
        label="办理事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不填则以批示内容作为目标内容",
    )
    deadline = _date_field("完成时限")

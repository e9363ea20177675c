"""The round pages' forms: opening a round for a period, and sending it."""

from django import forms

from duban.organisations.models import Organisation

from .rounds import RoundError, default_period, parse_round_period


class OpenRoundForm(forms.Form):
    period = forms.CharField(
        label="期次", max_length=10, help_text="如 2022-Q2（季度）、2022-H1、2022-M03、2022"
    )
    deadline = forms.DateField(
        label="报送截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空：期末后加报送宽限天数",
    )
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = str(default_period(today))

    def clean_period(self):
        try:
            return parse_round_period(self.cleaned_data["period"])
        except RoundError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        cleaned = super().clean()
        period, deadline = cleaned.get("period"), cleaned.get("deadline")
        if period and deadline and deadline < period.end_date:
            self.add_error("deadline", f"报送截止日期不能早于期末（{period.end_date:%Y-%m-%d}）")
        return cleaned


class SendRoundForm(forms.Form):
    """Send to one unit (`unit`) or to all units with targets due; `resend` sends again to
    units already sent to."""

    unit = forms.ModelChoiceField(
        label="单位",
        queryset=Organisation.objects.all(),
        required=False,
        error_messages={"invalid_choice": "没有这个单位"},
    )
    resend = forms.BooleanField(label="重新发送", required=False)

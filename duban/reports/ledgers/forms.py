"""The download's own options, beside the target list's filters (TargetFilterForm)."""

from django import forms

from .export import LedgerError, check_format, check_layout, parse_period


class LedgerOptionsForm(forms.Form):
    layout = forms.CharField(label="台账格式", required=False)
    format = forms.CharField(label="文件格式", required=False)
    period = forms.CharField(label="期次", required=False, max_length=10)

    def _checked(self, name, check):
        try:
            return check(self.cleaned_data.get(name) or "")
        except LedgerError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_layout(self):
        return self._checked("layout", check_layout)

    def clean_format(self):
        return self._checked("format", lambda v: check_format(v or "xlsx"))

    def clean_period(self):
        value = (self.cleaned_data.get("period") or "").strip()
        return self._checked("period", parse_period) if value else None

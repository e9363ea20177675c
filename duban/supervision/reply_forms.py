from django import forms
from django.core.exceptions import ValidationError

from duban.organisations.models import Organisation, is_office_staff
from duban.targets.periods import Period

from . import permissions, replies


class ReplyUploadForm(forms.Form):
    """A filled-in form for a period: a unit reporter uploads its own unit's; office staff
    choose the unit whose form they upload."""

    file = forms.FileField(
        label="填好的报送表",
        allow_empty_file=True,  # an empty file gets the extraction's own message
        error_messages={"required": "请选择要上传的报送表"},
        help_text="Excel（.xlsx）、Word（.docx）或 PDF 均可；行的顺序、换行不影响识别",
    )
    unit = forms.ModelChoiceField(
        label="报送单位",
        queryset=Organisation.objects.filter(is_active=True),
        error_messages={"required": "请选择报送单位", "invalid_choice": "所选单位不存在"},
    )
    period = forms.CharField(
        label="报送期次",
        required=False,
        max_length=10,
        help_text="如 2022-Q2；留空则按报送表标题中的期次",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.own_unit = None
        if not is_office_staff(user):
            # A unit reports for itself only, whatever the request says.
            self.own_unit = permissions.unit_of(user)
            del self.fields["unit"]

    def clean_period(self):
        value = (self.cleaned_data.get("period") or "").strip()
        if not value:
            return None
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise ValidationError(
                f"期次“{value}”无法识别，应写作 2022-Q2、2022-H1 或 2022"
            ) from exc

    @property
    def chosen_unit(self):
        return self.own_unit or self.cleaned_data.get("unit")

    def save(self):
        """The draft read from the file, or None with the reason added to the form."""
        try:
            return replies.create_draft(
                self.user,
                self.cleaned_data["file"],
                unit=self.chosen_unit,
                period=self.cleaned_data["period"],
            )
        except replies.ReplyError as exc:
            self.add_error("file", str(exc))
            return None

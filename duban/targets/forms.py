from dataclasses import dataclass

from django import forms

from duban.audit.changes import derived
from duban.organisations.models import Organisation, Person

from .lights import Light
from .models import SourceCategory, Target


class TargetFilterForm(forms.Form):
    """The target list's filters. Every value is checked; nonsense gets a message, not a 500."""

    q = forms.CharField(label="关键词", required=False, max_length=100)
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(
        label="任务来源", required=False, choices=[("", "全部来源"), *SourceCategory.choices]
    )
    category = forms.CharField(label="目标类别", required=False, max_length=50)
    unit = forms.ModelChoiceField(
        label="责任单位",
        required=False,
        queryset=Organisation.objects.all(),
        empty_label="全部单位",
    )
    leader = forms.ModelChoiceField(
        label="分管领导",
        required=False,
        queryset=Person.objects.filter(role=Person.Role.LEADER),
        empty_label="全部领导",
    )
    state = forms.ChoiceField(
        label="办理状态", required=False, choices=[("", "全部状态"), *Target.State.choices]
    )
    light = forms.ChoiceField(
        label="红黄绿灯", required=False, choices=[("", "全部灯色"), *Light.choices]
    )
    extended = forms.ChoiceField(
        label="延期",
        required=False,
        choices=[("", "延期与否"), ("yes", "有延期"), ("no", "未延期")],
    )

    error_messages = {
        "invalid_choice": "“%(value)s”不是有效的选项",
    }

    def __init__(self, *args, targets=None, scope=None, **kwargs):
        """`targets` are those the user may see; `scope` names that set (see
        `TargetQuerySet.visibility_key`) so its choices are worked out once per change."""
        super().__init__(*args, **kwargs)
        targets = targets if targets is not None else Target.objects.all()
        if scope is None:
            choices = _choices(targets)
        else:
            choices = derived.get_or_compute(("target-filters", scope), lambda: _choices(targets))
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in choices.years]
        self.fields["year"].error_messages["invalid_choice"] = "没有这个年度的目标：%(value)s"
        for name in ("source", "state", "light", "extended"):
            self.fields[name].error_messages["invalid_choice"] = "“%(value)s”不是有效的选项"
        for name in ("unit", "leader"):
            self.fields[name].error_messages["invalid_choice"] = "所选的单位或人员不存在"
        self.category_choices = choices.categories
        self._choices = choices

    def drop_downs(self) -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
        """(name, label, [(value, text, selected)]) for every drop-down, ready for the page."""
        choices = {
            "category": [("", "全部类别")] + [(c, c) for c in self.category_choices],
            "unit": [("", "全部单位"), *self._choices.units],
            "leader": [("", "全部领导"), *self._choices.leaders],
        }
        selects = []
        for name in (
            "year",
            "source",
            "category",
            "unit",
            "leader",
            "state",
            "light",
            "extended",
        ):
            chosen = str(self.data.get(name, "")) if self.is_bound else ""
            pairs = choices.get(name) or self.fields[name].choices
            options = [(str(v), str(text), str(v) == chosen) for v, text in pairs]
            selects.append((name, self.fields[name].label, options))
        return selects

    def apply(self, targets):
        data = self.cleaned_data
        return targets.filtered(
            q=data.get("q"),
            year=data.get("year"),
            source=data.get("source"),
            category=data.get("category"),
            unit=data["unit"].pk if data.get("unit") else None,
            leader=data["leader"].pk if data.get("leader") else None,
            state=data.get("state"),
            light=data.get("light"),
            extended={"yes": True, "no": False}.get(data.get("extended") or ""),
        )

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


@dataclass(frozen=True)
class _FilterChoices:
    years: list[int]
    categories: list[str]
    units: list[tuple[int, str]]
    leaders: list[tuple[int, str]]


def _choices(targets) -> _FilterChoices:
    # order_by() drops the default ordering, which would otherwise widen the DISTINCT.
    pairs = set(targets.order_by().values_list("year", "category").distinct())
    years = sorted({year for year, _ in pairs}, reverse=True)
    categories = sorted({category for _, category in pairs if category})
    units, leaders = derived.get_or_compute("target-filter-people", _units_and_leaders)
    return _FilterChoices(years, categories, units, leaders)


def _units_and_leaders() -> tuple[list, list]:
    """The units and leaders to filter by: all of them, whoever looks, so worked out once per
    change for everyone (`.all()`: the fields' own querysets live as long as the process, and
    would keep their first answer)."""
    units = [(o.pk, str(o)) for o in TargetFilterForm.base_fields["unit"].queryset.all()]
    leaders = [(p.pk, str(p)) for p in TargetFilterForm.base_fields["leader"].queryset.all()]
    return units, leaders

from django import forms

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
        label="红黄绿灯", required=False, choices=[("", "全部"), *Light.choices]
    )

    error_messages = {
        "invalid_choice": "“%(value)s”不是有效的选项",
    }

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        targets = targets if targets is not None else Target.objects.all()
        # order_by() drops the default ordering, which would otherwise widen the DISTINCT.
        years = sorted(targets.order_by().values_list("year", flat=True).distinct(), reverse=True)
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in years]
        self.fields["year"].error_messages["invalid_choice"] = "没有这个年度的目标：%(value)s"
        for name in ("source", "state", "light"):
            self.fields[name].error_messages["invalid_choice"] = "“%(value)s”不是有效的选项"
        for name in ("unit", "leader"):
            self.fields[name].error_messages["invalid_choice"] = "所选的单位或人员不存在"
        distinct_categories = targets.order_by().values_list("category", flat=True).distinct()
        categories = sorted(c for c in distinct_categories if c)
        self.category_choices = categories

    def apply(self, targets):
        data = self.cleaned_data
        if data.get("q"):
            targets = targets.search(data["q"])
        if data.get("year"):
            targets = targets.filter(year=data["year"])
        if data.get("source"):
            targets = targets.filter(source_category=data["source"])
        if data.get("category"):
            targets = targets.filter(category=data["category"])
        if data.get("unit"):
            targets = targets.for_unit(data["unit"].pk)
        if data.get("leader"):
            targets = targets.filter(leader=data["leader"])
        if data.get("state"):
            targets = targets.filter(state=data["state"])
        if data.get("light"):
            targets = targets.filter(light=data["light"])
        return targets

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)

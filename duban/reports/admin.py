from django.contrib import admin

from .models import ScoringRule


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    """Scoring rules per period, per year, or the default; every change is in the audit trail."""

    list_display = [
        "name",
        "scope_label",
        "ack_points",
        "report_points",
        "completion_points",
        "return_deduction",
        "overdue_deduction",
        "updated_at",
    ]
    list_filter = ["year"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "year", "period", "note"]}),
        (
            "得分项（按比例得分）",
            {"fields": ["ack_points", "ack_days", "report_points", "completion_points"]},
        ),
        (
            "扣分项（封顶）",
            {
                "fields": [
                    "return_deduction",
                    "return_cap",
                    "overdue_deduction",
                    "overdue_cap",
                    "extension_deduction",
                    "extension_cap",
                ]
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description="适用范围")
    def scope_label(self, rule):
        return rule.scope_label

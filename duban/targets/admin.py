from django.contrib import admin

from .models import Evidence, Indicator, Milestone, ProgressReport, Target


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["period", "text", "due_date"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["subject", "kind", "measure", "comparator", "value", "value_max", "unit", "year"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """For corrections by office staff; every save is recorded in the audit trail."""

    list_display = [
        "__str__",
        "year",
        "source_category",
        "category",
        "lead_unit",
        "leader",
        "state",
        "deadline_label",
    ]
    list_filter = ["year", "source_category", "state", "category"]
    search_fields = ["number", "title", "text"]
    autocomplete_fields = ["parent", "lead_unit", "co_units", "leader", "source_document"]
    readonly_fields = ["state", "return_count", "acknowledged_at", "closed_at", "created_at"]
    inlines = [MilestoneInline, IndicatorInline]
    fieldsets = [
        (None, {"fields": ["year", "number", "title", "text", "parent"]}),
        (
            "来源",
            {
                "fields": [
                    "source_category",
                    "source_label",
                    "category",
                    "source_document",
                    "span_start",
                    "span_end",
                ]
            },
        ),
        (
            "交办",
            {
                "fields": [
                    "lead_unit",
                    "co_units",
                    "leader",
                    "deadline",
                    "deadline_text",
                    "benchmark",
                    "is_public",
                ]
            },
        ),
        (
            "办理",
            {"fields": ["state", "return_count", "acknowledged_at", "closed_at", "created_at"]},
        ),
    ]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["name", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["target", "period", "unit", "status_text", "review_state", "submitted_at"]
    list_filter = ["review_state", "period"]
    search_fields = ["target__title", "target__text", "progress"]
    autocomplete_fields = ["target", "milestone", "unit", "source_document"]
    readonly_fields = [
        "review_state",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "version",
    ]
    inlines = [EvidenceInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["target", "period", "due_date"]
    search_fields = ["target__title", "text"]
    autocomplete_fields = ["target", "source_document"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["target", "subject", "kind", "measure", "display_value", "year"]
    list_filter = ["kind", "measure", "year"]
    search_fields = ["subject", "target__title"]
    autocomplete_fields = ["target", "report", "source_document"]

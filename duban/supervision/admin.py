from django.contrib import admin

from .models import ReportingRound, RoundDispatch


class RoundDispatchInline(admin.TabularInline):
    model = RoundDispatch
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "sent_at", "sent_by", "times", "targets", "notices", "emails"]
    fields = [*readonly_fields, "email_error"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    """Reporting rounds (报送轮次): corrections of the deadline or note; every change is in
    the audit trail. Rounds are opened and sent from the round page or `duban round send`."""

    list_display = ["period", "deadline", "opened_by", "created_at"]
    search_fields = ["period"]
    fields = ["period", "deadline", "note", "opened_by", "created_at"]
    readonly_fields = ["opened_by", "created_at"]
    inlines = [RoundDispatchInline]

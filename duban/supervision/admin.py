from django.contrib import admin

from .models import DeadlineExtension, Instruction, ReportingRound, RoundDispatch


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Kept for reading: requests and decisions are made on the target page or through the
    API, where the rules (who, when, one decision) are checked and the trail written."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    list_display = [
        "target",
        "unit",
        "old_deadline",
        "requested_deadline",
        "state",
        "requested_at",
        "decided_at",
    ]
    list_filter = ["state"]
    search_fields = ["target__text", "reason"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ["target", "leader", "text", "origin", "created_at"]
    list_filter = ["origin"]
    search_fields = ["target__text", "text", "leader__name"]

from django.contrib import admin
from django.utils import timezone

from .channel_views import ChannelForm
from .models import (
    ChannelDelivery,
    DeadlineExtension,
    Instruction,
    ReportingRound,
    RoundDispatch,
    UnitChannel,
)


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


@admin.register(UnitChannel)
class UnitChannelAdmin(admin.ModelAdmin):
    """Units' group robots: the same rules as the page /channels/ (the model's clean)."""

    list_display = ["unit", "kind", "name", "enabled", "created_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["unit__name", "unit__short_name", "name"]
    autocomplete_fields = ["unit"]
    form = ChannelForm  # the address and secret shown masked, kept when left blank

    def get_fields(self, request, obj=None):
        fields = ["unit", "kind", "name", "url", "secret", "enabled"]
        return [*fields, "clear_secret"] if obj is not None else fields


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(admin.ModelAdmin):
    """The group robots' outbox, read-only; a given-up message may be queued again by hand."""

    list_display = ["created_at", "channel", "kind", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "kind"]
    search_fields = ["text", "channel__unit__name"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="重新发送所选的已放弃群消息")
    def send_again(self, request, queryset):
        count = queryset.filter(state=ChannelDelivery.State.FAILED).update(
            state=ChannelDelivery.State.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(
            request, f"已重新排队 {count} 条，将由下次 duban deliver 或 duban remind 发送。"
        )


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

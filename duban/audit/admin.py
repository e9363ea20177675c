from django.contrib import admin
from django.utils.html import format_html_join

from .models import AuditEvent
from .readable import created_rows


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail can be searched and read, never edited or deleted. Read as a
    person reads it (duban.audit.readable): local times, people with their unit, lists in
    「」, no arrow without a value; the raw before/after values stay in the database."""

    list_display = ["created_at", "who", "action", "summary", "object_repr", "remote_addr"]
    list_filter = ["action", "channel", "object_type"]
    search_fields = ["actor_name", "actor__person__name", "summary", "object_repr"]
    date_hierarchy = "created_at"
    list_select_related = ["actor__person__organisation"]
    fields = [
        "created_at",
        "who",
        "remote_addr",
        "channel",
        "action",
        "summary",
        "object_type",
        "object_repr",
        "target_id",
        "what_changed",
    ]
    readonly_fields = fields

    @admin.display(description="操作人", ordering="actor_name")
    def who(self, event):
        return event.actor_label

    @admin.display(description="内容")
    def what_changed(self, event):
        rows = (
            created_rows(event)
            if event.action == AuditEvent.Action.CREATE
            else event.readable_changes()
        )
        if not rows:
            return "—"
        return format_html_join("\n", "<div>{}：{}</div>", rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import Invitation, Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["organisation", "created_at"]
    autocomplete_fields = ["organisation"]

    def has_add_permission(self, request):
        return not Office.objects.exists()


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read only: invitations are made on a person's account page."""

    list_display = [
        "person",
        "channel",
        "sent_to",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    list_filter = ["channel"]
    search_fields = ["person__name", "sent_to"]
    exclude = ["nonce_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by `duban apitoken create`, which shows the secret once; here they
    can be read and revoked."""

    list_display = ["id", "user", "name", "key_prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "name", "key_prefix"]
    readonly_fields = [
        "user",
        "name",
        "key_prefix",
        "created_at",
        "last_used_at",
        "revoked",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="撤销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()

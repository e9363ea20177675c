from django.contrib import admin

from .models import SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "genre", "issuer", "year", "period", "imported_at"]
    list_filter = ["genre", "year", "format"]
    search_fields = ["name", "title", "issuer", "sha256"]
    readonly_fields = ["sha256", "imported_at", "imported_by"]
    autocomplete_fields = ["issuer_org", "previous_version"]

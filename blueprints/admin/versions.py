"""The BlueprintVersion admin: snapshots are a record, read here; they are compared and
restored on the site."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from blueprints.models import BlueprintVersion


@admin.register(BlueprintVersion)
class BlueprintVersionAdmin(admin.ModelAdmin):
    """Snapshots are a record: read them here, compare and restore them on the site."""

    list_display = ["blueprint", "number", "reason", "created_by", "created_at", "compare_link"]
    list_filter = ["blueprint__locality"]
    search_fields = ["blueprint__title", "reason"]
    list_select_related = ["blueprint__locality", "created_by"]
    ordering = ["-created_at"]
    exclude = ["data"]
    readonly_fields = [
        "blueprint",
        "number",
        "reason",
        "blueprint_version",
        "created_by",
        "created_at",
    ]

    def get_queryset(self, request):
        """Without `data`: a snapshot's JSON is ~100 KB, decoded for nothing in a list (the
        change page excludes it too)."""
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="on the site")
    def compare_link(self, version: BlueprintVersion) -> str:
        url = reverse(
            "blueprints:versions", args=[version.blueprint.locality.slug, version.blueprint_id]
        )
        return format_html('<a href="{}">Versions and comparison</a>', url)

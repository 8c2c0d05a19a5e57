from django.contrib import admin
from django.db.models import Count

from localities.models import Locality, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "member_count", "updated_at"]
    search_fields = ["name", "area", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description="members", ordering="_member_count")
    def member_count(self, obj: Locality) -> int:
        return obj._member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "locality", "role", "created_at"]
    list_filter = ["role", "locality"]
    search_fields = ["user__username", "user__email", "locality__name"]
    list_select_related = ["user", "locality"]
    autocomplete_fields = ["user", "locality"]

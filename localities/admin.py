from django import forms
from django.contrib import admin
from django.db.models import Count

from localities.models import Challenge, Insight, Locality, Membership, Tag


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


class SameLocalityForm(forms.ModelForm):
    """Refuses links to another locality's records, which the widgets alone would allow."""

    locality_scoped_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        locality = cleaned.get("locality")
        if locality is None:
            return cleaned
        for name in self.locality_scoped_fields:
            strangers = [obj for obj in cleaned.get(name) or [] if obj.locality_id != locality.pk]
            if strangers:
                self.add_error(
                    name,
                    f"Only records of {locality} can be linked; "
                    f"not {', '.join(str(obj) for obj in strangers)}.",
                )
        return cleaned


class InsightAdminForm(SameLocalityForm):
    locality_scoped_fields = ("tags",)


class ChallengeAdminForm(SameLocalityForm):
    locality_scoped_fields = ("insights",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "locality", "insight_count"]
    list_filter = ["locality"]
    search_fields = ["name", "locality__name"]
    list_select_related = ["locality"]
    autocomplete_fields = ["locality"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_insight_count=Count("insights"))

    @admin.display(description="insights", ordering="_insight_count")
    def insight_count(self, obj: Tag) -> int:
        return obj._insight_count


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    form = InsightAdminForm
    list_display = ["statement", "locality", "subject", "source", "gathered_on", "recorded_by"]
    list_filter = [
        "locality",
        "subject",
        "source",
        ("tags", admin.RelatedOnlyFieldListFilter),
        "gathered_on",
    ]
    search_fields = ["statement", "detail", "tags__name", "locality__name"]
    list_select_related = ["locality", "recorded_by"]
    autocomplete_fields = ["locality", "tags", "recorded_by"]
    date_hierarchy = "gathered_on"
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    form = ChallengeAdminForm
    list_display = ["title", "locality", "insight_count", "created_by", "updated_at"]
    list_filter = ["locality", ("insights__tags", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "locality__name"]
    list_select_related = ["locality", "created_by"]
    autocomplete_fields = ["locality", "insights", "created_by"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_insight_count=Count("insights"))

    @admin.display(description="insights cited", ordering="_insight_count")
    def insight_count(self, obj: Challenge) -> int:
        return obj._insight_count

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect

from localities import services
from localities.models import Challenge, Insight, Locality, Membership, Tag


class RefusalsAsMessages:
    """Writes in `save_model`/`save_formset` go through the services, which may refuse
    (a rule, or a version conflict) after the form has validated. The refusal propagates
    out of the admin's own `transaction.atomic()`, so nothing of the save is kept; here it
    becomes an error message on the page reloaded with what is stored now."""

    refusals: tuple[type[Exception], ...] = (ValidationError,)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as refusal:
            self.message_user(request, refusal_message(refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def refusal_message(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return getattr(refusal, "message", "") or str(refusal)


class MembershipInlineForm(forms.ModelForm):
    """Who a membership is for is fixed once it exists: remove it and add the new person,
    so that removing someone always passes the last-lead rule."""

    class Meta:
        model = Membership
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "user" in self.fields:
            self.fields["user"].disabled = True


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipInlineForm
    extra = 1
    autocomplete_fields = ["user"]
    ordering = ["user__username"]


@admin.register(Locality)
class LocalityAdmin(RefusalsAsMessages, admin.ModelAdmin):
    list_display = ["name", "area", "member_count", "updated_at"]
    search_fields = ["name", "area", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description="members", ordering="_member_count")
    def member_count(self, obj: Locality) -> int:
        return obj._member_count

    def save_formset(self, request, form, formset, change):
        """Memberships change through the services, which keep the last-lead rule:
        additions and role changes to lead first (so one save can hand the lead over),
        then demotions and removals."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # sorts the rows into new, changed and deleted
        by, locality = request.user, form.instance
        for membership in formset.new_objects:
            services.add_member(
                locality=locality, user=membership.user, role=membership.role, by=by
            )
        touched = [m.pk for m, _ in formset.changed_objects] + [
            m.pk for m in formset.deleted_objects
        ]
        stored = Membership.objects.select_related("user", "locality").in_bulk(touched)
        changed = sorted(
            formset.changed_objects, key=lambda pair: pair[0].role != Membership.Role.LEAD
        )
        for membership, _fields in changed:
            services.change_member_role(
                membership=stored[membership.pk], role=membership.role, by=by
            )
        for membership in formset.deleted_objects:
            services.remove_member(membership=stored[membership.pk], by=by)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "locality", "role", "created_at"]
    list_filter = ["role", "locality"]
    search_fields = ["user__username", "user__email", "locality__name"]
    list_select_related = ["user", "locality"]
    autocomplete_fields = ["user", "locality"]
    ordering = ["locality__name", "user__username"]


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

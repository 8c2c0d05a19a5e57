"""The admin of localities, their members and what they learn (insights, tags, challenges).

Membership changes go through `localities.services`, on a locality's page (the inline) and
on the Membership pages alike, so the last-lead rule holds wherever they are made. The
Locality list with each site's progress is `blueprints.admin.localities`, which replaces
the plain `LocalityAdmin` registered here: that one counts the work of all three apps.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Exists, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse

from localities import services
from localities.forms_resources import VolunteerMonthForm, VolunteerMonthFormSet
from localities.listing import count_of
from localities.models import (
    Challenge,
    Contribution,
    Insight,
    Locality,
    Membership,
    Opening,
    Partner,
    Space,
    Tag,
    VolunteerMonth,
    VolunteerRole,
)


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

    def delete_view(self, request, object_id, extra_context=None):
        """A refused deletion (in `delete_model`) goes back to the record's change page."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except self.refusals as refusal:
            self.message_user(request, refusal_message(refusal), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )

    def changelist_view(self, request, extra_context=None):
        """An action posted from the list (such as "Delete selected", through
        `delete_queryset`) runs in one transaction: a refusal keeps nothing of it, its log
        entries included, and is shown on the list."""
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changelist_view(request, extra_context)
        except self.refusals as refusal:
            self.message_user(request, refusal_message(refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def count_subquery(model: type[Model], link: str) -> Coalesce:
    """How many `model` rows point at the listed row through `link`, as a subquery.

    For the admin's count columns: a `Count()` over a join groups the whole child table
    (60,000 cards, 81,000 responses) before the page takes its 100 rows, and again for each
    of the list's two counts; a subquery is run for the rows shown only, and `count()`
    leaves it out, so the list's counts stay a plain COUNT(*)."""
    return count_of(model._default_manager.filter(**{link: OuterRef("pk")}), link)


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
        return (
            super()
            .get_queryset(request)
            .annotate(_member_count=count_subquery(Membership, "locality"))
        )

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
class MembershipAdmin(RefusalsAsMessages, admin.ModelAdmin):
    """Memberships through `localities.services`, as on a locality's page: added with
    `add_member`, a role changed with `change_member_role`, removed with `remove_member`,
    so the last lead can be neither demoted nor removed here either. Who a membership is
    for is fixed once it exists (remove it and add the new person)."""

    list_display = ["user", "locality", "role", "created_at"]
    list_filter = ["role", "locality"]
    search_fields = ["user__username", "user__email", "locality__name"]
    list_select_related = ["user", "locality"]
    autocomplete_fields = ["user", "locality"]
    ordering = ["locality__name", "user__username"]
    fields = ["user", "locality", "role"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "locality"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.add_member(
                locality=obj.locality, user=obj.user, role=obj.role, by=request.user
            )
            obj.pk, obj.created_at = saved.pk, saved.created_at
            obj._state.adding = False
        elif "role" in form.changed_data:
            services.change_member_role(
                membership=self._stored(obj.pk), role=obj.role, by=request.user
            )

    def delete_model(self, request, obj):
        services.remove_member(membership=self._stored(obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        """All or none (see `RefusalsAsMessages.changelist_view`): removing a locality's
        last lead refuses the whole action."""
        for membership in queryset.select_related("user", "locality").order_by("pk"):
            services.remove_member(membership=membership, by=request.user)

    @staticmethod
    def _stored(pk: int) -> Membership:
        """The membership as stored, which the services check (the form's copy already
        carries the new role)."""
        return Membership.objects.select_related("user", "locality").get(pk=pk)


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
        return (
            super()
            .get_queryset(request)
            .annotate(_insight_count=count_subquery(Insight.tags.through, "tag"))
        )

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
        return (
            super()
            .get_queryset(request)
            .annotate(_insight_count=count_subquery(Challenge.insights.through, "challenge"))
        )

    @admin.display(description="insights cited", ordering="_insight_count")
    def insight_count(self, obj: Challenge) -> int:
        return obj._insight_count


# Community resources (issue 15) ---------------------------------------------------------
#
# Every kind lists its locality and filters by it, and by what sorts it: a space's kind,
# a partner's kind and its contributions' status, a contribution's kind and status, a
# month by its month. Rows that belong to a record (opening hours, contributions, months)
# are edited on its page, where they are checked together.


class OutOfHoursFilter(admin.SimpleListFilter):
    """Spaces used out of hours, and those of them with nobody named to staff them: what
    the capacity check asks about."""

    title = "out of hours"
    parameter_name = "out_of_hours"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Open out of hours"),
            ("unstaffed", "Out of hours, nobody named to staff it"),
            ("no", "Never out of hours"),
        ]

    def queryset(self, request, queryset):
        late = Exists(Opening.objects.filter(space=OuterRef("pk"), out_of_hours=True))
        if self.value() == "yes":
            return queryset.filter(late)
        if self.value() == "unstaffed":
            return queryset.filter(late, out_of_hours_staffed_by="")
        if self.value() == "no":
            return queryset.exclude(late)
        return queryset


class OpeningInline(admin.TabularInline):
    model = Opening
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "locality",
        "kind",
        "area",
        "step_free",
        "hire_cost_per_hour",
        "income_per_hour",
        "out_of_hours_staffed_by",
    ]
    list_filter = ["locality", "kind", "step_free", OutOfHoursFilter]
    search_fields = ["name", "area", "managed_by", "out_of_hours_staffed_by", "locality__name"]
    list_select_related = ["locality"]
    autocomplete_fields = ["locality"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [OpeningInline]


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "locality", "kind", "contact_role"]
    list_filter = ["locality", "kind", "contributions__kind", "contributions__status"]
    search_fields = ["organisation", "contact_role", "locality__name"]
    list_select_related = ["locality"]
    autocomplete_fields = ["locality"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContributionInline]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = [
        "partner",
        "locality",
        "kind",
        "description",
        "value",
        "quantity",
        "status",
        "status_on",
    ]
    list_filter = ["partner__locality", "kind", "status"]
    search_fields = ["description", "partner__organisation", "partner__locality__name"]
    list_select_related = ["partner__locality"]
    autocomplete_fields = ["partner"]
    date_hierarchy = "status_on"

    @admin.display(description="locality", ordering="partner__locality__name")
    def locality(self, obj: Contribution) -> Locality:
        return obj.partner.locality


class VolunteerMonthInline(admin.TabularInline):
    model = VolunteerMonth
    form = VolunteerMonthForm
    # One role's months checked together, as on the resources page: no month repeated,
    # none with more active than trained plus those active the month before.
    formset = VolunteerMonthFormSet
    extra = 0


@admin.register(VolunteerRole)
class VolunteerRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "locality", "hours_needed", "latest_month", "latest_active"]
    list_filter = ["locality"]
    search_fields = ["name", "tasks", "locality__name"]
    list_select_related = ["locality"]
    autocomplete_fields = ["locality"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [VolunteerMonthInline]

    def get_queryset(self, request):
        latest = VolunteerMonth.objects.filter(role=OuterRef("pk")).order_by("-month")
        return (
            super()
            .get_queryset(request)
            .annotate(
                _latest_month=Subquery(latest.values("month")[:1]),
                _latest_active=Subquery(latest.values("active")[:1]),
            )
        )

    def delete_model(self, request, obj):
        # Through the service, so the cards that named the role lose its hours too.
        services.delete_resource(resource=obj)

    def delete_queryset(self, request, queryset):
        for role in queryset.order_by("pk"):
            services.delete_resource(resource=role)

    @admin.display(description="latest month", ordering="_latest_month")
    def latest_month(self, obj: VolunteerRole) -> str:
        return f"{obj._latest_month:%B %Y}" if obj._latest_month else "–"

    @admin.display(description="active then", ordering="_latest_active")
    def latest_active(self, obj: VolunteerRole) -> int | None:
        return obj._latest_active


@admin.register(VolunteerMonth)
class VolunteerMonthAdmin(admin.ModelAdmin):
    """Every role's months, to list and filter across sites. Read only: a month is changed
    on its role's page, where the months are checked together (an active count rests on
    the month before), which a month edited alone would skip."""

    list_display = [
        "role",
        "locality",
        "month_label",
        "interested",
        "checked",
        "trained",
        "active",
        "left_count",
        "former_users",
    ]
    list_filter = ["role__locality", "month"]
    search_fields = ["role__name", "role__locality__name"]
    list_select_related = ["role__locality"]
    date_hierarchy = "month"
    ordering = ["role__locality__name", "role__name", "-month"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="locality", ordering="role__locality__name")
    def locality(self, obj: VolunteerMonth) -> Locality:
        return obj.role.locality

    @admin.display(description="month", ordering="month")
    def month_label(self, obj: VolunteerMonth) -> str:
        return f"{obj.month:%B %Y}"

    @admin.display(description="left")
    def left_count(self, obj: VolunteerMonth) -> int:
        return obj.left

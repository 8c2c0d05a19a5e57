"""The Blueprint admin: the review queue, with phases and lanes inline and the grid
previewed read-only. Title, summary, idea and the names of phases and lanes change here,
through the services; the review state only through the review actions."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from blueprints import services
from blueprints.admin.base import (
    HistoryWithoutRevert,
    OpenedAtVersionForm,
    ThroughServices,
    changed_fields,
)
from blueprints.admin.comments import CommentInline
from blueprints.admin.export_actions import ExportActions
from blueprints.admin.grid_preview import grid_preview_html
from blueprints.admin.review import ReviewActions, ReviewTransitionInline
from blueprints.content_fields import BLUEPRINT_FIELDS
from blueprints.models import Blueprint, Card, Lane, Phase, ReviewTransition
from blueprints.review import states as review_states
from localities.admin import count_subquery

_State = Blueprint.ReviewState
# The review queue: submitted blueprints first, then each by how long it has been in its
# state (its last review move, or its creation), oldest first.
_STATE_SINCE = Coalesce(
    Subquery(
        ReviewTransition.objects.filter(blueprint=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    ),
    F("created_at"),
)
_SUBMITTED_FIRST = Case(
    When(review_state=_State.SUBMITTED, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


class BlueprintAdminForm(OpenedAtVersionForm):
    noun = "blueprint"

    def clean_idea(self):
        idea = self.cleaned_data.get("idea")
        if idea is None and self.instance.idea_id is not None:
            # update_blueprint, like the site's form, changes the idea but never unsets it.
            raise ValidationError("Choose another idea; a blueprint's idea cannot be unset.")
        return idea


class PhaseInline(admin.TabularInline):
    model = Phase
    fields = ["position", "name", "description"]
    readonly_fields = ["position"]
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class LaneInline(admin.TabularInline):
    model = Lane
    fields = ["position", "role", "name"]
    readonly_fields = ["position", "role"]
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def deletion_refused(titles: list[str]) -> str:
    """Why the submitted blueprints named cannot be deleted, and what would allow it."""
    named = ", ".join(f"“{title}”" for title in titles)
    return (
        f"Not deleted: {named} {'is' if len(titles) == 1 else 'are'} submitted for review, "
        "and a blueprint is frozen while it waits for a decision. Approve it or request "
        "changes first, or ask its team to withdraw it."
    )


@admin.action(permissions=["delete"], description=django_delete_selected.short_description)
def delete_selected(modeladmin, request, queryset):
    """Django's "Delete selected", refused before its confirmation page when any of the
    chosen blueprints is submitted (`delete_queryset` refuses again, under lock)."""
    submitted = list(
        queryset.filter(review_state=_State.SUBMITTED)
        .order_by("title")
        .values_list("title", flat=True)
    )
    if submitted:
        modeladmin.message_user(request, deletion_refused(submitted), messages.ERROR)
        return None
    return django_delete_selected(modeladmin, request, queryset)


def _review_page_url(blueprint: Blueprint) -> str:
    try:
        return reverse(
            "blueprints:review", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
        )
    except NoReverseMatch:  # until the review routes are wired
        return ""


@admin.register(Blueprint)
class BlueprintAdmin(ThroughServices, ExportActions, ReviewActions, HistoryWithoutRevert):
    form = BlueprintAdminForm
    list_display = [
        "title",
        "locality",
        "review_state",
        "in_state_since",
        "idea",
        "card_count",
        "version",
        "updated_at",
    ]
    list_filter = ["review_state", "locality", ("idea", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["locality", "idea"]
    search_fields = ["title", "summary", "locality__name", "idea__title"]
    readonly_fields = [
        "locality",
        "review_state",
        "review_links",
        "grid_preview",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fields = [
        "locality",
        "review_state",
        "review_links",
        "idea",
        "title",
        "summary",
        "grid_preview",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "opened_at_version",
    ]
    inlines = [PhaseInline, LaneInline, ReviewTransitionInline, CommentInline]
    # The review queue (see _SUBMITTED_FIRST and _STATE_SINCE): expressions, not names,
    # since ModelAdmin orders the queryset before get_queryset() can annotate it, and other
    # admins order their choices of blueprint by it too.
    ordering = [_SUBMITTED_FIRST.asc(), _STATE_SINCE.asc(), "pk"]
    actions = [
        delete_selected,  # in place of the site-wide action of the same name
        "approve_selected",
        "request_changes_selected",
        "export_selected_as_pdf",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # created from an idea, with its default phases and lanes, by the service

    def get_queryset(self, request):
        """The card count by subquery (see `count_subquery`), not a join over every card;
        and the review queue's keys as columns, which its ORDER BY then names by position,
        so each row's state-since subquery runs once."""
        return (
            super()
            .get_queryset(request)
            .annotate(
                _card_count=count_subquery(Card, "blueprint"),
                _state_since=_STATE_SINCE,
                _submitted_first=_SUBMITTED_FIRST,
            )
        )

    @admin.display(description="cards", ordering="_card_count")
    def card_count(self, obj: Blueprint) -> int:
        return obj._card_count

    @admin.display(description="in this state since", ordering="_state_since")
    def in_state_since(self, obj: Blueprint):
        return obj._state_since

    @admin.display(description="grid")
    def grid_preview(self, obj: Blueprint) -> str:
        return grid_preview_html(obj)

    @admin.display(description="review")
    def review_links(self, obj: Blueprint) -> str:
        add_comment = reverse("admin:blueprints_comment_add") + f"?blueprint={obj.pk}"
        page = _review_page_url(obj)
        if not page:
            return format_html('<a href="{}">Add a comment</a>', add_comment)
        return format_html(
            '<a href="{}">Open the review page</a> · <a href="{}">Add a comment</a>',
            page,
            add_comment,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "idea" in form.base_fields:
            form.base_fields["idea"].queryset = obj.locality.ideas.all()
        return form

    def save_model(self, request, obj, form, change):
        """Title, summary and idea through `update_blueprint`, checked against the version
        the form was opened at; the review state moves only through the review actions."""
        # What the change form may change through `update_blueprint` (not the state).
        fields = changed_fields(form, BLUEPRINT_FIELDS)
        if not fields:
            return  # nothing of the blueprint's own changed: no new version
        saved = services.update_blueprint(
            blueprint=obj, expected_version=form.opened_version(), by=request.user, **fields
        )
        obj.version, obj.review_state = saved.version, saved.review_state

    def save_formset(self, request, form, formset, change):
        """Phase and lane names through the services, which bump the blueprint's version.
        (The other inlines are read-only; no row is added or deleted here.)"""
        formset.save(commit=False)  # sorts the rows, for the admin's change message
        for row, _fields in formset.changed_objects:
            if formset.model is Phase:
                services.rename_phase(
                    phase=row, name=row.name, description=row.description, by=request.user
                )
            elif formset.model is Lane:
                services.rename_lane(lane=row, name=row.name, by=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        """A submitted blueprint's Delete link leads back to its page with the reason,
        before the confirmation page; other blueprints are deleted as before. (Who may not
        delete at all is answered by Django, with 403.)"""
        blueprint = self.get_object(request, object_id)
        if (
            blueprint is not None
            and self.has_delete_permission(request, blueprint)
            and review_states.is_frozen(blueprint)
        ):
            self.message_user(request, deletion_refused([blueprint.title]), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:blueprints_blueprint_change", args=[blueprint.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        """Through `delete_blueprint`, which refuses a submitted blueprint under its lock
        (a submission made after the confirmation page was opened)."""
        try:
            services.delete_blueprint(blueprint=obj, by=request.user)
        except review_states.Frozen:
            raise review_states.Frozen(deletion_refused([obj.title])) from None

    def delete_queryset(self, request, queryset):
        """All or none (see `RefusalsAsMessages.changelist_view`)."""
        for blueprint in queryset.order_by("pk"):
            self.delete_model(request, blueprint)

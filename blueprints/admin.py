"""The admin, for innovation-unit reviewers who read every site (and superusers who fix).

Structure (which cell a card sits in, positions, which blueprint a record belongs to) is
read-only here: it changes through `blueprints.services`, which keeps positions dense and
versions current. Cards, challenges and prototypes are created in the blueprint editor.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from blueprints import services
from blueprints.content_fields import (
    BLUEPRINT_FIELDS,
    CARD_FIELDS,
    CHALLENGE_FIELDS,
    PROTOTYPE_FIELDS,
)
from blueprints.exports.admin_actions import ExportActions
from blueprints.models import (
    Blueprint,
    BlueprintVersion,
    Card,
    Comment,
    DeliveryChallenge,
    Lane,
    Phase,
    Prototype,
    ReviewTransition,
)
from blueprints.progress import (
    blueprint_state_label,
    decisions_summary,
    with_progress,
    with_review_summary,
)
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from blueprints.review import states as review_states
from localities import permissions
from localities.admin import LocalityAdmin, RefusalsAsMessages
from localities.models import Locality
from localities.validators import TextHygieneMixin


class HistoryWithoutRevert(SimpleHistoryAdmin):
    """History pages, but no reverting: an old record would bring back stale positions."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ThroughServices(RefusalsAsMessages):
    """Admin saves go through `blueprints.services`, like the editor's: they take the same
    locks, bump the blueprint's version, record history and return an approved blueprint
    to draft. A refusal (a version conflict, a rule) becomes a message and nothing is saved.
    """

    refusals = (services.VersionConflict, ValidationError)

    def save_related(self, request, form, formsets, change):
        # The service in save_model has set the many-to-many fields already.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class OpenedAtVersionForm(forms.ModelForm):
    """Carries the version the change form was opened at, so a save made on top of someone
    else's later change is refused instead of silently overwriting it."""

    opened_at_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    noun = "record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_at_version"].initial = self.instance.version

    def opened_version(self) -> int:
        """The version the form was opened at. A POST without the field (a script, not the
        rendered form) is held to the version read at the start of this request."""
        opened = self.cleaned_data.get("opened_at_version")
        return self.instance.version if opened is None else opened

    def clean(self):
        cleaned = super().clean()
        # Early and friendly, keeping what was typed; the service checks again under lock.
        if self.instance.pk is not None:
            stored = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored != self.opened_version():
                raise ValidationError(
                    f"Someone changed this {self.noun} since you opened it: your change was "
                    "not saved. Reload the page to see their change, then make yours again.",
                    code="stale",
                )
        return cleaned


class CardAdminForm(OpenedAtVersionForm):
    noun = "card"


class BlueprintAdminForm(OpenedAtVersionForm):
    noun = "blueprint"

    def clean_idea(self):
        idea = self.cleaned_data.get("idea")
        if idea is None and self.instance.idea_id is not None:
            # update_blueprint, like the site's form, changes the idea but never unsets it.
            raise ValidationError("Choose another idea; a blueprint's idea cannot be unset.")
        return idea


def _changed(form: forms.ModelForm, allowed) -> dict:
    """The changed form fields a service accepts, by name, with their cleaned values."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}


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


# Review (issue 5) -----------------------------------------------------------------------

_State = Blueprint.ReviewState
# What the blueprint change form may change through `update_blueprint` (not the state).
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


def _review_page_url(blueprint: Blueprint) -> str:
    try:
        return reverse(
            "blueprints:review", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
        )
    except NoReverseMatch:  # until the review routes are wired
        return ""


class ReviewTransitionInline(admin.TabularInline):
    """The review history, read-only: moves happen through the review services."""

    model = ReviewTransition
    verbose_name = "review step"
    verbose_name_plural = "review history"
    fields = ["at", "by", "from_state", "to_state", "note", "blueprint_version"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CommentInline(admin.TabularInline):
    """The conversation, read-only: comments are added on the review page or in Comments."""

    model = Comment
    fk_name = "blueprint"
    fields = ["created_at", "author", "about", "reply_to", "body", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "card", "resolved_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="about")
    def about(self, obj: Comment) -> str:
        return _comment_about(obj)

    @admin.display(description="reply to")
    def reply_to(self, obj: Comment) -> str:
        return f"comment {obj.parent_id}" if obj.parent_id else ""

    @admin.display(description="status")
    def status(self, obj: Comment) -> str:
        return _comment_status(obj)


def _comment_about(comment: Comment) -> str:
    if comment.card_id is not None:
        return f"card “{comment.card.title}”"
    if comment.card_title:
        return f"card “{comment.card_title}” (deleted)"
    return "the blueprint"


def _comment_status(comment: Comment) -> str:
    if comment.parent_id:
        return "reply"
    if comment.is_open:
        return "open"
    by = comment.resolved_by.get_username() if comment.resolved_by else "a former user"
    return f"resolved by {by}"


class DecisionNoteForm(TextHygieneMixin, forms.Form):
    note = forms.CharField(
        label="Note for the team",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=review_states.NOTE_MAX_LENGTH,
        help_text="The locality's editors and leads receive it by email with the decision.",
    )


class ReviewActions:
    """Admin actions for reviewers, who have only view permissions on blueprints: guarded by
    `has_review_permission` (Django's `@admin.action(permissions=["review"])`), asking for
    a note on an intermediate page, and applied one blueprint at a time by the review
    services, which refuse a blueprint that is not submitted and change nothing for it."""

    def has_review_permission(self, request) -> bool:
        return permissions.can_review(request.user)

    @admin.action(description="Approve selected blueprints", permissions=["review"])
    def approve_selected(self, request, queryset):
        return self._decide(request, queryset, "approve")

    @admin.action(description="Request changes on selected blueprints", permissions=["review"])
    def request_changes_selected(self, request, queryset):
        return self._decide(request, queryset, "request_changes")

    def _decide(self, request, queryset, action: str):
        rule = review_states.RULES[action]
        blueprints = list(queryset.select_related("locality").order_by("locality__name", "title"))
        form = DecisionNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = [], []
            for blueprint in blueprints:
                try:
                    review_actions.SERVICES[action](
                        blueprint=blueprint, by=request.user, note=form.cleaned_data["note"]
                    )
                except review_states.ReviewRefused as refusal:
                    refused.append(f"“{blueprint.title}” ({refusal.message})")
                else:
                    done.append(f"“{blueprint.title}”")
            if done:
                self.message_user(request, f"{rule.label}: {', '.join(done)}.", messages.SUCCESS)
            if refused:
                self.message_user(
                    request, f"Left unchanged: {'; '.join(refused)}", messages.WARNING
                )
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "title": f"{rule.label}: a note for the team",
            "opts": self.model._meta,
            "rule": rule,
            "form": form,
            "blueprints": blueprints,
            "ready": [b for b in blueprints if b.review_state in rule.sources],
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "blueprints/review/admin_note.html", context)


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
    # since ModelAdmin orders the queryset before get_queryset() can annotate it.
    ordering = [_SUBMITTED_FIRST.asc(), _STATE_SINCE.asc(), "pk"]
    actions = ["approve_selected", "request_changes_selected", "export_selected_as_pdf"]

    def has_add_permission(self, request) -> bool:
        return False  # created from an idea, with its default phases and lanes, by the service

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_card_count=Count("cards"), _state_since=_STATE_SINCE)
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
        fields = _changed(form, BLUEPRINT_FIELDS)
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


@admin.register(Card)
class CardAdmin(ThroughServices, HistoryWithoutRevert):
    form = CardAdminForm
    list_display = ["title", "kind", "emotion", "blueprint", "phase", "lane", "position"]
    list_filter = ["kind", "lane__role", "blueprint__locality"]
    list_select_related = ["blueprint", "phase", "lane"]
    search_fields = ["title", "details", "blueprint__title"]
    readonly_fields = ["blueprint", "phase", "lane", "position", "version"]
    fields = [
        "blueprint",
        "phase",
        "lane",
        "position",
        "title",
        "details",
        "kind",
        "emotion",
        "insights",
        "version",
        "opened_at_version",
    ]
    filter_horizontal = ["insights"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "insights" in form.base_fields:
            form.base_fields["insights"].queryset = obj.blueprint.locality.insights.all()
        return form

    def save_model(self, request, obj, form, change):
        """Through `update_card`, with the version the form was opened at: a card someone
        changed since is left as they left it."""
        fields = _changed(form, CARD_FIELDS)
        if not fields:
            return
        saved = services.update_card(
            card=obj, expected_version=form.opened_version(), by=request.user, **fields
        )
        obj.version = saved.version

    def delete_model(self, request, obj):
        services.delete_card(card=obj, expected_version=obj.version, by=request.user)

    def delete_queryset(self, request, queryset):
        for card in queryset.order_by("blueprint_id", "pk"):
            services.delete_card(card=card, expected_version=card.version, by=request.user)


class _InBlueprintAdmin(ThroughServices, HistoryWithoutRevert):
    """Delivery challenges and prototypes: related cards limited to their own blueprint."""

    related_to_blueprint: tuple[str, ...] = ()
    service_fields: tuple[str, ...] = ()
    readonly_fields = ["blueprint"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            for name in self.related_to_blueprint:
                if name in form.base_fields:
                    # Blueprint.cards and Blueprint.delivery_challenges share these names.
                    form.base_fields[name].queryset = getattr(obj.blueprint, name).all()
        return form

    def save_model(self, request, obj, form, change):
        fields = _changed(form, self.service_fields)
        if fields:
            self.update(obj, by=request.user, **fields)

    def update(self, obj, *, by, **fields) -> None:
        raise NotImplementedError


@admin.register(DeliveryChallenge)
class DeliveryChallengeAdmin(_InBlueprintAdmin):
    list_display = ["title", "theme", "blueprint", "updated_at"]
    list_filter = ["theme", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "questions", "blueprint__title"]
    fields = ["blueprint", "theme", "title", "questions", "cards"]
    filter_horizontal = ["cards"]
    related_to_blueprint = ("cards",)
    service_fields = CHALLENGE_FIELDS

    def update(self, obj, *, by, **fields) -> None:
        services.update_delivery_challenge(challenge=obj, by=by, **fields)


@admin.register(Prototype)
class PrototypeAdmin(_InBlueprintAdmin):
    list_display = ["title", "status", "decision", "risk", "cost", "starts_on", "blueprint"]
    list_filter = ["status", "decision", "risk", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "hypothesis", "learning", "blueprint__title"]
    fields = [
        "blueprint",
        "title",
        "cards",
        "delivery_challenges",
        "hypothesis",
        "method",
        "cost",
        "risk",
        ("starts_on", "ends_on"),
        "status",
        "learning",
        "decision",
    ]
    filter_horizontal = ["cards", "delivery_challenges"]
    related_to_blueprint = ("cards", "delivery_challenges")
    service_fields = PROTOTYPE_FIELDS

    def update(self, obj, *, by, **fields) -> None:
        services.update_prototype(prototype=obj, by=by, **fields)


class CommentAdminForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["blueprint", "card", "body"]

    def clean(self):
        data = super().clean()
        blueprint, card = data.get("blueprint"), data.get("card")
        if blueprint is not None and card is not None and card.blueprint_id != blueprint.pk:
            self.add_error("card", "Choose a card of this blueprint.")
        return data


class CommentOpenFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(parent__isnull=True, resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(parent__isnull=True, resolved_at__isnull=False)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments for reviewers: read every conversation, comment on a blueprint or a card
    (through `review_comments.add_comment`, which notifies the team), resolve conversations. Nobody
    edits a comment after the fact; replies are written on the review page."""

    form = CommentAdminForm
    list_display = ["short_body", "blueprint", "about", "author", "created_at", "status"]
    list_filter = [CommentOpenFilter, "blueprint__locality"]
    list_select_related = ["blueprint", "card", "author", "resolved_by"]
    search_fields = ["body", "blueprint__title", "card_title"]
    readonly_fields = ["about", "parent", "author", "created_at", "status"]
    actions = ["resolve_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["blueprint", "card", "body"]
        return ["blueprint", "about", "parent", "author", "created_at", "body", "status"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "card" in form.base_fields:
            chosen = request.POST.get("blueprint") or request.GET.get("blueprint") or ""
            card = form.base_fields["card"]
            card.queryset = (
                Card.objects.filter(blueprint_id=chosen)
                .select_related("phase", "lane")
                .order_by("phase__position", "lane__position", "position")
                if chosen.isdigit()
                else Card.objects.none()
            )
            card.label_from_instance = lambda c: f"{c.phase.name} · {c.lane.name}: {c.title}"
            card.help_text = (
                "Optional. The cards of the blueprint chosen when this page opened; open it "
                "from a blueprint's page to comment on one of its cards."
            )
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_resolve_permission(self, request) -> bool:
        return permissions.can_review(request.user)

    def save_model(self, request, obj, form, change):
        try:
            comment = review_comments.add_comment(
                blueprint=obj.blueprint, by=request.user, body=obj.body, card=obj.card
            )
        except review_states.NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from refusal
        obj.pk, obj.author, obj.created_at = comment.pk, comment.author, comment.created_at
        obj.card_title = comment.card_title
        obj._state.adding = False

    @admin.action(description="Resolve selected conversations", permissions=["resolve"])
    def resolve_selected(self, request, queryset):
        resolved = 0
        for comment in queryset.filter(parent__isnull=True).select_related("blueprint__locality"):
            try:
                review_comments.resolve_comment(comment=comment, by=request.user)
            except (review_states.ReviewRefused, ValidationError):
                continue
            resolved += 1
        self.message_user(request, f"Resolved {resolved} conversation(s).", messages.SUCCESS)

    @admin.display(description="comment")
    def short_body(self, obj: Comment) -> str:
        return str(obj)

    @admin.display(description="about")
    def about(self, obj: Comment) -> str:
        return _comment_about(obj)

    @admin.display(description="status")
    def status(self, obj: Comment) -> str:
        return _comment_status(obj)


# The grid, read-only, on the change page (issue 5) -------------------------------------------


def grid_preview_html(blueprint: Blueprint) -> str:
    """The blueprint's grid in three queries (phases, lanes, cards): phases as columns,
    lanes as rows, each card's title and kind in words."""
    if blueprint.pk is None:
        return ""
    phases = list(Phase.objects.filter(blueprint=blueprint).order_by("position"))
    lanes = list(Lane.objects.filter(blueprint=blueprint).order_by("position"))
    cells: dict[tuple[int, int], list[Card]] = {}
    for card in Card.objects.filter(blueprint=blueprint).order_by("position"):
        cells.setdefault((card.phase_id, card.lane_id), []).append(card)
    return render_to_string(
        "admin/blueprints/blueprint/_grid_preview.html",
        {
            "phases": phases,
            "rows": [
                (lane, [cells.get((phase.pk, lane.pk), []) for phase in phases]) for lane in lanes
            ],
            "card_count": sum(len(cards) for cards in cells.values()),
        },
    )


# The Locality list with each site's progress (issue 5) -----------------------------------
# Here rather than in localities/admin.py: localities imports neither of the other apps.


class LocalityProgressAdmin(LocalityAdmin):
    list_display = [
        "name",
        "area",
        "member_count",
        "insights",
        "challenges",
        "ideas",
        "consultations",
        "responses",
        "top_idea",
        "blueprint_state",
        "prototypes",
    ]

    def get_queryset(self, request):
        return with_review_summary(with_progress(super().get_queryset(request)))

    @admin.display(description="insights", ordering="insights_count")
    def insights(self, obj: Locality) -> int:
        return obj.insights_count

    @admin.display(description="challenges", ordering="challenges_count")
    def challenges(self, obj: Locality) -> int:
        return obj.challenges_count

    @admin.display(description="ideas", ordering="ideas_count")
    def ideas(self, obj: Locality) -> int:
        return obj.ideas_count

    @admin.display(description="consultations", ordering="consultations_count")
    def consultations(self, obj: Locality) -> int:
        return obj.consultations_count

    @admin.display(description="responses", ordering="responses_count")
    def responses(self, obj: Locality) -> int:
        return obj.responses_count

    @admin.display(description="top idea", ordering="top_idea_title")
    def top_idea(self, obj: Locality) -> str:
        return obj.top_idea_title or "not chosen yet"

    @admin.display(description="blueprint state", ordering="blueprint_state")
    def blueprint_state(self, obj: Locality) -> str:
        return blueprint_state_label(obj.blueprint_state)

    @admin.display(description="prototypes and decisions", ordering="prototypes_count")
    def prototypes(self, obj: Locality) -> str:
        return decisions_summary(obj)


admin.site.unregister(Locality)
admin.site.register(Locality, LocalityProgressAdmin)


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

"""The DeliveryChallenge and Prototype admins: both belong to one blueprint, link only its
cards (and, for a prototype, its delivery challenges and questions, and its locality's
spaces, partners and volunteer roles), and save through the
services. A challenge's questions are rows of it; a prototype's results are fields of it,
and its measures rows of it, replaced together by `set_prototype_measures`."""

from django.contrib import admin

from blueprints import services
from blueprints.admin.base import HistoryWithoutRevert, ThroughServices, changed_fields
from blueprints.admin.questions import members_of
from blueprints.content_fields import CHALLENGE_FIELDS, PROTOTYPE_FIELDS, RESULT_FIELDS
from blueprints.models import DeliveryChallenge, DeliveryQuestion, Prototype, PrototypeMeasure
from blueprints.services import MeasureRow

# What a question's row in its challenge's page edits (its evidence is on its own page).
QUESTION_ROW_FIELDS = ("text", "status", "owner", "answer", "answered_on")
MEASURE_FIELDS = ("name", "unit", "baseline", "target", "actual")


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
            # The locality's own community resources only (the services check again).
            for name in ("spaces", "partners", "volunteer_roles"):
                if name in form.base_fields:
                    model = form.base_fields[name].queryset.model
                    form.base_fields[name].queryset = model.objects.filter(
                        locality_id=obj.blueprint.locality_id
                    )
            if "questions" in form.base_fields:
                form.base_fields["questions"].queryset = DeliveryQuestion.objects.filter(
                    challenge__blueprint_id=obj.blueprint_id
                ).select_related("challenge")
        return form

    def save_model(self, request, obj, form, change):
        fields = changed_fields(form, self.service_fields)
        if fields:
            self.update(obj, by=request.user, **fields)

    def update(self, obj, *, by, **fields) -> None:
        raise NotImplementedError


class QuestionInline(admin.StackedInline):
    """A challenge's questions, saved by `DeliveryChallengeAdmin.save_formset` through the
    question services."""

    model = DeliveryQuestion
    fields = list(QUESTION_ROW_FIELDS)
    extra = 0
    ordering = ["position", "pk"]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and "owner" in formset.form.base_fields:
            formset.form.base_fields["owner"].queryset = members_of(obj.blueprint.locality_id)
        return formset


@admin.register(DeliveryChallenge)
class DeliveryChallengeAdmin(_InBlueprintAdmin):
    list_display = ["title", "theme", "blueprint", "updated_at"]
    list_filter = ["theme", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "questions__text", "blueprint__title"]
    fields = ["blueprint", *CHALLENGE_FIELDS]
    filter_horizontal = ["cards"]
    related_to_blueprint = ("cards",)
    service_fields = CHALLENGE_FIELDS
    inlines = [QuestionInline]

    def update(self, obj, *, by, **fields) -> None:
        services.update_delivery_challenge(challenge=obj, by=by, **fields)

    def save_formset(self, request, form, formset, change):
        """Each question added, changed or deleted through its service (the positions of
        new ones follow the others)."""
        formset.save(commit=False)  # sets the rows' values, for the admin's change message
        by = request.user
        for question in formset.deleted_objects:
            services.delete_delivery_question(question=question, by=by)
        for question, changed in formset.changed_objects:
            fields = {
                name: getattr(question, name) for name in changed if name in QUESTION_ROW_FIELDS
            }
            services.update_delivery_question(question=question, by=by, **fields)
        for question in formset.new_objects:
            created = services.create_delivery_question(
                challenge=form.instance, text=question.text, owner=question.owner, by=by
            )
            more = {
                name: getattr(question, name)
                for name in ("status", "answer", "answered_on")
                if getattr(question, name) != getattr(created, name)
            }
            if more:
                services.update_delivery_question(question=created, by=by, **more)
            question.pk = created.pk


class MeasureInline(admin.TabularInline):
    """A prototype's measures, saved together by `PrototypeAdmin.save_formset`."""

    model = PrototypeMeasure
    fields = list(MEASURE_FIELDS)
    extra = 0
    ordering = ["position", "pk"]


@admin.register(Prototype)
class PrototypeAdmin(_InBlueprintAdmin):
    list_display = [
        "title",
        "status",
        "decision",
        "families_reached",
        "cost_per_family_shown",
        "starts_on",
        "blueprint",
    ]
    list_filter = ["status", "decision", "risk", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "hypothesis", "learning", "blueprint__title"]
    fieldsets = [
        (None, {"fields": ["blueprint", *PROTOTYPE_FIELDS]}),
        ("Results", {"fields": [*RESULT_FIELDS, "cost_per_family_shown"]}),
    ]
    readonly_fields = ["blueprint", "cost_per_family_shown"]
    filter_horizontal = [
        "cards",
        "delivery_challenges",
        "questions",
        "spaces",
        "partners",
        "volunteer_roles",
    ]
    related_to_blueprint = ("cards", "delivery_challenges")
    service_fields = (*PROTOTYPE_FIELDS, *RESULT_FIELDS)
    inlines = [MeasureInline]

    @admin.display(description="cost per family")
    def cost_per_family_shown(self, obj: Prototype) -> str:
        if not obj.families_reached:
            return "not reached" if obj.families_reached == 0 else "–"
        return "–" if obj.cost_per_family is None else f"£{obj.cost_per_family:,.2f}"

    def update(self, obj, *, by, **fields) -> None:
        services.update_prototype(prototype=obj, by=by, **fields)

    def save_formset(self, request, form, formset, change):
        """The measures as the form leaves them, in order, through one
        `set_prototype_measures` (which replaces them all), if any changed."""
        formset.save(commit=False)
        if not (formset.new_objects or formset.changed_objects or formset.deleted_objects):
            return
        deleted = {measure.pk for measure in formset.deleted_objects}
        kept = [
            row.instance
            for row in formset.forms  # in the order shown, which becomes their positions
            if row.instance in formset.new_objects
            or (row.instance.pk is not None and row.instance.pk not in deleted)
        ]
        services.set_prototype_measures(
            prototype=form.instance,
            measures=[MeasureRow(**{n: getattr(m, n) for n in MEASURE_FIELDS}) for m in kept],
            by=request.user,
        )

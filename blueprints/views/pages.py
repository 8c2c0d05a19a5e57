"""The pages around the editor: the list, creating, editing and deleting a blueprint, the
text view, the history, and managing phases and lanes.

Every write goes through `blueprints.services`; their ValidationErrors come back as form
errors. Delivery challenges and prototypes are in `planning`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from blueprints import services
from blueprints.forms import (
    BlueprintCreateForm,
    BlueprintUpdateForm,
    LaneAddForm,
    LaneRenameForm,
    MoveForm,
    PhaseAddForm,
    PhaseForm,
    add_service_errors,
)
from blueprints.models import (
    Blueprint,
    BlueprintLine,
    Card,
    CardLink,
    DeliveryChallenge,
    Lane,
    Phase,
    Prototype,
    lane_boundaries,
)
from blueprints.selectors import history_for
from blueprints.views.base import BlueprintAccessMixin
from consultations.models import Idea
from localities.listing import paginate
from localities.mixins import LocalityAccessMixin

EMOTION_WORDS = {
    -2: "very unhappy",
    -1: "unhappy",
    0: "neither happy nor unhappy",
    1: "happy",
    2: "very happy",
}
LINE_MEANINGS = {
    BlueprintLine.INTERACTION: "where the family and the service meet",
    BlueprintLine.VISIBILITY: "families see what is above it, not what is below",
    BlueprintLine.INTERNAL_INTERACTION: "where the service's own work meets the support "
    "structures and processes behind it",
}
THEME_ORDER = {value: index for index, value in enumerate(DeliveryChallenge.Theme.values)}
HISTORY_STEP = 50
HISTORY_MAX = 1000


def emotion_in_words(emotion: int | None) -> str:
    """E.g. "very unhappy (−2 on a scale from −2 to +2)"; empty when there is no emotion."""
    if emotion is None:
        return ""
    number = f"+{emotion}" if emotion > 0 else f"−{-emotion}" if emotion < 0 else "0"
    return f"{EMOTION_WORDS[emotion]} ({number} on a scale from −2 to +2)"


def count_of(queryset: QuerySet, field_name: str) -> Coalesce:
    """A correlated COUNT, so that several counts on one row do not multiply each other."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(field_name).annotate(n=Count("*")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def structure_url(blueprint: Blueprint, anchor: str = "") -> str:
    url = reverse(
        "blueprints:structure", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
    )
    return f"{url}#{anchor}" if anchor else url


# The list, creating, editing and deleting ------------------------------------------------


class BlueprintListView(LocalityAccessMixin, TemplateView):
    template_name = "blueprints/pages/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blueprints = (
            Blueprint.objects.filter(locality=self.locality)
            .select_related("idea", "locality")
            .annotate(
                card_count=count_of(Card.objects.filter(blueprint=OuterRef("pk")), "blueprint"),
                challenge_count=count_of(
                    DeliveryChallenge.objects.filter(blueprint=OuterRef("pk")), "blueprint"
                ),
                prototype_count=count_of(
                    Prototype.objects.filter(blueprint=OuterRef("pk")), "blueprint"
                ),
            )
            .order_by("-updated_at", "pk")
        )
        page = paginate(self.request, blueprints)
        context.update(
            page_obj=page,
            blueprints=page.object_list,
            top_idea=self.locality.ideas.filter(status=Idea.Status.CHOSEN).first(),
        )
        return context


class BlueprintCreateView(LocalityAccessMixin, FormView):
    access = "edit"
    form_class = BlueprintCreateForm
    template_name = "blueprints/pages/create.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def form_valid(self, form):
        data = form.cleaned_data
        by = self.request.user
        try:
            with transaction.atomic():
                if data["start"] == form.FROM_COPY:
                    blueprint = services.copy_blueprint(
                        source=data["copy_of"], title=data["title"], by=by
                    )
                    if data["summary"]:
                        blueprint = services.update_blueprint(
                            blueprint=blueprint, summary=data["summary"], by=by
                        )
                    message = f"“{blueprint.title}” is a copy of “{data['copy_of'].title}”."
                else:
                    blueprint = services.create_blueprint(
                        locality=self.locality,
                        idea=data["idea"],
                        title=data["title"],
                        summary=data["summary"],
                        by=by,
                    )
                    message = f"Blueprint “{blueprint.title}” created."
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(blueprint.get_absolute_url())


class BlueprintUpdateView(BlueprintAccessMixin, FormView):
    access = "edit"
    form_class = BlueprintUpdateForm
    template_name = "blueprints/pages/update.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "blueprint": self.blueprint}

    def get_initial(self):
        blueprint = self.blueprint
        return {"title": blueprint.title, "summary": blueprint.summary, "idea": blueprint.idea_id}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            blueprint = services.update_blueprint(
                blueprint=self.blueprint,
                title=data["title"],
                summary=data["summary"],
                idea=data.get("idea"),
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Blueprint saved.")
        return redirect(blueprint.get_absolute_url())


class BlueprintDeleteView(BlueprintAccessMixin, TemplateView):
    access = "edit"
    template_name = "blueprints/pages/delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blueprint = self.blueprint
        context["counts"] = {
            "cards": blueprint.cards.count(),
            "challenges": blueprint.delivery_challenges.count(),
            "prototypes": blueprint.prototypes.count(),
        }
        return context

    def post(self, request, *args, **kwargs):
        title = self.blueprint.title
        services.delete_blueprint(blueprint=self.blueprint, by=request.user)
        messages.success(request, f"Blueprint “{title}” deleted.")
        return redirect("blueprints:list", slug=self.locality.slug)


# Reading: the text view and the history --------------------------------------------------


@dataclass
class LaneSection:
    lane: Lane
    cards: list[Card] = field(default_factory=list)


@dataclass
class PhaseSection:
    phase: Phase
    lanes: list[LaneSection] = field(default_factory=list)

    @property
    def card_count(self) -> int:
        return sum(len(section.cards) for section in self.lanes)


@dataclass(frozen=True)
class LineText:
    name: str
    above: str
    below: str
    meaning: str


def blueprint_in_text(blueprint: Blueprint) -> dict:
    """Everything the text view reads, in a fixed number of queries whatever the size."""
    phases = list(blueprint.phases.order_by("position"))
    lanes = list(blueprint.lanes.order_by("position"))
    cards = list(Card.objects.filter(blueprint=blueprint).order_by("position"))
    by_id = {card.pk: card for card in cards}
    serves = defaultdict(list)
    for from_id, to_id in CardLink.objects.filter(from_card__blueprint=blueprint).values_list(
        "from_card_id", "to_card_id"
    ):
        serves[from_id].append(by_id[to_id])
    by_cell = defaultdict(list)
    for card in cards:
        card.serves_cards = serves.get(card.pk, [])
        card.emotion_words = emotion_in_words(card.emotion)
        by_cell[(card.phase_id, card.lane_id)].append(card)
    sections = [
        PhaseSection(phase, [LaneSection(lane, by_cell[(phase.pk, lane.pk)]) for lane in lanes])
        for phase in phases
    ]
    lines = [
        LineText(line.label, boundary.above.name, boundary.below.name, LINE_MEANINGS[line])
        for boundary in lane_boundaries(lanes)
        for line in boundary.lines
    ]
    card_ids = Prefetch("cards", Card.objects.only("id"))
    challenges = sorted(
        blueprint.delivery_challenges.order_by("title", "pk").prefetch_related(card_ids),
        key=lambda challenge: THEME_ORDER[challenge.theme],
    )
    prototypes = list(
        blueprint.prototypes.order_by("starts_on", "title").prefetch_related(
            card_ids, Prefetch("delivery_challenges", DeliveryChallenge.objects.only("id"))
        )
    )
    challenge_by_id = {challenge.pk: challenge for challenge in challenges}
    for item in [*challenges, *prototypes]:
        item.card_list = [by_id[card.pk] for card in item.cards.all() if card.pk in by_id]
    for prototype in prototypes:
        prototype.challenge_list = [
            challenge_by_id[c.pk] for c in prototype.delivery_challenges.all()
        ]
    return {
        "sections": sections,
        "lanes": lanes,
        "card_count": len(cards),
        "lines": lines,
        "challenges": challenges,
        "prototypes": prototypes,
    }


class BlueprintTextView(BlueprintAccessMixin, TemplateView):
    template_name = "blueprints/pages/text.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(blueprint_in_text(self.blueprint))
        return context


class BlueprintHistoryView(BlueprintAccessMixin, TemplateView):
    """The latest changes, HISTORY_STEP at a time: "Show older changes" asks for more."""

    template_name = "blueprints/pages/history.html"

    def get_limit(self) -> int:
        try:
            limit = int(self.request.GET.get("limit", HISTORY_STEP))
        except (TypeError, ValueError):
            limit = HISTORY_STEP
        return max(HISTORY_STEP, min(limit, HISTORY_MAX))  # "Show older" adds a step

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        limit = self.get_limit()
        entries = history_for(self.blueprint, limit=limit + 1)
        truncated = len(entries) > limit
        context.update(
            entries=entries[:limit],
            limit=limit,
            truncated=truncated,
            more_limit=limit + HISTORY_STEP if truncated and limit < HISTORY_MAX else None,
        )
        return context


# Phases and lanes ------------------------------------------------------------------------


def _with_card_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(card_count=Count("cards")).order_by("position")


class StructureView(BlueprintAccessMixin, TemplateView):
    """Phases and lanes in order, each with its forms; the forms post to the views below."""

    template_name = "blueprints/pages/structure.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        phases = list(_with_card_counts(self.blueprint.phases.all()))
        lanes = list(_with_card_counts(self.blueprint.lanes.all()))
        for phase in phases:
            phase.form = PhaseForm(
                initial={"name": phase.name, "description": phase.description},
                auto_id=f"id_phase{phase.pk}_%s",
            )
        for lane in lanes:
            lane.form = LaneRenameForm(initial={"name": lane.name}, auto_id=f"id_lane{lane.pk}_%s")
            lane.lines_below = ()
            lane.canonical_name = Lane.CANONICAL_NAMES[lane.role]
        for boundary in lane_boundaries(lanes):
            boundary.above.lines_below = [line.label for line in boundary.lines]
        context.update(
            phases=phases,
            lanes=lanes,
            phase_add_form=PhaseAddForm(phases=phases, auto_id="id_new_phase_%s"),
            lane_add_form=LaneAddForm(lanes=lanes, auto_id="id_new_lane_%s"),
        )
        return context


class _GridPartMixin(BlueprintAccessMixin):
    """One phase or lane of the blueprint (404 if it is not one of this blueprint's)."""

    access = "edit"
    model: type[Phase] | type[Lane]
    noun: str  # "phase" or "lane"

    @cached_property
    def part(self) -> Phase | Lane:
        return get_object_or_404(
            _with_card_counts(self.model.objects.filter(blueprint=self.blueprint)),
            pk=self.kwargs[f"{self.noun}_pk"],
        )

    def allowed(self, access: str) -> bool:
        self.part  # noqa: B018 -- resolve (or 404) before deciding 403
        return super().allowed(access)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(part=self.part, noun=self.noun)
        return context

    def done(self, message: str, anchor: str = ""):
        messages.success(self.request, message)
        return redirect(structure_url(self.blueprint, anchor))


class _GridPartAddView(BlueprintAccessMixin, FormView):
    access = "edit"
    template_name = "blueprints/pages/part_form.html"
    noun: str

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "noun": self.noun, "adding": True}

    def add(self, data: dict) -> Phase | Lane:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            part = self.add(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Added the {self.noun} “{part.name}”.")
        return redirect(structure_url(self.blueprint, f"{self.noun}-{part.pk}"))


class PhaseAddView(_GridPartAddView):
    form_class = PhaseAddForm
    noun = "phase"

    def get_form_kwargs(self):
        phases = list(self.blueprint.phases.order_by("position"))
        return {**super().get_form_kwargs(), "phases": phases}

    def add(self, data):
        return services.add_phase(
            blueprint=self.blueprint,
            name=data["name"],
            description=data["description"],
            position=data["position"],
            by=self.request.user,
        )


class LaneAddView(_GridPartAddView):
    form_class = LaneAddForm
    noun = "lane"

    def get_form_kwargs(self):
        lanes = list(self.blueprint.lanes.order_by("position"))
        return {**super().get_form_kwargs(), "lanes": lanes}

    def add(self, data):
        return services.add_lane(
            blueprint=self.blueprint,
            role=data["role"],
            name=data["name"],
            position=data["position"],
            by=self.request.user,
        )


class _GridPartEditView(_GridPartMixin, FormView):
    template_name = "blueprints/pages/part_form.html"

    def rename(self, data: dict) -> Phase | Lane:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            part = self.rename(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return self.done(f"Saved the {self.noun} “{part.name}”.", f"{self.noun}-{part.pk}")


class PhaseEditView(_GridPartEditView):
    model, noun, form_class = Phase, "phase", PhaseForm

    def get_initial(self):
        return {"name": self.part.name, "description": self.part.description}

    def rename(self, data):
        return services.rename_phase(
            phase=self.part,
            name=data["name"],
            description=data["description"],
            by=self.request.user,
        )


class LaneEditView(_GridPartEditView):
    model, noun, form_class = Lane, "lane", LaneRenameForm

    def get_initial(self):
        return {"name": self.part.name}

    def rename(self, data):
        return services.rename_lane(lane=self.part, name=data["name"], by=self.request.user)


class _GridPartMoveView(_GridPartMixin, FormView):
    """POST only: one step earlier or later (phases), up or down (lanes)."""

    http_method_names = ["post"]
    form_class = MoveForm
    words = {-1: "", 1: ""}

    def move(self, position: int) -> Phase | Lane:
        raise NotImplementedError

    def form_invalid(self, form):
        messages.error(self.request, "Choose which way to move it.")
        return redirect(structure_url(self.blueprint))

    def form_valid(self, form):
        position = max(0, self.part.position + form.step)
        try:
            part = self.move(position)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(structure_url(self.blueprint))
        return self.done(
            f"Moved the {self.noun} “{part.name}” {self.words[form.step]}.",
            f"{self.noun}-{part.pk}",
        )


class PhaseMoveView(_GridPartMoveView):
    model, noun = Phase, "phase"
    words = {-1: "earlier", 1: "later"}

    def move(self, position):
        return services.move_phase(phase=self.part, position=position, by=self.request.user)


class LaneMoveView(_GridPartMoveView):
    model, noun = Lane, "lane"
    words = {-1: "up", 1: "down"}

    def move(self, position):
        return services.move_lane(lane=self.part, position=position, by=self.request.user)


class _GridPartDeleteView(_GridPartMixin, TemplateView):
    """A confirmation that says how many cards go with it, then the removal."""

    template_name = "blueprints/pages/part_delete.html"

    def is_last(self) -> bool:
        return (
            not self.model.objects.filter(blueprint=self.blueprint)
            .exclude(pk=self.part.pk)
            .exists()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("error", None)
        if context["error"] is None and self.is_last():
            context["error"] = (
                f"A blueprint needs at least one {self.noun}; add another before removing this one."
            )
        return context

    def remove(self) -> int:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        name = self.part.name
        try:
            removed = self.remove()
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        cards = f"its {removed} card{'s' if removed != 1 else ''}" if removed else "no cards"
        return self.done(f"Removed the {self.noun} “{name}” and {cards}.", f"{self.noun}s")


class PhaseDeleteView(_GridPartDeleteView):
    model, noun = Phase, "phase"

    def remove(self):
        return services.delete_phase(phase=self.part, by=self.request.user)


class LaneDeleteView(_GridPartDeleteView):
    model, noun = Lane, "lane"

    def remove(self):
        return services.delete_lane(lane=self.part, by=self.request.user)

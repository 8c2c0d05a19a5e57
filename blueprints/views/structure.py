"""A blueprint's structure: its phases and lanes, added, renamed, moved and removed.

Every write goes through `blueprints.services`; their ValidationErrors come back as form
errors or messages.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from blueprints import services
from blueprints.forms import (
    LaneAddForm,
    LaneRenameForm,
    MoveForm,
    PhaseAddForm,
    PhaseForm,
    add_service_errors,
)
from blueprints.models import Blueprint, Lane, Phase, lane_boundaries
from blueprints.services.phases_lanes import lane_step_breaches
from blueprints.views.base import BlueprintAccessMixin


def structure_url(blueprint: Blueprint, anchor: str = "") -> str:
    url = reverse(
        "blueprints:structure", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
    )
    return f"{url}#{anchor}" if anchor else url


def _with_card_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(card_count=Count("cards")).order_by("position")


class StructureView(BlueprintAccessMixin, TemplateView):
    """Phases and lanes in order, each with its forms; the forms post to the views below."""

    template_name = "blueprints/pages/structure.html"
    freezes_content = True  # read-only while submitted (issue 14)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        phases = list(_with_card_counts(self.blueprint.phases.all()))
        lanes = list(_with_card_counts(self.blueprint.lanes.all()))
        for phase in phases:
            phase.form = PhaseForm(
                initial={"name": phase.name, "description": phase.description},
                auto_id=f"id_phase{phase.pk}_%s",
            )
        breaches = lane_step_breaches(lanes)
        for lane in lanes:
            lane.form = LaneRenameForm(initial={"name": lane.name}, auto_id=f"id_lane{lane.pk}_%s")
            lane.step_breaches = breaches[lane.pk]
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
    writes_content = True  # frozen while submitted (issue 14)
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
    writes_content = True  # frozen while submitted (issue 14)
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

    writes_content = True  # frozen while submitted (issue 14)

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

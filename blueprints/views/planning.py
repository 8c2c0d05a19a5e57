"""Delivery challenges and prototypes: the planning that grows out of a blueprint (steps 7
and 8 of the method). Every write goes through `blueprints.services`."""

from __future__ import annotations

import copy
from collections import defaultdict
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from blueprints import services
from blueprints.capacity import capacity_check
from blueprints.content_fields import CHALLENGE_FIELDS, PROTOTYPE_FIELDS, RESULT_FIELDS
from blueprints.forms import DeliveryChallengeForm, PrototypeForm, add_service_errors
from blueprints.forms_results import (
    MeasureFormSet,
    answer_forms,
    check_decision_has_result,
    measure_initial,
)
from blueprints.models import Card, DeliveryChallenge, Prototype
from blueprints.views.base import BlueprintAccessMixin
from localities.listing import count_of


def cards_in_grid_order():
    """Cards with their phase and lane, for grouping the way the grid reads."""
    return Card.objects.select_related("phase", "lane").order_by(
        "phase__position", "lane__position", "position"
    )


def group_by_phase_and_lane(cards: list[Card]) -> list[dict]:
    """[{phase, lanes: [{lane, cards}]}] in grid order, for the cards given (already sorted)."""
    groups: list[dict] = []
    for card in sorted(cards, key=lambda c: (c.phase.position, c.lane.position, c.position)):
        if not groups or groups[-1]["phase"].pk != card.phase_id:
            groups.append({"phase": card.phase, "lanes": []})
        lanes = groups[-1]["lanes"]
        if not lanes or lanes[-1]["lane"].pk != card.lane_id:
            lanes.append({"lane": card.lane, "cards": []})
        lanes[-1]["cards"].append(card)
    return groups


# Delivery challenges ---------------------------------------------------------------------


def challenge_list_url(blueprint, anchor: str = "") -> str:
    url = reverse(
        "blueprints:challenge-list", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
    )
    return f"{url}#{anchor}" if anchor else url


class ChallengeListView(BlueprintAccessMixin, TemplateView):
    """Grouped by theme; every theme shows, so an empty one prompts the team."""

    template_name = "blueprints/pages/challenge_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        challenges = (
            self.blueprint.delivery_challenges.order_by("title", "pk")
            .select_related("based_on_question__challenge__blueprint__locality")
            .prefetch_related(
                Prefetch("cards", cards_in_grid_order()),
                Prefetch("questions", to_attr="question_list"),
                Prefetch("prototypes", Prototype.objects.order_by("title")),
            )
        )
        by_theme = defaultdict(list)
        for challenge in challenges:
            by_theme[challenge.theme].append(challenge)
        context.update(
            themes=[
                {"value": value, "label": label, "challenges": by_theme[value]}
                for value, label in DeliveryChallenge.Theme.choices
            ],
            total=sum(len(group) for group in by_theme.values()),
        )
        return context


class _ChallengeFormView(BlueprintAccessMixin, FormView):
    access = "edit"
    form_class = DeliveryChallengeForm
    template_name = "blueprints/pages/challenge_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "blueprint": self.blueprint}

    def save(self, data: dict) -> DeliveryChallenge:
        raise NotImplementedError

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in CHALLENGE_FIELDS}
        if "questions" in form.fields:  # a new challenge's first questions
            data["questions"] = form.cleaned_data["questions"]
        try:
            challenge = self.save(data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Delivery challenge “{challenge.title}” saved.")
        return redirect(challenge_list_url(self.blueprint, f"challenge-{challenge.pk}"))


class _OneChallengeMixin(BlueprintAccessMixin):
    @cached_property
    def challenge(self) -> DeliveryChallenge:
        return get_object_or_404(
            self.blueprint.delivery_challenges.all(), pk=self.kwargs["challenge_pk"]
        )

    def allowed(self, access: str) -> bool:
        self.challenge  # noqa: B018 -- resolve (or 404) before deciding 403
        return super().allowed(access)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "challenge": self.challenge}


class ChallengeCreateView(_ChallengeFormView):
    def get_initial(self):
        theme = self.request.GET.get("theme")
        return {"theme": theme} if theme in DeliveryChallenge.Theme.values else {}

    def save(self, data):
        return services.create_delivery_challenge(
            blueprint=self.blueprint, by=self.request.user, **data
        )


class ChallengeUpdateView(_OneChallengeMixin, _ChallengeFormView):
    def get_form_kwargs(self):
        # A copy: a form that fails validation must not change the page's heading.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.challenge)}

    def save(self, data):
        return services.update_delivery_challenge(
            challenge=self.challenge, by=self.request.user, **data
        )


class ChallengeDeleteView(_OneChallengeMixin, TemplateView):
    access = "edit"
    template_name = "blueprints/pages/challenge_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            card_count=self.challenge.cards.count(),
            prototypes=list(self.challenge.prototypes.order_by("title")),
        )
        return context

    def post(self, request, *args, **kwargs):
        title = self.challenge.title
        services.delete_delivery_challenge(challenge=self.challenge, by=request.user)
        messages.success(request, f"Delivery challenge “{title}” deleted.")
        return redirect(challenge_list_url(self.blueprint))


# Prototypes ------------------------------------------------------------------------------


class PrototypeListView(BlueprintAccessMixin, TemplateView):
    template_name = "blueprints/pages/prototype_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cards = Prototype.cards.through.objects.filter(prototype=OuterRef("pk"))
        challenges = Prototype.delivery_challenges.through.objects.filter(prototype=OuterRef("pk"))
        context["prototypes"] = list(
            self.blueprint.prototypes.annotate(
                card_count=count_of(cards, "prototype"),
                challenge_count=count_of(challenges, "prototype"),
            ).order_by("starts_on", "title", "pk")
        )
        context["capacity"] = capacity_check(self.blueprint)
        return context


class _OnePrototypeMixin(BlueprintAccessMixin):
    @cached_property
    def prototype(self) -> Prototype:
        return get_object_or_404(
            self.blueprint.prototypes.select_related("based_on__blueprint__locality"),
            pk=self.kwargs["prototype_pk"],
        )

    def allowed(self, access: str) -> bool:
        self.prototype  # noqa: B018 -- resolve (or 404) before deciding 403
        return super().allowed(access)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "prototype": self.prototype}


def prototype_url(prototype: Prototype, blueprint) -> str:
    return reverse(
        "blueprints:prototype-detail",
        kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk, "prototype_pk": prototype.pk},
    )


class PrototypeDetailView(_OnePrototypeMixin, TemplateView):
    template_name = "blueprints/pages/prototype_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prototype = self.prototype
        context.update(
            section=group_by_phase_and_lane(
                list(prototype.cards.all().select_related("phase", "lane"))
            ),
            challenges=list(prototype.delivery_challenges.order_by("theme", "title")),
            questions=list(
                prototype.questions.select_related("challenge").order_by(
                    "challenge__title", "position", "pk"
                )
            ),
            measures=list(prototype.measures.all()),
            spaces=list(prototype.spaces.order_by("name", "pk")),
            partners=list(prototype.partners.order_by("organisation", "pk")),
            volunteer_roles=list(prototype.volunteer_roles.order_by("name", "pk")),
        )
        return context


class _PrototypeFormView(BlueprintAccessMixin, FormView):
    """The plan, the results and what it measured, and (for a decided prototype) the
    answers to the questions it tested: one form, saved by one service call."""

    access = "edit"
    form_class = PrototypeForm
    template_name = "blueprints/pages/prototype_form.html"
    saved: Prototype | None = None  # the prototype as stored, for an update

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "blueprint": self.blueprint}

    @cached_property
    def measure_formset(self) -> MeasureFormSet:
        data = self.request.POST if self.request.method == "POST" else None
        return MeasureFormSet(data, initial=measure_initial(self.saved), prefix="measures")

    @cached_property
    def answer_forms(self) -> list:
        data = self.request.POST if self.request.method == "POST" else None
        return answer_forms(self.saved, data)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "measure_formset": self.measure_formset,
            "answer_forms": self.answer_forms,
        }

    @property
    def measures_posted(self) -> bool:
        """A post without the measure rows' management form (a script that changes only the
        plan) leaves what was measured as it is."""
        return f"{self.measure_formset.prefix}-TOTAL_FORMS" in self.request.POST

    def measure_rows(self) -> list[dict]:
        if self.measures_posted:
            return self.measure_formset.rows()
        return measure_initial(self.saved)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        parts_valid = [
            form.is_valid(),
            not self.measures_posted or self.measure_formset.is_valid(),
            *(answer.is_valid() for answer in self.answer_forms if answer.is_bound),
        ]
        if all(parts_valid):
            check_decision_has_result(form, self.measure_rows())
        if all(parts_valid) and form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def save(self, data: dict) -> Prototype:
        raise NotImplementedError

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in (*PROTOTYPE_FIELDS, *RESULT_FIELDS)}
        if self.measures_posted:
            data["measures"] = [services.MeasureRow(**row) for row in self.measure_formset.rows()]
        try:
            prototype = self.save(data)
        except ValidationError as error:
            self.add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Prototype “{prototype.title}” saved.")
        return redirect(prototype_url(prototype, self.blueprint))

    def add_errors(self, form, error: ValidationError) -> None:
        """A service's refusal next to its field: the prototype's, or (`question-<pk>-...`)
        the field of the question it names."""
        by_prefix = {answer.prefix: answer for answer in self.answer_forms}
        rest = {}
        for name, errors in getattr(error, "error_dict", {}).items():
            prefix, _, field = name.rpartition("-")
            if prefix in by_prefix and field in by_prefix[prefix].fields:
                by_prefix[prefix].add_error(field, ValidationError(errors))
            else:
                rest[name] = errors
        if rest or not hasattr(error, "error_dict"):
            add_service_errors(form, ValidationError(rest) if rest else error)


class PrototypeCreateView(_PrototypeFormView):
    def save(self, data):
        return services.create_prototype(blueprint=self.blueprint, by=self.request.user, **data)


class PrototypeUpdateView(_OnePrototypeMixin, _PrototypeFormView):
    @property
    def saved(self) -> Prototype:
        return self.prototype

    def get_form_kwargs(self):
        # A copy: a form that fails validation must not change the page's heading.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.prototype)}

    def save(self, data):
        answers = [
            services.QuestionAnswer(
                question=answer.question,
                status=answer.cleaned_data["status"],
                answer=answer.cleaned_data["answer"],
            )
            for answer in self.answer_forms
            if answer.is_bound and answer.has_changed()
        ]
        return services.update_prototype(
            prototype=self.prototype, by=self.request.user, answers=answers, **data
        )


class PrototypeDeleteView(_OnePrototypeMixin, TemplateView):
    access = "edit"
    template_name = "blueprints/pages/prototype_delete.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "card_count": self.prototype.cards.count()}

    def post(self, request, *args, **kwargs):
        title = self.prototype.title
        services.delete_prototype(prototype=self.prototype, by=request.user)
        messages.success(request, f"Prototype “{title}” deleted.")
        return redirect("blueprints:prototype-list", slug=self.locality.slug, pk=self.blueprint.pk)

"""The team's delivery questions (issue 12): every question of a blueprint by challenge and
theme, one question's trail from its challenge to its answer and the evidence for it, and
adding, changing and deleting questions. Every write goes through `blueprints.services`."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from blueprints import services
from blueprints.content_fields import QUESTION_FIELDS
from blueprints.forms import add_service_errors
from blueprints.forms_questions import QuestionCreateForm, QuestionForm
from blueprints.models import DeliveryChallenge, DeliveryQuestion, Prototype
from blueprints.views.base import BlueprintAccessMixin
from consultations.selectors import results_for

HISTORY_LIMIT = 30
# The question's own fields its change history shows, in the form's order.
HISTORY_FIELDS = ("text", "status", "owner", "answer", "answered_on")


def question_url(question: DeliveryQuestion, blueprint) -> str:
    return reverse(
        "blueprints:question-detail",
        kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk, "question_pk": question.pk},
    )


def question_list_url(blueprint) -> str:
    return reverse(
        "blueprints:question-list", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
    )


class QuestionListView(BlueprintAccessMixin, TemplateView):
    """Grouped by delivery challenge under its theme; `?status=` keeps one status."""

    template_name = "blueprints/pages/question_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in DeliveryQuestion.Status.values:
            status = ""
        questions = DeliveryQuestion.objects.select_related("owner").order_by("position", "pk")
        if status:
            questions = questions.filter(status=status)
        challenges = self.blueprint.delivery_challenges.order_by("title", "pk").prefetch_related(
            Prefetch("questions", questions, to_attr="question_list")
        )
        by_theme: dict[str, list[DeliveryChallenge]] = {}
        challenges = list(challenges)
        for challenge in challenges:
            if status and not challenge.question_list:
                continue  # filtered: only the challenges with such questions
            by_theme.setdefault(challenge.theme, []).append(challenge)
        counts = dict.fromkeys(DeliveryQuestion.Status.values, 0)
        for value in DeliveryQuestion.objects.filter(
            challenge__blueprint=self.blueprint
        ).values_list("status", flat=True):
            counts[value] += 1
        context.update(
            themes=[
                {"value": value, "label": label, "challenges": by_theme[value]}
                for value, label in DeliveryChallenge.Theme.choices
                if value in by_theme
            ],
            status=status,
            status_label=DeliveryQuestion.Status(status).label if status else "",
            has_challenges=bool(challenges),
            statuses=[
                {"value": value, "label": label, "count": counts[value]}
                for value, label in DeliveryQuestion.Status.choices
            ],
            total=sum(counts.values()),
            shown=sum(len(c.question_list) for group in by_theme.values() for c in group),
        )
        return context


class _OneQuestionMixin(BlueprintAccessMixin):
    @cached_property
    def question(self) -> DeliveryQuestion:
        return get_object_or_404(
            DeliveryQuestion.objects.filter(challenge__blueprint=self.blueprint).select_related(
                "challenge", "owner", "decided_by"
            ),
            pk=self.kwargs["question_pk"],
        )

    def allowed(self, access: str) -> bool:
        self.question  # noqa: B018 -- resolve (or 404) before deciding 403
        return super().allowed(access)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "question": self.question}


@dataclass(frozen=True)
class QuestionChange:
    when: datetime
    who: Any
    action: str  # "asked", "changed", "deleted"
    changes: tuple[tuple[str, str, str], ...]  # (field label, old, new)


def question_history(
    question: DeliveryQuestion, limit: int = HISTORY_LIMIT
) -> list[QuestionChange]:
    """Who changed the question's words, status, owner or answer, and when; newest first.
    Two queries (the records, then the owners' names), however long the history. Changes
    to the evidence alone are shown as such, without the list of what changed."""
    records = list(
        question.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    owner_ids = {r.owner_id for r in records if r.owner_id is not None}
    owners = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=owner_ids)
    }
    meta = DeliveryQuestion._meta
    status_labels = dict(DeliveryQuestion.Status.choices)

    def shown(name: str, record) -> str:
        value = getattr(record, f"{name}_id" if name == "owner" else name)
        if value in (None, ""):
            return ""
        if name == "owner":
            return owners.get(value, "a former member")
        if name == "status":
            return status_labels.get(value, value)
        if name == "answered_on":
            return f"{value.day} {value:%B %Y}"
        return str(value)

    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        if record.history_type == "+":
            entries.append(QuestionChange(record.history_date, record.history_user, "asked", ()))
            continue
        if record.history_type == "-":
            continue
        changes = tuple(
            (str(meta.get_field(name).verbose_name), shown(name, previous), shown(name, record))
            for name in HISTORY_FIELDS
            if previous is not None and shown(name, previous) != shown(name, record)
        )
        entries.append(
            QuestionChange(
                record.history_date,
                record.history_user,
                "changed" if changes else "changed the evidence of",
                changes,
            )
        )
    return entries


class QuestionDetailView(_OneQuestionMixin, TemplateView):
    """The question's trail: its challenge, owner and status, its answer, the evidence
    (insights, ideas with their support by group), and the prototypes that test it with
    what they reached and cost. A fixed number of queries, whatever the evidence."""

    template_name = "blueprints/pages/question_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        question, locality = self.question, self.locality
        insights = list(question.insights.order_by("statement", "pk"))
        ideas = list(question.ideas.order_by("title", "pk"))
        for record in (*insights, *ideas):
            record.locality = locality  # known already; saves a query per link
        results = {}
        if ideas:
            results = {result.idea.pk: result for result in results_for(locality=locality)}
        context.update(
            insights=insights,
            ideas=[{"idea": idea, "result": results.get(idea.pk)} for idea in ideas],
            prototypes=list(
                question.prototypes.order_by("starts_on", "title", "pk").prefetch_related(
                    "measures"
                )
            ),
            history=question_history(question),
            decided=Prototype.Decision.UNDECIDED,
        )
        return context


class QuestionCreateView(BlueprintAccessMixin, FormView):
    access = "edit"
    form_class = QuestionCreateForm
    template_name = "blueprints/pages/question_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "blueprint": self.blueprint}

    def get_initial(self):
        challenge = self.request.GET.get("challenge", "")
        return {"challenge": challenge} if challenge.isdigit() else {}

    def form_valid(self, form):
        try:
            question = services.create_delivery_question(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Question “{question.text}” added.")
        return redirect(question_url(question, self.blueprint))


class QuestionUpdateView(_OneQuestionMixin, FormView):
    access = "edit"
    form_class = QuestionForm
    template_name = "blueprints/pages/question_form.html"

    def get_form_kwargs(self):
        # A copy: a form that fails validation must not change the page's heading.
        return {
            **super().get_form_kwargs(),
            "blueprint": self.blueprint,
            "instance": copy.copy(self.question),
        }

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in QUESTION_FIELDS}
        try:
            question = services.update_delivery_question(
                question=self.question, by=self.request.user, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Question “{question.text}” saved.")
        return redirect(question_url(question, self.blueprint))


class QuestionDeleteView(_OneQuestionMixin, TemplateView):
    access = "edit"
    template_name = "blueprints/pages/question_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prototypes"] = list(self.question.prototypes.order_by("title"))
        return context

    def post(self, request, *args, **kwargs):
        text = self.question.text
        services.delete_delivery_question(question=self.question, by=request.user)
        messages.success(request, f"Question “{text}” deleted.")
        return redirect(question_list_url(self.blueprint))

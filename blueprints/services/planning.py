"""Writes to the planning that grows out of a blueprint: delivery challenges (the cards
they touch) and their questions (pieces of work with an owner, a status and an answer),
and prototypes (the cards, challenges and questions a quick test covers, and its results).
Related cards, challenges and questions must be the same blueprint's.

Planning is not the blueprint's content: only a delivery challenge's coming or going, its
theme and its cards change what the blueprint says, and only those return an approved
blueprint to draft (`bump(reopens=...)`). Questions, prototype plans and results leave it
approved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blueprints.models import (
    Blueprint,
    Card,
    DeliveryChallenge,
    DeliveryQuestion,
    Prototype,
    PrototypeMeasure,
)
from blueprints.services.shared import (
    UNSET,
    Unset,
    attribute,
    bump,
    cached_blueprint,
    check_cards,
    check_delivery_challenges,
    check_insights,
    check_questions,
    full_clean,
    lock_blueprint,
    primary_keys,
)
from consultations.models import Idea
from localities.models import Insight, Membership, Partner, Space, VolunteerRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def _given(**values: Any) -> dict[str, Any]:
    """The keyword arguments that were given (not `UNSET`), by name."""
    return {name: value for name, value in values.items() if value is not UNSET}


Planned = DeliveryChallenge | DeliveryQuestion | Prototype
# What a decision (adopt, adapt, drop) without a result is refused with, at `decision`.
DECISION_NEEDS_RESULT = (
    "A decision needs a result: record the families reached, or what a measure actually came "
    "to, before deciding."
)


def _set_fields(instance: Planned, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value.strip() if name in ("title", "text") else value)


def _save_with_relations(
    instance: Planned,
    relations: dict[str, list[int] | None],
    *,
    created: bool,
    by: User | None,
) -> None:
    """Save, then set the many-to-many relations given (None: leave as they are).

    On an update the relations are set first, with no history of their own, so that the
    one history record of the save holds them. A new object needs its primary key first;
    each relation set then adds a record of its own.
    """
    attribute(instance, by)
    if created:
        instance.save()
    else:
        instance.skip_history_when_saving = True
    try:
        for name, ids in relations.items():
            if ids is not None and (ids or not created):
                getattr(instance, name).set(ids)
    finally:
        if not created:
            del instance.skip_history_when_saving
    if not created:
        instance.save()


# Delivery challenges ------------------------------------------------------------------


@transaction.atomic
def create_delivery_challenge(
    *,
    blueprint: Blueprint,
    theme: str,
    title: str,
    questions: Iterable[str] = (),
    cards: Iterable[Card | int] = (),
    based_on_question: DeliveryQuestion | None = None,
    by: User | None,
) -> DeliveryChallenge:
    """A delivery challenge with these questions (texts, in order), all open."""
    locked = lock_blueprint(blueprint.pk)
    challenge = DeliveryChallenge(
        blueprint=locked, theme=theme, title=title.strip(), based_on_question=based_on_question
    )
    full_clean(challenge)
    texts = [text.strip() for text in questions if text.strip()]
    new_questions = [
        DeliveryQuestion(challenge=challenge, text=text, position=n) for n, text in enumerate(texts)
    ]
    for question in new_questions:
        full_clean(question, exclude=["challenge"])
    card_ids = check_cards(cards, locked.pk)
    _save_with_relations(challenge, {"cards": card_ids}, created=True, by=by)
    for question in new_questions:
        question.challenge = challenge
        attribute(question, by)
        question.save()
    bump(locked, blueprint, by=by)
    return challenge


@transaction.atomic
def update_delivery_challenge(
    *,
    challenge: DeliveryChallenge,
    by: User | None,
    theme: str | Unset = UNSET,
    title: str | Unset = UNSET,
    cards: Iterable[Card | int] | Unset = UNSET,
) -> DeliveryChallenge:
    """Change the fields given; returns the saved challenge. A new theme or new cards change
    the blueprint's content; a new title alone does not."""
    locked = lock_blueprint(challenge.blueprint_id)
    current = DeliveryChallenge.objects.select_for_update().get(pk=challenge.pk)
    old_theme = current.theme
    _set_fields(current, _given(theme=theme, title=title))
    full_clean(current)
    card_ids = None if cards is UNSET else check_cards(cards, locked.pk)
    content_changed = current.theme != old_theme or (
        card_ids is not None and set(card_ids) != set(current.cards.values_list("pk", flat=True))
    )
    _save_with_relations(current, {"cards": card_ids}, created=False, by=by)
    bump(locked, cached_blueprint(challenge), by=by, reopens=content_changed)
    return current


@transaction.atomic
def delete_delivery_challenge(*, challenge: DeliveryChallenge, by: User | None) -> None:
    locked = lock_blueprint(challenge.blueprint_id)
    attribute(challenge, by)
    challenge.delete()
    bump(locked, cached_blueprint(challenge), by=by)


# Questions ----------------------------------------------------------------------------


def _check_owner(owner: User | None, blueprint: Blueprint) -> None:
    if (
        owner is not None
        and not Membership.objects.filter(user=owner, locality_id=blueprint.locality_id).exists()
    ):
        raise ValidationError(
            {"owner": "Choose a member of this locality's team."}, code="owner_not_member"
        )


def _check_ideas(ideas: Iterable[Idea | int], locality_id: int) -> list[int]:
    ids = primary_keys(ideas)
    if ids and Idea.objects.filter(pk__in=ids, locality_id=locality_id).count() != len(ids):
        raise ValidationError(
            {"ideas": "Choose ideas of this blueprint's own locality only."},
            code="idea_of_other_locality",
        )
    return ids


@transaction.atomic
def create_delivery_question(
    *,
    challenge: DeliveryChallenge,
    text: str,
    owner: User | None = None,
    by: User | None,
) -> DeliveryQuestion:
    """Add an open question at the end of the challenge's list."""
    locked = lock_blueprint(challenge.blueprint_id)
    _check_owner(owner, locked)
    question = DeliveryQuestion(
        challenge=challenge,
        text=text.strip(),
        owner=owner,
        position=challenge.questions.count(),
    )
    full_clean(question)
    attribute(question, by)
    question.save()
    bump(locked, by=by, reopens=False)
    return question


@transaction.atomic
def update_delivery_question(
    *,
    question: DeliveryQuestion,
    by: User | None,
    text: str | Unset = UNSET,
    status: str | Unset = UNSET,
    owner: User | None | Unset = UNSET,
    answer: str | Unset = UNSET,
    answered_on: date | None | Unset = UNSET,
    insights: Iterable[Insight | int] | Unset = UNSET,
    ideas: Iterable[Idea | int] | Unset = UNSET,
) -> DeliveryQuestion:
    """Change the fields given. A question that becomes answered records who decided, and
    today's date unless another is given; one that is re-opened keeps its last answer."""
    current = DeliveryQuestion.objects.select_related("challenge").get(pk=question.pk)
    locked = lock_blueprint(current.challenge.blueprint_id)
    current = DeliveryQuestion.objects.select_for_update().get(pk=question.pk)
    if owner is not UNSET:
        _check_owner(owner, locked)
    was_answered = current.status == DeliveryQuestion.Status.ANSWERED
    _set_fields(
        current,
        _given(text=text, status=status, owner=owner, answer=answer, answered_on=answered_on),
    )
    if current.status == DeliveryQuestion.Status.ANSWERED and not was_answered:
        current.decided_by = by if by is not None and by.is_authenticated else None
        if current.answered_on is None:
            current.answered_on = timezone.localdate()
    if current.status != DeliveryQuestion.Status.ANSWERED:
        current.published_at = None  # only an answered question stays published
    full_clean(current)
    relations = {
        "insights": None if insights is UNSET else check_insights(insights, locked.locality_id),
        "ideas": None if ideas is UNSET else _check_ideas(ideas, locked.locality_id),
    }
    _save_with_relations(current, relations, created=False, by=by)
    bump(locked, by=by, reopens=False)
    return current


@transaction.atomic
def delete_delivery_question(*, question: DeliveryQuestion, by: User | None) -> None:
    locked = lock_blueprint(question.challenge.blueprint_id)
    attribute(question, by)
    question.delete()
    bump(locked, by=by, reopens=False)


# Prototypes ---------------------------------------------------------------------------

# The community resources a prototype may use, by field: each must be its locality's.
RESOURCE_MODELS: dict[str, tuple[type[Space | Partner | VolunteerRole], str]] = {
    "spaces": (Space, "spaces"),
    "partners": (Partner, "partners"),
    "volunteer_roles": (VolunteerRole, "volunteer roles"),
}


def _check_resources(
    field: str, resources: Iterable[Space | Partner | VolunteerRole | int], locality_id: int
) -> list[int]:
    """The primary keys of `resources`, refused at `field` unless all are the locality's."""
    model, noun = RESOURCE_MODELS[field]
    ids = primary_keys(resources)
    if ids and model.objects.filter(pk__in=ids, locality_id=locality_id).count() != len(ids):
        raise ValidationError(
            {field: f"Choose {noun} of this blueprint's own locality only."},
            code="resource_of_other_locality",
        )
    return ids


@transaction.atomic
def create_prototype(
    *,
    blueprint: Blueprint,
    title: str,
    hypothesis: str = "",
    method: str = "",
    cost: Decimal | int = Decimal("0"),
    risk: str = Prototype.Risk.LOW,
    starts_on: date | None = None,
    ends_on: date | None = None,
    status: str = Prototype.Status.PLANNED,
    learning: str = "",
    decision: str = Prototype.Decision.UNDECIDED,
    cards: Iterable[Card | int] = (),
    delivery_challenges: Iterable[DeliveryChallenge | int] = (),
    questions: Iterable[DeliveryQuestion | int] = (),
    spaces: Iterable[Space | int] = (),
    partners: Iterable[Partner | int] = (),
    volunteer_roles: Iterable[VolunteerRole | int] = (),
    based_on: Prototype | None = None,
    families_reached: int | None = None,
    hardest_to_reach: int | None = None,
    staff_hours: Decimal | None = None,
    volunteer_hours: Decimal | None = None,
    cash_cost: Decimal | None = None,
    in_kind_description: str = "",
    in_kind_value: Decimal | None = None,
    income: Decimal | None = None,
    measures: Iterable[MeasureRow] = (),
    by: User | None,
) -> Prototype:
    """A prototype testing the section `cards` of the blueprint and the `questions`, using
    the locality's `spaces`, `partners` and `volunteer_roles`, with its results
    (`RESULT_FIELDS`, `measures`) if it has run.

    A decision needs a result (`_check_has_result`), as in `update_prototype`: a decided
    prototype without one is refused at `decision` and nothing is saved."""
    locked = lock_blueprint(blueprint.pk)
    prototype = Prototype(
        blueprint=locked,
        title=title.strip(),
        hypothesis=hypothesis,
        method=method,
        cost=cost,
        risk=risk,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        learning=learning,
        decision=decision,
        based_on=based_on,
        families_reached=families_reached,
        hardest_to_reach=hardest_to_reach,
        staff_hours=staff_hours,
        volunteer_hours=volunteer_hours,
        cash_cost=cash_cost,
        in_kind_description=in_kind_description,
        in_kind_value=in_kind_value,
        income=income,
    )
    full_clean(prototype)
    relations = {
        "cards": check_cards(cards, locked.pk),
        "delivery_challenges": check_delivery_challenges(delivery_challenges, locked.pk),
        "questions": check_questions(questions, locked.pk),
        "spaces": _check_resources("spaces", spaces, locked.locality_id),
        "partners": _check_resources("partners", partners, locked.locality_id),
        "volunteer_roles": _check_resources("volunteer_roles", volunteer_roles, locked.locality_id),
    }
    rows = _measure_rows(prototype, measures)
    if decision != Prototype.Decision.UNDECIDED:
        _check_has_result(prototype, rows)
    _save_with_relations(prototype, relations, created=True, by=by)
    _replace_measures(prototype, rows)
    bump(locked, blueprint, by=by, reopens=False)
    return prototype


@transaction.atomic
def update_prototype(
    *,
    prototype: Prototype,
    by: User | None,
    title: str | Unset = UNSET,
    hypothesis: str | Unset = UNSET,
    method: str | Unset = UNSET,
    cost: Decimal | int | Unset = UNSET,
    risk: str | Unset = UNSET,
    starts_on: date | None | Unset = UNSET,
    ends_on: date | None | Unset = UNSET,
    status: str | Unset = UNSET,
    learning: str | Unset = UNSET,
    decision: str | Unset = UNSET,
    cards: Iterable[Card | int] | Unset = UNSET,
    delivery_challenges: Iterable[DeliveryChallenge | int] | Unset = UNSET,
    questions: Iterable[DeliveryQuestion | int] | Unset = UNSET,
    spaces: Iterable[Space | int] | Unset = UNSET,
    partners: Iterable[Partner | int] | Unset = UNSET,
    volunteer_roles: Iterable[VolunteerRole | int] | Unset = UNSET,
    families_reached: int | None | Unset = UNSET,
    hardest_to_reach: int | None | Unset = UNSET,
    staff_hours: Decimal | None | Unset = UNSET,
    volunteer_hours: Decimal | None | Unset = UNSET,
    cash_cost: Decimal | None | Unset = UNSET,
    in_kind_description: str | Unset = UNSET,
    in_kind_value: Decimal | None | Unset = UNSET,
    income: Decimal | None | Unset = UNSET,
    measures: Iterable[MeasureRow] | Unset = UNSET,
    answers: Iterable[QuestionAnswer] | Unset = UNSET,
) -> Prototype:
    """Change the fields given; returns the saved prototype. One that is no longer decided
    stops being published. Spaces, partners and volunteer roles of another locality are
    refused at their field, and nothing is saved.

    `measures` replaces what it measured. A decision needs a result (`_check_has_result`),
    checked when the decision is made or the results of a decided prototype change.
    `answers` then answers, or re-opens, questions it tested (only once it is decided),
    through `update_delivery_question`: all of it in this one transaction.
    """
    locked = lock_blueprint(prototype.blueprint_id)
    current = Prototype.objects.select_for_update().get(pk=prototype.pk)
    old_decision = current.decision
    results_given = any(
        value is not UNSET
        for value in (
            families_reached,
            hardest_to_reach,
            staff_hours,
            volunteer_hours,
            cash_cost,
            in_kind_description,
            in_kind_value,
            income,
            measures,
        )
    )
    _set_fields(
        current,
        _given(
            title=title,
            hypothesis=hypothesis,
            method=method,
            cost=cost,
            risk=risk,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            learning=learning,
            decision=decision,
            families_reached=families_reached,
            hardest_to_reach=hardest_to_reach,
            staff_hours=staff_hours,
            volunteer_hours=volunteer_hours,
            cash_cost=cash_cost,
            in_kind_description=in_kind_description,
            in_kind_value=in_kind_value,
            income=income,
        ),
    )
    if current.decision == Prototype.Decision.UNDECIDED:
        current.published_at = None
    full_clean(current)
    rows = None if measures is UNSET else _measure_rows(current, measures)
    decided = current.decision != Prototype.Decision.UNDECIDED
    if decided and (current.decision != old_decision or results_given):
        _check_has_result(current, rows)
    relations = {
        "cards": None if cards is UNSET else check_cards(cards, locked.pk),
        "delivery_challenges": (
            None
            if delivery_challenges is UNSET
            else check_delivery_challenges(delivery_challenges, locked.pk)
        ),
        "questions": None if questions is UNSET else check_questions(questions, locked.pk),
    }
    for field, given in (
        ("spaces", spaces),
        ("partners", partners),
        ("volunteer_roles", volunteer_roles),
    ):
        relations[field] = (
            None if given is UNSET else _check_resources(field, given, locked.locality_id)
        )
    _save_with_relations(current, relations, created=False, by=by)
    if rows is not None:
        _replace_measures(current, rows)
    bump(locked, cached_blueprint(prototype), by=by, reopens=False)
    if answers is not UNSET:
        _answer_tested_questions(current, list(answers), by=by)
    return current


@transaction.atomic
def delete_prototype(*, prototype: Prototype, by: User | None) -> None:
    locked = lock_blueprint(prototype.blueprint_id)
    attribute(prototype, by)
    prototype.delete()
    bump(locked, cached_blueprint(prototype), by=by, reopens=False)


@dataclass(frozen=True)
class MeasureRow:
    name: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    actual: Decimal | None = None


@dataclass(frozen=True)
class QuestionAnswer:
    """What a decided prototype's form says of one question it tested: its new status
    (answered, or open again...) and the answer."""

    question: DeliveryQuestion | int
    status: str
    answer: str = ""


def _measure_rows(prototype: Prototype, measures: Iterable[MeasureRow]) -> list[PrototypeMeasure]:
    rows = [
        PrototypeMeasure(prototype=prototype, position=n, **vars(measure))
        for n, measure in enumerate(measures)
    ]
    for row in rows:
        full_clean(row, exclude=["prototype"])
    return rows


def _replace_measures(prototype: Prototype, rows: list[PrototypeMeasure]) -> None:
    prototype.measures.all().delete()
    PrototypeMeasure.objects.bulk_create(rows)


def _check_has_result(prototype: Prototype, measures: list[PrototypeMeasure] | None) -> None:
    """A decision (adopt, adapt, drop) rests on a result: the families reached (none is a
    result too), or a measure with what it came to. `measures` are the rows about to be
    saved, or None for those saved already."""
    if prototype.families_reached is not None:
        return
    if measures is None:
        if prototype.measures.filter(actual__isnull=False).exists():
            return
    elif any(row.actual is not None for row in measures):
        return
    raise ValidationError({"decision": DECISION_NEEDS_RESULT}, code="decision_without_result")


def _answer_tested_questions(
    prototype: Prototype, answers: list[QuestionAnswer], *, by: User | None
) -> None:
    """Answer or re-open questions the prototype tests. An error names its question:
    `question-<pk>-<field>`, so a form can show it next to that question's field."""
    if not answers:
        return
    if prototype.decision == Prototype.Decision.UNDECIDED:
        raise ValidationError(
            {"decision": "Decide the prototype before answering the questions it tested."},
            code="answer_before_decision",
        )
    tested = set(prototype.questions.values_list("pk", flat=True))
    for given in answers:
        pk = primary_keys([given.question])[0]
        if pk not in tested:
            raise ValidationError(
                {"questions": "Answer only the questions this prototype tests."},
                code="answer_of_untested_question",
            )
        try:
            update_delivery_question(
                question=DeliveryQuestion(pk=pk), by=by, status=given.status, answer=given.answer
            )
        except ValidationError as error:
            raise ValidationError(
                {f"question-{pk}-{name}": messages for name, messages in error.message_dict.items()}
            ) from None


@transaction.atomic
def set_prototype_measures(
    *, prototype: Prototype, measures: Iterable[MeasureRow], by: User | None
) -> list[PrototypeMeasure]:
    """Replace what the prototype measured with `measures`, in order. A decided prototype
    keeps a result (`_check_has_result`)."""
    locked = lock_blueprint(prototype.blueprint_id)
    current = Prototype.objects.select_for_update().get(pk=prototype.pk)
    rows = _measure_rows(current, measures)
    if current.decision != Prototype.Decision.UNDECIDED:
        _check_has_result(current, rows)
    _replace_measures(current, rows)
    bump(locked, by=by, reopens=False)
    return rows

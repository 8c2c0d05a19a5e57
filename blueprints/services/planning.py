"""Writes to the planning that grows out of a blueprint: delivery challenges (the questions
a team must answer, and the cards they touch) and prototypes (the cards and challenges a
quick test covers). Related cards and challenges must be the same blueprint's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from blueprints.models import Blueprint, Card, DeliveryChallenge, Prototype
from blueprints.services.shared import (
    UNSET,
    Unset,
    attribute,
    bump,
    cached_blueprint,
    check_cards,
    check_delivery_challenges,
    full_clean,
    lock_blueprint,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def _given(**values: Any) -> dict[str, Any]:
    """The keyword arguments that were given (not `UNSET`), by name."""
    return {name: value for name, value in values.items() if value is not UNSET}


def _set_fields(instance: DeliveryChallenge | Prototype, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value.strip() if name == "title" else value)


def _save_with_relations(
    instance: DeliveryChallenge | Prototype,
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
    questions: str = "",
    cards: Iterable[Card | int] = (),
    by: User | None,
) -> DeliveryChallenge:
    locked = lock_blueprint(blueprint.pk)
    challenge = DeliveryChallenge(
        blueprint=locked, theme=theme, title=title.strip(), questions=questions
    )
    full_clean(challenge)
    card_ids = check_cards(cards, locked.pk)
    _save_with_relations(challenge, {"cards": card_ids}, created=True, by=by)
    bump(locked, blueprint, by=by)
    return challenge


@transaction.atomic
def update_delivery_challenge(
    *,
    challenge: DeliveryChallenge,
    by: User | None,
    theme: str | Unset = UNSET,
    title: str | Unset = UNSET,
    questions: str | Unset = UNSET,
    cards: Iterable[Card | int] | Unset = UNSET,
) -> DeliveryChallenge:
    """Change the fields given; returns the saved challenge."""
    locked = lock_blueprint(challenge.blueprint_id)
    current = DeliveryChallenge.objects.select_for_update().get(pk=challenge.pk)
    _set_fields(current, _given(theme=theme, title=title, questions=questions))
    full_clean(current)
    card_ids = None if cards is UNSET else check_cards(cards, locked.pk)
    _save_with_relations(current, {"cards": card_ids}, created=False, by=by)
    bump(locked, cached_blueprint(challenge), by=by)
    return current


@transaction.atomic
def delete_delivery_challenge(*, challenge: DeliveryChallenge, by: User | None) -> None:
    locked = lock_blueprint(challenge.blueprint_id)
    attribute(challenge, by)
    challenge.delete()
    bump(locked, cached_blueprint(challenge), by=by)


# Prototypes ---------------------------------------------------------------------------


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
    by: User | None,
) -> Prototype:
    """A prototype testing the section `cards` of the blueprint."""
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
    )
    full_clean(prototype)
    relations = {
        "cards": check_cards(cards, locked.pk),
        "delivery_challenges": check_delivery_challenges(delivery_challenges, locked.pk),
    }
    _save_with_relations(prototype, relations, created=True, by=by)
    bump(locked, blueprint, by=by)
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
) -> Prototype:
    """Change the fields given; returns the saved prototype."""
    locked = lock_blueprint(prototype.blueprint_id)
    current = Prototype.objects.select_for_update().get(pk=prototype.pk)
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
        ),
    )
    full_clean(current)
    relations = {
        "cards": None if cards is UNSET else check_cards(cards, locked.pk),
        "delivery_challenges": (
            None
            if delivery_challenges is UNSET
            else check_delivery_challenges(delivery_challenges, locked.pk)
        ),
    }
    _save_with_relations(current, relations, created=False, by=by)
    bump(locked, cached_blueprint(prototype), by=by)
    return current


@transaction.atomic
def delete_prototype(*, prototype: Prototype, by: User | None) -> None:
    locked = lock_blueprint(prototype.blueprint_id)
    attribute(prototype, by)
    prototype.delete()
    bump(locked, cached_blueprint(prototype), by=by)

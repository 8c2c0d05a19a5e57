"""Writes to the learning shared across sites (DESIGN section 1, "publish"): a team
publishes an answered question or a decided prototype to the library every site reads, or
takes it back; a team at another site starts its own delivery challenge or prototype from
a published one, keeping the link (`based_on_question`, `based_on`).

Publishing is not the blueprint's content: it leaves an approved blueprint approved
(`bump(reopens=False)`). The model's constraints refuse publishing an unanswered question or
an undecided prototype; these services say so first, by field, so a page can show why.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blueprints.models import Blueprint, DeliveryChallenge, DeliveryQuestion, Prototype
from blueprints.services.planning import create_delivery_challenge, create_prototype
from blueprints.services.shared import attribute, bump, lock_blueprint

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def _save_published_at(item: DeliveryQuestion | Prototype, by: User | None) -> None:
    attribute(item, by)
    item.save(update_fields=["published_at", "updated_at"])


@transaction.atomic
def publish_question(*, question: DeliveryQuestion, by: User | None) -> DeliveryQuestion:
    """Share an answered question with every site; publishing it again keeps its date."""
    blueprint_id = DeliveryQuestion.objects.values_list("challenge__blueprint_id", flat=True).get(
        pk=question.pk
    )
    locked = lock_blueprint(blueprint_id)
    current = DeliveryQuestion.objects.select_for_update().get(pk=question.pk)
    if current.status != DeliveryQuestion.Status.ANSWERED:
        raise ValidationError(
            {"status": "Answer the question before publishing it."}, code="not_answered"
        )
    if current.published_at is None:
        current.published_at = timezone.now()
        _save_published_at(current, by)
        bump(locked, by=by, reopens=False)
    return current


@transaction.atomic
def unpublish_question(*, question: DeliveryQuestion, by: User | None) -> DeliveryQuestion:
    """Take the question back: other sites no longer find it, and its page answers them 404.
    Challenges already started from it keep their link and their copy."""
    blueprint_id = DeliveryQuestion.objects.values_list("challenge__blueprint_id", flat=True).get(
        pk=question.pk
    )
    locked = lock_blueprint(blueprint_id)
    current = DeliveryQuestion.objects.select_for_update().get(pk=question.pk)
    if current.published_at is not None:
        current.published_at = None
        _save_published_at(current, by)
        bump(locked, by=by, reopens=False)
    return current


@transaction.atomic
def publish_prototype(*, prototype: Prototype, by: User | None) -> Prototype:
    """Share a decided prototype (its plan, results and learning) with every site."""
    locked = lock_blueprint(prototype.blueprint_id)
    current = Prototype.objects.select_for_update().get(pk=prototype.pk)
    if current.decision == Prototype.Decision.UNDECIDED:
        raise ValidationError(
            {"decision": "Decide (adopt, adapt or drop) before publishing the prototype."},
            code="not_decided",
        )
    if current.published_at is None:
        current.published_at = timezone.now()
        _save_published_at(current, by)
        bump(locked, by=by, reopens=False)
    return current


@transaction.atomic
def unpublish_prototype(*, prototype: Prototype, by: User | None) -> Prototype:
    """Take the prototype back; prototypes started from it keep their link and copy."""
    locked = lock_blueprint(prototype.blueprint_id)
    current = Prototype.objects.select_for_update().get(pk=prototype.pk)
    if current.published_at is not None:
        current.published_at = None
        _save_published_at(current, by)
        bump(locked, by=by, reopens=False)
    return current


def _check_startable(
    *, published_at: datetime | None, source_locality_id: int, blueprint: Blueprint, what: str
) -> None:
    if published_at is None:
        raise ValidationError(
            {"based_on": f"That {what} is no longer published."}, code="not_published"
        )
    if blueprint.locality_id == source_locality_id:
        raise ValidationError(
            {"blueprint": f"Choose a blueprint of your own site: this {what} is already its."},
            code="same_locality",
        )


@transaction.atomic
def start_delivery_challenge_from(
    *,
    question: DeliveryQuestion,
    blueprint: Blueprint,
    by: User | None,
    title: str = "",
    theme: str = "",
) -> DeliveryChallenge:
    """Another site's published question becomes the first question of a new delivery
    challenge in `blueprint`, linked to it (`based_on_question`). The title and theme are
    the source challenge's unless given.

    The source is read, not locked: if it is unpublished a moment later, the new challenge
    only keeps a link to what its team has already read.
    """
    source = DeliveryQuestion.objects.select_related("challenge__blueprint").get(pk=question.pk)
    _check_startable(
        published_at=source.published_at,
        source_locality_id=source.challenge.blueprint.locality_id,
        blueprint=blueprint,
        what="question",
    )
    return create_delivery_challenge(
        blueprint=blueprint,
        theme=theme or source.challenge.theme,
        title=title.strip() or source.challenge.title,
        questions=[source.text],
        based_on_question=source,
        by=by,
    )


@transaction.atomic
def start_prototype_from(
    *, prototype: Prototype, blueprint: Blueprint, by: User | None, title: str = ""
) -> Prototype:
    """A planned prototype in `blueprint` with another site's published prototype's title
    (unless given), hypothesis and method, linked to it (`based_on`). Its results,
    decision and learning are the new team's to find."""
    source = Prototype.objects.select_related("blueprint").get(pk=prototype.pk)
    _check_startable(
        published_at=source.published_at,
        source_locality_id=source.blueprint.locality_id,
        blueprint=blueprint,
        what="prototype",
    )
    return create_prototype(
        blueprint=blueprint,
        title=title.strip() or source.title,
        hypothesis=source.hypothesis,
        method=source.method,
        based_on=source,
        by=by,
    )

"""What every blueprint write shares: the blueprint's row lock, the version bump (with its
review hook), who made a change, the checks that a related object belongs to the same
blueprint or locality, and how a service is told that an argument was not given.

Locking. Every write that changes a blueprint's grid first locks the blueprint's row
(`SELECT ... FOR UPDATE`, `lock_blueprint`), then the rows it renumbers, by primary key. One
lock taken first by everyone serialises writers to the same blueprint (an append cannot race
a move for the last position) and leaves no order in which two writers could deadlock.
SQLite serialises writers anyway.

History. Each save records who made it (`attribute`, setting `_history_user` as
django-simple-history documents for changes made outside a request) and, for moves and
copies, why (`_change_reason`). The blueprint's version is bumped with a plain UPDATE
(`bump`), so a card edit does not also log a blueprint change.

"Not given". An update service takes each field as a keyword argument defaulting to
`UNSET`; a field left `UNSET` is left as it is, so `None` can still mean "none" (a card's
emotion, a prototype's dates).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from blueprints.live.broadcast import blueprint_changed
from blueprints.models import Blueprint, Card, DeliveryChallenge, DeliveryQuestion
from blueprints.review import states as review_states
from consultations.models import Idea
from localities.models import Insight, Locality

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

REASON_LENGTH = 100  # django-simple-history's history_change_reason max_length


class Unset(enum.Enum):
    """The type of `UNSET`: an argument the caller did not give."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


class VersionConflict(Exception):
    """Someone else changed (or deleted) the object since the caller read it.

    `current` is the object as it is now, fresh from the database, or None if it is gone,
    so the editor can show the other person's work and let the user redo their change.
    """

    def __init__(self, current: models.Model | None, message: str = "") -> None:
        self.current = current
        if not message:
            message = (
                "Someone else has deleted this card since you opened it."
                if current is None
                else "Someone else has changed this card since you opened it. Their version "
                "is shown below; make your change again on top of it."
            )
        super().__init__(message)
        self.message = message


def primary_keys(objects: Iterable[models.Model | int]) -> list[int]:
    """Primary keys of a mix of instances and primary keys, first occurrence first."""
    seen: dict[int, None] = {}
    for obj in objects:
        seen[obj if isinstance(obj, int) else obj.pk] = None
    return list(seen)


def attribute(instance: models.Model, by: User | None, reason: str = "") -> None:
    """Tell django-simple-history who makes the next save or delete of `instance`, and why."""
    instance._history_user = by
    if reason:
        instance._change_reason = reason[:REASON_LENGTH]
    else:
        instance.__dict__.pop("_change_reason", None)  # not last time's reason


def lock_blueprint(blueprint_id: int) -> Blueprint:
    """Lock the blueprint's row: the first lock of every grid write (see module docstring)."""
    return Blueprint.objects.select_for_update().get(pk=blueprint_id)


def bump(
    locked: Blueprint, *others: Blueprint | None, by: User | None, reopens: bool = True
) -> None:
    """Count one more change in `locked` (read under lock, so its version is current),
    without a history record for the blueprint itself; `others` (the caller's copies of the
    same blueprint) get the new version too.

    `reopens=False` is for planning (questions, prototype plans and results), which is not
    the blueprint's content: it leaves an approved blueprint approved, and a submitted one
    open to change. A content change (`reopens=True`) to a submitted blueprint raises
    `review_states.Frozen`, so the caller's whole write rolls back: the reviewer decides on
    what was submitted.
    """
    if reopens:
        review_states.refuse_if_frozen(locked)
    now = timezone.now()
    Blueprint.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=now)
    locked.version += 1
    locked.updated_at = now
    blueprint_changed(blueprint_id=locked.pk, version=locked.version, by=by)  # after commit
    # Review hook (issue 5): every content change passes here, and a change to an approved
    # blueprint returns it to draft, recorded as `by`'s. `locked` was read under lock, so
    # its state is current and the common case costs no query.
    if reopens and review_states.will_reopen(locked):
        review_states.reopen_if_approved(blueprint=locked, by=by)
    for other in others:
        if other is not None and other is not locked:
            other.version = locked.version
            other.updated_at = now
            other.review_state = locked.review_state


def cached_blueprint(obj: models.Model) -> Blueprint | None:
    """The caller's blueprint instance, if already loaded, so its version can be kept current."""
    return obj.blueprint if type(obj).blueprint.is_cached(obj) else None


def check_idea(idea: Idea | None, locality: Locality) -> None:
    if idea is not None and idea.locality_id != locality.pk:
        raise ValidationError(
            {"idea": "Choose an idea of this locality; that idea belongs to another one."},
            code="idea_of_other_locality",
        )


def check_insights(insights: Iterable[Insight | int], locality_id: int) -> list[int]:
    ids = primary_keys(insights)
    if not ids:
        return []
    found = set(
        Insight.objects.filter(pk__in=ids, locality_id=locality_id).values_list("pk", flat=True)
    )
    if len(found) != len(ids):
        raise ValidationError(
            {"insights": "Choose insights of this blueprint's own locality only."},
            code="insight_of_other_locality",
        )
    return ids


def check_cards(cards: Iterable[Card | int], blueprint_id: int) -> list[int]:
    ids = primary_keys(cards)
    if not ids:
        return []
    found = Card.objects.filter(pk__in=ids, blueprint_id=blueprint_id).count()
    if found != len(ids):
        raise ValidationError(
            {"cards": "Choose cards of this blueprint only."}, code="card_of_other_blueprint"
        )
    return ids


def check_delivery_challenges(
    challenges: Iterable[DeliveryChallenge | int], blueprint_id: int
) -> list[int]:
    ids = primary_keys(challenges)
    if not ids:
        return []
    found = DeliveryChallenge.objects.filter(pk__in=ids, blueprint_id=blueprint_id).count()
    if found != len(ids):
        raise ValidationError(
            {"delivery_challenges": "Choose delivery challenges of this blueprint only."},
            code="challenge_of_other_blueprint",
        )
    return ids


def check_questions(questions: Iterable[DeliveryQuestion | int], blueprint_id: int) -> list[int]:
    ids = primary_keys(questions)
    if not ids:
        return []
    found = DeliveryQuestion.objects.filter(
        pk__in=ids, challenge__blueprint_id=blueprint_id
    ).count()
    if found != len(ids):
        raise ValidationError(
            {"questions": "Choose questions of this blueprint's delivery challenges only."},
            code="question_of_other_blueprint",
        )
    return ids


def full_clean(instance: models.Model, exclude: Iterable[str] = ()) -> None:
    """Field and model validation; uniqueness and constraints are left to the database.

    Foreign keys are excluded: the services resolve them themselves, and Django's check
    would cost a query each.
    """
    foreign_keys = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(
        exclude=[*foreign_keys, *exclude], validate_unique=False, validate_constraints=False
    )

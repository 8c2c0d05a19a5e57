"""Writes to the grid's columns and rows: add, rename, move and delete phases and lanes.

Phases and lanes share the code that keeps them numbered 0..n-1 (`positions`); deleting
one deletes its cards, one by one so that each deletion is recorded as the user's, and is
refused for the blueprint's last phase or lane.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from blueprints.models import Blueprint, Lane, Phase
from blueprints.services.positions import Positioned, clamp, dense, reposition
from blueprints.services.shared import (
    UNSET,
    Unset,
    attribute,
    bump,
    cached_blueprint,
    full_clean,
    lock_blueprint,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def _lock_siblings(model: type[Positioned], blueprint: Blueprint) -> list[Positioned]:
    return list(model.objects.select_for_update().filter(blueprint=blueprint).order_by("position"))


def _find(siblings: Sequence[Positioned], obj: Positioned) -> Positioned:
    for sibling in siblings:
        if sibling.pk == obj.pk:
            return sibling
    noun = obj._meta.verbose_name
    raise ValidationError(f"That {noun} is no longer part of this blueprint.", code="gone")


def _insert(
    model: type[Positioned],
    new: Positioned,
    blueprint: Blueprint,
    position: int | None,
    by: User | None,
) -> Positioned:
    new.position = 0
    full_clean(new)
    siblings = _lock_siblings(model, blueprint)
    index = len(siblings) if position is None else clamp(position, len(siblings))
    reposition(model, [(obj, i if i < index else i + 1) for i, obj in enumerate(siblings)])
    new.position = index
    attribute(new, by)
    new.save()
    return new


def _move(model: type[Positioned], obj: Positioned, position: int, by: User | None) -> Positioned:
    locked = lock_blueprint(obj.blueprint_id)
    siblings = _lock_siblings(model, locked)
    current = _find(siblings, obj)
    siblings.remove(current)
    index = clamp(position, len(siblings))
    siblings.insert(index, current)
    if all(sibling.position == i for i, sibling in enumerate(siblings)):
        return current
    reposition(model, dense(siblings), moved=current)
    attribute(current, by, f"Moved to position {index + 1}")
    current.save()
    bump(locked, cached_blueprint(obj), by=by)
    return current


def _remove(model: type[Positioned], obj: Positioned, by: User | None) -> int:
    locked = lock_blueprint(obj.blueprint_id)
    siblings = _lock_siblings(model, locked)
    current = _find(siblings, obj)
    if len(siblings) == 1:
        noun = model._meta.verbose_name
        raise ValidationError(
            f"A blueprint needs at least one {noun}; add another before removing this one.",
            code="last_one",
        )
    # One by one, so that each card's deletion is recorded as this user's.
    cards = list(current.cards.select_for_update().order_by("pk"))
    for card in cards:
        attribute(card, by)
        card.delete()
    attribute(current, by)
    current.delete()
    reposition(model, dense([sibling for sibling in siblings if sibling.pk != current.pk]))
    bump(locked, cached_blueprint(obj), by=by)
    return len(cards)


@transaction.atomic
def add_phase(
    *,
    blueprint: Blueprint,
    name: str,
    description: str = "",
    position: int | None = None,
    by: User | None,
) -> Phase:
    """A new phase at `position` (clamped), or last; the phases after it move along."""
    locked = lock_blueprint(blueprint.pk)
    phase = Phase(blueprint=locked, name=name.strip(), description=description)
    _insert(Phase, phase, locked, position, by)
    bump(locked, blueprint, by=by)
    return phase


@transaction.atomic
def rename_phase(
    *, phase: Phase, name: str, description: str | Unset = UNSET, by: User | None
) -> Phase:
    locked = lock_blueprint(phase.blueprint_id)
    current = _find(_lock_siblings(Phase, locked), phase)
    current.name = name.strip()
    if description is not UNSET:
        current.description = description
    full_clean(current)
    attribute(current, by)
    current.save()
    bump(locked, cached_blueprint(phase), by=by)
    return current


@transaction.atomic
def move_phase(*, phase: Phase, position: int, by: User | None) -> Phase:
    """Move a phase to `position` (clamped); the others close up around it."""
    return _move(Phase, phase, position, by)


@transaction.atomic
def delete_phase(*, phase: Phase, by: User | None) -> int:
    """Delete a phase and every card in it; returns how many cards went with it."""
    return _remove(Phase, phase, by)


@transaction.atomic
def add_lane(
    *,
    blueprint: Blueprint,
    role: str,
    name: str = "",
    position: int | None = None,
    by: User | None,
) -> Lane:
    """A new lane at `position` (clamped), or last; named after its role unless named."""
    locked = lock_blueprint(blueprint.pk)
    if role not in Lane.Role.values:
        raise ValidationError({"role": "Choose one of the lane roles."}, code="invalid_role")
    lane = Lane(blueprint=locked, role=role, name=name.strip() or Lane.DEFAULT_NAMES[role])
    _insert(Lane, lane, locked, position, by)
    bump(locked, blueprint, by=by)
    return lane


@transaction.atomic
def rename_lane(*, lane: Lane, name: str, by: User | None) -> Lane:
    locked = lock_blueprint(lane.blueprint_id)
    current = _find(_lock_siblings(Lane, locked), lane)
    current.name = name.strip()
    full_clean(current)
    attribute(current, by)
    current.save()
    bump(locked, cached_blueprint(lane), by=by)
    return current


@transaction.atomic
def move_lane(*, lane: Lane, position: int, by: User | None) -> Lane:
    """Move a lane to `position` (clamped); the others close up around it."""
    return _move(Lane, lane, position, by)


@transaction.atomic
def delete_lane(*, lane: Lane, by: User | None) -> int:
    """Delete a lane and every card in it; returns how many cards went with it."""
    return _remove(Lane, lane, by)

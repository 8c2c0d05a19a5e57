"""Writes to the grid's columns and rows: add, rename, move and delete phases and lanes.

Phases and lanes share the code that keeps them numbered 0..n-1 (`positions`); deleting
one deletes its cards, one by one so that each deletion is recorded as the user's, and is
refused for the blueprint's last phase or lane.

The rules every caller gets (the structure page and the editor's headers alike): no two
phases, or two lanes, of a blueprint share a name (compared without case); lanes stay in
role order (evidence, family, frontline, backstage, support): a move out of it is refused
and a new lane goes in its role's place. An import or a restore passes `as_given=True` to
keep a document's own order and names, which the editor then warns about. With
`expected_version`, a change built on a blueprint that has moved on since raises
VersionConflict and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from blueprints.models import Blueprint, Lane, Phase
from blueprints.models.grid import ROLE_ORDER, fits_role_order
from blueprints.services.positions import Positioned, clamp, dense, reposition
from blueprints.services.shared import (
    UNSET,
    Unset,
    VersionConflict,
    attribute,
    bump,
    cached_blueprint,
    full_clean,
    lock_blueprint,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


STALE = (
    "Someone else changed this blueprint since you opened it: here it is as it is now. "
    "Nothing was changed; make your change again if you still want it."
)

# Where a lane may go among its siblings: given the siblings (without it) and the index
# asked for, the index to use, or a ValidationError.
Placement = Callable[[list[Lane], int], int]


def _lock_siblings(model: type[Positioned], blueprint: Blueprint) -> list[Positioned]:
    return list(model.objects.select_for_update().filter(blueprint=blueprint).order_by("position"))


def _check_version(locked: Blueprint, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict(locked, STALE)


def _check_name(siblings: Sequence[Positioned], obj: Positioned) -> None:
    """Refuse a name another phase (or lane) of the blueprint already has, at the field."""
    name = obj.name.strip().casefold()
    for sibling in siblings:
        if sibling.pk != obj.pk and sibling.name.strip().casefold() == name:
            noun = obj._meta.verbose_name
            raise ValidationError(
                {"name": f"This blueprint already has a {noun} called “{sibling.name}”."},
                code="duplicate_name",
            )


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
    *,
    as_given: bool = False,
    place: Placement | None = None,
) -> Positioned:
    new.position = 0
    full_clean(new)
    siblings = _lock_siblings(model, blueprint)
    if not as_given:
        _check_name(siblings, new)
    index = len(siblings) if position is None else clamp(position, len(siblings))
    if place is not None and not as_given:
        index = place(siblings, index)
    reposition(model, [(obj, i if i < index else i + 1) for i, obj in enumerate(siblings)])
    new.position = index
    attribute(new, by)
    new.save()
    return new


def _move(
    model: type[Positioned],
    obj: Positioned,
    position: int,
    by: User | None,
    *,
    expected_version: int | None = None,
    place: Placement | None = None,
) -> Positioned:
    locked = lock_blueprint(obj.blueprint_id)
    _check_version(locked, expected_version)
    siblings = _lock_siblings(model, locked)
    current = _find(siblings, obj)
    siblings.remove(current)
    index = clamp(position, len(siblings))
    if index == current.position:
        return current  # already there: nothing to check or record
    if place is not None:
        index = place(siblings, index)
    siblings.insert(index, current)
    if all(sibling.position == i for i, sibling in enumerate(siblings)):
        return current
    reposition(model, dense(siblings), moved=current)
    attribute(current, by, f"Moved to position {index + 1}")
    current.save()
    bump(locked, cached_blueprint(obj), by=by)
    return current


def _remove(
    model: type[Positioned], obj: Positioned, by: User | None, expected_version: int | None
) -> int:
    locked = lock_blueprint(obj.blueprint_id)
    _check_version(locked, expected_version)
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


def _rename(
    model: type[Positioned], obj: Positioned, name: str, expected_version: int | None
) -> tuple[Blueprint, Positioned]:
    locked = lock_blueprint(obj.blueprint_id)
    _check_version(locked, expected_version)
    siblings = _lock_siblings(model, locked)
    current = _find(siblings, obj)
    current.name = name.strip()
    _check_name(siblings, current)
    return locked, current


@transaction.atomic
def add_phase(
    *,
    blueprint: Blueprint,
    name: str,
    description: str = "",
    position: int | None = None,
    expected_version: int | None = None,
    as_given: bool = False,
    by: User | None,
) -> Phase:
    """A new phase at `position` (clamped), or last; the phases after it move along."""
    locked = lock_blueprint(blueprint.pk)
    _check_version(locked, expected_version)
    phase = Phase(blueprint=locked, name=name.strip(), description=description)
    _insert(Phase, phase, locked, position, by, as_given=as_given)
    bump(locked, blueprint, by=by)
    return phase


@transaction.atomic
def rename_phase(
    *,
    phase: Phase,
    name: str,
    description: str | Unset = UNSET,
    expected_version: int | None = None,
    by: User | None,
) -> Phase:
    locked, current = _rename(Phase, phase, name, expected_version)
    if description is not UNSET:
        current.description = description
    full_clean(current)
    attribute(current, by)
    current.save()
    bump(locked, cached_blueprint(phase), by=by)
    return current


@transaction.atomic
def move_phase(
    *, phase: Phase, position: int, expected_version: int | None = None, by: User | None
) -> Phase:
    """Move a phase to `position` (clamped); the others close up around it."""
    return _move(Phase, phase, position, by, expected_version=expected_version)


@transaction.atomic
def delete_phase(*, phase: Phase, expected_version: int | None = None, by: User | None) -> int:
    """Delete a phase and every card in it; returns how many cards went with it."""
    return _remove(Phase, phase, by, expected_version)


def role_place(role: str) -> Placement:
    """Where a lane of `role` goes: at the index asked for if the lanes around it stay in role
    order there, otherwise at the nearest index where they do (after the lanes of its role
    and those before it). Lanes already out of order get the nearest place that fits."""

    def place(siblings: list[Lane], index: int) -> int:
        fitting = [
            i
            for i in range(len(siblings) + 1)
            if fits_role_order(role, siblings[i - 1] if i else None, _at(siblings, i))
        ]
        return min(fitting, key=lambda i: (abs(i - index), -i))

    return place


def _at(lanes: list[Lane], index: int) -> Lane | None:
    return lanes[index] if index < len(lanes) else None


ROLE_ORDER_RULE = "Lanes keep their roles' order: evidence, family, frontline, backstage, support."


def role_order_breach(lane: Lane, above: Lane | None, below: Lane | None) -> str:
    """Why `lane` may not sit between `above` and `below` ("a family lane cannot go below
    the frontline lane “Staff”"), or "" if it may."""
    if fits_role_order(lane.role, above, below):
        return ""
    neighbour = above if above and ROLE_ORDER[above.role] > ROLE_ORDER[lane.role] else below
    where = "below" if neighbour is above else "above"
    return (
        f"a {lane.get_role_display().lower()} lane cannot go {where} the "
        f"{neighbour.get_role_display().lower()} lane “{neighbour.name}”"
    )


def lane_step_breaches(lanes: Sequence[Lane]) -> dict[int, dict[str, str]]:
    """For each of `lanes` (all of a blueprint's, in order), why a step "up" or "down" would
    be refused for role order ("" where it would not, or where there is no step to take), as
    `move_lane` decides it: so the editor's move buttons can say so before they are pressed."""
    breaches = {}
    for index, lane in enumerate(lanes):
        others = [*lanes[:index], *lanes[index + 1 :]]
        found = {"up": "", "down": ""}
        if index > 0:
            above = others[index - 2] if index > 1 else None
            found["up"] = role_order_breach(lane, above, others[index - 1])
        if index < len(others):
            found["down"] = role_order_breach(lane, others[index], _at(others, index + 1))
        breaches[lane.pk] = found
    return breaches


def _keep_role_order(lane: Lane) -> Placement:
    """A move refused if the lane would leave role order where it lands."""

    def place(siblings: list[Lane], index: int) -> int:
        above = siblings[index - 1] if index else None
        breach = role_order_breach(lane, above, _at(siblings, index))
        if breach:
            raise ValidationError(
                f"“{lane.name}” stays where it is: {breach}. {ROLE_ORDER_RULE}",
                code="role_order",
            )
        return index

    return place


@transaction.atomic
def add_lane(
    *,
    blueprint: Blueprint,
    role: str,
    name: str = "",
    position: int | None = None,
    expected_version: int | None = None,
    as_given: bool = False,
    by: User | None,
) -> Lane:
    """A new lane in its role's place, at `position` if that place allows it (see
    `role_place`), or last; named after its role (numbered if taken) unless named."""
    locked = lock_blueprint(blueprint.pk)
    _check_version(locked, expected_version)
    if role not in Lane.Role.values:
        raise ValidationError({"role": "Choose one of the lane roles."}, code="invalid_role")
    if not name.strip():
        name = _default_name(locked, role)
    lane = Lane(blueprint=locked, role=role, name=name.strip())
    _insert(Lane, lane, locked, position, by, as_given=as_given, place=role_place(role))
    bump(locked, blueprint, by=by)
    return lane


def _default_name(blueprint: Blueprint, role: str) -> str:
    """The role's usual name, numbered if a lane has it already ("Behind the scenes (2)")."""
    taken = {name.casefold() for name in blueprint.lanes.values_list("name", flat=True)}
    name, number = Lane.DEFAULT_NAMES[role], 1
    while name.casefold() in taken:
        number += 1
        name = f"{Lane.DEFAULT_NAMES[role]} ({number})"
    return name


@transaction.atomic
def rename_lane(
    *, lane: Lane, name: str, expected_version: int | None = None, by: User | None
) -> Lane:
    locked, current = _rename(Lane, lane, name, expected_version)
    full_clean(current)
    attribute(current, by)
    current.save()
    bump(locked, cached_blueprint(lane), by=by)
    return current


@transaction.atomic
def move_lane(
    *,
    lane: Lane,
    position: int,
    expected_version: int | None = None,
    as_given: bool = False,
    by: User | None,
) -> Lane:
    """Move a lane to `position` (clamped); the others close up around it. Refused (a
    ValidationError) where the lane would leave role order, unless `as_given`."""
    place = None if as_given else _keep_role_order(lane)
    return _move(Lane, lane, position, by, expected_version=expected_version, place=place)


@transaction.atomic
def delete_lane(*, lane: Lane, expected_version: int | None = None, by: User | None) -> int:
    """Delete a lane and every card in it; returns how many cards went with it."""
    return _remove(Lane, lane, by, expected_version)


@transaction.atomic
def order_lanes_by_role(
    *, blueprint: Blueprint, expected_version: int | None = None, by: User | None
) -> int:
    """Put the blueprint's lanes in role order, keeping the order of lanes of one role;
    returns how many lanes changed place (none: nothing changes, no version bump)."""
    locked = lock_blueprint(blueprint.pk)
    _check_version(locked, expected_version)
    lanes = _lock_siblings(Lane, locked)
    ordered = sorted(lanes, key=lambda lane: ROLE_ORDER[lane.role])  # stable
    moved = [lane for index, lane in enumerate(ordered) if lane.position != index]
    if not moved:
        return 0
    reposition(Lane, dense(ordered))
    for lane in moved:  # each move in history, as the user's
        attribute(lane, by, "Put in role order")
        lane.save(update_fields=["position"])
    bump(locked, blueprint, by=by)
    return len(moved)

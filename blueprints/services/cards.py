"""Writes to cards: add, change, move and delete them, and link one card to another.

A card is changed only at the version the caller read (`expected_version`); otherwise the
service raises `VersionConflict` with the card as it now is. Moving a card renumbers the
cards of the cells it leaves and enters (`positions`), after locking the blueprint's row
and then those cards (`shared`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max

from blueprints.models import Blueprint, Card, CardAction, CardLink, Lane, Phase
from blueprints.services.last_change import remember, snapshot
from blueprints.services.positions import clamp, dense, reposition
from blueprints.services.shared import (
    UNSET,
    Unset,
    VersionConflict,
    attribute,
    bump,
    cached_blueprint,
    check_insights,
    full_clean,
    lock_blueprint,
)
from localities.models import Insight, Partner, Space, VolunteerRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def _fresh_cell(blueprint: Blueprint, phase: Phase, lane: Lane) -> tuple[Phase, Lane]:
    """The phase and lane as stored now, refused unless both belong to `blueprint`."""
    errors = {}
    fresh_phase = Phase.objects.filter(pk=phase.pk, blueprint_id=blueprint.pk).first()
    fresh_lane = Lane.objects.filter(pk=lane.pk, blueprint_id=blueprint.pk).first()
    if fresh_phase is None:
        errors["phase"] = "That phase is not part of this blueprint (it may have been removed)."
    if fresh_lane is None:
        errors["lane"] = "That lane is not part of this blueprint (it may have been removed)."
    if errors:
        raise ValidationError(errors, code="cell_of_other_blueprint")
    return fresh_phase, fresh_lane


def _lock_card(card: Card, expected_version: int) -> Card:
    """The card as stored now, locked; VersionConflict unless it is still at that version."""
    current = (
        Card.objects.select_for_update(of=("self",))
        .select_related("phase", "lane", *Card.RESOURCE_FIELDS)
        .filter(pk=card.pk)
        .first()
    )
    if current is None or current.version != expected_version:
        raise VersionConflict(current)
    return current


def _lock_cells(*cells: tuple[int, int]) -> list[Card]:
    """Lock every card of the given (phase id, lane id) cells, in primary-key order."""
    condition = models.Q()
    for phase_id, lane_id in set(cells):
        condition |= models.Q(phase_id=phase_id, lane_id=lane_id)
    return list(Card.objects.select_for_update().filter(condition).order_by("pk"))


def _resource(model: type[models.Model], value: models.Model | int | None) -> models.Model | None:
    """The resource as stored, from an instance or a primary key (None: none named). One
    that does not exist is refused at its field by `Card.clean`, as another locality's is."""
    if value is None:
        return None
    pk = value if isinstance(value, int) else value.pk
    return model.objects.filter(pk=pk).first() or model(pk=pk, locality_id=None)


def _set_resources(card: Card, values: dict[str, models.Model | int | None | Unset]) -> None:
    """Name the given resources on the card (each re-read, so the locality `Card.clean`
    checks is the stored one, not the caller's)."""
    models_by_field = {"space": Space, "partner": Partner, "volunteer_role": VolunteerRole}
    for name, value in values.items():
        if value is not UNSET:
            setattr(card, name, _resource(models_by_field[name], value))


def _in_cell(cards: Iterable[Card], cell: tuple[int, int]) -> list[Card]:
    return sorted(
        (card for card in cards if (card.phase_id, card.lane_id) == cell),
        key=lambda card: card.position,
    )


@transaction.atomic
def add_card(
    *,
    blueprint: Blueprint,
    phase: Phase,
    lane: Lane,
    title: str,
    details: str = "",
    kind: str,
    emotion: int | None = None,
    insights: Iterable[Insight | int] = (),
    space: Space | int | None = None,
    partner: Partner | int | None = None,
    volunteer_role: VolunteerRole | int | None = None,
    volunteer_hours: Decimal | None = None,
    by: User | None,
) -> Card:
    """A new card at the end of its cell (phase x lane). The space, partner and volunteer
    role it names must be the blueprint's locality's, and hours need a role (`Card.clean`):
    otherwise a ValidationError naming the field, and nothing saved."""
    locked = lock_blueprint(blueprint.pk)
    phase, lane = _fresh_cell(locked, phase, lane)
    card = Card(
        blueprint=locked,
        phase=phase,
        lane=lane,
        position=0,
        title=title.strip(),
        details=details,
        kind=kind,
        emotion=emotion,
        volunteer_hours=volunteer_hours,
    )
    _set_resources(card, {"space": space, "partner": partner, "volunteer_role": volunteer_role})
    full_clean(card)
    insight_ids = check_insights(insights, locked.locality_id)
    last = Card.objects.filter(phase=phase, lane=lane).aggregate(last=Max("position"))["last"]
    card.position = 0 if last is None else last + 1
    attribute(card, by)
    card.save()
    if insight_ids:
        card.insights.set(insight_ids)
    bump(locked, blueprint, by=by)
    remember(by=by, action=CardAction.ADD, card=card)
    return card


@transaction.atomic
def update_card(
    *,
    card: Card,
    expected_version: int,
    by: User | None,
    title: str | Unset = UNSET,
    details: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    emotion: int | None | Unset = UNSET,
    insights: Iterable[Insight | int] | Unset = UNSET,
    space: Space | int | None | Unset = UNSET,
    partner: Partner | int | None | Unset = UNSET,
    volunteer_role: VolunteerRole | int | None | Unset = UNSET,
    volunteer_hours: Decimal | None | Unset = UNSET,
) -> Card:
    """Change a card's title, details, kind, emotion, insights, or the community resources
    it names (space, partner, volunteer role and hours), the ones given, if no one else has
    since `expected_version`; otherwise raise VersionConflict and change nothing. A
    resource of another locality, or hours without a role, is a ValidationError naming the
    field. A card changes cell through `move_card`.

    Returns the card as saved (a fresh instance; the one passed in is left as it was).
    """
    locked = lock_blueprint(card.blueprint_id)
    current = _lock_card(card, expected_version)
    before = snapshot(current)
    if title is not UNSET:
        current.title = title.strip()
    if details is not UNSET:
        current.details = details
    if kind is not UNSET:
        current.kind = kind
    if emotion is not UNSET:
        current.emotion = emotion
    if volunteer_hours is not UNSET:
        current.volunteer_hours = volunteer_hours
    elif volunteer_role is UNSET and current.volunteer_role_id is None:
        # Hours left behind when their role was deleted (SET_NULL): they belong to no one,
        # and would otherwise refuse every later change to the card.
        current.volunteer_hours = None
    _set_resources(current, {"space": space, "partner": partner, "volunteer_role": volunteer_role})
    current.blueprint = locked  # Card.clean reads its locality
    full_clean(current)
    if insights is not UNSET:
        insight_ids = check_insights(insights, locked.locality_id)
        # No history for the set() itself: the save below records the card with them.
        current.skip_history_when_saving = True
        try:
            current.insights.set(insight_ids)
        finally:
            del current.skip_history_when_saving
    current.version += 1
    attribute(current, by)
    current.save()
    bump(locked, cached_blueprint(card), by=by)
    remember(by=by, action=CardAction.EDIT, card=current, before=before)
    return current


@transaction.atomic
def move_card(
    *,
    card: Card,
    phase: Phase,
    lane: Lane,
    position: int,
    expected_version: int,
    by: User | None,
) -> Card:
    """Move a card to `position` (clamped to the cell) in the cell (phase, lane).

    The old cell closes its gap and the new one opens one; both stay numbered 0..n-1.
    A card that leaves the family lane loses its emotion, which only that lane can carry.
    Returns the card as saved.
    """
    locked = lock_blueprint(card.blueprint_id)
    current = _lock_card(card, expected_version)
    phase, lane = _fresh_cell(locked, phase, lane)
    before = snapshot(current)
    source_cell = (current.phase_id, current.lane_id)
    target_cell = (phase.pk, lane.pk)
    rows = _lock_cells(source_cell, target_cell)
    source = [row for row in _in_cell(rows, source_cell) if row.pk != current.pk]
    target = source if target_cell == source_cell else _in_cell(rows, target_cell)
    index = clamp(position, len(target))
    target.insert(index, current)
    if target_cell == source_cell and all(row.position == i for i, row in enumerate(target)):
        return current  # already there: nothing to change, no new version
    targets = dense(target) if target is source else [*dense(source), *dense(target)]
    reposition(Card, targets, moved=current)
    current.phase, current.lane = phase, lane
    if current.emotion is not None and not lane.allows_emotion:
        current.emotion = None
    current.version += 1
    attribute(current, by, f"Moved to {phase.name} / {lane.name}, position {index + 1}")
    current.save()
    bump(locked, cached_blueprint(card), by=by)
    remember(by=by, action=CardAction.MOVE, card=current, before=before)
    return current


@transaction.atomic
def delete_card(*, card: Card, expected_version: int, by: User | None) -> None:
    """Delete a card (with its links) and close the gap it leaves in its cell."""
    locked = lock_blueprint(card.blueprint_id)
    current = _lock_card(card, expected_version)
    cell = (current.phase_id, current.lane_id)
    rows = _lock_cells(cell)
    remember(by=by, action=CardAction.DELETE, card=current, before=snapshot(current, links=True))
    attribute(current, by)
    current.delete()
    reposition(Card, dense([row for row in _in_cell(rows, cell) if row.pk != card.pk]))
    bump(locked, cached_blueprint(card), by=by)


# Links between cards -------------------------------------------------------------------


def _check_link(from_card: Card, to_card: Card) -> None:
    if from_card.pk == to_card.pk:
        raise ValidationError("A card cannot serve itself.", code="self_link")
    if from_card.blueprint_id != to_card.blueprint_id:
        raise ValidationError(
            "Only cards of the same blueprint can be linked.", code="link_across_blueprints"
        )


@transaction.atomic
def link_cards(*, from_card: Card, to_card: Card, by: User | None) -> CardLink:
    """Record that `from_card` serves `to_card` (e.g. a frontline step, a family step)."""
    _check_link(from_card, to_card)
    locked = lock_blueprint(from_card.blueprint_id)
    stored = Card.objects.filter(pk__in=[from_card.pk, to_card.pk], blueprint=locked).count()
    if stored != 2:
        raise ValidationError("One of these cards has been deleted.", code="gone")
    if CardLink.objects.filter(from_card=from_card, to_card=to_card).exists():
        raise ValidationError("These cards are linked already.", code="duplicate_link")
    link = CardLink.objects.create(from_card=from_card, to_card=to_card, created_by=by)
    bump(locked, cached_blueprint(from_card), by=by)
    return link


@transaction.atomic
def unlink_cards(*, from_card: Card, to_card: Card, by: User | None) -> bool:
    """Remove the link if there is one (idempotent); returns whether there was."""
    locked = lock_blueprint(from_card.blueprint_id)
    deleted, _ = CardLink.objects.filter(from_card=from_card, to_card=to_card).delete()
    if deleted:
        bump(locked, cached_blueprint(from_card), by=by)
    return bool(deleted)

"""Undoing a person's last change to a card (see `last_change`), in one transaction.

Add: the card is deleted. Edit: its title, details, kind, emotion, insights and the space,
partner and volunteer role (with hours) it named, those still there, are put back. Move: it
goes back to its cell and position (and gets back an emotion it lost by leaving the family
lane). Delete: it is added again in its cell at its position, with its fields, its
insights, and, of what the deletion took or detached, what is still there: its links to
other cards, its places in delivery challenges and prototypes, and the comments about it
(kept on the blueprint without a card meanwhile). It is a new card (a new id).

Refused (`UndoRefused`, a ValidationError), changing nothing, when someone else has
changed the card since (its version is not the one the change left), or the card, its cell
or its phase or lane is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from blueprints.capacity import changes_capacity
from blueprints.models import (
    Blueprint,
    Card,
    CardAction,
    CardLink,
    Comment,
    DeliveryChallenge,
    Lane,
    LastCardChange,
    Phase,
    Prototype,
)
from blueprints.services.cards import add_card, delete_card, move_card, update_card
from blueprints.services.shared import VersionConflict, lock_blueprint
from localities.models import Insight, Partner, Space, VolunteerRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

NOTHING_TO_UNDO = "There is nothing to undo: you have not changed a card here since your last undo."


class UndoRefused(ValidationError):
    """An undo that cannot be done, with the reason; `card_pk` is the card it was about,
    if that card is still there (so the editor can say so beside it)."""

    def __init__(self, message: str, *, code: str, card_pk: int | None = None) -> None:
        super().__init__(message, code=code)
        self.card_pk = card_pk


@dataclass(frozen=True)
class Undone:
    """What an undo did: a message for the person, the cells it touched (phase id, lane id)
    and the card it left in place (None when it deleted one); and whether it changed what
    the capacity check counts (a card's space, partner, volunteer role or hours)."""

    message: str
    cells: tuple[tuple[int, int], ...]
    card_pk: int | None
    capacity_changed: bool = False


def describe(change: LastCardChange) -> str:
    """The button's words: "adding “Title”", "moving “Title”"..."""
    return f"{change.get_action_display()} “{change.title}”"


@transaction.atomic
def undo_last_change(*, blueprint: Blueprint, by: User) -> Undone:
    """Undo `by`'s last change to a card of `blueprint`; ValidationError (with the reason)
    if there is none or it can no longer be undone."""
    lock_blueprint(blueprint.pk)
    change = (
        LastCardChange.objects.select_for_update()
        .filter(user=by, blueprint_id=blueprint.pk)
        .first()
    )
    if change is None:
        raise UndoRefused(NOTHING_TO_UNDO, code="nothing_to_undo")
    try:
        undone = _UNDO[change.action](change, blueprint, by)
    except VersionConflict as conflict:
        raise UndoRefused(
            f"Cannot undo {describe(change)}: "
            + (
                "someone else has deleted the card since."
                if conflict.current is None
                else "someone else has changed the card since. Nothing was undone."
            ),
            code="changed_since",
            card_pk=conflict.current.pk if conflict.current is not None else None,
        ) from conflict
    except UndoRefused:
        raise
    except ValidationError as error:  # a service refused to put something back
        raise UndoRefused(
            f"Cannot undo {describe(change)}: " + " ".join(error.messages),
            code="refused",
            card_pk=change.card_id if change.action != CardAction.DELETE else None,
        ) from error
    # The services called above remembered the undo as a change of its own: forget both,
    # so that a second undo does not redo.
    LastCardChange.objects.filter(user=by, blueprint_id=blueprint.pk).delete()
    return undone


def _current(change: LastCardChange, blueprint: Blueprint) -> Card:
    card = (
        Card.objects.select_related("phase", "lane")
        .filter(pk=change.card_id, blueprint_id=blueprint.pk)
        .first()
    )
    if card is None:
        raise VersionConflict(None)
    if card.version != change.version_after:
        raise VersionConflict(card)
    card.blueprint = blueprint
    return card


def _cell(change: LastCardChange, blueprint: Blueprint) -> tuple[Phase, Lane]:
    phase = Phase.objects.filter(pk=change.before.get("phase"), blueprint=blueprint).first()
    lane = Lane.objects.filter(pk=change.before.get("lane"), blueprint=blueprint).first()
    if phase is None or lane is None:
        raise UndoRefused(
            f"Cannot undo {describe(change)}: the "
            + ("phase" if phase is None else "lane")
            + " it was in has been removed since. Nothing was undone.",
            code="cell_gone",
        )
    return phase, lane


def _insights(change: LastCardChange, blueprint: Blueprint) -> list[int]:
    """The card's insights then, those that still exist."""
    return list(
        Insight.objects.filter(
            pk__in=change.before.get("insights", []), locality_id=blueprint.locality_id
        ).values_list("pk", flat=True)
    )


def _resources(change: LastCardChange, blueprint: Blueprint) -> dict[str, Any]:
    """The space, partner and volunteer role the card named then, those that are still the
    locality's (and the hours, if the role is); none for a change recorded before cards
    named them."""
    before = change.before
    found = {}
    for name, model in (("space", Space), ("partner", Partner), ("volunteer_role", VolunteerRole)):
        pk = before.get(name)
        exists = model.objects.filter(pk=pk, locality_id=blueprint.locality_id).exists()
        found[name] = pk if pk is not None and exists else None
    hours = before.get("volunteer_hours")
    found["volunteer_hours"] = (
        Decimal(hours) if hours is not None and found["volunteer_role"] else None
    )
    return found


def _undo_add(change: LastCardChange, blueprint: Blueprint, by: User) -> Undone:
    card = _current(change, blueprint)
    delete_card(card=card, expected_version=card.version, by=by)
    return Undone(
        f"Undone: removed “{card.title}”, which you had added.",
        ((card.phase_id, card.lane_id),),
        None,
        capacity_changed=changes_capacity(card, None),
    )


def _undo_edit(change: LastCardChange, blueprint: Blueprint, by: User) -> Undone:
    card = _current(change, blueprint)
    before = change.before
    saved = update_card(
        card=card,
        expected_version=card.version,
        by=by,
        title=before["title"],
        details=before["details"],
        kind=before["kind"],
        emotion=before["emotion"] if card.lane.allows_emotion else None,
        insights=_insights(change, blueprint),
        **_resources(change, blueprint),
    )
    return Undone(
        f"Undone: “{saved.title}” is back as it was before your edit.",
        ((saved.phase_id, saved.lane_id),),
        saved.pk,
        capacity_changed=changes_capacity(card, saved),
    )


def _undo_move(change: LastCardChange, blueprint: Blueprint, by: User) -> Undone:
    card = _current(change, blueprint)
    phase, lane = _cell(change, blueprint)
    moved = move_card(
        card=card,
        phase=phase,
        lane=lane,
        position=change.before["position"],
        expected_version=card.version,
        by=by,
    )
    emotion = change.before.get("emotion")
    if emotion is not None and lane.allows_emotion and moved.emotion != emotion:
        moved.blueprint = blueprint
        moved = update_card(card=moved, expected_version=moved.version, by=by, emotion=emotion)
    return Undone(
        f"Undone: moved “{moved.title}” back to {lane.name}, {phase.name}.",
        ((phase.pk, lane.pk), (card.phase_id, card.lane_id)),
        moved.pk,
    )


def _undo_delete(change: LastCardChange, blueprint: Blueprint, by: User) -> Undone:
    phase, lane = _cell(change, blueprint)
    before = change.before
    card = add_card(
        blueprint=blueprint,
        phase=phase,
        lane=lane,
        title=before["title"],
        details=before["details"],
        kind=before["kind"],
        emotion=before["emotion"] if lane.allows_emotion else None,
        insights=_insights(change, blueprint),
        **_resources(change, blueprint),
        by=by,
    )
    if card.position != before["position"]:
        card = move_card(
            card=card,
            phase=phase,
            lane=lane,
            position=before["position"],
            expected_version=card.version,
            by=by,
        )
    others = set(
        Card.objects.filter(
            blueprint_id=blueprint.pk,
            pk__in=[*before.get("serves", []), *before.get("served_by", [])],
        ).values_list("pk", flat=True)
    )
    CardLink.objects.bulk_create(
        [
            CardLink(from_card=card, to_card_id=pk, created_by=by)
            for pk in before.get("serves", [])
            if pk in others
        ]
        + [
            CardLink(from_card_id=pk, to_card=card, created_by=by)
            for pk in before.get("served_by", [])
            if pk in others
        ]
    )
    _give_back(card, before, blueprint)
    return Undone(
        f"Undone: “{card.title}” is back in {lane.name}, {phase.name}.",
        ((phase.pk, lane.pk),),
        card.pk,
        capacity_changed=changes_capacity(None, card),
    )


def _give_back(card: Card, before: dict[str, Any], blueprint: Blueprint) -> None:
    """To the deleted card's new self: its places in the delivery challenges and prototypes
    still in the blueprint, and the comments that were about it (still without a card)."""
    challenges = DeliveryChallenge.objects.filter(
        blueprint_id=blueprint.pk, pk__in=before.get("delivery_challenges", [])
    ).values_list("pk", flat=True)
    DeliveryChallenge.cards.through.objects.bulk_create(
        [DeliveryChallenge.cards.through(deliverychallenge_id=pk, card=card) for pk in challenges]
    )
    prototypes = Prototype.objects.filter(
        blueprint_id=blueprint.pk, pk__in=before.get("prototypes", [])
    ).values_list("pk", flat=True)
    Prototype.cards.through.objects.bulk_create(
        [Prototype.cards.through(prototype_id=pk, card=card) for pk in prototypes]
    )
    Comment.objects.filter(
        blueprint_id=blueprint.pk, pk__in=before.get("comments", []), card__isnull=True
    ).update(card=card)


_UNDO = {
    CardAction.ADD: _undo_add,
    CardAction.EDIT: _undo_edit,
    CardAction.MOVE: _undo_move,
    CardAction.DELETE: _undo_delete,
}

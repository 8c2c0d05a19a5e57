"""Writes to blueprints, called alike from views, admin and management commands.

Every function is keyword-only and runs in one transaction. Bad input raises Django's
`ValidationError` (with field names where a form could show them); an edit built on a stale
card raises `VersionConflict`, which carries the card as it now is.

Positions. Phases and lanes are numbered 0..n-1 per blueprint and cards 0..n-1 per cell,
and unique constraints hold that at every statement. Renumbering therefore goes in two
passes: the rows that change are first lifted out of the way (position + `_LIFT`), then
written to their final positions. That works alike on PostgreSQL and SQLite, where a
deferred constraint would not.

Locking. Every write that changes a blueprint's grid first locks the blueprint's row
(`SELECT ... FOR UPDATE`), then the cards it renumbers, by primary key. One lock taken
first by everyone serialises writers to the same blueprint (an append cannot race a move
for the last position) and leaves no order in which two writers could deadlock. SQLite
serialises writers anyway.

History. Each save records who made it (`_history_user`, as django-simple-history documents
for changes made outside a request) and, for moves and copies, why (`_change_reason`).
Neighbours shifted by a move are renumbered with plain UPDATEs and leave no history: their
content did not change. The blueprint's version is bumped the same way, so a card edit
does not also log a blueprint change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone

from blueprints import review
from blueprints.models import (
    Blueprint,
    Card,
    CardLink,
    DeliveryChallenge,
    Lane,
    Phase,
    Prototype,
)
from consultations.models import Idea
from localities.models import Insight, Locality

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

DEFAULT_PHASES = ("Awareness", "Use", "Exit and advocacy")
DEFAULT_LANE_ROLES = (
    Lane.Role.EVIDENCE,
    Lane.Role.FAMILY,
    Lane.Role.FRONTLINE,
    Lane.Role.BACKSTAGE,
    Lane.Role.SUPPORT,
)
# Far above any real position, so lifted rows never meet rows still in place.
_LIFT = 1_000_000
_REASON_LENGTH = 100  # django-simple-history's history_change_reason max_length

Positioned = TypeVar("Positioned", Phase, Lane, Card)


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


# Helpers ------------------------------------------------------------------------------


def _ids(objects: Iterable[models.Model | int]) -> list[int]:
    """Primary keys of a mix of instances and primary keys, first occurrence first."""
    seen: dict[int, None] = {}
    for obj in objects:
        seen[obj if isinstance(obj, int) else obj.pk] = None
    return list(seen)


def _attribute(instance: models.Model, by: User | None, reason: str = "") -> None:
    """Tell django-simple-history who makes the next save or delete of `instance`, and why."""
    instance._history_user = by
    if reason:
        instance._change_reason = reason[:_REASON_LENGTH]
    else:
        instance.__dict__.pop("_change_reason", None)  # not last time's reason


def _lock_blueprint(blueprint_id: int) -> Blueprint:
    """Lock the blueprint's row: the first lock of every grid write (see module docstring)."""
    return Blueprint.objects.select_for_update().get(pk=blueprint_id)


def _bump(locked: Blueprint, *others: Blueprint | None, by: User | None) -> None:
    """Count one more content change in `locked` (read under lock, so its version is current),
    without a history record for the blueprint itself; `others` (the caller's copies of the
    same blueprint) get the new version too.
    """
    now = timezone.now()
    Blueprint.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=now)
    locked.version += 1
    locked.updated_at = now
    # Review hook (issue 5): every content change passes here, and a change to an approved
    # blueprint returns it to draft, recorded as `by`'s. `locked` was read under lock, so
    # its state is current and the common case costs no query.
    if review.will_reopen(locked):
        review.reopen_if_approved(blueprint=locked, by=by)
    for other in others:
        if other is not None and other is not locked:
            other.version = locked.version
            other.updated_at = now
            other.review_state = locked.review_state


def _cached_blueprint(obj: models.Model) -> Blueprint | None:
    """The caller's blueprint instance, if already loaded, so its version can be kept current."""
    return obj.blueprint if type(obj).blueprint.is_cached(obj) else None


def _reposition(
    model: type[Positioned],
    targets: Iterable[tuple[Positioned, int]],
    *,
    moved: Positioned | None = None,
) -> None:
    """Give each (locked) object its target position, keeping positions unique throughout.

    Rows that change are lifted clear of every position in use, then written to their
    targets in one UPDATE. `moved` is lifted too but left for the caller to save, since it
    changes more than its position and its save is the one that belongs in history.
    """
    changed = [(obj, target) for obj, target in targets if obj.position != target or obj is moved]
    if not changed:
        return
    model.objects.filter(pk__in=[obj.pk for obj, _ in changed]).update(
        position=F("position") + _LIFT
    )
    for obj, target in changed:
        obj.position = target
    others = [obj for obj, _ in changed if obj is not moved]
    if others:
        model.objects.bulk_update(others, ["position"])


def _dense(ordered: Sequence[Positioned]) -> list[tuple[Positioned, int]]:
    return [(obj, index) for index, obj in enumerate(ordered)]


def _clamp(position: int, upper: int) -> int:
    return max(0, min(int(position), upper))


def _check_idea(idea: Idea | None, locality: Locality) -> None:
    if idea is not None and idea.locality_id != locality.pk:
        raise ValidationError(
            {"idea": "Choose an idea of this locality; that idea belongs to another one."},
            code="idea_of_other_locality",
        )


def _check_insights(insights: Iterable[Insight | int], locality_id: int) -> list[int]:
    ids = _ids(insights)
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


def _check_cards(cards: Iterable[Card | int], blueprint_id: int) -> list[int]:
    ids = _ids(cards)
    if not ids:
        return []
    found = Card.objects.filter(pk__in=ids, blueprint_id=blueprint_id).count()
    if found != len(ids):
        raise ValidationError(
            {"cards": "Choose cards of this blueprint only."}, code="card_of_other_blueprint"
        )
    return ids


def _check_delivery_challenges(
    challenges: Iterable[DeliveryChallenge | int], blueprint_id: int
) -> list[int]:
    ids = _ids(challenges)
    if not ids:
        return []
    found = DeliveryChallenge.objects.filter(pk__in=ids, blueprint_id=blueprint_id).count()
    if found != len(ids):
        raise ValidationError(
            {"delivery_challenges": "Choose delivery challenges of this blueprint only."},
            code="challenge_of_other_blueprint",
        )
    return ids


def _full_clean(instance: models.Model, exclude: Iterable[str] = ()) -> None:
    """Field and model validation; uniqueness and constraints are left to the database.

    Foreign keys are excluded: the services resolve them themselves, and Django's check
    would cost a query each.
    """
    foreign_keys = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(
        exclude=[*foreign_keys, *exclude], validate_unique=False, validate_constraints=False
    )


# Blueprints ---------------------------------------------------------------------------


@transaction.atomic
def create_blueprint(
    *, locality: Locality, idea: Idea | None, title: str, summary: str = "", by: User | None
) -> Blueprint:
    """A blueprint with the default phases and the five lanes of DESIGN section 2."""
    _check_idea(idea, locality)
    blueprint = Blueprint(
        locality=locality, idea=idea, title=title.strip(), summary=summary, created_by=by
    )
    _full_clean(blueprint)
    _attribute(blueprint, by)
    blueprint.save()
    for position, name in enumerate(DEFAULT_PHASES):
        phase = Phase(blueprint=blueprint, name=name, position=position)
        _attribute(phase, by)
        phase.save()
    for position, role in enumerate(DEFAULT_LANE_ROLES):
        lane = Lane(
            blueprint=blueprint, role=role, name=Lane.DEFAULT_NAMES[role], position=position
        )
        _attribute(lane, by)
        lane.save()
    return blueprint


@transaction.atomic
def update_blueprint(
    *,
    blueprint: Blueprint,
    by: User | None,
    title: str | None = None,
    summary: str | None = None,
    idea: Idea | None = None,
    expected_version: int | None = None,
) -> Blueprint:
    """Change the title, summary or idea (given ones only); the idea must be of the locality.

    With `expected_version`, raise VersionConflict and change nothing if the blueprint has
    moved on since the caller read it (a form opened before someone else's change).
    """
    locked = _lock_blueprint(blueprint.pk)
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict(
            locked,
            "Someone else has changed this blueprint since you opened it. "
            "Reload it to see their change, then make yours again.",
        )
    if idea is not None:
        _check_idea(idea, locked.locality)
        locked.idea = idea
    if title is not None:
        locked.title = title.strip()
    if summary is not None:
        locked.summary = summary
    _full_clean(locked)
    locked.version += 1
    _attribute(locked, by)
    locked.save()
    if review.will_reopen(locked):  # review hook, as in `_bump`
        review.reopen_if_approved(blueprint=locked, by=by)
    return locked


@transaction.atomic
def delete_blueprint(*, blueprint: Blueprint, by: User | None) -> None:
    """Delete the blueprint and everything in it, recording who did it in its history.

    The lock makes a concurrent edit wait and then find the blueprint gone, rather than
    write a card into a blueprint half way through being deleted.
    """
    locked = _lock_blueprint(blueprint.pk)
    _attribute(locked, by)
    locked.delete()


@transaction.atomic
def copy_blueprint(*, source: Blueprint, title: str, by: User | None) -> Blueprint:
    """A deep copy in the same locality: every phase, lane, card (with its insights), link,
    delivery challenge and prototype, each pointing at the new copies of what it pointed at.
    """
    source = _lock_blueprint(source.pk)  # no one changes the source half-way through
    reason = f"Copied from {source.title}"
    copy = Blueprint(
        locality_id=source.locality_id,
        idea_id=source.idea_id,
        title=title.strip(),
        summary=source.summary,
        created_by=by,
    )
    _full_clean(copy)
    _attribute(copy, by, reason)
    copy.save()

    def clone(instance: models.Model, **changes: Any) -> models.Model:
        new = type(instance)(
            **{
                field.attname: getattr(instance, field.attname)
                for field in instance._meta.concrete_fields
                if not field.primary_key and field.name not in ("created_at", "updated_at")
            }
        )
        for name, value in changes.items():
            setattr(new, name, value)
        _attribute(new, by, reason)
        new.save()
        return new

    phases = {p.pk: clone(p, blueprint=copy) for p in source.phases.order_by("position")}
    lanes = {lane.pk: clone(lane, blueprint=copy) for lane in source.lanes.order_by("position")}
    cards = {}
    for card in source.cards.order_by("pk").prefetch_related("insights"):
        new_card = clone(
            card, blueprint=copy, phase=phases[card.phase_id], lane=lanes[card.lane_id], version=1
        )
        insight_ids = [insight.pk for insight in card.insights.all()]
        if insight_ids:
            new_card.insights.set(insight_ids)
        cards[card.pk] = new_card
    CardLink.objects.bulk_create(
        CardLink(from_card=cards[link.from_card_id], to_card=cards[link.to_card_id], created_by=by)
        for link in CardLink.objects.filter(from_card__blueprint=source).order_by("pk")
    )
    challenges = {}
    for challenge in source.delivery_challenges.order_by("pk").prefetch_related("cards"):
        new_challenge = clone(challenge, blueprint=copy)
        card_ids = [cards[c.pk].pk for c in challenge.cards.all()]
        if card_ids:
            new_challenge.cards.set(card_ids)
        challenges[challenge.pk] = new_challenge
    for prototype in source.prototypes.order_by("pk").prefetch_related(
        "cards", "delivery_challenges"
    ):
        new_prototype = clone(prototype, blueprint=copy)
        card_ids = [cards[c.pk].pk for c in prototype.cards.all()]
        if card_ids:
            new_prototype.cards.set(card_ids)
        challenge_ids = [challenges[c.pk].pk for c in prototype.delivery_challenges.all()]
        if challenge_ids:
            new_prototype.delivery_challenges.set(challenge_ids)
    return copy


# Cards ----------------------------------------------------------------------------------

CARD_FIELDS = frozenset({"title", "details", "kind", "emotion", "insights"})


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
        .select_related("phase", "lane")
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
    by: User | None,
) -> Card:
    """A new card at the end of its cell (phase x lane)."""
    locked = _lock_blueprint(blueprint.pk)
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
    )
    _full_clean(card)
    insight_ids = _check_insights(insights, locked.locality_id)
    last = Card.objects.filter(phase=phase, lane=lane).aggregate(last=Max("position"))["last"]
    card.position = 0 if last is None else last + 1
    _attribute(card, by)
    card.save()
    if insight_ids:
        card.insights.set(insight_ids)
    _bump(locked, blueprint, by=by)
    return card


@transaction.atomic
def update_card(*, card: Card, expected_version: int, by: User | None, **fields: Any) -> Card:
    """Change a card's title, details, kind, emotion or insights, if no one else has since
    `expected_version`; otherwise raise VersionConflict and change nothing.

    Returns the card as saved (a fresh instance; the one passed in is left as it was).
    """
    unknown = set(fields) - CARD_FIELDS
    if unknown:
        raise TypeError(
            f"update_card() cannot change {', '.join(sorted(unknown))}; "
            "move a card with move_card()."
        )
    locked = _lock_blueprint(card.blueprint_id)
    current = _lock_card(card, expected_version)
    insights = fields.pop("insights", None)
    for name, value in fields.items():
        setattr(current, name, value.strip() if name == "title" else value)
    _full_clean(current)
    if insights is not None:
        insight_ids = _check_insights(insights, locked.locality_id)
        # No history for the set() itself: the save below records the card with them.
        current.skip_history_when_saving = True
        try:
            current.insights.set(insight_ids)
        finally:
            del current.skip_history_when_saving
    current.version += 1
    _attribute(current, by)
    current.save()
    _bump(locked, _cached_blueprint(card), by=by)
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
    locked = _lock_blueprint(card.blueprint_id)
    current = _lock_card(card, expected_version)
    phase, lane = _fresh_cell(locked, phase, lane)
    source_cell = (current.phase_id, current.lane_id)
    target_cell = (phase.pk, lane.pk)
    rows = _lock_cells(source_cell, target_cell)
    source = [row for row in _in_cell(rows, source_cell) if row.pk != current.pk]
    target = source if target_cell == source_cell else _in_cell(rows, target_cell)
    index = _clamp(position, len(target))
    target.insert(index, current)
    if target_cell == source_cell and all(row.position == i for i, row in enumerate(target)):
        return current  # already there: nothing to change, no new version
    targets = _dense(target) if target is source else [*_dense(source), *_dense(target)]
    _reposition(Card, targets, moved=current)
    current.phase, current.lane = phase, lane
    if current.emotion is not None and not lane.allows_emotion:
        current.emotion = None
    current.version += 1
    _attribute(current, by, f"Moved to {phase.name} / {lane.name}, position {index + 1}")
    current.save()
    _bump(locked, _cached_blueprint(card), by=by)
    return current


@transaction.atomic
def delete_card(*, card: Card, expected_version: int, by: User | None) -> None:
    """Delete a card (with its links) and close the gap it leaves in its cell."""
    locked = _lock_blueprint(card.blueprint_id)
    current = _lock_card(card, expected_version)
    cell = (current.phase_id, current.lane_id)
    rows = _lock_cells(cell)
    _attribute(current, by)
    current.delete()
    _reposition(Card, _dense([row for row in _in_cell(rows, cell) if row.pk != card.pk]))
    _bump(locked, _cached_blueprint(card), by=by)


# Phases and lanes -----------------------------------------------------------------------


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
    _full_clean(new)
    siblings = _lock_siblings(model, blueprint)
    index = len(siblings) if position is None else _clamp(position, len(siblings))
    _reposition(model, [(obj, i if i < index else i + 1) for i, obj in enumerate(siblings)])
    new.position = index
    _attribute(new, by)
    new.save()
    return new


def _move(model: type[Positioned], obj: Positioned, position: int, by: User | None) -> Positioned:
    locked = _lock_blueprint(obj.blueprint_id)
    siblings = _lock_siblings(model, locked)
    current = _find(siblings, obj)
    siblings.remove(current)
    index = _clamp(position, len(siblings))
    siblings.insert(index, current)
    if all(sibling.position == i for i, sibling in enumerate(siblings)):
        return current
    _reposition(model, _dense(siblings), moved=current)
    _attribute(current, by, f"Moved to position {index + 1}")
    current.save()
    _bump(locked, _cached_blueprint(obj), by=by)
    return current


def _remove(model: type[Positioned], obj: Positioned, by: User | None) -> int:
    locked = _lock_blueprint(obj.blueprint_id)
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
        _attribute(card, by)
        card.delete()
    _attribute(current, by)
    current.delete()
    _reposition(model, _dense([sibling for sibling in siblings if sibling.pk != current.pk]))
    _bump(locked, _cached_blueprint(obj), by=by)
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
    locked = _lock_blueprint(blueprint.pk)
    phase = Phase(blueprint=locked, name=name.strip(), description=description)
    _insert(Phase, phase, locked, position, by)
    _bump(locked, blueprint, by=by)
    return phase


@transaction.atomic
def rename_phase(
    *, phase: Phase, name: str, description: str | None = None, by: User | None
) -> Phase:
    locked = _lock_blueprint(phase.blueprint_id)
    current = _find(_lock_siblings(Phase, locked), phase)
    current.name = name.strip()
    if description is not None:
        current.description = description
    _full_clean(current)
    _attribute(current, by)
    current.save()
    _bump(locked, _cached_blueprint(phase), by=by)
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
    locked = _lock_blueprint(blueprint.pk)
    if role not in Lane.Role.values:
        raise ValidationError({"role": "Choose one of the lane roles."}, code="invalid_role")
    lane = Lane(blueprint=locked, role=role, name=name.strip() or Lane.DEFAULT_NAMES[role])
    _insert(Lane, lane, locked, position, by)
    _bump(locked, blueprint, by=by)
    return lane


@transaction.atomic
def rename_lane(*, lane: Lane, name: str, by: User | None) -> Lane:
    locked = _lock_blueprint(lane.blueprint_id)
    current = _find(_lock_siblings(Lane, locked), lane)
    current.name = name.strip()
    _full_clean(current)
    _attribute(current, by)
    current.save()
    _bump(locked, _cached_blueprint(lane), by=by)
    return current


@transaction.atomic
def move_lane(*, lane: Lane, position: int, by: User | None) -> Lane:
    """Move a lane to `position` (clamped); the others close up around it."""
    return _move(Lane, lane, position, by)


@transaction.atomic
def delete_lane(*, lane: Lane, by: User | None) -> int:
    """Delete a lane and every card in it; returns how many cards went with it."""
    return _remove(Lane, lane, by)


# Card links -----------------------------------------------------------------------------


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
    locked = _lock_blueprint(from_card.blueprint_id)
    stored = Card.objects.filter(pk__in=[from_card.pk, to_card.pk], blueprint=locked).count()
    if stored != 2:
        raise ValidationError("One of these cards has been deleted.", code="gone")
    if CardLink.objects.filter(from_card=from_card, to_card=to_card).exists():
        raise ValidationError("These cards are linked already.", code="duplicate_link")
    link = CardLink.objects.create(from_card=from_card, to_card=to_card, created_by=by)
    _bump(locked, _cached_blueprint(from_card), by=by)
    return link


@transaction.atomic
def unlink_cards(*, from_card: Card, to_card: Card, by: User | None) -> bool:
    """Remove the link if there is one (idempotent); returns whether there was."""
    locked = _lock_blueprint(from_card.blueprint_id)
    deleted, _ = CardLink.objects.filter(from_card=from_card, to_card=to_card).delete()
    if deleted:
        _bump(locked, _cached_blueprint(from_card), by=by)
    return bool(deleted)


# Delivery challenges and prototypes -----------------------------------------------------

CHALLENGE_FIELDS = frozenset({"theme", "title", "questions", "cards"})
PROTOTYPE_FIELDS = frozenset(
    {
        "title",
        "cards",
        "delivery_challenges",
        "hypothesis",
        "method",
        "cost",
        "risk",
        "starts_on",
        "ends_on",
        "status",
        "learning",
        "decision",
    }
)


def _refuse_unknown(function: str, fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{function}() cannot change {', '.join(sorted(unknown))}.")


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
    _attribute(instance, by)
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
    locked = _lock_blueprint(blueprint.pk)
    challenge = DeliveryChallenge(
        blueprint=locked, theme=theme, title=title.strip(), questions=questions
    )
    _full_clean(challenge)
    card_ids = _check_cards(cards, locked.pk)
    _save_with_relations(challenge, {"cards": card_ids}, created=True, by=by)
    _bump(locked, blueprint, by=by)
    return challenge


@transaction.atomic
def update_delivery_challenge(
    *, challenge: DeliveryChallenge, by: User | None, **fields: Any
) -> DeliveryChallenge:
    """Change the given fields (theme, title, questions, cards); returns the saved challenge."""
    _refuse_unknown("update_delivery_challenge", fields, CHALLENGE_FIELDS)
    locked = _lock_blueprint(challenge.blueprint_id)
    current = DeliveryChallenge.objects.select_for_update().get(pk=challenge.pk)
    cards = fields.pop("cards", None)
    for name, value in fields.items():
        setattr(current, name, value.strip() if name == "title" else value)
    _full_clean(current)
    card_ids = None if cards is None else _check_cards(cards, locked.pk)
    _save_with_relations(current, {"cards": card_ids}, created=False, by=by)
    _bump(locked, _cached_blueprint(challenge), by=by)
    return current


@transaction.atomic
def delete_delivery_challenge(*, challenge: DeliveryChallenge, by: User | None) -> None:
    locked = _lock_blueprint(challenge.blueprint_id)
    _attribute(challenge, by)
    challenge.delete()
    _bump(locked, _cached_blueprint(challenge), by=by)


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
    locked = _lock_blueprint(blueprint.pk)
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
    _full_clean(prototype)
    relations = {
        "cards": _check_cards(cards, locked.pk),
        "delivery_challenges": _check_delivery_challenges(delivery_challenges, locked.pk),
    }
    _save_with_relations(prototype, relations, created=True, by=by)
    _bump(locked, blueprint, by=by)
    return prototype


@transaction.atomic
def update_prototype(*, prototype: Prototype, by: User | None, **fields: Any) -> Prototype:
    """Change the given fields (see PROTOTYPE_FIELDS); returns the saved prototype."""
    _refuse_unknown("update_prototype", fields, PROTOTYPE_FIELDS)
    locked = _lock_blueprint(prototype.blueprint_id)
    current = Prototype.objects.select_for_update().get(pk=prototype.pk)
    cards = fields.pop("cards", None)
    challenges = fields.pop("delivery_challenges", None)
    for name, value in fields.items():
        setattr(current, name, value.strip() if name == "title" else value)
    _full_clean(current)
    relations = {
        "cards": None if cards is None else _check_cards(cards, locked.pk),
        "delivery_challenges": (
            None if challenges is None else _check_delivery_challenges(challenges, locked.pk)
        ),
    }
    _save_with_relations(current, relations, created=False, by=by)
    _bump(locked, _cached_blueprint(prototype), by=by)
    return current


@transaction.atomic
def delete_prototype(*, prototype: Prototype, by: User | None) -> None:
    locked = _lock_blueprint(prototype.blueprint_id)
    _attribute(prototype, by)
    prototype.delete()
    _bump(locked, _cached_blueprint(prototype), by=by)

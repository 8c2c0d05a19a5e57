"""Remembering each person's last change to a card (`LastCardChange`), for undo.

The card services call `remember` inside their transaction, after the change, with the
card as it was before (`snapshot`, taken under the card's lock). A change made by no one in
particular (imports, commands: `by` None) is not remembered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from blueprints.models import Card, CardAction, CardLink, LastCardChange

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


# What a person's next change replaces in their row (all but who and which blueprint).
_REPLACED = ("action", "card_id", "title", "before", "version_after", "changed_at")


def snapshot(card: Card, *, links: bool = False) -> dict[str, Any]:
    """The card as it is now, as JSON: its cell, position, fields and insight ids, and with
    `links` what a deletion takes or detaches and its undo gives back: the cards it serves
    and is served by, the delivery challenges and prototypes it belongs to, and the comments
    about it (which stay on the blueprint, detached from it)."""
    state: dict[str, Any] = {
        "phase": card.phase_id,
        "lane": card.lane_id,
        "position": card.position,
        "title": card.title,
        "details": card.details,
        "kind": card.kind,
        "emotion": card.emotion,
        "insights": sorted(card.insights.values_list("pk", flat=True)),
        # The community resources it names (ids), and its hours as text (JSON has no decimals).
        "space": card.space_id,
        "partner": card.partner_id,
        "volunteer_role": card.volunteer_role_id,
        "volunteer_hours": None if card.volunteer_hours is None else str(card.volunteer_hours),
    }
    if links:
        pairs = CardLink.objects.filter(
            Q(from_card_id=card.pk) | Q(to_card_id=card.pk)
        ).values_list("from_card_id", "to_card_id")
        state["serves"] = sorted(to for frm, to in pairs if frm == card.pk)
        state["served_by"] = sorted(frm for frm, to in pairs if to == card.pk)
        state["delivery_challenges"] = sorted(card.delivery_challenges.values_list("pk", flat=True))
        state["prototypes"] = sorted(card.prototypes.values_list("pk", flat=True))
        state["comments"] = sorted(card.comments.values_list("pk", flat=True))
    return state


def remember(
    *,
    by: User | None,
    action: CardAction,
    card: Card,
    before: dict[str, Any] | None = None,
) -> None:
    """Record `by`'s change to `card` as their last on its blueprint (replacing the one
    before). `card` is the card after the change (for a deletion, as it was)."""
    if by is None or not getattr(by, "is_authenticated", False):
        return
    # One statement (INSERT ... ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike) on
    # the one-per-person-and-blueprint constraint, rather than update_or_create's savepoint,
    # read and write: every card write passes here, a move at every drag.
    LastCardChange.objects.bulk_create(
        [
            LastCardChange(
                user=by,
                blueprint_id=card.blueprint_id,
                action=action,
                card_id=card.pk,
                title=card.title,
                before=before or {},
                version_after=None if action == CardAction.DELETE else card.version,
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "blueprint"],
        update_fields=list(_REPLACED),
    )


def last_change(*, blueprint_id: int, user: User) -> LastCardChange | None:
    """What `user` could undo on this blueprint, if anything."""
    if not getattr(user, "is_authenticated", False):
        return None
    return LastCardChange.objects.filter(user=user, blueprint_id=blueprint_id).first()

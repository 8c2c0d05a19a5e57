"""What the review page and the editor read of the review: open conversations per card,
the conversations with their replies, the history of moves. Each in a fixed number of
queries; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When

from blueprints.models import (
    Blueprint,
    Card,
    Comment,
    DeliveryChallenge,
    DeliveryQuestion,
    Prototype,
    ReviewTransition,
)


def open_comment_counts(blueprint: Blueprint) -> dict[int, int]:
    """Conversations the team has to answer (open and not marked addressed) per card id,
    for the cards that have any (one query). Addressed ones wait for the reviewer, so the
    card's badge does not count them."""
    rows = (
        Comment.objects.filter(
            blueprint=blueprint,
            parent__isnull=True,
            resolved_at__isnull=True,
            addressed_at__isnull=True,
            card__isnull=False,
        )
        .order_by()
        .values_list("card_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def conversations(blueprint: Blueprint, card: Card | None = None) -> list[Comment]:
    """The blueprint's conversations (or, with `card`, that card's), open ones first, each
    oldest first, with replies, authors and cards fetched (two queries, however many)."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    tops = Comment.objects.filter(blueprint=blueprint, parent__isnull=True)
    if card is not None:
        tops = tops.filter(card=card)
    return list(
        tops.select_related("author", "resolved_by", "addressed_by", "card__phase", "card__lane")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .annotate(
            _resolved=Case(
                When(resolved_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("_resolved", "created_at", "pk")
    )


def conversations_by_card(blueprint: Blueprint) -> dict[int, list[Comment]]:
    """The blueprint's conversations on cards, by card id, in `conversations` order (two
    queries), for the text view."""
    found: dict[int, list[Comment]] = {}
    for thread in conversations(blueprint):
        if thread.card_id is not None:
            found.setdefault(thread.card_id, []).append(thread)
    return found


def comment_tally(threads: list[Comment]) -> dict[str, int]:
    """How many conversations the team has to answer, are addressed, and are resolved."""
    return {
        "to_answer": sum(1 for thread in threads if thread.to_answer),
        "addressed": sum(1 for thread in threads if thread.is_addressed),
        "resolved": sum(1 for thread in threads if not thread.is_open),
    }


def transitions(blueprint: Blueprint) -> list[ReviewTransition]:
    """The blueprint's review history, oldest first, with who made each move (one query)."""
    return list(blueprint.transitions.select_related("by").order_by("at", "pk"))


# Planning since approval (issue 12) ---------------------------------------------------

PLANNING_CHANGES_SHOWN = 50
HISTORY_ACTIONS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class PlanningChange:
    """One history record of the blueprint's planning: a prototype, a delivery challenge
    or a question added, changed or deleted."""

    kind: str
    name: str
    action: str
    by: object
    at: datetime


@dataclass(frozen=True)
class PlanningSinceApproval:
    approved_at: datetime
    changes: list[PlanningChange]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.changes)


def planning_since_approval(blueprint: Blueprint) -> PlanningSinceApproval | None:
    """For an approved blueprint, what changed in its planning (which leaves it approved)
    since the approval: the history records of its prototypes, delivery challenges and
    their questions after the approving move, newest first, at most
    `PLANNING_CHANGES_SHOWN` (four queries, however many). None unless approved."""
    if blueprint.review_state != Blueprint.ReviewState.APPROVED:
        return None
    approval = (
        ReviewTransition.objects.filter(
            blueprint=blueprint, to_state=Blueprint.ReviewState.APPROVED
        )
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    if approval is None:
        return None
    challenge_ids = DeliveryChallenge.history.filter(blueprint_id=blueprint.pk).values("id")
    sources = [
        ("Prototype", "title", Prototype.history.filter(blueprint_id=blueprint.pk)),
        (
            "Delivery challenge",
            "title",
            DeliveryChallenge.history.filter(blueprint_id=blueprint.pk),
        ),
        ("Question", "text", DeliveryQuestion.history.filter(challenge_id__in=challenge_ids)),
    ]
    changes: list[PlanningChange] = []
    total = 0
    for kind, name_field, records in sources:
        since = records.filter(history_date__gt=approval)
        total += since.count()
        changes.extend(
            PlanningChange(
                kind=kind,
                name=getattr(record, name_field),
                action=HISTORY_ACTIONS.get(record.history_type, "changed"),
                by=record.history_user,
                at=record.history_date,
            )
            for record in since.select_related("history_user").order_by("-history_date")[
                :PLANNING_CHANGES_SHOWN
            ]
        )
    changes.sort(key=lambda change: change.at, reverse=True)
    return PlanningSinceApproval(
        approved_at=approval, changes=changes[:PLANNING_CHANGES_SHOWN], total=total
    )

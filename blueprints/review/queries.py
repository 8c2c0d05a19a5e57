"""What the review page and the editor read of the review: open conversations per card,
the conversations with their replies, the history of moves. Each in a fixed number of
queries; nothing here writes.
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When

from blueprints.models import Blueprint, Comment, ReviewTransition


def open_comment_counts(blueprint: Blueprint) -> dict[int, int]:
    """Open conversations per card id, for the cards that have any (one query)."""
    rows = (
        Comment.objects.filter(
            blueprint=blueprint,
            parent__isnull=True,
            resolved_at__isnull=True,
            card__isnull=False,
        )
        .order_by()
        .values_list("card_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def conversations(blueprint: Blueprint) -> list[Comment]:
    """The blueprint's conversations, open ones first, each oldest first, with replies,
    authors and cards fetched (two queries, however many there are)."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(
        Comment.objects.filter(blueprint=blueprint, parent__isnull=True)
        .select_related("author", "resolved_by", "card__phase", "card__lane")
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


def transitions(blueprint: Blueprint) -> list[ReviewTransition]:
    """The blueprint's review history, oldest first, with who made each move (one query)."""
    return list(blueprint.transitions.select_related("by").order_by("at", "pk"))

"""Positions in the grid: phases and lanes are numbered 0..n-1 per blueprint and cards
0..n-1 per cell, and unique constraints hold that at every statement.

Renumbering therefore goes in two passes: the rows that change are first lifted out of the
way (position + `LIFT`), then written to their final positions. That works alike on
PostgreSQL and SQLite, where a deferred constraint would not. The rows are locked by the
caller (after the blueprint's row, see `shared`). Neighbours shifted by a move are
renumbered with plain UPDATEs and leave no history: their content did not change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db.models import F

from blueprints.models import Card, Lane, Phase

# Far above any real position, so lifted rows never meet rows still in place.
LIFT = 1_000_000

Positioned = TypeVar("Positioned", Phase, Lane, Card)


def reposition(
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
        position=F("position") + LIFT
    )
    for obj, target in changed:
        obj.position = target
    others = [obj for obj, _ in changed if obj is not moved]
    if others:
        model.objects.bulk_update(others, ["position"])


def dense(ordered: Sequence[Positioned]) -> list[tuple[Positioned, int]]:
    return [(obj, index) for index, obj in enumerate(ordered)]


def clamp(position: int, upper: int) -> int:
    return max(0, min(int(position), upper))

"""What changed in a blueprint since a moment: the live editor's catch-up (issue 16).

A client knows the moment of the version it last drew (the blueprint's `updated_at` then,
its `since` token). Writers lock the blueprint's row before they change anything
(`services.shared`), so every change committed after that version was recorded later than
that moment: the content history since then names every card changed, moved, added or
deleted (with where it is, or was), and whether a phase or lane changed. The client redraws
those cells; when the grid's shape changed, or much changed, or something changed that the
history does not name (links, planning), it redraws the whole grid; when the review state
is not the one it drew, it reloads the page, whose controls depend on it. Every answer
carries the blueprint's title, which the client puts in its header (someone renamed it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from blueprints.live.broadcast import display_name
from blueprints.models import Blueprint, Card, Lane, Phase

# Past this many cells, one redraw of the grid is cheaper than many cells.
MAX_CELLS = 24


@dataclass
class ChangedCard:
    card_id: int
    deleted: bool
    by: str


@dataclass
class Changes:
    version: int
    since: str  # the token of what the client will have drawn, for its next ask
    title: str  # the blueprint's title now, for the page's header and document title
    reload: bool = False  # the review state moved: reload the page
    board: bool = False  # redraw the whole grid
    cells: list[tuple[int, int]] = field(default_factory=list)  # (phase, lane) to redraw
    cards: list[ChangedCard] = field(default_factory=list)


def token(blueprint: Blueprint) -> str:
    """The moment of the blueprint's current version, as the client keeps it."""
    return blueprint.updated_at.isoformat()


def parse_token(value: str) -> datetime | None:
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def changes_since(
    blueprint: Blueprint, *, since: datetime, since_version: int, review_state: str
) -> Changes:
    """What changed in `blueprint` (read just now) after `since`, the moment of the version
    `since_version` the client has drawn in `review_state`."""
    changes = Changes(version=blueprint.version, since=token(blueprint), title=blueprint.title)
    bp = blueprint.pk
    if blueprint.review_state != review_state:  # the page's controls follow the state
        changes.reload = True
        return changes
    if blueprint.version == since_version:
        return changes
    if (
        Phase.history.filter(blueprint_id=bp, history_date__gt=since).exists()
        or Lane.history.filter(blueprint_id=bp, history_date__gt=since).exists()
    ):
        changes.board = True
        return changes
    rows = list(
        Card.history.filter(blueprint_id=bp, history_date__gt=since)
        .select_related("history_user")
        .order_by("history_date", "history_id")[: MAX_CELLS * 4 + 1]
    )
    cards: dict[int, ChangedCard] = {}
    cells: dict[tuple[int, int], None] = {}
    for row in rows:
        cards[row.id] = ChangedCard(row.id, row.history_type == "-", display_name(row.history_user))
        cells[(row.phase_id, row.lane_id)] = None
    changes.cards = list(cards.values())
    if not rows or len(rows) > MAX_CELLS * 4 or len(cells) > MAX_CELLS:
        # Nothing the history names (a link, a question), or too much: the whole grid.
        changes.board = True
    else:
        changes.cells = list(cells)
    return changes

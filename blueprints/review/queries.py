"""What the review page and the editor read of the review: open conversations per card,
the conversations with their replies, the history of moves, the version label people see,
and the latest decision a team must answer. Each in a fixed number of queries; nothing here
writes.

One numbering. `Blueprint.version` counts every change, for optimistic concurrency; people
never see it. What they see is the number of the snapshot a submission kept
(`BlueprintVersion.number`): "Submitted version 3, 2 December". `version_label` is the one
place that words it, for every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.dateformat import format as format_date

from blueprints.models import (
    Blueprint,
    BlueprintVersion,
    Card,
    Comment,
    DeliveryChallenge,
    DeliveryQuestion,
    Prototype,
    ReviewTransition,
)
from blueprints.review.states import SUBMITTED_REASON as SUBMITTED

State = Blueprint.ReviewState


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


def _submissions(blueprint_ref) -> object:
    """A blueprint's submitted snapshots, newest first (for subqueries)."""
    return BlueprintVersion.objects.filter(blueprint=blueprint_ref, reason=SUBMITTED).order_by(
        "-number"
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
    """The blueprint's review history, oldest first, with who made each move and, as
    `version_text`, which submitted version it acted on (one query)."""
    acted_on = _submissions(OuterRef("blueprint")).filter(
        blueprint_version__lte=OuterRef("blueprint_version")
    )
    moves = list(
        blueprint.transitions.select_related("by")
        .annotate(
            submitted_number=Subquery(acted_on.values("number")[:1]),
            submitted_counter=Subquery(acted_on.values("blueprint_version")[:1]),
        )
        .order_by("at", "pk")
    )
    for move in moves:
        move.version_text = move_version_text(move)
    return moves


def move_version_text(move: ReviewTransition) -> str:
    """Which submitted version a move acted on, in words ("" before any submission)."""
    number = getattr(move, "submitted_number", None)
    if number is None:
        return ""
    if move.to_state == State.SUBMITTED:
        return f"version {number}"
    if move.blueprint_version != move.submitted_counter and move.to_state in (
        State.CHANGES_REQUESTED,
        State.APPROVED,
    ):  # only before submissions froze the content (issue 14)
        return f"on version {number}, changed after it was submitted"
    return f"on version {number}"


# The label people see (issue 14) ----------------------------------------------------


@dataclass(frozen=True)
class VersionLabel:
    """How the blueprint's state and submitted version are said, on every page."""

    text: str
    number: int | None  # the latest submitted version's number, if any
    changed_since: bool  # the content counter moved since that submission


def day(moment: datetime) -> str:
    """ "2 December", with the year when it is not this one."""
    local = timezone.localtime(moment)
    same_year = local.year == timezone.localtime().year
    return format_date(local, "j F" if same_year else "j F Y")


def word_version_label(
    *,
    state: str,
    counter: int,
    number: int | None,
    submitted_counter: int | None,
    submitted_at: datetime | None,
    decided_at: datetime | None,
) -> VersionLabel:
    """The words for a blueprint in `state` whose latest submission (if any) is `number`."""
    if number is None:
        text = "Draft, never submitted" if state == State.DRAFT else State(state).label
        return VersionLabel(text, None, False)
    changed = counter != submitted_counter
    when = day(decided_at or submitted_at)
    if state == State.SUBMITTED:
        text = f"Submitted version {number}, {day(submitted_at)}"
    elif state == State.APPROVED:
        text = f"Approved version {number}, {when}"
    elif state == State.CHANGES_REQUESTED:
        text = f"Changes requested on version {number}, {when}"
        if changed:
            text += "; changed since"
    elif changed:
        text = f"Draft, changed since version {number} was submitted"
    else:
        text = f"Draft, unchanged since version {number} was submitted"
    return VersionLabel(text, number, changed)


def version_label(blueprint: Blueprint) -> VersionLabel:
    """The blueprint's label: "Submitted version 3, 2 December", "Draft, changed since version
    3 was submitted", "Approved version 3, 4 December", "Draft, never submitted" (one query).
    """
    last_move = ReviewTransition.objects.filter(blueprint=OuterRef("blueprint")).order_by(
        "-at", "-pk"
    )
    row = (
        _submissions(blueprint)
        .annotate(decided_at=Subquery(last_move.values("at")[:1]))
        .values("number", "blueprint_version", "created_at", "decided_at")
        .first()
    )
    row = row or {}
    return word_version_label(
        state=blueprint.review_state,
        counter=blueprint.version,
        number=row.get("number"),
        submitted_counter=row.get("blueprint_version"),
        submitted_at=row.get("created_at"),
        decided_at=row.get("decided_at") if blueprint.review_state != State.SUBMITTED else None,
    )


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


# What the team must answer (issue 14) -------------------------------------------------

NOTICE_COMMENTS_SHOWN = 3


@dataclass
class ChangesRequested:
    """A blueprint sent back to its team: the reviewer's latest decision, its note, who and
    when, and the open conversations to answer (how many, and the first few)."""

    blueprint: Blueprint
    note: str
    by: object  # the reviewer (a User), or None for a former user
    at: datetime | None
    open_count: int
    first_comments: list[Comment]


def changes_requested(blueprints) -> list[ChangesRequested]:
    """For each blueprint of `blueprints` (a queryset) whose changes are requested, the notice
    its team sees, oldest request first; three queries however many there are."""
    latest = ReviewTransition.objects.filter(
        blueprint=OuterRef("pk"), to_state=State.CHANGES_REQUESTED
    ).order_by("-at", "-pk")
    # What the team still has to answer: open and not yet marked addressed (as the cards'
    # badges count them).
    to_answer = {"parent__isnull": True, "resolved_at__isnull": True, "addressed_at__isnull": True}
    open_threads = (
        Comment.objects.filter(blueprint=OuterRef("pk"), **to_answer)
        .order_by()
        .values("blueprint")
        .annotate(n=Count("*"))
        .values("n")
    )
    found = list(
        blueprints.filter(review_state=State.CHANGES_REQUESTED)
        .select_related("locality")
        .annotate(
            request_note=Subquery(latest.values("note")[:1]),
            request_at=Subquery(latest.values("at")[:1]),
            request_by_id=Subquery(latest.values("by")[:1]),
            open_count=Subquery(open_threads, output_field=IntegerField()),
        )
        .order_by("request_at", "pk")
    )
    if not found:
        return []
    by_ids = {bp.request_by_id for bp in found if bp.request_by_id}
    users = get_user_model().objects.in_bulk(by_ids) if by_ids else {}
    comments: dict[int, list[Comment]] = {bp.pk: [] for bp in found}
    if any(bp.open_count for bp in found):
        rows = (
            Comment.objects.filter(blueprint_id__in=comments, **to_answer)
            .select_related("author")
            .annotate(
                row=Window(
                    RowNumber(),
                    partition_by=[F("blueprint_id")],
                    order_by=[F("created_at"), F("pk")],
                )
            )
            .filter(row__lte=NOTICE_COMMENTS_SHOWN)
            .order_by("blueprint_id", "created_at", "pk")
        )
        for comment in rows:
            comments[comment.blueprint_id].append(comment)
    return [
        ChangesRequested(
            blueprint=bp,
            note=bp.request_note or "",
            by=users.get(bp.request_by_id),
            at=bp.request_at,
            open_count=bp.open_count or 0,
            first_comments=comments[bp.pk],
        )
        for bp in found
    ]

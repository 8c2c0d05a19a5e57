"""The reviewers' worklist (issue 14, item 3): every blueprint in review, whichever idea it
is for, oldest waiting first. The portfolio's "Review worklist" tab, the reviewer's
dashboard and the locality's blueprint list all read it from here.

One query for the rows, however many blueprints and sites: when each blueprint entered its
current state (its latest move to that state, from `ReviewTransition`), how often it was
submitted and how many conversations on it are open are correlated subqueries on the
blueprint's row; the locality and the idea are joined.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from blueprints.models import Blueprint, Comment, DeliveryChallenge, ReviewTransition
from consultations.models import Idea
from localities.listing import count_of

State = Blueprint.ReviewState

# What the worklist shows unless asked otherwise: what waits for a reviewer or for a team.
IN_REVIEW: tuple[str, ...] = (State.SUBMITTED, State.CHANGES_REQUESTED)


def with_waiting(blueprints: QuerySet[Blueprint]) -> QuerySet[Blueprint]:
    """Annotate `entered_state_at`: when the blueprint entered its current review state
    (for a submitted one, its latest submission). A draft never moved is a draft since it
    was made, so a blueprint without a move into its state counts from its creation."""
    latest_move = (
        ReviewTransition.objects.filter(blueprint=OuterRef("pk"), to_state=OuterRef("review_state"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return blueprints.annotate(
        entered_state_at=Coalesce(Subquery(latest_move, output_field=DateTimeField()), "created_at")
    )


def worklist(
    blueprints: QuerySet[Blueprint],
    *,
    states: Iterable[str] = IN_REVIEW,
    theme: str | None = None,
) -> QuerySet[Blueprint]:
    """The given blueprints in one of `states` (and, with `theme`, having a delivery
    challenge of that theme), oldest waiting first, annotated with `entered_state_at`,
    `submission_count` and `open_comment_count`, with their locality and idea.

    `blueprints` is already scoped to the user (`Blueprint.objects.visible_to`)."""
    rows = blueprints.filter(review_state__in=list(states))
    if theme:
        rows = rows.filter(
            Exists(DeliveryChallenge.objects.filter(blueprint=OuterRef("pk"), theme=theme))
        )
    return (
        with_waiting(rows)
        .annotate(
            submission_count=count_of(
                ReviewTransition.objects.filter(blueprint=OuterRef("pk"), to_state=State.SUBMITTED),
                "blueprint",
            ),
            # Conversations, not messages: a reply belongs to its open conversation.
            open_comment_count=count_of(
                Comment.objects.filter(
                    blueprint=OuterRef("pk"), parent__isnull=True, resolved_at__isnull=True
                ),
                "blueprint",
            ),
        )
        .select_related("locality", "idea")
        .order_by("entered_state_at", "locality__name", "pk")
    )


def days_since(moment: datetime | None, *, now: datetime | None = None) -> int | None:
    """Whole days from `moment` to now (0: under a day); None without a moment."""
    if moment is None:
        return None
    return max(((now or timezone.now()) - moment).days, 0)


@dataclass(frozen=True)
class WorklistRow:
    """One blueprint of the worklist, with what the pages say of it."""

    blueprint: Blueprint
    days_waiting: int

    @property
    def entered_state_at(self) -> datetime:
        return self.blueprint.entered_state_at

    @property
    def submissions(self) -> int:
        return self.blueprint.submission_count

    @property
    def resubmitted(self) -> bool:
        """Submitted again after an earlier submission (after changes requested, or a
        withdrawal): the reviewer has seen a version of it before."""
        return self.blueprint.review_state == State.SUBMITTED and self.submissions > 1

    @property
    def open_comments(self) -> int:
        return self.blueprint.open_comment_count

    @property
    def is_top_idea(self) -> bool:
        idea = self.blueprint.idea
        return idea is not None and idea.status == Idea.Status.CHOSEN


def rows_of(blueprints: Iterable[Blueprint], *, now: datetime | None = None) -> list[WorklistRow]:
    """`worklist` results as rows with their days waiting, counted to the same `now`."""
    now = now or timezone.now()
    return [
        WorklistRow(blueprint, days_since(blueprint.entered_state_at, now=now) or 0)
        for blueprint in blueprints
    ]


# The reviewer's dashboard (issue 14, item 1) --------------------------------------------

DASHBOARD_ROWS = 10  # the rest are a link away, on the portfolio's worklist


@dataclass(frozen=True)
class WaitingForReview:
    """What waits for a reviewer: the submitted blueprints, oldest first (at most
    `DASHBOARD_ROWS` of them), how many are submitted in all, and how many wait for
    their teams (changes requested)."""

    rows: list[WorklistRow]
    submitted: int
    changes_requested: int

    @property
    def more(self) -> int:
        return self.submitted - len(self.rows)


def waiting_for_review(
    blueprints: QuerySet[Blueprint], *, limit: int = DASHBOARD_ROWS, now: datetime | None = None
) -> WaitingForReview:
    """Two queries: the oldest submitted blueprints, and the counts by state."""
    rows = rows_of(worklist(blueprints, states=[State.SUBMITTED])[:limit], now=now)
    counts = blueprints.aggregate(
        submitted=Count("pk", filter=Q(review_state=State.SUBMITTED)),
        changes_requested=Count("pk", filter=Q(review_state=State.CHANGES_REQUESTED)),
    )
    return WaitingForReview(rows, counts["submitted"], counts["changes_requested"])

"""The portfolio (issue 5): every site side by side, for the innovation unit's reviewers.

Three queries, however many sites: the localities with their counts, review state and
prototypes annotated (`blueprints.progress`); when each pending blueprint was submitted;
and the delivery challenges counted by site and theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from blueprints.models import Blueprint, DeliveryChallenge, Prototype, ReviewTransition
from blueprints.progress import (
    PROTOTYPE_DECISIONS,
    PROTOTYPE_STATUSES,
    blueprint_state_label,
    counts_of,
    decisions_summary,
    steps_of,
    with_progress,
    with_review_summary,
)
from localities.models import Locality

# A delivery-challenge theme met by this many sites or more is "common across sites".
COMMON_THEME_SITES = 3


@dataclass(frozen=True)
class Site:
    locality: Locality
    counts: dict[str, int]
    top_idea_title: str | None
    blueprint_id: int | None  # the top idea's blueprint (else the latest), whose state is shown
    steps_done: int
    steps_total: int
    blueprint_state: str | None
    blueprint_state_label: str
    submitted_at: datetime | None  # for a submitted blueprint: when it was last submitted
    pending_days: int | None
    prototypes_by_status: dict[str, int]
    prototypes_by_decision: dict[str, int]
    decisions_summary: str

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        """(label, count) for each prototype status, in the model's order, for templates."""
        return [(STATUS_LABELS[key], n) for key, n in self.prototypes_by_status.items()]

    @property
    def decision_counts(self) -> list[tuple[str, int]]:
        return [(DECISION_LABELS[key], n) for key, n in self.prototypes_by_decision.items()]


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    label: str
    counts: list[int]  # one per site, in the order of `Portfolio.sites`
    site_count: int  # how many sites have a challenge under this theme

    @property
    def common(self) -> bool:
        return self.site_count >= COMMON_THEME_SITES

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Portfolio:
    sites: list[Site]
    themes: list[ThemeRow]

    @property
    def common_themes(self) -> list[ThemeRow]:
        return [row for row in self.themes if row.common]


STATUS_LABELS = dict(Prototype.Status.choices)
DECISION_LABELS = dict(Prototype.Decision.choices)


def build_portfolio(localities: QuerySet[Locality], *, now: datetime | None = None) -> Portfolio:
    """Every given locality's figures, in name order, and the theme table across them."""
    now = now or timezone.now()
    rows = list(with_review_summary(with_progress(localities)).order_by("name", "pk"))
    pending = [
        row.main_blueprint_id
        for row in rows
        if row.blueprint_state == Blueprint.ReviewState.SUBMITTED
    ]
    submitted_at = dict(
        ReviewTransition.objects.filter(
            blueprint_id__in=pending, to_state=Blueprint.ReviewState.SUBMITTED
        )
        .values("blueprint_id")
        .annotate(at=Max("at"))
        .values_list("blueprint_id", "at")
    )
    sites = []
    for row in rows:
        counts = counts_of(row)
        steps = steps_of(row)
        at = submitted_at.get(row.main_blueprint_id) if row.main_blueprint_id in pending else None
        sites.append(
            Site(
                locality=row,
                counts=counts,
                top_idea_title=row.top_idea_title,
                blueprint_id=row.main_blueprint_id,
                steps_done=sum(step.done for step in steps),
                steps_total=len(steps),
                blueprint_state=row.blueprint_state,
                blueprint_state_label=blueprint_state_label(row.blueprint_state),
                submitted_at=at,
                pending_days=(now - at).days if at else None,
                prototypes_by_status={
                    status: getattr(row, f"prototypes_{status}") for status in PROTOTYPE_STATUSES
                },
                prototypes_by_decision={
                    decision: getattr(row, f"prototypes_{decision}")
                    for decision in PROTOTYPE_DECISIONS
                },
                decisions_summary=decisions_summary(row),
            )
        )
    return Portfolio(sites=sites, themes=_theme_rows(sites))


def _theme_rows(sites: list[Site]) -> list[ThemeRow]:
    by_site_theme = {
        (locality_id, theme): n
        for locality_id, theme, n in DeliveryChallenge.objects.filter(
            blueprint__locality__in=[site.locality.pk for site in sites]
        )
        .order_by()
        .values("blueprint__locality", "theme")
        .annotate(n=Count("pk"))
        .values_list("blueprint__locality", "theme", "n")
    }
    rows = []
    for theme, label in DeliveryChallenge.Theme.choices:
        counts = [by_site_theme.get((site.locality.pk, theme), 0) for site in sites]
        rows.append(ThemeRow(theme, label, counts, sum(1 for n in counts if n)))
    return rows

"""Every site's community resources side by side (issue 15, item 6), for the portfolio:
its volunteering (pipeline and hours), what its partners give, and its spaces.

Read in a fixed number of queries however many sites there are: the sites, the volunteer
roles with each one's latest month, the contributions summed by site, kind and status, and
the partners and spaces counted by site.

Hours. What a site's active volunteers can give in a week is the number active in each
role's latest recorded month times the site's limit of hours a week per volunteer; with no
limit set it is unknown, not zero, and with no volunteers recorded the page says so.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum

from localities.models import (
    Contribution,
    Locality,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)

ZERO = Decimal(0)


@dataclass
class SiteResources:
    locality: Locality
    roles: int = 0
    hours_needed: Decimal = ZERO  # what the roles say they need in all, a week
    months_recorded: int = 0  # roles with at least one month
    active: int = 0
    interested: int = 0
    trained: int = 0
    left: int = 0
    former_users: int = 0
    partners: int = 0
    money: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(Contribution.Status.values, ZERO)
    )
    in_kind: Decimal = ZERO  # what pledged and delivered things in kind are worth
    contributions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    spaces: int = 0
    out_of_hours_spaces: int = 0

    @property
    def no_volunteers(self) -> bool:
        return self.months_recorded == 0

    @property
    def hours_available(self) -> Decimal | None:
        """What the active volunteers can give a week within the site's limit; None when
        the limit is not set or no month is recorded."""
        limit = self.locality.volunteer_hours_limit
        if limit is None or self.no_volunteers:
            return None
        return self.active * limit

    @property
    def shortfall(self) -> Decimal | None:
        available = self.hours_available
        if available is None:
            return None
        return max(self.hours_needed - available, ZERO)


def build_resources(localities: QuerySet[Locality]) -> list[SiteResources]:
    sites = {locality.pk: SiteResources(locality) for locality in localities.order_by("name")}
    ids = list(sites)

    latest = VolunteerMonth.objects.filter(role=OuterRef("pk")).order_by("-month")
    roles = VolunteerRole.objects.filter(locality_id__in=ids).annotate(
        latest_active=Subquery(latest.values("active")[:1]),
        latest_interested=Subquery(latest.values("interested")[:1]),
        latest_trained=Subquery(latest.values("trained")[:1]),
        latest_former=Subquery(latest.values("former_users")[:1]),
        latest_left=Subquery(
            latest.values(total=reduce(operator.add, map(F, VolunteerMonth.LEFT_FIELDS)))[:1]
        ),
    )
    for role in roles.values(
        "locality_id",
        "hours_needed",
        "latest_active",
        "latest_interested",
        "latest_trained",
        "latest_former",
        "latest_left",
    ):
        site = sites[role["locality_id"]]
        site.roles += 1
        site.hours_needed += role["hours_needed"] or ZERO
        if role["latest_active"] is not None:
            site.months_recorded += 1
            site.active += role["latest_active"]
            site.interested += role["latest_interested"]
            site.trained += role["latest_trained"]
            site.former_users += role["latest_former"]
            site.left += role["latest_left"]

    sums = (
        Contribution.objects.filter(partner__locality_id__in=ids)
        .values("partner__locality_id", "kind", "status")
        .annotate(total=Sum("value"), count=Count("pk"))
    )
    for row in sums:
        site = sites[row["partner__locality_id"]]
        site.contributions[row["kind"]] += row["count"]
        if row["kind"] == Contribution.Kind.MONEY:
            site.money[row["status"]] += row["total"] or ZERO
        elif row["kind"] == Contribution.Kind.IN_KIND and row["status"] != "asked":
            site.in_kind += row["total"] or ZERO

    for row in (
        Partner.objects.filter(locality_id__in=ids)
        .values("locality_id")
        .annotate(count=Count("pk"))
    ):
        sites[row["locality_id"]].partners = row["count"]

    out_of_hours = Opening.objects.filter(space=OuterRef("pk"), out_of_hours=True)
    for row in (
        Space.objects.filter(locality_id__in=ids)
        .annotate(late=Exists(out_of_hours))
        .values("locality_id")
        .annotate(count=Count("pk"), late_count=Count("pk", filter=Q(late=True)))
    ):
        sites[row["locality_id"]].spaces = row["count"]
        sites[row["locality_id"]].out_of_hours_spaces = row["late_count"]
    return list(sites.values())

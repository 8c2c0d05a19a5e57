"""Every site's community resources side by side (issue 15, item 6), for the portfolio:
its volunteering (pipeline and hours), what its partners give, and its spaces.

Read in a fixed number of queries however many sites there are: the sites, the volunteer
roles with each one's latest month, the contributions summed by site, kind and status, and
the partners and spaces counted by site.

Hours. What a site's active volunteers can give in a week is the number active in each
role's latest recorded month times the site's limit of hours a week per volunteer; with no
limit set it is unknown, not zero, and with no volunteers recorded the page says so. The
rule is the capacity check's (`blueprints.capacity.VolunteerSupply`), so the portfolio and
the blueprint never disagree.

Beside what the roles say they need, each site shows what its blueprint needs: the volunteer
hours a week on the cards of the blueprint that speaks for the site (its top idea's, else its
latest: `blueprints.progress.main_blueprints`), against the same hours, role by role as the
capacity check counts them. One more query: the cards' hours summed by blueprint and role.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, reduce

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum

from blueprints.capacity import VolunteerSupply, hours_text, with_volunteer_supply
from blueprints.models import Card
from blueprints.progress import main_blueprints
from consultations.models import Idea
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
    volunteers_recorded: int = 0  # roles with someone ever recorded active
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
    contributions: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by kind
    spaces: int = 0
    out_of_hours_spaces: int = 0
    # The blueprint that speaks for the site, and what its cards need of each role.
    blueprint_id: int | None = None
    blueprint_title: str = ""
    blueprint_of_top_idea: bool = False
    blueprint_needs: dict[int, Decimal] = field(default_factory=dict)  # role id: hours a week
    supply_by_role: dict[int, VolunteerSupply] = field(default_factory=dict)

    # What follows is worked out from the figures above once `build_resources` has filled
    # them in, and kept: the page reads each several times, for 150 sites.

    @cached_property
    def other_contributions(self) -> str:
        """What the partners give besides money and things in kind, counted by kind in
        words ("referrals (2), staff time (1)"), or "" when nothing else."""
        return ", ".join(
            f"{label.lower()} ({self.contributions[kind]})"
            for kind, label in Contribution.Kind.choices
            if kind not in (Contribution.Kind.MONEY, Contribution.Kind.IN_KIND)
            and self.contributions.get(kind)
        )

    @cached_property
    def supply(self) -> VolunteerSupply:
        return VolunteerSupply(
            self.active, self.volunteers_recorded > 0, self.locality.volunteer_hours_limit
        )

    @property
    def no_volunteers(self) -> bool:
        return not self.supply.recorded

    @cached_property
    def hours_available(self) -> Decimal | None:
        """What the active volunteers can give a week within the site's limit; None when
        the limit is not set or no volunteer is recorded."""
        return self.supply.hours

    @cached_property
    def shortfall(self) -> Decimal | None:
        return self.supply.shortfall(self.hours_needed)

    @cached_property
    def blueprint_hours_needed(self) -> Decimal:
        return sum(self.blueprint_needs.values(), ZERO)

    @cached_property
    def blueprint_shortfall(self) -> Decimal | None:
        """Hours a week the blueprint's cards need beyond what each role's volunteers can
        give, summed role by role; None when any role it needs is unknown."""
        short = ZERO
        no_supply = VolunteerSupply(0, False, self.locality.volunteer_hours_limit)
        for role_id, needed in self.blueprint_needs.items():
            role_short = self.supply_by_role.get(role_id, no_supply).shortfall(needed)
            if role_short is None:
                return None
            short += role_short
        return short

    @cached_property
    def blueprint_unknown_reason(self) -> str:
        """Why the blueprint's shortfall is unknown ("no volunteers recorded", ...)."""
        no_supply = VolunteerSupply(0, False, self.locality.volunteer_hours_limit)
        for role_id in self.blueprint_needs:
            reason = self.supply_by_role.get(role_id, no_supply).unknown_reason
            if reason:
                return reason
        return ""

    @cached_property
    def blueprint_hours_text(self) -> str:
        return hours_text(self.blueprint_hours_needed)

    @cached_property
    def blueprint_shortfall_text(self) -> str:
        short = self.blueprint_shortfall
        return "" if short is None else hours_text(short)


def build_resources(localities: QuerySet[Locality]) -> list[SiteResources]:
    main = main_blueprints()
    localities = localities.annotate(
        main_blueprint_id=Subquery(main.values("pk")[:1]),
        main_blueprint_title=Subquery(main.values("title")[:1]),
        main_blueprint_idea_status=Subquery(main.values("idea__status")[:1]),
    )
    sites = {
        locality.pk: SiteResources(
            locality,
            blueprint_id=locality.main_blueprint_id,
            blueprint_title=locality.main_blueprint_title or "",
            blueprint_of_top_idea=locality.main_blueprint_idea_status == Idea.Status.CHOSEN,
        )
        for locality in localities.order_by("name")
    }
    ids = list(sites)

    latest = VolunteerMonth.objects.filter(role=OuterRef("pk")).order_by("-month")
    roles = with_volunteer_supply(VolunteerRole.objects.filter(locality_id__in=ids)).annotate(
        latest_interested=Subquery(latest.values("interested")[:1]),
        latest_trained=Subquery(latest.values("trained")[:1]),
        latest_former=Subquery(latest.values("former_users")[:1]),
        latest_left=Subquery(
            latest.values(total=reduce(operator.add, map(F, VolunteerMonth.LEFT_FIELDS)))[:1]
        ),
    )
    for role in roles.values(
        "pk",
        "locality_id",
        "hours_needed",
        "latest_active",
        "ever_active",
        "latest_interested",
        "latest_trained",
        "latest_former",
        "latest_left",
    ):
        site = sites[role["locality_id"]]
        site.roles += 1
        site.hours_needed += role["hours_needed"] or ZERO
        supply = VolunteerSupply(
            role["latest_active"] or 0, role["ever_active"], site.locality.volunteer_hours_limit
        )
        site.supply_by_role[role["pk"]] = supply
        site.volunteers_recorded += supply.recorded
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

    by_blueprint = {site.blueprint_id: site for site in sites.values() if site.blueprint_id}
    for row in (
        Card.objects.filter(
            blueprint_id__in=list(by_blueprint),
            volunteer_role__isnull=False,
            volunteer_hours__isnull=False,
        )
        .order_by()
        .values("blueprint_id", "volunteer_role_id")
        .annotate(hours=Sum("volunteer_hours"))
    ):
        needs = by_blueprint[row["blueprint_id"]].blueprint_needs
        needs[row["volunteer_role_id"]] = row["hours"]
    return list(sites.values())


def leans_most(sites: list[SiteResources]) -> SiteResources | None:
    """The site whose blueprint needs the most volunteer hours a week (None if none does)."""
    needing = [site for site in sites if site.blueprint_hours_needed]
    return max(needing, key=lambda site: site.blueprint_hours_needed, default=None)

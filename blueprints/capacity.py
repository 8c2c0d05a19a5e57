"""The capacity check on a blueprint (issue 15, item 5): what its cards and prototypes need
of the site's community resources against what the site has, with the shortfalls in words.

A selector: it reads and never writes, in four queries however many cards the blueprint
has (the volunteer roles its cards name, with the hours they need and the role's latest
month; the spaces its cards or prototypes use; the partners they name, with their money;
the prototypes' costs summed).

Volunteering. The hours a week the blueprint needs of a role are the sum of `volunteer_hours`
on its cards naming that role (a card with hours counts as need even when the role has no
figures). What the role's volunteers can give is `VolunteerSupply`: the rule the portfolio
uses too. A role's shortfall is counted role by role (one role's spare hours do not cover
another's), and the blueprint's is the sum of its roles'.

Spaces. A space the blueprint's cards or prototypes use with an opening marked out of hours
needs someone named to staff it (`Space.out_of_hours_staffed_by`); without one, that is a
shortfall.

Money. Money contributions pledged or delivered by the partners the blueprint's cards or
prototypes name, against what its prototypes cost: each prototype's `cash_cost` once it is
recorded (what it actually spent in cash), otherwise its estimated `cost`. Value in kind and
income are left out: partners' money is cash, and is set against cash. A prototype decided
"drop" is left out too: the team will not carry it on, so partners' money need not cover it
(the costs note says how many were left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from blueprints.models import Blueprint, Card, Prototype
from localities.models import Contribution, Opening, Partner, Space, VolunteerMonth, VolunteerRole

ZERO = Decimal(0)

NO_VOLUNTEERS = "no volunteers recorded"
NO_LIMIT = "set the site's weekly limit"
UNSTAFFED = "no one named to staff it"


def hours_text(value: Decimal) -> str:
    """Hours as people write them: 30, 7.5 (never 30.0)."""
    text = f"{value:,.1f}"
    return text.removesuffix(".0")


def pounds_text(value: Decimal) -> str:
    return f"£{value:,.2f}"


# What active volunteers can give: one rule, for the blueprint and for the portfolio --------


def with_volunteer_supply(roles: QuerySet[VolunteerRole]) -> QuerySet[VolunteerRole]:
    """Annotate each role with `latest_active` (active in its latest recorded month, None
    with no month) and `ever_active` (some month recorded someone active)."""
    latest = VolunteerMonth.objects.filter(role=OuterRef("pk")).order_by("-month")
    return roles.annotate(
        latest_active=Subquery(latest.values("active")[:1]),
        ever_active=Exists(VolunteerMonth.objects.filter(role=OuterRef("pk"), active__gt=0)),
    )


@dataclass(frozen=True)
class VolunteerSupply:
    """What active volunteers can give a week within the site's limit of hours a week per
    volunteer: those active in each role's latest recorded month times the limit.

    Not zero when nothing is known: with no volunteer ever recorded active it is "no
    volunteers recorded", and with no limit set it is unknown ("set the site's weekly
    limit"); `hours` is then None and `unknown_reason` says which.
    """

    active: int  # in the latest recorded month, summed over the roles counted
    recorded: bool  # some volunteer was ever recorded active
    limit: Decimal | None

    @classmethod
    def of_role(cls, role: VolunteerRole, limit: Decimal | None) -> VolunteerSupply:
        """From a role annotated by `with_volunteer_supply`."""
        return cls(role.latest_active or 0, bool(role.ever_active), limit)

    @property
    def hours(self) -> Decimal | None:
        if not self.recorded or self.limit is None:
            return None
        return self.active * self.limit

    @property
    def unknown_reason(self) -> str:
        if not self.recorded:
            return NO_VOLUNTEERS
        if self.limit is None:
            return NO_LIMIT
        return ""

    def shortfall(self, needed: Decimal) -> Decimal | None:
        """Hours a week short of `needed`; None when what they can give is unknown."""
        hours = self.hours
        return None if hours is None else max(needed - hours, ZERO)


# The check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleNeed:
    name: str
    needed: Decimal  # hours a week, from the blueprint's cards
    cards: int  # cards naming the role
    supply: VolunteerSupply

    @property
    def available(self) -> Decimal | None:
        return self.supply.hours

    @property
    def shortfall(self) -> Decimal | None:
        return self.supply.shortfall(self.needed)

    @property
    def text(self) -> str:
        """ "Welcome walk guides: 30 hours a week needed, 24 available — 6 short"."""
        start = f"{self.name}: {hours_text(self.needed)} hours a week needed"
        if self.available is None:
            return f"{start}; {self.supply.unknown_reason}"
        end = f"{hours_text(self.shortfall)} short" if self.shortfall else "enough"
        return (
            f"{start}, {hours_text(self.available)} available "
            f"({self.supply.active} active × {hours_text(self.supply.limit)} hours) — {end}"
        )


@dataclass(frozen=True)
class SpaceUse:
    name: str
    out_of_hours: bool
    staffed_by: str

    @property
    def unstaffed(self) -> bool:
        return self.out_of_hours and not self.staffed_by

    @property
    def text(self) -> str:
        who = f"staffed by {self.staffed_by}" if self.staffed_by else UNSTAFFED
        return f"{self.name}, open out of hours: {who}"


@dataclass(frozen=True)
class PartnerMoney:
    organisation: str
    asked: Decimal
    pledged: Decimal
    delivered: Decimal


# The chart, in SVG units: each row a label and two bars (needed, then what there is), the
# longest bar `BAR_LENGTH` long, rows `ROW_HEIGHT` apart.
BAR_LENGTH = 130
ROW_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    """One row of the chart, laid out for a template to draw: what is needed against what
    there is (None when unknown), each scaled to the longest bar of its kind."""

    row: int
    label: str
    needed_text: str  # "30 needed"
    have_text: str  # "24 available", "available unknown"
    needed_length: float
    have_length: float | None
    text: str  # the row in words, for the chart's text alternative

    @property
    def label_y(self) -> int:
        return self.row * ROW_HEIGHT + 5

    @property
    def needed_y(self) -> int:
        return self.row * ROW_HEIGHT + 7

    @property
    def have_y(self) -> int:
        return self.row * ROW_HEIGHT + 12

    @property
    def needed_text_y(self) -> float:
        return self.needed_y + 3.5

    @property
    def have_text_y(self) -> float:
        return self.have_y + 3.5

    @property
    def unknown_length(self) -> int:
        return BAR_LENGTH


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    text: str

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT

    # On paper (the blueprint PDF): 200 units across make this many millimetres.
    WIDTH_MM = 130

    @property
    def height_mm(self) -> float:
        return round(self.height * self.WIDTH_MM / 200, 1)


def _scaled(rows: list[tuple], first_row: int) -> list[Bar]:
    """Bars for (label, needed, have, needed text, have text, words) rows, scaled together."""
    largest = max((max(row[1], row[2] or ZERO) for row in rows), default=ZERO)

    def length(value: Decimal | None) -> float | None:
        if value is None:
            return None
        return round(float(value / largest * BAR_LENGTH), 1) if largest else 0.0

    return [
        Bar(first_row + n, label, needed_text, have_text, length(needed), length(have), words)
        for n, (label, needed, have, needed_text, have_text, words) in enumerate(rows)
    ]


@dataclass(frozen=True)
class Capacity:
    limit: Decimal | None
    roles: list[RoleNeed] = field(default_factory=list)
    spaces: list[SpaceUse] = field(default_factory=list)
    partners: list[PartnerMoney] = field(default_factory=list)
    prototypes: int = 0
    prototype_costs: Decimal = ZERO
    costs_recorded: int = 0  # prototypes whose cash cost is recorded
    dropped: int = 0  # prototypes decided "drop", whose costs are not counted

    @property
    def named_nothing(self) -> bool:
        return not (self.roles or self.spaces or self.partners)

    # Volunteering

    @property
    def hours_needed(self) -> Decimal:
        return sum((role.needed for role in self.roles), ZERO)

    @property
    def hours_available(self) -> Decimal:
        """What the roles with known figures can give (see `unknown_roles` for the rest)."""
        return sum((role.available for role in self.roles if role.available is not None), ZERO)

    @property
    def unknown_roles(self) -> list[RoleNeed]:
        return [role for role in self.roles if role.available is None and role.needed]

    @property
    def hours_short(self) -> Decimal:
        """Summed role by role, where known."""
        return sum((role.shortfall or ZERO for role in self.roles), ZERO)

    @property
    def volunteering_text(self) -> str:
        """ "Volunteering: 30 hours a week needed, 24 available — 6 short", or why unknown."""
        if not self.roles:
            return ""
        start = f"Volunteering: {hours_text(self.hours_needed)} hours a week needed"
        unknown = self.unknown_roles
        known = [role for role in self.roles if role.available is not None]
        if not known:
            reasons = sorted({role.supply.unknown_reason for role in self.roles})
            return f"{start}; available unknown — {', '.join(reasons)}"
        if self.hours_short:
            end = f"{hours_text(self.hours_short)} short"
            if self.hours_short != self.hours_needed - self.hours_available and not unknown:
                end += " (counted role by role)"
        else:
            end = "enough"
        text = f"{start}, {hours_text(self.hours_available)} available — {end}"
        if unknown:
            names = ", ".join(f"{role.name} ({role.supply.unknown_reason})" for role in unknown)
            text += f"; unknown for {names}"
        return text

    # Spaces

    @property
    def out_of_hours_spaces(self) -> list[SpaceUse]:
        return [space for space in self.spaces if space.out_of_hours]

    @property
    def unstaffed_spaces(self) -> list[SpaceUse]:
        return [space for space in self.spaces if space.unstaffed]

    @property
    def spaces_text(self) -> str:
        if not self.spaces:
            return ""
        used = f"Spaces: {len(self.spaces)} used"
        late = self.out_of_hours_spaces
        if not late:
            return f"{used}, none open out of hours"
        unstaffed = self.unstaffed_spaces
        text = f"{used}, {len(late)} open out of hours"
        if unstaffed:
            names = ", ".join(space.name for space in unstaffed)
            return f"{text} — {len(unstaffed)} with {UNSTAFFED} ({names})"
        return f"{text}, each with someone named to staff it"

    # Money

    @property
    def money_pledged(self) -> Decimal:
        return sum((partner.pledged for partner in self.partners), ZERO)

    @property
    def money_delivered(self) -> Decimal:
        return sum((partner.delivered for partner in self.partners), ZERO)

    @property
    def money_given(self) -> Decimal:
        return self.money_pledged + self.money_delivered

    @property
    def money_short(self) -> Decimal:
        return max(self.prototype_costs - self.money_given, ZERO)

    @property
    def money_text(self) -> str:
        if not self.partners:
            return ""
        given = (
            f"{pounds_text(self.money_pledged)} pledged and "
            f"{pounds_text(self.money_delivered)} delivered"
            if self.money_given
            else "none pledged or delivered"
        )
        if not self.prototypes:
            return f"Partner money: {given}; no prototypes to set it against"
        end = f"{pounds_text(self.money_short)} short" if self.money_short else "covered"
        return (
            f"Partner money: {given} against {pounds_text(self.prototype_costs)} "
            f"of prototype costs — {end}"
        )

    @property
    def costs_note(self) -> str:
        """Which cost each prototype counts at: "2 prototypes: the cash cost recorded for 1,
        the estimate for the other"."""
        count, recorded, dropped = self.prototypes, self.costs_recorded, self.dropped
        left_out = (
            f"{dropped} dropped prototype{'s' if dropped != 1 else ''} not counted."
            if dropped
            else ""
        )
        if not count:
            return left_out
        noun = "prototype" if count == 1 else "prototypes"
        if recorded == count:
            note = f"{count} {noun}, at the cash cost recorded."
        elif not recorded:
            note = f"{count} {noun}, at the estimated cost (no cash cost recorded yet)."
        else:
            rest = "the other" if count - recorded == 1 else "the others"
            note = (
                f"{count} {noun}: the cash cost recorded for {recorded}, the estimate for {rest}."
            )
        return f"{note} {left_out}" if left_out else note

    # In words and as a chart

    @property
    def sentences(self) -> list[str]:
        return [
            text for text in (self.volunteering_text, self.spaces_text, self.money_text) if text
        ]

    @property
    def shortfalls(self) -> list[str]:
        """Each shortfall in a few words, for a one-line summary."""
        found = []
        if self.hours_short:
            found.append(f"{hours_text(self.hours_short)} volunteer hours a week short")
        if self.unknown_roles:
            found.append("volunteer hours unknown")
        if self.unstaffed_spaces:
            count = len(self.unstaffed_spaces)
            found.append(f"{count} space{'s' if count != 1 else ''} unstaffed out of hours")
        if self.partners and self.prototypes and self.money_short:
            found.append(f"{pounds_text(self.money_short)} of prototype costs not covered")
        return found

    @property
    def chart(self) -> Chart | None:
        """Hours by role, then partner money against prototype costs; None if neither."""
        hours = _scaled(
            [
                (
                    f"{role.name} (hours a week)",
                    role.needed,
                    role.available,
                    f"{hours_text(role.needed)} needed",
                    "available unknown"
                    if role.available is None
                    else f"{hours_text(role.available)} available",
                    role.text,
                )
                for role in self.roles
            ],
            0,
        )
        money = []
        if self.partners and self.prototypes:
            money = _scaled(
                [
                    (
                        "Partner money against prototype costs",
                        self.prototype_costs,
                        self.money_given,
                        f"{pounds_text(self.prototype_costs)} costs",
                        f"{pounds_text(self.money_given)} pledged or delivered",
                        self.money_text,
                    )
                ],
                len(hours),
            )
        bars = hours + money
        if not bars:
            return None
        return Chart(bars, ". ".join(bar.text for bar in bars))


# What the check reads of a card: a change to any of these can change its figures; to
# anything else of a card (its title, its cell), not.
CARD_FIELDS = ("space_id", "partner_id", "volunteer_role_id", "volunteer_hours")


def changes_capacity(before: Card | None, after: Card | None) -> bool:
    """Whether a card's change (None: not there, before an add or after a delete) can change
    the capacity check, so that the editor redraws its line only then."""

    def read(card: Card | None) -> tuple:
        return tuple(getattr(card, name) for name in CARD_FIELDS) if card else (None,) * 4

    return read(before) != read(after)


def capacity_check(blueprint: Blueprint) -> Capacity:
    """The blueprint's needs of the site's resources against what the site has.

    `blueprint` should come with its locality (select_related), whose weekly limit per
    volunteer it reads.
    """
    cards = Card.objects.filter(blueprint=blueprint)
    prototypes = Prototype.objects.filter(blueprint=blueprint)
    limit = blueprint.locality.volunteer_hours_limit

    # Filtered then annotated over the same join: only this blueprint's cards are summed.
    roles = with_volunteer_supply(
        VolunteerRole.objects.filter(cards__blueprint=blueprint).annotate(
            needed=Sum("cards__volunteer_hours"), card_count=Count("cards")
        )
    ).order_by("name", "pk")

    late = Opening.objects.filter(space=OuterRef("pk"), out_of_hours=True)
    spaces = (
        Space.objects.filter(
            Exists(cards.filter(space=OuterRef("pk")))
            | Exists(
                Prototype.spaces.through.objects.filter(
                    prototype__blueprint=blueprint, space=OuterRef("pk")
                )
            )
        )
        .annotate(late=Exists(late))
        .values_list("name", "late", "out_of_hours_staffed_by")
    )

    def money(status: str) -> Coalesce:
        condition = Q(contributions__kind=Contribution.Kind.MONEY, contributions__status=status)
        return Coalesce(Sum("contributions__value", filter=condition), ZERO)

    partners = (
        Partner.objects.filter(
            Exists(cards.filter(partner=OuterRef("pk")))
            | Exists(
                Prototype.partners.through.objects.filter(
                    prototype__blueprint=blueprint, partner=OuterRef("pk")
                )
            )
        )
        .annotate(asked=money("asked"), pledged=money("pledged"), delivered=money("delivered"))
        .values_list("organisation", "asked", "pledged", "delivered")
    )
    counted = ~Q(decision=Prototype.Decision.DROP)
    costs = prototypes.aggregate(
        total=Coalesce(Sum(Coalesce("cash_cost", "cost"), filter=counted), ZERO),
        count=Count("pk", filter=counted),
        recorded=Count("pk", filter=counted & Q(cash_cost__isnull=False)),
        dropped=Count("pk", filter=~counted),
    )
    return Capacity(
        limit=limit,
        roles=[
            RoleNeed(
                role.name,
                role.needed or ZERO,
                role.card_count or 0,
                VolunteerSupply.of_role(role, limit),
            )
            for role in roles
        ],
        spaces=[SpaceUse(name, late, staffed) for name, late, staffed in spaces],
        partners=[PartnerMoney(*row) for row in partners],
        prototypes=costs["count"],
        prototype_costs=costs["total"],
        costs_recorded=costs["recorded"],
        dropped=costs["dropped"],
    )

"""Reading one locality's community resources whole: its spaces with their opening hours,
its partners with what they give, and its volunteer roles with their months.

The resources page and the locality report (`blueprints.exports.report`) show the same
records with the same figures, so both read them here: three records and their rows in six
queries, however many there are.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Prefetch

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


def spaces_of(locality: Locality) -> list[Space]:
    """The spaces, each with its openings (by day and time) and `late`, those out of hours."""
    spaces = list(
        locality.spaces.prefetch_related(
            Prefetch("openings", Opening.objects.order_by("day", "opens", "pk"))
        )
    )
    for space in spaces:
        space.late = [opening for opening in space.openings.all() if opening.out_of_hours]
    return spaces


def partners_of(locality: Locality) -> list[Partner]:
    """The partners, each with its contributions (oldest first), `money` summed by status
    and `in_kind`, what the things in kind pledged or delivered are worth."""
    partners = list(
        locality.partners.prefetch_related(
            Prefetch("contributions", Contribution.objects.order_by("status_on", "pk"))
        )
    )
    for partner in partners:
        given = list(partner.contributions.all())
        money = [c for c in given if c.kind == Contribution.Kind.MONEY]
        partner.money = {
            status: sum((c.value for c in money if c.status == status), ZERO)
            for status in Contribution.Status.values
        }
        partner.in_kind = sum(
            (
                c.value or ZERO
                for c in given
                if c.kind == Contribution.Kind.IN_KIND and c.status != Contribution.Status.ASKED
            ),
            ZERO,
        )
    return partners


# How each count of leavers reads after its number ("2 moved away"), by field.
LEFT_REASONS = {
    "left_work_or_study": "for work or study",
    "left_moved": "moved away",
    "left_time": "for lack of time or caring",
    "left_role": "as the role did not suit",
    "left_other": "for another reason",
}


def roles_of(locality: Locality) -> list[VolunteerRole]:
    """The volunteer roles, each with its months newest first: `latest`, the six `recent`,
    and `leavers`, who left in all the months recorded, by why (the most common first)."""
    roles = list(
        locality.volunteer_roles.prefetch_related(
            Prefetch("months", VolunteerMonth.objects.order_by("-month"))
        )
    )
    for role in roles:
        months = list(role.months.all())
        role.latest = months[0] if months else None
        role.recent = months[:6]
        role.first_month = months[-1] if months else None
        left = Counter()
        for month in months:
            for name in VolunteerMonth.LEFT_FIELDS:
                left[name] += getattr(month, name)
        role.leavers = [(LEFT_REASONS[name], n) for name, n in left.most_common() if n]
        role.left_total = sum(left.values())
    return roles

"""The localities app's models: the localities, their members and discovery work (`core`),
and their community resources (`resources`: spaces, partners, volunteering)."""

from localities.models.core import (
    Challenge,
    Insight,
    Locality,
    LocalityQuerySet,
    LocalityScopedQuerySet,
    Membership,
    Role,
    Source,
    Subject,
    Tag,
    TagQuerySet,
)
from localities.models.resources import (
    Contribution,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)

__all__ = [
    "Challenge",
    "Contribution",
    "Insight",
    "Locality",
    "LocalityQuerySet",
    "LocalityScopedQuerySet",
    "Membership",
    "Opening",
    "Partner",
    "Role",
    "Source",
    "Space",
    "Subject",
    "Tag",
    "TagQuerySet",
    "VolunteerMonth",
    "VolunteerRole",
]

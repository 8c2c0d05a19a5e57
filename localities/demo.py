"""Demo localities, teams and accounts (DESIGN section 6). Idempotent."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from localities.models import Locality, Membership
from localities.permissions import REVIEWER_GROUP

User = get_user_model()


@dataclass(frozen=True)
class DemoSite:
    slug: str
    name: str
    area: str
    description: str
    team: tuple[tuple[str, str], ...]  # (first name, last name) for lead, editor, viewer


SITES = (
    DemoSite(
        "northgate",
        "Northgate",
        "Eastmere City Council",
        "An inner-city ward of terraced streets and new-build flats, where one family in three "
        "has arrived in the last five years and many parents do not know the children's centre "
        "exists.",
        (("Amira", "Haddad"), ("Tom", "Kerrigan"), ("Grace", "Osei")),
    ),
    DemoSite(
        "riverside",
        "Riverside East",
        "Eastmere City Council",
        "Riverside estates either side of the old docks. Strong community groups, but take-up "
        "of two-year-old funded childcare is the lowest in the city.",
        (("Helen", "Marsh"), ("Dev", "Patel"), ("Lucy", "Brennan")),
    ),
    DemoSite(
        "hollins-vale",
        "Hollins Vale",
        "West Fordshire County Council",
        "Former mill villages strung along a valley road, with one bus an hour. Families with "
        "young children are spread thinly and services sit in the market town.",
        (("Sarah", "Lindqvist"), ("Owen", "Pritchard"), ("Megan", "Hale")),
    ),
    DemoSite(
        "castlebrook",
        "Castlebrook",
        "Castlebrook Borough Council",
        "A coastal town whose seasonal work leaves many families on low and irregular incomes. "
        "Health visitors see high rates of post-natal depression.",
        (("Nadia", "Rahman"), ("Chris", "Doyle"), ("Fiona", "McAllister")),
    ),
    DemoSite(
        "ashworth-green",
        "Ashworth Green",
        "Greater Ashworth Council",
        "A suburban district with a large Polish and Romanian community, busy primary schools "
        "and a library that already runs a well-loved rhyme time.",
        (("Kasia", "Nowak"), ("Ben", "Adeyemi"), ("Joanne", "Price")),
    ),
    DemoSite(
        "millbrook",
        "Millbrook and Fenton",
        "South Hallam District Council",
        "Two neighbouring estates on the edge of the city, with young parents, many of them "
        "care leavers, and volunteers keen to run something for families.",
        (("Rachel", "Okafor"), ("Liam", "Walsh"), ("Priya", "Shah")),
    ),
)

REVIEWER = ("reviewer", "Jo", "Whitfield")
ROLES = (Membership.Role.LEAD, Membership.Role.EDITOR, Membership.Role.VIEWER)


def _account(username: str, first: str, last: str, password: str, **flags) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_active": True,
            **flags,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def seed_localities(*, password: str) -> list[tuple[str, str]]:
    """Create or refresh the six demo localities and their accounts.

    Returns (username, description) pairs for the accounts, in the order to print them.
    """
    accounts: list[tuple[str, str]] = []
    username, first, last = REVIEWER
    reviewer = _account(username, first, last, password, is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    accounts.append((username, "innovation-unit reviewer: every locality, and the admin"))

    for site in SITES:
        locality, _ = Locality.objects.update_or_create(
            slug=site.slug,
            defaults={"name": site.name, "area": site.area, "description": site.description},
        )
        for role, (first, last) in zip(ROLES, site.team, strict=True):
            username = f"{site.slug}-{role}"
            user = _account(username, first, last, password)
            Membership.objects.update_or_create(
                user=user, locality=locality, defaults={"role": role}
            )
            accounts.append((username, f"{role} of {site.name}"))
    return accounts

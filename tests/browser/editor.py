"""What the editor's browser tests share: a Northgate team with a blueprint, the editor's
path, and reads of the database that wait while the live server holds SQLite."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

from blueprints import services
from blueprints.models import Blueprint, Card
from localities.models import Membership
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

T = TypeVar("T")


def team_blueprint(
    *roles: str, title: str = "Welcome walks: service blueprint", idea: bool = True
) -> Blueprint:
    """Northgate, a member `northgate-<role>` for each role given, and a new blueprint (the
    starter phases and lanes) for the idea "Welcome walks for new families"."""
    locality = LocalityFactory(name="Northgate", slug="northgate")
    for role in roles:
        MembershipFactory(
            locality=locality,
            user=UserFactory(username=f"northgate-{role}"),
            role=Membership.Role(role),
        )
    return services.create_blueprint(
        locality=locality,
        idea=IdeaFactory(locality=locality, title="Welcome walks for new families")
        if idea
        else None,
        title=title,
        by=None,
    )


def editor_path(blueprint: Blueprint) -> str:
    return f"/localities/{blueprint.locality.slug}/blueprints/{blueprint.pk}/"


def read(query: Callable[[], T]) -> T:
    """The query's answer. The live server shares the test's in-memory SQLite connection; a
    read that lands while the server is still finishing a request finds the table locked,
    so it tries again."""
    for attempt in range(20):
        try:
            return query()
        except OperationalError:
            if attempt == 19:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def stored(title: str) -> tuple[str, str, int]:
    """Where the database has the card: (lane name, phase name, position)."""
    card = read(lambda: Card.objects.select_related("phase", "lane").get(title=title))
    return card.lane.name, card.phase.name, card.position

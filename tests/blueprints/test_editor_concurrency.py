"""Two people saving the same card at the same moment through the editor, on a real
PostgreSQL (SQLite serialises all writers): one wins, the other gets 409, nothing is lost.

Each thread has its own client and database connection, so these tests commit for real.
"""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from blueprints.models import Card, Lane
from tests.blueprints.checks import assert_positions_dense
from tests.blueprints.factories import BlueprintFactory, CardFactory, lane, phase
from tests.localities.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need a real PostgreSQL"
    ),
]

HTMX = {"HX-Request": "true"}


@pytest.fixture
def team(locality):
    """Four editors' browsers (a test client is not for sharing between threads)."""
    clients = []
    for username in ("ana", "ben", "cal", "dee"):
        user = UserFactory(username=username)
        MembershipFactory(locality=locality, user=user, role="editor")
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_two_saves_from_the_same_version_at_once_one_wins_one_gets_409(
    locality, team, run_together
):
    blueprint = BlueprintFactory(locality=locality)
    card = CardFactory(blueprint=blueprint, title="Hears about the walks")
    address = reverse("blueprints:card-update", args=[locality.slug, blueprint.pk, card.pk])
    ana, ben = team[:2]
    responses = run_together(
        lambda: ana.post(
            address, {"title": "Ana's title", "kind": "step", "version": 1}, headers=HTMX
        ),
        lambda: ben.post(
            address, {"title": "Ben's title", "kind": "step", "version": 1}, headers=HTMX
        ),
    ).values()
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [HTTPStatus.OK, HTTPStatus.CONFLICT]
    winner = "Ana's title" if responses[0].status_code == HTTPStatus.OK else "Ben's title"
    card.refresh_from_db()
    assert (card.title, card.version) == (winner, 2)
    loser = next(r for r in responses if r.status_code == HTTPStatus.CONFLICT)
    assert "Someone else changed this card while you were editing" in loser.content.decode()


def test_moves_of_one_cells_cards_at_once_keep_positions_dense(locality, team, run_together):
    blueprint = BlueprintFactory(locality=locality)
    family = lane(blueprint, Lane.Role.FAMILY)
    cards = [
        CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title=f"C{n}")
        for n in range(4)
    ]

    def move(client, card, direction):
        address = reverse("blueprints:card-move", args=[locality.slug, blueprint.pk, card.pk])
        return lambda: client.post(address, {"direction": direction, "version": 1}, headers=HTMX)

    ana, ben, cal, dee = team
    responses = run_together(
        move(ana, cards[0], "down"),
        move(ben, cards[3], "up"),
        move(cal, cards[1], "right"),
        move(dee, cards[2], "right"),
    ).values()
    assert all(response.status_code == HTTPStatus.OK for response in responses)
    assert_positions_dense(blueprint)
    assert Card.objects.filter(blueprint=blueprint, phase=phase(blueprint, 1)).count() == 2

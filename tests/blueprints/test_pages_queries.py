"""The list, text view, history, structure, challenge and prototype pages cost the same
number of queries for a small blueprint (10 cards) as for a large one (300 cards)."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.models import CardLink, DeliveryChallenge, Lane
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    fill_grid,
    lane,
    phase,
)

pytestmark = pytest.mark.django_db


def add_planning(blueprint, cards, *, challenges: int, prototypes: int, by=None) -> None:
    """Challenges touching cards, prototypes testing cards and exploring challenges."""
    made = [
        DeliveryChallengeFactory(
            blueprint=blueprint,
            theme=DeliveryChallenge.Theme.values[index % len(DeliveryChallenge.Theme.values)],
            cards=cards[index::7][:5],
            by=by,
        )
        for index in range(challenges)
    ]
    for index in range(prototypes):
        PrototypeFactory(
            blueprint=blueprint,
            cards=cards[index::5][:8],
            delivery_challenges=made[index % len(made) :][:2],
            status=["planned", "running", "finished"][index % 3],
            by=by,
        )


def add_links(cards, count: int) -> None:
    pairs = zip(cards[:count], cards[1 : count + 1], strict=True)
    CardLink.objects.bulk_create(CardLink(from_card=a, to_card=b) for a, b in pairs)


def add_history(blueprint, editor, changes: int) -> None:
    """Every kind of change history_for names: card edits and moves, phase renames,
    challenge and prototype relation changes."""
    card = CardFactory(blueprint=blueprint, title="Edited", by=editor)
    for number in range(changes):
        card = services.update_card(
            card=card, expected_version=card.version, by=editor, title=f"Edited {number}"
        )
        card = services.move_card(
            card=card,
            phase=phase(blueprint, number % 3),
            lane=lane(blueprint, Lane.Role.FRONTLINE if number % 2 else Lane.Role.FAMILY),
            position=0,
            expected_version=card.version,
            by=editor,
        )
        services.rename_phase(phase=phase(blueprint, 0), name=f"Awareness {number}", by=editor)
    challenge = blueprint.delivery_challenges.first()
    prototype = blueprint.prototypes.first()
    for number in range(changes):
        services.update_delivery_challenge(
            challenge=challenge, cards=[card] if number % 2 else [], by=editor
        )
        services.update_prototype(
            prototype=prototype,
            cards=[card] if number % 2 else [],
            delivery_challenges=[challenge] if number % 2 else [],
            by=editor,
        )


@pytest.fixture
def small(locality, editor):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks at Northgate")
    cards = fill_grid(blueprint, 10)
    add_links(cards, 2)
    add_planning(blueprint, cards, challenges=1, prototypes=1)
    add_history(blueprint, editor, 1)
    return blueprint


def grow(blueprint, editor) -> None:
    cards = fill_grid(blueprint, 290, prefix="More")
    add_links(cards, 40)
    add_planning(blueprint, cards, challenges=20, prototypes=15)
    add_history(blueprint, editor, 30)
    services.add_phase(blueprint=blueprint, name="Follow-up", by=editor)
    services.add_lane(blueprint=blueprint, role=Lane.Role.SUPPORT, name="Funding", by=editor)
    for _ in range(8):
        BlueprintFactory(locality=blueprint.locality)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


READ_PAGES = ["list", "text", "history", "structure", "challenge-list", "prototype-list"]
FORM_PAGES = ["challenge-create", "prototype-create"]  # the card pickers
CASES = [
    *((page, who) for page in [*READ_PAGES, "prototype-detail"] for who in ("editor", "reviewer")),
    *((page, "editor") for page in FORM_PAGES),
]


@pytest.mark.parametrize(("page", "who"), CASES)
def test_query_count_does_not_grow_from_10_to_300_cards(
    client_for, users, small, django_assert_max_num_queries, page, who
):
    client = client_for(users[who])
    prototype = small.prototypes.first()
    if page == "list":
        url = reverse("blueprints:list", args=["northgate"])
    elif page == "prototype-detail":
        url = reverse("blueprints:prototype-detail", args=["northgate", small.pk, prototype.pk])
    else:
        url = reverse(f"blueprints:{page}", args=["northgate", small.pk])
    baseline = count_queries(client, url)
    grow(small, users["editor"])
    services.update_prototype(
        prototype=prototype, cards=list(small.cards.all()[:60]), by=users["editor"]
    )
    assert small.cards.count() > 300
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "Welcome walks at Northgate" in response.text


def test_the_text_view_of_300_cards_stays_within_a_small_budget(
    client_for, editor, small, django_assert_max_num_queries
):
    grow(small, editor)
    client = client_for(editor)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("blueprints:text", args=["northgate", small.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('<li class="mb-2">') == small.cards.count()

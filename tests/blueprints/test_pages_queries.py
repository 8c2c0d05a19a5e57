"""The list, text view, history, structure, challenge and prototype pages cost the same
number of queries for a small blueprint (10 cards) as for a large one (300 cards)."""

from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, CardLink, DeliveryChallenge, Lane
from localities.models import Membership
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    fill_grid,
    lane,
    phase,
)
from tests.localities.factories import (
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
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


def build(blueprint, editor) -> None:
    """What every blueprint here starts with: 10 cards, a link, a challenge, a prototype
    testing two cards and exploring the challenge, and a change in its history."""
    cards = fill_grid(blueprint, 10)
    add_links(cards, 2)
    add_planning(blueprint, cards, challenges=1, prototypes=1)
    add_history(blueprint, editor, 1)
    services.update_prototype(
        prototype=blueprint.prototypes.get(),
        cards=cards[:2],
        delivery_challenges=[blueprint.delivery_challenges.get()],
        by=editor,
    )


def grow(blueprint, editor) -> None:
    cards = fill_grid(blueprint, 290, prefix="More")
    add_links(cards, 40)
    add_planning(blueprint, cards, challenges=20, prototypes=15)
    add_history(blueprint, editor, 30)
    services.add_phase(blueprint=blueprint, name="Follow-up", by=editor)
    services.add_lane(blueprint=blueprint, role=Lane.Role.SUPPORT, name="Funding", by=editor)
    for _ in range(8):
        BlueprintFactory(locality=blueprint.locality)
    services.update_prototype(
        prototype=blueprint.prototypes.order_by("pk").first(),
        cards=list(blueprint.cards.all()[:60]),
        delivery_challenges=list(blueprint.delivery_challenges.all()[:6]),
        by=editor,
    )


@dataclass(frozen=True)
class Sizes:
    small: Blueprint  # 10 cards, its locality's only blueprint
    large: Blueprint  # the same start grown past 300 cards, in a locality of 9 blueprints
    users: dict  # "editor" (of both localities) and "reviewer"


@pytest.fixture(scope="module")
def sizes(django_db_setup, django_db_blocker) -> Sizes:
    """A small and a large blueprint, built once for the module (growing one takes seconds)
    and rolled back after it: the tests only read them, each in a savepoint of its own. Its
    own localities and users, so the fixtures of tests/conftest.py do not clash with them."""
    with django_db_blocker.unblock(), transaction.atomic():
        editor = UserFactory(username="sizes-editor")
        reviewer = ReviewerFactory(username="sizes-reviewer")
        made = {}
        for size in ("small", "large"):
            locality = LocalityFactory(name=f"{size.title()}ham", slug=f"{size}ham")
            MembershipFactory(locality=locality, user=editor, role=Membership.Role.EDITOR)
            made[size] = BlueprintFactory(locality=locality, title=f"Welcome walks ({size})")
            build(made[size], editor)
        grow(made["large"], editor)
        yield Sizes(
            small=made["small"], large=made["large"], users={"editor": editor, "reviewer": reviewer}
        )
        transaction.set_rollback(True)


def count_queries(client, url, *, shows: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert shows in response.text
    return len(queries)


def url_of(page: str, blueprint) -> str:
    slug = blueprint.locality.slug
    if page == "list":
        return reverse("blueprints:list", args=[slug])
    if page == "prototype-detail":
        prototype = blueprint.prototypes.order_by("pk").first()
        return reverse("blueprints:prototype-detail", args=[slug, blueprint.pk, prototype.pk])
    return reverse(f"blueprints:{page}", args=[slug, blueprint.pk])


READ_PAGES = ["list", "text", "history", "structure", "challenge-list", "prototype-list"]
FORM_PAGES = ["challenge-create", "prototype-create"]  # the card pickers
CASES = [
    *((page, who) for page in [*READ_PAGES, "prototype-detail"] for who in ("editor", "reviewer")),
    *((page, "editor") for page in FORM_PAGES),
]


@pytest.mark.parametrize(("page", "who"), CASES)
def test_query_count_does_not_grow_from_10_to_300_cards(
    client, sizes, django_assert_max_num_queries, page, who
):
    client.force_login(sizes.users[who])
    baseline = count_queries(client, url_of(page, sizes.small), shows=sizes.small.title)
    assert sizes.large.cards.count() > 300
    large = url_of(page, sizes.large)
    with django_assert_max_num_queries(baseline):
        response = client.get(large)
    assert response.status_code == HTTPStatus.OK
    assert sizes.large.title in response.text


def test_the_text_view_of_300_cards_stays_within_a_small_budget(
    client, sizes, django_assert_max_num_queries
):
    client.force_login(sizes.users["editor"])
    text = url_of("text", sizes.large)
    # 15, the version label, and two for the cards' conversations and their replies (issue
    # 14), however many.
    with django_assert_max_num_queries(18):
        response = client.get(text)
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('<li class="mb-2">') == sizes.large.cards.count()

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blueprints import services
from blueprints.models import Lane
from blueprints.selectors import history_for
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.localities.factories import InsightFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amira(db):
    return UserFactory(username="amira")


@pytest.fixture
def tom(db):
    return UserFactory(username="tom")


def test_history_says_who_changed_a_card_from_what_to_what(amira, tom):
    card = CardFactory(title="Hears about it", by=amira)
    services.update_card(card=card, expected_version=1, by=tom, title="Hears from a neighbour")
    latest = history_for(card.blueprint)[0]
    assert (latest.who, latest.kind, latest.action, latest.label) == (
        tom,
        "card",
        "changed",
        "Hears from a neighbour",
    )
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("title", "Hears about it", "Hears from a neighbour")
    ]


def test_history_records_who_created_a_card(amira):
    card = CardFactory(title="Hears about it", by=amira)
    latest = history_for(card.blueprint)[0]
    assert (latest.who, latest.action, latest.label) == (amira, "created", "Hears about it")


def test_history_names_the_cell_a_card_moved_to(tom):
    card = CardFactory(title="Hears about it", emotion=1)
    blueprint = card.blueprint
    services.move_card(
        card=card,
        phase=phase(blueprint, 1),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        position=0,
        expected_version=1,
        by=tom,
    )
    latest = history_for(blueprint)[0]
    assert latest.reason == "Moved to Use / Frontline staff and volunteers, position 1"
    assert {(c.field, c.old, c.new) for c in latest.changes} == {
        ("phase", "Awareness", "Use"),
        ("lane", "Family experience", "Frontline staff and volunteers"),
        ("emotion", "+1", ""),
    }


def test_history_lists_insights_added_to_a_card(tom):
    card = CardFactory()
    insight = InsightFactory(locality=card.blueprint.locality, statement="Parents trust people")
    services.update_card(card=card, expected_version=1, by=tom, insights=[insight])
    change = history_for(card.blueprint)[0].changes[0]
    assert (change.field, change.added, change.removed) == (
        "insights",
        ("Parents trust people",),
        (),
    )


def test_history_keeps_the_name_of_a_deleted_card(tom):
    card = CardFactory(title="Short-lived")
    services.delete_card(card=card, expected_version=1, by=tom)
    latest = history_for(card.blueprint)[0]
    assert (latest.who, latest.action, latest.label) == (tom, "deleted", "Short-lived")


def test_history_covers_phases_lanes_challenges_and_prototypes(tom):
    blueprint = BlueprintFactory()
    services.rename_phase(phase=phase(blueprint, 2), name="Moving on", by=tom)
    services.rename_lane(lane=lane(blueprint), name="Parents and carers", by=tom)
    challenge = DeliveryChallengeFactory(blueprint=blueprint, by=tom)
    prototype = PrototypeFactory(blueprint=blueprint, by=tom)
    services.update_prototype(
        prototype=prototype, by=tom, ends_on=datetime.date(2026, 7, 1), status="running"
    )
    # (The challenge's questions, made with it, are test_history_questions.py's concern.)
    entries = [e for e in history_for(blueprint) if e.kind != "delivery question"]
    assert [(e.kind, e.action) for e in entries[:4]] == [
        ("prototype", "changed"),
        ("prototype", "created"),
        ("delivery challenge", "created"),
        ("lane", "changed"),
    ]
    assert {(c.field, c.new) for c in entries[0].changes} == {
        ("ends on", "1 July 2026"),
        ("status", "Running"),
    }
    assert [(c.field, c.old, c.new) for c in entries[3].changes] == [
        ("name", "Family experience", "Parents and carers")
    ]
    assert entries[4].changes[0].new == "Moving on"
    assert challenge.title in [e.label for e in entries]


def test_history_of_one_blueprint_leaves_out_the_others(tom):
    card = CardFactory(title="Mine")
    CardFactory(title="Someone else's", by=tom)
    assert "Someone else's" not in [e.label for e in history_for(card.blueprint)]


def test_history_is_newest_first_and_limited():
    blueprint = BlueprintFactory()
    for i in range(5):
        CardFactory(blueprint=blueprint, title=f"Card {i}")
    entries = history_for(blueprint, limit=3)
    assert [e.label for e in entries] == ["Card 4", "Card 3", "Card 2"]


def _busy_blueprint(cards: int):
    user = UserFactory()
    blueprint = BlueprintFactory(by=user)
    insights = InsightFactory.create_batch(2, locality=blueprint.locality)
    made = [
        CardFactory(blueprint=blueprint, insights=insights[: i % 3], by=user) for i in range(cards)
    ]
    for card in made:
        services.update_card(
            card=card, expected_version=card.version, by=user, title=f"{card.title}!"
        )
        moved = services.move_card(
            card=card,
            phase=phase(blueprint, 1),
            lane=card.lane,
            position=0,
            expected_version=card.version + 1,
            by=user,
        )
        services.update_card(
            card=moved, expected_version=moved.version, by=user, insights=insights[:1]
        )
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=made[:3], by=user)
    prototype = PrototypeFactory(blueprint=blueprint, cards=made[:2], by=user)
    services.update_prototype(
        prototype=prototype, by=user, cards=made[1:4], delivery_challenges=[challenge]
    )
    services.update_delivery_challenge(challenge=challenge, by=user, cards=made[:1])
    return blueprint


def test_history_reads_the_same_number_of_queries_for_a_short_and_a_long_history(
    django_assert_max_num_queries, django_assert_num_queries
):
    small, large = _busy_blueprint(2), _busy_blueprint(40)
    with CaptureQueriesContext(connection) as small_queries:
        history_for(small)
    with django_assert_num_queries(len(small_queries)):
        entries = history_for(large)
    assert 40 < len(entries) <= 50  # saves that changed nothing are left out
    with django_assert_max_num_queries(24):
        history_for(large, limit=500)

"""Issue 12 on the history page: a question's words, status and answer, and a prototype's
results, each change with who made it, from what to what."""

import datetime
from decimal import Decimal

import pytest

from blueprints import services
from blueprints.models import DeliveryChallenge
from blueprints.selectors import history_for
from tests.blueprints.factories import BlueprintFactory, PrototypeFactory
from tests.localities.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(db):
    return UserFactory(username="tom")


@pytest.fixture
def challenge(tom):
    return services.create_delivery_challenge(
        blueprint=BlueprintFactory(),
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title="Keeping volunteers",
        questions=["Why do they leave?"],
        by=tom,
    )


def test_history_says_who_answered_a_question_and_how(challenge, tom):
    services.update_delivery_question(
        question=challenge.questions.get(),
        status="answered",
        answer="The rota is too heavy.",
        answered_on=datetime.date(2026, 5, 2),
        by=tom,
    )
    latest = history_for(challenge.blueprint)[0]
    assert (latest.who, latest.kind, latest.action, latest.label) == (
        tom,
        "delivery question",
        "changed",
        "Why do they leave?",
    )
    assert {(c.field, c.old, c.new) for c in latest.changes} == {
        ("status", "Open", "Answered"),
        ("answer", "", "The rota is too heavy."),
        ("date answered", "", "2 May 2026"),
    }


def test_history_records_questions_added_reworded_and_deleted(challenge, tom):
    added = services.create_delivery_question(challenge=challenge, text="Who trains them?", by=tom)
    services.update_delivery_question(question=added, text="Who trains and thanks them?", by=tom)
    services.delete_delivery_question(question=challenge.questions.first(), by=tom)
    entries = [
        (e.action, e.label)
        for e in history_for(challenge.blueprint)
        if e.kind == "delivery question"
    ]
    assert entries[:3] == [
        ("deleted", "Why do they leave?"),
        ("changed", "Who trains and thanks them?"),
        ("created", "Who trains them?"),
    ]


def test_a_deleted_challenges_questions_keep_their_history(challenge, tom):
    blueprint = challenge.blueprint
    services.delete_delivery_challenge(challenge=challenge, by=tom)
    labels = [e.label for e in history_for(blueprint) if e.kind == "delivery question"]
    assert "Why do they leave?" in labels


def test_another_blueprints_questions_are_left_out(challenge, tom):
    services.create_delivery_challenge(
        blueprint=BlueprintFactory(),
        theme=DeliveryChallenge.Theme.OTHER,
        title="Elsewhere",
        questions=["Someone else's question"],
        by=tom,
    )
    labels = [e.label for e in history_for(challenge.blueprint)]
    assert "Someone else's question" not in labels


def test_history_shows_a_prototypes_results(tom):
    prototype = PrototypeFactory(blueprint=BlueprintFactory(), by=tom)
    services.update_prototype(
        prototype=prototype,
        families_reached=12,
        staff_hours=Decimal("7.5"),
        cash_cost=Decimal("120"),
        by=tom,
    )
    latest = history_for(prototype.blueprint)[0]
    assert latest.kind == "prototype"
    assert {(c.field, c.new) for c in latest.changes} == {
        ("families reached", "12"),
        ("staff hours", "7.5"),
        ("cash cost (£)", "£120.00"),
    }


def test_history_names_the_questions_a_prototype_tests(challenge, tom):
    prototype = PrototypeFactory(blueprint=challenge.blueprint, by=tom)
    services.update_prototype(prototype=prototype, questions=challenge.questions.all(), by=tom)
    latest = history_for(challenge.blueprint)[0]
    assert [(c.field, c.added) for c in latest.changes] == [
        ("questions tested", ("Why do they leave?",))
    ]

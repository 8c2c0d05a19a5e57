"""The foundation of issue 12 in the services and models: questions as pieces of work,
prototype results and cost per family, and planning that leaves an approved blueprint
approved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from blueprints import services
from blueprints.models import Blueprint, DeliveryQuestion, Prototype
from blueprints.review import actions as review_actions
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
)
from tests.conftest import _member
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(blueprint):
    return DeliveryChallengeFactory(blueprint=blueprint)


def test_a_new_challenges_questions_are_open_rows_in_order(challenge):
    assert list(challenge.questions.values_list("position", "text", "status")) == [
        (0, "Who do families trust?", "open"),
        (1, "Where do they meet?", "open"),
    ]


def test_answering_records_who_decided_and_today(challenge, editor):
    question = challenge.questions.first()
    services.update_delivery_question(
        question=question, by=editor, status="answered", answer="Other parents."
    )
    question.refresh_from_db()
    assert (question.decided_by, question.answered_on) == (editor, datetime.date.today())


def test_an_answer_is_needed_to_answer(challenge, editor):
    question = challenge.questions.first()
    with pytest.raises(ValidationError) as refused:
        services.update_delivery_question(question=question, by=editor, status="answered")
    assert "answer" in refused.value.message_dict
    question.refresh_from_db()
    assert question.status == "open"


def test_the_database_refuses_an_answered_question_without_an_answer(challenge):
    with pytest.raises(IntegrityError), transaction.atomic():
        challenge.questions.update(status="answered")


def test_an_owner_from_another_locality_is_refused(challenge, editor, other_locality):
    stranger = _member(other_locality, "editor", "stranger")
    question = challenge.questions.first()
    with pytest.raises(ValidationError) as refused:
        services.update_delivery_question(question=question, by=editor, owner=stranger)
    assert "owner" in refused.value.message_dict


def test_evidence_must_be_the_localitys_own(challenge, editor, other_locality):
    question = challenge.questions.first()
    with pytest.raises(ValidationError) as refused:
        services.update_delivery_question(
            question=question, by=editor, insights=[InsightFactory(locality=other_locality)]
        )
    assert "insights" in refused.value.message_dict


def test_a_prototype_may_not_test_another_blueprints_question(blueprint, editor):
    stranger = DeliveryChallengeFactory(blueprint=BlueprintFactory()).questions.first()
    with pytest.raises(ValidationError) as refused:
        PrototypeFactory(blueprint=blueprint, questions=[stranger], by=editor)
    assert "questions" in refused.value.message_dict


@pytest.mark.parametrize(
    ("families", "cash", "in_kind", "income", "per_family"),
    [
        (10, Decimal("100"), Decimal("50"), Decimal("30"), Decimal("12.00")),
        (3, Decimal("100"), None, None, Decimal("33.33")),
        (0, Decimal("100"), None, None, None),  # not reached: never a division by zero
        (None, Decimal("100"), None, None, None),
        (10, None, None, None, None),  # no cost recorded
    ],
)
def test_cost_per_family_is_net_cost_over_families_reached(
    families, cash, in_kind, income, per_family
):
    prototype = Prototype(
        families_reached=families, cash_cost=cash, in_kind_value=in_kind, income=income
    )
    assert prototype.cost_per_family == per_family


def test_a_planned_prototype_cannot_be_decided(blueprint, editor):
    with pytest.raises(ValidationError) as refused:
        services.create_prototype(
            blueprint=blueprint, title="Walks", decision="adopt", learning="It worked.", by=editor
        )
    assert "decision" in refused.value.message_dict
    assert not Prototype.objects.exists()


def test_negative_hours_are_refused(blueprint, editor):
    with pytest.raises(ValidationError) as refused:
        services.create_prototype(
            blueprint=blueprint, title="Walks", staff_hours=Decimal("-1"), by=editor
        )
    assert "staff_hours" in refused.value.message_dict


def _approved(blueprint, editor, reviewer):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.approve(blueprint=blueprint, by=reviewer, note="Go ahead.")
    blueprint.refresh_from_db()
    assert blueprint.review_state == Blueprint.ReviewState.APPROVED


def test_questions_and_results_leave_an_approved_blueprint_approved(blueprint, editor, reviewer):
    challenge = DeliveryChallengeFactory(blueprint=blueprint)
    prototype = PrototypeFactory(blueprint=blueprint)
    _approved(blueprint, editor, reviewer)
    question = challenge.questions.first()
    services.update_delivery_question(question=question, by=editor, status="testing")
    services.create_delivery_question(challenge=challenge, text="Who pays?", by=editor)
    services.update_delivery_challenge(challenge=challenge, title="Renamed", by=editor)
    services.update_prototype(prototype=prototype, by=editor, status="running", families_reached=4)
    blueprint.refresh_from_db()
    assert blueprint.review_state == Blueprint.ReviewState.APPROVED


def test_a_challenges_cards_are_content_and_reopen_an_approved_blueprint(
    blueprint, editor, reviewer
):
    challenge = DeliveryChallengeFactory(blueprint=blueprint)
    _approved(blueprint, editor, reviewer)
    services.update_delivery_challenge(
        challenge=challenge, cards=[CardFactory(blueprint=blueprint)], by=editor
    )
    blueprint.refresh_from_db()
    assert blueprint.review_state == Blueprint.ReviewState.DRAFT


def test_deleting_a_challenge_deletes_its_questions(challenge, editor):
    services.delete_delivery_challenge(challenge=challenge, by=editor)
    assert not DeliveryQuestion.objects.exists()

"""Two reviewers deciding on one submitted blueprint at the same moment, on a real
PostgreSQL (SQLite serialises all writers): the blueprint's row lock lets one win."""

import pytest
from django.db import connection

from blueprints.models import Blueprint, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import states as review_states
from tests.blueprints.factories import BlueprintFactory, with_review_state
from tests.localities.factories import ReviewerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need a real PostgreSQL"
    ),
]


def test_an_approval_and_a_request_for_changes_at_once_leave_one_decision(run_together):
    blueprint = with_review_state(BlueprintFactory(), "submitted")
    first, second = ReviewerFactory(username="first"), ReviewerFactory(username="second")

    def decide(service, reviewer):
        def run():
            try:
                service(blueprint=Blueprint.objects.get(pk=blueprint.pk), by=reviewer, note="Note")
                return "done"
            except review_states.ReviewRefused as refusal:
                return refusal.code

        return run

    outcomes = run_together(
        decide(review_actions.approve, first), decide(review_actions.request_changes, second)
    ).values()
    assert sorted(outcomes) == ["done", "wrong_state"]
    (transition,) = ReviewTransition.objects.filter(blueprint=blueprint)
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == transition.to_state

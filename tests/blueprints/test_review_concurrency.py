"""Two reviewers deciding on one submitted blueprint at the same moment, on a real
PostgreSQL (SQLite serialises all writers): the blueprint's row lock lets one win."""

import threading

import pytest
from django.db import connection, connections

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


def test_an_approval_and_a_request_for_changes_at_once_leave_one_decision():
    blueprint = with_review_state(BlueprintFactory(), "submitted")
    first, second = ReviewerFactory(username="first"), ReviewerFactory(username="second")
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(service, reviewer):
        try:
            barrier.wait()
            service(blueprint=Blueprint.objects.get(pk=blueprint.pk), by=reviewer, note="Note")
            outcomes.append("done")
        except review_states.ReviewRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(review_actions.approve, first)),
        threading.Thread(target=decide, args=(review_actions.request_changes, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["done", "wrong_state"]
    (transition,) = ReviewTransition.objects.filter(blueprint=blueprint)
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == transition.to_state

"""People choosing the top idea at the same moment, on a real PostgreSQL.

SQLite serialises every writer, so only PostgreSQL shows what the row locks in
`choose_top_idea` are for. Each thread has its own connection, so these tests commit.
"""

import threading

import pytest
from django.db import connection, connections

from consultations.models import Idea
from consultations.services import choose_top_idea
from tests.consultations.factories import IdeaFactory, LocalityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need a real PostgreSQL"
    ),
]


def run_together(*targets):
    """Start the targets in threads at the same moment; return the errors they raised."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_racing_choices_all_succeed_and_leave_exactly_one_top_idea():
    locality = LocalityFactory()
    ideas = IdeaFactory.create_batch(4, locality=locality)
    choose_top_idea(idea=ideas[0], rationale="The first choice.", by=None)
    for _ in range(5):
        errors = run_together(
            *[
                lambda pk=idea.pk: choose_top_idea(
                    idea=Idea.objects.get(pk=pk), rationale="Mine is best.", by=None
                )
                for idea in ideas
            ]
        )
        assert errors == []
        statuses = sorted(Idea.objects.filter(locality=locality).values_list("status", flat=True))
        assert statuses == ["chosen", "shortlisted", "shortlisted", "shortlisted"]

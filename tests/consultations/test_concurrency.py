"""People choosing the top idea at the same moment, on a real PostgreSQL.

SQLite serialises every writer, so only PostgreSQL shows what the row locks in
`choose_top_idea` are for. Each thread has its own connection, so these tests commit.
"""

import pytest
from django.db import connection

from consultations.models import Idea
from consultations.services import choose_top_idea
from tests.consultations.factories import IdeaFactory, LocalityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need a real PostgreSQL"
    ),
]


def test_racing_choices_all_succeed_and_leave_exactly_one_top_idea(run_together):
    locality = LocalityFactory()
    ideas = IdeaFactory.create_batch(4, locality=locality)
    choose_top_idea(idea=ideas[0], rationale="The first choice.", by=None)
    for _ in range(5):
        outcomes = run_together(
            *[
                lambda pk=idea.pk: choose_top_idea(
                    idea=Idea.objects.get(pk=pk), rationale="Mine is best.", by=None
                )
                for idea in ideas
            ]
        )
        assert outcomes.errors == []
        statuses = sorted(Idea.objects.filter(locality=locality).values_list("status", flat=True))
        assert statuses == ["chosen", "shortlisted", "shortlisted", "shortlisted"]

"""Writers racing on one blueprint, on a real PostgreSQL (SQLite serialises all writers).

Each thread has its own database connection, so these tests commit for real.
"""

import random

import pytest
from django.db import connection

from blueprints import services
from blueprints.models import Card, Lane
from blueprints.services import VersionConflict
from tests.blueprints.checks import assert_positions_dense
from tests.blueprints.factories import BlueprintFactory, CardFactory, lane, phase

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need a real PostgreSQL"
    ),
]


def test_moves_racing_in_the_same_cells_keep_positions_dense_and_unique(run_together):
    blueprint = BlueprintFactory()
    cells = [
        (phase(blueprint, 0), lane(blueprint, Lane.Role.FAMILY)),
        (phase(blueprint, 0), lane(blueprint, Lane.Role.FRONTLINE)),
        (phase(blueprint, 1), lane(blueprint, Lane.Role.FAMILY)),
    ]
    for i in range(12):
        cell_phase, cell_lane = cells[i % len(cells)]
        CardFactory(blueprint=blueprint, phase=cell_phase, lane=cell_lane, title=f"Card {i}")
    ids = list(Card.objects.filter(blueprint=blueprint).values_list("pk", flat=True))

    def mover(seed):
        rng = random.Random(seed)

        def move_many():
            done = 0
            while done < 25:
                card = Card.objects.get(pk=rng.choice(ids))
                cell_phase, cell_lane = rng.choice(cells)
                try:
                    services.move_card(
                        card=card,
                        phase=cell_phase,
                        lane=cell_lane,
                        position=rng.randint(0, 5),
                        expected_version=card.version,
                        by=None,
                    )
                except VersionConflict:
                    continue  # the other thread moved it first: read again, as a user would
                done += 1

        return move_many

    run_together(mover(1), mover(2), mover(3)).values()
    assert_positions_dense(blueprint)
    assert Card.objects.filter(blueprint=blueprint).count() == 12


def test_cards_added_to_one_cell_at_once_get_positions_one_after_another(run_together):
    blueprint = BlueprintFactory()
    family, awareness = lane(blueprint), phase(blueprint)

    def adder(name):
        def add_some():
            for i in range(8):
                services.add_card(
                    blueprint=blueprint,
                    phase=awareness,
                    lane=family,
                    title=f"{name} {i}",
                    kind="step",
                    by=None,
                )

        return add_some

    run_together(adder("Amira"), adder("Tom")).values()
    positions = sorted(
        Card.objects.filter(phase=awareness, lane=family).values_list("position", flat=True)
    )
    assert positions == list(range(16))


def test_two_edits_from_the_same_version_let_only_the_first_through(run_together):
    card = CardFactory(title="Hears about it")

    def editor(title):
        def edit():
            copy = Card.objects.get(pk=card.pk)
            try:
                services.update_card(card=copy, expected_version=1, by=None, title=title)
                return ("saved", title)
            except VersionConflict as conflict:
                return ("conflict", conflict.current.title)

        return edit

    outcomes = run_together(editor("Amira's title"), editor("Tom's title")).values()
    saved = [title for outcome, title in outcomes if outcome == "saved"]
    conflicts = [title for outcome, title in outcomes if outcome == "conflict"]
    assert len(saved) == 1
    assert conflicts == saved  # the loser is shown the winner's text
    stored = Card.objects.get(pk=card.pk)
    assert (stored.title, stored.version) == (saved[0], 2)

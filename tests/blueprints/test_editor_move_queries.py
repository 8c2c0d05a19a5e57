"""A card's move (issue 13's "a move to settled under 150 ms") in a constant number of
queries, whatever the size of the blueprint, with the undo record written in one statement
and the Undo button's words known without reading them back."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.models import Card, CardAction, Lane, LastCardChange
from tests.blueprints.checks import assert_positions_dense, cell_titles
from tests.blueprints.factories import BlueprintFactory, CardFactory, fill_grid, lane, phase

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# The request (session, user, locality, blueprint, role: 5), the view (the card, the phases:
# 2), the move (the savepoint a test's transaction adds and its release, the locks of the
# blueprint, the card and the two cells, the fresh phase and lane, the card's insights for
# undo, the renumbering in two statements, the card's save with its history (3), the version
# bump and the undo record: 16) and the two cells redrawn (their cards, the challenges and
# prototypes touching them, the emotion curve, open comments: 4). It was 31.
MAX_MOVE_QUERIES = 27


def move_url(blueprint, card):
    return reverse("blueprints:card-move", args=[blueprint.locality.slug, blueprint.pk, card.pk])


@pytest.fixture
def family(blueprint):
    return lane(blueprint, Lane.Role.FAMILY)


def first_family_card(blueprint, family) -> Card:
    """A family card with an emotion at the top of the first phase's cell, so that the move
    renumbers the cards it leaves and redraws the emotion curve: the most a move does."""
    card = CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Hears about it"
    )
    Card.objects.filter(pk=card.pk).update(emotion=-1)
    card.refresh_from_db()
    return card


@pytest.mark.parametrize("size", [10, 300])
def test_a_move_stays_within_its_query_budget_for_10_and_300_cards(
    client_for, editor, blueprint, family, size, django_assert_max_num_queries
):
    card = first_family_card(blueprint, family)
    fill_grid(blueprint, size)
    assert cell_titles(phase(blueprint, 0), family)[0] == "Hears about it"
    client = client_for(editor)
    with django_assert_max_num_queries(MAX_MOVE_QUERIES):
        response = client.post(
            move_url(blueprint, card), {"direction": "right", "version": 1}, headers=HTMX
        )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'id="card-{card.pk}"' in page
    assert 'id="bp-emotion" class="bp-emotion" hx-swap-oob="true"' in page
    assert "Undo moving “Hears about it”" in page
    assert cell_titles(phase(blueprint, 1), family)[-1] == "Hears about it"
    assert_positions_dense(blueprint)


def test_a_move_replaces_whole_elements_only_where_their_parents_are_small(
    client_for, editor, blueprint, family
):
    """An out-of-band swap that replaces an element inserts the new one into its parent, and
    Chromium then restyles the parent's whole subtree (Bootstrap's `legend + *` rule makes
    every insertion a sibling change). The status line, the version and the Undo button sit
    in the page's <main>, whose subtree is the whole grid: replacing them restyled some 3,800
    elements on every move. They are filled in place (innerHTML) instead; only the cells and
    the curve, each alone in its table cell, are replaced whole."""
    card = first_family_card(blueprint, family)
    fill_grid(blueprint, 30)
    response = client_for(editor).post(
        move_url(blueprint, card), {"direction": "right", "version": 1}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    swaps = dict(re.findall(r'id="([^"]+)"[^>]*hx-swap-oob="([^"]+)"', response.content.decode()))
    assert {swaps["bp-status"], swaps["bp-version"], swaps["bp-undo"]} == {"innerHTML"}
    replaced = {name for name, how in swaps.items() if how == "true"}
    assert replaced
    assert all(name == "bp-emotion" or name.startswith("cell-") for name in replaced), replaced


def test_a_move_takes_the_same_queries_at_10_and_300_cards(client_for, editor, locality):
    counts = []
    for size in (10, 300):
        blueprint = BlueprintFactory(locality=locality)
        card = first_family_card(blueprint, lane(blueprint, Lane.Role.FAMILY))
        fill_grid(blueprint, size)
        client = client_for(editor)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                move_url(blueprint, card), {"direction": "right", "version": 1}, headers=HTMX
            )
        assert response.status_code == HTTPStatus.OK
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_undo_record_of_a_move_replaces_the_persons_last_change(
    client_for, editor, blueprint, family
):
    card = first_family_card(blueprint, family)
    other = CardFactory(blueprint=blueprint, phase=phase(blueprint, 2), lane=family, title="B")
    client = client_for(editor)
    client.post(move_url(blueprint, other), {"direction": "left", "version": 1}, headers=HTMX)
    client.post(move_url(blueprint, card), {"direction": "right", "version": 1}, headers=HTMX)
    change = LastCardChange.objects.get(user=editor, blueprint=blueprint)
    assert (change.action, change.card_id, change.title) == (CardAction.MOVE, card.pk, card.title)
    assert change.version_after == 2
    assert change.before["phase"] == phase(blueprint, 0).pk


def test_a_move_that_changes_nothing_keeps_offering_the_last_change_to_undo(
    client_for, editor, blueprint, family
):
    card = first_family_card(blueprint, family)
    other = CardFactory(blueprint=blueprint, phase=phase(blueprint, 2), lane=family, title="B")
    client = client_for(editor)
    client.post(move_url(blueprint, other), {"direction": "left", "version": 1}, headers=HTMX)
    # Already at the top: nothing moves, no new version, and the Undo button still offers
    # the move before it, read from the database.
    response = client.post(
        move_url(blueprint, card), {"direction": "up", "version": 1}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert Card.objects.get(pk=card.pk).version == 1
    assert "Undo moving “B”" in response.content.decode()

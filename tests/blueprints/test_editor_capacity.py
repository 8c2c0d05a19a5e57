"""The editor's header keeps its capacity line current: a card's add, edit, delete or undo
that changes what the check counts (a space, a partner, a volunteer role or its hours)
redraws the line out of band, in place in its holder; any other change (a move, a title)
sends nothing more and reads nothing more."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.models import Card, Lane
from tests.blueprints.factories import CardFactory, lane, phase
from tests.blueprints.test_card_resources import create_url
from tests.blueprints.test_card_resources import url as card_url
from tests.localities.factories import SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
HOLDER = '<div id="bp-capacity" class="bp-capacity-fact" hx-swap-oob="innerHTML">'
# What the capacity check reads (blueprints/capacity.py): the roles with their hours, the
# spaces, the partners and the prototypes' costs.
CAPACITY_QUERIES = 4


@pytest.fixture
def guide(locality):
    return VolunteerRoleFactory(locality=locality, name="Welcome walk guide")


@pytest.fixture
def card(blueprint):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Guide meets the family",
    )


def undo_url(blueprint):
    return reverse("blueprints:card-undo", args=[blueprint.locality.slug, blueprint.pk])


def card_data(card=None, **changes) -> dict:
    data = {"title": card.title if card else "Walk to the library", "kind": "step"}
    if card is not None:
        data["version"] = Card.objects.get(pk=card.pk).version
    data.update(dict.fromkeys(("space", "partner", "volunteer_role", "volunteer_hours"), ""))
    data.update(changes)
    return data


def redrawn(response) -> str | None:
    """The capacity line's words as the response redraws them; None if it does not."""
    page = response.text
    if HOLDER not in page:
        return None
    start = page.index(HOLDER) + len(HOLDER)
    inside = page[start:]
    if inside.startswith("</div>"):
        return ""
    return inside[: inside.index("</dd></div>")]


def test_adding_a_card_with_volunteer_hours_redraws_the_capacity_line(
    client_for, editor, blueprint, guide
):
    response = client_for(editor).post(
        create_url(blueprint),
        card_data(volunteer_role=guide.pk, volunteer_hours="4"),
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    line = redrawn(response)
    assert "<dt>Capacity</dt>" in line
    assert "Volunteering: 4 hours a week needed" in line


def test_adding_a_card_that_names_nothing_leaves_the_capacity_line_alone(
    client_for, editor, blueprint
):
    response = client_for(editor).post(create_url(blueprint), card_data(), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert "Walk to the library" in response.text
    assert 'id="bp-capacity"' not in response.text


def test_changing_a_cards_hours_redraws_the_line_with_the_new_figure(
    client_for, editor, card, guide
):
    Card.objects.filter(pk=card.pk).update(volunteer_role=guide, volunteer_hours=Decimal(4))
    response = client_for(editor).post(
        card_url("card-update", card),
        card_data(card, volunteer_role=guide.pk, volunteer_hours="7.5"),
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert "Volunteering: 7.5 hours a week needed" in redrawn(response)


def test_the_capacity_line_is_filled_in_place_not_replaced(client_for, editor, card, guide):
    """Replacing an element in <main> restyles the whole grid (see test_editor_move_queries):
    the holder stays, and only what is inside it is swapped."""
    response = client_for(editor).post(
        card_url("card-update", card),
        card_data(card, volunteer_role=guide.pk, volunteer_hours="2"),
        headers=HTMX,
    )
    swaps = dict(re.findall(r'id="([^"]+)"[^>]*hx-swap-oob="([^"]+)"', response.text))
    assert swaps["bp-capacity"] == "innerHTML"


def test_a_title_edit_leaves_the_capacity_line_alone(client_for, editor, card, guide):
    Card.objects.filter(pk=card.pk).update(volunteer_role=guide, volunteer_hours=Decimal(4))
    response = client_for(editor).post(
        card_url("card-update", card),
        card_data(
            card, title="Guide greets the family", volunteer_role=guide.pk, volunteer_hours="4"
        ),
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert "Guide greets the family" in response.text
    assert 'id="bp-capacity"' not in response.text


def edit_queries(client, card, **changes) -> int:
    url, data = card_url("card-update", card), card_data(card, **changes)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_an_hours_edit_costs_the_capacity_checks_four_queries_more_than_a_title_edit(
    client_for, editor, card, guide
):
    Card.objects.filter(pk=card.pk).update(volunteer_role=guide, volunteer_hours=Decimal(4))
    client = client_for(editor)
    role = {"volunteer_role": guide.pk}
    title_edit = edit_queries(client, card, title="A new title", volunteer_hours="4", **role)
    hours_edit = edit_queries(client, card, title="A new title", volunteer_hours="6", **role)
    assert hours_edit - title_edit == CAPACITY_QUERIES


def test_deleting_the_only_card_naming_a_space_empties_the_capacity_line(
    client_for, editor, card, locality
):
    Card.objects.filter(pk=card.pk).update(space=SpaceFactory(locality=locality))
    response = client_for(editor).post(
        card_url("card-delete", card), {"version": card.version}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert not Card.objects.filter(pk=card.pk).exists()
    assert redrawn(response) == ""


def test_deleting_a_card_that_names_nothing_leaves_the_capacity_line_alone(
    client_for, editor, card
):
    response = client_for(editor).post(
        card_url("card-delete", card), {"version": card.version}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert 'id="bp-capacity"' not in response.text


def test_undoing_an_hours_edit_redraws_the_line_with_the_hours_before(
    client_for, editor, card, guide
):
    client = client_for(editor)
    Card.objects.filter(pk=card.pk).update(volunteer_role=guide, volunteer_hours=Decimal(4))
    client.post(
        card_url("card-update", card),
        card_data(card, volunteer_role=guide.pk, volunteer_hours="9"),
        headers=HTMX,
    )
    response = client.post(undo_url(card.blueprint), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert "Volunteering: 4 hours a week needed" in redrawn(response)


def test_undoing_a_delete_gives_the_line_back_its_hours(client_for, editor, card, guide):
    client = client_for(editor)
    Card.objects.filter(pk=card.pk).update(volunteer_role=guide, volunteer_hours=Decimal(3))
    client.post(card_url("card-delete", card), {"version": card.version}, headers=HTMX)
    response = client.post(undo_url(card.blueprint), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert "Volunteering: 3 hours a week needed" in redrawn(response)


def test_moving_a_card_or_undoing_the_move_leaves_the_capacity_line_alone(
    client_for, editor, card, guide
):
    client = client_for(editor)
    Card.objects.filter(pk=card.pk).update(volunteer_role=guide, volunteer_hours=Decimal(3))
    moved = client.post(
        card_url("card-move", card), {"direction": "right", "version": card.version}, headers=HTMX
    )
    assert moved.status_code == HTTPStatus.OK
    assert Card.objects.get(pk=card.pk).phase == phase(card.blueprint, 1)
    undone = client.post(undo_url(card.blueprint), headers=HTMX)
    assert undone.status_code == HTTPStatus.OK
    assert Card.objects.get(pk=card.pk).phase == phase(card.blueprint, 0)
    assert 'id="bp-capacity"' not in moved.text + undone.text

"""Who may use the editor and its card endpoints (DESIGN section 4), both ways, with htmx
and without: readers read, only editors, leads and superusers write, and a refused write
changes nothing."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.models import Blueprint, Card, CardLink, Lane
from tests.blueprints.factories import BlueprintFactory, CardFactory, lane, phase
from tests.roles import ALLOWED_READERS, READ_ONLY, WRITERS

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def card(blueprint):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FAMILY),
        title="Hears about the walks",
    )


@pytest.fixture
def other_card(blueprint):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Parent guide rings",
    )


def url(name, blueprint, card=None):
    args = [blueprint.locality.slug, blueprint.pk] + ([card.pk] if card else [])
    return reverse(f"blueprints:{name}", args=args)


def reads(blueprint, card):
    return [url("detail", blueprint), url("card-detail", blueprint, card)]


def writes(blueprint, card, other_card):
    """Every write (and every form that leads to one) as (method, url, data)."""
    cell = f"?phase={phase(blueprint, 0).pk}&lane={lane(blueprint, Lane.Role.FAMILY).pk}"
    return [
        ("get", url("card-create", blueprint) + cell, {}),
        ("post", url("card-create", blueprint) + cell, {"title": "New", "kind": "step"}),
        ("get", url("card-update", blueprint, card), {}),
        (
            "post",
            url("card-update", blueprint, card),
            {"title": "Changed", "kind": "step", "version": card.version},
        ),
        ("get", url("card-delete", blueprint, card), {}),
        ("post", url("card-delete", blueprint, card), {"version": card.version}),
        ("post", url("card-move", blueprint, card), {"direction": "right", "version": 1}),
        ("get", url("card-move", blueprint, card), {}),
        (
            "post",
            url("card-move", blueprint, card),
            {
                "move_to": "1",
                "lane": lane(blueprint, Lane.Role.FRONTLINE).pk,
                "phase": phase(blueprint, 1).pk,
                "position": "1",
                "version": 1,
            },
        ),
        (
            "post",
            url("card-links", blueprint, card),
            {"action": "link", "direction": "serves", "other": other_card.pk},
        ),
    ]


def snapshot(blueprint):
    return (
        Blueprint.objects.get(pk=blueprint.pk).version,
        list(Card.objects.filter(blueprint=blueprint).values_list("pk", "title", "phase_id")),
        CardLink.objects.count(),
    )


def test_anonymous_is_sent_to_log_in_from_every_editor_url(client, blueprint, card, other_card):
    requests = [("get", u, {}) for u in reads(blueprint, card)]
    requests += writes(blueprint, card, other_card)
    before = snapshot(blueprint)
    for method, address, data in requests:
        response = getattr(client, method)(address, data)
        assert response.status_code == HTTPStatus.FOUND, (method, address)
        assert response["Location"].startswith(reverse("login")), (method, address)
    assert snapshot(blueprint) == before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_another_localitys_member_gets_404_everywhere(
    client_for, outsider, blueprint, card, other_card, htmx
):
    client = client_for(outsider)
    headers = HTMX if htmx else {}
    before = snapshot(blueprint)
    requests = [("get", u, {}) for u in reads(blueprint, card)]
    for method, address, data in requests + writes(blueprint, card, other_card):
        response = getattr(client, method)(address, data, headers=headers)
        assert response.status_code == HTTPStatus.NOT_FOUND, (method, address)
    assert snapshot(blueprint) == before


@pytest.mark.parametrize("role", ALLOWED_READERS)
def test_every_member_and_reviewer_reads_the_editor_and_card_panel(
    client_for, users, role, blueprint, card
):
    client = client_for(users[role])
    for address in reads(blueprint, card):
        assert client.get(address).status_code == HTTPStatus.OK, address
        assert client.get(address, headers=HTMX).status_code == HTTPStatus.OK, address


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("role", READ_ONLY)
def test_viewers_and_reviewers_are_refused_every_write_and_nothing_changes(
    client_for, users, role, blueprint, card, other_card, htmx
):
    client = client_for(users[role])
    headers = HTMX if htmx else {}
    before = snapshot(blueprint)
    for method, address, data in writes(blueprint, card, other_card):
        response = getattr(client, method)(address, data, headers=headers)
        assert response.status_code == HTTPStatus.FORBIDDEN, (role, method, address)
    assert snapshot(blueprint) == before


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_users_see_the_grid_without_any_editing_control(
    client_for, users, role, blueprint, card
):
    page = client_for(users[role]).get(url("detail", blueprint)).content.decode()
    assert "Hears about the walks" in page
    for control in ("Add card to", "Move right", "Move left", ">Edit<", ">Delete<", ">Actions<"):
        assert control not in page, control
    assert "bp-card-menu" not in page  # neither the cards' Actions links nor the shared menu
    assert 'id="bp-move-dialog"' not in page
    assert 'draggable="true"' not in page
    assert "/cards/new/" not in page
    assert 'method="post"' not in page.split('id="bp-board"')[1]


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_users_see_no_link_form_in_the_card_panel(
    client_for, users, role, blueprint, card
):
    panel = client_for(users[role]).get(url("card-detail", blueprint, card), headers=HTMX)
    assert "Link to another card" not in panel.content.decode()
    assert "Unlink" not in panel.content.decode()
    assert 'id="card-actions"' not in panel.content.decode()


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_see_the_editing_controls(
    client_for, users, role, blueprint, card
):
    page = client_for(users[role]).get(url("detail", blueprint)).content.decode()
    assert 'Add card<span class="visually-hidden"> to Family experience, Awareness' in page
    assert 'Actions<span class="visually-hidden"> for Hears about the walks</span>' in page
    assert 'id="bp-card-menu"' in page
    assert 'id="bp-move-dialog"' in page


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_can_add_edit_move_link_and_delete(
    client_for, users, role, blueprint, card, other_card
):
    client = client_for(users[role])
    for method, address, data in writes(blueprint, card, other_card)[:4]:
        response = getattr(client, method)(address, data, headers=HTMX)
        assert response.status_code == HTTPStatus.OK, (method, address)
    card.refresh_from_db()
    assert card.title == "Changed"
    assert Card.objects.filter(blueprint=blueprint, title="New").exists()
    response = client.post(
        url("card-move", blueprint, card),
        {"direction": "right", "version": card.version},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    response = client.post(
        url("card-links", blueprint, card),
        {"action": "link", "direction": "serves", "other": other_card.pk},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert CardLink.objects.filter(from_card=card, to_card=other_card).exists()
    card.refresh_from_db()
    assert (
        client.get(url("card-delete", blueprint, card), headers=HTMX).status_code == HTTPStatus.OK
    )
    response = client.post(
        url("card-delete", blueprint, card), {"version": card.version}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert not Card.objects.filter(pk=card.pk).exists()


def test_a_card_of_another_blueprint_is_404_under_this_one(client_for, editor, blueprint):
    elsewhere = BlueprintFactory(locality=blueprint.locality, title="Another")
    stranger = CardFactory(blueprint=elsewhere, title="Not here")
    client = client_for(editor)
    for name in ("card-detail", "card-update", "card-delete"):
        assert client.get(url(name, blueprint, stranger)).status_code == HTTPStatus.NOT_FOUND
    response = client.post(
        url("card-update", blueprint, stranger),
        {"title": "Hijacked", "kind": "step", "version": stranger.version},
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    response = client.post(
        url("card-move", blueprint, stranger), {"direction": "right", "version": 1}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    stranger.refresh_from_db()
    assert stranger.title == "Not here"
    assert stranger.phase.position == 0


def test_a_blueprint_of_another_locality_is_404_under_this_localitys_address(
    client_for, editor, locality, other_locality
):
    theirs = BlueprintFactory(locality=other_locality)
    address = reverse("blueprints:detail", args=[locality.slug, theirs.pk])
    assert client_for(editor).get(address).status_code == HTTPStatus.NOT_FOUND


def test_the_move_endpoint_answers_get_and_post_only(client_for, editor, blueprint, card):
    response = client_for(editor).put(url("card-move", blueprint, card))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED

"""The editor's canvas: the density a reader chooses (compact, comfortable, detailed) is
remembered in a cookie, read back to draw the grid at that density, refused (with a
message, nothing changed) when it is not one of the three, and open to every reader."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.models import Lane
from blueprints.views.canvas import DENSITY_COOKIE
from tests.blueprints.factories import CardFactory, fill_grid, lane, phase
from tests.roles import ALLOWED_READERS

pytestmark = pytest.mark.django_db

LONG_DETAILS = "The guide walks the family to the children's centre. " * 6  # past 140


def editor_url(blueprint):
    return reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])


def density_url(blueprint):
    return reverse("blueprints:editor-density", args=[blueprint.locality.slug, blueprint.pk])


def board_class(client, blueprint) -> str:
    response = client.get(editor_url(blueprint))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    start = page.index('id="bp-board" class="') + len('id="bp-board" class="')
    return page[start : page.index('"', start)]


@pytest.mark.parametrize("density", ["compact", "comfortable", "detailed"])
def test_choosing_a_density_sets_the_cookie_and_goes_back_to_the_editor(
    client_for, editor, blueprint, density
):
    client = client_for(editor)
    response = client.get(density_url(blueprint), {"density": density})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == editor_url(blueprint) + "#bp-board"
    cookie = response.cookies[DENSITY_COOKIE]
    assert cookie.value == density
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 30 * 24 * 60 * 60


@pytest.mark.parametrize("density", ["compact", "detailed"])
def test_the_editor_draws_the_grid_at_the_remembered_density(
    client_for, editor, blueprint, density
):
    client = client_for(editor)
    client.get(density_url(blueprint), {"density": density})
    assert f"bp-density-{density}" in board_class(client, blueprint).split()


def test_without_a_cookie_the_grid_is_comfortable(client_for, editor, blueprint):
    assert "bp-density-comfortable" in board_class(client_for(editor), blueprint).split()


def test_the_toolbar_marks_the_chosen_density_pressed(client_for, editor, blueprint):
    client = client_for(editor)
    client.cookies[DENSITY_COOKIE] = "compact"
    page = client.get(editor_url(blueprint)).content.decode()
    assert 'value="compact" class="btn btn-outline-secondary" aria-pressed="true"' in page
    assert 'value="comfortable" class="btn btn-outline-secondary" aria-pressed="false"' in page
    assert 'value="detailed" class="btn btn-outline-secondary" aria-pressed="false"' in page


@pytest.mark.parametrize("bad", ["", "huge", "compact<script>", "COMPACT"])
def test_an_unknown_density_changes_nothing_and_says_why(client_for, editor, blueprint, bad):
    client = client_for(editor)
    client.cookies[DENSITY_COOKIE] = "detailed"
    response = client.get(density_url(blueprint), {"density": bad})
    assert response.status_code == HTTPStatus.FOUND
    assert DENSITY_COOKIE not in response.cookies
    page = client.get(response["Location"]).content.decode()
    assert "Density: choose compact, comfortable or detailed." in page
    assert "bp-density-detailed" in board_class(client, blueprint).split()


def test_an_unknown_density_cookie_draws_the_default(client_for, editor, blueprint):
    client = client_for(editor)
    client.cookies[DENSITY_COOKIE] = '"><script>alert(1)</script>'
    classes = board_class(client, blueprint)
    assert classes.split() == ["bp-board", "bp-density-comfortable"]


@pytest.mark.parametrize("role", ALLOWED_READERS)
def test_every_reader_may_choose_a_density(client_for, users, blueprint, role):
    response = client_for(users[role]).get(density_url(blueprint), {"density": "compact"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.cookies[DENSITY_COOKIE].value == "compact"


def test_an_outsider_is_told_the_blueprint_does_not_exist(client_for, outsider, blueprint):
    response = client_for(outsider).get(density_url(blueprint), {"density": "compact"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert DENSITY_COOKIE not in response.cookies


def test_anonymous_is_sent_to_log_in(client_for, blueprint):
    response = client_for(None).get(density_url(blueprint), {"density": "compact"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert DENSITY_COOKIE not in response.cookies


def test_the_density_view_refuses_a_post(client_for, editor, blueprint):
    response = client_for(editor).post(density_url(blueprint), {"density": "compact"})
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert DENSITY_COOKIE not in response.cookies


def _card_with_long_details(blueprint):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FAMILY),
        title="Walks to the centre",
        details=LONG_DETAILS.strip(),
    )


def test_detailed_shows_the_whole_details_text(client_for, editor, blueprint):
    _card_with_long_details(blueprint)
    client = client_for(editor)
    client.cookies[DENSITY_COOKIE] = "detailed"
    page = client.get(editor_url(blueprint)).content.decode()
    assert LONG_DETAILS.strip().replace("'", "&#x27;") in page


def test_comfortable_shows_an_excerpt_of_the_details(client_for, editor, blueprint):
    _card_with_long_details(blueprint)
    page = client_for(editor).get(editor_url(blueprint)).content.decode()
    assert LONG_DETAILS.strip().replace("'", "&#x27;") not in page
    assert "…" in page


@pytest.mark.parametrize("density", ["compact", "detailed"])
def test_the_density_adds_no_query_as_the_blueprint_grows(
    client_for, editor, blueprint, density, django_assert_max_num_queries
):
    client = client_for(editor)
    client.cookies[DENSITY_COOKIE] = density
    client.get(editor_url(blueprint))  # warm the session and caches
    counts = []
    for cards in (3, 60):
        fill_grid(blueprint, cards, details="Details. " * 40)
        with django_assert_max_num_queries(20) as captured:
            response = client.get(editor_url(blueprint))
        assert response.status_code == HTTPStatus.OK
        assert f"bp-density-{density}" in response.content.decode()
        counts.append(len(captured))
    assert counts[0] == counts[1]

"""Lighter cards and the shared controls behind them: a card in the grid carries one Actions
link (no forms, buttons or CSRF inputs) and stays under a kilobyte; "Move to..." shows the
card's current place, moves it, and refuses bad input at the field with nothing changed;
and only editors, leads and superusers see or use any of it."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Card, Lane
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    fill_grid,
    fill_grid_with_evidence,
    lane,
    phase,
)
from tests.roles import READ_ONLY, WRITERS

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
UNPROCESSABLE = HTTPStatus.UNPROCESSABLE_ENTITY
# A card's markup in the grid, at most (issue 13: ~2.9 KB a card before).
MAX_CARD_BYTES = 1024
MAX_MOVE_FORM_QUERIES = 11  # with the undo offer the editor pages share


@pytest.fixture
def family(blueprint):
    return lane(blueprint, Lane.Role.FAMILY)


@pytest.fixture
def frontline(blueprint):
    return lane(blueprint, Lane.Role.FRONTLINE)


@pytest.fixture
def card(blueprint, family):
    return CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Hears about the walks"
    )


@pytest.fixture
def below(blueprint, family, card):
    return CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Below")


@pytest.fixture
def as_editor(client_for, editor):
    return client_for(editor)


def url(name, blueprint, card=None):
    args = [blueprint.locality.slug, blueprint.pk] + ([card.pk] if card else [])
    return reverse(f"blueprints:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def articles(page: str) -> list[str]:
    return re.findall(r'<article id="card-.*?</article>', page, re.S)


def place(card):
    card.refresh_from_db()
    return card.phase_id, card.lane_id, card.position, card.version


def move_to(client, blueprint, card, htmx=True, **data):
    data = {"move_to": "1", "version": card.version, **data}
    return client.post(url("card-move", blueprint, card), data, headers=HTMX if htmx else {})


# Lighter cards ----------------------------------------------------------------------------


def test_a_card_in_the_grid_has_no_form_button_or_csrf_input(as_editor, blueprint):
    fill_grid_with_evidence(blueprint, 30)
    cards = articles(text(as_editor.get(url("detail", blueprint))))
    assert len(cards) == 30
    for markup in cards:
        assert "<form" not in markup
        assert "<button" not in markup
        assert "csrfmiddlewaretoken" not in markup
        assert markup.count('class="bp-card-menu"') == 1


def test_a_cards_actions_link_leads_to_its_actions_and_is_named_for_it(as_editor, blueprint, card):
    (markup,) = articles(text(as_editor.get(url("detail", blueprint))))
    assert (
        f'<a class="bp-card-menu" href="{url("card-detail", blueprint, card)}#card-actions">'
        'Actions<span class="visually-hidden"> for Hears about the walks</span></a>'
    ) in markup
    assert f'data-card="{card.pk}" data-version="1"' in markup
    assert 'draggable="true"' in markup


def test_a_card_weighs_under_a_kilobyte(as_editor, blueprint):
    fill_grid_with_evidence(blueprint, 60)
    Card.objects.filter(blueprint=blueprint).update(
        title="The family hears about the welcome walk from the health visitor at the check"
    )
    cards = articles(text(as_editor.get(url("detail", blueprint))))
    sizes = [len(markup.encode()) for markup in cards]
    assert len(sizes) == 60
    assert max(sizes) <= MAX_CARD_BYTES, max(sizes)


def test_the_editor_page_has_one_card_menu_and_one_move_dialog(as_editor, blueprint):
    fill_grid(blueprint, 20)
    page = text(as_editor.get(url("detail", blueprint)))
    assert page.count('id="bp-card-menu"') == 1
    assert page.count('role="menu"') == 1
    assert page.count('id="bp-move-dialog"') == 1
    assert page.count('id="bp-keyboard-help"') == 1


def test_the_card_page_shows_the_actions_section_as_plain_forms(as_editor, blueprint, card):
    page = text(as_editor.get(url("card-detail", blueprint, card)))
    assert "<html" in page
    section = page.split('id="card-actions"')[1].split("</section>")[0]
    assert f'href="{url("card-update", blueprint, card)}"' in section
    assert f'href="{url("card-delete", blueprint, card)}"' in section
    assert f'href="{url("card-move", blueprint, card)}"' in section
    assert f'method="post" action="{url("card-move", blueprint, card)}"' in section
    assert "csrfmiddlewaretoken" in section
    for direction in ("down", "left", "right"):
        assert f'name="direction" value="{direction}"' in section


def test_a_move_from_the_card_page_without_javascript_moves_and_redirects(
    as_editor, blueprint, card
):
    response = as_editor.post(
        url("card-move", blueprint, card), {"direction": "right", "version": 1}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith(f"#card-{card.pk}")
    assert place(card)[0] == phase(blueprint, 1).pk


# Move to... -------------------------------------------------------------------------------


def test_move_to_preselects_the_current_place(as_editor, blueprint, card, below, family):
    response = as_editor.get(url("card-move", blueprint, below), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "<html" not in page
    assert 'id="bp-move-title"' in page
    assert f'<option value="{family.pk}" selected>Family experience</option>' in page
    assert f'<option value="{phase(blueprint, 0).pk}" selected>Awareness</option>' in page
    assert re.search(
        r'<input type="number" name="position" value="2"[^>]*id="move-\d+-position"', page
    )
    assert '<input type="hidden" name="version" value="1"' in page
    assert '<input type="hidden" name="move_to" value="1">' in page


def test_move_to_offers_only_this_blueprints_lanes_and_phases(as_editor, blueprint, card):
    BlueprintFactory(locality=blueprint.locality, title="Another")
    page = text(as_editor.get(url("card-move", blueprint, card), headers=HTMX))

    def options(name):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        return [int(value) for value in re.findall(r'<option value="(\d+)"', select)]

    assert options("lane") == list(
        blueprint.lanes.order_by("position").values_list("pk", flat=True)
    )
    assert options("phase") == list(
        blueprint.phases.order_by("position").values_list("pk", flat=True)
    )


def test_without_javascript_move_to_is_a_page(as_editor, blueprint, card):
    page = text(as_editor.get(url("card-move", blueprint, card)))
    assert "<html" in page
    assert "Move “Hears about the walks”" in page
    assert f'action="{url("card-move", blueprint, card)}"' in page


def test_move_to_moves_the_card_to_another_lane_phase_and_position(
    as_editor, blueprint, card, frontline
):
    target = phase(blueprint, 2)
    one = CardFactory(blueprint=blueprint, phase=target, lane=frontline, title="One")
    CardFactory(blueprint=blueprint, phase=target, lane=frontline, title="Two")
    response = move_to(as_editor, blueprint, card, lane=frontline.pk, phase=target.pk, position="2")
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Retarget"] == f"#cell-{target.pk}-{frontline.pk}"
    assert 'data-bp-focus="card"' in text(response)
    assert place(card) == (target.pk, frontline.pk, 1, 2)
    assert place(one)[2] == 0
    assert "Moved “Hears about the walks” to Frontline staff and volunteers" in text(response)


def test_move_to_with_a_blank_position_puts_the_card_at_the_end(
    as_editor, blueprint, card, frontline
):
    target = phase(blueprint, 1)
    CardFactory(blueprint=blueprint, phase=target, lane=frontline, title="One")
    response = move_to(as_editor, blueprint, card, lane=frontline.pk, phase=target.pk, position="")
    assert response.status_code == HTTPStatus.OK
    assert place(card)[:3] == (target.pk, frontline.pk, 1)


def test_without_javascript_move_to_redirects_to_the_card_with_a_message(
    as_editor, blueprint, card, frontline
):
    response = move_to(
        as_editor, blueprint, card, htmx=False, lane=frontline.pk, phase=phase(blueprint, 1).pk
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{url('detail', blueprint)}#card-{card.pk}"
    follow = text(as_editor.get(response["Location"]))
    assert "Moved “Hears about the walks” to Frontline staff and volunteers, Use" in follow


def bad_inputs(blueprint, frontline):
    elsewhere = BlueprintFactory(locality=blueprint.locality, title="Another")
    fine = {"lane": frontline.pk, "phase": phase(blueprint, 1).pk, "position": "1"}
    return {
        "lane of another blueprint": (
            {**fine, "lane": lane(elsewhere, Lane.Role.FRONTLINE).pk},
            "lane",
            "Choose one of this blueprint&#x27;s lanes.",
        ),
        "phase of another blueprint": (
            {**fine, "phase": phase(elsewhere, 1).pk},
            "phase",
            "Choose one of this blueprint&#x27;s phases.",
        ),
        "position 0": ({**fine, "position": "0"}, "position", "Give a position of 1"),
        "position as text": (
            {**fine, "position": "second"},
            "position",
            "Give the position as a whole number",
        ),
        "position past the end": (
            {**fine, "position": "3"},
            "position",
            "That cell has room for positions 1 to 1",
        ),
        "lane as text": ({**fine, "lane": "family"}, "lane", "Choose one of this blueprint"),
    }


BAD = [
    "lane of another blueprint",
    "phase of another blueprint",
    "position 0",
    "position as text",
    "position past the end",
    "lane as text",
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
@pytest.mark.parametrize("case", BAD)
def test_move_to_refuses_bad_input_at_the_field_and_changes_nothing(
    as_editor, blueprint, card, frontline, case, htmx
):
    data, field, message = bad_inputs(blueprint, frontline)[case]
    before = place(card)
    version = blueprint.__class__.objects.get(pk=blueprint.pk).version
    response = move_to(as_editor, blueprint, card, htmx=htmx, **data)
    assert response.status_code == UNPROCESSABLE
    page = text(response)
    assert ("<html" in page) is not htmx
    errors = re.search(rf'<ul class="bp-errors" id="move-{card.pk}-{field}_error">(.*?)</ul>', page)
    assert errors, page
    assert message in errors.group(1)
    assert "the card has not moved" in page
    assert place(card) == before
    assert blueprint.__class__.objects.get(pk=blueprint.pk).version == version


def test_a_stale_move_to_is_a_409_and_moves_nothing(as_editor, blueprint, card, frontline, lead):
    services.update_card(card=card, expected_version=1, by=lead, title="Renamed meanwhile")
    response = as_editor.post(
        url("card-move", blueprint, card),
        {"move_to": "1", "version": 1, "lane": frontline.pk, "phase": phase(blueprint, 1).pk},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert response["HX-Retarget"] == "#bp-board"
    assert "Someone else moved or changed" in text(response)
    assert place(card)[:3] == (phase(blueprint, 0).pk, lane(blueprint, Lane.Role.FAMILY).pk, 0)


def test_move_to_a_card_of_another_blueprint_is_404(as_editor, blueprint):
    stranger = CardFactory(blueprint=BlueprintFactory(locality=blueprint.locality))
    assert as_editor.get(url("card-move", blueprint, stranger)).status_code == 404


@pytest.mark.parametrize("size", [2, 60])
def test_the_move_to_form_stays_within_its_query_budget(
    as_editor, blueprint, card, size, django_assert_max_num_queries
):
    fill_grid(blueprint, size)
    with django_assert_max_num_queries(MAX_MOVE_FORM_QUERIES):
        response = as_editor.get(url("card-move", blueprint, card), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert "Move “Hears about the walks”" in text(response)


# Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_users_are_refused_move_to_and_nothing_changes(
    client_for, users, role, blueprint, card, frontline, htmx
):
    client = client_for(users[role])
    headers = HTMX if htmx else {}
    assert client.get(url("card-move", blueprint, card), headers=headers).status_code == 403
    before = place(card)
    response = move_to(
        client, blueprint, card, htmx=htmx, lane=frontline.pk, phase=phase(blueprint, 1).pk
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert place(card) == before


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_users_get_no_actions_anywhere(client_for, users, role, blueprint, card):
    client = client_for(users[role])
    page = text(client.get(url("detail", blueprint)))
    assert "Hears about the walks" in page
    assert "bp-card-menu" not in page
    assert ">Actions<" not in page
    assert 'id="bp-move-dialog"' not in page
    card_page = text(client.get(url("card-detail", blueprint, card)))
    assert 'id="card-actions"' not in card_page
    assert "Move to…" not in card_page


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_get_the_move_to_form(
    client_for, users, role, blueprint, card
):
    response = client_for(users[role]).get(url("card-move", blueprint, card), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert 'name="move_to"' in text(response)

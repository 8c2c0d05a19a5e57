"""Adding, editing, deleting and moving cards in the editor: with htmx (fragments, in place)
and without (full pages and redirects), the errors next to the fields, and no lost work
when two people change the same card."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from blueprints import services
from blueprints.models import Blueprint, Card, Lane
from tests.blueprints.checks import assert_positions_dense, cell_titles
from tests.blueprints.factories import BlueprintFactory, CardFactory, lane, phase
from tests.blueprints.test_editor_links_emotion import attributes_of
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
UNPROCESSABLE = HTTPStatus.UNPROCESSABLE_ENTITY
CONFLICT_MESSAGE = "Someone else changed this card while you were editing: here is their version."


@pytest.fixture
def family(blueprint):
    return lane(blueprint, Lane.Role.FAMILY)


@pytest.fixture
def frontline(blueprint):
    return lane(blueprint, Lane.Role.FRONTLINE)


@pytest.fixture
def card(blueprint, family):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=family,
        title="Hears about the walks",
        details="From the health visitor.",
        emotion=1,
    )


@pytest.fixture
def as_editor(client_for, editor):
    return client_for(editor)


def url(name, blueprint, card=None):
    args = [blueprint.locality.slug, blueprint.pk] + ([card.pk] if card else [])
    return reverse(f"blueprints:{name}", args=args)


def create_url(blueprint, cell_phase, cell_lane):
    return f"{url('card-create', blueprint)}?phase={cell_phase.pk}&lane={cell_lane.pk}"


def text(response) -> str:
    return response.content.decode()


def assert_fragment(response):
    assert "<html" not in text(response)
    assert "<body" not in text(response)


def assert_full_page(response):
    assert "<html" in text(response)


# Adding ---------------------------------------------------------------------------------


def test_the_add_form_is_a_fragment_with_the_named_fields_and_buttons(as_editor, blueprint, family):
    response = as_editor.get(create_url(blueprint, phase(blueprint, 0), family), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert_fragment(response)
    page = text(response)
    for label in (">Title</label>", ">Details</label>", ">Kind</label>", ">Emotion</label>"):
        assert label in page
    assert "Supporting insights" in page or "No insights recorded" in page
    assert ">Save</button>" in page
    assert ">Cancel</button>" in page
    assert "-2 very negative" in page
    assert "+2 very positive" in page


def test_the_add_form_offers_no_emotion_outside_the_family_lane(as_editor, blueprint, frontline):
    response = as_editor.get(create_url(blueprint, phase(blueprint, 0), frontline), headers=HTMX)
    assert ">Emotion</label>" not in text(response)


def test_the_add_form_offers_this_localitys_insights_only(
    as_editor, blueprint, family, other_locality
):
    InsightFactory(locality=blueprint.locality, statement="Ours: word of mouth matters")
    InsightFactory(locality=other_locality, statement="Theirs: buses are late")
    page = text(as_editor.get(create_url(blueprint, phase(blueprint, 0), family), headers=HTMX))
    assert "Ours: word of mouth matters" in page
    assert "Theirs: buses are late" not in page


def test_without_htmx_the_add_form_is_a_full_page(as_editor, blueprint, family):
    response = as_editor.get(create_url(blueprint, phase(blueprint, 0), family))
    assert response.status_code == HTTPStatus.OK
    assert_full_page(response)
    assert "Add a card to Family experience, Awareness" in text(response)


def test_adding_a_card_with_htmx_returns_its_cell_with_the_card_at_the_end(
    as_editor, blueprint, family, card
):
    insight = InsightFactory(locality=blueprint.locality)
    response = as_editor.post(
        create_url(blueprint, phase(blueprint, 0), family),
        {
            "title": "Meets a parent guide",
            "details": "At the library.",
            "kind": "touchpoint",
            "emotion": "2",
            "insights": [insight.pk],
        },
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert_fragment(response)
    assert response["HX-Retarget"] == f"#cell-{phase(blueprint, 0).pk}-{family.pk}"
    assert "Meets a parent guide" in text(response)
    assert "Hears about the walks" in text(response)
    new = Card.objects.get(title="Meets a parent guide")
    assert (new.kind, new.emotion, new.details, new.position) == (
        "touchpoint",
        2,
        "At the library.",
        1,
    )
    assert list(new.insights.all()) == [insight]
    assert cell_titles(phase(blueprint, 0), family) == [
        "Hears about the walks",
        "Meets a parent guide",
    ]


def test_adding_a_card_redraws_the_emotion_curve_and_version_out_of_band(
    as_editor, blueprint, family
):
    response = as_editor.post(
        create_url(blueprint, phase(blueprint, 0), family),
        {"title": "Feels welcome", "kind": "step", "emotion": "2"},
        headers=HTMX,
    )
    page = text(response)
    assert 'id="bp-emotion" class="bp-emotion" hx-swap-oob="true"' in page
    assert "Awareness: +2 (mean of 1 card)" in page
    version = Blueprint.objects.get(pk=blueprint.pk).version
    assertInHTML(f'<span id="bp-version" hx-swap-oob="innerHTML">{version}</span>', page)


def test_without_htmx_adding_a_card_redirects_to_the_editor_with_a_message(
    as_editor, blueprint, frontline
):
    response = as_editor.post(
        create_url(blueprint, phase(blueprint, 1), frontline),
        {"title": "Parent guide rings", "kind": "step"},
        follow=True,
    )
    new = Card.objects.get(title="Parent guide rings")
    assert response.redirect_chain[-1][0] == f"{url('detail', blueprint)}#card-{new.pk}"
    assert "Added “Parent guide rings” to Frontline staff and volunteers, Use." in text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "kind": "step"}, "Give the card a title."),
        ({"title": "   ", "kind": "step"}, "Give the card a title."),
        ({"title": "x" * 121, "kind": "step"}, "Keep the title to 120 characters or fewer"),
        ({"title": "Fine", "kind": "sideways"}, "Select a valid choice."),
        ({"title": "Fine", "kind": "step", "emotion": "3"}, "Select a valid choice."),
    ],
    ids=["empty", "blank", "too-long", "bad-kind", "emotion-out-of-range"],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
def test_an_invalid_card_is_refused_with_the_error_by_its_field(
    as_editor, blueprint, family, data, message, htmx
):
    response = as_editor.post(
        create_url(blueprint, phase(blueprint, 0), family),
        data,
        headers=HTMX if htmx else {},
    )
    assert response.status_code == UNPROCESSABLE
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response)
    (assert_fragment if htmx else assert_full_page)(response)
    assert not Card.objects.filter(blueprint=blueprint).exists()


def test_an_emotion_on_a_card_outside_the_family_lane_is_refused(as_editor, blueprint, frontline):
    response = as_editor.post(
        create_url(blueprint, phase(blueprint, 0), frontline),
        {"title": "Rings the family", "kind": "step", "emotion": "1"},
        headers=HTMX,
    )
    assert response.status_code == UNPROCESSABLE
    assert "Only cards in the family lane can have an emotion." in text(response)
    assert not Card.objects.filter(blueprint=blueprint).exists()


def test_an_insight_of_another_locality_is_refused(as_editor, blueprint, family, other_locality):
    theirs = InsightFactory(locality=other_locality)
    response = as_editor.post(
        create_url(blueprint, phase(blueprint, 0), family),
        {"title": "Cites a stranger", "kind": "step", "insights": [theirs.pk]},
        headers=HTMX,
    )
    assert response.status_code == UNPROCESSABLE
    assert "Choose insights of this locality only" in text(response)
    assert not Card.objects.filter(blueprint=blueprint).exists()


def test_a_cell_of_another_blueprint_is_not_found(as_editor, blueprint, family, locality):
    elsewhere = BlueprintFactory(locality=locality)
    response = as_editor.post(
        create_url(blueprint, phase(elsewhere, 0), family),
        {"title": "Sneaks in", "kind": "step"},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Card.objects.exists()


def test_cancelling_the_add_form_saves_nothing_and_gives_back_the_cell(
    as_editor, blueprint, family
):
    address = create_url(blueprint, phase(blueprint, 0), family)
    response = as_editor.post(address, {"title": "Half typed", "cancel": "1"}, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert 'Add card<span class="visually-hidden"> to Family experience, Awareness' in text(
        response
    )
    response = as_editor.post(address, {"title": "Half typed", "cancel": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Card.objects.exists()


# Editing --------------------------------------------------------------------------------


def test_the_edit_form_is_filled_in_and_carries_the_version(as_editor, blueprint, card):
    response = as_editor.get(url("card-update", blueprint, card), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert_fragment(response)
    page = text(response)
    assert 'value="Hears about the walks"' in page
    assert f'name="version" value="{card.version}"' in page
    assertInHTML('<option value="1" selected>+1 positive</option>', page)


def test_without_htmx_the_edit_form_is_a_full_page(as_editor, blueprint, card):
    response = as_editor.get(url("card-update", blueprint, card))
    assert_full_page(response)
    assert "Edit card “Hears about the walks”" in text(response)


def test_saving_an_edit_with_htmx_returns_the_card(as_editor, blueprint, card):
    response = as_editor.post(
        url("card-update", blueprint, card),
        {"title": "Hears from a neighbour", "kind": "pain_point", "emotion": "-1", "version": 1},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert_fragment(response)
    assert response["HX-Retarget"] == f"#card-{card.pk}"
    assert "Hears from a neighbour" in text(response)
    assert "Emotion: unhappy (−1)" in text(response)
    card.refresh_from_db()
    assert (card.title, card.kind, card.emotion, card.version) == (
        "Hears from a neighbour",
        "pain_point",
        -1,
        2,
    )


def test_without_htmx_saving_an_edit_redirects_back_to_the_card(as_editor, blueprint, card):
    response = as_editor.post(
        url("card-update", blueprint, card), {"title": "Renamed", "kind": "step", "version": 1}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{url('detail', blueprint)}#card-{card.pk}"


def test_an_edit_putting_an_emotion_on_a_frontline_card_is_refused(as_editor, blueprint, frontline):
    card = CardFactory(blueprint=blueprint, lane=frontline, title="Rings the family")
    response = as_editor.post(
        url("card-update", blueprint, card),
        {"title": "Rings the family", "kind": "step", "emotion": "-2", "version": 1},
        headers=HTMX,
    )
    assert response.status_code == UNPROCESSABLE
    assert "Only cards in the family lane can have an emotion." in text(response)
    card.refresh_from_db()
    assert (card.emotion, card.version) == (None, 1)


def test_an_edit_citing_another_localitys_insight_is_refused(
    as_editor, blueprint, card, other_locality
):
    theirs = InsightFactory(locality=other_locality)
    response = as_editor.post(
        url("card-update", blueprint, card),
        {"title": "Changed", "kind": "step", "version": 1, "insights": [theirs.pk]},
        headers=HTMX,
    )
    assert response.status_code == UNPROCESSABLE
    card.refresh_from_db()
    assert (card.title, card.version, card.insights.count()) == ("Hears about the walks", 1, 0)


def test_two_people_editing_one_card_the_second_gets_409_and_the_first_text_survives(
    client, blueprint, card, editor, lead
):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(lead)
    address = url("card-update", blueprint, card)
    # Both open the form on version 1.
    assert 'name="version" value="1"' in text(first.get(address, headers=HTMX))
    assert 'name="version" value="1"' in text(second.get(address, headers=HTMX))
    saved = first.post(
        address, {"title": "First person's title", "kind": "step", "version": 1}, headers=HTMX
    )
    assert saved.status_code == HTTPStatus.OK
    clash = second.post(
        address,
        {
            "title": "Second person's title",
            "details": "My careful words",
            "kind": "question",
            "version": 1,
        },
        headers=HTMX,
    )
    assert clash.status_code == HTTPStatus.CONFLICT
    assert_fragment(clash)
    page = text(clash)
    assert CONFLICT_MESSAGE in page
    assert "Your text is below so you can redo your change on top." in page
    assert "First person&#x27;s title" in page  # their version
    assert "Second person&#x27;s title" in page  # what the second person typed
    assert "My careful words" in page
    assert 'name="version" value="2"' in page  # a form on the current version
    assert 'value="First person&#x27;s title"' in page  # pre-filled from it
    card.refresh_from_db()
    assert (card.title, card.version) == ("First person's title", 2)
    # Redoing the change on the current version goes through.
    redo = second.post(
        address, {"title": "Both people's title", "kind": "question", "version": 2}, headers=HTMX
    )
    assert redo.status_code == HTTPStatus.OK
    card.refresh_from_db()
    assert (card.title, card.version) == ("Both people's title", 3)


def test_without_htmx_a_stale_edit_is_a_409_page_with_both_versions(
    as_editor, blueprint, card, lead
):
    services.update_card(card=card, expected_version=1, by=lead, title="Their title")
    response = as_editor.post(
        url("card-update", blueprint, card), {"title": "My title", "kind": "step", "version": 1}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert_full_page(response)
    assert CONFLICT_MESSAGE in text(response)
    assert "Their title" in text(response)
    assert "My title" in text(response)
    card.refresh_from_db()
    assert card.title == "Their title"


def test_editing_a_card_deleted_meanwhile_says_so_and_keeps_the_text(
    as_editor, blueprint, card, family, lead
):
    services.delete_card(card=card, expected_version=1, by=lead)
    response = as_editor.post(
        url("card-update", blueprint, card),
        {"title": "My rescued title", "details": "Rescued words", "kind": "step", "version": 1},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.CONFLICT
    page = text(response)
    assert "Someone else deleted this card while you were editing." in page
    assert "Rescued words" in page
    # A form to add it again, in the cell it was in, filled in with the user's text.
    assert create_url(blueprint, phase(blueprint, 0), family).replace("&", "&amp;") in page
    assert 'value="My rescued title"' in page
    assert not Card.objects.filter(blueprint=blueprint).exists()


def test_cancelling_an_edit_changes_nothing_and_gives_back_the_card(as_editor, blueprint, card):
    response = as_editor.post(
        url("card-update", blueprint, card),
        {"title": "Not this", "kind": "step", "version": 1, "cancel": "1"},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert "Hears about the walks" in text(response)
    card.refresh_from_db()
    assert (card.title, card.version) == ("Hears about the walks", 1)


# Deleting -------------------------------------------------------------------------------


def test_deleting_asks_first_in_place_with_htmx_and_on_a_page_without(as_editor, blueprint, card):
    fragment = as_editor.get(url("card-delete", blueprint, card), headers=HTMX)
    assert_fragment(fragment)
    assert "Delete “Hears about the walks”?" in text(fragment)
    page = as_editor.get(url("card-delete", blueprint, card))
    assert_full_page(page)
    assert ">Delete card</button>" in text(page)
    assert Card.objects.filter(pk=card.pk).exists()


def test_deleting_a_card_returns_its_cell_without_it(as_editor, blueprint, card, family):
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Stays")
    response = as_editor.post(url("card-delete", blueprint, card), {"version": 1}, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert_fragment(response)
    assert "Hears about the walks" not in text(response).split('id="bp-status"')[0]
    assert cell_titles(phase(blueprint, 0), family) == ["Stays"]
    assert_positions_dense(blueprint)


def test_deleting_a_card_sends_the_links_left_out_of_band_without_its_own(
    as_editor, blueprint, card, family, frontline
):
    guide = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=frontline)
    other = CardFactory(blueprint=blueprint, phase=phase(blueprint, 1), lane=family)
    services.link_cards(from_card=guide, to_card=card, by=None)
    services.link_cards(from_card=card, to_card=other, by=None)
    services.link_cards(from_card=guide, to_card=other, by=None)
    response = as_editor.post(url("card-delete", blueprint, card), {"version": 1}, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    links = attributes_of(text(response), "bp-links")
    assert links["hx-swap-oob"] == "true"  # replaces the holder's one #bp-links
    assert json.loads(links["data-links"]) == [[guide.pk, other.pk]]


def test_the_delete_confirmation_says_what_goes_and_that_undo_brings_it_back(
    as_editor, blueprint, card
):
    fragment = text(as_editor.get(url("card-delete", blueprint, card), headers=HTMX))
    assert "it leaves its delivery challenges and prototypes" in fragment
    assert "comments about it stay on the blueprint" in fragment
    assert "Until your next change, Undo brings all of it back." in fragment


def test_without_htmx_deleting_redirects_to_the_editor_with_a_message(as_editor, blueprint, card):
    response = as_editor.post(url("card-delete", blueprint, card), {"version": 1}, follow=True)
    assert "Deleted “Hears about the walks”." in text(response)
    assert not Card.objects.filter(pk=card.pk).exists()


def test_deleting_a_card_changed_meanwhile_is_a_409_and_keeps_it(as_editor, blueprint, card, lead):
    services.update_card(card=card, expected_version=1, by=lead, title="Improved")
    response = as_editor.post(url("card-delete", blueprint, card), {"version": 1}, headers=HTMX)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "so it was not deleted" in text(response)
    assert "Improved" in text(response)
    assert Card.objects.filter(pk=card.pk).exists()


def test_cancelling_a_deletion_keeps_the_card(as_editor, blueprint, card):
    response = as_editor.post(
        url("card-delete", blueprint, card), {"version": 1, "cancel": "1"}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert Card.objects.filter(pk=card.pk).exists()


# Moving ---------------------------------------------------------------------------------


def move(client, blueprint, card, htmx=True, **data):
    return client.post(url("card-move", blueprint, card), data, headers=HTMX if htmx else {})


def test_move_right_puts_the_card_at_the_end_of_the_same_lane_in_the_next_phase(
    as_editor, blueprint, card, family
):
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 1), lane=family, title="Already there")
    response = move(as_editor, blueprint, card, direction="right", version=1)
    assert response.status_code == HTTPStatus.OK
    assert cell_titles(phase(blueprint, 1), family) == ["Already there", "Hears about the walks"]
    assert cell_titles(phase(blueprint, 0), family) == []
    assert_positions_dense(blueprint)


def test_a_move_returns_the_target_cell_and_redraws_the_source_cell_out_of_band(
    as_editor, blueprint, card, family
):
    response = move(as_editor, blueprint, card, direction="right", version=1)
    assert_fragment(response)
    page = text(response)
    target = f"cell-{phase(blueprint, 1).pk}-{family.pk}"
    source = f"cell-{phase(blueprint, 0).pk}-{family.pk}"
    assert response["HX-Retarget"] == f"#{target}"
    assert f'id="{source}" class="bp-cell" data-phase="{phase(blueprint, 0).pk}"' in page
    assert page.count('hx-swap-oob="true"') >= 2
    # Focus comes back to the moved card, for the keyboard user.
    assert f'id="card-{card.pk}"' in page
    assert 'data-bp-focus="card"' in page


def test_move_up_and_down_change_the_order_within_the_cell(as_editor, blueprint, card, family):
    second = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="B")
    third = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="C")
    move(as_editor, blueprint, third, direction="up", version=1)
    assert cell_titles(phase(blueprint, 0), family) == ["Hears about the walks", "C", "B"]
    move(as_editor, blueprint, card, direction="down", version=1)
    assert cell_titles(phase(blueprint, 0), family) == ["C", "Hears about the walks", "B"]
    assert second.pk
    assert_positions_dense(blueprint)


def test_the_actions_of_the_top_card_offer_no_move_up(as_editor, blueprint, card, family):
    below = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Below")
    top = text(as_editor.get(url("card-detail", blueprint, card)))
    assert 'value="up"' not in top
    assert 'value="down"' in top
    assert 'value="up"' in text(as_editor.get(url("card-detail", blueprint, below)))


def test_a_drop_moves_the_card_to_the_given_phase_lane_and_position(
    as_editor, blueprint, card, frontline
):
    target = phase(blueprint, 2)
    CardFactory(blueprint=blueprint, phase=target, lane=frontline, title="One")
    CardFactory(blueprint=blueprint, phase=target, lane=frontline, title="Two")
    response = move(
        as_editor, blueprint, card, phase=target.pk, lane=frontline.pk, position=1, version=1
    )
    assert response.status_code == HTTPStatus.OK
    assert cell_titles(target, frontline) == ["One", "Hears about the walks", "Two"]
    card.refresh_from_db()
    assert card.emotion is None  # only the family lane carries emotions
    assert_positions_dense(blueprint)


def test_a_move_to_another_blueprints_phase_is_refused(
    as_editor, blueprint, card, family, locality
):
    elsewhere = BlueprintFactory(locality=locality)
    response = move(
        as_editor, blueprint, card, phase=phase(elsewhere, 1).pk, lane=family.pk, version=1
    )
    assert response.status_code == UNPROCESSABLE
    assert "The card was not moved" in text(response)
    card.refresh_from_db()
    assert (card.phase_id, card.version) == (phase(blueprint, 0).pk, 1)


def test_a_move_left_from_the_first_phase_is_refused(as_editor, blueprint, card):
    response = move(as_editor, blueprint, card, direction="left", version=1)
    assert response.status_code == UNPROCESSABLE
    assert "already in the first phase" in text(response)


def test_a_move_without_a_destination_is_refused(as_editor, blueprint, card):
    response = move(as_editor, blueprint, card, version=1)
    assert response.status_code == UNPROCESSABLE
    card.refresh_from_db()
    assert card.version == 1


def test_a_stale_move_is_a_409_with_the_fresh_grid_and_moves_nothing(
    as_editor, blueprint, card, lead
):
    services.update_card(card=card, expected_version=1, by=lead, title="Renamed meanwhile")
    response = move(as_editor, blueprint, card, direction="right", version=1)
    assert response.status_code == HTTPStatus.CONFLICT
    assert response["HX-Retarget"] == "#bp-board"
    page = text(response)
    assert "Someone else moved or changed" in page
    assert "Renamed meanwhile" in page
    card.refresh_from_db()
    assert card.phase_id == phase(blueprint, 0).pk


def test_without_htmx_a_move_redirects_to_the_card_with_a_message(as_editor, blueprint, card):
    response = move(as_editor, blueprint, card, htmx=False, direction="right", version=1)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{url('detail', blueprint)}#card-{card.pk}"
    follow = as_editor.get(response["Location"])
    assert "Moved “Hears about the walks” to Family experience, Use, position 1." in text(follow)


def test_without_htmx_a_stale_move_redirects_with_the_reason(as_editor, blueprint, card):
    response = move(as_editor, blueprint, card, htmx=False, direction="right", version=7)
    follow = as_editor.get(response["Location"])
    assert "Someone else moved or changed" in text(follow)
    card.refresh_from_db()
    assert card.phase_id == phase(blueprint, 0).pk


def test_cancelling_the_edit_of_a_card_deleted_meanwhile_redraws_its_cell(
    as_editor, blueprint, card, family, lead
):
    services.delete_card(card=card, expected_version=1, by=lead)
    response = as_editor.post(
        url("card-update", blueprint, card),
        {"title": "Not this", "kind": "step", "version": 1, "cancel": "1"},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Retarget"] == f"#cell-{phase(blueprint, 0).pk}-{family.pk}"
    assert "Hears about the walks" not in response.content.decode()


def test_moving_a_card_out_of_the_family_lane_redraws_the_emotion_curve(
    as_editor, blueprint, card, frontline
):
    response = move(
        as_editor, blueprint, card, phase=phase(blueprint, 0).pk, lane=frontline.pk, version=1
    )
    page = text(response)
    assert 'id="bp-emotion" class="bp-emotion" hx-swap-oob="true"' in page
    assert "Awareness: no emotion recorded" in page  # its +1 went with it


def test_changes_away_from_the_family_lane_leave_the_emotion_curve_alone(
    as_editor, blueprint, frontline
):
    card = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=frontline)
    response = move(as_editor, blueprint, card, direction="right", version=1)
    assert response.status_code == HTTPStatus.OK
    assert 'id="bp-emotion"' not in text(response)
    edit = as_editor.post(
        url("card-update", blueprint, card),
        {"title": "Renamed", "kind": "step", "version": 2},
        headers=HTMX,
    )
    assert edit.status_code == HTTPStatus.OK
    assert 'id="bp-emotion"' not in text(edit)

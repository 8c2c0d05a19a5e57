"""Undo of a person's own last change to a card (add, edit, move, delete), from the editor's
Undo button: it puts the card back, and is refused, changing nothing, when someone else has
changed the card since, when the card's cell is gone, or when there is nothing to undo."""

import json
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.models import Card, CardLink, Comment, Lane, LastCardChange
from tests.blueprints.checks import assert_positions_dense, cell_titles
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    CommentFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    fill_grid_with_evidence,
    lane,
    phase,
)
from tests.blueprints.test_editor_grid import MAX_EDITOR_QUERIES
from tests.blueprints.test_editor_links_emotion import attributes_of
from tests.localities.factories import InsightFactory
from tests.roles import CONTENT_EDITORS

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def family(blueprint):
    return lane(blueprint, Lane.Role.FAMILY)


@pytest.fixture
def frontline(blueprint):
    return lane(blueprint, Lane.Role.FRONTLINE)


@pytest.fixture
def insight(blueprint):
    return InsightFactory(locality=blueprint.locality, statement="Word of mouth matters")


@pytest.fixture
def card(blueprint, family, insight):
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="First")
    card = CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=family,
        title="Hears about the walks",
        details="From the health visitor.",
        emotion=1,
    )
    card.insights.set([insight])
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Last")
    return Card.objects.get(pk=card.pk)


def undo_url(blueprint):
    return reverse("blueprints:card-undo", args=[blueprint.locality.slug, blueprint.pk])


def editor_url(blueprint):
    return reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])


def undo(client, blueprint, htmx=True):
    return client.post(undo_url(blueprint), headers=HTMX if htmx else {})


def state(card):
    card = Card.objects.get(pk=card.pk)
    return {
        "cell": (card.phase_id, card.lane_id),
        "position": card.position,
        "title": card.title,
        "details": card.details,
        "kind": card.kind,
        "emotion": card.emotion,
        "insights": list(card.insights.values_list("pk", flat=True)),
    }


# Each change, undone ---------------------------------------------------------------------


def test_undoing_an_add_removes_the_card(client_for, editor, blueprint, family):
    added = services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=family,
        title="New",
        kind="step",
        by=editor,
    )
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.OK
    assert not Card.objects.filter(pk=added.pk).exists()
    assert "Undone: removed “New”, which you had added." in response.text


def test_undoing_an_edit_restores_the_fields_and_insights(client_for, editor, blueprint, card):
    before = state(card)
    services.update_card(
        card=card,
        expected_version=card.version,
        by=editor,
        title="Renamed",
        details="Changed.",
        kind="pain_point",
        emotion=-2,
        insights=[],
    )
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.OK
    assert state(card) == before
    assert "Hears about the walks" in response.text


def test_undoing_a_move_puts_the_card_back_in_its_cell_and_place(
    client_for, editor, blueprint, card, frontline
):
    before = state(card)
    services.move_card(
        card=card,
        phase=phase(blueprint, 2),
        lane=frontline,
        position=0,
        expected_version=card.version,
        by=editor,
    )
    assert Card.objects.get(pk=card.pk).emotion is None  # lost outside the family lane
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.OK
    assert state(card) == before
    assert cell_titles(phase(blueprint, 0), card.lane) == ["First", card.title, "Last"]
    assert_positions_dense(blueprint)


def test_undoing_a_delete_adds_the_card_again_where_it_was(
    client_for, editor, blueprint, card, family, frontline, insight
):
    helper = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=frontline)
    CardLink.objects.create(from_card=helper, to_card=card)
    before = state(card)
    services.delete_card(card=card, expected_version=card.version, by=editor)
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.OK
    back = Card.objects.get(blueprint=blueprint, title="Hears about the walks")
    assert {**state(back)} == before
    assert cell_titles(phase(blueprint, 0), family) == ["First", "Hears about the walks", "Last"]
    assert list(back.served_by.all()) == [helper]
    assert_positions_dense(blueprint)


def test_undoing_a_delete_sends_the_links_back_out_of_band(
    client_for, editor, blueprint, card, frontline
):
    helper = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=frontline)
    services.link_cards(from_card=helper, to_card=card, by=None)
    services.delete_card(card=card, expected_version=card.version, by=editor)
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.OK
    back = Card.objects.get(blueprint=blueprint, title="Hears about the walks")
    links = attributes_of(response.text, "bp-links")
    assert links["hx-swap-oob"] == "true"
    assert json.loads(links["data-links"]) == [[helper.pk, back.pk]]


def test_undoing_an_add_sends_the_links_without_the_removed_cards(
    client_for, editor, blueprint, card, family
):
    added = services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=family,
        title="New",
        kind="step",
        by=editor,
    )
    services.link_cards(from_card=added, to_card=card, by=editor)  # a link is not a card change
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.OK
    assert json.loads(attributes_of(response.text, "bp-links")["data-links"]) == []


def test_undoing_a_delete_gives_back_its_delivery_challenges_and_prototypes(
    client_for, editor, blueprint, card
):
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=[card])
    prototype = PrototypeFactory(blueprint=blueprint, cards=[card])
    services.delete_card(card=card, expected_version=card.version, by=editor)
    assert not challenge.cards.exists()
    assert undo(client_for(editor), blueprint).status_code == HTTPStatus.OK
    back = Card.objects.get(blueprint=blueprint, title="Hears about the walks")
    assert list(back.delivery_challenges.all()) == [challenge]
    assert list(back.prototypes.all()) == [prototype]


def test_undoing_a_delete_skips_a_challenge_or_prototype_removed_meanwhile(
    client_for, editor, blueprint, card
):
    kept = DeliveryChallengeFactory(blueprint=blueprint, cards=[card])
    gone = DeliveryChallengeFactory(blueprint=blueprint, cards=[card])
    prototype = PrototypeFactory(blueprint=blueprint, cards=[card])
    services.delete_card(card=card, expected_version=card.version, by=editor)
    gone.delete()
    prototype.delete()
    assert undo(client_for(editor), blueprint).status_code == HTTPStatus.OK
    back = Card.objects.get(blueprint=blueprint, title="Hears about the walks")
    assert list(back.delivery_challenges.all()) == [kept]
    assert not back.prototypes.exists()


def test_undoing_a_delete_gives_back_the_comments_about_the_card(
    client_for, editor, blueprint, card
):
    top = CommentFactory(blueprint=blueprint, card=card)
    reply = CommentFactory(blueprint=blueprint, card=card, parent=top)
    elsewhere = CommentFactory(blueprint=blueprint)  # about the blueprint, not the card
    services.delete_card(card=card, expected_version=card.version, by=editor)
    assert not Comment.objects.filter(card__isnull=False).exists()  # kept, detached
    assert undo(client_for(editor), blueprint).status_code == HTTPStatus.OK
    back = Card.objects.get(blueprint=blueprint, title="Hears about the walks")
    assert set(back.comments.all()) == {top, reply}
    elsewhere.refresh_from_db()
    assert elsewhere.card is None


def test_without_htmx_undo_redirects_to_the_editor_with_a_message(
    client_for, editor, blueprint, card
):
    services.update_card(card=card, expected_version=card.version, by=editor, title="Renamed")
    client = client_for(editor)
    response = undo(client, blueprint, htmx=False)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{editor_url(blueprint)}#card-{card.pk}"
    page = client.get(response["Location"]).text
    assert "Undone: “Hears about the walks” is back as it was before your edit." in page
    assert Card.objects.get(pk=card.pk).title == "Hears about the walks"


# The button ------------------------------------------------------------------------------


def test_the_editor_offers_undo_of_the_persons_own_last_change(
    client_for, editor, blueprint, card, family
):
    services.move_card(
        card=card, phase=phase(blueprint, 1), lane=family, position=0, expected_version=1, by=editor
    )
    page = client_for(editor).get(editor_url(blueprint)).text
    assert "Undo moving “Hears about the walks”" in page
    assert f'action="{undo_url(blueprint)}"' in page


def test_the_editor_offers_no_undo_of_someone_elses_change(
    client_for, editor, lead, blueprint, card, family
):
    services.move_card(
        card=card, phase=phase(blueprint, 1), lane=family, position=0, expected_version=1, by=lead
    )
    page = client_for(editor).get(editor_url(blueprint)).text
    assert "Undo moving" not in page
    assert undo_url(blueprint) not in page


def test_a_change_through_the_editor_redraws_the_undo_button_out_of_band(
    client_for, editor, blueprint, card
):
    url = reverse("blueprints:card-move", args=[blueprint.locality.slug, blueprint.pk, card.pk])
    response = client_for(editor).post(url, {"direction": "right", "version": 1}, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert '<div id="bp-undo" class="bp-undo" hx-swap-oob="innerHTML">' in response.text
    assert "Undo moving “Hears about the walks”" in response.text


def test_after_an_undo_the_button_goes_and_a_second_undo_says_there_is_nothing(
    client_for, editor, blueprint, card
):
    services.update_card(card=card, expected_version=1, by=editor, title="Renamed")
    client = client_for(editor)
    first = undo(client, blueprint)
    assert "Undo " not in first.text.split('id="bp-undo"')[1].split("</div>")[0]
    version = Card.objects.get(pk=card.pk).version
    second = undo(client, blueprint)
    assert second.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "There is nothing to undo" in second.text
    assert second.text.count("There is nothing to undo") == 1
    assert Card.objects.get(pk=card.pk).version == version


# Refused ---------------------------------------------------------------------------------


def test_undo_is_refused_when_someone_else_changed_the_card_since(
    client_for, editor, lead, blueprint, card
):
    services.update_card(card=card, expected_version=1, by=editor, title="Mine")
    services.update_card(card=card, expected_version=2, by=lead, details="Theirs.")
    before = state(card)
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "someone else has changed the card since" in response.text
    assert state(card) == before


def test_a_refused_undo_says_so_once_just_above_the_card(client_for, editor, lead, blueprint, card):
    services.update_card(card=card, expected_version=1, by=editor, title="Mine")
    services.update_card(card=card, expected_version=2, by=lead, details="Theirs.")
    response = undo(client_for(editor), blueprint)
    assert response.text.count("someone else has changed the card since") == 1
    notice = response.text.index("someone else has changed the card since")
    cell = response.text.index(f'id="cell-{card.phase_id}-{card.lane_id}"')
    assert cell < notice < response.text.index(f'id="card-{card.pk}"')


def test_undo_of_a_move_is_refused_when_someone_else_moved_the_card_since(
    client_for, editor, lead, blueprint, card, family
):
    services.move_card(
        card=card, phase=phase(blueprint, 1), lane=family, position=0, expected_version=1, by=editor
    )
    services.move_card(
        card=card, phase=phase(blueprint, 2), lane=family, position=0, expected_version=2, by=lead
    )
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.CONFLICT
    assert Card.objects.get(pk=card.pk).phase_id == phase(blueprint, 2).pk


def test_undo_of_an_add_is_refused_when_someone_else_deleted_the_card(
    client_for, editor, lead, blueprint, family
):
    added = services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=family,
        title="New",
        kind="step",
        by=editor,
    )
    services.delete_card(card=added, expected_version=1, by=lead)
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "someone else has deleted the card since" in response.text


def test_undo_of_a_delete_is_refused_when_its_phase_is_gone(
    client_for, editor, lead, blueprint, card, family
):
    services.delete_card(card=card, expected_version=1, by=editor)
    gone = phase(blueprint, 0)
    gone.cards.all().delete()
    services.delete_phase(phase=gone, by=lead)
    count = Card.objects.filter(blueprint=blueprint).count()
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.CONFLICT
    assert "the phase it was in has been removed since" in response.text
    assert Card.objects.filter(blueprint=blueprint).count() == count


def test_without_htmx_a_refused_undo_redirects_with_the_reason(
    client_for, editor, lead, blueprint, card
):
    services.update_card(card=card, expected_version=1, by=editor, title="Mine")
    services.update_card(card=card, expected_version=2, by=lead, title="Theirs")
    client = client_for(editor)
    response = undo(client, blueprint, htmx=False)
    assert response.status_code == HTTPStatus.FOUND
    assert "someone else has changed the card since" in client.get(response["Location"]).text
    assert Card.objects.get(pk=card.pk).title == "Theirs"


def test_undo_undoes_only_the_persons_own_change(client_for, editor, lead, blueprint, card):
    services.update_card(card=card, expected_version=1, by=lead, title="The lead's title")
    response = undo(client_for(editor), blueprint)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert Card.objects.get(pk=card.pk).title == "The lead's title"


# Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(CONTENT_EDITORS))
def test_undo_answers_each_role_as_a_content_write(client_for, users, blueprint, card, role):
    user = users[role]
    services.update_card(card=card, expected_version=1, by=user, title="Changed")
    response = undo(client_for(user), blueprint, htmx=False)
    expected = CONTENT_EDITORS[role]
    if expected == HTTPStatus.OK:
        assert response.status_code == HTTPStatus.FOUND
        assert Card.objects.get(pk=card.pk).title == "Hears about the walks"
    else:
        assert response.status_code == expected
        assert Card.objects.get(pk=card.pk).title == "Changed"
        assert LastCardChange.objects.filter(user=user).exists()


def test_anonymous_undo_goes_to_the_login_page(client, blueprint, card):
    response = client.post(undo_url(blueprint))
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_undo_by_get_is_not_allowed(client_for, editor, blueprint):
    response = client_for(editor).get(undo_url(blueprint))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# Queries ---------------------------------------------------------------------------------


def test_offering_undo_keeps_the_editors_query_count_the_same_for_10_and_300_cards(
    client_for, editor, locality, django_assert_max_num_queries
):
    client = client_for(editor)
    small, large = BlueprintFactory(locality=locality), BlueprintFactory(locality=locality)
    for blueprint, count in ((small, 10), (large, 300)):
        first = fill_grid_with_evidence(blueprint, count)[0]
        services.update_card(card=first, expected_version=first.version, by=editor, title="Mine")
    client.get(editor_url(small))  # warm the session and the role cache alike for both
    with CaptureQueriesContext(connection) as queries:
        page = client.get(editor_url(small)).text
    assert "Undo editing “Mine”" in page
    assert len(queries) <= MAX_EDITOR_QUERIES
    with django_assert_max_num_queries(len(queries)):
        response = client.get(editor_url(large))
    assert response.status_code == HTTPStatus.OK
    assert "Undo editing “Mine”" in response.text

"""The card panel: a card's evidence (insights and their challenges), its links to other
cards with the forms to add and remove them, and the delivery challenges and prototypes
that touch it."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import CardLink, Lane
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.localities.factories import ChallengeFactory, InsightFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def family_step(blueprint):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FAMILY),
        title="Joins a welcome walk",
    )


@pytest.fixture
def frontline_step(blueprint):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Parent guide leads the walk",
    )


def panel_url(card):
    return reverse(
        "blueprints:card-detail", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def links_url(card):
    return reverse(
        "blueprints:card-links", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def test_the_panel_shows_the_evidence_and_the_challenges_behind_it(
    client_for, viewer, blueprint, family_step
):
    insight = InsightFactory(locality=blueprint.locality, statement="Newcomers trust neighbours")
    ChallengeFactory(
        locality=blueprint.locality, title="Newcomers never hear of groups", insights=[insight]
    )
    services.update_card(card=family_step, expected_version=1, by=None, insights=[insight])
    response = client_for(viewer).get(panel_url(family_step), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<html" not in page
    assert "Newcomers trust neighbours" in page
    assert "Newcomers never hear of groups" in page


def test_the_panel_shows_the_challenges_and_prototypes_touching_the_card(
    client_for, viewer, blueprint, family_step
):
    DeliveryChallengeFactory(
        blueprint=blueprint, title="Volunteers drift away", cards=[family_step]
    )
    PrototypeFactory(blueprint=blueprint, title="Saturday pop-up", cards=[family_step])
    page = client_for(viewer).get(panel_url(family_step), headers=HTMX).content.decode()
    assert "Volunteers drift away" in page
    assert "Saturday pop-up" in page


def test_without_htmx_the_panel_is_a_full_page(client_for, viewer, family_step):
    response = client_for(viewer).get(panel_url(family_step))
    assert "<html" in response.content.decode()
    assert "Joins a welcome walk" in response.content.decode()


def test_linking_records_that_one_card_serves_the_other(
    client_for, editor, family_step, frontline_step
):
    response = client_for(editor).post(
        links_url(family_step),
        {"action": "link", "direction": "served_by", "other": frontline_step.pk},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.OK
    assert CardLink.objects.filter(from_card=frontline_step, to_card=family_step).exists()
    page = response.content.decode()
    assert "“Parent guide leads the walk” now serves “Joins a welcome walk”." in page
    served_by = page.split(">Served by<")[1].split("Link to another card")[0]
    assert "Parent guide leads the walk" in served_by


def test_unlinking_removes_the_link(client_for, editor, family_step, frontline_step):
    services.link_cards(from_card=family_step, to_card=frontline_step, by=None)
    response = client_for(editor).post(
        links_url(family_step),
        {"action": "unlink", "direction": "serves", "other": frontline_step.pk},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not CardLink.objects.exists()


def test_a_card_of_another_blueprint_cannot_be_linked(client_for, editor, locality, family_step):
    stranger = CardFactory(blueprint=BlueprintFactory(locality=locality), title="Elsewhere")
    response = client_for(editor).post(
        links_url(family_step),
        {"action": "link", "direction": "serves", "other": stranger.pk},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Choose a card of this blueprint" in response.content.decode()
    assert not CardLink.objects.exists()


def test_a_card_cannot_be_linked_to_itself(client_for, editor, family_step):
    response = client_for(editor).post(
        links_url(family_step),
        {"action": "link", "direction": "serves", "other": family_step.pk},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not CardLink.objects.exists()


def test_linking_twice_says_they_are_linked_already(
    client_for, editor, family_step, frontline_step
):
    services.link_cards(from_card=family_step, to_card=frontline_step, by=None)
    response = client_for(editor).post(
        links_url(family_step),
        {"action": "link", "direction": "serves", "other": frontline_step.pk},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "These cards are linked already." in response.content.decode()
    assert CardLink.objects.count() == 1


def test_the_link_form_offers_only_other_cards_of_this_blueprint(
    client_for, editor, locality, family_step, frontline_step
):
    CardFactory(blueprint=BlueprintFactory(locality=locality), title="Elsewhere")
    page = client_for(editor).get(panel_url(family_step), headers=HTMX).content.decode()
    options = page.split('name="other"')[1].split("</select>")[0]
    assert "Parent guide leads the walk" in options
    assert "Elsewhere" not in options
    assert "Joins a welcome walk" not in options

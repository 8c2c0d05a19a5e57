"""Admin saves go through the services with the version the change form was opened at:
a save made on top of an editor's later change is refused with a message, and the
editor's change is kept."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, Card
from tests.blueprints.factories import BlueprintFactory, CardFactory, with_review_state
from tests.localities.test_admin_memberships import admin_form_data

pytestmark = pytest.mark.django_db

STALE = "since you opened it: your change was not saved"


def open_change_form(client, url: str) -> dict:
    """GET the change page; its data, with the version read from the hidden field."""
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    hidden = re.search(
        r'<input type="hidden" name="opened_at_version" value="(\d+)"', response.content.decode()
    )
    assert hidden is not None
    data = admin_form_data(response)
    data["opened_at_version"] = hidden.group(1)
    return data


def card_url(card) -> str:
    return reverse("admin:blueprints_card_change", args=[card.pk])


def blueprint_url(blueprint) -> str:
    return reverse("admin:blueprints_blueprint_change", args=[blueprint.pk])


def test_the_card_form_carries_the_version_it_was_opened_at(client_for, superuser):
    card = CardFactory()
    services.update_card(card=card, expected_version=1, title="Second", by=None)
    data = open_change_form(client_for(superuser), card_url(card))
    assert data["opened_at_version"] == "2"


def test_a_stale_card_save_is_refused_and_the_editors_text_kept(client_for, superuser, editor):
    card = CardFactory(title="Hears about it")
    client = client_for(superuser)
    data = open_change_form(client, card_url(card))
    services.update_card(card=card, expected_version=1, title="The editor's title", by=editor)
    data["title"] = "The admin's title"
    response = client.post(card_url(card), data)
    assert response.status_code == HTTPStatus.OK  # the form again, with the message
    assert "Someone changed this card " + STALE in response.content.decode()
    stored = Card.objects.get(pk=card.pk)
    assert (stored.title, stored.version) == ("The editor's title", 2)


def test_a_fresh_card_save_goes_through_the_service(client_for, superuser, editor):
    card = CardFactory(title="Hears about it")
    services.update_card(card=card, expected_version=1, title="The editor's title", by=editor)
    client = client_for(superuser)
    data = open_change_form(client, card_url(card))
    data["title"] = "The admin's title"
    response = client.post(card_url(card), data)
    assert response.status_code == HTTPStatus.FOUND
    stored = Card.objects.get(pk=card.pk)
    assert (stored.title, stored.version) == ("The admin's title", 3)
    assert Blueprint.objects.get(pk=card.blueprint_id).version == 4  # created, 2 card edits


def test_a_stale_blueprint_save_is_refused_and_the_editors_text_kept(
    client_for, superuser, editor, locality
):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    client = client_for(superuser)
    data = open_change_form(client, blueprint_url(blueprint))
    services.update_blueprint(blueprint=blueprint, title="The editor's title", by=editor)
    data["title"] = "The admin's title"
    data["summary"] = "The admin's summary"
    response = client.post(blueprint_url(blueprint), data)
    assert response.status_code == HTTPStatus.OK
    assert "Someone changed this blueprint " + STALE in response.content.decode()
    stored = Blueprint.objects.get(pk=blueprint.pk)
    assert (stored.title, stored.summary) == ("The editor's title", blueprint.summary)
    assert stored.version == 2


def test_a_blueprint_form_opened_before_a_card_edit_is_stale(
    client_for, superuser, editor, locality
):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    card = CardFactory(blueprint=blueprint)
    client = client_for(superuser)
    data = open_change_form(client, blueprint_url(blueprint))
    services.update_card(card=card, expected_version=1, title="Edited", by=editor)
    data["title"] = "The admin's title"
    response = client.post(blueprint_url(blueprint), data)
    assert response.status_code == HTTPStatus.OK
    assert Blueprint.objects.get(pk=blueprint.pk).title == "Welcome walks"


def test_a_fresh_blueprint_save_goes_through_the_service(client_for, superuser, editor, locality):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    services.update_blueprint(blueprint=blueprint, title="The editor's title", by=editor)
    client = client_for(superuser)
    data = open_change_form(client, blueprint_url(blueprint))
    data["title"] = "The admin's title"
    response = client.post(blueprint_url(blueprint), data)
    assert response.status_code == HTTPStatus.FOUND
    stored = Blueprint.objects.get(pk=blueprint.pk)
    assert (stored.title, stored.version) == ("The admin's title", 3)
    assert stored.history.latest().history_user == superuser


def test_the_review_state_cannot_be_set_from_the_blueprint_form(client_for, superuser, locality):
    blueprint = BlueprintFactory(locality=locality)
    client = client_for(superuser)
    data = open_change_form(client, blueprint_url(blueprint))
    data["review_state"] = Blueprint.ReviewState.APPROVED
    data["title"] = "Changed"
    response = client.post(blueprint_url(blueprint), data)
    assert response.status_code == HTTPStatus.FOUND
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == Blueprint.ReviewState.DRAFT


def test_a_blueprint_save_that_changes_nothing_counts_no_version(client_for, superuser, locality):
    blueprint = with_review_state(BlueprintFactory(locality=locality), "approved")
    client = client_for(superuser)
    data = open_change_form(client, blueprint_url(blueprint))
    response = client.post(blueprint_url(blueprint), data)
    assert response.status_code == HTTPStatus.FOUND
    stored = Blueprint.objects.get(pk=blueprint.pk)
    assert (stored.version, stored.review_state) == (blueprint.version, "approved")


def test_a_phase_renamed_in_the_blueprint_form_counts_a_new_version(
    client_for, superuser, locality
):
    blueprint = BlueprintFactory(locality=locality)
    client = client_for(superuser)
    data = open_change_form(client, blueprint_url(blueprint))
    (name_key,) = [key for key, value in data.items() if value == "Awareness"]
    data[name_key] = "Hearing about it"
    response = client.post(blueprint_url(blueprint), data)
    assert response.status_code == HTTPStatus.FOUND
    stored = Blueprint.objects.get(pk=blueprint.pk)
    assert stored.phases.get(position=0).name == "Hearing about it"
    assert stored.version == blueprint.version + 1

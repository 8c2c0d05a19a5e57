"""Issue 14 in the admin: a submitted blueprint is frozen while it waits for review, so its
Delete link, the delete view and "Delete selected" refuse it with the reason, and delete
nothing; any other blueprint is deleted as before, through `delete_blueprint`. Only
superusers delete blueprints: reviewers hold no delete permission, members no admin."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from blueprints.admin.blueprint import BlueprintAdmin, deletion_refused
from blueprints.models import Blueprint
from blueprints.review import states as review_states
from tests.blueprints.factories import BlueprintFactory, CardFactory, with_review_state

pytestmark = pytest.mark.django_db

State = Blueprint.ReviewState
NOT_SUBMITTED = [State.DRAFT, State.CHANGES_REQUESTED, State.APPROVED]
LIST = reverse("admin:blueprints_blueprint_changelist")


def delete_url(blueprint: Blueprint) -> str:
    return reverse("admin:blueprints_blueprint_delete", args=[blueprint.pk])


def change_url(blueprint: Blueprint) -> str:
    return reverse("admin:blueprints_blueprint_change", args=[blueprint.pk])


def submitted(title: str = "Welcome walks") -> Blueprint:
    blueprint = BlueprintFactory(title=title)
    CardFactory(blueprint=blueprint, title="Hears of it")
    return with_review_state(blueprint, State.SUBMITTED)


def delete_selected(client, blueprints, *, confirmed: bool):
    data = {
        "action": "delete_selected",
        helpers.ACTION_CHECKBOX_NAME: [blueprint.pk for blueprint in blueprints],
    }
    if confirmed:
        data["post"] = "yes"
    return client.post(LIST, data, follow=True)


def test_the_delete_link_of_a_submitted_blueprint_goes_back_with_the_reason(client_for, superuser):
    blueprint = submitted()
    response = client_for(superuser).get(delete_url(blueprint), follow=True)
    assert response.redirect_chain == [(change_url(blueprint), HTTPStatus.FOUND)]
    assert escape(deletion_refused(["Welcome walks"])) in response.content.decode()
    assert b"Are you sure" not in response.content


def test_confirming_the_delete_of_a_submitted_blueprint_deletes_nothing(client_for, superuser):
    blueprint = submitted()
    response = client_for(superuser).post(delete_url(blueprint), {"post": "yes"}, follow=True)
    assert response.redirect_chain == [(change_url(blueprint), HTTPStatus.FOUND)]
    assert "submitted for review" in response.content.decode()
    assert Blueprint.objects.filter(pk=blueprint.pk, review_state=State.SUBMITTED).exists()
    assert blueprint.cards.count() == 1


@pytest.mark.parametrize("state", NOT_SUBMITTED)
def test_a_blueprint_not_submitted_is_deleted_as_before(client_for, superuser, state):
    blueprint = with_review_state(BlueprintFactory(), state)
    client = client_for(superuser)
    assert b"Are you sure" in client.get(delete_url(blueprint)).content
    response = client.post(delete_url(blueprint), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Blueprint.objects.filter(pk=blueprint.pk).exists()


def test_the_deletion_is_recorded_with_who_made_it(client_for, superuser):
    blueprint = BlueprintFactory()
    client_for(superuser).post(delete_url(blueprint), {"post": "yes"})
    assert Blueprint.history.filter(id=blueprint.pk, history_type="-").get().history_user == (
        superuser
    )


def test_delete_selected_with_a_submitted_blueprint_is_refused_before_confirming(
    client_for, superuser
):
    draft = BlueprintFactory(title="A draft")
    frozen = submitted("Welcome walks")
    response = delete_selected(client_for(superuser), [draft, frozen], confirmed=False)
    assert b"Are you sure" not in response.content
    assert escape(deletion_refused(["Welcome walks"])) in response.content.decode()
    assert Blueprint.objects.filter(pk__in=[draft.pk, frozen.pk]).count() == 2


def test_a_confirmed_delete_selected_with_a_submitted_blueprint_deletes_none(client_for, superuser):
    draft = BlueprintFactory(title="A draft")
    frozen = submitted("Welcome walks")
    response = delete_selected(client_for(superuser), [draft, frozen], confirmed=True)
    assert escape(deletion_refused(["Welcome walks"])) in response.content.decode()
    assert Blueprint.objects.filter(pk__in=[draft.pk, frozen.pk]).count() == 2


def test_the_refusal_names_every_submitted_blueprint_chosen(client_for, superuser):
    chosen = [submitted("Welcome walks"), submitted("Stay and play")]
    response = delete_selected(client_for(superuser), chosen, confirmed=False)
    message = deletion_refused(["Stay and play", "Welcome walks"])
    assert "“Stay and play”, “Welcome walks” are submitted" in message
    assert escape(message) in response.content.decode()


def test_delete_selected_deletes_blueprints_not_submitted_as_before(client_for, superuser):
    chosen = [with_review_state(BlueprintFactory(), state) for state in NOT_SUBMITTED]
    client = client_for(superuser)
    assert b"Are you sure" in delete_selected(client, chosen, confirmed=False).content
    response = delete_selected(client, chosen, confirmed=True)
    assert response.status_code == HTTPStatus.OK
    assert not Blueprint.objects.filter(pk__in=[b.pk for b in chosen]).exists()


def admin_request(user):
    request = RequestFactory().post(LIST)
    request.user = user
    return request


def test_a_submission_made_after_the_confirmation_page_is_refused_under_lock(superuser):
    """What `delete_model` does when the blueprint was submitted after the checks before it
    (the page, the action): the service refuses it, in the deletion's words."""
    blueprint = submitted("Welcome walks")
    model_admin = BlueprintAdmin(Blueprint, admin.site)
    with pytest.raises(review_states.Frozen) as refusal:
        model_admin.delete_model(admin_request(superuser), blueprint)
    assert refusal.value.message == deletion_refused(["Welcome walks"])
    assert Blueprint.objects.filter(pk=blueprint.pk).exists()


def test_delete_queryset_refuses_on_the_first_submitted_blueprint(superuser):
    draft, frozen = BlueprintFactory(), submitted()
    model_admin = BlueprintAdmin(Blueprint, admin.site)
    with pytest.raises(review_states.Frozen):
        model_admin.delete_queryset(
            admin_request(superuser), Blueprint.objects.filter(pk__in=[draft.pk, frozen.pk])
        )
    assert Blueprint.objects.filter(pk=frozen.pk).exists()


@pytest.mark.parametrize("state", [State.SUBMITTED, State.DRAFT])
def test_a_reviewer_may_not_delete_a_blueprint(client_for, reviewer, state):
    blueprint = with_review_state(BlueprintFactory(), state)
    client = client_for(reviewer)
    assert client.get(delete_url(blueprint)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(delete_url(blueprint), {"post": "yes"}).status_code == (HTTPStatus.FORBIDDEN)
    assert b'value="delete_selected"' not in client.get(LIST).content
    delete_selected(client, [blueprint], confirmed=True)
    assert Blueprint.objects.filter(pk=blueprint.pk).exists()


@pytest.mark.parametrize("who", ["editor", "lead", "viewer", None])
def test_members_and_anonymous_are_sent_to_the_admin_login(client_for, request, who, locality):
    blueprint = with_review_state(BlueprintFactory(locality=locality), State.DRAFT)
    client = client_for(request.getfixturevalue(who) if who else None)
    action = {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [blueprint.pk]}
    for response in (
        client.get(delete_url(blueprint)),
        client.post(delete_url(blueprint), {"post": "yes"}),
        client.post(LIST, {**action, "post": "yes"}),
    ):
        assert response.status_code == HTTPStatus.FOUND
        assert "/admin/login/" in response.url
    assert Blueprint.objects.filter(pk=blueprint.pk).exists()

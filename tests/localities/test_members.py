"""Member management: good and bad input, and the last-lead rule."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from localities.models import Membership
from tests.localities.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def add(client, data):
    return client.post(reverse("localities:member-add", args=["northgate"]), data)


def snapshot(locality):
    return sorted(locality.memberships.values_list("user__username", "role"))


def test_add_member_by_email(client_for, lead, locality):
    UserFactory(username="sam", email="Sam.Jones@example.org")
    response = add(client_for(lead), {"identifier": "sam.jones@EXAMPLE.org", "role": "viewer"})
    assert response.status_code == HTTPStatus.FOUND
    assert locality.memberships.get(user__username="sam").role == "viewer"


def test_add_unknown_user_is_a_field_error(client_for, lead, locality):
    before = snapshot(locality)
    response = add(client_for(lead), {"identifier": "nobody", "role": "viewer"})
    assert response.status_code == HTTPStatus.OK
    assert "No one has an account with that username or email" in str(
        response.context["form"].errors["identifier"]
    )
    assert snapshot(locality) == before


def test_add_existing_member_is_a_field_error(client_for, lead, editor, locality):
    before = snapshot(locality)
    response = add(client_for(lead), {"identifier": "editor", "role": "lead"})
    assert "editor is already a member of Northgate" in str(
        response.context["form"].errors["identifier"]
    )
    assert snapshot(locality) == before


def test_add_with_invalid_role_is_refused(client_for, lead, locality):
    UserFactory(username="sam")
    response = add(client_for(lead), {"identifier": "sam", "role": "owner"})
    assert "role" in response.context["form"].errors
    assert not locality.memberships.filter(user__username="sam").exists()


def test_add_with_empty_form_shows_required_errors(client_for, lead, locality):
    response = add(client_for(lead), {})
    assert set(response.context["form"].errors) == {"identifier", "role"}


def test_inactive_user_cannot_be_added(client_for, lead, locality):
    UserFactory(username="gone", is_active=False)
    response = add(client_for(lead), {"identifier": "gone", "role": "viewer"})
    assert "identifier" in response.context["form"].errors
    assert not locality.memberships.filter(user__username="gone").exists()


def test_ambiguous_email_asks_for_username(client_for, lead, locality):
    UserFactory(username="a1", email="same@example.org")
    UserFactory(username="a2", email="same@example.org")
    response = add(client_for(lead), {"identifier": "same@example.org", "role": "viewer"})
    assert "enter the username instead" in str(response.context["form"].errors["identifier"])


def test_last_lead_cannot_demote_themselves(client_for, lead, locality):
    membership = locality.memberships.get(user=lead)
    response = client_for(lead).post(
        reverse("localities:member-role", args=["northgate", membership.pk]), {"role": "editor"}
    )
    assert response.status_code == HTTPStatus.OK
    assert "lead is the only lead of Northgate" in str(response.context["form"].errors["role"])
    membership.refresh_from_db()
    assert membership.role == "lead"


def test_last_lead_cannot_be_removed(client_for, lead, locality):
    membership = locality.memberships.get(user=lead)
    response = client_for(lead).post(
        reverse("localities:member-remove", args=["northgate", membership.pk])
    )
    assert response.status_code == HTTPStatus.OK
    assert "only lead of Northgate" in response.context["error"]
    assert b"Make someone else a lead first" in response.content
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_superuser_cannot_remove_last_lead_either(client_for, superuser, lead, locality):
    membership = locality.memberships.get(user=lead)
    client_for(superuser).post(
        reverse("localities:member-remove", args=["northgate", membership.pk])
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_lead_can_step_down_when_another_lead_exists(client_for, lead, locality):
    MembershipFactory(locality=locality, role="lead")
    membership = locality.memberships.get(user=lead)
    client_for(lead).post(
        reverse("localities:member-role", args=["northgate", membership.pk]), {"role": "viewer"}
    )
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_change_role_to_invalid_value_changes_nothing(client_for, lead, editor, locality):
    membership = locality.memberships.get(user=editor)
    response = client_for(lead).post(
        reverse("localities:member-role", args=["northgate", membership.pk]), {"role": "god"}
    )
    assert "role" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.role == "editor"


def test_role_of_unknown_membership_is_404(client_for, lead):
    response = client_for(lead).post(
        reverse("localities:member-role", args=["northgate", 999999]), {"role": "viewer"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_member_list_shows_role_controls_only_to_managers(client_for, lead, viewer):
    url = reverse("localities:members", args=["northgate"])
    assert b"Add a member" in client_for(lead).get(url).content
    assert b"Add a member" not in client_for(viewer).get(url).content

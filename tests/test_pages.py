"""Site-wide pages: errors in the site's style, password change."""

from http import HTTPStatus

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.localities.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_404_page_is_in_the_site_style(client_for, editor):
    response = client_for(editor).get("/localities/no-such-place/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"Page not found" in response.content
    assert b"Skip to main content" in response.content


def test_403_page_explains_the_role(client_for, viewer):
    response = client_for(viewer).get(reverse("localities:member-add", args=["northgate"]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"You cannot do that here" in response.content
    assert b"Skip to main content" in response.content


def test_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b"Something went wrong on our side" in response.content


def test_password_change_with_wrong_old_password_is_a_field_error(client_for, editor):
    response = client_for(editor).post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "Fresh-pass-42",
            "new_password2": "Fresh-pass-42",
        },
    )
    assert "old_password" in response.context["form"].errors
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_password_change_works(client_for, editor):
    response = client_for(editor).post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Fresh-pass-42",
            "new_password2": "Fresh-pass-42",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    editor.refresh_from_db()
    assert editor.check_password("Fresh-pass-42")


def test_login_page_answers_anonymous(client):
    response = client.get(reverse("login"))
    assert response.status_code == HTTPStatus.OK
    assert b"Log in" in response.content


def test_logout_needs_post_and_ends_the_session(client_for, editor):
    client = client_for(editor)
    response = client.post(reverse("logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("dashboard")).status_code == HTTPStatus.FOUND

"""Password reset by email, with Django's views: the link is built from SITE_URL, never
from the request's Host header, and the answer does not tell whether an address has an
account."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.localities.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-garden-path-42"
LINK = re.compile(r"https?://\S+/accounts/reset/\S+/")
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def ask_for_reset(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def emailed_link() -> str:
    (message,) = mail.outbox
    return LINK.search(message.body).group()


def set_new_password(client, link: str, password: str = NEW_PASSWORD):
    path = link.removeprefix(settings.SITE_URL)
    form_page = client.get(path, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )


def test_the_login_page_links_to_password_reset(client):
    response = client.get(reverse("login"))
    assert f'href="{reverse("password_reset")}"'.encode() in response.content


def test_the_admin_login_page_links_to_password_reset(client):
    response = client.get(reverse("admin:login"))
    assert f'href="{reverse("admin_password_reset")}"'.encode() in response.content
    assert client.get(reverse("admin_password_reset")).url == reverse("password_reset")


def test_the_reset_form_labels_its_email_field(client):
    response = client.get(reverse("password_reset"))
    assert response.status_code == HTTPStatus.OK
    assert re.search(rb'<label\s+for="id_email"', response.content)


def test_a_known_address_is_sent_one_plain_text_email(client, editor):
    response = ask_for_reset(client, editor.email)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == "Reset your Blueprint studio password"
    assert getattr(message, "alternatives", []) == []  # plain text, no HTML part
    assert "&#x27;" not in message.body
    assert "<" not in message.body


def test_the_emailed_link_starts_with_the_site_url(client, editor):
    ask_for_reset(client, editor.email)
    assert emailed_link().startswith(f"{settings.SITE_URL}/accounts/reset/")


def test_the_emailed_link_lets_the_user_choose_a_new_password(client, editor):
    ask_for_reset(client, editor.email)
    response = set_new_password(client, emailed_link())
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("password_reset_complete")
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)


def test_after_a_reset_the_user_is_logged_in(client, editor):
    ask_for_reset(client, editor.email)
    set_new_password(client, emailed_link())
    response = client.get(reverse("password_reset_complete"))
    assert b"you are logged in" in response.content
    assert client.get(reverse("dashboard")).status_code == HTTPStatus.OK


def test_a_used_link_no_longer_works(client, editor):
    ask_for_reset(client, editor.email)
    link = emailed_link()
    set_new_password(client, link)
    client.post(reverse("logout"))
    response = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert response.context["validlink"] is False
    assert b"This link does not work" in response.content


def test_a_bad_token_shows_that_the_link_does_not_work(client, editor):
    ask_for_reset(client, editor.email)
    uidb64 = emailed_link().rstrip("/").split("/")[-2]
    response = client.get(reverse("password_reset_confirm", args=[uidb64, "0-badtoken"]))
    assert response.status_code == HTTPStatus.OK
    assert b"This link does not work" in response.content
    assert f'href="{reverse("password_reset")}"'.encode() in response.content
    assert b"new_password1" not in response.content


def test_mismatched_new_passwords_are_an_error_next_to_the_field(client, editor):
    ask_for_reset(client, editor.email)
    form_page = client.get(emailed_link().removeprefix(settings.SITE_URL), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": "something-else-42"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "new_password2" in response.context["form"].errors
    field = re.search(rb'<input[^>]*name="new_password2"[^>]*>', response.content).group()
    assert b'aria-invalid="true"' in field
    assert b"id_new_password2_error" in field
    assert b'<div id="id_new_password2_error" class="invalid-feedback">' in response.content
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_an_unknown_address_sends_nothing(client, editor):
    response = ask_for_reset(client, "nobody@example.org")
    assert response.status_code == HTTPStatus.FOUND
    assert mail.outbox == []


def test_known_and_unknown_addresses_get_the_same_answer(client, editor):
    known = ask_for_reset(client, editor.email, follow=True)
    unknown = ask_for_reset(client, "nobody@example.org", follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert CSRF.sub(rb"\1", unknown.content) == CSRF.sub(rb"\1", known.content)
    assert b"If an account has the address you gave, we have sent a link to it" in (unknown.content)


@override_settings(ALLOWED_HOSTS=["*"])
def test_a_forged_host_header_does_not_reach_the_email(client, editor):
    ask_for_reset(client, editor.email, HTTP_HOST="attacker.example")
    (message,) = mail.outbox
    assert "attacker.example" not in message.body
    assert "attacker.example" not in message.subject
    assert emailed_link().startswith(f"{settings.SITE_URL}/accounts/reset/")


def test_a_reset_clears_the_lockout_from_the_same_address(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "editor", "password": "not-the-password"})
    ask_for_reset(client, editor.email)
    set_new_password(client, emailed_link())
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "editor", "password": NEW_PASSWORD})
    assert response.status_code == HTTPStatus.FOUND

"""The password-reset form is throttled: within PASSWORD_RESET_WINDOW_MINUTES one address
is sent at most PASSWORD_RESET_PER_ADDRESS emails, and one client may ask at most
PASSWORD_RESET_PER_CLIENT times. A refused request gets the same page as any other and
sends nothing, so the answer tells no one whether an address has an account or has asked."""

import time
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache.backends import locmem
from django.urls import reverse

from tests.accounts.test_password_reset import CSRF, ask_for_reset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.PASSWORD_RESET_WINDOW_MINUTES = 15
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    settings.PASSWORD_RESET_PER_CLIENT = 10


def page(response) -> bytes:
    return CSRF.sub(rb"\1", response.content)


def test_an_address_is_sent_three_emails_then_no_more(client, editor):
    for _ in range(3):
        ask_for_reset(client, editor.email)
    assert len(mail.outbox) == 3
    response = ask_for_reset(client, editor.email)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 3


def test_a_refused_request_gets_the_same_page_as_one_that_sent_email(client, editor):
    sent = ask_for_reset(client, editor.email, follow=True)
    for _ in range(2):
        ask_for_reset(client, editor.email)
    refused = ask_for_reset(client, editor.email, follow=True)
    assert len(mail.outbox) == 3
    assert refused.redirect_chain == sent.redirect_chain
    assert page(refused) == page(sent)


def test_the_address_is_counted_whatever_its_case(client, editor):
    for address in (editor.email, editor.email.upper(), f" {editor.email.title()}"):
        ask_for_reset(client, address)
    ask_for_reset(client, editor.email)
    assert len(mail.outbox) == 3


def test_each_address_has_its_own_allowance(client, editor, viewer):
    for _ in range(4):
        ask_for_reset(client, editor.email)
    ask_for_reset(client, viewer.email)
    assert [message.to for message in mail.outbox][-1] == [viewer.email]
    assert len(mail.outbox) == 4


def test_an_unknown_address_is_throttled_alike(client, editor):
    """Past the limit the answer is the same for an address with no account, so the limit
    tells nothing either."""
    known = [ask_for_reset(client, editor.email, follow=True) for _ in range(4)]
    unknown = [ask_for_reset(client, "nobody@example.org", follow=True) for _ in range(4)]
    assert {page(response) for response in known + unknown} == {page(known[0])}
    assert len(mail.outbox) == 3


def test_a_client_asking_for_many_addresses_is_refused_after_ten(client, django_user_model):
    users = [
        django_user_model.objects.create_user(f"user{n}", f"user{n}@example.org", "x-1-y-2-z")
        for n in range(11)
    ]
    for user in users:
        response = ask_for_reset(client, user.email)
        assert response.url == reverse("password_reset_done")
    assert [message.to for message in mail.outbox] == [[user.email] for user in users[:10]]


def test_another_client_is_not_held_to_the_first_clients_limit(client, editor, viewer):
    for n in range(10):
        ask_for_reset(client, f"nobody{n}@example.org", REMOTE_ADDR="203.0.113.9")
    ask_for_reset(client, viewer.email, REMOTE_ADDR="203.0.113.9")
    assert mail.outbox == []
    ask_for_reset(client, editor.email, REMOTE_ADDR="198.51.100.7")
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_an_address_may_ask_again_once_the_window_has_passed(client, editor, monkeypatch):
    for _ in range(4):
        ask_for_reset(client, editor.email)
    assert len(mail.outbox) == 3
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    ask_for_reset(client, editor.email)
    assert len(mail.outbox) == 4


def test_a_form_with_a_bad_address_is_an_error_and_not_counted(client, editor):
    for _ in range(5):
        response = ask_for_reset(client, "not an address")
        assert response.status_code == HTTPStatus.OK
        assert "email" in response.context["form"].errors
    ask_for_reset(client, editor.email)
    assert len(mail.outbox) == 1


def test_a_signed_in_user_is_held_to_the_same_limit(client, editor):
    client.force_login(editor)
    for _ in range(4):
        ask_for_reset(client, editor.email)
    assert len(mail.outbox) == 3

"""The client's address behind trusted proxies: the public form's limit and the login
lockouts count people, not the proxy; a header sent by the client itself proves nothing."""

from http import HTTPStatus

import pytest
from django.test import RequestFactory

from config.middleware import ClientAddressMiddleware

pytestmark = pytest.mark.django_db


def address(settings, proxies: int, forwarded: str | None, remote="10.0.0.5") -> str:
    settings.TRUSTED_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    return ClientAddressMiddleware(lambda r: r.META["REMOTE_ADDR"])(request)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address(settings, 0, "203.0.113.9") == "10.0.0.5"


def test_one_trusted_proxy_gives_the_address_it_saw(settings):
    assert address(settings, 1, "203.0.113.9") == "203.0.113.9"


def test_an_address_the_client_made_up_is_not_believed(settings):
    # The client sent "1.2.3.4"; nginx appended the address it really came from.
    assert address(settings, 1, "1.2.3.4, 203.0.113.9") == "203.0.113.9"


def test_two_trusted_proxies_count_two_from_the_right(settings):
    assert address(settings, 2, "1.2.3.4, 203.0.113.9, 10.0.0.7") == "203.0.113.9"


def test_too_few_hops_leave_the_address_alone(settings):
    assert address(settings, 2, "203.0.113.9") == "10.0.0.5"


def test_no_header_leaves_the_address_alone(settings):
    assert address(settings, 1, None) == "10.0.0.5"


def test_lockouts_behind_a_proxy_are_per_client(client, settings, django_user_model):
    settings.TRUSTED_PROXIES = 1
    django_user_model.objects.create_user("amira", password="right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "amira", "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    other = client.post(
        "/accounts/login/",
        {"username": "amira", "password": "right-password-1"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert other.status_code == HTTPStatus.FOUND  # another person behind the same proxy

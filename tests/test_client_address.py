"""The client's address behind trusted proxies: the public form's limit and the login
lockouts count people, not the proxy; a header sent by the client itself proves nothing.
And text only in UTF-8: a request declaring another charset is refused."""

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


# UTF-8 only ------------------------------------------------------------------------------


def test_a_form_declared_in_utf7_is_refused_and_logs_no_one_in(client, django_user_model):
    django_user_model.objects.create_user("amira", password="right-password-1")
    response = client.post(
        "/accounts/login/",
        "username=amira&password=right-password-1",
        content_type="application/x-www-form-urlencoded; charset=utf-7",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Send text as UTF-8" in response.text
    assert "_auth_user_id" not in client.session


def test_a_query_string_declared_in_utf7_is_refused(client):
    response = client.get(
        "/accounts/login/?next=%2B2AA-", headers={"Content-Type": "text/plain; charset=utf-7"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("charset", ["utf-8", None])
def test_utf8_or_no_charset_is_served(client, charset):
    content_type = "application/x-www-form-urlencoded" + (f"; charset={charset}" if charset else "")
    response = client.post("/accounts/login/", "username=x&password=y", content_type=content_type)
    assert response.status_code == HTTPStatus.OK  # the form again, with its error

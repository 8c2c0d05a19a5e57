"""Login throttling (django-axes): a username and address pair is locked out after
AXES_FAILURE_LIMIT failures, on the site's login and the admin's, for AXES_COOLOFF_TIME;
staff unlock it in the admin by deleting its access attempt."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import Client
from django.urls import reverse

from localities.permissions import REVIEWER_GROUP
from tests.localities.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def log_in(client, username, password=PASSWORD, *, address=HOME, url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, username, times=LIMIT, **kwargs):
    for _ in range(times):
        response = log_in(client, username, "not-the-password", **kwargs)
    return response


def is_logged_in(client):
    return "_auth_user_id" in client.session


def without_csrf(content: bytes) -> bytes:
    return CSRF.sub(rb"\1", content)


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, editor):
    fail(client, "editor", LIMIT - 1)
    response = log_in(client, "editor")
    assert response.status_code == HTTPStatus.FOUND
    assert is_logged_in(client)


def test_the_failure_that_reaches_the_limit_answers_with_the_lockout_page(client, editor):
    response = fail(client, "editor")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "registration/locked_out.html" in [t.name for t in response.templates]


def test_the_lockout_page_says_why_how_long_and_what_to_do(client, editor):
    response = fail(client, "editor")
    text = response.content.decode()
    assert "too many failed attempts to log in with this username from your address" in text
    assert "Wait 15 minutes" in text
    assert "ask an administrator" in text
    assert f'href="{reverse("password_reset")}"' in text


def test_a_locked_pair_is_refused_even_the_right_password(client, editor):
    fail(client, "editor")
    response = log_in(client, "editor")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not is_logged_in(client)


def test_the_same_username_from_another_address_is_not_locked(client, editor):
    fail(client, "editor", address=HOME)
    response = log_in(client, "editor", address=ELSEWHERE)
    assert response.status_code == HTTPStatus.FOUND
    assert is_logged_in(client)


def test_another_username_from_the_same_address_is_not_locked(client, editor, viewer):
    fail(client, "editor")
    response = log_in(client, "viewer")
    assert response.status_code == HTTPStatus.FOUND


def test_the_lockout_page_is_the_same_for_an_existing_and_an_unknown_username(client, editor):
    existing = fail(client, "editor")
    unknown = fail(client, "nobody-by-this-name")
    assert unknown.status_code == existing.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert without_csrf(unknown.content) == without_csrf(existing.content)


def test_the_lockout_page_does_not_repeat_the_username(client, editor):
    response = fail(client, "editor")
    assert b"editor" not in response.content


def test_a_failed_login_says_the_same_for_an_existing_and_an_unknown_username(client, editor):
    existing = log_in(client, "editor", "not-the-password")
    unknown = log_in(client, "nobody-by-this-name", "not-the-password")
    assert unknown.status_code == existing.status_code == HTTPStatus.OK
    assert unknown.context["form"].errors == existing.context["form"].errors


def test_a_deactivated_account_with_its_right_password_gets_the_ordinary_failure(client, editor):
    editor.is_active = False
    editor.save()
    deactivated = log_in(client, "editor")
    unknown = log_in(client, "nobody-by-this-name", "not-the-password")
    assert deactivated.context["form"].errors == unknown.context["form"].errors


def test_a_success_clears_the_failures_before_it(client, editor):
    fail(client, "editor", LIMIT - 1)
    log_in(client, "editor")
    client.post(reverse("logout"))
    fail(client, "editor", LIMIT - 1)
    response = log_in(client, "editor")
    assert response.status_code == HTTPStatus.FOUND


def test_the_admin_login_is_locked_out_too(client, reviewer):
    fail(client, "reviewer", url=reverse("admin:login"))
    response = log_in(client, "reviewer", url=reverse("admin:login"))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert not is_logged_in(client)


def test_failures_on_the_site_and_the_admin_count_together(client, reviewer):
    fail(client, "reviewer", LIMIT - 1)
    response = log_in(client, "reviewer", "not-the-password", url=reverse("admin:login"))
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_lock_ends_after_the_cool_off(client, editor):
    fail(client, "editor")
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = log_in(client, "editor")
    assert response.status_code == HTTPStatus.FOUND
    assert is_logged_in(client)


def test_an_attempt_during_the_lock_starts_the_wait_again(client, editor):
    fail(client, "editor")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    log_in(client, "editor")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    response = log_in(client, "editor")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def staff_client(user):
    client = Client()
    client.force_login(user)
    return client


def delete_url(attempt):
    return reverse("admin:axes_accessattempt_delete", args=[attempt.pk])


def test_an_administrator_unlocks_a_pair_by_deleting_its_attempt(client, editor, superuser):
    fail(client, "editor")
    attempt = AccessAttempt.objects.get(username="editor", ip_address=HOME)
    response = staff_client(superuser).post(delete_url(attempt), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert log_in(client, "editor").status_code == HTTPStatus.FOUND
    assert is_logged_in(client)


def test_a_reviewer_unlocks_a_pair_by_deleting_its_attempt(client, editor, reviewer):
    fail(client, "editor")
    attempt = AccessAttempt.objects.get(username="editor", ip_address=HOME)
    response = staff_client(reviewer).post(delete_url(attempt), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert log_in(client, "editor").status_code == HTTPStatus.FOUND


def test_a_reviewer_unlocks_with_the_delete_selected_action(client, editor, reviewer):
    fail(client, "editor")
    attempt = AccessAttempt.objects.get(username="editor", ip_address=HOME)
    staff_client(reviewer).post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert log_in(client, "editor").status_code == HTTPStatus.FOUND


def test_a_reviewer_finds_locked_pairs_in_the_admin(client, editor, reviewer):
    fail(client, "editor")
    response = staff_client(reviewer).get(
        reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"}
    )
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["cl"].result_list) == list(AccessAttempt.objects.all())


def test_a_member_cannot_unlock(client, editor, viewer):
    fail(client, "editor")
    attempt = AccessAttempt.objects.get(username="editor", ip_address=HOME)
    response = staff_client(viewer).post(delete_url(attempt), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("admin:login"))
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_staff_outside_the_reviewers_group_cannot_unlock(client, editor):
    fail(client, "editor")
    attempt = AccessAttempt.objects.get(username="editor", ip_address=HOME)
    response = staff_client(UserFactory(is_staff=True)).post(delete_url(attempt), {"post": "yes"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_the_reviewers_group_may_view_and_delete_access_attempts_and_no_more_of_axes():
    codenames = set(
        Group.objects.get(name=REVIEWER_GROUP)
        .permissions.filter(content_type__app_label="axes")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_accessattempt", "delete_accessattempt"}

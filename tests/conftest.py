import pytest
from django.conf import settings
from django.test import override_settings

from localities.models import Membership
from tests.localities.factories import (
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)


def pytest_configure(config):
    # Real hashing costs ~0.3 s a user; tests prove permissions, not password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run as they are enqueued, so a test sees their outcome at once; the
    # job tests put the database backend back and run a worker themselves.
    # (override_settings, so django-tasks hears of it and drops the backend it has made.)
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        JOB_HEARTBEAT_SECONDS=0,
    ).enable()


@pytest.fixture
def locality(db):
    return LocalityFactory(name="Northgate", slug="northgate")


@pytest.fixture
def other_locality(db):
    return LocalityFactory(name="Riverside", slug="riverside")


def _member(locality, role, username):
    return MembershipFactory(locality=locality, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def lead(locality):
    return _member(locality, Membership.Role.LEAD, "lead")


@pytest.fixture
def editor(locality):
    return _member(locality, Membership.Role.EDITOR, "editor")


@pytest.fixture
def viewer(locality):
    return _member(locality, Membership.Role.VIEWER, "viewer")


@pytest.fixture
def outsider(other_locality):
    """A lead of another locality: powerful there, a stranger here."""
    return _member(other_locality, Membership.Role.LEAD, "outsider")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="reviewer")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def users(lead, editor, viewer, outsider, reviewer, superuser):
    """Every kind of user, by name, for permission matrices."""
    return {
        "lead": lead,
        "editor": editor,
        "viewer": viewer,
        "outsider": outsider,
        "reviewer": reviewer,
        "superuser": superuser,
    }


@pytest.fixture
def client_for(client):
    """A client logged in as the given user (None for anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def forms_without_the_utf8_gate(settings):
    """For tests of the forms' own guard against lone surrogates. In front of it,
    `config.middleware.Utf8OnlyMiddleware` refuses a body declared in UTF-7 outright (400,
    tests/test_client_address.py); it is taken away here so the crafted bodies reach the
    forms, as they would if a charset it lets through could carry one."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "config.middleware.Utf8OnlyMiddleware"
    ]

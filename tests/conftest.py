import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.test import override_settings

from blueprints.models import StarterQuestion
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


def ensure_starter_library() -> None:
    """Put back the starter questions a migration seeds, if they are gone.

    A transactional test (`django_db(transaction=True)`, the browser tests) ends by emptying
    every table; Django then recreates permissions and the reviewers' group (post_migrate),
    but not rows that a data migration added. A later test on the same worker that reads the
    migration's starter library would find none, depending on the order tests ran in."""
    if StarterQuestion.objects.exists():
        return
    migration = importlib.import_module(
        "blueprints.migrations.0010_delivery_questions_and_prototype_results"
    )
    migration.add_starter_questions(django_apps, None)


@pytest.fixture
def starter_library(db) -> None:
    """The starter questions as the migration seeds them (see `ensure_starter_library`)."""
    ensure_starter_library()


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


class Outcomes(list):
    """What each of several callables run at once returned, or the exception it raised, in
    the order they were given."""

    @property
    def errors(self) -> list[BaseException]:
        return [outcome for outcome in self if isinstance(outcome, BaseException)]

    def values(self) -> list:
        """Their return values; the first error, if any, is raised instead."""
        if self.errors:
            raise self.errors[0]
        return list(self)


def _run_together(*targets: Callable[[], object], timeout: float = 60) -> Outcomes:
    threads_outcomes: list = [None] * len(targets)
    barrier = threading.Barrier(len(targets))

    def run(index: int, target: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            threads_outcomes[index] = target()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            threads_outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [
        threading.Thread(target=run, args=(index, target)) for index, target in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer never finished"
    return Outcomes(threads_outcomes)


@pytest.fixture
def run_together():
    """Runs callables in threads released at the same moment (a barrier), each on its own
    database connection, closed after: for the tests of row locks, which need real commits
    (`django_db(transaction=True)`) and, to mean anything, PostgreSQL. Returns `Outcomes`:
    what each returned or raised, in order (`.errors`, or `.values()` to raise the first)."""
    return _run_together


@dataclass(frozen=True)
class SeededDemo:
    password: str
    output: str  # what `seed_demo` printed


DEMO_PASSWORD = "another-pass"


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker) -> SeededDemo:
    """The whole demo (`manage.py seed_demo --force`, DEBUG off), seeded once for the module
    that asks for it and rolled back after its last test: seeding takes seconds, and most demo
    tests only read what it made. Each test still runs in a savepoint of its own, so one that
    seeds again or changes something leaves the next the same data.

    Only for modules whose every test may see the demo (its users and localities would
    clash with the fixtures above)."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_starter_library()
        with override_settings(DEBUG=False):
            call_command("seed_demo", "--force", "--password", DEMO_PASSWORD, stdout=out)
        yield SeededDemo(password=DEMO_PASSWORD, output=out.getvalue())
        transaction.set_rollback(True)

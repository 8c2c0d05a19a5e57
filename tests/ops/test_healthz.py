"""/healthz: what a load balancer or monitor probes. 200 when the database, Redis (when
configured) and the task queue are all well, 503 naming the part that is not; over plain
HTTP even when every other page redirects to HTTPS."""

import datetime
from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from tests.ops.conftest import Browser, app_environment

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOBODY_LISTENING = "redis://127.0.0.1:1/7"  # port 1: connection refused at once


def parts(response) -> dict[str, str]:
    """The body's `part: state` lines, by part."""
    lines = response.content.decode().splitlines()[1:]
    return dict(line.split(": ", 1) for line in lines)


@pytest.fixture(autouse=True)
def database_queue(settings):
    """The suite runs tasks immediately; production queues them in the database."""
    settings.TASKS = DATABASE_QUEUE
    settings.HEALTHZ_MAX_TASK_WAIT_SECONDS = 300


@pytest.fixture
def redis_cache(settings):
    def use(location: str) -> None:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": location,
                "KEY_PREFIX": "bp-ops-healthz",
            }
        }

    return use


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)


def waiting_task(*, waited: float, run_after: datetime.datetime | None = None) -> DBTaskResult:
    """A task in the queue, enqueued `waited` seconds ago, not yet picked up by a worker."""
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="blueprints.jobs.run_job",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    enqueued_at = timezone.now() - datetime.timedelta(seconds=waited)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=enqueued_at)
    return task


# All well --------------------------------------------------------------------------------


def test_healthz_answers_200_naming_each_part_when_all_answer(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().splitlines()[0] == "ok"
    assert parts(response) == {
        "database": "ok",
        "redis": "not configured",
        "tasks": "0 waiting",
    }


def test_healthz_is_two_queries(client, django_assert_max_num_queries):
    waiting_task(waited=5)
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert parts(response)["tasks"].startswith("1 waiting")


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]


# The database ----------------------------------------------------------------------------


def test_healthz_answers_503_when_the_database_does_not_answer(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.content.decode().splitlines()[0] == "unavailable"
    assert parts(response)["database"] == "unavailable"
    assert parts(response)["tasks"] == "unknown: the database did not answer"


# Redis -----------------------------------------------------------------------------------


def test_healthz_says_redis_is_not_configured_with_the_local_memory_cache(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert parts(response)["redis"] == "not configured"


def test_healthz_pings_redis_when_it_is_configured(client, redis_cache, test_redis):
    redis_cache(test_redis.url)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert parts(response)["redis"] == "ok"


def test_healthz_answers_503_when_redis_does_not_answer(client, redis_cache):
    redis_cache(NOBODY_LISTENING)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert parts(response)["redis"] == "unavailable"
    assert parts(response)["database"] == "ok"


# The task queue --------------------------------------------------------------------------


def test_healthz_counts_waiting_tasks_and_the_oldest_wait(client):
    waiting_task(waited=40)
    waiting_task(waited=100)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    count, oldest = parts(response)["tasks"].split(", ")
    assert count == "2 waiting"
    assert oldest.startswith("oldest ")
    assert 100 <= int(oldest.split()[1]) < 130


def test_healthz_answers_503_when_a_task_has_waited_too_long(client):
    waiting_task(waited=301)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "over 300 s: is a worker running?" in parts(response)["tasks"]


def test_the_longest_wait_comes_from_the_setting(client, settings):
    settings.HEALTHZ_MAX_TASK_WAIT_SECONDS = 30
    waiting_task(waited=60)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_a_task_due_later_is_not_waiting(client):
    waiting_task(waited=3600, run_after=timezone.now() + datetime.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert parts(response)["tasks"] == "0 waiting"


def test_a_task_that_came_due_waits_from_when_it_was_due(client):
    waiting_task(waited=3600, run_after=timezone.now() - datetime.timedelta(seconds=20))
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert parts(response)["tasks"].startswith("1 waiting, oldest 2")


def test_running_and_finished_tasks_are_not_waiting(client):
    for status in ("RUNNING", "SUCCESSFUL", "FAILED"):
        task = waiting_task(waited=3600)
        DBTaskResult.objects.filter(pk=task.pk).update(status=status)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert parts(response)["tasks"] == "0 waiting"


def test_healthz_does_not_read_the_queue_when_tasks_are_not_queued_in_the_database(
    client, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    waiting_task(waited=3600)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert parts(response)["tasks"] == "not queued in the database (ImmediateBackend)"


# The HTTPS redirect ----------------------------------------------------------------------


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True


def test_plain_http_healthz_answers_200_with_the_https_redirect_on(client, production):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK


def test_plain_http_to_another_page_redirects_to_https(client, production):
    response = client.get("/accounts/login/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "https://testserver/accounts/login/"


def test_plain_http_healthz_answers_503_when_the_database_is_down_with_the_redirect_on(
    client, production, database_down
):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


# The same, from a server started with production settings ----------------------------------


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-like-secret-for-the-healthz-test-9f3b0c1d8e7a6b5c4d3e",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://blueprint.example.org",
}


def test_a_production_server_answers_healthz_over_plain_http_and_redirects_the_rest(
    app_database, app_servers
):
    server = app_servers(app_environment(DATABASE_URL=app_database, **PRODUCTION))
    browser = Browser(port=server.port)
    health = browser.get("/healthz")
    assert health.status == HTTPStatus.OK, health.body
    assert health.body.splitlines()[:2] == ["ok", "database: ok"]
    login = browser.get("/accounts/login/")
    assert login.status == HTTPStatus.MOVED_PERMANENTLY
    assert login.headers["location"] == f"https://127.0.0.1:{server.port}/accounts/login/"


def test_a_production_server_whose_database_is_down_answers_503(app_servers):
    database = "postgres://postgres@127.0.0.1:1/bp_ops_nowhere"  # port 1: nobody listens
    server = app_servers(app_environment(DATABASE_URL=database, **PRODUCTION))
    health = Browser(port=server.port).get("/healthz")
    assert health.status == HTTPStatus.SERVICE_UNAVAILABLE, health.body
    assert "database: unavailable" in health.body.splitlines()

"""`/healthz`: what a load balancer or monitor probes, one line per part of the service.

It lives with the localities pages because `localities` is the lowest app and the probe
reads nothing of any app's data; config/urls.py routes it.
"""

import logging
from http import HTTPStatus
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """What a load balancer or monitor probes: 200 when every part answers, 503 when one
    does not, with a `part: state` line for each below the first line ("ok" or
    "unavailable"). Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), since probes
    speak plain HTTP to the app itself.

    The parts: the database (SELECT 1); Redis when the cache is there (PING); and the task
    queue, when tasks are queued in the database: how many wait for a worker and for how
    long. A task waiting longer than HEALTHZ_MAX_TASK_WAIT_SECONDS means no worker is
    running. Two queries; the queue's uses django-tasks-db's index of ready tasks.
    """
    database = _database_state()
    states = {
        "database": database,
        "redis": _redis_state(),
        "tasks": _task_queue_state(database_answers=database.healthy),
    }
    healthy = all(state.healthy for state in states.values())
    lines = ["ok" if healthy else "unavailable"]
    lines += [f"{part}: {state.text}" for part, state in states.items()]
    return HttpResponse(
        "\n".join(lines) + "\n",
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
        content_type="text/plain; charset=utf-8",
    )


class PartState(NamedTuple):
    text: str
    healthy: bool


def _database_state() -> PartState:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("healthz: the database did not answer: %s", error)
        return PartState("unavailable", False)
    return PartState("ok", True)


def _redis_state() -> PartState:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return PartState("not configured", True)
    try:
        # Django's RedisCache has no public ping; its client is the one every request uses.
        cache._cache.get_client(write=True).ping()
    except RedisError as error:
        logger.warning("healthz: Redis did not answer: %s", error)
        return PartState("unavailable", False)
    return PartState("ok", True)


def _task_queue_state(*, database_answers: bool) -> PartState:
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return PartState(f"not queued in the database ({type(backend).__name__})", True)
    if not database_answers:
        return PartState("unknown: the database did not answer", False)
    # A task waits from when it was enqueued, or from when it came due if it was deferred.
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    try:
        queue = DBTaskResult.objects.ready().aggregate(
            waiting=Count("pk"), since=Min(waiting_since)
        )
    except DatabaseError as error:
        logger.warning("healthz: the task queue could not be read: %s", error)
        return PartState("unavailable", False)
    if not queue["waiting"]:
        return PartState("0 waiting", True)
    wait = (timezone.now() - queue["since"]).total_seconds()
    text = f"{queue['waiting']} waiting, oldest {wait:.0f} s"
    limit = settings.HEALTHZ_MAX_TASK_WAIT_SECONDS
    if wait > limit:
        return PartState(f"{text} (over {limit:g} s: is a worker running?)", False)
    return PartState(text, True)

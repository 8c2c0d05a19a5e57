"""Two app processes sharing Redis (issue 16): a card edited through one (an HTTP post, as a
browser sends it) reaches a socket opened on the other.

Both are daphne processes with REDIS_URL set (a Redis database of their own, 5 unless
LIVE_TEST_REDIS_URL says otherwise), serving the test's data: on PostgreSQL the test
database itself, on SQLite a copy of the in-memory test database in a file. Skipped without
a Redis to talk to, except in CI (which starts one), where that fails.
"""

import asyncio
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connections
from django.test import Client

from blueprints.models import Lane
from tests.blueprints.factories import CardFactory, lane

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("LIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"No Redis at {REDIS_URL}: CI must run this test")
        pytest.skip(f"No Redis at {REDIS_URL}")
    return REDIS_URL


def shared_database_url(tmp_path) -> str:
    """A DATABASE_URL other processes can open, holding the test's data as it is now."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(database_url: str, redis_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).close()
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("the app process did not start")


def session_of(user) -> str:
    """A session made here, before the processes copy the database (they check passwords
    with the production hashers, these tests' users have cheap ones)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def csrf_token_from(url: str) -> str:
    """The CSRF cookie the site sets on its login page: a browser's token."""
    with urllib.request.urlopen(url + "/accounts/login/") as response:
        cookies = response.headers.get_all("Set-Cookie")
    return next(re.match(r"csrftoken=([^;]+)", c).group(1) for c in cookies if "csrftoken=" in c)


async def hear_change(socket_url: str, origin: str, session: str, edit) -> dict:
    from websockets.asyncio.client import connect

    async with connect(
        socket_url, origin=origin, additional_headers={"Cookie": f"sessionid={session}"}
    ) as ws:
        assert json.loads(await ws.recv())["type"] == "welcome"
        await asyncio.to_thread(edit)
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if message["type"] == "changed":
                return message


def test_an_edit_through_one_process_reaches_a_socket_on_the_other(
    tmp_path, redis_url, blueprint, editor, viewer
):
    card = CardFactory(
        blueprint=blueprint, lane=lane(blueprint, Lane.Role.FAMILY), title="Library visit"
    )
    viewer_session, editor_session = session_of(viewer), session_of(editor)
    database_url = shared_database_url(tmp_path)
    first, first_url = start_app(database_url, redis_url)
    second, second_url = start_app(database_url, redis_url)
    try:
        csrf_token = csrf_token_from(second_url)
        edit_url = (
            f"{second_url}/localities/{blueprint.locality.slug}/blueprints/{blueprint.pk}"
            f"/cards/{card.pk}/edit/"
        )

        def edit():
            form = {
                "title": "Library walk",
                "details": "",
                "kind": "step",
                "version": card.version,
                "csrfmiddlewaretoken": csrf_token,
            }
            request = urllib.request.Request(
                edit_url,
                data=urllib.parse.urlencode(form).encode(),
                headers={"Cookie": f"sessionid={editor_session}; csrftoken={csrf_token}"},
            )
            with urllib.request.urlopen(request) as response:  # follows the redirect
                assert response.status == HTTPStatus.OK

        message = asyncio.run(
            hear_change(
                first_url.replace("http://", "ws://") + f"/ws/blueprints/{blueprint.pk}/",
                first_url,
                viewer_session,
                edit,
            )
        )
    finally:
        for process in (first, second):
            process.terminate()
            process.wait(timeout=10)
    assert message["by"] == editor.get_full_name()
    assert message["version"] == blueprint.version + 1  # the edit's
    if connections["default"].vendor != "sqlite":  # on SQLite the processes wrote a copy
        card.refresh_from_db()
        assert card.title == "Library walk"

"""Helpers for tests that run the app as it runs in production: real gunicorn processes on
a real, migrated database of their own, spoken to over HTTP.

The suite's own test database cannot serve them (an in-memory SQLite, or a PostgreSQL
database inside the suite's transactions), so each gets a fresh one: a SQLite file in
tmp, or a `bp_ops_*` PostgreSQL database on the suite's server when the suite runs there.
Every server binds port 0 (gunicorn logs the port it got) and is stopped at teardown,
even when the test fails.
"""

import http.client
import json
import os
import random
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import dj_database_url
import gunicorn.config
import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Settings the app reads from the environment: a server gets only the ones a test gives.
APP_ENVIRONMENT = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "REDIS_URL",
    "SITE_URL",
    "TASKS_BACKEND",
    "CONSULT_SUBMISSIONS_PER_HOUR",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "HEALTHZ_MAX_TASK_WAIT_SECONDS",
    "LOG_LEVEL",
)

SERVER_START_SECONDS = 60


def app_environment(**values: str | None) -> dict[str, str]:
    """This process's environment without the app's settings, plus `values` (None: unset)."""
    env = {key: value for key, value in os.environ.items() if key not in APP_ENVIRONMENT}
    env["PYTHONUNBUFFERED"] = "1"
    env.update({key: value for key, value in values.items() if value is not None})
    return env


def manage(
    *args: str, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a child process; the test fails with its stderr if the command does."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result


def run_script(code: str, *, database_url: str) -> dict:
    """Run Python in `manage.py shell` against the database; it prints one JSON line last."""
    result = manage("shell", "-c", code, env=app_environment(DATABASE_URL=database_url))
    return json.loads(result.stdout.strip().splitlines()[-1])


def migrate(database_url: str) -> None:
    manage("migrate", "--noinput", env=app_environment(DATABASE_URL=database_url))


def query_value(database_url: str, sql: str, *params) -> object:
    """The first column of the first row of `sql` (`%s` placeholders), read straight from
    the database the servers use: quicker than a `manage.py shell`, and it trusts nothing
    of the app's."""
    parsed = dj_database_url.parse(database_url)
    if parsed["ENGINE"].endswith("sqlite3"):
        with closing(sqlite3.connect(parsed["NAME"], timeout=30)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchone()[0]
    db = psycopg2.connect(
        dbname=parsed["NAME"],
        host=parsed["HOST"],
        port=parsed["PORT"],
        user=parsed["USER"],
        password=parsed["PASSWORD"],
    )
    try:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    finally:
        db.close()


def suite_runs_on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class PostgresServer:
    """The suite's PostgreSQL server, where throwaway `bp_ops_*` databases are made."""

    host: str
    port: str
    user: str
    password: str

    @classmethod
    def of_the_suite(cls) -> "PostgresServer":
        db = settings.DATABASES["default"]
        return cls(
            host=db.get("HOST") or "127.0.0.1",
            port=str(db.get("PORT") or 5432),
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or "",
        )

    def url(self, name: str) -> str:
        secret = f":{quote(self.password, safe='')}" if self.password else ""
        return f"postgres://{self.user}{secret}@{self.host}:{self.port}/{name}"

    def execute(self, sql: str) -> None:
        admin = psycopg2.connect(
            dbname="postgres",
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
        )
        try:
            admin.autocommit = True  # CREATE and DROP DATABASE refuse to run in a transaction
            with admin.cursor() as cursor:
                cursor.execute(sql)
        finally:
            admin.close()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Iterator[str]:
    """One migrated database per run, copied for each test module that needs one (migrating
    takes seconds; a copy takes milliseconds). On the suite's PostgreSQL server when the
    suite runs there, else a SQLite file."""
    if not suite_runs_on_postgresql():
        url = sqlite_url(tmp_path_factory.mktemp("template") / "db.sqlite3")
        migrate(url)
        yield url
        return
    server = PostgresServer.of_the_suite()
    name = f"bp_ops_template_{secrets.token_hex(4)}"
    server.execute(f"CREATE DATABASE {name}")
    try:
        migrate(server.url(name))
        yield server.url(name)
    finally:
        server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def copy_database(template_url: str, directory: Path) -> Iterator[str]:
    """A copy of the migrated template, removed afterwards (a generator, for fixtures)."""
    parsed = dj_database_url.parse(template_url)
    if parsed["ENGINE"].endswith("sqlite3"):
        path = directory / "db.sqlite3"
        with (
            closing(sqlite3.connect(parsed["NAME"])) as source,
            closing(sqlite3.connect(path)) as target,
        ):
            source.backup(target)
        yield sqlite_url(path)
        return
    server = PostgresServer.of_the_suite()
    name = f"bp_ops_{secrets.token_hex(4)}"
    server.execute(f"CREATE DATABASE {name} TEMPLATE {parsed['NAME']}")
    try:
        yield server.url(name)
    finally:
        server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def app_database(migrated_template, tmp_path_factory) -> Iterator[str]:
    """A migrated database of the suite's kind, for the servers of one test module."""
    yield from copy_database(migrated_template, tmp_path_factory.mktemp("app-db"))


@dataclass
class AppServer:
    """One gunicorn master (and its workers) serving the app on 127.0.0.1:<port>."""

    process: subprocess.Popen
    log: Path
    port: int = 0

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        # The master was started in a session of its own: its group is it and its workers.
        # SIGINT is gunicorn's quick shutdown (SIGTERM waits for requests to finish).
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


# gunicorn 25+ opens a control socket at one fixed path, which servers started side by side
# would fight over; older versions have no such socket, nor the option.
NO_CONTROL_SOCKET = (
    ["--no-control-socket"] if hasattr(gunicorn.config, "ControlSocketDisable") else []
)

LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def start_server(
    env: dict[str, str], log: Path, *, workers: int = 1, threads: int = 1
) -> AppServer:
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                *NO_CONTROL_SOCKET,
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = AppServer(process=process, log=log)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        found = LISTENING.search(server.log_text())
        if found:
            server.port = int(found.group(1))
            return server
        if process.poll() is not None:
            break
        time.sleep(0.05)
    server.stop()
    raise AssertionError(f"gunicorn did not start:\n{server.log_text()}")


@pytest.fixture
def app_servers(tmp_path) -> Iterator:
    """`start(env, workers=, threads=)` starts a server; every one is stopped at teardown."""
    servers: list[AppServer] = []

    def start(env: dict[str, str], **options: int) -> AppServer:
        log = tmp_path / f"gunicorn-{len(servers)}.log"
        servers.append(start_server(env, log, **options))
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Browser:
    """A small HTTP client for one server: keeps cookies, and can send from a chosen loopback
    address (the app tells clients apart by REMOTE_ADDR)."""

    port: int
    source_address: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source_address, 0)
        )
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data, doseq=True)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
            return Answer(
                status=response.status,
                headers={name.lower(): value for name, value in response.getheaders()},
                body=response.read().decode(errors="replace"),
            )
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Answer:
        return self.request("POST", path, data=data, **kwargs)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(page: Answer) -> str:
    found = CSRF_INPUT.search(page.body)
    assert found, f"no CSRF token in the page ({page.status}):\n{page.body[:500]}"
    return found.group(1)


def loopback_address() -> str:
    """A loopback address of this test's own, so the app's per-address counts are too."""
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


# Redis for tests: never database 0 (the one a developer's own app uses).
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")


@dataclass
class TestRedis:
    url: str
    client: "redis.Redis"
    patterns: list[str] = field(default_factory=list)

    def forget_afterwards(self, pattern: str) -> None:
        """Delete the keys matching `pattern` when the test ends."""
        self.patterns.append(pattern)

    def clean_up(self) -> None:
        for pattern in self.patterns:
            for key in list(self.client.scan_iter(match=pattern)):
                self.client.delete(key)
        self.client.close()


@pytest.fixture
def test_redis() -> Iterator[TestRedis]:
    """The local Redis (REDIS_TEST_URL): skipped when it is not running here; in CI, which
    starts it, its absence fails the test instead."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        message = f"Redis is not reachable at {REDIS_TEST_URL} ({error}); start redis-server"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    shared = TestRedis(url=REDIS_TEST_URL, client=client)
    try:
        yield shared
    finally:
        shared.clean_up()

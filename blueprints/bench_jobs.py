"""`make bench`: background jobs under load, with real processes.

A database of its own (a SQLite file, or a PostgreSQL database beside the bench's when it
runs on PostgreSQL), gunicorn with two workers, and four task workers (at lower priority, as
config/Procfile runs them). Four locality reports of 300-card blueprints are asked for at
once; while the workers render them, the bench times a page (the dashboard) and /healthz
over HTTP. Targets (issue 9): the request that queues a report answers in under 100 ms; the
page stays under 200 ms and /healthz under 50 ms while the reports render.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
REPORTS = 4
PASSWORD = "bench-password-1"

SETUP = f"""
from django.contrib.auth import get_user_model
from blueprints.exports.bench import make_blueprint
from localities.models import Locality, Membership
user = get_user_model().objects.create_user("bench", password="{PASSWORD}")
for i in range({REPORTS}):
    place = Locality.objects.create(name=f"Bench site {{i}}", slug=f"bench-{{i}}", area="Bench")
    Membership.objects.create(locality=place, user=user, role=Membership.Role.VIEWER)
    make_blueprint(place, cards=300, phases=6, title=f"Bench blueprint {{i}}")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )

    def get(self, path: str) -> tuple[int, str, dict, float]:
        started = time.perf_counter()
        try:
            response = self.opener.open(self.base + path, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        body = response.read().decode(errors="replace")
        return response.status, body, dict(response.headers), time.perf_counter() - started

    def login(self) -> None:
        _, body, _, _ = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        data = urllib.parse.urlencode(
            {"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base}
        )
        try:
            self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            if error.code != 302:
                raise


def _database(workdir: str) -> tuple[str, callable]:
    """A fresh database for the bench's processes, and how to remove it."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        name = f"bench_jobs_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"

        def drop() -> None:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return url, drop
    return f"sqlite:///{workdir}/bench.sqlite3", lambda: None


def bench_jobs(stdout) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        url, drop = _database(workdir)
        env = {**os.environ, "DATABASE_URL": url, "JOB_HEARTBEAT_SECONDS": "2"}
        processes: list[subprocess.Popen] = []
        try:
            manage = [sys.executable, "manage.py"]
            subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
            subprocess.run([*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True)
            port = _free_port()
            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
                    + ["--bind", f"127.0.0.1:{port}", "--workers", "2"],
                    cwd=ROOT,
                    env=env,
                    start_new_session=True,
                    **quiet,
                )
            )
            for _ in range(REPORTS):
                processes.append(
                    subprocess.Popen(
                        ["nice", "-n", "10", *manage, "db_worker", "--no-reload"]
                        + ["--interval", "0.2", "--no-startup-delay"],
                        cwd=ROOT,
                        env=env,
                        start_new_session=True,
                        **quiet,
                    )
                )
            browser = _Browser(f"http://127.0.0.1:{port}")
            for _ in range(100):
                try:
                    if browser.get("/healthz")[0] in (200, 503):
                        break
                except OSError:
                    time.sleep(0.2)
            browser.login()
            browser.get("/")  # warm the page once

            enqueue, job_pages = [], []
            for i in range(REPORTS):
                status, _, headers, seconds = browser.get(f"/localities/bench-{i}/report.pdf")
                assert status == 302, status
                enqueue.append(seconds)
                job_pages.append(headers["Location"])

            page_times, health_times = [], []
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                page_times.append(browser.get("/")[3])
                health_times.append(browser.get("/healthz")[3])
                done = sum("It is ready." in browser.get(page)[1] for page in job_pages)
                if done == REPORTS:
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError("the reports did not finish within 5 minutes")
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            drop()

    def line(what: str, times: list[float], target_ms: int) -> None:
        median = statistics.median(times) * 1000
        worst = max(times) * 1000
        verdict = "ok" if median < target_ms else "OVER TARGET"
        stdout.write(
            f"jobs: {what}: median {median:.1f} ms, worst {worst:.1f} ms over {len(times)} "
            f"(target {target_ms} ms: {verdict})"
        )

    line("queue a locality report", enqueue, 100)
    line(f"dashboard while {REPORTS} reports render", page_times, 200)
    line(f"/healthz while {REPORTS} reports render", health_times, 50)

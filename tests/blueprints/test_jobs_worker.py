"""Jobs with real workers: `manage.py db_worker` processes against the test database.

A 2,000-card import and a 1,500-card locality report are made by a worker while the page
shows their progress; a worker killed in the middle of an import leaves no partial
blueprint, and the job is retried and finishes once.

PostgreSQL only: the worker is another process, and the SQLite test database lives in this
process's memory.
"""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from blueprints import jobs
from blueprints.exports.bench import make_blueprint
from blueprints.interchange import json_export
from blueprints.models import Blueprint, Card, Job
from localities.models import Locality

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the worker process needs a shared database"
    ),
]


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "JOB_HEARTBEAT_SECONDS": "0.5",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.2", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def watch(client, url: str, until, *, seconds: float = 120) -> list[str]:
    """Poll the job's page as htmx does, until `until(page)`; return each step seen."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(url, headers={"HX-Request": "true"}).text
        step = page.split('aria-current="step">', 1)[1].split("<", 1)[0]
        if not seen or seen[-1] != step:
            seen.append(step)
        if until(page):
            return seen
        if "3. Failed" in page:
            raise AssertionError(f"the job failed: {page}")
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting; steps seen: {seen}")


@pytest.fixture
def document(locality, editor) -> bytes:
    """A 2,000-card blueprint as JSON, from a blueprint made and then removed."""
    source = make_blueprint(locality, cards=2000, phases=8, title="Two thousand cards", by=editor)
    content = json.dumps(json_export.strip_ids(json_export.export_document(source))).encode()
    source.delete()
    return content


def upload(client, content: bytes):
    return client.post(
        reverse("blueprints:import-json", args=["northgate"]),
        {
            "file": SimpleUploadedFile("big.json", content, "application/json"),
            "title": "Imported big",
            "upload_key": "6a1c2a0e-3f6b-4f0e-8e27-bb1f4f1b9d01",
        },
    )


def test_a_2000_card_import_survives_a_killed_worker_and_imports_once(
    client_for, editor, document, settings
):
    """The page shows the import queued, then under way; the worker is killed once it is writing
    (nothing is saved); the job is retried, shown so, and a second worker finishes it.

    The page is polled (`watch`) as its htmx does: the worker is another process, and the
    page is what the test is about."""
    settings.JOB_STALE_SECONDS = 2
    client = client_for(editor)
    location = upload(client, document)["Location"]
    job = Job.objects.get()
    worker = start_worker()
    try:
        seen = watch(client, location, lambda page: "Writing 2,000 cards" in page, seconds=60)
    finally:
        stop(worker)  # SIGKILL: no chance to tidy up
    assert seen[0] == "1. Queued"
    assert seen[-1] == "2. Importing"
    assert not Blueprint.objects.filter(title="Imported big").exists()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING

    # The killed worker beats no more: move its last beat back past JOB_STALE_SECONDS rather
    # than wait that long.
    quiet_since = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=quiet_since, started_at=quiet_since)
    page = client.get(location).text
    assert "The worker stopped; trying again" in page
    job.refresh_from_db()
    assert (job.status, job.attempt) == (Job.Status.QUEUED, 2)

    worker = start_worker()
    try:
        seen = watch(client, location, lambda page: "Imported “" in page, seconds=180)
    finally:
        stop(worker)
    assert seen[-1] == "3. Ready"
    assert "Imported “Imported big”." in client.get(location).text
    imported = Blueprint.objects.get(title="Imported big")
    assert Card.objects.filter(blueprint=imported).count() == 2000


def test_a_1500_card_report_is_made_by_a_worker(client_for, viewer, locality, editor):
    make_blueprint(locality, cards=1500, phases=8, title="Fifteen hundred cards", by=editor)
    client = client_for(viewer)
    response = client.get(reverse("blueprints:locality-report-pdf", args=["northgate"]))
    assert response.status_code == HTTPStatus.FOUND
    worker = start_worker()
    try:
        seen = watch(client, response["Location"], lambda page: "It is ready." in page)
    finally:
        stop(worker)
    assert seen[0] == "1. Queued"
    assert "2. Rendering" in seen
    download = client.get(response["Location"] + "download/")
    assert download.content.startswith(b"%PDF")
    assert Locality.objects.get(slug="northgate").jobs.get().status == Job.Status.READY


def test_six_tabs_asking_for_the_report_at_once_share_one_job(
    viewer, locality, editor, run_together
):
    make_blueprint(locality, cards=20, phases=4, title="Twenty cards", by=editor)
    run_together(
        *[lambda: jobs.start_locality_report(locality=locality, user=viewer) for _ in range(6)]
    ).values()
    assert Job.objects.count() == 1

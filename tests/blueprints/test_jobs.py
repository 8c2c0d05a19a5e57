"""Background jobs: the report, large PDFs, large imports and the admin's batch export go
to a worker; the page shows their progress and then the result; a job whose worker died is
retried once, then failed, visibly; an upload imports once however often it is sent.

These tests use the database task backend, as production does, and run the queued tasks
with django-tasks-db's own worker code (`run_queued`), so nothing runs until they say so.
"""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from blueprints import jobs
from blueprints.interchange import json_export
from blueprints.models import Blueprint, Job
from tests.blueprints.factories import BlueprintFactory, CardFactory
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JOB_HEARTBEAT_SECONDS = 0
    settings.JOB_STALE_SECONDS = 60


def run_queued() -> int:
    """Run every waiting task as a db_worker would; return how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


def report_url(slug="northgate"):
    return reverse("blueprints:locality-report-pdf", args=[slug])


@pytest.fixture
def blueprint(locality, editor):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks", by=editor)
    CardFactory(blueprint=blueprint, title="Meets the guide at the library")
    return blueprint


# The locality report ----------------------------------------------------------------------


def test_report_is_queued_and_the_page_says_so(client_for, viewer, blueprint):
    client = client_for(viewer)
    response = client.get(report_url())
    assert response.status_code == HTTPStatus.FOUND
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert "Report of Northgate" in page.text
    assert 'aria-current="step">1. Queued' in page.text
    assert f'hx-get="{job.get_absolute_url()}?seen=queued' in page.text
    assert page["Cache-Control"] == "private, no-store"


def test_the_htmx_poll_gets_the_status_alone(client_for, viewer, blueprint):
    client = client_for(viewer)
    location = client.get(report_url())["Location"]
    fragment = client.get(location, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith("{#") or fragment.text.lstrip().startswith(
        '<section id="job-status"'
    )
    assert "<html" not in fragment.text


def test_the_poll_gets_nothing_to_swap_while_the_state_is_unchanged(client_for, viewer, blueprint):
    client = client_for(viewer)
    location = client.get(report_url())["Location"]
    seen = "queued:1:Waiting for a worker"
    same = client.get(location, {"seen": seen}, headers={"HX-Request": "true"})
    assert same.status_code == HTTPStatus.NO_CONTENT
    run_queued()
    changed = client.get(location, {"seen": seen}, headers={"HX-Request": "true"})
    assert changed.status_code == HTTPStatus.OK
    assert "It is ready." in changed.text


def test_once_the_worker_has_run_the_page_offers_the_pdf(client_for, viewer, blueprint):
    client = client_for(viewer)
    location = client.get(report_url())["Location"]
    assert run_queued() == 1
    page = client.get(location)
    assert "It is ready." in page.text
    assert "hx-trigger" not in page.text  # polling stops
    download = client.get(location + "download/")
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert download["Cache-Control"] == "private, no-store"


def test_a_ready_report_of_unchanged_content_is_served_at_once(client_for, viewer, blueprint):
    client = client_for(viewer)
    client.get(report_url())
    run_queued()
    again = client.get(report_url())
    assert again.status_code == HTTPStatus.OK
    assert again.content.startswith(b"%PDF")
    assert Job.objects.count() == 1


def test_asking_twice_before_it_is_made_queues_one_job(client_for, viewer, blueprint):
    client = client_for(viewer)
    first = client.get(report_url())["Location"]
    second = client.get(report_url())["Location"]
    assert first == second
    assert DBTaskResult.objects.count() == 1


def test_changed_content_makes_a_new_report(client_for, viewer, locality, blueprint):
    client = client_for(viewer)
    client.get(report_url())
    run_queued()
    InsightFactory(locality=locality, statement="Grandparents do the school run")
    response = client.get(report_url())
    assert response.status_code == HTTPStatus.FOUND
    assert Job.objects.count() == 2


def test_a_report_too_large_fails_with_its_reason(client_for, viewer, blueprint, monkeypatch):
    from blueprints.exports import report

    monkeypatch.setattr(report, "MAX_CARDS", 0)
    client = client_for(viewer)
    location = client.get(report_url())["Location"]
    run_queued()
    page = client.get(location)
    assert 'role="alert"' in page.text
    assert "a report can hold at most 0" in page.text
    assert client.get(location + "download/")["Location"] == location


def test_an_unexpected_error_fails_the_job_without_details(
    client_for, viewer, blueprint, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(jobs.report, "render_locality_report", broken)
    client = client_for(viewer)
    location = client.get(report_url())["Location"]
    run_queued()
    page = client.get(location)
    assert Job.objects.get().status == Job.Status.FAILED
    assert "Something went wrong while making this" in page.text
    assert "secret internals" not in page.text


# Who may see a job ------------------------------------------------------------------------


@pytest.fixture
def job_url(client_for, viewer, blueprint):
    url = client_for(viewer).get(report_url())["Location"]
    run_queued()
    return url


@pytest.mark.parametrize("who", ["editor", "lead", "outsider", "reviewer"])
def test_a_job_is_its_requesters_alone(client_for, users, job_url, who):
    client = client_for(users[who])
    assert client.get(job_url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(job_url + "download/").status_code == HTTPStatus.NOT_FOUND


def test_anonymous_is_sent_to_login(client_for, job_url):
    response = client_for(None).get(job_url + "download/")
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("login") in response["Location"]


def test_a_requester_who_has_left_the_locality_loses_the_job(client_for, viewer, job_url):
    viewer.memberships.all().delete()
    assert client_for(viewer).get(job_url).status_code == HTTPStatus.NOT_FOUND


def test_an_unknown_job_is_404(client_for, viewer):
    url = reverse("jobs:detail", args=["5b0e1a52-8ad6-4a11-9b57-3f0e7a1d2c11"])
    assert client_for(viewer).get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_job_page_costs_the_same_queries_whatever_the_report(
    client_for, viewer, job_url, django_assert_max_num_queries
):
    client = client_for(viewer)
    with django_assert_max_num_queries(8):
        response = client.get(job_url)
    assert response.status_code == HTTPStatus.OK
    assert "It is ready." in response.text


# Large blueprint PDFs ---------------------------------------------------------------------


def test_a_large_blueprint_pdf_goes_to_a_worker(client_for, viewer, blueprint, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_MAX_CARDS", 0)
    client = client_for(viewer)
    url = reverse("blueprints:export-pdf", args=["northgate", blueprint.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert "PDF of “Welcome walks”" in client.get(response["Location"]).text
    run_queued()
    again = client.get(url)  # now in the cache
    assert again.status_code == HTTPStatus.OK
    assert again.content.startswith(b"%PDF")


def test_a_small_blueprint_pdf_is_made_in_the_request(client_for, viewer, blueprint):
    url = reverse("blueprints:export-pdf", args=["northgate", blueprint.pk])
    response = client_for(viewer).get(url)
    assert response.status_code == HTTPStatus.OK
    assert not Job.objects.exists()


# Imports ----------------------------------------------------------------------------------


@pytest.fixture
def upload(blueprint):
    return json_export.export_json(blueprint).encode()


def import_post(client, content, key="0b9f3f5e-7d0a-4f7e-9d89-2f6f7d3a1c20", title="Copy"):
    return client.post(
        reverse("blueprints:import-json", args=["northgate"]),
        {
            "file": SimpleUploadedFile("b.json", content, "application/json"),
            "title": title,
            "upload_key": key,
        },
    )


def test_the_import_form_carries_a_fresh_upload_key(client_for, editor):
    url = reverse("blueprints:import-json", args=["northgate"])
    first = client_for(editor).get(url).context["form"].initial["upload_key"]
    second = client_for(editor).get(url).context["form"].initial["upload_key"]
    assert first != second


def test_a_large_import_is_queued_and_writes_nothing_yet(client_for, editor, upload, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_MAX_CARDS", 0)
    client = client_for(editor)
    response = import_post(client, upload)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/jobs/")
    assert not Blueprint.objects.filter(title="Copy").exists()
    assert "Importing a blueprint into Northgate" in client.get(response["Location"]).text


def test_a_queued_import_is_done_by_the_worker(client_for, editor, upload, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_MAX_CARDS", 0)
    client = client_for(editor)
    location = import_post(client, upload)["Location"]
    run_queued()
    copy = Blueprint.objects.get(title="Copy")
    assert copy.cards.get().title == "Meets the guide at the library"
    page = client.get(location)
    assert "Imported “Copy”." in page.text
    assert f'href="/localities/northgate/blueprints/{copy.pk}/"' in page.text
    assert Job.objects.get().payload is None  # the upload is not kept once it is done


@pytest.mark.parametrize("inline", [True, False])
def test_sending_the_same_upload_again_imports_once(
    client_for, editor, upload, monkeypatch, inline
):
    if not inline:
        monkeypatch.setattr(jobs, "INLINE_MAX_CARDS", 0)
    client = client_for(editor)
    import_post(client, upload)
    run_queued()
    again = import_post(client, upload)
    run_queued()
    assert Blueprint.objects.filter(title="Copy").count() == 1
    assert again.status_code == HTTPStatus.FOUND
    page = client.get(again["Location"])
    assert "This upload had already been sent; it was imported once" in page.text


def test_another_upload_of_the_same_file_is_a_new_import(client_for, editor, upload):
    client = client_for(editor)
    import_post(client, upload, key="0b9f3f5e-7d0a-4f7e-9d89-2f6f7d3a1c21")
    import_post(client, upload, key="0b9f3f5e-7d0a-4f7e-9d89-2f6f7d3a1c22")
    assert Blueprint.objects.filter(title="Copy").count() == 2


def test_a_bad_file_is_refused_in_the_request_and_queues_nothing(client_for, editor, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_MAX_CARDS", 0)
    response = import_post(client_for(editor), json.dumps({"schema": "nope"}).encode())
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_import_that_fails_in_the_worker_saves_nothing(client_for, editor, upload, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_MAX_CARDS", 0)

    def half_then_fail(**kwargs):
        Blueprint.objects.create(locality=kwargs["locality"], title="Half made")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(jobs.json_import, "import_blueprint", half_then_fail)
    client = client_for(editor)
    location = import_post(client, upload)["Location"]
    run_queued()
    assert not Blueprint.objects.filter(title="Half made").exists()
    page = client.get(location)
    assert "nothing was saved" in page.text
    assert "Try another file" in page.text


# A worker that dies -----------------------------------------------------------------------


def running_job(viewer, *, beat_seconds_ago: int, attempt: int = 1) -> Job:
    job = Job.objects.create(
        kind=Job.Kind.LOCALITY_REPORT,
        requested_by=viewer,
        locality=viewer.memberships.get().locality,
        status=Job.Status.RUNNING,
        attempt=attempt,
        started_at=timezone.now() - timedelta(seconds=beat_seconds_ago + 5),
        heartbeat_at=timezone.now() - timedelta(seconds=beat_seconds_ago),
    )
    return job


def test_a_job_with_a_fresh_heartbeat_is_left_alone(client_for, viewer):
    job = running_job(viewer, beat_seconds_ago=10)
    client_for(viewer).get(job.get_absolute_url())
    job.refresh_from_db()
    assert (job.status, job.attempt) == (Job.Status.RUNNING, 1)


def test_a_job_whose_worker_died_is_queued_again_and_says_so(client_for, viewer):
    job = running_job(viewer, beat_seconds_ago=120)
    page = client_for(viewer).get(job.get_absolute_url())
    job.refresh_from_db()
    assert (job.status, job.attempt) == (Job.Status.QUEUED, 2)
    assert "The worker stopped; trying again" in page.text
    assert DBTaskResult.objects.get().args_kwargs["args"] == [str(job.pk), 2]
    run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.READY


def test_a_job_whose_worker_died_twice_is_marked_failed(client_for, viewer):
    job = running_job(viewer, beat_seconds_ago=120, attempt=2)
    page = client_for(viewer).get(job.get_absolute_url())
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "stopped before it finished, twice" in page.text
    assert not DBTaskResult.objects.exists()


def test_a_superseded_run_writes_nothing(viewer, blueprint):
    job = jobs.start_locality_report(locality=blueprint.locality, user=viewer)
    first = DBTaskResult.objects.get()
    Job.objects.filter(pk=job.pk).update(attempt=2)  # reaped meanwhile
    jobs.run_job.call(str(job.pk), 1)
    job.refresh_from_db()
    assert (job.status, job.result) == (Job.Status.QUEUED, None)
    assert first.args_kwargs["args"] == [str(job.pk), 1]


def test_the_lost_runs_task_is_marked_failed(client_for, viewer, blueprint):
    job = jobs.start_locality_report(locality=blueprint.locality, user=viewer)
    task = DBTaskResult.objects.get()
    task.claim("dead-worker")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=5)
    )
    client_for(viewer).get(job.get_absolute_url())
    task.refresh_from_db()
    assert task.status == "FAILED"


def test_a_long_queued_job_says_the_worker_may_be_down(client_for, viewer, blueprint):
    job = jobs.start_locality_report(locality=blueprint.locality, user=viewer)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    page = client_for(viewer).get(job.get_absolute_url())
    assert "the background worker may not be running" in page.text


def test_finished_jobs_are_forgotten_after_a_week(viewer, blueprint):
    old = jobs.start_locality_report(locality=blueprint.locality, user=viewer)
    Job.objects.filter(pk=old.pk).update(
        status=Job.Status.READY, created_at=timezone.now() - timedelta(days=8)
    )
    InsightFactory(locality=blueprint.locality)
    jobs.start_locality_report(locality=blueprint.locality, user=viewer)
    assert not Job.objects.filter(pk=old.pk).exists()


def test_asking_for_a_report_costs_the_same_queries_however_much_work_there_is(
    client_for, viewer, locality, other_locality, editor
):
    """The request only names the report's content and queues it: a site with many records
    costs no more queries than one with few."""
    from blueprints.exports.bench import make_blueprint
    from localities.models import Membership
    from tests.localities.factories import MembershipFactory

    MembershipFactory(locality=other_locality, user=viewer, role=Membership.Role.VIEWER)
    make_blueprint(locality, cards=5, phases=3, title="Small")
    make_blueprint(other_locality, cards=200, phases=6, title="Large")
    for n in range(30):
        InsightFactory(locality=other_locality, statement=f"Insight {n}")
    client = client_for(viewer)
    counts = {}
    for slug in ("northgate", "riverside"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(report_url(slug))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/jobs/")
        counts[slug] = len(queries)
    assert counts["northgate"] == counts["riverside"], counts
    assert counts["northgate"] <= 20, counts

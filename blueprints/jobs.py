"""Heavy work in the background: PDFs, the locality report, large imports and the admin's
export of several blueprints, run by Django's Tasks API (the django-tasks backport, with the
database backend: `manage.py db_worker`).

A `Job` row carries everything a page needs to show: queued, running (with a stage in
words), ready (with the file, or the imported blueprint) or failed (with why). Pages start a
job with one of the `start_*` functions, which reuse a ready or unfinished job for the same
content, and poll the row.

Liveness. While a job runs, a thread writes its heartbeat every `JOB_HEARTBEAT_SECONDS` on
a connection of its own. (An import's transaction holds the job's row, so its heartbeat
waits; the held row is the sign of life instead.) A job whose heartbeat is older than
`JOB_STALE_SECONDS`, and whose row no transaction holds, lost
its worker (killed, or the machine went away): `reap_if_stale` queues it once more, then
marks it failed, and the page says so. Each run has an `attempt` number, and a run that is
no longer the job's current attempt writes nothing.

Imports commit once: the blueprint, its cards and the job's "ready" are one transaction, so
a worker killed half way leaves nothing behind, and the retry makes the one blueprint.

One module of about 500 lines, on purpose: a job's life (start, claim, heartbeat, finish,
reap) reads top to bottom here, and every step follows the same rules about which row is
locked when; split, those rules would be scattered over several files.
"""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from blueprints.exports import pdf, report
from blueprints.interchange import json_import, reader
from blueprints.interchange.problems import ImportProblems
from blueprints.interchange.schema import ParsedDocument
from blueprints.models import Blueprint, Job
from localities.models import Locality

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

logger = logging.getLogger(__name__)
Status = Job.Status
Kind = Job.Kind

MAX_ATTEMPTS = 2
SQLITE_BUSY_TIMEOUT = settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5)
KEEP_DAYS = 7
# Past this many cards a blueprint PDF or an import goes to a worker; below it the page
# answers at once (a 300-card PDF renders in about a second and a half).
INLINE_MAX_CARDS = 300


class Superseded(Exception):
    """This run is no longer the job's current attempt (it was reaped and re-queued)."""


# Starting ---------------------------------------------------------------------------------


def _unfinished_or_ready(kind: str, content_key: str, user: User) -> Job | None:
    """A job for the same content and person that is still going, or ready and recent."""
    fresh = timezone.now() - timedelta(seconds=pdf.CACHE_SECONDS)
    return (
        Job.objects.without_files()
        .filter(kind=kind, content_key=content_key, requested_by=user)
        .exclude(status=Status.FAILED)
        .filter(created_at__gte=fresh)
        .order_by("-created_at")
        .first()
    )


def _enqueue(job: Job) -> None:
    """Queue a run of the job's current attempt. With the database backend the task is a
    row written in the caller's transaction, so the job and its task commit together."""
    result = run_job.enqueue(str(job.pk), job.attempt)
    job.task_id = str(result.id)[:64]
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def _create(**fields: Any) -> Job:
    _prune()
    job = Job.objects.create(stage="Waiting for a worker", **fields)
    _enqueue(job)
    return job


def _prune() -> None:
    """Forget finished jobs (and their files) after a week."""
    Job.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS),
        status__in=[Status.READY, Status.FAILED],
    ).delete()


@transaction.atomic
def start_blueprint_pdf(
    *, blueprint: Blueprint, paper: pdf.Paper, user: User, key: str | None = None
) -> Job:
    key = key or pdf.cache_key(blueprint, paper=paper, user=user)
    # Requests for the same PDF at once take turns here, so they share one job.
    Blueprint.objects.select_for_update().values_list("pk", flat=True).get(pk=blueprint.pk)
    return _unfinished_or_ready(Kind.BLUEPRINT_PDF, key, user) or _create(
        kind=Kind.BLUEPRINT_PDF,
        requested_by=user,
        locality_id=blueprint.locality_id,
        blueprint=blueprint,
        params={"paper": paper.key},
        content_key=key,
    )


@transaction.atomic
def start_locality_report(*, locality: Locality, user: User) -> Job:
    key = report.report_key(locality, user=user)
    # Six tabs asking for the report at once take turns here, so they share one job.
    Locality.objects.select_for_update().values_list("pk", flat=True).get(pk=locality.pk)
    return _unfinished_or_ready(Kind.LOCALITY_REPORT, key, user) or _create(
        kind=Kind.LOCALITY_REPORT, requested_by=user, locality=locality, content_key=key
    )


@transaction.atomic
def start_pdf_batch(*, blueprints: list[Blueprint], paper: pdf.Paper, user: User) -> Job:
    return _create(
        kind=Kind.PDF_BATCH,
        requested_by=user,
        params={"paper": paper.key, "blueprints": [b.pk for b in blueprints]},
    )


def import_job_for(*, user: User, key: uuid.UUID) -> Job | None:
    """The import already made (or being made) from this upload, if any."""
    return (
        Job.objects.without_files()
        .filter(requested_by=user, idempotency_key=key, kind=Kind.IMPORT)
        .first()
    )


@dataclass
class ImportStarted:
    job: Job
    repeated: bool  # True when this upload had been sent before


def _once_per_upload(user: User, key: uuid.UUID, make) -> ImportStarted:
    """Make the upload's job, unless the same upload (sent twice at once) made it first:
    the unique (person, key) constraint decides, and the loser's work is rolled back."""
    try:
        with transaction.atomic():
            job = make()
    except IntegrityError:
        return ImportStarted(job=import_job_for(user=user, key=key), repeated=True)
    return ImportStarted(job=job, repeated=False)


def start_import(
    *, locality: Locality, content: bytes, title: str, user: User, key: uuid.UUID
) -> ImportStarted:
    """Queue the import of a checked file, once per upload key.

    The file was parsed and checked by the page (so its problems show next to the field);
    the worker parses it again, cheaply, and writes it.
    """
    return _once_per_upload(
        user,
        key,
        lambda: _create(
            kind=Kind.IMPORT,
            requested_by=user,
            locality=locality,
            params={"title": title},
            payload=content,
            idempotency_key=key,
        ),
    )


def import_now(
    *, locality: Locality, document: ParsedDocument, title: str, user: User, key: uuid.UUID
) -> ImportStarted:
    """Import a small file in the request, recording the upload key with the blueprint in
    one transaction, so that sending the same upload again imports nothing more."""

    def make() -> Job:
        result = json_import.import_blueprint(
            locality=locality, document=document, by=user, title=title
        )
        now = timezone.now()
        return Job.objects.create(
            kind=Kind.IMPORT,
            status=Status.READY,
            stage="Imported",
            requested_by=user,
            locality=locality,
            blueprint=result.blueprint,
            idempotency_key=key,
            message=import_message(result, locality),
            started_at=now,
            finished_at=now,
        )

    return _once_per_upload(user, key, make)


def ready_file(job: Job) -> tuple[bytes, str, str] | None:
    """The finished job's file (content, name, type), read afresh: a worker may have just
    finished it. None while it is not ready."""
    for content, name, kind in Job.objects.filter(pk=job.pk, status=Status.READY).values_list(
        "result", "result_name", "result_type"
    ):
        if content is not None:
            return bytes(content), name, kind
    return None


def import_message(result: json_import.ImportResult, locality: Locality) -> str:
    notes = [f"Imported “{result.blueprint.title}”."]
    if result.idea_missing:
        notes.append(
            f"No idea of {locality.name} is called “{result.idea_missing}”, so the "
            "blueprint is not linked to an idea yet."
        )
    if result.unmatched_insights:
        count = len(result.unmatched_insights)
        notes.append(
            f"{count} insight{'s' if count != 1 else ''} cited in the file "
            f"{'are' if count != 1 else 'is'} not recorded in {locality.name}; "
            "those citations were left out."
        )
    if result.unmatched_owners:
        notes.append(
            f"Questions owned by someone who is not a member of {locality.name} "
            f"({', '.join(result.unmatched_owners)}) have no owner yet."
        )
    if result.unmatched_ideas:
        count = len(result.unmatched_ideas)
        notes.append(
            f"{count} idea{'s' if count != 1 else ''} cited by questions in the file "
            f"{'are' if count != 1 else 'is'} not recorded in {locality.name}; "
            "those citations were left out."
        )
    if result.undecided_prototypes:
        notes.append(
            "A decision needs a finished prototype that says what it taught and a result "
            "(the families reached, or what a measure came to), so these are undecided: "
            f"{', '.join(result.undecided_prototypes)}."
        )
    if result.created_resources:
        notes.append(
            f"Added to {locality.name}'s community resources from the file, as it had none "
            f"of that name: {', '.join(result.created_resources)}."
        )
    return " ".join(notes)


# Liveness ---------------------------------------------------------------------------------


def is_stale(job: Job, *, now=None) -> bool:
    if job.status != Status.RUNNING:
        return False
    now = now or timezone.now()
    last = job.heartbeat_at or job.started_at or job.created_at
    return now - last > timedelta(seconds=settings.JOB_STALE_SECONDS)


def reap_if_stale(job: Job) -> Job:
    """Retry, or fail, a running job whose worker has stopped; return the job as it is now.

    The row is taken with SKIP LOCKED: a job whose import transaction still holds its row
    is alive, however old its heartbeat. On SQLite, which has no row locks, a busy database
    means the same.
    """
    if not is_stale(job):
        return job
    try:
        with _brief_wait_on_sqlite(), transaction.atomic():
            locked = (
                Job.objects.without_files()
                .select_for_update(skip_locked=True)
                .filter(pk=job.pk)
                .first()
            )
            if locked is None or not is_stale(locked):
                return locked or job
            _forget_task(locked.task_id)
            if locked.attempt < MAX_ATTEMPTS:
                locked.attempt += 1
                locked.status = Status.QUEUED
                locked.stage = "The worker stopped; trying again"
                locked.heartbeat_at = None
                locked.save(update_fields=["attempt", "status", "stage", "heartbeat_at"])
                _enqueue(locked)
                logger.warning("Job %s lost its worker; queued attempt %d.", job.pk, locked.attempt)
            else:
                locked.status = Status.FAILED
                locked.stage = "Failed"
                locked.message = (
                    "The worker making this stopped before it finished, twice, so it was "
                    "given up. Nothing was saved. Please try again; if it happens again, "
                    "tell your administrator."
                )
                locked.finished_at = timezone.now()
                locked.save(update_fields=["status", "stage", "message", "finished_at"])
                logger.error("Job %s lost its worker twice; marked failed.", job.pk)
            return locked
    except DatabaseError:  # SQLite: the database is busy, so the job is alive
        return job


@contextmanager
def _brief_wait_on_sqlite():
    """On SQLite, wait a moment, not the usual 20 s, for the write lock: a long import
    holds it, and the page polling its job must not hang meanwhile."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 200")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT * 1000)}")


def _forget_task(task_id: str) -> None:
    """Mark the lost run's task failed in the database backend's own table, if it is used."""
    if not task_id:
        return
    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="blueprints.jobs.WorkerLost",
        traceback="The worker stopped writing its heartbeat; the job was reaped.",
    )


class Heartbeat:
    """Writes the job's heartbeat from its own thread, on its own connection, until the
    run ends. While an import's transaction holds the job's row, the beat waits for it;
    `reap_if_stale` reads a held row as alive."""

    def __init__(self, job_id: str, attempt: int) -> None:
        self.job_id, self.attempt = job_id, attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        if settings.JOB_HEARTBEAT_SECONDS > 0:  # 0 turns it off (tests that run jobs inline)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(
                        pk=self.job_id, attempt=self.attempt, status=Status.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Could not write the heartbeat of job %s.", self.job_id)
        finally:
            connection.close()


def _stage(job: Job, stage: str) -> None:
    """Say what the job is doing now. Written at once (a worker runs tasks outside any
    transaction), so the page shows it before long work, such as an import's transaction,
    begins."""
    Job.objects.filter(pk=job.pk, attempt=job.attempt, status=Status.RUNNING).update(
        stage=stage, heartbeat_at=timezone.now()
    )


# Running ----------------------------------------------------------------------------------


@task()
def run_job(job_id: str, attempt: int) -> None:
    """The task a worker runs: one attempt at one job."""
    job = _claim(job_id, attempt)
    if job is None:
        return
    with Heartbeat(job_id, attempt):
        try:
            WORK[job.kind](job)
        except Superseded:
            logger.info("Job %s attempt %d was superseded.", job_id, attempt)
        except (pdf.ExportRefused, ImportProblems) as refused:
            _fail(job, refused)
        except Exception as error:
            logger.exception("Job %s failed.", job_id)
            _fail(job, error)


def _claim(job_id: str, attempt: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.attempt != attempt or job.status != Status.QUEUED:
            return None
        now = timezone.now()
        job.status, job.stage = Status.RUNNING, "Starting"
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["status", "stage", "started_at", "heartbeat_at"])
        return job


def _locked_current(job: Job) -> Job:
    """The job's row, locked, if this run is still its current attempt."""
    current = (
        Job.objects.without_files()
        .select_for_update()
        .filter(pk=job.pk, attempt=job.attempt, status=Status.RUNNING)
        .first()
    )
    if current is None:
        raise Superseded
    return current


def _finish(job: Job, **fields: Any) -> None:
    with transaction.atomic():
        current = _locked_current(job)
        fields.update(status=Status.READY, stage="Ready", finished_at=timezone.now())
        for name, value in fields.items():
            setattr(current, name, value)
        current.payload = None
        current.save()


def _fail(job: Job, error: Exception) -> None:
    if isinstance(error, ImportProblems):
        message, problems = (
            "The file was not imported, and nothing has been saved.",
            list(error.problems),
        )
    elif isinstance(error, pdf.ExportRefused):
        message, problems = error.message, []
    else:
        message, problems = (
            "Something went wrong while making this, and nothing was saved. Please try "
            "again; if it happens again, tell your administrator.",
            [],
        )
    try:
        with transaction.atomic():
            current = _locked_current(job)
            current.status, current.stage = Status.FAILED, "Failed"
            current.message, current.problems = message, problems
            current.finished_at = timezone.now()
            current.payload = None
            current.save()
    except Superseded:
        pass


def _render_blueprint_pdf(job: Job) -> None:
    paper = pdf.paper_for(job.params.get("paper"))
    blueprint = Blueprint.objects.select_related("locality", "idea").get(pk=job.blueprint_id)
    _stage(job, "Laying out the pages")
    content = pdf.render_blueprint_pdf(
        blueprint, paper=paper, user=job.requested_by, seconds=pdf.WORKER_RENDER_SECONDS
    )
    pdf.remember_blueprint_pdf(job.content_key, content)
    _finish(
        job,
        result=content,
        result_type="application/pdf",
        result_name=pdf.blueprint_filename(blueprint, paper),
    )


def _render_locality_report(job: Job) -> None:
    locality = Locality.objects.get(pk=job.locality_id)
    _stage(job, "Laying out the pages")
    content = report.render_locality_report(
        locality, user=job.requested_by, seconds=pdf.WORKER_RENDER_SECONDS
    )
    _finish(
        job,
        result=content,
        result_type="application/pdf",
        result_name=f"{locality.slug}-report-{timezone.localdate().isoformat()}.pdf",
    )


def _render_pdf_batch(job: Job) -> None:
    paper = pdf.paper_for(job.params.get("paper"))
    ids = job.params.get("blueprints", [])
    blueprints = list(
        Blueprint.objects.filter(pk__in=ids)
        .select_related("locality", "idea")
        .order_by("locality__name", "title", "pk")
    )
    _stage(job, f"Laying out {len(blueprints)} blueprints")
    if len(blueprints) == 1:
        blueprint = blueprints[0]
        content = pdf.blueprint_pdf(
            blueprint, paper=paper, user=job.requested_by, seconds=pdf.WORKER_RENDER_SECONDS
        )
        name, kind = pdf.blueprint_filename(blueprint, paper), "application/pdf"
    else:
        content = pdf.blueprints_zip(
            blueprints, paper=paper, user=job.requested_by, seconds=pdf.WORKER_RENDER_SECONDS
        )
        name = f"blueprints-{timezone.localdate().isoformat()}.zip"
        kind = "application/zip"
    _finish(job, result=content, result_type=kind, result_name=name)


def _import(job: Job) -> None:
    locality = Locality.objects.get(pk=job.locality_id)
    _stage(job, "Reading the file")
    document = reader.parse_bytes(bytes(job.payload))
    _stage(job, f"Writing {len(document.cards):,} cards")
    with transaction.atomic():
        # The job's row is locked first and stays locked until the blueprint is committed,
        # so a poll sees this run as alive however long the writing takes.
        _locked_current(job)
        result = json_import.import_blueprint(
            locality=locality,
            document=document,
            by=job.requested_by,
            title=job.params.get("title", ""),
        )
        _finish(job, blueprint=result.blueprint, message=import_message(result, locality))


WORK = {
    Kind.BLUEPRINT_PDF: _render_blueprint_pdf,
    Kind.LOCALITY_REPORT: _render_locality_report,
    Kind.PDF_BATCH: _render_pdf_batch,
    Kind.IMPORT: _import,
}

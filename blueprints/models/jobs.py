"""Background jobs (`blueprints.jobs`): heavy work a worker does for one person, its
progress and its result, shared by every process through the database."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from blueprints.models.grid import Blueprint
from localities.models import Locality


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class JobQuerySet(models.QuerySet):
    def without_files(self) -> JobQuerySet:
        """Leave the upload and the result (up to megabytes) in the database."""
        return self.defer("result", "payload")


class Job(models.Model):
    """A piece of heavy work done by a background worker for one person: a PDF, a locality
    report, an import or the admin's export of several blueprints (`blueprints.jobs`).

    The row is the job's whole state, shared by every web process and worker through the
    database: its progress (`status`, `stage`), its result (`result` bytes, or the imported
    `blueprint`), and its liveness (`heartbeat_at`, written every few seconds while it
    runs, so a job whose worker was killed can be seen, retried once, then marked failed).
    `attempt` numbers the runs, so a late finish of a superseded run writes nothing.

    `content_key` names what a ready result shows (blueprint, version, paper, ...): a later
    request for the same content gets the same job's result without rendering. An import
    carries the `idempotency_key` of its upload form, unique per person, so sending the
    same upload again (a retry after a lost answer) finds this job instead of importing
    twice.
    """

    class Kind(models.TextChoices):
        BLUEPRINT_PDF = "blueprint_pdf", "Blueprint PDF"
        LOCALITY_REPORT = "locality_report", "Locality report"
        IMPORT = "import", "Blueprint import"
        PDF_BATCH = "pdf_batch", "PDFs of several blueprints"

    Status = JobStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    blueprint = models.ForeignKey(
        Blueprint, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(default=dict, blank=True)
    content_key = models.CharField(max_length=200, blank=True, db_index=True)
    idempotency_key = models.UUIDField(null=True, blank=True)
    payload = models.BinaryField(null=True, blank=True)
    result = models.BinaryField(null=True, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="job_one_import_per_upload",
            ),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values),
                name="job_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

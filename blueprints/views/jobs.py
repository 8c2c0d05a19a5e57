"""The page of a background job (`blueprints.jobs`): its progress while it runs, polled by
htmx (a refresh without JavaScript), and its outcome: the file to download, the imported
blueprint, or why it failed.

A job is its requester's alone: anyone else gets 404, and so does its requester once the
locality it belongs to is no longer theirs to see.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from blueprints import jobs
from blueprints.models import Job
from blueprints.views.exports import file_response, private
from localities import permissions
from localities.models import Locality

# A queued job not started after this long is waiting for a worker that is not running.
WORKER_SLOW_SECONDS = 30


def job_for(request, pk) -> Job:
    job = (
        Job.objects.without_files()
        .select_related("locality", "blueprint__locality")
        .filter(pk=pk, requested_by=request.user)
        .first()
    )
    if job is None:
        raise Http404("No such job.")
    if job.locality_id is not None:
        if not Locality.objects.visible_to(request.user).filter(pk=job.locality_id).exists():
            raise Http404("No such job.")
    elif not permissions.sees_every_locality(request.user):
        raise Http404("No such job.")
    return jobs.reap_if_stale(job)


def state_of(job: Job) -> str:
    """What the page shows of the job; the poll sends back the state it has."""
    return f"{job.status}:{job.attempt}:{job.stage}"


class JobView(LoginRequiredMixin, TemplateView):
    """The job's page; htmx polls it with `?seen=<state>` and gets 204 (nothing to swap)
    while the state is unchanged, so a screen reader hears only real changes."""

    template_name = "blueprints/jobs/detail.html"

    def get(self, request, *args, **kwargs):
        self.job = job_for(request, kwargs["pk"])
        if request.htmx and request.GET.get("seen") == state_of(self.job):
            return private(HttpResponse(status=HTTPStatus.NO_CONTENT))
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.htmx:
            return ["blueprints/jobs/_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = self.job
        waited = (timezone.now() - job.created_at).total_seconds()
        return super().get_context_data(
            job=job,
            locality=job.locality,
            worker_slow=job.status == Job.Status.QUEUED and waited > WORKER_SLOW_SECONDS,
            state=state_of(job),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        return private(super().render_to_response(context, **response_kwargs))


class JobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        file = jobs.ready_file(job_for(request, pk))
        if file is None:
            return redirect("jobs:detail", pk=pk)
        return file_response(*file)

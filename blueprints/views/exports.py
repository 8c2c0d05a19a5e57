"""Exports: the blueprint as PDF, JSON and CSV, JSON import, and the locality report PDF.

Exports are reads (`access = "view"`: members of every role and reviewers); importing makes
a new blueprint, so it is a write ("edit"). Rendering lives in `blueprints.exports`.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View
from django.views.generic import FormView

from blueprints import jobs
from blueprints.exports import pdf
from blueprints.exports.forms import ImportForm
from blueprints.interchange import csv_export, json_export, reader
from blueprints.interchange.problems import ImportProblems
from blueprints.interchange.schema_types import LIMITS
from blueprints.models import Job
from blueprints.views.base import BlueprintAccessMixin
from localities.csv_response import csv_response
from localities.mixins import LocalityAccessMixin


def private(response: HttpResponse) -> HttpResponse:
    """Exports hold a locality's work: no shared cache may keep them."""
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(
    request,
    *,
    locality,
    blueprint,
    message: str,
    status: HTTPStatus = HTTPStatus.UNPROCESSABLE_ENTITY,
) -> HttpResponse:
    """A page that says why the export was not made (not a 500). A bad paper size is the
    asker's mistake (400), and the page then offers the sizes there are."""
    return render(
        request,
        "blueprints/exports/refused.html",
        {
            "locality": locality,
            "blueprint": blueprint,
            "message": message,
            "offer_papers": status == HTTPStatus.BAD_REQUEST,
        },
        status=status,
    )


def blueprint_url(blueprint) -> str:
    """The editor if it exists, else the text view, else the list."""
    for name in ("blueprints:detail", "blueprints:text"):
        try:
            return reverse(name, kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk})
        except NoReverseMatch:
            continue
    return reverse("blueprints:list", kwargs={"slug": blueprint.locality.slug})


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A private file: a PDF opens in the browser, anything else downloads."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return private(response)


def _ready_or_progress(job: Job) -> HttpResponse:
    """A finished job's file at once; otherwise its page, which shows the progress."""
    file = jobs.ready_file(job)
    return redirect(job) if file is None else file_response(*file)


class BlueprintPdfView(BlueprintAccessMixin, View):
    """`?paper=a4` for A4 landscape, `?paper=a3` or none for A3 landscape; any other size
    is refused with a message (400).

    A blueprint of up to `jobs.INLINE_MAX_CARDS` cards renders in the request; a larger one,
    unless its PDF is cached, goes to a worker and the person is shown its progress.
    """

    access = "view"

    def get(self, request, *args, **kwargs):
        blueprint = self.blueprint
        try:
            paper = pdf.paper_asked(request.GET.get("paper"))
        except pdf.UnknownPaper as unknown:
            return _refused(
                request,
                locality=self.locality,
                blueprint=blueprint,
                message=unknown.message,
                status=HTTPStatus.BAD_REQUEST,
            )
        try:
            if pdf.check_size(blueprint) <= jobs.INLINE_MAX_CARDS:
                content = pdf.blueprint_pdf(blueprint, paper=paper, user=request.user)
            else:
                key = pdf.cache_key(blueprint, paper=paper, user=request.user)
                content = pdf.cached_blueprint_pdf(key)
                if content is None:
                    job = jobs.start_blueprint_pdf(
                        blueprint=blueprint, paper=paper, user=request.user, key=key
                    )
                    return _ready_or_progress(job)
        except pdf.ExportRefused as refused:
            return _refused(
                request, locality=self.locality, blueprint=blueprint, message=refused.message
            )
        return file_response(content, pdf.blueprint_filename(blueprint, paper), "application/pdf")


class BlueprintJsonView(BlueprintAccessMixin, View):
    access = "view"

    def get(self, request, *args, **kwargs):
        blueprint = self.blueprint
        response = HttpResponse(
            json_export.export_json(blueprint), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{pdf.blueprint_filename(blueprint, None, "json")}"'
        )
        return private(response)


class BlueprintCsvView(BlueprintAccessMixin, View):
    """One of the blueprint's tables as CSV: its cards, or (issue 12) its delivery questions
    or its prototypes with their results."""

    access = "view"
    suffix = "cards.csv"
    write = staticmethod(csv_export.write_cards_csv)

    def get(self, request, *args, **kwargs):
        blueprint = self.blueprint
        response = csv_response(pdf.blueprint_filename(blueprint, None, self.suffix))
        self.write(blueprint, response)
        return private(response)


class QuestionsCsvView(BlueprintCsvView):
    suffix = "questions.csv"
    write = staticmethod(csv_export.write_questions_csv)


class PrototypesCsvView(BlueprintCsvView):
    suffix = "prototypes.csv"
    write = staticmethod(csv_export.write_prototypes_csv)


class BlueprintImportView(LocalityAccessMixin, FormView):
    """Upload a JSON export: a new blueprint in this locality, or a form error and nothing."""

    access = "edit"
    form_class = ImportForm
    template_name = "blueprints/exports/import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(max_cards=LIMITS["cards"], **kwargs)

    def form_valid(self, form):
        user, key = self.request.user, form.cleaned_data["upload_key"]
        earlier = jobs.import_job_for(user=user, key=key)
        if earlier is not None:
            return self._outcome(earlier, repeated=True)
        content = form.cleaned_data["file"].read(reader.MAX_FILE_BYTES + 1)
        title = form.cleaned_data["title"]
        try:
            document = reader.parse_bytes(content)
            if len(document.cards) > jobs.INLINE_MAX_CARDS:
                started = jobs.start_import(
                    locality=self.locality, content=content, title=title, user=user, key=key
                )
            else:
                started = jobs.import_now(
                    locality=self.locality, document=document, title=title, user=user, key=key
                )
        except ImportProblems as problems:
            for problem in problems.problems:
                form.add_error("file", problem)
            return self.form_invalid(form)
        return self._outcome(started.job, repeated=started.repeated)

    def _outcome(self, job: Job, *, repeated: bool):
        """Where an import ends: its blueprint, or its job's page while it is under way."""
        if repeated:
            messages.info(
                self.request,
                "This upload had already been sent; it was imported once, and is shown here.",
            )
        if job.status == Job.Status.READY and job.blueprint_id:
            if not repeated:
                messages.success(self.request, job.message)
            return redirect(blueprint_url(job.blueprint))
        return redirect(job)


class LocalityReportPdfView(LocalityAccessMixin, View):
    """The whole method in one PDF, always made by a worker (it can be long); a report
    made already today of the same content is served at once."""

    access = "view"

    def get(self, request, *args, **kwargs):
        return _ready_or_progress(
            jobs.start_locality_report(locality=self.locality, user=request.user)
        )

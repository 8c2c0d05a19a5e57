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
from django.utils import timezone
from django.views import View
from django.views.generic import FormView

from blueprints.exports import csvio, jsonio, pdf
from blueprints.exports.forms import ImportForm
from blueprints.views.base import BlueprintAccessMixin
from localities.mixins import LocalityAccessMixin


def _private(response: HttpResponse) -> HttpResponse:
    """Exports hold a locality's work: no shared cache may keep them."""
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request, *, locality, blueprint, message: str) -> HttpResponse:
    """A page that says why the export was not made (not a 500)."""
    return render(
        request,
        "blueprints/exports/refused.html",
        {"locality": locality, "blueprint": blueprint, "message": message},
        status=HTTPStatus.UNPROCESSABLE_ENTITY,
    )


def blueprint_url(blueprint) -> str:
    """The editor if it exists, else the text view, else the list."""
    for name in ("blueprints:detail", "blueprints:text"):
        try:
            return reverse(name, kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk})
        except NoReverseMatch:
            continue
    return reverse("blueprints:list", kwargs={"slug": blueprint.locality.slug})


class BlueprintPdfView(BlueprintAccessMixin, View):
    """`?paper=a4` for A4 landscape; A3 landscape otherwise."""

    access = "view"

    def get(self, request, *args, **kwargs):
        paper = pdf.paper_for(request.GET.get("paper"))
        blueprint = self.blueprint
        try:
            content = pdf.blueprint_pdf(blueprint, paper=paper, user=request.user)
        except pdf.ExportRefused as refused:
            return _refused(
                request, locality=self.locality, blueprint=blueprint, message=refused.message
            )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{pdf.blueprint_filename(blueprint, paper)}"'
        )
        return _private(response)


class BlueprintJsonView(BlueprintAccessMixin, View):
    access = "view"

    def get(self, request, *args, **kwargs):
        blueprint = self.blueprint
        response = HttpResponse(
            jsonio.export_json(blueprint), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{pdf.blueprint_filename(blueprint, None, "json")}"'
        )
        return _private(response)


class BlueprintCsvView(BlueprintAccessMixin, View):
    access = "view"

    def get(self, request, *args, **kwargs):
        blueprint = self.blueprint
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{pdf.blueprint_filename(blueprint, None, "cards.csv")}"'
        )
        csvio.write_cards_csv(blueprint, response)
        return _private(response)


class BlueprintImportView(LocalityAccessMixin, FormView):
    """Upload a JSON export: a new blueprint in this locality, or a form error and nothing."""

    access = "edit"
    form_class = ImportForm
    template_name = "blueprints/exports/import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(max_cards=jsonio.LIMITS["cards"], **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            document = jsonio.parse_bytes(upload.read(jsonio.MAX_FILE_BYTES + 1))
            result = jsonio.import_blueprint(
                locality=self.locality,
                document=document,
                by=self.request.user,
                title=form.cleaned_data["title"],
            )
        except jsonio.ImportProblems as problems:
            for problem in problems.problems:
                form.add_error("file", problem)
            return self.form_invalid(form)
        blueprint = result.blueprint
        notes = []
        if result.idea_missing:
            notes.append(
                f"No idea of {self.locality.name} is called “{result.idea_missing}”, so the "
                "blueprint is not linked to an idea yet."
            )
        if result.unmatched_insights:
            count = len(result.unmatched_insights)
            notes.append(
                f"{count} insight{'s' if count != 1 else ''} cited in the file "
                f"{'are' if count != 1 else 'is'} not recorded in {self.locality.name}; "
                "those citations were left out."
            )
        messages.success(
            self.request,
            " ".join([f"Imported “{blueprint.title}”.", *notes]),
        )
        return redirect(blueprint_url(blueprint))


class LocalityReportPdfView(LocalityAccessMixin, View):
    access = "view"

    def get(self, request, *args, **kwargs):
        try:
            content = pdf.render_locality_report(self.locality, user=request.user)
        except pdf.ExportRefused as refused:
            return _refused(
                request, locality=self.locality, blueprint=None, message=refused.message
            )
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{self.locality.slug}-report-{stamp}.pdf"'
        )
        return _private(response)

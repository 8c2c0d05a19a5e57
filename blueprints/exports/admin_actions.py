"""The Blueprint admin's "Export selected as PDF" action (used by blueprints.admin)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone

from blueprints.exports import pdf

MAX_SELECTED = 20


class ExportActions:
    """One PDF for one blueprint; a zip of one PDF each for several (A3 landscape)."""

    @admin.action(description="Export selected as PDF")
    def export_selected_as_pdf(self, request, queryset):
        blueprints = list(
            queryset.select_related("locality", "idea").order_by("locality__name", "title", "pk")
        )
        if len(blueprints) > MAX_SELECTED:
            self.message_user(
                request,
                f"Select at most {MAX_SELECTED} blueprints to export at once "
                f"({len(blueprints)} were selected).",
                messages.WARNING,
            )
            return None
        paper = pdf.paper_for(None)
        if len(blueprints) == 1:
            blueprint = blueprints[0]
            try:
                content = pdf.blueprint_pdf(blueprint, paper=paper, user=request.user)
            except pdf.ExportRefused as refused:
                self.message_user(request, refused.message, messages.ERROR)
                return None
            response = HttpResponse(content, content_type="application/pdf")
            name = pdf.blueprint_filename(blueprint, paper)
        else:
            content = pdf.blueprints_zip(blueprints, paper=paper, user=request.user)
            response = HttpResponse(content, content_type="application/zip")
            name = f"blueprints-{timezone.localdate().isoformat()}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response

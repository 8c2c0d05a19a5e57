"""The Blueprint admin's "Export selected as PDF" action (used by the Blueprint admin).

The PDFs are made by a background worker (`blueprints.jobs`): eight large blueprints take
longer than a web request may. The action sends the reviewer to the job's page, which
shows the progress and then the file.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import redirect

from blueprints import jobs
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
        job = jobs.start_pdf_batch(
            blueprints=blueprints, paper=pdf.paper_for(None), user=request.user
        )
        return redirect(job)

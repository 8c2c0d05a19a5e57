"""The portfolio, for the innovation unit: every site side by side, and as CSV.

Reviewers and superusers only. A locality member gets 404, as for another locality's
pages (DESIGN section 4): the page's existence is not theirs to know.
"""

import csv

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from blueprints.portfolio import (
    COMMON_THEME_SITES,
    DECISION_LABELS,
    STATUS_LABELS,
    Portfolio,
    build_portfolio,
)
from localities import permissions
from localities.listing import spreadsheet_safe
from localities.models import Locality


class ReviewersOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.sees_every_locality(request.user):
            raise Http404("No such page.")
        return super().dispatch(request, *args, **kwargs)

    def portfolio(self) -> Portfolio:
        return build_portfolio(Locality.objects.visible_to(self.request.user))


class PortfolioView(ReviewersOnlyMixin, TemplateView):
    template_name = "blueprints/portfolio.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            portfolio=self.portfolio(),
            common_theme_sites=COMMON_THEME_SITES,
            status_labels=STATUS_LABELS,
            decision_labels=DECISION_LABELS,
        )
        return context


def csv_rows(portfolio: Portfolio) -> list[list[str | int]]:
    """A header, then one row per locality with the figures the page shows."""
    themes = portfolio.themes
    header = [
        "locality",
        "area",
        "steps done",
        "steps in all",
        "insights",
        "challenges",
        "ideas",
        "consultations",
        "responses",
        "top idea",
        "blueprint state",
        "days since submitted",
        *(f"prototypes {label.lower()}" for label in STATUS_LABELS.values()),
        *(f"decision {label.lower()}" for label in DECISION_LABELS.values()),
        *(f"delivery challenges: {row.label}" for row in themes),
    ]
    rows: list[list[str | int]] = [header]
    for index, site in enumerate(portfolio.sites):
        rows.append(
            [
                spreadsheet_safe(site.locality.name),
                spreadsheet_safe(site.locality.area),
                site.steps_done,
                site.steps_total,
                site.counts["insights"],
                site.counts["challenges"],
                site.counts["ideas"],
                site.counts["consultations"],
                site.counts["responses"],
                spreadsheet_safe(site.top_idea_title or ""),
                site.blueprint_state_label,
                "" if site.pending_days is None else site.pending_days,
                *(site.prototypes_by_status[status] for status in STATUS_LABELS),
                *(site.prototypes_by_decision[decision] for decision in DECISION_LABELS),
                *(row.counts[index] for row in themes),
            ]
        )
    return rows


class PortfolioCsvView(ReviewersOnlyMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"portfolio-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        csv.writer(response).writerows(csv_rows(self.portfolio()))
        return response

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

from blueprints.models import Blueprint
from blueprints.portfolio import (
    COMMON_THEME_SITES,
    DECISION_LABELS,
    STATUS_LABELS,
    Portfolio,
    build_portfolio,
)
from blueprints.portfolio_forms import WorklistFilterForm
from blueprints.portfolio_planning import (
    COLUMNS,
    PrototypeTable,
    QuestionGrid,
    Sort,
    build_prototype_table,
    build_question_grid,
    programme_key,
)
from blueprints.portfolio_resources import SiteResources, build_resources, leans_most
from blueprints.review.worklist import rows_of, worklist
from blueprints.views.portfolio_markup import cell_markup
from localities import csv_response as csv_download
from localities import permissions
from localities.listing import paginate, spreadsheet_safe
from localities.models import Locality


class ReviewersOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.sees_every_locality(request.user):
            raise Http404("No such page.")
        return super().dispatch(request, *args, **kwargs)

    def localities(self):
        return Locality.objects.visible_to(self.request.user)

    def portfolio(self) -> Portfolio:
        return build_portfolio(self.localities())

    def question_grid(self) -> QuestionGrid:
        return build_question_grid(self.localities())

    def prototype_table(self) -> PrototypeTable:
        return build_prototype_table(
            self.localities(), sort=Sort.parse(self.request.GET.get("sort"))
        )


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


class PortfolioReviewView(ReviewersOnlyMixin, TemplateView):
    """The review worklist (issue 14, item 3): every blueprint in review, of any idea,
    oldest waiting first, filtered by state and delivery-challenge theme."""

    template_name = "blueprints/portfolio_review.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        filters = WorklistFilterForm(self.request.GET or None)
        blueprints = worklist(
            Blueprint.objects.visible_to(self.request.user),
            states=filters.chosen_states,
            theme=filters.chosen_theme,
        )
        page = paginate(self.request, blueprints, per_page=self.per_page)
        return super().get_context_data(
            filters=filters,
            is_filtered=filters.is_filtered,
            page_obj=page,
            rows=rows_of(page.object_list),
            **kwargs,
        )


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


def csv_response(name: str, rows: list[list[str | int]]) -> HttpResponse:
    """`rows` as a CSV download named `<name>-<today>.csv`, never cached."""
    response = csv_download.csv_response(f"{name}-{timezone.localdate():%Y-%m-%d}.csv")
    response["Cache-Control"] = "private, no-store"
    csv.writer(response).writerows(rows)
    return response


class PortfolioCsvView(ReviewersOnlyMixin, View):
    def get(self, request, *args, **kwargs):
        return csv_response("portfolio", csv_rows(self.portfolio()))


# Delivery questions and decided prototypes across sites (issue 12) ---------------------


class PortfolioQuestionsView(ReviewersOnlyMixin, TemplateView):
    template_name = "blueprints/portfolio_questions.html"

    def get_context_data(self, **kwargs):
        grid = self.question_grid()
        rows = [(row, [cell_markup(cell) for cell in row.cells]) for row in grid.themes]
        return super().get_context_data(grid=grid, rows=rows, **kwargs)


def question_csv_rows(grid: QuestionGrid) -> list[list[str | int]]:
    """A header, then one row per question: by theme, then by site."""
    rows: list[list[str | int]] = [
        [
            "theme",
            "locality",
            "question",
            "status",
            "answer",
            "date answered",
            "sites asking it",
            "sites that answered it",
        ]
    ]
    for theme in grid.themes:
        across = {programme_key(question.text): question for question in theme.programme}
        for site, questions in zip(grid.sites, theme.cells, strict=True):
            for question in questions:
                rows.append(
                    [
                        theme.label,
                        spreadsheet_safe(site.name),
                        spreadsheet_safe(question.text),
                        question.status_label,
                        spreadsheet_safe(question.answer),
                        question.answered_on.isoformat() if question.answered_on else "",
                        across[programme_key(question.text)].sites,
                        across[programme_key(question.text)].answered_by,
                    ]
                )
    return rows


class PortfolioQuestionsCsvView(ReviewersOnlyMixin, View):
    def get(self, request, *args, **kwargs):
        return csv_response("portfolio-questions", question_csv_rows(self.question_grid()))


class PortfolioPrototypesView(ReviewersOnlyMixin, TemplateView):
    template_name = "blueprints/portfolio_prototypes.html"

    def get_context_data(self, **kwargs):
        table = self.prototype_table()
        headers = [
            {
                "column": column,
                "sorted": column == table.sort.column,
                "aria_sort": (
                    ("descending" if table.sort.descending else "ascending")
                    if column == table.sort.column
                    else None
                ),
                # A second click on the sorted column turns the order round.
                "link": Sort(
                    column, column == table.sort.column and not table.sort.descending
                ).param,
            }
            for column in COLUMNS
        ]
        return super().get_context_data(table=table, headers=headers, **kwargs)


def _amount(value) -> str:
    return "" if value is None else str(value)


def prototype_csv_rows(table: PrototypeTable) -> list[list[str | int]]:
    """A header, then one row per decided prototype, in the table's order."""
    rows: list[list[str | int]] = [
        [
            "locality",
            "prototype",
            "section of the blueprint",
            "questions tested",
            "families reached",
            "of them hardest to reach",
            "staff hours",
            "volunteer hours",
            "cash cost",
            "value given in kind",
            "income",
            "net cost",
            "cost per family",
            "decision",
        ]
    ]
    for row in table.rows:
        prototype = row.prototype
        rows.append(
            [
                spreadsheet_safe(row.site.name),
                spreadsheet_safe(prototype.title),
                spreadsheet_safe("; ".join(row.section)),
                spreadsheet_safe("; ".join(question.text for question in row.questions)),
                _amount(prototype.families_reached),
                _amount(prototype.hardest_to_reach),
                _amount(prototype.staff_hours),
                _amount(prototype.volunteer_hours),
                _amount(prototype.cash_cost),
                _amount(prototype.in_kind_value),
                _amount(prototype.income),
                _amount(prototype.net_cost),
                # The amount when there is one, else why not ("not reached").
                _amount(prototype.cost_per_family) or row.cost_per_family_text,
                row.decision_label,
            ]
        )
    return rows


class PortfolioPrototypesCsvView(ReviewersOnlyMixin, View):
    def get(self, request, *args, **kwargs):
        return csv_response("portfolio-prototypes", prototype_csv_rows(self.prototype_table()))


# Community resources across sites (issue 15) -------------------------------------------


class PortfolioResourcesView(ReviewersOnlyMixin, TemplateView):
    template_name = "blueprints/portfolio_resources.html"

    def get_context_data(self, **kwargs):
        sites = build_resources(self.localities())
        return super().get_context_data(sites=sites, leans_most=leans_most(sites), **kwargs)


def _figure(value) -> str:
    return "" if value is None else str(value)


def _hours(value) -> str:
    """Hours in tenths, as the models keep them ("30.0"), whatever the database summed to."""
    return "" if value is None else f"{value:.1f}"


def _pounds(value) -> str:
    return f"{value:.2f}"


def resource_csv_rows(sites: list[SiteResources]) -> list[list[str | int]]:
    """A header, then one row per site."""
    rows: list[list[str | int]] = [
        [
            "locality",
            "blueprint",
            "blueprint is the top idea's",
            "volunteer hours a week its blueprint needs",
            "blueprint's shortfall in hours a week",
            "volunteer roles",
            "volunteer hours a week needed",
            "active volunteers",
            "most hours a week per volunteer",
            "volunteer hours a week available",
            "shortfall in hours a week",
            "interested (latest month)",
            "trained (latest month)",
            "left (latest month)",
            "active who once used the service",
            "partners",
            "money asked (£)",
            "money pledged (£)",
            "money delivered (£)",
            "in kind pledged or delivered (£)",
            "other contributions",
            "spaces",
            "spaces open out of hours",
        ]
    ]
    for site in sites:
        rows.append(
            [
                spreadsheet_safe(site.locality.name),
                spreadsheet_safe(site.blueprint_title),
                ("yes" if site.blueprint_of_top_idea else "no") if site.blueprint_id else "",
                _hours(site.blueprint_hours_needed) if site.blueprint_id else "",
                _hours(site.blueprint_shortfall) if site.blueprint_id else "",
                site.roles,
                str(site.hours_needed),
                site.active,
                _figure(site.locality.volunteer_hours_limit),
                _figure(site.hours_available),
                _figure(site.shortfall),
                site.interested,
                site.trained,
                site.left,
                site.former_users,
                site.partners,
                _pounds(site.money["asked"]),
                _pounds(site.money["pledged"]),
                _pounds(site.money["delivered"]),
                _pounds(site.in_kind),
                site.other_contributions,
                site.spaces,
                site.out_of_hours_spaces,
            ]
        )
    return rows


class PortfolioResourcesCsvView(ReviewersOnlyMixin, View):
    def get(self, request, *args, **kwargs):
        return csv_response(
            "portfolio-resources", resource_csv_rows(build_resources(self.localities()))
        )

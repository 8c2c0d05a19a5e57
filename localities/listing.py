"""Helpers every app's list pages and exports share."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def paginate(request, queryset, per_page: int = 25) -> Page:
    """The requested page; a page number that is not a number or out of range never fails.

    `page.numbers` lists the page links to show around the current page, with "…" for
    the pages left out (templates/includes/_pagination.html draws them).
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.numbers = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


def spreadsheet_safe(value: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def count_of(queryset: QuerySet, field: str = "pk") -> Coalesce:
    """A correlated COUNT of `queryset` grouped by `field` (for `annotate`), so that several
    counts on one row do not multiply each other's joins."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(field).annotate(n=Count("*")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )

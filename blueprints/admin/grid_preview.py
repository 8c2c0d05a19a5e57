"""The blueprint's grid, read-only, on its admin change page, read through the one grid
read model (`blueprints.grid`) that the editor, the text view and the exports use."""

from django.template.loader import render_to_string

from blueprints.grid import read_grid
from blueprints.models import Blueprint


def grid_preview_html(blueprint: Blueprint) -> str:
    """Phases as columns, lanes as rows, each card's title and kind in words (three queries:
    phases, lanes, cards)."""
    if blueprint.pk is None:
        return ""
    grid = read_grid(blueprint)
    return render_to_string(
        "admin/blueprints/blueprint/_grid_preview.html",
        {"phases": grid.phases, "rows": grid.rows, "card_count": len(grid.cards)},
    )

"""The blueprint's grid, read-only, on its admin change page (issue 5).

Its own reader of the grid for now; it moves to the grid read model with the rest.
"""

from django.template.loader import render_to_string

from blueprints.models import Blueprint, Card, Lane, Phase


def grid_preview_html(blueprint: Blueprint) -> str:
    """The blueprint's grid in three queries (phases, lanes, cards): phases as columns,
    lanes as rows, each card's title and kind in words."""
    if blueprint.pk is None:
        return ""
    phases = list(Phase.objects.filter(blueprint=blueprint).order_by("position"))
    lanes = list(Lane.objects.filter(blueprint=blueprint).order_by("position"))
    cells: dict[tuple[int, int], list[Card]] = {}
    for card in Card.objects.filter(blueprint=blueprint).order_by("position"):
        cells.setdefault((card.phase_id, card.lane_id), []).append(card)
    return render_to_string(
        "admin/blueprints/blueprint/_grid_preview.html",
        {
            "phases": phases,
            "rows": [
                (lane, [cells.get((phase.pk, lane.pk), []) for phase in phases]) for lane in lanes
            ],
            "card_count": sum(len(cards) for cards in cells.values()),
        },
    )

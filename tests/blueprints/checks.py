"""Assertions about a blueprint's invariants, read straight from the database."""

from collections import defaultdict

from blueprints.models import Blueprint, Card, Lane, Phase


def assert_positions_dense(blueprint: Blueprint) -> None:
    """Phases, lanes and every cell's cards are numbered 0..n-1, each number once."""
    for model in (Phase, Lane):
        positions = list(
            model.objects.filter(blueprint=blueprint)
            .order_by("position")
            .values_list("position", flat=True)
        )
        assert positions == list(range(len(positions))), (model.__name__, positions)
    cells = defaultdict(list)
    for phase_id, lane_id, position in Card.objects.filter(blueprint=blueprint).values_list(
        "phase_id", "lane_id", "position"
    ):
        cells[(phase_id, lane_id)].append(position)
    for cell, positions in cells.items():
        assert sorted(positions) == list(range(len(positions))), (cell, sorted(positions))


def cell_titles(phase: Phase, lane: Lane) -> list[str]:
    return list(
        Card.objects.filter(phase=phase, lane=lane)
        .order_by("position")
        .values_list("title", flat=True)
    )

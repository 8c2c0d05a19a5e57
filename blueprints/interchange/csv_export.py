"""A blueprint's cards as CSV, for spreadsheets: one row a card, in grid order. Export only:
a spreadsheet is not read back."""

from __future__ import annotations

import csv
from typing import IO

from blueprints.grid import read_grid
from blueprints.models import Blueprint
from localities.listing import spreadsheet_safe

HEADER = ["phase", "lane", "position", "kind", "title", "details", "emotion"]


def write_cards_csv(blueprint: Blueprint, out: IO[str]) -> int:
    """Write the cards to `out`; returns how many. Positions count from 1 within a cell.

    Text goes through `spreadsheet_safe`, so a title such as `=HYPERLINK(...)` stays text;
    the emotion is written as a number (-2 to 2), which no spreadsheet runs as a formula.
    """
    export = read_grid(blueprint)
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for card in export.cards:
        writer.writerow(
            [
                spreadsheet_safe(card.phase.name),
                spreadsheet_safe(card.lane.name),
                card.position + 1,
                card.kind_label,
                spreadsheet_safe(card.title),
                spreadsheet_safe(card.details),
                "" if card.emotion is None else card.emotion,
            ]
        )
    return len(export.cards)

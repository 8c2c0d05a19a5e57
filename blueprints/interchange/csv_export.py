"""A blueprint as CSV, for spreadsheets: its cards (one row a card, in grid order), its
delivery questions and its prototypes with their results (issue 12). Export only: a
spreadsheet is not read back. Every text cell goes through `spreadsheet_safe`."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import IO

from blueprints.grid import read_grid, read_planning_details
from blueprints.models import Blueprint, Card
from localities.listing import spreadsheet_safe

HEADER = [
    "phase",
    "lane",
    "position",
    "kind",
    "title",
    "details",
    "emotion",
    "space",
    "partner",
    "volunteer role",
    "volunteer hours a week",
]


def _card_resources(blueprint: Blueprint) -> dict[int, tuple]:
    """Each card's space, partner and volunteer role by name, and its volunteer hours a
    week (issue 15): one query for every card."""
    return {
        pk: rest
        for pk, *rest in Card.objects.filter(blueprint=blueprint).values_list(
            "pk", "space__name", "partner__organisation", "volunteer_role__name", "volunteer_hours"
        )
    }


def write_cards_csv(blueprint: Blueprint, out: IO[str]) -> int:
    """Write the cards to `out`; returns how many. Positions count from 1 within a cell.

    Text goes through `spreadsheet_safe`, so a title such as `=HYPERLINK(...)` stays text;
    the emotion is written as a number (-2 to 2), which no spreadsheet runs as a formula,
    and so are the volunteer hours (never negative). The space, partner and volunteer role
    are named as the locality's resources pages name them, text made safe as the titles are.
    """
    export = read_grid(blueprint)
    resources = _card_resources(blueprint)
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for card in export.cards:
        space, partner, role, hours = resources.get(card.pk, (None, None, None, None))
        writer.writerow(
            [
                spreadsheet_safe(card.phase.name),
                spreadsheet_safe(card.lane.name),
                card.position + 1,
                card.kind_label,
                spreadsheet_safe(card.title),
                spreadsheet_safe(card.details),
                "" if card.emotion is None else card.emotion,
                spreadsheet_safe(space or ""),
                spreadsheet_safe(partner or ""),
                spreadsheet_safe(role or ""),
                _number(hours),
            ]
        )
    return len(export.cards)


QUESTION_HEADER = [
    "theme",
    "delivery challenge",
    "question",
    "status",
    "owner",
    "answer",
    "date answered",
    "insights",
    "ideas",
    "tested by prototypes",
]
PROTOTYPE_HEADER = [
    "prototype",
    "status",
    "decision",
    "starts on",
    "ends on",
    "questions tested",
    "delivery challenges",
    "families reached",
    "of them hardest to reach",
    "staff hours",
    "volunteer hours",
    "cash cost",
    "given in kind",
    "value in kind",
    "income",
    "net cost",
    "cost per family",
    "measures",
    "what we learned",
]
LIST_SEPARATOR = "; "


def _planning(blueprint: Blueprint):
    grid = read_grid(blueprint, planning=True)
    read_planning_details(grid.challenges, grid.prototypes)
    return grid


def _joined(texts: Iterable[str]) -> str:
    return spreadsheet_safe(LIST_SEPARATOR.join(texts))


def _number(value: Decimal | int | None) -> str | Decimal | int:
    """A count or an amount as a number (none of them is negative, so none reads as a
    formula), or empty when not recorded."""
    return "" if value is None else value


def _person(user) -> str:
    return spreadsheet_safe(user.get_full_name() or user.username) if user else ""


def write_questions_csv(blueprint: Blueprint, out: IO[str]) -> int:
    """Write the delivery challenges' questions to `out`, a row each, challenge by challenge
    in the pages' order; returns how many. A constant number of queries."""
    grid = _planning(blueprint)
    tested_by: dict[int, list[str]] = {}
    for prototype in grid.prototypes:
        for question in prototype.question_list:
            tested_by.setdefault(question.pk, []).append(prototype.title)
    writer = csv.writer(out)
    writer.writerow(QUESTION_HEADER)
    count = 0
    for challenge in grid.challenges:
        for question in challenge.question_list:
            writer.writerow(
                [
                    challenge.get_theme_display(),
                    spreadsheet_safe(challenge.title),
                    spreadsheet_safe(question.text),
                    question.get_status_display(),
                    _person(question.owner),
                    spreadsheet_safe(question.answer),
                    question.answered_on.isoformat() if question.answered_on else "",
                    _joined(question.insight_statements),
                    _joined(question.idea_titles),
                    _joined(tested_by.get(question.pk, [])),
                ]
            )
            count += 1
    return count


def _measure(measure) -> str:
    def shown(value: Decimal | None) -> str:
        return "–" if value is None else f"{value.normalize():f}"

    unit = f" ({measure.unit})" if measure.unit else ""
    return (
        f"{measure.name}{unit}: baseline {shown(measure.baseline)}, "
        f"target {shown(measure.target)}, actual {shown(measure.actual)}"
    )


def cost_per_family_text(prototype) -> str | Decimal:
    """The cost per family reached, or why there is none: "not reached" when no family was
    (never a division by zero), empty when no cost is recorded."""
    if not prototype.families_reached:
        return "not reached" if prototype.families_reached == 0 else ""
    return _number(prototype.cost_per_family)


def write_prototypes_csv(blueprint: Blueprint, out: IO[str]) -> int:
    """Write the prototypes, with their results and measures, to `out`, a row each in the
    pages' order (start date, then title); returns how many. A constant number of queries."""
    grid = _planning(blueprint)
    writer = csv.writer(out)
    writer.writerow(PROTOTYPE_HEADER)
    for p in grid.prototypes:
        writer.writerow(
            [
                spreadsheet_safe(p.title),
                p.get_status_display(),
                p.get_decision_display(),
                p.starts_on.isoformat() if p.starts_on else "",
                p.ends_on.isoformat() if p.ends_on else "",
                _joined(question.text for question in p.question_list),
                _joined(challenge.title for challenge in p.challenge_list),
                _number(p.families_reached),
                _number(p.hardest_to_reach),
                _number(p.staff_hours),
                _number(p.volunteer_hours),
                _number(p.cash_cost),
                spreadsheet_safe(p.in_kind_description),
                _number(p.in_kind_value),
                _number(p.income),
                # Income may exceed the costs: a negative net cost, written as text with a
                # leading apostrophe by spreadsheet_safe, never as a formula.
                spreadsheet_safe(str(p.net_cost)) if p.net_cost is not None else "",
                spreadsheet_safe(str(cost_per_family_text(p))),
                _joined(_measure(measure) for measure in p.measure_list),
                spreadsheet_safe(p.learning),
            ]
        )
    return len(grid.prototypes)

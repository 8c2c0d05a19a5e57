"""What the PDFs show of a blueprint, and how its grid is laid out on paper.

`blueprint_export(blueprint)` reads the grid through `blueprints.grid.read_grid` (with
insights, links, delivery challenges and their questions, and prototypes with their results
and measures, in a fixed number of queries however many cards or questions) and adds what
paper needs: each card's details cut to a bounded length and its evidence references, the
evidence (insights cited by cards) numbered E1, E2... in the order the grid first cites
them. `phase_groups(export, ...)` lays the grid out for paper: a blueprint wider than a page
is split by phases, and a tall cell into bands of a few cards, each band with its lane's
name, so every page can be read on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from blueprints.emotion import Curve
from blueprints.grid import Grid, Line, read_grid, read_planning_details
from blueprints.models import Blueprint, Card, Lane, Phase

# In the grid, long details are cut (the text view and the JSON keep them whole), so that
# a card has a bounded height and a band of cards always fits on a page.
GRID_DETAILS_LENGTH = 200
CITED_BY_SHOWN = 12


@dataclass
class EvidenceItem:
    insight_id: int
    ref: str
    statement: str
    subject: str
    source: str
    gathered_on: date | None
    cited_by: list[Card] = field(default_factory=list)

    @property
    def cited_by_shown(self) -> list[Card]:
        return self.cited_by[:CITED_BY_SHOWN]

    @property
    def cited_by_more(self) -> int:
        return max(0, len(self.cited_by) - CITED_BY_SHOWN)


@dataclass
class BlueprintExport(Grid):
    """The grid as the PDFs read it, and the evidence its cards cite, numbered."""

    evidence: list[EvidenceItem] = field(default_factory=list)


def _excerpt(text: str, length: int = GRID_DETAILS_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rstrip() + "…"


def blueprint_export(blueprint: Blueprint) -> BlueprintExport:
    """Everything a blueprint PDF shows, in a fixed number of queries however many cards.

    `blueprint` should come with its locality and idea (select_related).
    """
    grid = read_grid(blueprint, insights=True, links=True, planning=True)
    read_planning_details(grid.challenges, grid.prototypes)
    evidence: dict[int, EvidenceItem] = {}
    for card in grid.cards:
        card.details_excerpt = _excerpt(card.details)
        refs = []
        for insight in card.insight_list:
            item = evidence.get(insight.pk)
            if item is None:
                item = evidence[insight.pk] = EvidenceItem(
                    insight.pk,
                    f"E{len(evidence) + 1}",
                    insight.statement,
                    insight.subject,
                    insight.source,
                    insight.gathered_on,
                )
            item.cited_by.append(card)
            refs.append(item.ref)
        card.evidence_refs = sorted(refs, key=lambda ref: int(ref[1:]))
    parts = {part.name: getattr(grid, part.name) for part in fields(Grid)}
    return BlueprintExport(**parts, evidence=list(evidence.values()))


# Laying the grid out on paper ------------------------------------------------------------


@dataclass
class Band:
    """Some of one lane's cards across a group of phases: at most `cards_per_band` a cell."""

    lane: Lane
    cells: list[list[Card]]
    part: int
    parts: int

    @property
    def continued(self) -> bool:
        return self.part > 1


# The curve under the family lane, in millimetres: one column per phase.
CURVE_HEIGHT = 24.0
CURVE_PAD = 4.0


@dataclass
class GridRow:
    kind: str  # "band", "line" or "emotion"
    band: Band | None = None
    lines: tuple[Line, ...] = ()
    curve: Curve | None = None


@dataclass
class PhaseGroup:
    phases: list[Phase]
    first: int  # 1-based number of its first phase
    last: int
    total: int
    rows: list[GridRow]
    phase_width_mm: float
    width_mm: float  # lane column and phase columns: a fixed table layout needs it

    @property
    def is_whole(self) -> bool:
        return self.first == 1 and self.last == self.total


def balanced_chunks(items: list, most: int) -> list[list]:
    """`items` in as few groups of at most `most` as possible, their sizes within one of
    each other: 6 phases at most 5 a page make 3 + 3, not 5 + 1."""
    if not items:
        return [[]]
    count = -(-len(items) // most)
    base, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        size = base + (1 if index < extra else 0)
        chunks.append(items[start : start + size])
        start += size
    return chunks


def phase_groups(
    export: BlueprintExport,
    *,
    cards_per_band: int,
    phases_per_group: int,
    usable_width: float,
    lane_width: float,
    max_phase_width: float,
) -> list[PhaseGroup]:
    """The grid cut into pages' worth: phases in balanced groups, each lane in bands of cards.

    A group's phases share the page's width (up to `max_phase_width` mm each: wider columns
    mean fewer lines of text, and text is what takes a PDF long to make). The family's
    emotion curve follows the first family lane (each card's emotion a dot, the mean a line,
    the worst moment of the whole blueprint marked on the page that shows it); the lines sit
    between the lanes they separate.
    """
    phases = export.phases
    groups = []
    start = 1
    for chunk in balanced_chunks(phases, phases_per_group):
        phase_width = round(
            min((usable_width - lane_width) / max(len(chunk), 1), max_phase_width), 2
        )
        rows: list[GridRow] = []
        curve_drawn = False
        for lane in export.lanes:
            lines = export.lines_above.get(lane.pk, ())
            if lines:
                rows.append(GridRow("line", lines=lines))
            cells = [export.cards_in(phase.pk, lane.pk) for phase in chunk]
            tallest = max((len(cell) for cell in cells), default=0)
            parts = max(1, -(-tallest // cards_per_band))
            for part in range(parts):
                window = slice(part * cards_per_band, (part + 1) * cards_per_band)
                band = Band(lane, [cell[window] for cell in cells], part + 1, parts)
                rows.append(GridRow("band", band=band))
            if lane.allows_emotion and chunk and not curve_drawn:
                in_chunk = {phase.pk for phase in chunk}
                points = [point for point in export.emotion if point.phase.pk in in_chunk]
                curve = Curve.build(
                    points,
                    column=phase_width,
                    height=CURVE_HEIGHT,
                    pad=CURVE_PAD,
                    worst_of=export.emotion,
                )
                rows.append(GridRow("emotion", curve=curve))
                curve_drawn = True
        width = lane_width + len(chunk) * phase_width
        groups.append(
            PhaseGroup(chunk, start, start + len(chunk) - 1, len(phases), rows, phase_width, width)
        )
        start += len(chunk)
    return groups

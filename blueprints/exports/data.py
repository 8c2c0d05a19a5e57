"""What a blueprint export shows, read in a fixed number of queries whatever its size.

`blueprint_export(blueprint)` gathers the grid, the lines, the family's emotion curve,
delivery challenges, prototypes and the evidence (insights cited by cards) into plain
objects; `phase_groups(export, cards_per_band, phases_per_group)` lays the grid out for
paper: a blueprint wider than a page is split by phases, and a tall cell into bands of a few
cards, each band with its lane's name, so every page can be read on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from blueprints.models import (
    Blueprint,
    BlueprintLine,
    Card,
    CardLink,
    DeliveryChallenge,
    Lane,
    Phase,
    Prototype,
    lane_boundaries,
)
from localities.models import Insight

# In the grid, long details are cut (the text view and the JSON keep them whole), so that
# a card has a bounded height and a band of cards always fits on a page.
GRID_DETAILS_LENGTH = 200
CITED_BY_SHOWN = 12

EMOTION_WORDS = {
    -2: "very unhappy",
    -1: "unhappy",
    0: "neither happy nor unhappy",
    1: "happy",
    2: "very happy",
}
KIND_MARKS = {
    Card.Kind.STEP: "●",
    Card.Kind.TOUCHPOINT: "◆",
    Card.Kind.PAIN_POINT: "▲",
    Card.Kind.OPPORTUNITY: "★",
    Card.Kind.QUESTION: "?",
}
KIND_MEANINGS = {
    Card.Kind.STEP: "something a person does",
    Card.Kind.TOUCHPOINT: "where the family meets the service",
    Card.Kind.PAIN_POINT: "where it goes wrong or hurts",
    Card.Kind.OPPORTUNITY: "where it could be better",
    Card.Kind.QUESTION: "what the team does not know yet",
}
LINE_MEANINGS = {
    BlueprintLine.INTERACTION: "where the family and the service meet",
    BlueprintLine.VISIBILITY: "families see what is above it, not what is below",
    BlueprintLine.INTERNAL_INTERACTION: "where the service's work meets what supports it",
}


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    mark: str
    meaning: str


KINDS = [
    Kind(value, label, KIND_MARKS[value], KIND_MEANINGS[value])
    for value, label in Card.Kind.choices
]


@dataclass(frozen=True)
class EmotionPoint:
    """The family's mean emotion in one phase, from the family-lane cards that have one."""

    phase: Phase
    mean: float | None
    count: int

    @property
    def text(self) -> str:
        if self.mean is None:
            return "none recorded"
        if self.mean == 0:
            return "0"
        return f"{self.mean:+.1f}".removesuffix(".0").replace("-", "−")


@dataclass(frozen=True)
class Line:
    value: str
    label: str
    meaning: str


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
class BlueprintExport:
    blueprint: Blueprint
    phases: list[Phase]
    lanes: list[Lane]
    cards: list[Card]
    cells: dict[tuple[int, int], list[Card]]
    lines_above: dict[int, tuple[Line, ...]]
    emotion: list[EmotionPoint]
    challenges: list[DeliveryChallenge]
    prototypes: list[Prototype]
    evidence: list[EvidenceItem]
    kinds: list[Kind] = field(default_factory=lambda: KINDS)

    @property
    def lines(self) -> list[Line]:
        return [line for lines in self.lines_above.values() for line in lines]

    @property
    def has_family_lane(self) -> bool:
        return any(lane.allows_emotion for lane in self.lanes)


def _excerpt(text: str, length: int = GRID_DETAILS_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _emotion_text(value: int | None) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)} ({EMOTION_WORDS[value]})"


def blueprint_export(blueprint: Blueprint) -> BlueprintExport:
    """Everything a blueprint export shows, in eleven queries however many cards there are.

    `blueprint` should come with its locality and idea (select_related).
    """
    phases = list(Phase.objects.filter(blueprint=blueprint).order_by("position"))
    lanes = list(Lane.objects.filter(blueprint=blueprint).order_by("position"))
    for lane in lanes:
        lane.canonical = Lane.CANONICAL_NAMES.get(lane.role, "")
    phase_by_id = {phase.pk: phase for phase in phases}
    lane_by_id = {lane.pk: lane for lane in lanes}
    cards = list(
        Card.objects.filter(blueprint=blueprint)
        .only("id", "phase_id", "lane_id", "position", "title", "details", "kind", "emotion")
        .order_by("phase_id", "lane_id", "position")
    )
    card_by_id = {card.pk: card for card in cards}

    # Evidence, numbered E1, E2... in the order the grid first cites them.
    cited = defaultdict(list)
    insights: dict[int, dict] = {}
    for card_id, insight_id, statement, subject, source, gathered_on in (
        Card.insights.through.objects.filter(card__blueprint_id=blueprint.pk)
        .order_by("insight__statement", "insight_id")
        .values_list(
            "card_id",
            "insight_id",
            "insight__statement",
            "insight__subject",
            "insight__source",
            "insight__gathered_on",
        )
    ):
        cited[card_id].append(insight_id)
        insights[insight_id] = {
            "statement": statement,
            "subject": Insight.Subject(subject).label if subject in Insight.Subject else subject,
            "source": Insight.Source(source).label if source in Insight.Source else source,
            "gathered_on": gathered_on,
        }
    serves = defaultdict(list)
    for from_id, to_id in (
        CardLink.objects.filter(from_card__blueprint_id=blueprint.pk)
        .order_by("from_card_id", "to_card_id")
        .values_list("from_card_id", "to_card_id")
    ):
        if to_id in card_by_id:
            serves[from_id].append(card_by_id[to_id])

    phase_order = {phase.pk: i for i, phase in enumerate(phases)}
    lane_order = {lane.pk: i for i, lane in enumerate(lanes)}
    cards.sort(key=lambda c: (phase_order[c.phase_id], lane_order[c.lane_id], c.position))
    evidence: dict[int, EvidenceItem] = {}
    cells: dict[tuple[int, int], list[Card]] = defaultdict(list)
    emotion_sums: dict[int, list[int]] = defaultdict(list)
    kind_labels = dict(Card.Kind.choices)
    for card in cards:
        card.phase = phase_by_id[card.phase_id]
        card.lane = lane_by_id[card.lane_id]
        card.kind_label = kind_labels.get(card.kind, card.kind)
        card.kind_mark = KIND_MARKS.get(card.kind, "")
        card.details_excerpt = _excerpt(card.details)
        card.emotion_text = _emotion_text(card.emotion)
        card.serves_cards = serves.get(card.pk, [])
        refs = []
        for insight_id in cited.get(card.pk, []):
            item = evidence.get(insight_id)
            if item is None:
                item = evidence[insight_id] = EvidenceItem(
                    insight_id, f"E{len(evidence) + 1}", **insights[insight_id]
                )
            item.cited_by.append(card)
            refs.append(item.ref)
        card.evidence_refs = sorted(refs, key=lambda ref: int(ref[1:]))
        card.insight_statements = sorted(
            {insights[insight_id]["statement"] for insight_id in cited.get(card.pk, [])}
        )
        cells[(card.phase_id, card.lane_id)].append(card)
        if card.emotion is not None and card.lane.allows_emotion:
            emotion_sums[card.phase_id].append(card.emotion)

    emotion = [
        EmotionPoint(
            phase,
            sum(emotion_sums[phase.pk]) / len(emotion_sums[phase.pk])
            if emotion_sums[phase.pk]
            else None,
            len(emotion_sums[phase.pk]),
        )
        for phase in phases
    ]
    lines_above = {
        boundary.below.pk: tuple(
            Line(line.value, line.label, LINE_MEANINGS[line]) for line in boundary.lines
        )
        for boundary in lane_boundaries(lanes)
    }

    challenge_cards = defaultdict(list)
    for challenge_id, card_id in DeliveryChallenge.cards.through.objects.filter(
        deliverychallenge__blueprint_id=blueprint.pk
    ).values_list("deliverychallenge_id", "card_id"):
        if card_id in card_by_id:
            challenge_cards[challenge_id].append(card_by_id[card_id])
    challenges = list(
        DeliveryChallenge.objects.filter(blueprint=blueprint).order_by("theme", "title", "pk")
    )
    challenge_by_id = {challenge.pk: challenge for challenge in challenges}
    for challenge in challenges:
        challenge.card_list = _in_grid_order(challenge_cards[challenge.pk], phase_order, lane_order)

    prototype_cards = defaultdict(list)
    for prototype_id, card_id in Prototype.cards.through.objects.filter(
        prototype__blueprint_id=blueprint.pk
    ).values_list("prototype_id", "card_id"):
        if card_id in card_by_id:
            prototype_cards[prototype_id].append(card_by_id[card_id])
    prototype_challenges = defaultdict(list)
    for prototype_id, challenge_id in Prototype.delivery_challenges.through.objects.filter(
        prototype__blueprint_id=blueprint.pk
    ).values_list("prototype_id", "deliverychallenge_id"):
        if challenge_id in challenge_by_id:
            prototype_challenges[prototype_id].append(challenge_by_id[challenge_id])
    prototypes = list(
        Prototype.objects.filter(blueprint=blueprint).order_by("starts_on", "title", "pk")
    )
    for prototype in prototypes:
        prototype.card_list = _in_grid_order(prototype_cards[prototype.pk], phase_order, lane_order)
        prototype.challenge_list = sorted(
            prototype_challenges[prototype.pk], key=lambda c: (c.title, c.pk)
        )

    return BlueprintExport(
        blueprint=blueprint,
        phases=phases,
        lanes=lanes,
        cards=cards,
        cells=cells,
        lines_above=lines_above,
        emotion=emotion,
        challenges=challenges,
        prototypes=prototypes,
        evidence=sorted(evidence.values(), key=lambda item: int(item.ref[1:])),
    )


def _in_grid_order(cards: list[Card], phase_order: dict, lane_order: dict) -> list[Card]:
    return sorted(cards, key=lambda c: (phase_order[c.phase_id], lane_order[c.lane_id], c.position))


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


@dataclass(frozen=True)
class CurvePoint:
    x: float
    y: float
    point: EmotionPoint

    @property
    def label_x(self) -> float:
        return self.x + 2


@dataclass
class Curve:
    """The family's emotion across a group of phases, as coordinates for an inline SVG.

    Units are millimetres, one column per phase; each mean is also written as text by its
    point, so the curve reads without colour and survives black-and-white printing.
    """

    width: float
    height: float
    points: list[CurvePoint]
    segments: list[tuple[CurvePoint, CurvePoint]]
    guides: list[tuple[float, str]]  # (y, label) for +2, 0 and -2


CURVE_HEIGHT = 24.0
CURVE_PAD = 4.0


def _curve_y(value: float) -> float:
    return CURVE_PAD + (2 - value) / 4 * (CURVE_HEIGHT - 2 * CURVE_PAD)


def emotion_curve(points: list[EmotionPoint], phase_width: float) -> Curve:
    placed = [
        CurvePoint((i + 0.5) * phase_width, _curve_y(p.mean if p.mean is not None else 0), p)
        for i, p in enumerate(points)
    ]
    segments = [
        (a, b)
        for a, b in zip(placed, placed[1:], strict=False)
        if a.point.mean is not None and b.point.mean is not None
    ]
    guides = [(_curve_y(2), "+2"), (_curve_y(0), "0"), (_curve_y(-2), "−2")]
    return Curve(len(points) * phase_width, CURVE_HEIGHT, placed, segments, guides)


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
    emotion curve follows the first family lane; the lines sit between the lanes they
    separate.
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
            cells = [export.cells.get((phase.pk, lane.pk), []) for phase in chunk]
            tallest = max((len(cell) for cell in cells), default=0)
            parts = max(1, -(-tallest // cards_per_band))
            for part in range(parts):
                window = slice(part * cards_per_band, (part + 1) * cards_per_band)
                band = Band(lane, [cell[window] for cell in cells], part + 1, parts)
                rows.append(GridRow("band", band=band))
            if lane.allows_emotion and chunk and not curve_drawn:
                in_chunk = {phase.pk for phase in chunk}
                points = [point for point in export.emotion if point.phase.pk in in_chunk]
                rows.append(GridRow("emotion", curve=emotion_curve(points, phase_width)))
                curve_drawn = True
        width = lane_width + len(chunk) * phase_width
        groups.append(
            PhaseGroup(chunk, start, start + len(chunk) - 1, len(phases), rows, phase_width, width)
        )
        start += len(chunk)
    return groups

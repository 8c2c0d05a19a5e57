"""The blueprint's grid, read one way for every page that shows it.

`read_grid(blueprint)` gathers the phases, the lanes, the cells of cards (each card with its
phase, lane, kind and emotion in words), the lines between the lanes and the family's
emotion curve, and on request each card's insights, its links and the delivery challenges
and prototypes that touch it: a constant number of queries however many cards there are.
The editor, the text view, the PDF and the JSON and CSV exports read the grid through it;
the admin's preview can too (`read_grid(blueprint)`, then `grid.rows`).

How emotions and the curve are worded and drawn is in `blueprints.emotion`, the same for
every page. Past 400 lines: the readers of a card's optional parts (insights, links,
delivery challenges and prototypes) sit beside `read_grid`, which they finish.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Substr

from blueprints.emotion import (
    CardEmotion,
    EmotionPoint,
    emotion_points,
    emotion_text,
    points_from_cards,
    worst_card,
)
from blueprints.models import (
    Blueprint,
    BlueprintLine,
    Card,
    CardLink,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
    PrototypeMeasure,
    lane_boundaries,
)
from blueprints.models.grid import lanes_out_of_role_order
from localities.models import Insight

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
KIND_LABELS = dict(Card.Kind.choices)
# The lane roles in role order, each with its service-design term (for the add-lane menus).
ROLES = [(role.value, f"{role.label}: {Lane.CANONICAL_NAMES[role]}") for role in Lane.Role]
LINE_MEANINGS = {
    BlueprintLine.INTERACTION: "where the family and the service meet",
    BlueprintLine.VISIBILITY: "families see what is above it, not what is below",
    BlueprintLine.INTERNAL_INTERACTION: "where the service's own work meets the support "
    "structures and processes behind it",
}
# Delivery challenges read in their themes' declared order (engaging families first).
THEME_ORDER = {value: index for index, value in enumerate(DeliveryChallenge.Theme.values)}


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
class Line:
    """A line between two lanes (`value` and `label` as BlueprintLine's), and what it means."""

    value: str
    label: str
    meaning: str


@dataclass(frozen=True)
class Boundary:
    above: Lane
    below: Lane
    lines: tuple[Line, ...]


# The grid --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InsightRef:
    """An insight a card cites, as the grid's readers show it."""

    pk: int
    statement: str
    subject: str  # in words
    source: str  # in words
    gathered_on: date | None


@dataclass
class Cell:
    phase: Phase
    lane: Lane
    cards: list[Card]
    first_phase: bool = False
    last_phase: bool = False

    @property
    def ref(self) -> str:
        return f"{self.phase.pk}-{self.lane.pk}"

    @property
    def dom_id(self) -> str:
        return f"cell-{self.ref}"


@dataclass
class Row:
    """A lane across the phases, with the lines drawn between it and the lane above."""

    lane: Lane
    cells: list[Cell]
    lines_above: tuple[Line, ...] = ()


@dataclass
class Column:
    """A phase down the lanes, for readers that go phase by phase (the text view)."""

    phase: Phase
    cells: list[Cell]

    @property
    def card_count(self) -> int:
        return sum(len(cell.cards) for cell in self.cells)


@dataclass
class Grid:
    """A blueprint's grid. `cards` are in grid order (phase, lane, position), each with
    `phase`, `lane`, `kind_label`, `kind_mark`, `emotion_text`, `first_in_cell`,
    `last_in_cell`, `insight_count`, and what `read_grid` was asked for besides."""

    blueprint: Blueprint
    phases: list[Phase]
    lanes: list[Lane]
    cards: list[Card]
    rows: list[Row]
    boundaries: list[Boundary]
    emotion: list[EmotionPoint]
    challenges: list[DeliveryChallenge] = field(default_factory=list)
    prototypes: list[Prototype] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=lambda: KINDS)
    roles: list[tuple[str, str]] = field(default_factory=lambda: ROLES)

    def __post_init__(self) -> None:
        self._cells = {
            (cell.phase.pk, cell.lane.pk): cell for row in self.rows for cell in row.cells
        }

    def cell(self, phase_id: int, lane_id: int) -> Cell:
        return self._cells[(phase_id, lane_id)]

    def cards_in(self, phase_id: int, lane_id: int) -> list[Card]:
        cell = self._cells.get((phase_id, lane_id))
        return cell.cards if cell else []

    @property
    def columns(self) -> list[Column]:
        return [
            Column(phase, [row.cells[index] for row in self.rows if index < len(row.cells)])
            for index, phase in enumerate(self.phases)
        ]

    @property
    def lines_above(self) -> dict[int, tuple[Line, ...]]:
        return {boundary.below.pk: boundary.lines for boundary in self.boundaries}

    @property
    def lines(self) -> list[Line]:
        return [line for boundary in self.boundaries for line in boundary.lines]

    @cached_property
    def lanes_out_of_order(self) -> list[Lane]:
        """The lanes that break role order (the fewest that would have to move), if any:
        the editor warns about them; the lines are drawn from the actual order anyway."""
        return lanes_out_of_role_order(self.lanes)

    @property
    def has_family_lane(self) -> bool:
        return any(lane.allows_emotion for lane in self.lanes)

    @property
    def worst_moment(self) -> CardEmotion | None:
        """The family card with the lowest emotion (see `emotion.worst_card`)."""
        return worst_card(self.emotion)

    @property
    def emotion_lane_id(self) -> int | None:
        """The (first) family lane, under which the emotion curve is drawn."""
        return next((lane.pk for lane in self.lanes if lane.allows_emotion), None)


# What `read_grid(resources=True)` reads of the resources a card names.
RESOURCE_NAMES = (
    *Card.RESOURCE_FIELDS,
    "space__name",
    "partner__organisation",
    "volunteer_role__name",
)


def resource_text(card: Card) -> str:
    """The space, partner and volunteer role (with hours a week) a card names, in a line:
    "Town library; Health visitors; Peer supporter, 4 hours a week" (empty for none)."""
    parts = []
    if card.space_id:
        parts.append(card.space.name)
    if card.partner_id:
        parts.append(card.partner.organisation)
    if card.volunteer_role_id:
        role = card.volunteer_role.name
        if card.volunteer_hours is not None:
            hours = f"{card.volunteer_hours.normalize():f}"
            role += f", {hours} hour{'' if card.volunteer_hours == 1 else 's'} a week"
        parts.append(role)
    return "; ".join(parts)


def read_grid(
    blueprint: Blueprint,
    *,
    only_cells: Iterable[tuple[int, int]] | None = None,
    phases: list[Phase] | None = None,
    lanes: list[Lane] | None = None,
    excerpt: int | None = None,
    insights: bool = False,
    links: bool = False,
    touching: bool = False,
    planning: bool = False,
    resources: bool = False,
) -> Grid:
    """The blueprint's grid in a constant number of queries: phases, lanes and cards (three),
    and one more for each of `insights`, `links` and `touching`, five for `planning`.

    - `only_cells` (phase id, lane id pairs): those cells' cards only, for responses that
      redraw a cell or two; the emotion curve is then read (one query) only if one of the
      lanes is the family's. A caller that has read them passes `phases` (all, in order)
      and, with `only_cells`, `lanes` (at least those of the cells).
    - `excerpt`: leave the details unread and give each card `details_excerpt`, its first
      `excerpt` characters (and an ellipsis past them).
    - `insights`: each card's `insight_list` (InsightRef, by statement), and
      `insight_statements`.
    - `links`: each card's `serves_cards`, the cards it serves (oldest card first), and
      `served_by_cards`, those that serve it (of the cards read).
    - `touching`: each card's `challenge_titles` and `prototype_titles`, by title.
    - `resources`: each card's `space`, `partner` and `volunteer_role` (their names only,
      joined to the cards' query: no query more) and `resource_text`, a short line of them.
    - `planning`: the grid's `challenges` (by theme, then title) and `prototypes` (by start
      date, then title), each with `card_list` in grid order, prototypes with
      `challenge_list`; and `touching` too, from them.
    """
    if phases is None:
        phases = list(blueprint.phases.order_by("position"))
    if lanes is None:
        lanes = list(blueprint.lanes.order_by("position"))
    elif only_cells is None:
        raise ValueError("Pass lanes only with only_cells: the whole grid needs every lane.")
    wanted = None if only_cells is None else set(only_cells)
    for lane in lanes:
        lane.canonical = Lane.CANONICAL_NAMES.get(lane.role, "")

    fields = ["id", "blueprint_id", "phase_id", "lane_id", "position", "title", "kind"]
    fields += ["emotion", "version"]
    query = Card.objects.filter(blueprint=blueprint)
    if wanted is not None:
        condition = models.Q(pk__in=[])
        for phase_id, lane_id in wanted:
            condition |= models.Q(phase_id=phase_id, lane_id=lane_id)
        query = query.filter(condition)
    if excerpt is None:
        query = query.only(*fields, "details")
    else:
        query = query.only(*fields).annotate(details_excerpt=Substr("details", 1, excerpt + 1))
    if resources:
        query = query.select_related(*Card.RESOURCE_FIELDS).only(
            *fields,
            *RESOURCE_NAMES,
            "volunteer_hours",
            *([] if excerpt is not None else ["details"]),
        )
    if not insights:
        query = query.annotate(insight_count=models.Count("insights"))
    phase_by_id = {phase.pk: phase for phase in phases}
    lane_by_id = {lane.pk: lane for lane in lanes}
    phase_order = {phase.pk: index for index, phase in enumerate(phases)}
    lane_order = {lane.pk: index for index, lane in enumerate(lanes)}
    cards = [
        card
        for card in query.order_by("position")
        if card.phase_id in phase_order and card.lane_id in lane_order
    ]
    cards.sort(key=lambda c: (phase_order[c.phase_id], lane_order[c.lane_id], c.position))

    by_cell: dict[tuple[int, int], list[Card]] = defaultdict(list)
    family_cards: dict[int, list[CardEmotion]] = defaultdict(list)
    for card in cards:
        card.phase = phase_by_id[card.phase_id]
        card.lane = lane_by_id[card.lane_id]
        card.kind_label = KIND_LABELS.get(card.kind, card.kind)
        card.kind_mark = KIND_MARKS.get(card.kind, "")
        card.emotion_text = emotion_text(card.emotion)
        if resources:
            card.resource_text = resource_text(card)
        if excerpt is not None and len(card.details_excerpt) > excerpt:
            card.details_excerpt = card.details_excerpt[:excerpt].rstrip() + "…"
        if card.emotion is not None and card.lane.allows_emotion:
            family_cards[card.phase_id].append(
                CardEmotion(card.pk, card.title, card.emotion, card.version)
            )
        by_cell[(card.phase_id, card.lane_id)].append(card)
    if wanted is None:  # each header's count of cards, for the editor's "Remove" menus
        for part in (*phases, *lanes):
            part.card_count = 0
        for card in cards:
            card.phase.card_count += 1
            card.lane.card_count += 1
    for cell_cards in by_cell.values():
        for index, card in enumerate(cell_cards):
            card.first_in_cell = index == 0
            card.last_in_cell = index == len(cell_cards) - 1

    card_ids = [card.pk for card in cards] if wanted is not None else None
    if insights:
        _read_insights(blueprint, cards, card_ids)
    if links:
        _read_links(blueprint, cards, card_ids)
    challenges: list[DeliveryChallenge] = []
    prototypes: list[Prototype] = []
    if planning:
        challenges, prototypes = _read_planning(blueprint, cards, phase_order, lane_order)
    elif touching:
        _read_touching(blueprint, cards, card_ids)

    boundaries = [
        Boundary(
            boundary.above,
            boundary.below,
            tuple(Line(line.value, line.label, LINE_MEANINGS[line]) for line in boundary.lines),
        )
        for boundary in lane_boundaries(lanes)
    ]
    lines_above = {boundary.below.pk: boundary.lines for boundary in boundaries}
    last = len(phases) - 1
    rows = [
        Row(
            lane,
            [
                Cell(
                    phase,
                    lane,
                    by_cell.get((phase.pk, lane.pk), []),
                    first_phase=index == 0,
                    last_phase=index == last,
                )
                for index, phase in enumerate(phases)
                if wanted is None or (phase.pk, lane.pk) in wanted
            ],
            lines_above.get(lane.pk, ()),
        )
        for lane in lanes
    ]
    if wanted is None:
        emotion = points_from_cards(phases, family_cards)
    elif any(lane.allows_emotion for lane in lanes):
        emotion = emotion_points(blueprint, phases)
    else:
        emotion = []
    return Grid(
        blueprint=blueprint,
        phases=phases,
        lanes=lanes,
        cards=cards,
        rows=rows,
        boundaries=boundaries,
        emotion=emotion,
        challenges=challenges,
        prototypes=prototypes,
    )


def _read_insights(blueprint: Blueprint, cards: list[Card], card_ids: list[int] | None) -> None:
    rows = Card.insights.through.objects.filter(card__blueprint_id=blueprint.pk)
    if card_ids is not None:
        rows = rows.filter(card_id__in=card_ids)
    subjects, sources = dict(Insight.Subject.choices), dict(Insight.Source.choices)
    cited: dict[int, list[InsightRef]] = defaultdict(list)
    for card_id, insight_id, statement, subject, source, gathered_on in rows.order_by(
        "insight__statement", "insight_id"
    ).values_list(
        "card_id",
        "insight_id",
        "insight__statement",
        "insight__subject",
        "insight__source",
        "insight__gathered_on",
    ):
        cited[card_id].append(
            InsightRef(
                insight_id,
                statement,
                subjects.get(subject, subject),
                sources.get(source, source),
                gathered_on,
            )
        )
    for card in cards:
        card.insight_list = cited.get(card.pk, [])
        card.insight_count = len(card.insight_list)
        card.insight_statements = sorted({insight.statement for insight in card.insight_list})


def _read_links(blueprint: Blueprint, cards: list[Card], card_ids: list[int] | None) -> None:
    card_by_id = {card.pk: card for card in cards}
    rows = CardLink.objects.filter(from_card__blueprint_id=blueprint.pk)
    if card_ids is not None:
        rows = rows.filter(from_card_id__in=card_ids)
    serves, served_by = defaultdict(list), defaultdict(list)
    for from_id, to_id in rows.order_by("from_card_id", "to_card_id").values_list(
        "from_card_id", "to_card_id"
    ):
        if to_id in card_by_id:
            serves[from_id].append(card_by_id[to_id])
            if from_id in card_by_id:
                served_by[to_id].append(card_by_id[from_id])
    for card in cards:
        card.serves_cards = serves.get(card.pk, [])
        card.served_by_cards = served_by.get(card.pk, [])


def read_link_pairs(blueprint: Blueprint) -> list[tuple[int, int]]:
    """Every link of the blueprint as (serving card id, served card id): one query, for the
    connectors the editor draws over its grid."""
    return list(
        CardLink.objects.filter(from_card__blueprint_id=blueprint.pk)
        .order_by("from_card_id", "to_card_id")
        .values_list("from_card_id", "to_card_id")
    )


def _read_touching(blueprint: Blueprint, cards: list[Card], card_ids: list[int] | None) -> None:
    """The titles of the delivery challenges and prototypes touching each card: one query."""
    touched = DeliveryChallenge.cards.through.objects.filter(
        deliverychallenge__blueprint_id=blueprint.pk
    ).values_list("card_id", "deliverychallenge__title", models.Value("challenge"))
    tested = Prototype.cards.through.objects.filter(
        prototype__blueprint_id=blueprint.pk
    ).values_list("card_id", "prototype__title", models.Value("prototype"))
    if card_ids is not None:
        touched, tested = touched.filter(card_id__in=card_ids), tested.filter(card_id__in=card_ids)
    challenges, prototypes = defaultdict(list), defaultdict(list)
    for card_id, title, what in sorted(
        touched.union(tested, all=True), key=lambda row: row[1].casefold()
    ):
        (challenges if what == "challenge" else prototypes)[card_id].append(title)
    for card in cards:
        card.challenge_titles = challenges.get(card.pk, [])
        card.prototype_titles = prototypes.get(card.pk, [])


def _read_planning(
    blueprint: Blueprint, cards: list[Card], phase_order: dict, lane_order: dict
) -> tuple[list[DeliveryChallenge], list[Prototype]]:
    """Delivery challenges with their questions, and prototypes, with the cards they touch
    (six queries)."""
    card_by_id = {card.pk: card for card in cards}

    def in_grid_order(ids: list[int]) -> list[Card]:
        found = [card_by_id[pk] for pk in ids if pk in card_by_id]
        return sorted(
            found, key=lambda c: (phase_order[c.phase_id], lane_order[c.lane_id], c.position)
        )

    challenge_cards = defaultdict(list)
    for challenge_id, card_id in DeliveryChallenge.cards.through.objects.filter(
        deliverychallenge__blueprint_id=blueprint.pk
    ).values_list("deliverychallenge_id", "card_id"):
        challenge_cards[challenge_id].append(card_id)
    challenges = sorted(
        DeliveryChallenge.objects.filter(blueprint=blueprint).order_by("title", "pk"),
        key=lambda challenge: THEME_ORDER.get(challenge.theme, len(THEME_ORDER)),
    )
    challenge_by_id = {challenge.pk: challenge for challenge in challenges}
    challenge_questions = defaultdict(list)
    for question in DeliveryQuestion.objects.filter(challenge__blueprint_id=blueprint.pk):
        challenge_questions[question.challenge_id].append(question)
    for challenge in challenges:
        challenge.card_list = in_grid_order(challenge_cards[challenge.pk])
        challenge.question_list = challenge_questions[challenge.pk]

    prototype_cards = defaultdict(list)
    for prototype_id, card_id in Prototype.cards.through.objects.filter(
        prototype__blueprint_id=blueprint.pk
    ).values_list("prototype_id", "card_id"):
        prototype_cards[prototype_id].append(card_id)
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
        prototype.card_list = in_grid_order(prototype_cards[prototype.pk])
        prototype.challenge_list = sorted(
            prototype_challenges[prototype.pk], key=lambda c: (c.title, c.pk)
        )

    titles: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for challenge in challenges:
        for card in challenge.card_list:
            titles[card.pk][0].append(challenge.title)
    for prototype in prototypes:
        for card in prototype.card_list:
            titles[card.pk][1].append(prototype.title)
    for card in cards:
        touched, tested = titles.get(card.pk, ([], []))
        card.challenge_titles = sorted(touched, key=str.casefold)
        card.prototype_titles = sorted(tested, key=str.casefold)
    return challenges, prototypes


def read_planning_details(challenges: list[DeliveryChallenge], prototypes: list[Prototype]) -> None:
    """What the exports show of the planning beyond `read_grid(planning=True)`, in five
    queries however much there is: each question's `owner` (with only its username and
    name), `insight_statements` and `idea_titles` (sorted, as a card's insights are), and
    each prototype's `question_list` (in its challenges' order) and `measure_list`.

    The pages read less of it, so `read_grid` leaves it to the exports (the PDFs, JSON and
    CSV), which call this on the grid they read.
    """
    questions = [question for challenge in challenges for question in challenge.question_list]
    question_ids = [question.pk for question in questions]
    owners = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in={q.owner_id for q in questions if q.owner_id})
        .only("username", "first_name", "last_name")
    }
    statements, titles = defaultdict(list), defaultdict(list)
    for question_id, statement in DeliveryQuestion.insights.through.objects.filter(
        deliveryquestion_id__in=question_ids
    ).values_list("deliveryquestion_id", "insight__statement"):
        statements[question_id].append(statement)
    for question_id, title in DeliveryQuestion.ideas.through.objects.filter(
        deliveryquestion_id__in=question_ids
    ).values_list("deliveryquestion_id", "idea__title"):
        titles[question_id].append(title)
    for question in questions:
        question.owner = owners.get(question.owner_id)
        question.insight_statements = sorted(set(statements[question.pk]))
        question.idea_titles = sorted(set(titles[question.pk]))

    order = {question.pk: n for n, question in enumerate(questions)}
    by_id = {question.pk: question for question in questions}
    tested = defaultdict(list)
    prototype_ids = [prototype.pk for prototype in prototypes]
    for prototype_id, question_id in Prototype.questions.through.objects.filter(
        prototype_id__in=prototype_ids
    ).values_list("prototype_id", "deliveryquestion_id"):
        if question_id in by_id:
            tested[prototype_id].append(by_id[question_id])
    measures = defaultdict(list)
    for measure in PrototypeMeasure.objects.filter(prototype_id__in=prototype_ids):
        measures[measure.prototype_id].append(measure)
    for prototype in prototypes:
        prototype.question_list = sorted(tested[prototype.pk], key=lambda q: order[q.pk])
        prototype.measure_list = measures[prototype.pk]

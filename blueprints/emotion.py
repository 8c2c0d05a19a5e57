"""The family's emotion, worded and drawn one way everywhere.

`emotion_text` words a card's emotion ("very unhappy (−2)"), `EmotionPoint.text` a phase's
mean ("+0.5", "no emotion recorded"), and `Curve.build` lays the curve out for an inline
SVG in whatever units a page draws it (the editor's columns, the PDF's millimetres).
`blueprints.grid` gives every card its `emotion_text` and the grid its points.

A mean alone hides the pain: a phase with +2 and −1 reads "+0.5". So the curve also
carries each family card's emotion as its own dot in its phase (`Curve.dots`), and the
lowest of them as the worst moment (`Curve.worst`, "Worst moment: Waits a week, −2").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from blueprints.models import Blueprint, Card, Lane, Phase

EMOTION_WORDS = {
    -2: "very unhappy",
    -1: "unhappy",
    0: "neither happy nor unhappy",
    1: "happy",
    2: "very happy",
}
NO_EMOTION = "no emotion recorded"
MINUS = "−"  # a true minus sign: screen readers say "minus", not "dash"


def signed(value: float) -> str:
    """+1, −2, 0, +0.5: one decimal at most, and a sign unless it is zero."""
    value = round(value, 1)
    if value == 0:
        return "0"
    return f"{value:+.1f}".removesuffix(".0").replace("-", MINUS)


def emotion_text(value: int | None) -> str:
    """A card's emotion in words and as a number, "very unhappy (−2)"; empty for none."""
    if value is None:
        return ""
    return f"{EMOTION_WORDS[value]} ({signed(value)})"


# The curve -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardEmotion:
    """One family card's emotion, as the curve draws it: a dot of its own."""

    pk: int
    title: str
    emotion: int
    version: int

    @property
    def text(self) -> str:
        """What the card's dot is called: "Waits a week: emotion −1 (unhappy)"."""
        return f"{self.title}: emotion {signed(self.emotion)} ({EMOTION_WORDS[self.emotion]})"

    @property
    def worst_text(self) -> str:
        return f"Worst moment: {self.title}, {signed(self.emotion)}"


@dataclass(frozen=True)
class EmotionPoint:
    """The family's mean emotion in one phase, from the family-lane cards that have one
    (`cards`, in grid order)."""

    phase: Phase
    mean: float | None
    count: int
    cards: tuple[CardEmotion, ...] = ()

    @property
    def text(self) -> str:
        return NO_EMOTION if self.mean is None else signed(self.mean)


def _svg_number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class CurvePoint:
    x: float
    y: float | None  # None: no emotion recorded in this phase
    point: EmotionPoint

    @property
    def svg_x(self) -> str:
        return _svg_number(self.x)

    @property
    def svg_y(self) -> str:
        return "" if self.y is None else _svg_number(self.y)


@dataclass(frozen=True)
class CurveDot:
    """A card's emotion placed in its phase's column; several in one phase share the column
    side by side, in grid order. `left` and `top` are percentages of the chart, for the
    HTML controls laid over the SVG."""

    x: float
    y: float
    card: CardEmotion
    left: str
    top: str
    worst: bool = False

    @property
    def svg_x(self) -> str:
        return _svg_number(self.x)

    @property
    def svg_y(self) -> str:
        return _svg_number(self.y)


@dataclass(frozen=True)
class Curve:
    """The curve as coordinates for an inline SVG: one column of `column` units per phase,
    so that it lines up with the grid's phase columns; +2 `pad` units from the top, −2 `pad`
    from the bottom. Each mean is also written out as text by whoever draws it, so the curve
    reads without colour or sight."""

    width: float
    height: float
    zero_y: float
    points: list[CurvePoint]
    runs: list[list[CurvePoint]]  # each run of neighbouring phases that have a mean
    guides: list[tuple[float, str]]  # (y, label) for +2, 0 and −2
    dots: list[CurveDot] = field(default_factory=list)  # each family card's own emotion
    worst: CurveDot | None = None  # the lowest dot (the first of equals, in grid order)

    @property
    def pairs(self) -> list[tuple[CurvePoint, CurvePoint]]:
        """The runs as single segments, for drawing with <line>."""
        return [pair for run in self.runs for pair in zip(run, run[1:], strict=False)]

    @classmethod
    def build(
        cls,
        emotion: list[EmotionPoint],
        *,
        column: float,
        height: float,
        pad: float,
        worst_of: list[EmotionPoint] | None = None,
    ) -> Curve:
        """`worst_of`: the points the worst moment is chosen from, when the curve draws only
        some of the phases (a PDF page): it is marked only if it is among them."""

        def y_of(value: float) -> float:
            return pad + (2 - value) / 4 * (height - 2 * pad)

        width = max(len(emotion), 1) * column
        points, runs, run, dots = [], [], [], []
        for index, point in enumerate(emotion):
            for n, card in enumerate(point.cards, start=1):
                x = (index + n / (len(point.cards) + 1)) * column
                y = y_of(card.emotion)
                left, top = _svg_number(x / width * 100), _svg_number(y / height * 100)
                dots.append(CurveDot(x, y, card, left, top))
            placed = CurvePoint(
                (index + 0.5) * column, None if point.mean is None else y_of(point.mean), point
            )
            points.append(placed)
            if placed.y is None:
                runs.append(run)
                run = []
            else:
                run.append(placed)
        runs.append(run)
        guides = [(y_of(2), signed(2)), (y_of(0), "0"), (y_of(-2), signed(-2))]
        lowest = worst_card(emotion if worst_of is None else worst_of)
        worst = next((dot for dot in dots if lowest and dot.card.pk == lowest.pk), None)
        if worst is not None:
            worst = replace(worst, worst=True)
            dots = [worst if dot.card.pk == worst.card.pk else dot for dot in dots]
        return cls(
            width=width,
            height=height,
            zero_y=y_of(0),
            points=points,
            runs=[run for run in runs if len(run) > 1],
            guides=guides,
            dots=dots,
            worst=worst,
        )


def worst_card(emotion: list[EmotionPoint]) -> CardEmotion | None:
    """The family card with the lowest emotion: the first of equals, in grid order."""
    cards = [card for point in emotion for card in point.cards]
    return min(cards, key=lambda card: card.emotion, default=None)


def points_from_cards(
    phases: list[Phase], cards: dict[int, list[CardEmotion]]
) -> list[EmotionPoint]:
    """Per phase, the mean of its family cards' emotions and the cards themselves."""
    points = []
    for phase in phases:
        found = tuple(cards.get(phase.pk, ()))
        mean = sum(card.emotion for card in found) / len(found) if found else None
        points.append(EmotionPoint(phase, mean, len(found), found))
    return points


def emotion_points(blueprint: Blueprint, phases: list[Phase]) -> list[EmotionPoint]:
    """Per phase, the emotion of each of the blueprint's family-lane cards and their mean
    (one query), for a reader that has not read every card."""
    rows = (
        Card.objects.filter(blueprint=blueprint, lane__role=Lane.Role.FAMILY, emotion__isnull=False)
        .order_by("lane__position", "position")
        .values_list("phase_id", "pk", "title", "emotion", "version")
    )
    cards: dict[int, list[CardEmotion]] = {}
    for phase_id, *card in rows:
        cards.setdefault(phase_id, []).append(CardEmotion(*card))
    return points_from_cards(phases, cards)

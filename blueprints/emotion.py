"""The family's emotion, worded and drawn one way everywhere.

`emotion_text` words a card's emotion ("very unhappy (−2)"), `EmotionPoint.text` a phase's
mean ("+0.5", "no emotion recorded"), and `Curve.build` lays the curve out for an inline
SVG in whatever units a page draws it (the editor's columns, the PDF's millimetres).
`blueprints.grid` gives every card its `emotion_text` and the grid its points.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

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
class EmotionPoint:
    """The family's mean emotion in one phase, from the family-lane cards that have one."""

    phase: Phase
    mean: float | None
    count: int

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

    @property
    def pairs(self) -> list[tuple[CurvePoint, CurvePoint]]:
        """The runs as single segments, for drawing with <line>."""
        return [pair for run in self.runs for pair in zip(run, run[1:], strict=False)]

    @classmethod
    def build(
        cls, emotion: list[EmotionPoint], *, column: float, height: float, pad: float
    ) -> Curve:
        def y_of(value: float) -> float:
            return pad + (2 - value) / 4 * (height - 2 * pad)

        points, runs, run = [], [], []
        for index, point in enumerate(emotion):
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
        return cls(
            width=max(len(emotion), 1) * column,
            height=height,
            zero_y=y_of(0),
            points=points,
            runs=[run for run in runs if len(run) > 1],
            guides=guides,
        )


def points_from_totals(
    phases: list[Phase], totals: dict[int, tuple[int, int]]
) -> list[EmotionPoint]:
    points = []
    for phase in phases:
        total, count = totals.get(phase.pk, (0, 0))
        points.append(EmotionPoint(phase, total / count if count else None, count))
    return points


def emotion_points(blueprint: Blueprint, phases: list[Phase]) -> list[EmotionPoint]:
    """Per phase, the mean emotion of the blueprint's family-lane cards (one query), for a
    reader that has not read every card."""
    rows = (
        Card.objects.filter(blueprint=blueprint, lane__role=Lane.Role.FAMILY, emotion__isnull=False)
        .order_by()
        .values("phase_id")
        .annotate(total=models.Sum("emotion"), n=models.Count("pk"))
    )
    return points_from_totals(phases, {row["phase_id"]: (row["total"], row["n"]) for row in rows})

"""The grid read model (blueprints.grid): what it reads, in how many queries; and the one
way emotions and the curve are worded and laid out (blueprints.emotion)."""

import pytest

from blueprints.emotion import NO_EMOTION, Curve, EmotionPoint, emotion_text, signed
from blueprints.grid import read_grid
from blueprints.models import Card, Lane, Phase
from tests.blueprints.factories import (
    BlueprintFactory,
    fill_grid_with_evidence,
)

pytestmark = pytest.mark.django_db

EVERYTHING = {"insights": True, "links": True, "planning": True}


@pytest.fixture
def blueprint(locality):
    return BlueprintFactory(locality=locality, title="Welcome walks")


@pytest.mark.parametrize("count", [10, 1000])
def test_the_grid_is_read_in_the_same_few_queries_whatever_its_size(
    blueprint, count, django_assert_max_num_queries
):
    fill_grid_with_evidence(blueprint, count)
    with django_assert_max_num_queries(11):
        grid = read_grid(blueprint, **EVERYTHING)
    assert len(grid.cards) == count
    assert sum(len(cell.cards) for row in grid.rows for cell in row.cells) == count
    first = grid.cards[0]
    assert first.title == "Card 0"
    assert first.serves_cards[0].title == "Card 1"
    assert first.challenge_titles == ["Getting there"]
    assert first.prototype_titles == ["Saturday pop-up"]
    assert grid.cards[1].insight_count == 1
    assert len(grid.challenges[0].card_list) == len(range(0, count, 3))
    assert [point.phase.name for point in grid.emotion] == [p.name for p in grid.phases]
    assert any(point.count for point in grid.emotion)


def test_the_editor_s_reading_is_as_small(blueprint, django_assert_max_num_queries):
    fill_grid_with_evidence(blueprint, 300)
    with django_assert_max_num_queries(4):
        grid = read_grid(blueprint, excerpt=20, touching=True)
    assert len(grid.cards) == 300
    card = next(card for card in grid.cards if len(card.details_excerpt) > 20)
    assert card.details_excerpt.endswith("…")
    assert grid.cards[0].challenge_titles == ["Getting there"]


def test_cards_come_in_grid_order_with_their_phase_lane_kind_and_emotion(blueprint):
    fill_grid_with_evidence(blueprint, 30)
    grid = read_grid(blueprint)
    phase_order = {phase.pk: i for i, phase in enumerate(grid.phases)}
    lane_order = {lane.pk: i for i, lane in enumerate(grid.lanes)}
    keys = [(phase_order[c.phase_id], lane_order[c.lane_id], c.position) for c in grid.cards]
    assert keys == sorted(keys)
    family = next(card for card in grid.cards if card.emotion is not None)
    assert family.lane.role == Lane.Role.FAMILY
    assert family.emotion_text == emotion_text(family.emotion)
    assert family.kind_label == Card.Kind(family.kind).label


def test_only_some_cells_are_read_when_asked(blueprint):
    cards = fill_grid_with_evidence(blueprint, 30)
    cell = (cards[0].phase_id, cards[0].lane_id)
    grid = read_grid(blueprint, only_cells=[cell])
    assert {(card.phase_id, card.lane_id) for card in grid.cards} == {cell}
    assert grid.cell(*cell).cards == grid.cards


def test_the_curve_is_the_mean_of_the_family_cards_per_phase(blueprint):
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    frontline = blueprint.lanes.get(role=Lane.Role.FRONTLINE)
    awareness, use, _exit = blueprint.phases.order_by("position")
    for lane, phase, emotion, position in [
        (family, awareness, 2, 0),
        (family, awareness, -1, 1),
        (family, use, -2, 0),
        (frontline, use, None, 0),
    ]:
        Card.objects.create(
            blueprint=blueprint,
            phase=phase,
            lane=lane,
            position=position,
            title="A card",
            emotion=emotion,
        )
    whole = [point.text for point in read_grid(blueprint).emotion]
    partial = read_grid(blueprint, only_cells=[(use.pk, family.pk)]).emotion
    assert whole == ["+0.5", "−2", NO_EMOTION]
    assert [point.text for point in partial] == whole


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-2, "very unhappy (−2)"),
        (-1, "unhappy (−1)"),
        (0, "neither happy nor unhappy (0)"),
        (1, "happy (+1)"),
        (2, "very happy (+2)"),
        (None, ""),
    ],
)
def test_one_formatter_words_a_card_s_emotion(value, words):
    assert emotion_text(value) == words


@pytest.mark.parametrize(
    ("mean", "text"),
    [(0.5, "+0.5"), (-2.0, "−2"), (0.04, "0"), (-0.04, "0"), (1 / 3, "+0.3"), (None, NO_EMOTION)],
)
def test_one_formatter_words_a_phase_s_mean(mean, text):
    assert EmotionPoint(Phase(name="Use"), mean, 1).text == text
    if mean is not None:
        assert signed(mean) == text


def test_the_curve_places_plus_two_at_the_top_and_breaks_where_a_phase_has_none():
    points = [
        EmotionPoint(Phase(name=name), mean, 1)
        for name, mean in zip("ABCD", [2, 0, None, -2], strict=True)
    ]
    curve = Curve.build(points, column=160, height=60, pad=6)
    assert [(p.x, p.y) for p in curve.points] == [(80, 6), (240, 30), (400, None), (560, 54)]
    assert [[p.svg_x for p in run] for run in curve.runs] == [["80", "240"]]
    assert curve.pairs == [(curve.points[0], curve.points[1])]
    assert curve.guides == [(6, "+2"), (30, "0"), (54, "−2")]
    assert curve.width == 640

"""Blueprint factories. They write through `blueprints.services`, as the app does, so a
blueprint comes with its default phases and lanes and cards get dense positions."""

import factory

from blueprints import services
from blueprints.models import (
    Blueprint,
    Card,
    CardLink,
    Comment,
    DeliveryChallenge,
    Lane,
    Prototype,
)
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import InsightFactory, LocalityFactory, UserFactory


class BlueprintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blueprint

    locality = factory.SubFactory(LocalityFactory)
    idea = factory.LazyAttribute(lambda o: IdeaFactory(locality=o.locality))
    title = factory.Sequence(lambda n: f"Blueprint {n}")
    summary = "Families new to the area find their way into early-years services."

    @classmethod
    def _create(cls, model_class, *, by=None, **kwargs):
        return services.create_blueprint(by=by, **kwargs)


def lane(blueprint: Blueprint, role: str = Lane.Role.FAMILY) -> Lane:
    return blueprint.lanes.get(role=role)


def phase(blueprint: Blueprint, position: int = 0):
    return blueprint.phases.get(position=position)


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    blueprint = factory.SubFactory(BlueprintFactory)
    phase = factory.LazyAttribute(lambda o: o.blueprint.phases.order_by("position").first())
    lane = factory.LazyAttribute(lambda o: lane(o.blueprint, Lane.Role.FAMILY))
    title = factory.Sequence(lambda n: f"Card {n}")
    details = ""
    kind = Card.Kind.STEP

    @classmethod
    def _create(cls, model_class, *, by=None, **kwargs):
        return services.add_card(by=by, **kwargs)


class DeliveryChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryChallenge

    blueprint = factory.SubFactory(BlueprintFactory)
    theme = DeliveryChallenge.Theme.ENGAGING_FAMILIES
    title = factory.Sequence(lambda n: f"Reaching families who never meet a health visitor {n}")
    questions = ("Who do families trust?", "Where do they meet?")

    @classmethod
    def _create(cls, model_class, *, by=None, **kwargs):
        return services.create_delivery_challenge(by=by, **kwargs)


class PrototypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prototype

    blueprint = factory.SubFactory(BlueprintFactory)
    title = factory.Sequence(lambda n: f"Navigator visits for ten families {n}")
    hypothesis = "A named person brings families to a first session."
    method = "Two navigators take the next ten referrals."

    @classmethod
    def _create(cls, model_class, *, by=None, **kwargs):
        # Only a finished prototype that says what it taught is decided (the model's rule),
        # and a decision rests on a result (the service's): the families reached, unless a
        # measure's actual is given.
        if kwargs.get("decision", Prototype.Decision.UNDECIDED) != Prototype.Decision.UNDECIDED:
            kwargs.setdefault("status", Prototype.Status.FINISHED)
            kwargs.setdefault("learning", "Eight of the ten families came to a session.")
            if not any(row.actual is not None for row in kwargs.get("measures", ())):
                kwargs.setdefault("families_reached", 8)
        return services.create_prototype(by=by, **kwargs)


def fill_grid(
    blueprint: Blueprint, count: int, *, prefix: str = "Card", details: str = "Some details."
) -> list[Card]:
    """`count` cards spread round the blueprint's cells, written in one INSERT.

    For query-count tests that need a big blueprint fast: no history, no version bumps.
    Family-lane cards get emotions, and every fifth card is a pain point.
    """
    phases = list(blueprint.phases.order_by("position"))
    lanes = list(blueprint.lanes.order_by("position"))
    cells = [(p, ln) for p in phases for ln in lanes]
    taken = {
        (phase_id, lane_id): position + 1
        for phase_id, lane_id, position in Card.objects.filter(blueprint=blueprint)
        .order_by("position")
        .values_list("phase_id", "lane_id", "position")
    }
    cards = []
    for index in range(count):
        cell_phase, cell_lane = cells[index % len(cells)]
        key = (cell_phase.pk, cell_lane.pk)
        position = taken.get(key, 0)
        taken[key] = position + 1
        cards.append(
            Card(
                blueprint=blueprint,
                phase=cell_phase,
                lane=cell_lane,
                position=position,
                title=f"{prefix} {index}",
                details=details if index % 3 else "",
                kind=Card.Kind.PAIN_POINT if index % 5 == 0 else Card.Kind.STEP,
                emotion=(index % 5) - 2 if cell_lane.role == Lane.Role.FAMILY else None,
            )
        )
    return Card.objects.bulk_create(cards)


def fill_grid_with_evidence(blueprint: Blueprint, count: int) -> list[Card]:
    """`fill_grid`'s cards, every other one citing an insight, each serving the next, and a
    delivery challenge ("Getting there") and a prototype ("Saturday pop-up") touching some:
    for the readers of the whole grid (the grid read model, the editor)."""
    cards = fill_grid(blueprint, count, details="Some details about this step.")
    insights = [InsightFactory(locality=blueprint.locality) for _ in range(3)]
    Card.insights.through.objects.bulk_create(
        Card.insights.through(card_id=card.pk, insight_id=insights[i % 3].pk)
        for i, card in enumerate(cards)
        if i % 2
    )
    CardLink.objects.bulk_create(
        CardLink(from_card=a, to_card=b) for a, b in zip(cards, cards[1:], strict=False)
    )
    DeliveryChallengeFactory(blueprint=blueprint, title="Getting there", cards=cards[::3])
    PrototypeFactory(blueprint=blueprint, title="Saturday pop-up", cards=cards[::4])
    return cards


# Review (issue 5) ---------------------------------------------------------------------


def with_review_state(blueprint: Blueprint, state: str) -> Blueprint:
    """Set a blueprint's review state directly, for a test's starting point only: no
    transition is recorded and no one is told (the review services do both)."""
    Blueprint.objects.filter(pk=blueprint.pk).update(review_state=state)
    blueprint.review_state = state
    return blueprint


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment written straight to the table (the service would check its author's
    rights and send email); `card_title` follows the card, as the service keeps it."""

    class Meta:
        model = Comment

    blueprint = factory.SubFactory(BlueprintFactory)
    card = None
    card_title = factory.LazyAttribute(lambda o: o.card.title if o.card else "")
    parent = None
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Where do families hear about this first? ({n})")

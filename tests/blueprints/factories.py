"""Blueprint factories. They write through `blueprints.services`, as the app does, so a
blueprint comes with its default phases and lanes and cards get dense positions."""

import factory

from blueprints import services
from blueprints.models import Blueprint, Card, DeliveryChallenge, Lane, Prototype
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import LocalityFactory


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
    questions = "Who do families trust?\nWhere do they meet?"

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
        return services.create_prototype(by=by, **kwargs)

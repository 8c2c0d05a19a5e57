import datetime

import factory

from consultations.models import Consultation, Idea, Response
from tests.localities.factories import (  # noqa: F401 (re-exported for these tests)
    ChallengeFactory,
    InsightFactory,
    LocalityFactory,
)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea
        skip_postgeneration_save = True

    locality = factory.SubFactory(LocalityFactory)
    title = factory.Sequence(lambda n: f"Stay and play in the park ({n})")
    description = "A weekly outdoor session for parents and toddlers."
    proposed_by = "Parent forum"
    status = Idea.Status.SHORTLISTED

    @factory.post_generation
    def challenges(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.challenges.set(extracted)


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A consultation; pass `ideas=[...]` to say which ideas it consults on."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    locality = factory.SubFactory(LocalityFactory)
    title = factory.Sequence(lambda n: f"Drop-in at the children's centre ({n})")
    held_on = datetime.date(2026, 3, 12)
    audience = Consultation.Audience.COMMUNITY
    method = Consultation.Method.DROP_IN
    place = "Northgate children's centre"
    is_open = True

    @factory.post_generation
    def ideas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.ideas.set(extracted)


class ResponseFactory(factory.django.DjangoModelFactory):
    """A response; the idea defaults to a new one of the consultation's locality, consulted on."""

    class Meta:
        model = Response
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    idea = factory.LazyAttribute(lambda r: IdeaFactory(locality=r.consultation.locality))
    group = Response.Group.PARENT
    support = 4
    comment = ""
    channel = Response.Channel.TEAM

    @factory.post_generation
    def consulted(obj, create, extracted, **kwargs):
        if create:
            obj.consultation.ideas.add(obj.idea)

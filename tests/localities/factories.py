from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from localities.models import (
    Challenge,
    Insight,
    Locality,
    Membership,
    Partner,
    Space,
    Tag,
    VolunteerRole,
)
from localities.permissions import REVIEWER_GROUP

PASSWORD = "a-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class ReviewerFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def reviewer_group(obj, create, extracted, **kwargs):
        # get_or_create: a transactional test's flush removes the group the migration made.
        if create:
            obj.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Locality {n}")
    slug = factory.Sequence(lambda n: f"locality-{n}")
    area = "Eastmere City Council"
    description = "A locality used in tests."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    locality = factory.SubFactory(LocalityFactory)
    role = Membership.Role.VIEWER


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    locality = factory.SubFactory(LocalityFactory)
    name = factory.Sequence(lambda n: f"tag {n}")


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    locality = factory.SubFactory(LocalityFactory)
    statement = factory.Sequence(
        lambda n: f"Parents rarely hear about groups by word of mouth ({n})"
    )
    subject = Insight.Subject.FAMILIES
    source = Insight.Source.FAMILY_INTERVIEW
    detail = "“I only found out about stay and play from the health visitor.”"


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    locality = factory.SubFactory(LocalityFactory)
    title = factory.Sequence(lambda n: f"Families do not know what is on offer ({n})")
    description = "Services exist, but families new to the area never hear of them."

    @factory.post_generation
    def insights(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.insights.set(extracted)


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    locality = factory.SubFactory(LocalityFactory)
    name = factory.Sequence(lambda n: f"Northgate Family Hub {n}")
    kind = Space.Kind.CHILDRENS_CENTRE
    hire_cost_per_hour = Decimal("12.50")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    locality = factory.SubFactory(LocalityFactory)
    organisation = factory.Sequence(lambda n: f"St Anne's Primary School {n}")
    kind = Partner.Kind.SCHOOL
    contact_role = "school business manager"


class VolunteerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerRole

    locality = factory.SubFactory(LocalityFactory)
    name = factory.Sequence(lambda n: f"Welcome walk guide {n}")
    tasks = "Walks new parents to the hub and shows them round."
    hours_needed = Decimal("12")

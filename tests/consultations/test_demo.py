"""Demo ideas, consultations and responses: as the issue asks, deterministic and idempotent."""

import pytest

from consultations.demo import PLANS, seed_consultations
from consultations.models import Consultation, Idea, Response
from consultations.selectors import results_for
from localities.models import Locality
from tests.consultations.factories import ChallengeFactory, LocalityFactory
from tests.localities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    northgate = LocalityFactory(slug="northgate", name="Northgate")
    elsewhere = LocalityFactory(slug="somewhere-new", name="Somewhere new")
    ChallengeFactory.create_batch(3, locality=northgate)
    MembershipFactory(locality=northgate, role="lead")
    return [northgate, elsewhere]


def test_every_locality_gets_ideas_consultations_and_40_responses(sites):
    seed_consultations()
    for locality in sites:
        assert Idea.objects.filter(locality=locality).count() == 5
        consultations = Consultation.objects.filter(locality=locality)
        assert consultations.count() == 2
        assert set(consultations.values_list("method", flat=True)) == {"drop_in", "workshop"}
        responses = Response.objects.filter(consultation__locality=locality)
        assert responses.count() >= 40
        assert set(responses.values_list("group", flat=True)) >= {
            "parent",
            "practitioner",
            "partner",
        }


def test_every_locality_has_one_parents_professionals_gap(sites):
    seed_consultations()
    for locality in sites:
        flagged = [result for result in results_for(locality=locality) if result.disagree]
        assert flagged, locality


def test_every_locality_has_a_chosen_top_idea_with_rationale(sites):
    seed_consultations()
    for locality in sites:
        top = Idea.objects.get(locality=locality, status="chosen")
        assert top.rationale
        assert top.chosen_at


def test_lead_is_recorded_as_choosing(sites):
    seed_consultations()
    top = Idea.objects.get(locality=sites[0], status="chosen")
    assert top.chosen_by == sites[0].memberships.get(role="lead").user


def test_ideas_answer_the_localitys_challenges(sites):
    seed_consultations()
    for idea in Idea.objects.filter(locality=sites[0]):
        assert idea.challenges.exists()
        assert {c.locality_id for c in idea.challenges.all()} == {sites[0].pk}


def test_ideas_are_linked_to_challenges_added_after_a_first_run(sites):
    seed_consultations()
    ChallengeFactory(locality=sites[1])
    seed_consultations()
    assert all(idea.challenges.exists() for idea in Idea.objects.filter(locality=sites[1]))


def snapshot():
    return {
        "ideas": sorted(Idea.objects.values_list("locality__slug", "title", "status")),
        "consultations": sorted(Consultation.objects.values_list("locality__slug", "title")),
        "responses": sorted(
            Response.objects.values_list("consultation__title", "idea__title", "group", "support")
        ),
    }


def test_running_twice_adds_nothing(sites):
    seed_consultations()
    first = snapshot()
    seed_consultations()
    assert snapshot() == first


def test_the_demo_is_the_same_every_time(sites):
    seed_consultations()
    first = snapshot()
    Locality.objects.all().delete()
    Idea.objects.all().delete()
    LocalityFactory(slug="northgate", name="Northgate")
    LocalityFactory(slug="somewhere-new", name="Somewhere new")
    seed_consultations()
    assert snapshot() == first


def test_works_with_no_localities():
    seed_consultations()
    assert not Idea.objects.exists()


def test_each_demo_site_flags_exactly_its_designed_gap_idea():
    for slug in PLANS:
        LocalityFactory(slug=slug, name=slug.title())
    seed_consultations()
    for slug, plan in PLANS.items():
        designed = {i.title for i in plan.ideas if abs(i.parents - i.professionals) >= 1}
        locality = Locality.objects.get(slug=slug)
        flagged = {r.idea.title for r in results_for(locality=locality) if r.disagree}
        assert flagged == designed, slug

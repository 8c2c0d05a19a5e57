import pytest
from django.db import transaction

from blueprints.demo import NAVIGATOR, OUTREACH, STAY_AND_PLAY, plan_for, seed_blueprints
from blueprints.models import Blueprint, Card, CardLink, DeliveryChallenge, Lane, Prototype
from consultations.models import Idea
from tests.blueprints.checks import assert_positions_dense
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import InsightFactory, LocalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def chosen_ideas(django_db_setup, django_db_blocker):
    """Three localities with a top idea, one for each plan, and one still choosing; their
    blueprints seeded once for the module (seeding takes seconds) and rolled back after it.
    Each test runs in a savepoint of its own, so one that seeds again changes nothing for
    the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        ideas = []
        for title in (
            "Welcome to Northgate: a family navigator for new arrivals",
            "Stay and play in the library",
            "Pop-up play sessions in village halls",
        ):
            locality = LocalityFactory()
            InsightFactory.create_batch(3, locality=locality)
            ideas.append(IdeaFactory(locality=locality, title=title, status=Idea.Status.CHOSEN))
        IdeaFactory(locality=LocalityFactory(), status=Idea.Status.SHORTLISTED)
        seed_blueprints()
        yield ideas
        transaction.set_rollback(True)


def test_each_plan_is_picked_from_the_ideas_words(chosen_ideas):
    assert [plan_for(idea)[0] for idea in chosen_ideas] == [NAVIGATOR, STAY_AND_PLAY, OUTREACH]


@pytest.mark.parametrize(
    ("title", "plan", "words"),
    [
        ("Peer supporters for new mums", NAVIGATOR, ("peer supporter", "library")),
        ("Community champions for funded childcare", NAVIGATOR, ("community champion", "library")),
        ("Welcome walks for new families", NAVIGATOR, ("parent guide", "library")),
        ("A mobile play bus for the villages", OUTREACH, ("navigator", "play bus")),
        (
            "A young parents' evening club at the youth centre",
            STAY_AND_PLAY,
            ("navigator", "youth centre"),
        ),
        ("Bilingual rhyme time at the library", STAY_AND_PLAY, ("navigator", "library")),
        ("Something else entirely", NAVIGATOR, ("navigator", "library")),
    ],
)
def test_the_plans_words_fit_the_idea(title, plan, words):
    chosen_plan, chosen_words = plan_for(IdeaFactory.build(title=title, description=""))
    assert (chosen_plan, (chosen_words.helper, chosen_words.venue)) == (plan, words)


def test_a_blueprint_is_seeded_for_each_top_idea_only(chosen_ideas):
    assert set(Blueprint.objects.values_list("idea", flat=True)) == {i.pk for i in chosen_ideas}


def test_seeding_twice_adds_nothing(chosen_ideas):
    counts = (Blueprint.objects.count(), Card.objects.count(), Prototype.objects.count())
    seed_blueprints()
    assert (Blueprint.objects.count(), Card.objects.count(), Prototype.objects.count()) == counts


def test_every_seeded_blueprint_has_the_content_issue_4_asks_for(chosen_ideas):
    for blueprint in Blueprint.objects.all():
        cards = Card.objects.filter(blueprint=blueprint)
        assert set(blueprint.lanes.values_list("role", flat=True)) == set(Lane.Role.values)
        assert 3 <= blueprint.phases.count() <= 5
        assert cards.count() >= 25
        assert cards.filter(kind=Card.Kind.PAIN_POINT).exists()
        assert cards.filter(lane__role="family", emotion__isnull=False).count() >= 5
        assert cards.filter(insights__isnull=False).exists()
        links = CardLink.objects.filter(from_card__blueprint=blueprint)
        assert links.filter(from_card__lane__role="frontline", to_card__lane__role="family")
        themes = set(blueprint.delivery_challenges.values_list("theme", flat=True))
        assert themes >= set(DeliveryChallenge.Theme.values) - {"other"}
        prototypes = blueprint.prototypes.all()
        assert prototypes.count() >= 2
        finished = prototypes.filter(status="finished").exclude(learning="")
        assert finished.exclude(decision="undecided").exists()
        assert_positions_dense(blueprint)


def test_seeded_content_has_every_placeholder_filled(chosen_ideas):
    texts = [
        *Card.objects.values_list("title", flat=True),
        *Card.objects.values_list("details", flat=True),
        *DeliveryChallenge.objects.values_list("title", flat=True),
        *DeliveryChallenge.objects.values_list("questions", flat=True),
        *Prototype.objects.values_list("title", flat=True),
        *Prototype.objects.values_list("method", flat=True),
        *Prototype.objects.values_list("learning", flat=True),
    ]
    assert not [text for text in texts if "{" in text or "}" in text]


def test_a_seeded_blueprint_is_summarised_by_its_idea(chosen_ideas):
    idea = chosen_ideas[0]
    assert Blueprint.objects.get(idea=idea).summary == idea.description

"""The dashboard: each locality's progress through the method and what to do next."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.progress import counts_of, with_progress
from consultations.models import Idea
from localities.models import Locality
from tests.blueprints.factories import BlueprintFactory, DeliveryChallengeFactory, PrototypeFactory
from tests.consultations.factories import IdeaFactory, ResponseFactory
from tests.localities.factories import (
    ChallengeFactory,
    InsightFactory,
    LocalityFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def fill(locality, scale=1):
    """A locality with `scale` of everything the method produces."""
    InsightFactory.create_batch(2 * scale, locality=locality)
    ChallengeFactory.create_batch(scale, locality=locality)
    top = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN, title=f"Top of {locality}")
    ResponseFactory.create_batch(3 * scale, consultation__locality=locality, idea=top)
    blueprint = BlueprintFactory(locality=locality, idea=top)
    DeliveryChallengeFactory.create_batch(scale, blueprint=blueprint)
    PrototypeFactory(blueprint=blueprint)


def test_progress_counts_each_locality_apart(locality, other_locality):
    fill(locality, scale=2)
    fill(other_locality, scale=1)
    annotated = {loc.slug: loc for loc in with_progress(Locality.objects.all())}
    mine = annotated["northgate"]
    assert counts_of(mine) == {
        "insights": 4,
        "challenges": 2,
        "ideas": 1,
        "consultations": 6,
        "responses": 6,
        "blueprints": 1,
        "delivery_challenges": 2,
        "prototypes": 1,
    }
    assert mine.top_idea_title == "Top of Northgate"
    assert counts_of(annotated["riverside"])["responses"] == 3


def test_dashboard_says_what_to_do_next_for_an_empty_locality(client_for, editor):
    response = client_for(editor).get(reverse("dashboard"))
    [shown] = response.context["localities"]
    assert shown.steps_done == 0
    assert shown.next_step.link_text == "Record an insight"
    assert "0 of 9 steps of the method done" in response.text
    assert reverse("localities:insight-create", args=["northgate"]) in response.text


def test_dashboard_offers_viewers_reading_links_not_writing_ones(client_for, viewer):
    response = client_for(viewer).get(reverse("dashboard"))
    [shown] = response.context["localities"]
    assert shown.next_step.url_name == "localities:insight-list"


def test_dashboard_shows_the_top_idea_and_full_progress(client_for, editor, locality):
    fill(locality)
    response = client_for(editor).get(reverse("dashboard"))
    [shown] = response.context["localities"]
    assert shown.steps_done == 8
    assert "top idea: Top of Northgate" in response.text


def test_dashboard_queries_do_not_grow_with_localities_or_their_work(
    client_for, reviewer, django_assert_max_num_queries
):
    client = client_for(reviewer)
    fill(LocalityFactory())
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("dashboard")).status_code == HTTPStatus.OK
    for _ in range(12):
        locality = LocalityFactory()
        MembershipFactory.create_batch(2, locality=locality)
        fill(locality, scale=3)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["localities"]) == 13
    assert f"top idea: Top of {locality}" in response.text


@pytest.mark.parametrize(
    ("who", "shown"), [("reviewer", True), ("superuser", True), ("lead", False)]
)
def test_portfolio_link_only_for_those_it_admits(client_for, users, who, shown):
    response = client_for(users[who]).get("/")
    assert response.status_code == HTTPStatus.OK
    assert ('href="/portfolio/"' in response.text) is shown

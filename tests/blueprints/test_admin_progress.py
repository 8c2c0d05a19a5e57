"""The admin's Locality list shows each site's progress, and the Blueprint change page a
read-only preview of the grid; both in a constant number of queries."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.models import Card, Prototype
from blueprints.review import actions as review_actions
from consultations.models import Idea
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.consultations.factories import ConsultationFactory, IdeaFactory, ResponseFactory
from tests.localities.factories import ChallengeFactory, InsightFactory, LocalityFactory

pytestmark = pytest.mark.django_db

LOCALITIES = "admin:localities_locality_changelist"
BLUEPRINTS = "admin:blueprints_blueprint_changelist"


def build_site(locality=None, *, decisions=(), state=None, editor=None, themes=()):
    """A locality with one of everything, its top idea's blueprint, the given prototype
    decisions and delivery-challenge themes; the blueprint moved to `state` if given."""
    locality = locality or LocalityFactory()
    InsightFactory(locality=locality)
    ChallengeFactory(locality=locality)
    idea = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN, title=f"{locality.name} idea")
    ResponseFactory(consultation=ConsultationFactory(locality=locality), idea=idea)
    blueprint = BlueprintFactory(locality=locality, idea=idea, title=f"{locality.name} blueprint")
    for decision in decisions:
        PrototypeFactory(blueprint=blueprint, decision=decision)
    for theme in themes:
        DeliveryChallengeFactory(blueprint=blueprint, theme=theme)
    if state is not None:
        review_actions.submit(blueprint=blueprint, by=editor)
    return locality, blueprint


def queries_for(client, url, *, shows: str) -> int:
    """The queries a page costs; it must answer 200 and show `shows` (so that a login page
    or a 404 cannot pass for it)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert shows in response.content.decode()
    return len(queries)


def row_of(response, locality):
    return next(obj for obj in response.context["cl"].result_list if obj.pk == locality.pk)


def test_the_locality_list_shows_each_step_count_and_the_top_idea(client_for, reviewer):
    locality, _ = build_site(LocalityFactory(name="Northgate"))
    content = client_for(reviewer).get(reverse(LOCALITIES)).content.decode()
    assert "Northgate idea" in content
    response = client_for(reviewer).get(reverse(LOCALITIES))
    row = row_of(response, locality)
    assert (row.insights_count, row.challenges_count, row.ideas_count) == (1, 1, 1)
    assert (row.consultations_count, row.responses_count) == (1, 1)


def test_the_locality_list_says_the_prototypes_decisions_in_words(client_for, reviewer):
    D = Prototype.Decision
    build_site(decisions=[D.ADOPT, D.ADAPT, D.UNDECIDED])
    content = client_for(reviewer).get(reverse(LOCALITIES)).content.decode()
    assert "3 prototypes: 1 adopt, 1 adapt, 1 undecided" in content


def test_the_locality_list_shows_the_top_idea_blueprints_state(
    client_for, reviewer, superuser, locality
):
    build_site(locality, state="submitted", editor=superuser)
    BlueprintFactory(locality=locality, title="A later draft")  # not the top idea's
    response = client_for(reviewer).get(reverse(LOCALITIES))
    assert row_of(response, locality).blueprint_state == "submitted"
    assert "Submitted" in response.content.decode()


def test_the_locality_list_falls_back_to_the_latest_blueprint(client_for, reviewer, locality):
    BlueprintFactory(locality=locality, title="First")
    latest = BlueprintFactory(locality=locality, title="Second")
    response = client_for(reviewer).get(reverse(LOCALITIES))
    assert row_of(response, locality).main_blueprint_id == latest.pk


def test_a_locality_without_work_says_so(client_for, reviewer, locality):
    content = client_for(reviewer).get(reverse(LOCALITIES)).content.decode()
    assert "no blueprint yet" in content
    assert "no prototypes" in content
    assert "not chosen yet" in content


def test_the_admin_lists_cost_the_same_queries_for_2_or_50_localities(
    client_for, reviewer, superuser, django_assert_max_num_queries
):
    """Both lists over the same sites: building 48 of them is most of the test's time."""
    client = client_for(reviewer)
    D = Prototype.Decision
    for _ in range(2):
        locality, _ = build_site(decisions=[D.ADOPT, D.DROP], state="submitted", editor=superuser)
    few = {}
    for name in (LOCALITIES, BLUEPRINTS):
        client.get(reverse(name))
        with django_assert_max_num_queries(12):
            few[name] = queries_for(client, reverse(name), shows=locality.name)
    for _ in range(48):
        locality, _ = build_site(decisions=[D.ADOPT, D.DROP], state="submitted", editor=superuser)
    for name in (LOCALITIES, BLUEPRINTS):
        with django_assert_max_num_queries(12):
            many = queries_for(client, reverse(name), shows=locality.name)
        assert few[name] == many, name


# The grid preview on the Blueprint change page ----------------------------------------------


def change_page(blueprint):
    return reverse("admin:blueprints_blueprint_change", args=[blueprint.pk])


def test_the_change_page_previews_the_grid_with_titles_and_kinds(client_for, reviewer):
    blueprint = BlueprintFactory(title="Welcome walks")
    CardFactory(blueprint=blueprint, title="Hears about the walk", kind=Card.Kind.TOUCHPOINT)
    CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=lane(blueprint, "backstage"),
        title="Books the hall",
    )
    content = client_for(reviewer).get(change_page(blueprint)).content.decode()
    assert "Hears about the walk <span" in content
    assert "(touchpoint)" in content
    assert "Books the hall" in content
    assert "Behind the scenes" in content  # a lane, as a row header


def test_the_grid_preview_costs_the_same_queries_for_few_or_many_cards(
    client_for, reviewer, django_assert_max_num_queries
):
    client = client_for(reviewer)
    blueprint = BlueprintFactory()
    CardFactory(blueprint=blueprint)
    client.get(change_page(blueprint))
    few = queries_for(client, change_page(blueprint), shows=blueprint.title)
    for index in range(30):
        CardFactory(blueprint=blueprint, title=f"More {index}")
    with django_assert_max_num_queries(few):
        queries_for(client, change_page(blueprint), shows="More 29")
